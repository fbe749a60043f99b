"""Bad input from user programs: the kernel must refuse it, not crash.

test_fuzz_* runs user/fuzz.c, a system-call fuzzer: several processes
issuing random calls with hostile arguments for FUZZ_SECONDS (default 25)
seconds.  The kernel must not panic, must answer the way the system-call
contract says (the fuzzer checks and prints "fuzz: FAIL: ..." otherwise),
must give back every physical page ("fuzz: OK"), must still run the
shell afterwards, and must leave a clean file system behind.  The seed is
printed and named in every failure message; SEED=N replays it.

The other tests are bad inputs the fuzzer found (or might), made into
fixed reproductions.
"""
import os
import random

import pytest

from conftest import Machine, run_fsck

SEED = int(os.environ.get("SEED") or random.SystemRandom().randrange(10**9))
FUZZ_SECONDS = int(os.environ.get("FUZZ_SECONDS", "25"))


def halt_and_fsck(m, image, what):
    assert m.halt() == 0, "%s: QEMU did not exit 0 on halt" % what
    code, out = run_fsck(image)
    assert code == 0, "%s: the file system is not clean afterwards:\n%s" % (what, out)


@pytest.mark.slow
def test_fuzz_no_panic_no_leak_clean_fs(image_copy):
    what = "fuzz seed %d (replay: SEED=%d)" % (SEED, SEED)
    print(what)
    m = Machine(image_copy, timeout=FUZZ_SECONDS + 180)
    try:
        m.boot()
        out = m.run("fuzz %d %d 4" % (FUZZ_SECONDS, SEED), FUZZ_SECONDS + 180, what)
        summary = [l for l in out.splitlines() if l.startswith("fuzz:")]
        print("\n".join(summary))
        assert "fuzz: FAIL" not in out, "%s: a check failed:\n%s" % (
            what, "\n".join(l for l in out.splitlines() if "FAIL" in l))
        assert "fuzz: OK" in summary, "%s: no 'fuzz: OK':\n%s" % (what, "\n".join(summary) or out[-3000:])
        assert m.run("echo alive", 30, what) == "alive", \
            "%s: the shell does not answer after the fuzzer" % what
        halt_and_fsck(m, image_copy, what)
    finally:
        m.kill()


def test_kill_of_init_does_not_panic(machine):
    """kill(1) from an ordinary program must not bring the machine down
    (init exiting is a panic)."""
    out = machine.run("kill 1", 10, "kill 1")
    assert machine.run("echo alive", 10, "after kill 1") == "alive", \
        "the shell does not answer after `kill 1`: %r" % out
    assert machine.run("echo still", 10, "after kill 1") == "still"


def test_nothing_created_in_a_removed_directory(machine, image_copy):
    """A file created in a working directory that has been removed would
    be lost (allocated but unreachable) when the directory goes."""
    what = "create in a removed cwd"
    for cmd in ["mkdir gone", "cd gone", "rm ../gone"]:
        machine.run(cmd, 10, what)
    machine.run("echo lost > f", 10, what)
    machine.run("mkdir sub", 10, what)
    machine.run("cd /", 10, what)
    halt_and_fsck(machine, image_copy, what)


def test_dotdot_of_a_removed_directory_does_not_panic(machine, image_copy):
    """cd .. from a removed directory whose parent was removed too must
    fail, not follow the stale '..' to a freed inode."""
    what = "cd .. out of removed directories"
    for cmd in ["mkdir pa", "mkdir pa/pb", "cd pa/pb", "rm ../pb", "rm ../../pa"]:
        machine.run(cmd, 10, what)
    machine.run("cd ..", 10, what)
    machine.run("ls ..", 10, what)
    machine.run("cd /", 10, what)
    assert machine.run("echo alive", 10, what) == "alive"
    halt_and_fsck(machine, image_copy, what)
