"""Every lab of the kit (each labs/NAME/ with a grade.py, found at
collection time, so a new lab is checked with no edit here):

- on the repository, `make grade LAB=NAME` scores full;
- `make handout LAB=NAME` writes a tree that builds (-Werror), boots,
  passes `usertests -q`, and scores below full with the lab's grader;
- the same handout with the lab's own solution in place (`SOLVED=1`)
  scores full: the lab can be solved in the student's tree;
- the handout holds what a student needs (its handout text, its grader,
  conf/lab.mk) and nothing of other labs or of the instructor's tools;
- no line of the solution of the lab, or of any lab that is not a
  foundation (labs/README.md), appears anywhere in the handout, and no
  marker either.

Each lab's handout is made and built once (the module-scoped `handout`
fixture) and shared by its tests.  The repository is graded in a copy of
the working tree, so that a lab's build settings never change the tree
the other tests use.
"""
import os
import re
import shutil
import subprocess
import sys

import pexpect
import pytest

from conftest import ROOT, Machine

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import handout  # noqa: E402

LABS = handout.find_labs(ROOT)
SCORE = re.compile(r"^Score: (\d+)/(\d+)$", re.M)
# Three tests at a time: each boots its own machine, so a lab's grading
# takes about a third of the time it takes one test after another.
GRADEFLAGS = "GRADEFLAGS=-j3"

pytestmark = pytest.mark.slow


