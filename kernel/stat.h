#ifndef KERNEL_STAT_H
#define KERNEL_STAT_H

#define T_DIR     1   // directory
#define T_FILE    2   // regular file
#define T_DEVICE  3   // device

struct stat {
  int dev;      // disk the inode lives on
  uint ino;     // inode number
  short type;   // T_DIR, T_FILE or T_DEVICE
  short nlink;  // directory entries naming this inode
  uint64 size;  // bytes in the file
};

#endif
