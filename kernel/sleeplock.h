#ifndef KERNEL_SLEEPLOCK_H
#define KERNEL_SLEEPLOCK_H

// A lock that a process waits for by sleeping; may be held across disk I/O.
struct sleeplock {
  uint locked;
  struct spinlock lk;  // guards this struct
  char *name;
  int pid;             // the process holding it
};

#endif
