#ifndef KERNEL_BUF_H
#define KERNEL_BUF_H

// One block of the buffer cache.
struct buf {
  int valid;            // data holds the block's contents
  int disk;             // the disk driver owns it (request in flight)
  uint dev;
  uint blockno;
  struct sleeplock lock;
  uint refcnt;          // holders, lock waiters and log pins; 0 = idle
  uint64 idle_since;    // when it last went idle (bio.c's clock), for LRU
  uchar data[BSIZE];
};

#endif
