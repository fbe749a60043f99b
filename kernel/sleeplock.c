// Sleeping locks.
//
// A sleeplock may be held for a long time, across disk I/O and other
// waits, because a process that finds it taken goes to sleep instead of
// spinning.  The small spinlock inside only guards the lock's own fields.
// Only processes may use them: never an interrupt handler.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "proc.h"
#include "sleeplock.h"

// Make lk an unlocked sleeplock called name (kept for debugging).
void
initsleeplock(struct sleeplock *lk, char *name)
{
  initlock(&lk->lk, "sleeplock");
  lk->name = name;
  lk->locked = 0;
  lk->pid = 0;
}

// Take lk, sleeping for as long as another process holds it.
void
acquiresleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  while(lk->locked)
    sleep(lk, &lk->lk);
  lk->locked = 1;
  lk->pid = myproc()->pid;
  release(&lk->lk);
}

// Give up lk, which the caller holds, and wake whoever waits for it.
void
releasesleep(struct sleeplock *lk)
{
  acquire(&lk->lk);
  lk->locked = 0;
  lk->pid = 0;
  wakeup(lk);
  release(&lk->lk);
}

// Does the calling process hold lk?
int
holdingsleep(struct sleeplock *lk)
{
  int mine;

  acquire(&lk->lk);
  mine = lk->locked && lk->pid == myproc()->pid;
  release(&lk->lk);
  return mine;
}
