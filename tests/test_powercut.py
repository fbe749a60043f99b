"""Power cuts: the log must keep the file system whole whenever the power
goes.

Each round boots the kernel on a fresh copy of fs.img, starts file-system
work in the background (stressfs, big files written through shell
redirection, directories and links made and removed), and kills QEMU with
SIGKILL after a random delay, in the middle of whatever it was doing.
Then, on the host:

  1. the image, with the committed transaction in its log (if any)
     installed the way the kernel's recovery does it, must pass mkfs/fsck:
     no lost or doubly used block, an exact bitmap, every allocated inode
     reachable (but for files unlinked while open, which the kernel frees
     when it mounts the disk), right link counts;
  2. the kernel must boot on it (replaying the log itself), and the file
     system must work: a file written reads back, README is intact,
     programs still run, stressfs passes;
  3. after a clean halt, fsck must pass again.

The random choices come from one seed, printed at the start and named in
every failure message; SEED=N replays them (the moment of the cut still
depends on timing).  POWERCUT_ROUNDS sets the number of rounds (default 6).
"""
import os
import random
import re
import shutil
import signal
import struct
import time

import pexpect
import pytest

from conftest import FS_IMG, ROOT, Machine, run_fsck
from fsimage import BSIZE, Image

ROUNDS = int(os.environ.get("POWERCUT_ROUNDS", "6"))
SEED = int(os.environ.get("SEED") or random.SystemRandom().randrange(10**9))

# Background jobs, one shell line each; a round starts a random few.  Each
# keeps the disk busy for a few seconds, so that the cut, up to MAX_DELAY
# seconds in, usually lands in the middle of some transaction.
BIG = "cat usertests fuzz sh > %s"   # about 100-200 KiB, under MAXFILE
JOBS = [
    "(stressfs ; stressfs ; stressfs ; stressfs ; stressfs) &",
    "(" + " ; ".join([BIG % "big1", BIG % "big2", "rm big1", BIG % "big3", "rm big2",
                      BIG % "big1", "rm big3", BIG % "big2", "rm big1"]) + ") &",
    "(" + " ; ".join(["mkdir pcd%d ; echo one > pcd%d/a ; ln pcd%d/a pcd%d/b ; "
                      "mkdir pcd%d/sub ; cat README > pcd%d/sub/x ; rm pcd%d/a ; "
                      "rm pcd%d/sub/x ; rm pcd%d/sub" % ((i,) * 9) for i in range(3)]) + ") &",
    "(" + " ; ".join(["echo x > t%d ; cat README README README > u%d ; ln u%d v%d ; "
                      "rm t%d ; rm u%d" % ((i,) * 6) for i in range(5)]) + ") &",
    "usertests -q > ut.out &",
]
MAX_DELAY = 3.0
assert all(len(job) < 500 for job in JOBS), "sh takes lines of at most 511 characters"

# fsck's complaint about an orphan: a file unlinked while still open when
# the power went.  The kernel frees those when it mounts the disk, so they
# are allowed before the reboot (and only then).
ORPHAN = re.compile(r"inode \d+: allocated \(type \d+, nlink 0\) but unreachable")


def replay_log(path):
    """Install the committed transaction of the image's log, if there is
    one, as the kernel's recovery would; return how many blocks it had.
    Fails the test on a log header that no kernel could have written."""
    img = Image(path)
    sb = img.superblock()
    head = img.block(sb["logstart"])
    n = struct.unpack_from("<i", head, 0)[0]
    assert 0 <= n < sb["nlog"], \
        "log header holds an impossible count %d (seed %d)" % (n, SEED)
    homes = struct.unpack_from("<%di" % n, head, 4) if n else ()
    for i, home in enumerate(homes):
        assert sb["logstart"] + sb["nlog"] <= home < sb["size"], \
            "log header names block %d outside the data area (seed %d)" % (home, SEED)
        img.write_block(home, img.block(sb["logstart"] + 1 + i))
    img.write_block(sb["logstart"], bytes(BSIZE))
    img.save()
    return n


