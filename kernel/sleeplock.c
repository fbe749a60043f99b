// Sleeping locks, for holding across long waits such as disk I/O.
//
// A process that finds a sleeplock taken sleeps on it (the channel is
// the lock's own address) instead of spinning, and the holder keeps
// its interrupts on.  The small spinlock lk inside guards the other
// fields and is held only for a moment at a time.  The owner is known
// by pid, so that a process trying to take a lock it already holds, or
// to give back one it does not hold, is caught at once.
//
// Only processes use sleeplocks: an interrupt handler cannot sleep.
//
// myproc() and wakeup() are called with lk->lk held, so with this
// hart's interrupts already off: their own locking then leaves the
// interrupt-enable bit alone.  Outside it, each of wakeup()'s acquires
// across the process table would turn interrupts off and on again,
// and writes to sstatus are slow under QEMU (a measurable cost in
// exec, which takes and gives back a buffer lock per block it reads).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

// Make lk a free sleeplock; name is for whoever debugs it.
void
initsleeplock(struct sleeplock *lk, char *name)
{
  *lk = (struct sleeplock){ .locked = 0, .name = name, .pid = 0 };
  initlock(&lk->lk, "sleeplock");
}

// Is lk held by the process with this pid?  The caller holds lk->lk.
static int
owned_by(struct sleeplock *lk, int pid)
{
  return lk->locked != 0 && lk->pid == pid;
}

// Does the calling process hold lk?
int
holdingsleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  int mine = owned_by(lk, myproc()->pid);
  release(&lk->lk);
  return mine;
}

// Take lk for the calling process, sleeping as long as another process
// holds it.  Panics if the caller holds it already.
void
acquiresleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  int me = myproc()->pid;
  if(owned_by(lk, me))
    panic("acquiresleep: this process already holds the lock");
  // sleep() gives lk->lk up while asleep and has it back on waking;
  // another waiter may have got in first, so look again every time.
  while(lk->locked)
    sleep(lk, &lk->lk);
  lk->pid = me;
  lk->locked = 1;
  release(&lk->lk);
}

// Give back lk, which the calling process holds, and wake every
// process asleep on it: the first of them to run takes it.  Panics if
// the caller does not hold it.
void
releasesleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  if(!owned_by(lk, myproc()->pid))
    panic("releasesleep: this process does not hold the lock");
  lk->locked = 0;
  lk->pid = 0;
  wakeup(lk);
  release(&lk->lk);
}
