"""The in-kernel tests (kernel/ktest*.c), one pytest case each.

The test kernel is booted once per session; each KTEST(name) found in the
sources becomes a case that passes when the kernel printed
`ktest: PASS name`.  A test that never ran (the kernel panicked or hung
before it) fails with the tail of the kernel's output.
"""
import glob
import os
import re
import subprocess

import pytest

from conftest import ROOT, KERNEL_KTEST, FS_IMG, qemu_command

SOURCES = sorted(glob.glob(os.path.join(ROOT, "kernel", "ktest*.c")))
NAMES = [m for f in SOURCES
         for m in re.findall(r"^KTEST\((\w+)\)", open(f).read(), re.M)]


@pytest.fixture(scope="session")
def ktest_run():
    cmd = qemu_command(KERNEL_KTEST, FS_IMG)
    # snapshot=on: the tests may write to the disk; keep fs.img as it is.
    i = cmd.index("-drive") + 1
    cmd[i] += ",snapshot=on"
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=300)
        out = r.stdout.decode("utf-8", "replace")
        return r.returncode, out
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return None, out


def test_ktest_sources_define_at_least_15_tests():
    assert len(NAMES) >= 15, "only %d KTESTs found in %s" % (len(NAMES), SOURCES)
    assert len(set(NAMES)) == len(NAMES), "two KTESTs share a name"


@pytest.mark.parametrize("name", NAMES)
def test_kernel(ktest_run, name):
    status, out = ktest_run
    lines = out.replace("\r", "").split("\n")
    if ("ktest: PASS %s" % name) in lines:
        return
    detail = [l for l in lines if l.startswith("ktest:   ")]
    if ("ktest: FAIL %s" % name) in lines:
        # The check lines printed just before this FAIL line.
        idx = lines.index("ktest: FAIL %s" % name)
        before = []
        for l in reversed(lines[:idx]):
            if not l.startswith("ktest:   "):
                break
            before.insert(0, l)
        pytest.fail("kernel test %s failed:\n%s" % (name, "\n".join(before)))
    pytest.fail("kernel test %s never reported (status %s); last output:\n%s"
                % (name, status, "\n".join(lines[-25:])))


def test_ktest_summary_and_exit_status(ktest_run):
    status, out = ktest_run
    m = re.search(r"ktest: (\d+) passed, (\d+) failed", out)
    assert m, "no closing count from the test kernel:\n" + out[-2000:]
    assert int(m.group(1)) == len(NAMES), \
        "kernel ran %s tests, sources define %d" % (m.group(1), len(NAMES))
    assert status == (1 if int(m.group(2)) else 0), \
        "QEMU exit status %s does not match %s failures" % (status, m.group(2))