def power_cut(m):
    """Pull the plug: SIGKILL, so QEMU writes nothing more to the image."""
    os.kill(m.child.pid, signal.SIGKILL)
    try:
        m.child.expect(pexpect.EOF, timeout=10)
    except pexpect.TIMEOUT:
        pass
    m.child.close(force=True)


def one_round(tmp_path, rnd, number):
    image = str(tmp_path / ("round%d.img" % number))
    shutil.copyfile(FS_IMG, image)
    tag = "round %d, seed %d" % (number, SEED)

    m = Machine(image)
    try:
        m.boot()
        jobs = rnd.sample(JOBS, rnd.randint(2, len(JOBS)))
        for job in jobs:
            m.child.sendline(job)
        delay = rnd.uniform(0.05, MAX_DELAY)
        time.sleep(delay)
    finally:
        power_cut(m)

    # 1. The image as recovery leaves it must be clean.
    raw_code, raw_out = run_fsck(image)
    recovered = str(tmp_path / ("round%d-recovered.img" % number))
    shutil.copyfile(image, recovered)
    nlogged = replay_log(recovered)
    print("%s: cut after %.2f s of %s; %d blocks committed in the log"
          % (tag, delay, " / ".join(jobs), nlogged))
    code, out = run_fsck(recovered)
    real = [l for l in out.splitlines() if not ORPHAN.search(l) and not l.endswith("clean")
            and not re.search(r": \d+ problems?$", l)]
    assert code == 0 or not real, (
        "%s: after the power cut (%.2f s into %s) the file system with its "
        "log replayed (%d blocks) is not clean:\n%s" % (tag, delay, jobs, nlogged, out))
    if nlogged == 0:
        raw_real = [l for l in raw_out.splitlines() if not ORPHAN.search(l)
                    and not l.endswith("clean") and not re.search(r": \d+ problems?$", l)]
        assert raw_code == 0 or not raw_real, "%s: the image is not clean:\n%s" % (tag, raw_out)

    # 2. The kernel mounts it and it works.
    m = Machine(image)
    try:
        try:
            m.boot()
        except (pexpect.TIMEOUT, pexpect.EOF):
            pytest.fail("%s: no shell prompt after rebooting on the cut image:\n%s"
                        % (tag, m.child.before))
        boot_log = m.output()
        assert "panic" not in boot_log, "%s: panic at boot:\n%s" % (tag, boot_log)
        out = m.run("echo after the cut > pc_after", 30, "%s (seed %d)" % (tag, SEED))
        out = m.run("cat pc_after", 30, "%s (seed %d)" % (tag, SEED))
        assert out == "after the cut", \
            "%s: a file written after the reboot reads back as %r" % (tag, out)
        with open(os.path.join(ROOT, "user", "README"), "rb") as f:
            readme = f.read()
        out = m.run("wc README", 30, "%s (seed %d)" % (tag, SEED))
        assert out.split()[-2:] == [str(len(readme)), "README"], \
            "%s: README changed size or cannot be read: %r" % (tag, out)
        out = m.run("ls", 30, "%s (seed %d)" % (tag, SEED))
        names = [l.split()[0] for l in out.splitlines() if l.split()]
        for name in ("README", "pc_after", "sh", "ls"):
            assert name in names, "%s: ls after the reboot lacks %s:\n%s" % (tag, name, out)
        out = m.run("stressfs", 120, "%s (seed %d)" % (tag, SEED))
        assert "stressfs ok" in out, "%s: stressfs after the reboot: %s" % (tag, out)
        assert m.halt() == 0, "%s: QEMU did not exit 0 on halt" % tag
    finally:
        m.kill()

    # 3. Clean again after a clean shutdown.
    code, out = run_fsck(image)
    assert code == 0, "%s: not clean after reboot and halt:\n%s" % (tag, out)


@pytest.mark.slow
def test_power_cuts_leave_the_file_system_clean(tmp_path):
    print("power-cut seed %d (replay with SEED=%d), %d rounds" % (SEED, SEED, ROUNDS))
    rnd = random.Random(SEED)
    for number in range(ROUNDS):
        one_round(tmp_path, rnd, number)
