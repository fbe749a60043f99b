// Spinlocks, and the per-hart "interrupts off" nesting they rest on.
//
// A hart holds a spinlock with its interrupts off.  Were they on, an
// interrupt handler on the same hart could try to take the lock the
// interrupted code holds and spin for ever.  So taking a lock turns
// interrupts off (push_off) and letting the last one go turns them back
// on (pop_off) if they were on to begin with.  The nesting count and
// that saved state live in struct cpu: noff and intena.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/spinlock.h"
#include "kernel/riscv.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

// Make lk a free spinlock; name appears in panics about it.
void
initlock(struct spinlock *lk, char *name)
{
  *lk = (struct spinlock){ .locked = 0, .name = name, .cpu = 0 };
}

// A misuse of lk by this hart: name the lock, then panic with why.
static void
lock_misuse(struct spinlock *lk, char *why)
{
  printf("lock: %s\n", lk->name ? lk->name : "(no name)");
  panic(why);
}

// Take the lock, spinning until it is free, and keep this hart's
// interrupts off until the matching release().  Panics if this hart
// already holds it: waiting for ourselves would never end.
void
acquire(struct spinlock *lk)
{
  push_off();   // holding() and mycpu() need interrupts off already
  if(holding(lk))
    lock_misuse(lk, "acquire: this hart already holds the lock");

  // Swap 1 in until the old value is 0: then this hart set it.  The
  // swap's acquire ordering keeps the critical section after it.
  while(__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE) != 0)
    ;
  lk->cpu = mycpu();
}

// Let go of the lock; interrupts come back on if this was the last
// lock and they were on before the first.  Panics if this hart does not
// hold it.
void
release(struct spinlock *lk)
{
  if(!holding(lk))
    lock_misuse(lk, "release: this hart does not hold the lock");
  lk->cpu = 0;
  // Release ordering: every store of the critical section is visible
  // before another hart can see the lock free.
  __atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
  pop_off();
}

// Does this hart hold lk?  Only meaningful with interrupts off (else the
// process could move to another hart between the two reads).
int
holding(struct spinlock *lk)
{
  if(lk->locked == 0)
    return 0;
  return lk->cpu == mycpu();
}

// Turn this hart's interrupts off, one level deeper.  The outermost
// push_off remembers whether they were on.
void
push_off(void)
{
  int were_on = intr_get();
  intr_off();

  struct cpu *here = mycpu();
  if(here->noff == 0)
    here->intena = were_on;
  here->noff++;
}

// Undo one push_off.  Interrupts come back on only at the outermost
// level, and only if push_off found them on.  Panics if interrupts are
// on (something turned them on inside a critical section) or if there
// is no push_off to undo.
void
pop_off(void)
{
  struct cpu *here = mycpu();

  if(intr_get())
    panic("pop_off: interrupts are on inside a critical section");
  if(here->noff <= 0)
    panic("pop_off: no push_off to undo");

  here->noff--;
  if(here->noff > 0)
    return;
  if(here->intena)
    intr_on();
}
