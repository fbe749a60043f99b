// lab traps: solution
// Alarms: a user-level timer interrupt.
//
// sigalarm(interval, handler) asks the kernel to call handler each time
// the process has used interval more ticks of CPU time.  The kernel
// "calls" it by saving the user registers the timer interrupted and
// making the trap return to handler instead, with the interrupted
// program's own stack.  The handler ends with sigreturn(), which puts
// every saved register back, so the program resumes exactly where and
// as it was: it never knows it was interrupted.
//
// A tick counts when the timer interrupt finds the process running in
// user mode (usertrap).  Ticks inside the handler do not count: the
// next interval starts when the handler returns, and the handler is
// never called again while it runs.  fork gives the child no alarm (its
// slot starts cleared), and exec clears it, since the handler's address
// belongs to the old program.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

// alarm_tick(p): a timer interrupt found p, the current process, in user
// mode, with its registers in p->trapframe.  If that completes an
// interval and the handler is not already running, save the registers
// and make the return to user mode enter the handler.
void
alarm_tick(struct proc *p)
{
  struct alarm *a = &p->alarm;

  if(a->interval == 0 || a->running)
    return;
  if(++a->ticks < a->interval)
    return;
  a->ticks = 0;
  a->running = 1;
  a->saved = *p->trapframe;
  p->trapframe->epc = a->handler;
}

// sigalarm(interval, handler): call handler every interval ticks of CPU
// time from now on; interval 0 turns the alarm off (handler is then
// ignored).  Called from a running handler, it changes the next calls,
// and that handler still ends with sigreturn.  Returns 0, or -1 for a
// negative interval or a handler outside the process's memory.
uint64
sys_sigalarm(void)
{
  struct proc *p = myproc();
  int interval;
  uint64 handler;

  argint(0, &interval);
  argaddr(1, &handler);
  if(interval < 0 || (interval > 0 && handler >= p->sz))
    return -1;
  p->alarm.interval = interval;
  p->alarm.handler = interval > 0 ? handler : 0;
  p->alarm.ticks = 0;
  return 0;
}

// sigreturn(): the end of an alarm handler.  Restores every user
// register the timer interrupted (pc included), so the process goes on
// from there, and allows the next call of the handler.  Returns the
// interrupted a0, because syscall() stores the result in a0: returning
// anything else would change it.  Outside a handler: -1, nothing done.
uint64
sys_sigreturn(void)
{
  struct proc *p = myproc();

  if(!p->alarm.running)
    return -1;
  // The saved copy also holds the kernel_* fields, perhaps from another
  // hart; usertrapret writes them afresh before every return to user.
  *p->trapframe = p->alarm.saved;
  p->alarm.running = 0;
  return p->trapframe->a0;
}
