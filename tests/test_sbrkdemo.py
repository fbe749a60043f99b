"""user/sbrkdemo, the sbrk walk-through of docs/sbrk.md, run on a normally
booted machine: every step prints what it should, the child that touches
the released page is killed by the kernel while the parent finishes, and
a second run prints the same (nothing leaked between runs)."""
import re

import pytest

pytestmark = pytest.mark.slow

HEX = r"0x[0-9a-f]{16}"


def steps(out):
    """{step number: [lines]} of sbrkdemo's `step N:` lines."""
    found = {}
    for m in re.finditer(r"^step (\d+): (.*)$", out, re.M):
        found.setdefault(int(m.group(1)), []).append(m.group(2).rstrip())
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """sbrkdemo's output from two runs on one freshly booted machine."""
    import shutil
    from conftest import FS_IMG, Machine
    image = tmp_path_factory.mktemp("sbrkdemo") / "fs.img"
    shutil.copyfile(FS_IMG, image)
    m = Machine(str(image)).boot()
    try:
        first = m.run("sbrkdemo", timeout=30)
        second = m.run("sbrkdemo", timeout=30)
        alive = m.run("echo still-here")
    finally:
        m.kill()
    return first, second, alive


def test_every_step_reports_break_and_free_pages(runs):
    out = runs[0]
    s = steps(out)
    assert sorted(s) == [1, 2, 3, 4, 5, 6, 7], "sbrkdemo printed steps %s:\n%s" % (sorted(s), out)
    m = re.match(r"break is (%s); free pages (\d+)$" % HEX, s[1][0])
    assert m, "step 1 should print the break and free pages: %r" % s[1]
    brk, free0 = int(m.group(1), 16), int(m.group(2))
    assert brk % 4096 == 0 and brk > 0, "the break 0x%x should be page aligned" % brk
    assert s[2] == ["sbrk(4096) returned 0x%016x; break is 0x%016x; free pages %d "
                    "(1 taken from the storeroom)" % (brk, brk + 4096, free0 - 1)], \
        "step 2 should take exactly one page at the old break: %r" % s[2]
    assert s[3] == ['new page was all zeros; wrote and read back "hello from the new page" '
                    "at 0x%016x, last byte 'z'" % brk], "step 3: %r" % s[3]
    assert s[4] == ["sbrk(-4096); break is 0x%016x; free pages %d (1 returned to the storeroom)"
                    % (brk, free0)], "step 4 should give the page back: %r" % s[4]


def test_child_touching_released_page_is_killed_and_parent_goes_on(runs):
    out = runs[0]
    s = steps(out)
    m = re.search(r"^pid (\d+) \(sbrkdemo\): store page fault at va (%s) "
                  r"\(beyond the end of its memory\).*: killed$" % HEX, out, re.M)
    assert m, "the kernel did not print a kill line for the child:\n%s" % out
    brk = int(re.match(r"break is (%s)" % HEX, s[1][0]).group(1), 16)
    assert int(m.group(2), 16) == brk, "the child faulted at %s, not the released page" % m.group(2)
    assert "child %s exited with status -1 (killed by the kernel: the page is gone)" % m.group(1) \
        in s[5], "the parent should see the child's status -1: %r" % s[5]
    assert not any("NOT" in l for l in sum(s.values(), [])), "a step reported a failure:\n%s" % out
    assert out.rstrip().endswith("sbrkdemo: done"), "the parent did not finish:\n%s" % out
    assert runs[2] == "still-here", "the shell stopped answering after sbrkdemo: %r" % runs[2]


def test_lazy_step_takes_a_page_only_when_touched(runs):
    s = steps(runs[0])
    assert len(s[6]) == 2 and s[6][0].endswith("(0 taken)"), \
        "sbrklazy should take no page: %r" % s[6]
    assert s[6][1].endswith("(1 taken by the page fault)") and "read back 'L'" in s[6][1], \
        "the first touch should take one page: %r" % s[6]
    assert "as at step 1" in s[7][0] and "NOT" not in s[7][0], \
        "step 7 should find break and free pages as at step 1: %r" % s[7]


def test_second_run_prints_the_same(runs):
    # Only the child's pid may differ between runs.
    norm = lambda out: re.sub(r"(pid|child) \d+", r"\1 N", out)  # noqa: E731
    assert norm(runs[0]) == norm(runs[1]), \
        "a second run differs from the first:\n%s\n---\n%s" % (runs[0], runs[1])
