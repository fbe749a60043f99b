"""usertests, the user-level test suite (user/usertests.c), run in QEMU.

One boot runs the whole suite once (the module-scoped `suite` fixture);
then every test of usertests' table becomes a pytest case of its own,
passing when its line says `test NAME: OK`.  The names come from the
table in user/usertests.c, read at collection time, so a test added
there shows up here without editing this file.

Further cases check the closing lines (ALL TESTS PASSED, no free pages
lost) and that the file system image is clean (fsck) after the run and
a halt.
"""
import os
import re
import shutil

import pexpect
import pytest

from conftest import FS_IMG, ROOT, Machine, run_fsck, usertest_verdict

SOURCE = os.path.join(ROOT, "user", "usertests.c")
SUITE_TIMEOUT = 900   # seconds for the whole run; it takes well under a minute

# A table entry: { "name", "group", QUICK|SLOW|HEAP|NAMED, function },
ENTRY = re.compile(r'^\s*\{\s*"([a-z0-9-]+)",\s*"([a-z]+)",\s*(QUICK|SLOW|HEAP|NAMED),\s*\w+\s*\},',
                   re.MULTILINE)
# What the kernel prints when it kills a process.
KILL_LINE = re.compile(r"^pid \d+ \(.*\): .*killed$")


def table_entries():
    """(name, group, speed) for every test in usertests' table, tests[]
    (not xv6tests[], the tests run only by xv6's names: see
    test_usertests_xv6.py)."""
    with open(SOURCE) as f:
        text = f.read()
    start = text.index("} tests[] = {")
    return ENTRY.findall(text[start:text.index("};", start)])


# The tests a plain `usertests` runs: NAMED ones (in a lab's handout)
# run only when named.
TEST_NAMES = [name for name, _, kind in table_entries() if kind != "NAMED"]


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """Boot on a private image, run `usertests -l` and then `usertests`,
    halt, and fsck the image.  Returns what happened, as a dict."""
    image = str(tmp_path_factory.mktemp("usertests") / "fs.img")
    shutil.copyfile(FS_IMG, image)
    result = {"listing": "", "output": "", "error": None, "fsck": None}
    m = Machine(image)
    try:
        m.boot()
        result["listing"] = m.run("usertests -l", timeout=60)
        result["output"] = m.run("usertests", timeout=SUITE_TIMEOUT)
        m.halt()
    except (pexpect.ExceptionPexpect, AssertionError) as e:
        # A hang, a panic or a dead machine (Machine.run raises for those).
        result["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0])
        # Keep whatever the suite printed before it hung or the machine died.
        result["output"] += m.child.before or ""
    finally:
        m.kill()
    result["lines"] = [l.rstrip() for l in result["output"].replace("\r", "").split("\n")]
    if result["error"] is None:
        result["fsck"] = run_fsck(image)
    return result


def test_table_is_parsed():
    entries = table_entries()
    assert len(entries) >= 40, \
        "found only %d tests in the table of %s; has its format changed?" % (len(entries), SOURCE)
    assert len(set(TEST_NAMES)) == len(TEST_NAMES), "usertests' table repeats a name"
    groups = {g for _, g, _ in entries}
    for g in ("memory", "process", "file", "pipe", "sysarg", "protect"):
        assert g in groups, "usertests has no test in group %r" % g


# xv6 names a plain run includes after the table, because MIT's graders
# look for their lines (graded_names in usertests.c).
GRADED_NAMES = ["copyin", "copyout", "copyinstr1"]


def test_listing_matches_table(suite):
    listed = [l.split()[0] for l in suite["listing"].replace("\r", "").split("\n") if l.strip()]
    assert listed == TEST_NAMES + GRADED_NAMES, \
        "`usertests -l` lists %r, the table in usertests.c has %r, then %r" % (
            listed, TEST_NAMES, GRADED_NAMES)


@pytest.mark.parametrize("name", TEST_NAMES)
def test_usertest(suite, name):
    lines = suite["lines"]
    verdict, between = usertest_verdict(lines, name)
    if verdict is None:
        tail = "\n".join(lines[-15:])
        pytest.fail("usertests printed no verdict for %s (%s); its output ended with:\n%s" %
                    (name, suite["error"] or "the run finished", tail))
    if verdict != "OK":
        # The kernel's kill messages printed while the test ran.
        kills = [l for l in between if KILL_LINE.match(l)]
        pytest.fail("test %s: %s\nkernel kill messages during the test:\n%s" %
                    (name, verdict, "\n".join(kills) if kills else "(none)"))


def test_all_tests_passed_and_no_pages_lost(suite):
    lines = suite["lines"]
    assert suite["error"] is None, "usertests did not finish: %s" % suite["error"]
    free = [l for l in lines if l.startswith("free pages:")]
    assert free, "usertests printed no free-page check line"
    m = re.match(r"free pages: (\d+) before, (\d+) after: (\w+)", free[0])
    assert m and m.group(1) == m.group(2) and m.group(3) == "OK", \
        "free pages before and after the run differ: %r" % free[0]
    last = [l for l in lines if l.strip()][-1]
    assert last == "ALL TESTS PASSED", "usertests ended with %r" % last


def test_fsck_clean_after_usertests(suite):
    assert suite["fsck"] is not None, \
        "no fsck: the run did not finish (%s)" % suite["error"]
    code, out = suite["fsck"]
    assert code == 0, "fsck reports a damaged file system after usertests:\n%s" % out
