"""`usertests NAME` with the test names of xv6's own usertests.

Lab handouts and MIT's grade scripts run single tests that way
(`usertests forkforkfork`) and look for `test NAME: OK`.  The names below
are those of xv6-riscv's usertests, 2022 to 2025 editions; each must be
accepted here and pass.

One boot runs `usertests NAME` once for every quick name, each as its
own command at the shell, as a grader would; every name is then a pytest
case of its own.  The slow names (the tests xv6 itself runs only without
-q) get a second boot, marked slow, after which the image must pass
fsck (badwrite is about blocks lost on the disk).
"""
import os
import shutil
import tempfile

import pexpect
import pytest

from conftest import FS_IMG, Machine, run_fsck, usertest_verdict

# xv6's quick tests, in the order of its table (2025) but for lazy_*,
# which come last, with the names only older editions have (textwrite)
# and those only newer ones have (killzero, nowrite, lazy_*,
# partial_write, unlinkcwd).
XV6_QUICK = """
copyin copyout copyinstr1 copyinstr2 copyinstr3 rwsbrk truncate1 truncate2
truncate3 openiput exitiput iput opentest writetest writebig createtest
dirtest exectest pipe1 killstatus killzero preempt exitwait reparent
twochildren forkfork forkforkfork reparent2 mem sharedfd fourfiles
createdelete unlinkread linktest concreate linkunlink subdir bigwrite
bigfile fourteen rmdot dirfile iref forktest sbrkbasic sbrkmuch kernmem
MAXVAplus sbrkfail sbrkarg validatetest bsstest bigargtest argptest
stacktest textwrite nowrite pgbug sbrkbugs sbrklast sbrk8000 badarg
partial_write unlinkcwd
""".split()
# lab lazy: begin
# The lazy ones need lazy heap growth (the lazy lab's work).
XV6_QUICK += "lazy_alloc lazy_unmap lazy_copy lazy_copyinstr lazy_sbrk".split()
# lab lazy: end
# xv6's slow tests (run by `usertests` without -q).
XV6_SLOW = "bigdir manywrites badwrite execout diskfull outofinodes".split()

# Ours is slow where xv6's is not: writebig runs our file-maxfile, which
# fills a file to MAXFILE blocks.  It runs with the slow ones.
OURS_SLOW = ["writebig"]

QUICK_NAMES = [n for n in XV6_QUICK if n not in OURS_SLOW]
SLOW_NAMES = OURS_SLOW + XV6_SLOW

SLOW_TIMEOUT = 900    # seconds for one slow test, on a loaded host


def run_each(names, timeout, fsck=False):
    """Boot once on a private image; run `usertests -l xv6` and then
    `usertests NAME` for each name.  Returns a dict: the listing, each
    name's output, the first error (a hang, a panic) if any, and fsck's
    result on the image after a halt when asked."""
    workdir = tempfile.mkdtemp(prefix="usertests-xv6-")
    image = os.path.join(workdir, "fs.img")
    shutil.copyfile(FS_IMG, image)
    result = {"listing": "", "outputs": {}, "error": None, "fsck": None}
    m = Machine(image)
    try:
        m.boot()
        result["listing"] = m.run("usertests -l xv6", timeout=60)
        for name in names:
            result["outputs"][name] = m.run("usertests " + name, timeout=timeout,
                                            what="usertests " + name)
        if fsck:
            m.halt()
    except (pexpect.ExceptionPexpect, AssertionError) as e:
        result["error"] = str(e)
    finally:
        m.kill()
    if fsck and result["error"] is None:
        result["fsck"] = run_fsck(image)
    shutil.rmtree(workdir, ignore_errors=True)
    return result


@pytest.fixture(scope="module")
def quick_runs():
    return run_each(QUICK_NAMES, timeout=300)


@pytest.fixture(scope="module")
def slow_runs():
    return run_each(SLOW_NAMES, timeout=SLOW_TIMEOUT, fsck=True)


def check_one(runs, name):
    out = runs["outputs"].get(name)
    if out is None:
        pytest.fail("usertests %s did not run: an earlier command failed:\n%s" %
                    (name, (runs["error"] or "")[-3000:]))
    lines = [l.strip() for l in out.replace("\r", "").split("\n")]
    verdict, _ = usertest_verdict(lines, name)
    assert verdict == "OK", \
        "`usertests %s` did not print \"test %s: \" and then OK:\n%s" % (name, name, out[-3000:])
    assert lines[-1] == "ALL TESTS PASSED", \
        "`usertests %s` did not end with ALL TESTS PASSED:\n%s" % (name, out[-3000:])
    assert "usertests: 1 tests" in lines, \
        "`usertests %s` ran more or fewer than one test:\n%s" % (name, out[-3000:])


def test_every_xv6_name_is_listed(quick_runs):
    """`usertests -l xv6` lists each of xv6's names once, as quick or
    slow as the table says, and nothing else."""
    listed = {}
    for line in quick_runs["listing"].replace("\r", "").split("\n"):
        f = line.split()
        if len(f) == 3 and f[1] == "xv6":
            assert f[0] not in listed, "%s is listed twice" % f[0]
            listed[f[0]] = f[2]
    assert sorted(listed) == sorted(XV6_QUICK + XV6_SLOW), \
        "xv6 names missing: %s; names that are not xv6's: %s" % (
            sorted(set(XV6_QUICK + XV6_SLOW) - set(listed)),
            sorted(set(listed) - set(XV6_QUICK + XV6_SLOW)))
    for name in SLOW_NAMES:
        assert listed[name] == "slow", "%s should be a slow test" % name
    for name in QUICK_NAMES:
        assert listed[name] == "quick", "%s should be a quick test" % name


@pytest.mark.parametrize("name", QUICK_NAMES)
def test_xv6_name_quick(quick_runs, name):
    check_one(quick_runs, name)


def test_unknown_name_is_refused(machine):
    out = machine.run("usertests nosuchtest")
    assert "no test or group named nosuchtest" in out and "ALL TESTS PASSED" not in out, \
        "usertests accepted a name no test has:\n%s" % out


@pytest.mark.slow
@pytest.mark.parametrize("name", SLOW_NAMES)
def test_xv6_name_slow(slow_runs, name):
    check_one(slow_runs, name)


@pytest.mark.slow
def test_fsck_clean_after_slow_xv6_tests(slow_runs):
    assert slow_runs["fsck"] is not None, \
        "no fsck: the run did not finish:\n%s" % (slow_runs["error"] or "")[-3000:]
    code, out = slow_runs["fsck"]
    assert code == 0, "fsck reports a damaged file system after the slow xv6 tests:\n%s" % out
