"""The file system as the shell sees it, and what it leaves on the disk.

Each test boots the kernel on a private copy of fs.img (conftest's
`image_copy`), works through the shell with the programs in user/, and
then looks at the image itself: with mkfs/fsck (it must be clean) and
with tests/fsimage.py (the files must hold what was written).  Some tests
prepare the image first -- a committed log, an orphan inode -- to check
what the kernel does with it at boot; some cut the power (kill QEMU) in
the middle of work to check that the log keeps the disk consistent.
"""
import random
import time

import pytest

from conftest import Machine, run_fsck
from fsimage import Image, BSIZE, NDIRECT, ROOTINO, T_FILE

BOOT_TIMEOUT = 60


def lines(out):
    """Output lines with trailing blanks (and \\r) removed."""
    return [l.rstrip() for l in out.replace("\r", "").splitlines()]


def boot(image):
    return Machine(image).boot(BOOT_TIMEOUT)


def halt(m):
    """Power off through the shell and wait for QEMU to exit."""
    try:
        m.halt()
    finally:
        m.kill()


def power_cut(m):
    """Stop QEMU at once, as if the power went: no clean shutdown."""
    m.kill()


def assert_clean(image, when):
    rc, out = run_fsck(image)
    assert rc == 0, "fsck found problems %s:\n%s" % (when, out)


def path_inum(img, path):
    """Follow an absolute path in the image; KeyError if it is missing."""
    inum = ROOTINO
    for part in [p for p in path.split("/") if p]:
        inum = img.lookup(inum, part)
    return inum


def exists(img, path):
    try:
        path_inum(img, path)
        return True
    except KeyError:
        return False


def orphans(img):
    """Inodes allocated on disk with no links."""
    out = []
    for inum in range(1, img.superblock()["ninodes"]):
        ino = img.inode(inum)
        if ino.type != 0 and ino.nlink == 0:
            out.append(inum)
    return out


def log_header(img):
    """(n, block numbers) of the on-disk log header."""
    raw = img.block(img.superblock()["logstart"])
    n = int.from_bytes(raw[0:4], "little", signed=True)
    blocks = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "little")
              for i in range(max(n, 0))]
    return n, blocks


def test_fresh_image_is_clean():
    """The image every other test copies passes fsck to begin with."""
    from conftest import FS_IMG
    assert_clean(FS_IMG, "in the tree's fs.img before any test")


def test_shell_session_leaves_tree_and_link_counts_right(image_copy):
    """mkdir, echo >, ln, rm (files and empty directories), refused rm of
    a full directory, then halt: fsck is clean, and the tree and the link
    counts on the disk are what the commands made."""
    m = boot(image_copy)
    try:
        for cmd in ["mkdir a", "mkdir a/b", "mkdir a/b/c", "mkdir a/gone",
                    "echo first file > a/f", "echo second > a/b/g",
                    "ln a/f a/b/f2", "ln a/f a/b/c/f3",
                    "echo overwritten > a/b/g", "rm a/gone",
                    "echo temp > tmpfile", "rm tmpfile"]:
            m.run(cmd)
        out = m.run("rm a/b")
        assert "cannot remove" in out, \
            "rm of the non-empty directory a/b did not fail: %r" % out
        out = m.run("ln a a/dirlink")
        assert "cannot link" in out, "ln of a directory did not fail: %r" % out
        out = m.run("mkdir a/b")
        assert "cannot create" in out, \
            "mkdir of an existing name did not fail: %r" % out
        assert lines(m.run("cat a/b/c/f3")) == ["first file"], \
            "a hard link does not show the file's data"
        m.run("rm a/f")
        assert lines(m.run("cat a/b/f2")) == ["first file"], \
            "removing one name of a file lost its data under another name"
        assert lines(m.run("cat a/b/g")) == ["overwritten"], \
            "echo > did not replace the file's contents"
    finally:
        halt(m)

    assert_clean(image_copy, "after the shell session")
    img = Image(image_copy)
    assert not exists(img, "/a/f"), "/a/f still has a directory entry after rm"
    assert not exists(img, "/a/gone"), "the empty directory /a/gone survived rm"
    assert not exists(img, "/tmpfile"), "/tmpfile survived rm"
    assert not exists(img, "/a/dirlink"), "ln made a link to a directory"
    a, b, c = (path_inum(img, p) for p in ("/a", "/a/b", "/a/b/c"))
    f2 = path_inum(img, "/a/b/f2")
    assert path_inum(img, "/a/b/c/f3") == f2, "f2 and f3 are not one inode"
    assert img.inode(f2).nlink == 2, \
        "a file with two names has nlink %d" % img.inode(f2).nlink
    # xv6's rule: 1 for the name in the parent, 1 per subdirectory's '..'.
    assert img.inode(a).nlink == 2, "/a (one subdirectory) has nlink %d" % img.inode(a).nlink
    assert img.inode(b).nlink == 2, "/a/b (one subdirectory) has nlink %d" % img.inode(b).nlink
    assert img.inode(c).nlink == 1, "/a/b/c (no subdirectory) has nlink %d" % img.inode(c).nlink
    assert img.read_file(path_inum(img, "/a/b/g")) == b"overwritten\n", \
        "/a/b/g on disk does not hold what was last written"