def make(args, cwd, timeout=900):
    """Run make; returns (exit status, stdout and stderr together)."""
    r = subprocess.run(["make", "--no-print-directory"] + args, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    return r.returncode, r.stdout


def tail(text, n=40):
    return "\n".join(text.splitlines()[-n:])


@pytest.fixture(scope="module", params=LABS)
def lab(request):
    return request.param


@pytest.fixture(scope="module")
def built(lab, tmp_path_factory):
    """Lab's handout, written and built once: a dict with the tree's path,
    the files the handout wrote (before the build), and the build's
    status and output."""
    dest = str(tmp_path_factory.mktemp("handout-" + lab) / lab)
    code, out = make(["handout", "LAB=" + lab, "DEST=" + dest], ROOT, 120)
    assert code == 0, "make handout LAB=%s failed:\n%s" % (lab, tail(out))
    files = []
    for dirpath, _, names in os.walk(dest):
        files += [os.path.relpath(os.path.join(dirpath, n), dest) for n in names]
    build_code, build_out = make(["-j2", "all"], dest)
    return {"dest": dest, "files": sorted(files), "build": (build_code, build_out)}


def score(out):
    found = SCORE.findall(out)
    return (int(found[-1][0]), int(found[-1][1])) if found else None


def test_repository_scores_full(lab, tmp_path):
    copy = str(tmp_path / "repo")
    shutil.copytree(ROOT, copy, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache"))
    code, out = make(["grade", "LAB=" + lab, GRADEFLAGS], copy)
    got = score(out)
    assert got is not None, "make grade LAB=%s printed no score:\n%s" % (lab, tail(out))
    assert got[0] == got[1] and got[1] > 0 and code == 0, \
        "make grade LAB=%s on the repository scored %d/%d (exit %d); expected full:\n%s" \
        % (lab, got[0], got[1], code, tail(out, 80))


def test_solved_handout_scores_full(lab, tmp_path):
    # A student's tree lacks every other lab's feature (but a
    # foundation's): the lab must be solvable there, its grader asking
    # nothing of features the tree does not have.
    dest = str(tmp_path / "solved")
    code, out = make(["handout", "LAB=" + lab, "DEST=" + dest, "SOLVED=1"], ROOT, 120)
    assert code == 0, "make handout LAB=%s SOLVED=1 failed:\n%s" % (lab, tail(out))
    code, out = make(["grade", GRADEFLAGS], dest)
    got = score(out)
    assert got is not None, "make grade in the solved %s handout printed no score:\n%s" % (lab, tail(out))
    assert got[0] == got[1] and got[1] > 0 and code == 0, \
        "make grade in the %s handout with its solution in place scored %d/%d (exit %d); " \
        "expected full:\n%s" % (lab, got[0], got[1], code, tail(out, 80))


def test_handout_builds(lab, built):
    code, out = built["build"]
    assert code == 0, "the %s handout does not build (make all):\n%s" % (lab, tail(out))


def test_handout_boots_and_passes_usertests(lab, built, tmp_path):
    assert built["build"][0] == 0, "the %s handout did not build" % lab
    image = str(tmp_path / "fs.img")
    shutil.copyfile(os.path.join(built["dest"], "fs.img"), image)
    m = Machine(image, kernel=os.path.join(built["dest"], "kernel", "kernel"))
    try:
        m.boot()
        out = m.run("usertests -q", 600, "%s handout" % lab)
        assert "ALL TESTS PASSED" in out, \
            "usertests -q in the %s handout did not pass:\n%s" % (lab, tail(out))
        m.halt()
    except pexpect.ExceptionPexpect as e:
        pytest.fail("the %s handout did not boot to a prompt: %s\n%s"
                    % (lab, type(e).__name__, tail(m.output())))
    finally:
        m.kill()


def test_handout_scores_below_full(lab, built):
    assert built["build"][0] == 0, "the %s handout did not build" % lab
    # No LAB= here: the handout's conf/lab.mk names the lab.
    code, out = make(["grade", GRADEFLAGS], built["dest"])
    got = score(out)
    assert got is not None, "make grade in the %s handout printed no score:\n%s" % (lab, tail(out))
    assert got[0] < got[1] and code != 0, \
        "the %s handout, with no student work, scored %d/%d (exit %d); expected below full" \
        % (lab, got[0], got[1], code)


def test_handout_holds_the_lab_and_nothing_else(lab, built):
    files = set(built["files"])
    dest = built["dest"]
    with open(os.path.join(dest, "conf", "lab.mk")) as f:
        assert f.read() == "LAB=%s\n" % lab, "conf/lab.mk does not say LAB=%s" % lab
    for need in ["docs/labs/%s.md" % lab, "labs/%s/grade.py" % lab,
                 "labs/grader.py", "labs/labs.mk", "Makefile", "README.md"]:
        assert need in files, "the %s handout lacks %s" % (lab, need)
    unwanted = [f for f in files
                if f in handout.INSTRUCTOR_ONLY or f.startswith(".git/")
                or (handout.lab_material(f) not in (None, lab))
                or f.startswith("labs/%s/snippets/" % lab)
                or f.startswith("labs/%s/starter/" % lab)]
    assert not unwanted, "the %s handout holds files a student should not get: %s" % (lab, unwanted)


def solution_and_base(lab):
    """(solution lines of the labs lab's handout takes out, lines it may
    hold), stripped, from the repository's markers.  The labs taken out
    are lab itself and every lab that is not a foundation."""
    labs, marks = handout.scan(ROOT)
    removed = handout.removed_labs(ROOT, lab)
    solution, base = set(), set()
    for m in marks.values():
        solution.update(l.strip() for _, l in m.solution_lines(removed))
        if m.solution_lab() not in removed and m.handout_lab() in (None, lab):
            base.update(l.strip() for l in m.base_lines(removed))
    extra = []
    for rel in handout.tracked_files(ROOT):
        owner = handout.lab_material(rel)
        parts = rel.split("/")
        if owner == lab or (parts[0] == "labs" and len(parts) > 3 and parts[2] == "snippets"):
            extra.append(rel)
    for rel in extra:
        text = handout.read_text(ROOT, rel)
        if text is not None:
            base.update(l.strip() for l in text.splitlines())
    return solution, base


def test_handout_has_no_solution(lab, built):
    solution, base = solution_and_base(lab)
    distinctive = {l for l in solution if l and l not in base}
    assert distinctive, "found no solution lines for any lab: the markers are not being read"
    leaks, markers = [], []
    for rel in built["files"]:
        text = handout.read_text(built["dest"], rel)
        if text is None:
            continue
        for i, line in enumerate(text.splitlines()):
            if line.strip() in distinctive:
                leaks.append("%s:%d: %s" % (rel, i + 1, line.strip()))
            if handout.LOOKS_LIKE_MARKER.match(line):
                markers.append("%s:%d: %s" % (rel, i + 1, line.strip()))
    assert not markers, "the %s handout still holds markers:\n%s" % (lab, "\n".join(markers[:20]))
    assert not leaks, "the %s handout holds solution lines:\n%s" % (lab, "\n".join(leaks[:20]))
