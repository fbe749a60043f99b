// Spinlocks, and the per-hart interrupt-disable nesting they rely on.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/spinlock.h"
#include "kernel/riscv.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

void
initlock(struct spinlock *lk, char *name)
{
  lk->name = name;
  lk->locked = 0;
  lk->cpu = 0;
}

// Take the lock, spinning until it is free.  Interrupts stay off on this
// hart while it is held: an interrupt handler that wanted the same lock
// would otherwise spin forever on a lock its own hart holds.
// Panics if this hart already holds it (a deadlock in the making).
void
acquire(struct spinlock *lk)
{
  push_off();
  if(holding(lk)){
    printf("lock: %s\n", lk->name);
    panic("acquire: this hart already holds the lock");
  }

  // An atomic swap with acquire ordering: nothing in the critical section
  // can be moved before it.
  while(__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0)
    ;

  lk->cpu = mycpu();
}

// Let go of the lock.  Panics if this hart does not hold it.
void
release(struct spinlock *lk)
{
  if(!holding(lk)){
    printf("lock: %s\n", lk->name);
    panic("release: lock not held by this hart");
  }
  lk->cpu = 0;
  __atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
  pop_off();
}

// Does this hart hold the lock?  Interrupts must be off.
int
holding(struct spinlock *lk)
{
  return lk->locked && lk->cpu == mycpu();
}

// push_off/pop_off are intr_off/intr_on that nest: interrupts come back on
// only when every push_off has been matched, and only if they were on at
// the outermost push_off.
void
push_off(void)
{
  int was_on = intr_get();

  intr_off();
  struct cpu *c = mycpu();
  if(c->noff == 0)
    c->intena = was_on;
  c->noff += 1;
}

void
pop_off(void)
{
  struct cpu *c = mycpu();
  if(intr_get())
    panic("pop_off: interrupts are on inside a critical section");
  if(c->noff < 1)
    panic("pop_off: more pops than pushes");
  c->noff -= 1;
  if(c->noff == 0 && c->intena)
    intr_on();
}
