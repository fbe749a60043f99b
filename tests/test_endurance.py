"""Endurance: `usertests -q` three times in one boot (CPUS=3 unless the
CPUS variable says otherwise), with the count of free physical pages
identical before the first run and after each one.  A page that leaks
once per run, or a table entry that is never given back, shows up here
even when every single test passes.  ENDURANCE_RUNS sets the count.
"""
import os

import pytest

from conftest import Machine, free_pages, run_fsck

RUNS = int(os.environ.get("ENDURANCE_RUNS", "3"))
TIMEOUT = int(os.environ.get("ENDURANCE_TIMEOUT", "900"))   # seconds per run


@pytest.mark.slow
def test_usertests_repeatedly_without_leaking_pages(image_copy):
    m = Machine(image_copy, timeout=TIMEOUT)
    try:
        m.boot()
        names = m.run("ls", 30, "ls").split()
        if "usertests" not in names:
            pytest.skip("no usertests program in the image")
        before = free_pages(m, "before the first run")
        counts = []
        for run in range(1, RUNS + 1):
            what = "usertests -q, run %d of %d" % (run, RUNS)
            out = m.run("usertests -q", TIMEOUT, what)
            last = [l for l in out.splitlines() if l.strip()][-1:]
            assert last == ["ALL TESTS PASSED"], "%s did not pass:\n%s" % (
                what, "\n".join(l for l in out.splitlines() if "FAIL" in l) or out[-3000:])
            counts.append(free_pages(m, "after " + what))
            assert counts[-1] == before, (
                "free pages changed: %d before the first run, then %s after "
                "each run (%d pages lost in all)" % (before, counts, before - counts[-1]))
        print("free pages: %d before, %s after each run" % (before, counts))
        assert m.halt() == 0, "QEMU did not exit 0 on halt"
    finally:
        m.kill()
    code, out = run_fsck(image_copy)
    assert code == 0, "the file system is not clean after %d usertests runs:\n%s" % (RUNS, out)
