#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

// A lock that a hart waits for by spinning.  Held with interrupts off.
struct spinlock {
  uint locked;       // 1 while held
  char *name;        // for panics and debugging
  struct cpu *cpu;   // the hart holding it
};

#endif
