"""mkfs/fsck: clean images pass, and each kind of damage is reported."""
import os
import subprocess

import pytest

import fsimage
from fsimage import BSIZE, MAXFILE, NDIRECT, ROOTINO, T_FILE, Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MKFS = os.path.join(ROOT, "mkfs", "mkfs")
FSCK = os.path.join(ROOT, "mkfs", "fsck")
TREE_IMAGE = os.path.join(ROOT, "fs.img")


@pytest.fixture(scope="session", autouse=True)
def tools():
    fsimage.build_tools(ROOT)


def fsck(path):
    """Run fsck; returns (exit code, everything it printed)."""
    r = subprocess.run([FSCK, str(path)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout


@pytest.fixture
def image(tmp_path):
    """A fresh image holding cat (3 blocks), README, big (20 blocks, so
    an indirect block) and an empty file."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "_cat").write_bytes(b"c" * 3000)
    (src / "README").write_bytes(b"read me\n")
    (src / "big").write_bytes(b"b" * (20 * BSIZE))
    (src / "empty").write_bytes(b"")
    path = tmp_path / "fs.img"
    r = subprocess.run([MKFS, str(path)] + [str(src / n) for n in
                                            ("_cat", "README", "big", "empty")],
                       stderr=subprocess.PIPE, text=True)
    assert r.returncode == 0, "mkfs failed: " + r.stderr
    return Image(path)


def damaged(img):
    """Save the changed image and fsck it, which must find problems."""
    img.save()
    code, out = fsck(img.path)
    assert code == 1, "fsck should exit 1 on a damaged image, got %d:\n%s" % (
        code, out)
    return out


def assert_reports(out, *words):
    """Some single line of the output contains all the words."""
    for line in out.splitlines():
        if all(w in line for w in words):
            return
    raise AssertionError("no line mentions %s in fsck output:\n%s"
                         % (" and ".join(repr(w) for w in words), out))


def assert_clean(img):
    img.save()
    code, out = fsck(img.path)
    assert code == 0, "fsck rejected a good image:\n" + out
    assert out.strip() == "fsck: %s: clean" % img.path


# ---- clean images ----

def test_fresh_image_is_clean(image):
    assert_clean(image)


def test_kernel_style_directories_are_clean(image):
    """Directories made the way the kernel's mkdir makes them (child nlink
    1, parent nlink + 1 for the child's '..') satisfy fsck's link rule."""
    a = image.mkdir(ROOTINO, "a")
    b = image.mkdir(a, "b")
    image.mkdir(ROOTINO, "c")
    f = image.alloc_inode(T_FILE)
    image.add_entry(b, "f", f)
    image.append(f, b"in b\n")
    assert image.inode(ROOTINO).nlink == 3
    assert image.inode(a).nlink == 2
    assert_clean(image)


def test_after_directories_removed_is_clean(image):
    a = image.mkdir(ROOTINO, "a")
    image.mkdir(a, "b")
    image.mkdir(ROOTINO, "c")
    image.rmdir(a, "b")
    image.rmdir(ROOTINO, "c")
    assert image.inode(ROOTINO).nlink == 2
    assert image.inode(a).nlink == 1
    assert_clean(image)


def test_hard_link_is_clean(image):
    cat = image.lookup(ROOTINO, "cat")
    image.add_entry(ROOTINO, "cat2", cat)
    image.update_inode(cat, nlink=2)
    assert_clean(image)


def test_tree_fs_img_is_clean():
    assert os.path.exists(TREE_IMAGE), (
        "fs.img missing: `make fs.img` (which `make test` runs first)")
    code, out = fsck(TREE_IMAGE)
    assert code == 0, "the tree's fs.img is not clean:\n" + out


# ---- usage errors ----

def test_no_argument_is_usage_error():
    r = subprocess.run([FSCK], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 2 and "usage:" in r.stdout, r.stdout


def test_missing_image_is_usage_error(tmp_path):
    code, out = fsck(tmp_path / "nothere.img")
    assert code == 2, out
    assert len(out.strip().splitlines()) == 1
    assert_reports(out, "nothere.img", "No such file or directory")


def test_tiny_image_is_usage_error(tmp_path):
    p = tmp_path / "tiny.img"
    p.write_bytes(bytes(100))
    code, out = fsck(p)
    assert code == 2, out
    assert_reports(out, "tiny.img", "too small")


# ---- damage, one kind per test ----

def test_bad_superblock_magic(image):
    image.set_superblock(magic=0x12345678)
    assert_reports(damaged(image), "superblock", "magic", "0x12345678")


def test_superblock_size_not_file_length(image):
    image.set_superblock(size=3000)
    assert_reports(damaged(image), "superblock", "size 3000")


def test_superblock_regions_overlap(image):
    sb = image.superblock()
    image.set_superblock(bmapstart=sb["inodestart"] + 3)
    assert_reports(damaged(image), "superblock", "inodes", "bitmap")


def test_inode_bad_type(image):
    cat = image.lookup(ROOTINO, "cat")
    image.update_inode(cat, type=7)
    assert_reports(damaged(image), "inode %d" % cat, "bad type 7")


def test_direct_pointer_outside_data_area(image):
    cat = image.lookup(ROOTINO, "cat")
    ino = image.inode(cat)
    ino.addrs[1] = 5          # a log block
    image.write_inode(cat, ino)
    assert_reports(damaged(image), "inode %d" % cat, "block 5",
                   "outside the data area")


def test_indirect_slot_outside_data_area(image):
    big = image.lookup(ROOTINO, "big")
    ind = image.inode(big).addrs[NDIRECT]
    blk = bytearray(image.block(ind))
    blk[0:4] = (5000).to_bytes(4, "little")   # past the end of the image
    image.write_block(ind, bytes(blk))
    assert_reports(damaged(image), "inode %d" % big, "block 5000",
                   "outside the data area")


def test_block_owned_twice(image):
    cat = image.lookup(ROOTINO, "cat")
    readme = image.lookup(ROOTINO, "README")
    shared = image.inode(cat).addrs[0]
    ino = image.inode(readme)
    ino.addrs[0] = shared
    image.write_inode(readme, ino)
    assert_reports(damaged(image), "block %d" % shared, "owned twice",
                   "inode %d" % cat, "inode %d" % readme)


def test_used_block_free_in_bitmap(image):
    cat = image.lookup(ROOTINO, "cat")
    b = image.inode(cat).addrs[2]
    image.set_bit(b, 0)
    assert_reports(damaged(image), "block %d" % b, "inode %d" % cat,
                   "free in the bitmap")


def test_metadata_block_free_in_bitmap(image):
    image.set_bit(3, 0)
    assert_reports(damaged(image), "block 3", "free in the bitmap")


def test_free_block_marked_in_bitmap(image):
    image.set_bit(1999, 1)
    assert_reports(damaged(image), "block 1999", "marked in the bitmap",
                   "not in use")


def test_entry_names_free_inode(image):
    image.add_entry(ROOTINO, "ghost", 150)
    assert_reports(damaged(image), "'ghost'", "free inode 150")


def test_wrong_dot(image):
    d = image.mkdir(ROOTINO, "d")
    image.set_dirent(d, image.dirent_index(d, "."), ROOTINO)
    assert_reports(damaged(image), "directory %d" % d, "'.'",
                   "names inode %d" % ROOTINO, "not itself")


def test_wrong_dotdot(image):
    a = image.mkdir(ROOTINO, "a")
    b = image.mkdir(ROOTINO, "b")
    image.set_dirent(b, image.dirent_index(b, ".."), a)
    assert_reports(damaged(image), "directory %d" % b, "'..'",
                   "names inode %d" % a, "not its parent %d" % ROOTINO)


def test_wrong_dotdot_in_root(image):
    cat = image.lookup(ROOTINO, "cat")
    image.set_dirent(ROOTINO, image.dirent_index(ROOTINO, ".."), cat)
    assert_reports(damaged(image), "directory %d" % ROOTINO, "'..'",
                   "not its parent %d" % ROOTINO)


def test_wrong_link_count(image):
    cat = image.lookup(ROOTINO, "cat")
    image.update_inode(cat, nlink=2)
    assert_reports(damaged(image), "inode %d" % cat, "link count 2",
                   "should be 1")


def test_wrong_directory_link_count(image):
    a = image.mkdir(ROOTINO, "a")
    image.mkdir(a, "b")
    image.update_inode(a, nlink=1)      # should be 2: entry + child's '..'
    assert_reports(damaged(image), "inode %d" % a, "link count 1", "should be 2")


def test_allocated_unreachable_inode(image):
    orphan = image.alloc_inode(T_FILE)
    assert_reports(damaged(image), "inode %d" % orphan, "unreachable")


def test_size_larger_than_blocks(image):
    cat = image.lookup(ROOTINO, "cat")      # 3000 bytes in 3 blocks
    image.update_inode(cat, size=5 * BSIZE)
    assert_reports(damaged(image), "inode %d" % cat, "size %d" % (5 * BSIZE),
                   "needs 5 blocks", "only 3")


def test_size_larger_than_maxfile(image):
    cat = image.lookup(ROOTINO, "cat")
    image.update_inode(cat, size=MAXFILE * BSIZE + 1)
    assert_reports(damaged(image), "inode %d" % cat,
                   "larger than the largest file")


def test_root_not_a_directory(image):
    image.update_inode(ROOTINO, type=T_FILE)
    assert_reports(damaged(image), "root is not a directory")


def test_directory_with_two_parents(image):
    a = image.mkdir(ROOTINO, "a")
    b = image.mkdir(ROOTINO, "b")
    image.add_entry(b, "again", a)
    image.update_inode(a, nlink=2)
    assert_reports(damaged(image), "directory %d" % a, "already has parent")

