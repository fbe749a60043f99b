"""Read and change xv6-format file system images from Python.

Used by the mkfs and fsck tests to look inside the images mkfs builds and
to damage them in precise ways.  The format is kernel/fs.h's:

    [ unused | superblock | log | inodes | free bitmap | data ]

All integers are little-endian.  Changes are made to an in-memory copy;
call save() to write them back.
"""
import struct
from dataclasses import dataclass, field

BSIZE = 1024
FSMAGIC = 0x10203040
ROOTINO = 1
NDIRECT = 12
NINDIRECT = BSIZE // 4
MAXFILE = NDIRECT + NINDIRECT
DIRSIZ = 14
T_DIR, T_FILE, T_DEVICE = 1, 2, 3

SUPERBLOCK = struct.Struct("<8I")
SB_FIELDS = ("magic", "size", "nblocks", "ninodes", "nlog", "logstart",
             "inodestart", "bmapstart")
DINODE = struct.Struct("<4hI%dI" % (NDIRECT + 1))   # 64 bytes
IPB = BSIZE // DINODE.size
BPB = BSIZE * 8
DIRENT = struct.Struct("<H%ds" % DIRSIZ)            # 16 bytes


@dataclass
class Inode:
    type: int = 0
    major: int = 0
    minor: int = 0
    nlink: int = 0
    size: int = 0
    addrs: list = field(default_factory=lambda: [0] * (NDIRECT + 1))


