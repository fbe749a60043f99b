#ifndef KERNEL_BUF_H
#define KERNEL_BUF_H

// One block of the buffer cache.
struct buf {
  int valid;            // data holds the block's contents
  int disk;             // the disk driver owns it (request in flight)
  uint dev;
  uint blockno;
  struct sleeplock lock;
  uint refcnt;
  struct buf *prev;     // least-recently-used list
  struct buf *next;
  uchar data[BSIZE];
};

#endif