@pytest.mark.slow
def test_data_persists_across_reboot(image_copy):
    """Files and directories written in one boot are there, intact, in the
    next boot of the same image."""
    m = boot(image_copy)
    try:
        m.run("mkdir keep")
        m.run("echo persistent data > keep/note")
        m.run("echo top level > top")
    finally:
        halt(m)
    assert_clean(image_copy, "after the first boot")

    m = boot(image_copy)
    try:
        assert lines(m.run("cat keep/note")) == ["persistent data"], \
            "keep/note lost its contents across a reboot"
        assert lines(m.run("cat top")) == ["top level"], \
            "top lost its contents across a reboot"
        names = [l.split()[0] for l in lines(m.run("ls keep")) if l.split()]
        assert "note" in names, "ls keep after reboot does not list note: %r" % names
        m.run("rm keep/note")
        m.run("rm keep")
    finally:
        halt(m)
    assert_clean(image_copy, "after removing the files in a second boot")
    assert not exists(Image(image_copy), "/keep"), "rm keep did not last"


@pytest.mark.slow
def test_big_file_uses_the_indirect_block(image_copy):
    """A file of more than NDIRECT blocks, built with cat and redirection,
    has an indirect block and reads back byte for byte, through cat, wc
    and a pipe (which it overfills many times over)."""
    readme = Image(image_copy).read_file(path_inum(Image(image_copy), "/README"))
    assert readme, "README is empty in the image"

    # Each round makes a file of 8 copies of the previous one.
    m = boot(image_copy)
    try:
        name, content = "README", readme
        level = 0
        while len(content) <= (NDIRECT + 4) * BSIZE:
            level += 1
            new = "big%d" % level
            m.run("cat %s > %s" % (" ".join([name] * 8), new))
            name, content = new, content * 8
        expect = "%d %d %d %s" % (content.count(b"\n"), len(content.split()),
                                  len(content), name)
        assert lines(m.run("wc " + name)) == [expect], \
            "wc %s disagrees with the %d bytes written" % (name, len(content))
        piped = lines(m.run("cat %s | wc" % name))
        assert piped == [expect.rsplit(" ", 1)[0]], \
            "cat %s | wc gives %r, want %r" % (name, piped, expect)
    finally:
        halt(m)

    assert_clean(image_copy, "after writing %s" % name)
    img = Image(image_copy)
    ino = img.inode(path_inum(img, "/" + name))
    assert ino.size == len(content), "%s has size %d on disk, want %d" % (
        name, ino.size, len(content))
    assert ino.addrs[NDIRECT] != 0, "%s (%d blocks) has no indirect block" % (
        name, (len(content) + BSIZE - 1) // BSIZE)
    assert img.read_file(path_inum(img, "/" + name)) == content, \
        "%s on disk does not hold the bytes written" % name


def test_committed_log_is_replayed_at_boot(image_copy):
    """A transaction committed in the log but not installed (the power
    went right after the commit point) is installed at boot: README's
    first block takes the logged contents, and the header is cleared."""
    img = Image(image_copy)
    sb = img.superblock()
    readme = img.inode(path_inum(img, "/README"))
    home = readme.addrs[0]
    logged = b"replayed from the log\n"
    logged += b"#" * (BSIZE - len(logged))
    img.write_block(sb["logstart"] + 1, logged)
    header = (1).to_bytes(4, "little") + home.to_bytes(4, "little")
    img.write_block(sb["logstart"], header + bytes(BSIZE - len(header)))
    img.save()

    m = boot(image_copy)
    try:
        out = lines(m.run("cat README"))
        assert "replayed from the log" in out, \
            "README after boot starts %r: the log was not replayed" % out[:3]
    finally:
        halt(m)

    img = Image(image_copy)
    assert img.block(home) == logged, "block %d on disk lacks the logged data" % home
    n, _ = log_header(img)
    assert n == 0, "the log header still says n = %d after recovery" % n
    assert_clean(image_copy, "after log recovery")


def test_orphan_inode_is_freed_at_boot(image_copy):
    """An allocated inode with nlink 0 (a file that was unlinked while
    open when the power went) is freed at boot with its blocks."""
    img = Image(image_copy)
    inum = img.alloc_inode(T_FILE)
    img.append(inum, b"orphaned data\n" * 150)     # 2100 bytes: 3 blocks
    blocks = img.file_blocks(img.inode(inum))
    img.update_inode(inum, nlink=0)
    img.save()
    rc, _ = run_fsck(image_copy)
    assert rc != 0, "fsck does not notice the orphan: the test proves nothing"

    m = boot(image_copy)
    try:
        m.run("echo booted")
        booted = m.output()
    finally:
        halt(m)

    assert "freeing inode %d" % inum in booted, \
        "the kernel did not report freeing orphan inode %d:\n%s" % (inum, booted)
    # init may have reused the inode (for console) since: check it is not
    # an orphan any more, and that fsck finds every block accounted for.
    img = Image(image_copy)
    assert orphans(img) == [], "orphans %s still allocated after boot" % orphans(img)
    owned = set()
    for i in range(1, img.superblock()["ninodes"]):
        if img.inode(i).type != 0:
            owned.update(img.file_blocks(img.inode(i)))
    still = [b for b in blocks if img.bit(b) and b not in owned]
    assert not still, "blocks %s of the orphan still marked in use" % still
    assert_clean(image_copy, "after the orphan was reclaimed")


@pytest.mark.slow
def test_file_unlinked_while_open_survives_power_cut(image_copy):
    """`(rm victim; cat) > victim` keeps victim open, unlinked, while cat
    waits for input; cutting the power then leaves an orphan on disk,
    which the next boot frees."""
    m = boot(image_copy)
    try:
        m.run("echo some data > victim")
        m.child.sendline("(rm victim; cat) > victim")
        deadline = time.time() + 20
        found = []
        while time.time() < deadline:
            img = Image(image_copy)
            found = orphans(img)
            if found and not exists(img, "/victim"):
                break
            time.sleep(0.2)
        assert found, "no unlinked-but-open inode appeared on the disk"
    finally:
        power_cut(m)

    m = boot(image_copy)
    try:
        m.run("echo rebooted")
    finally:
        halt(m)
    img = Image(image_copy)
    left = orphans(img)
    assert left == [], "inodes %s still allocated with nlink 0 after reboot" % left
    assert_clean(image_copy, "after reclaiming the unlinked-open file")


@pytest.mark.slow
def test_concurrent_writers_leave_clean_image(image_copy):
    """stressfs (four processes writing, checking and removing files at
    once: several disk requests in flight, group commits) succeeds, and
    the image is clean afterwards."""
    m = boot(image_copy)
    try:
        out = m.run("stressfs", timeout=180)
        assert "FAIL" not in out, "stressfs reported a failure:\n%s" % out
    finally:
        halt(m)
    assert_clean(image_copy, "after stressfs")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.1, 0.4, 0.7, 1.0, 1.3, 1.6])
def test_power_cut_during_writes_leaves_consistent_fs(image_copy, delay):
    """Cut the power while stressfs runs over and over (about 2 s of
    commits); after the next boot (which replays a committed log or
    discards an uncommitted one) the image is clean, no orphan is left,
    and a file written before the cut is intact."""
    m = boot(image_copy)
    try:
        m.run("echo safe and sound > before")
        m.child.sendline("; ".join(["stressfs"] * 5))
        time.sleep(delay + random.random() * 0.1)
    finally:
        power_cut(m)

    m = boot(image_copy)
    try:
        assert lines(m.run("cat before")) == ["safe and sound"], \
            "a file written before the power cut was damaged"
    finally:
        halt(m)
    assert_clean(image_copy, "after a power cut %.1fs into the writes" % delay)
    assert orphans(Image(image_copy)) == [], "orphans left after the reboot"