class Image:
    """An image file loaded into memory."""

    def __init__(self, path):
        self.path = str(path)
        with open(self.path, "rb") as f:
            self.data = bytearray(f.read())

    def save(self):
        with open(self.path, "wb") as f:
            f.write(self.data)

    # ---- raw blocks and the superblock ----

    def block(self, b):
        return bytes(self.data[b * BSIZE:(b + 1) * BSIZE])

    def write_block(self, b, contents):
        assert len(contents) == BSIZE
        self.data[b * BSIZE:(b + 1) * BSIZE] = contents

    def superblock(self):
        """The superblock as a dict of its fields."""
        values = SUPERBLOCK.unpack_from(self.data, BSIZE)
        return dict(zip(SB_FIELDS, values))

    def set_superblock(self, **changes):
        sb = self.superblock()
        sb.update(changes)
        SUPERBLOCK.pack_into(self.data, BSIZE, *(sb[k] for k in SB_FIELDS))

    @property
    def datastart(self):
        sb = self.superblock()
        return sb["size"] - sb["nblocks"]

    # ---- inodes ----

    def _inode_offset(self, inum):
        sb = self.superblock()
        return (sb["inodestart"] + inum // IPB) * BSIZE + (inum % IPB) * DINODE.size

    def inode(self, inum):
        v = DINODE.unpack_from(self.data, self._inode_offset(inum))
        return Inode(v[0], v[1], v[2], v[3], v[4], list(v[5:]))

    def write_inode(self, inum, ino):
        DINODE.pack_into(self.data, self._inode_offset(inum), ino.type,
                         ino.major, ino.minor, ino.nlink, ino.size, *ino.addrs)

    def update_inode(self, inum, **changes):
        ino = self.inode(inum)
        for k, v in changes.items():
            setattr(ino, k, v)
        self.write_inode(inum, ino)

    def indirect(self, ino):
        """The block numbers in ino's indirect block ([] if none)."""
        if ino.addrs[NDIRECT] == 0:
            return []
        return list(struct.unpack("<%dI" % NINDIRECT,
                                  self.block(ino.addrs[NDIRECT])))

    def file_blocks(self, ino):
        """Block numbers holding ino's content, in file order."""
        n = (ino.size + BSIZE - 1) // BSIZE
        blocks = ino.addrs[:NDIRECT] + self.indirect(ino)
        return blocks[:n]

    def read_file(self, inum):
        ino = self.inode(inum)
        out = b"".join(self.block(b) for b in self.file_blocks(ino))
        return out[:ino.size]

    # ---- directories ----

    def dirents(self, dirinum):
        """[(inum, name)] for every slot of a directory, empty ones too."""
        raw = self.read_file(dirinum)
        out = []
        for off in range(0, len(raw) - DIRENT.size + 1, DIRENT.size):
            inum, name = DIRENT.unpack_from(raw, off)
            out.append((inum, name.rstrip(b"\0").decode("latin-1")))
        return out

    def lookup(self, dirinum, name):
        for inum, n in self.dirents(dirinum):
            if inum != 0 and n == name:
                return inum
        raise KeyError(name)

    def set_dirent(self, dirinum, index, inum, name=None):
        """Rewrite slot `index` of a directory (keeping its name unless
        one is given)."""
        ino = self.inode(dirinum)
        off = index * DIRENT.size
        b = self.file_blocks(ino)[off // BSIZE]
        pos = b * BSIZE + off % BSIZE
        if name is None:
            _, raw = DIRENT.unpack_from(self.data, pos)
        else:
            raw = name.encode()
        DIRENT.pack_into(self.data, pos, inum, raw)

    def dirent_index(self, dirinum, name):
        for i, (inum, n) in enumerate(self.dirents(dirinum)):
            if inum != 0 and n == name:
                return i
        raise KeyError(name)

    # ---- the free bitmap ----

    def bit(self, b):
        sb = self.superblock()
        byte = self.data[(sb["bmapstart"] + b // BPB) * BSIZE + (b % BPB) // 8]
        return (byte >> (b % 8)) & 1

    def set_bit(self, b, value):
        sb = self.superblock()
        pos = (sb["bmapstart"] + b // BPB) * BSIZE + (b % BPB) // 8
        if value:
            self.data[pos] |= 1 << (b % 8)
        else:
            self.data[pos] &= ~(1 << (b % 8)) & 0xff

    # ---- what the kernel does, done by hand ----

    def alloc_block(self):
        """Mark the first free data block in use, zero it, return it."""
        sb = self.superblock()
        for b in range(self.datastart, sb["size"]):
            if not self.bit(b):
                self.set_bit(b, 1)
                self.write_block(b, bytes(BSIZE))
                return b
        raise RuntimeError("image full")

    def alloc_inode(self, type):
        """Allocate the first free inode as xv6's ialloc does."""
        for inum in range(1, self.superblock()["ninodes"]):
            if self.inode(inum).type == 0:
                self.write_inode(inum, Inode(type=type, nlink=1))
                return inum
        raise RuntimeError("no free inode")

    def append(self, inum, data):
        """Append bytes to a file (direct blocks only, enough for tests)."""
        ino = self.inode(inum)
        for byte in data:
            fbn = ino.size // BSIZE
            assert fbn < NDIRECT, "append: direct blocks only"
            if ino.addrs[fbn] == 0:
                ino.addrs[fbn] = self.alloc_block()
            self.data[ino.addrs[fbn] * BSIZE + ino.size % BSIZE] = byte
            ino.size += 1
        self.write_inode(inum, ino)

    def add_entry(self, dirinum, name, inum):
        """Put (inum, name) in the first empty slot of a directory, or at
        its end, as the kernel's dirlink does."""
        for i, (n, _) in enumerate(self.dirents(dirinum)):
            if n == 0:
                self.set_dirent(dirinum, i, inum, name)
                return
        self.append(dirinum, DIRENT.pack(inum, name.encode()))

    def mkdir(self, parent, name):
        """Make a directory the way the kernel's mkdir does: nlink 1,
        '.' and '..' entries, an entry in the parent, and the parent's
        nlink raised by one for the child's '..'.  Returns its inode."""
        inum = self.alloc_inode(T_DIR)
        self.append(inum, DIRENT.pack(inum, b"."))
        self.append(inum, DIRENT.pack(parent, b".."))
        self.add_entry(parent, name, inum)
        self.update_inode(parent, nlink=self.inode(parent).nlink + 1)
        return inum

    def rmdir(self, parent, name):
        """Remove an empty directory the way the kernel's unlink does:
        clear the parent's entry, lower the parent's nlink, free the
        directory's blocks and inode."""
        inum = self.lookup(parent, name)
        self.set_dirent(parent, self.dirent_index(parent, name), 0, "")
        self.update_inode(parent, nlink=self.inode(parent).nlink - 1)
        ino = self.inode(inum)
        for b in ino.addrs:
            if b:
                self.set_bit(b, 0)
        self.write_inode(inum, Inode())


# ---- building the tools ----

_built = []


def build_tools(root):
    """Build mkfs/mkfs and mkfs/fsck with make (once per test run) and
    fail the test with make's output if that does not work."""
    import subprocess
    if not _built:
        r = subprocess.run(["make", "-C", root, "mkfs/mkfs", "mkfs/fsck"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        assert r.returncode == 0, "make mkfs/mkfs mkfs/fsck failed:\n" + r.stdout
        _built.append(True)
