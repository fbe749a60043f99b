"""scripts/handout.py on small made-up repositories: each kind of marker,
what a handout leaves out, and a clear one-line error for every mistake
(in the request or in the markers), with nothing written.  Also the
one-line errors of `make handout` and `make grade` in this repository."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import handout  # noqa: E402

KERNEL_C = """\
#include "x.h"

int
keep(void)
{
  return 1;
}

// lab demo: begin
int
added(void)
{
  return 2;
}
// lab demo: end

int
body(void)
{
  // lab demo: begin body.c
  return solved();
  // lab demo: begin
  nested_secret();
  // lab demo: end
  // lab demo: end
}
"""

FILES = {
    "kernel/k.c": KERNEL_C,
    "user/sol.c": "// sol: the answer\n// lab demo: solution\nint secret_answer;\n",
    "user/given.c": "// given: a test program of lab demo\n// lab demo: handout\nint given;\n",
    "user/othergiven.c": "// lab other: handout\nint othergiven;\n",
    "Makefile": "all:\n# lab demo: begin\nSECRET_RULE = 1\n# lab demo: end\nend:\n",
    "notes.md": "# Notes\n<!-- lab other: begin -->\nother secret words\n<!-- lab other: end -->\nkept\n",
    "labs/grader.py": "# the grader\n",
    "labs/labs.mk": "# the targets\n",
    "labs/README.md": "instructors only\n",
    "labs/demo/grade.py": "# demo's tests\n",
    "labs/demo/snippets/body.c": "  return 0;\n",
    "labs/demo/starter/user/new.c": "int starter_file;\n",
    "labs/other/grade.py": "# other's tests\n",
    "docs/labs/demo.md": "# demo\n",
    "docs/labs/other.md": "# other\n",
    "scripts/handout.py": "# the tool\n",
    "tests/test_labs.py": "# kit tests\n",
    "run.sh": "#!/bin/sh\necho hi\n",
    "blob.bin": b"\x00\xff\xfe lab demo: begin \x80",
    ".gitignore": "*.o\n",
    "built.o": "a build product\n",
}


def make_repo(path, files=FILES):
    for rel, content in files.items():
        p = os.path.join(path, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb" if isinstance(content, bytes) else "w") as f:
            f.write(content)
    os.chmod(os.path.join(path, "run.sh"), 0o755)
    subprocess.run(["git", "init", "-q", path], check=True)
    subprocess.run(["git", "-C", path, "add", "-A"], check=True)
    return path


@pytest.fixture
def repo(tmp_path):
    return make_repo(str(tmp_path / "repo"))


def tree_of(path):
    out = {}
    for dirpath, _, names in os.walk(path):
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, path)] = f.read()
    return out


def test_handout_applies_each_kind_of_marker(repo, tmp_path):
    dest = str(tmp_path / "out")
    handout.make_handout(repo, "demo", dest)
    t = tree_of(dest)
    k = t["kernel/k.c"].decode()
    assert "added" not in k and "solved" not in k and "nested_secret" not in k
    assert "lab demo" not in k
    # The region between blank lines leaves one blank line; the snippet
    # takes the place of the region with a snippet.
    assert "  return 1;\n}\n\nint\nbody(void)\n{\n  return 0;\n}\n" in k
    assert "user/sol.c" not in t, "a solution file was shipped"
    assert t["user/given.c"] == b"// given: a test program of lab demo\nint given;\n"
    assert "user/othergiven.c" not in t, "another lab's handout file was shipped"
    assert t["user/new.c"] == b"int starter_file;\n", "the starter file was not added"
    assert t["Makefile"] == b"all:\nend:\n"
    assert t["notes.md"] == b"# Notes\nkept\n", "another lab's region was left in"
    assert t["conf/lab.mk"] == b"LAB=demo\n"
    assert t["blob.bin"] == FILES["blob.bin"], "a binary file was changed"
    assert os.access(os.path.join(dest, "run.sh"), os.X_OK), "run.sh lost its x bit"


def test_handout_ships_own_lab_material_only(repo, tmp_path):
    dest = str(tmp_path / "out")
    handout.make_handout(repo, "demo", dest)
    t = tree_of(dest)
    for need in ["labs/demo/grade.py", "docs/labs/demo.md", "labs/grader.py", "labs/labs.mk"]:
        assert need in t, "%s missing" % need
    for unwanted in ["labs/other/grade.py", "docs/labs/other.md", "labs/README.md",
                     "scripts/handout.py", "tests/test_labs.py", "built.o",
                     "labs/demo/snippets/body.c", "labs/demo/starter/user/new.c"]:
        assert unwanted not in t, "%s was shipped" % unwanted
    assert not any(n.startswith(".git/") for n in t)


def test_other_lab_handout_takes_out_every_solution(repo, tmp_path):
    dest = str(tmp_path / "out")
    handout.make_handout(repo, "other", dest)
    t = tree_of(dest)
    assert "user/othergiven.c" in t and "user/given.c" not in t and "user/sol.c" not in t
    assert "user/new.c" not in t, "demo's starter went into other's handout"
    assert b"solved" not in t["kernel/k.c"] and b"return 0;" in t["kernel/k.c"]


def test_a_foundation_lab_keeps_its_solution_in_other_handouts(repo, tmp_path):
    with open(os.path.join(repo, "labs", "demo", "grade.py"), "w") as f:
        f.write("# demo's tests\nFOUNDATION = True   # the others build on it\n")
    other = str(tmp_path / "other")
    handout.make_handout(repo, "other", other)
    t = tree_of(other)
    k = t["kernel/k.c"].decode()
    assert "added(void)" in k and "return solved();" in k and "nested_secret();" in k, \
        "other's handout lost the foundation lab's code:\n" + k
    assert "return 0;" not in k, "the foundation's snippet replaced its kept code"
    assert "lab demo" not in k, "a kept region's markers were shipped:\n" + k
    assert t["user/sol.c"] == b"// sol: the answer\nint secret_answer;\n"
    assert b"SECRET_RULE" in t["Makefile"] and b"other secret words" not in t["notes.md"]
    # The foundation's own handout still takes its solution out.
    demo = str(tmp_path / "demo")
    handout.make_handout(repo, "demo", demo)
    t = tree_of(demo)
    assert "user/sol.c" not in t and b"solved" not in t["kernel/k.c"]


def test_untracked_files_count_ignored_ones_do_not(repo, tmp_path):
    with open(os.path.join(repo, "user", "fresh.c"), "w") as f:
        f.write("int fresh;\n")
    dest = str(tmp_path / "out")
    handout.make_handout(repo, "demo", dest)
    t = tree_of(dest)
    assert "user/fresh.c" in t and "built.o" not in t


@pytest.mark.parametrize("rel, text, message", [
    ("kernel/b.c", "// lab nosuch: begin\nx\n// lab nosuch: end\n", "lab 'nosuch'"),
    ("kernel/b.c", "// lab demo: begin\nx\n", "has no end"),
    ("kernel/b.c", "x\n// lab demo: end\n", "with no begin"),
    ("kernel/b.c", "// lab demo: begin\n// lab other: end\n", "closes the region of lab demo"),
    ("kernel/b.c", "// lab demo: begn\n", "not a marker"),
    ("kernel/b.c", "// lab demo: solution\n// lab demo: handout\n", "second file marker"),
    ("kernel/b.c", "// lab demo: begin nosnippet\nx\n// lab demo: end\n", "no snippet"),
    ("kernel/b.c", "// lab demo: end extra\n", "takes no name"),
    ("user/new.c", "int clash;\n", "would replace user/new.c"),
    ("labs/demo/grade.py", "# lab demo: begin\nx\n# lab demo: end\n", "marker in lab material"),
])
def test_bad_markers_are_reported_and_nothing_is_written(tmp_path, rel, text, message):
    files = dict(FILES)
    files[rel] = text
    repo = make_repo(str(tmp_path / "repo"), files)
    dest = str(tmp_path / "out")
    with pytest.raises(handout.HandoutError) as e:
        handout.make_handout(repo, "demo", dest)
    assert message in str(e.value) and "\n" not in str(e.value)
    assert not os.path.exists(dest), "a failed handout wrote files"


def test_bad_requests_are_refused(repo, tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("x")
    for lab, dest, message in [
            ("nosuch", str(tmp_path / "a"), "no lab 'nosuch'"),
            ("", str(tmp_path / "a"), "which lab"),
            ("demo", "", "where to"),
            ("demo", str(busy), "not empty"),
            ("demo", os.path.join(repo, "sub"), "inside the repository")]:
        with pytest.raises(handout.HandoutError) as e:
            handout.make_handout(repo, lab, dest)
        assert message in str(e.value), (lab, dest, str(e.value))
    os.remove(os.path.join(repo, "docs", "labs", "demo.md"))
    with pytest.raises(handout.HandoutError) as e:
        handout.make_handout(repo, "demo", str(tmp_path / "b"))
    assert "docs/labs/demo.md" in str(e.value)


def test_an_empty_dest_is_fine(repo, tmp_path):
    dest = tmp_path / "empty"
    dest.mkdir()
    handout.make_handout(repo, "demo", str(dest))
    assert (dest / "conf" / "lab.mk").read_text() == "LAB=demo\n"


def test_repository_markers_are_well_formed():
    r = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "handout.py"), "--check"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, r.stdout


def make_error(args):
    """Run make in the repository; returns (status, its one error line)."""
    r = subprocess.run(["make", "-s", "--no-print-directory"] + args, cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    ours = [l for l in r.stderr.splitlines() if not l.startswith(("make: ", "make["))]
    return r.returncode, ours


@pytest.mark.parametrize("args, message", [
    (["handout", "LAB=nosuch", "DEST=/tmp/never-made-handout"], "no lab 'nosuch'"),
    (["handout", "LAB=util"], "give DEST=DIR"),
    (["handout", "LAB=util", "DEST=" + ROOT], "not empty"),
    (["run-grade", "LAB="], "which lab?"),
])
def test_make_targets_refuse_with_one_line(args, message):
    code, lines = make_error(args)
    assert code != 0, "make %s succeeded" % " ".join(args)
    assert len(lines) == 1 and message in lines[0], \
        "make %s: expected one line saying %r, got %r" % (" ".join(args), message, lines)


def test_make_grade_runs_mits_script_when_the_tree_has_one(tmp_path):
    """With ./grade-lab-LAB present, make grade cleans the tree and runs
    that script with GRADEFLAGS, as MIT's Makefile does; the lab comes
    from conf/lab.mk when LAB is not given."""
    tree = tmp_path / "tree"
    for rel in ["Makefile", "labs/labs.mk", "scripts/install-deps.sh"]:
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_bytes(open(os.path.join(ROOT, rel), "rb").read())
    (tree / "kernel").mkdir()
    (tree / "kernel" / "stale.o").write_text("built before\n")
    (tree / "conf").mkdir()
    (tree / "conf" / "lab.mk").write_text("LAB=zz\n")
    (tree / "grade-lab-zz").write_text(
        "import os, sys\nprint('mit script ran with %r; stale.o there: %s'"
        " % (sys.argv[1:], os.path.exists('kernel/stale.o')))\n")
    r = subprocess.run(["make", "-s", "--no-print-directory", "grade", "GRADEFLAGS=sleep"],
                       cwd=str(tree), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=120)
    assert "mit script ran with ['sleep']; stale.o there: False" in r.stdout, r.stdout
