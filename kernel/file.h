#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

// An open file: one entry of the system-wide file table.  Descriptors
// made by dup or inherited by fork share one, and so its offset.
struct file {
  enum { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE } type;
  int ref;
  char readable;
  char writable;
  struct pipe *pipe;   // FD_PIPE
  struct inode *ip;    // FD_INODE and FD_DEVICE
  uint off;            // FD_INODE
  short major;         // FD_DEVICE
};

#define major(dev)  ((dev) >> 16 & 0xFFFF)
#define minor(dev)  ((dev) & 0xFFFF)
#define mkdev(m,n)  ((uint)((m)<<16| (n)))

// An inode in memory: the on-disk fields plus bookkeeping.
struct inode {
  uint dev;
  uint inum;
  int ref;               // in-memory references
  struct sleeplock lock; // guards everything below
  int valid;             // read from disk yet?

  short type;            // copy of the disk inode
  short major;
  short minor;
  short nlink;
  uint size;
  uint addrs[NDIRECT+1];
};

// Read and write functions of each device major number.
struct devsw {
  int (*read)(int user_dst, uint64 dst, int n);
  int (*write)(int user_src, uint64 src, int n);
};

extern struct devsw devsw[];

#define CONSOLE 1

#endif
