"""mkfs/mkfs: the images it builds, byte for byte where xv6 fixes them,
and its refusal of bad input without leaving a broken image behind."""
import os
import subprocess

import pytest

import fsimage
from fsimage import (BSIZE, DIRSIZ, FSMAGIC, MAXFILE, NDIRECT, ROOTINO,
                     T_DIR, T_FILE, Image)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MKFS = os.path.join(ROOT, "mkfs", "mkfs")
FSCK = os.path.join(ROOT, "mkfs", "fsck")

# The geometry xv6's mkfs picks for param.h's values.
FSSIZE = 2000
LOGSIZE = 30
NINODES = 200
NBITMAP = FSSIZE // (BSIZE * 8) + 1
NINODEBLOCKS = NINODES // (BSIZE // 64) + 1
NMETA = 2 + LOGSIZE + NINODEBLOCKS + NBITMAP


@pytest.fixture(scope="session", autouse=True)
def tools():
    fsimage.build_tools(ROOT)


def mkfs(*args):
    return subprocess.run([MKFS] + [str(a) for a in args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def pattern(n, seed):
    """n bytes that differ from block to block, so a misplaced block shows."""
    return bytes((i * 7 + i // BSIZE * 13 + seed) % 251 for i in range(n))


@pytest.fixture
def files(tmp_path):
    """A few host files, in the order they are given to mkfs, with the
    names they should get in the image."""
    src = tmp_path / "src"
    return [
        (write(src / "user" / "_cat", pattern(3000, 1)), "cat"),
        (write(src / "user" / "README", b"read me\n"), "README"),
        (write(src / "empty", b""), "empty"),
        # 101 blocks: 12 direct, the rest through the indirect block.
        (write(src / "_big", pattern(100 * BSIZE + 37, 2)), "big"),
        (write(src / ("_" + "n" * DIRSIZ), b"fourteen\n"), "n" * DIRSIZ),
        (write(src / "tail", pattern(2 * BSIZE, 3)), "tail"),
    ]


@pytest.fixture
def built(tmp_path, files):
    img = tmp_path / "fs.img"
    r = mkfs(img, *(p for p, _ in files))
    assert r.returncode == 0, "mkfs failed: " + r.stderr
    return Image(img)


def test_image_is_fssize_blocks(built):
    assert len(built.data) == FSSIZE * BSIZE, "image is not FSSIZE blocks"


def test_superblock_has_xv6_geometry(built):
    sb = built.superblock()
    assert NMETA == 46  # the figure xv6 documents for these parameters
    want = dict(magic=FSMAGIC, size=FSSIZE, nblocks=FSSIZE - NMETA,
                ninodes=NINODES, nlog=LOGSIZE, logstart=2,
                inodestart=2 + LOGSIZE,
                bmapstart=2 + LOGSIZE + NINODEBLOCKS)
    assert sb == want, "superblock differs from xv6's layout"


def test_boot_block_and_log_are_zero(built):
    for b in [0] + list(range(2, 2 + LOGSIZE)):
        assert built.block(b) == bytes(BSIZE), "block %d not zero" % b


def test_root_directory(built, files):
    root = built.inode(ROOTINO)
    assert root.type == T_DIR, "inode 1 is not a directory"
    assert root.nlink == 1, "root nlink should be 1 as xv6's mkfs makes it"
    assert root.size == BSIZE, "root size not rounded up to a whole block"
    assert root.addrs[0] == NMETA, "root's block is not the first data block"
    ents = [e for e in built.dirents(ROOTINO) if e[0] != 0]
    want = [(1, "."), (1, "..")] + [(i + 2, name)
                                    for i, (_, name) in enumerate(files)]
    assert ents == want, "root entries wrong or out of order"
    assert len(built.dirents(ROOTINO)) == BSIZE // 16


def test_file_inodes_and_contents(built, files):
    for i, (path, name) in enumerate(files):
        inum = built.lookup(ROOTINO, name)
        assert inum == i + 2, "%s got inode %d" % (name, inum)
        ino = built.inode(inum)
        assert (ino.type, ino.nlink, ino.major, ino.minor) == (T_FILE, 1, 0, 0)
        data = path.read_bytes()
        assert ino.size == len(data), "%s: size wrong" % name
        assert built.read_file(inum) == data, "%s: content wrong" % name


def test_big_file_uses_indirect_block(built):
    ino = built.inode(built.lookup(ROOTINO, "big"))
    assert ino.addrs[NDIRECT] != 0, "big file has no indirect block"
    assert all(built.indirect(ino)[:101 - NDIRECT]), "indirect slots missing"
    assert not any(built.indirect(ino)[101 - NDIRECT:]), "extra indirect slots"


def test_blocks_allocated_in_xv6_order(built, files):
    """xv6's mkfs hands out data blocks in sequence: the root's block,
    then each file's blocks as it is appended, the indirect block at the
    moment the 13th block is needed."""
    nxt = NMETA + 1
    for i, (path, name) in enumerate(files):
        ino = built.inode(i + 2)
        nblocks = (path.stat().st_size + BSIZE - 1) // BSIZE
        direct, indirect, slots = [], 0, []
        for fbn in range(nblocks):
            if fbn < NDIRECT:
                direct.append(nxt)
            else:
                if fbn == NDIRECT:
                    indirect = nxt
                    nxt += 1
                slots.append(nxt)
            nxt += 1
        direct += [0] * (NDIRECT - len(direct))
        assert ino.addrs == direct + [indirect], "%s: direct blocks" % name
        assert built.indirect(ino)[:len(slots)] == slots, "%s: indirect" % name


def test_bitmap_marks_exactly_the_used_prefix(built, files):
    used = max(max(built.inode(i + 2).addrs + built.indirect(built.inode(i + 2)))
               for i in range(len(files))) + 1
    for b in range(FSSIZE):
        assert built.bit(b) == (b < used), "bitmap bit %d wrong" % b


def test_built_image_passes_fsck(built):
    r = subprocess.run([FSCK, built.path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, "fsck rejects a fresh image:\n" + r.stdout


def test_only_file_argument_gives_empty_root(tmp_path):
    img = tmp_path / "fs.img"
    r = mkfs(img)
    assert r.returncode == 0, r.stderr
    ents = [e for e in Image(img).dirents(ROOTINO) if e[0] != 0]
    assert ents == [(1, "."), (1, "..")]


def test_largest_file_fits(tmp_path):
    data = pattern(MAXFILE * BSIZE, 4)
    img = tmp_path / "fs.img"
    r = mkfs(img, write(tmp_path / "max", data))
    assert r.returncode == 0, "a MAXFILE-block file was refused: " + r.stderr
    assert Image(img).read_file(2) == data


def test_most_files_that_fit(tmp_path):
    """Inodes 2..NINODES-1 are free for files: 198 of them."""
    paths = [write(tmp_path / "src" / ("f%d" % i), b"x")
             for i in range(NINODES - 2)]
    img = tmp_path / "fs.img"
    r = mkfs(img, *paths)
    assert r.returncode == 0, "198 files should fit: " + r.stderr


def test_replaces_existing_image(tmp_path, files):
    img = tmp_path / "fs.img"
    img.write_bytes(b"old")
    r = mkfs(img, files[0][0])
    assert r.returncode == 0, r.stderr
    assert len(img.read_bytes()) == FSSIZE * BSIZE, "old image not replaced"


# ---- bad input ----

def assert_refused(r, tmp_path, *words, old=None):
    """mkfs failed with one line containing every word, and left no image
    (or the old one, untouched) and no temporary file."""
    assert r.returncode != 0, "mkfs should have failed"
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, "want a one-line error, got: %r" % r.stderr
    for w in words:
        assert w in lines[0], "error %r does not mention %r" % (lines[0], w)
    left = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    if old is None:
        assert left == [], "files left behind: %s" % left
    else:
        assert left == ["fs.img"], "files left behind: %s" % left
        assert (tmp_path / "fs.img").read_bytes() == old, "old image changed"


@pytest.fixture
def src(tmp_path):
    d = tmp_path / "src"
    d.mkdir()
    return d


def test_no_arguments_prints_usage(tmp_path):
    r = mkfs()
    assert_refused(r, tmp_path, "usage:", "fs.img FILE...")


def test_missing_file(tmp_path, src):
    ok = write(src / "ok", b"ok")
    missing = src / "user" / "_foo"
    r = mkfs(tmp_path / "fs.img", ok, missing)
    assert_refused(r, tmp_path, str(missing), "No such file or directory")


def test_missing_file_keeps_existing_image(tmp_path, src):
    old = b"an image that must survive" * 100
    (tmp_path / "fs.img").write_bytes(old)
    r = mkfs(tmp_path / "fs.img", src / "nothere")
    assert_refused(r, tmp_path, "nothere", "No such file", old=old)


def test_name_too_long(tmp_path, src):
    p = write(src / "_averyveryverylongname", b"x")
    r = mkfs(tmp_path / "fs.img", p)
    assert_refused(r, tmp_path, "'averyveryverylongname'", "longer than 14",
                   "DIRSIZ")


def test_duplicate_name(tmp_path, src):
    a = write(src / "user" / "_cat", b"one")
    b = write(src / "other" / "cat", b"two")
    r = mkfs(tmp_path / "fs.img", a, b)
    assert_refused(r, tmp_path, "duplicate", "'cat'", str(b))


def test_directory_is_not_a_file(tmp_path, src):
    r = mkfs(tmp_path / "fs.img", src)
    assert_refused(r, tmp_path, str(src), "not a regular file")


def test_file_too_big(tmp_path, src):
    p = write(src / "huge", bytes(MAXFILE * BSIZE + 1))
    r = mkfs(tmp_path / "fs.img", p)
    assert_refused(r, tmp_path, str(p), "too big", "max %d blocks" % MAXFILE)


def test_out_of_data_blocks(tmp_path, src):
    # Each MAXFILE file takes 269 blocks with its indirect block; 7 fit in
    # the 1954 data blocks, the 8th does not.
    data = bytes(MAXFILE * BSIZE)
    paths = [write(src / ("big%d" % i), data) for i in range(8)]
    r = mkfs(tmp_path / "fs.img", *paths)
    assert_refused(r, tmp_path, "out of data blocks", "adding %s" % paths[7])


def test_too_many_files(tmp_path, src):
    paths = [write(src / ("f%d" % i), b"") for i in range(NINODES - 1)]
    r = mkfs(tmp_path / "fs.img", *paths)
    assert_refused(r, tmp_path, "too many files (inodes)", str(paths[-1]))


def test_unwritable_target_directory(tmp_path, src):
    p = write(src / "ok", b"ok")
    r = mkfs(tmp_path / "nodir" / "fs.img", p)
    assert_refused(r, tmp_path, "nodir/fs.img")
