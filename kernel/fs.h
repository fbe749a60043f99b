// The on-disk file system format.  It is xv6's exactly, so images made by
// either mkfs boot on either kernel.  Shared by the kernel, mkfs and fsck.
//
// Disk layout, in BSIZE blocks:
//   [ unused | superblock | log | inodes | free bitmap | data ]
#ifndef KERNEL_FS_H
#define KERNEL_FS_H

#define ROOTINO  1        // inode of the root directory
#define BSIZE    1024     // bytes per block
#define FSMAGIC  0x10203040

// Block 1.  Written by mkfs, read at boot.
struct superblock {
  uint magic;        // FSMAGIC
  uint size;         // blocks in the whole image
  uint nblocks;      // data blocks
  uint ninodes;      // inodes
  uint nlog;         // log blocks
  uint logstart;     // first log block
  uint inodestart;   // first inode block
  uint bmapstart;    // first free-bitmap block
};

#define NDIRECT    12
#define NINDIRECT  (BSIZE / sizeof(uint))
#define MAXFILE    (NDIRECT + NINDIRECT)

// An inode as stored on disk.
struct dinode {
  short type;                // 0 when free, else T_DIR, T_FILE, T_DEVICE
  short major;               // device numbers (T_DEVICE only)
  short minor;
  short nlink;               // directory entries naming this inode
  uint size;                 // bytes of content
  uint addrs[NDIRECT+1];     // data blocks; the last is the indirect block
};

// Inodes per block, and the block holding inode i.
#define IPB           (BSIZE / sizeof(struct dinode))
#define IBLOCK(i, sb) ((i) / IPB + (sb).inodestart)

// Bitmap bits per block, and the bitmap block holding block b's bit.
#define BPB           (BSIZE * 8)
#define BBLOCK(b, sb) ((b) / BPB + (sb).bmapstart)

// A directory is a file of these entries; inum 0 marks an empty slot.
#define DIRSIZ 14

struct dirent {
  ushort inum;
  char name[DIRSIZ];   // not NUL-terminated when DIRSIZ long
};

#endif
