// System calls about processes, memory and time.  Each takes its
// arguments from the caller's trapframe and hands the work to proc.c
// (processes, growproc) or waits on the clock (trap.c's ticks).
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
// lab syscall: begin
#include "kernel/sysinfo.h"
// lab syscall: end

// The second argument of sbrk (user.h has the same values).
#define SBRK_EAGER 1   // allocate the pages now
#define SBRK_LAZY  2   // only move the break; pages come on first touch

// Argument n of the current system call, as an int.
static int
int_arg(int n)
{
  int value;
  argint(n, &value);
  return value;
}

// Argument n of the current system call, as a user address.  Not
// checked here: copyin and copyout refuse a bad one.
static uint64
addr_arg(int n)
{
  uint64 value;
  argaddr(n, &value);
  return value;
}

// ---- Processes ------------------------------------------------------

// fork(): the child's pid in the parent, 0 in the child, or -1.
uint64
sys_fork(void)
{
  return fork();
}

// exit(status): end the caller; its parent's wait() gets status.
// Does not return.
uint64
sys_exit(void)
{
  exit(int_arg(0));
}

// wait(status): the pid of a child that has exited, its exit status
// stored at user address status unless that is 0; or -1.
uint64
sys_wait(void)
{
  // lab mmap: begin
  mmap_prefault(addr_arg(0), sizeof(int), 1);   // wait stores the status holding locks
  // lab mmap: end
  return wait(addr_arg(0));
}

// kill(pid): 0, or -1 if pid is not positive, names no process, or
// names init.
uint64
sys_kill(void)
{
  int pid = int_arg(0);
  return pid > 0 ? kill(pid) : -1;
}

// getpid(): the caller's pid.
uint64
sys_getpid(void)
{
  return myproc()->pid;
}

// ---- Memory ---------------------------------------------------------

// sys_sbrk(n, how): move the program break by n bytes; the heart of the
// memory path.  Returns the old break, or -1 (SBRK_ERROR) with nothing
// changed.
//   SBRK_EAGER: growproc(n) allocates (or frees) the pages now.
// lab lazy: begin sbrk_doc
//   SBRK_LAZY:  n > 0 only raises p->sz; each page in [old break,
//               p->sz) is allocated by the page-fault handler when it
//               is first touched (or by copyin/copyout when a system
//               call reaches it first).  n <= 0 acts like SBRK_EAGER:
//               shrinking always frees at once.
// lab lazy: end
// Growth past HEAPTOP fails; a shrink by more than the whole size
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
  // lab mmap: begin
  if(n > 0 && mmap_overlaps(p, oldbreak, oldbreak + (uint64)n))
    return -1;   // the heap may not grow into a file mapping
  // lab mmap: end

  // lab lazy: begin
  if(how == SBRK_LAZY && n > 0){
    if(oldbreak + (uint64)n > HEAPTOP)
      return -1;
    p->sz = oldbreak + (uint64)n;
    return oldbreak;
  }
  // lab lazy: end

  if(growproc(n) < 0)
    return -1;
  return oldbreak;
}

// ---- Time -----------------------------------------------------------

// Wait until n clock ticks have passed, unless the process is killed
// first.  Returns 0, or -1 if it was killed.
static int
sleep_ticks(uint n)
{
  struct proc *p = myproc();
  int result = 0;

  acquire(&tickslock);
  uint start = ticks;
  while(ticks - start < n){
    if(killed(p)){
      result = -1;
      break;
    }
    sleep(&ticks, &tickslock);   // trap.c wakes &ticks every tick
  }
  release(&tickslock);
  return result;
}

// sleep(n) / pause(n): wait n clock ticks (10 ms each).  A negative n
// counts as 0.  Returns 0, or -1 if the process is killed meanwhile.
uint64
sys_sleep(void)
{
  int n = int_arg(0);
  // lab traps: begin
#ifdef LAB_TRAPS
  // The traps lab's bttest: show how the call got here.
  backtrace();
#endif
  // lab traps: end
  return sleep_ticks(n > 0 ? n : 0);
}

// pause(n), the 2025 name of sleep(n), is the same call (both numbers
// are 13) and the same code: sys_pause is a second name for sys_sleep,
// at the same address.  A breakpoint on either name stops every sleep
// and pause (lab graders set one or the other), and no extra frame
// appears in a backtrace taken inside the call.
uint64 sys_pause(void) __attribute__((alias("sys_sleep")));

// uptime(): clock ticks since boot.
uint64
sys_uptime(void)
{
  acquire(&tickslock);
  uint now = ticks;
  release(&tickslock);
  return now;
}

// ---- The machine ----------------------------------------------------

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

// ---- The pgtbl lab's calls (vm.c does the work) ---------------------

// pgpte(va): the PTE that maps user address va in the caller's page
// table (a superpage's level-1 leaf), or 0 if there is none.
uint64
sys_pgpte(void)
{
  pte_t *pte = pgpte(myproc()->pagetable, addr_arg(0));
  return pte ? *pte : 0;
}

// kpgtbl(): print the caller's page table (vmprint).  Returns 0.
uint64
sys_kpgtbl(void)
{
  vmprint(myproc()->pagetable);
  return 0;
}

// pgaccess(base, npages, mask): report at user address mask which of
// the npages pages from base were used since last asked, and clear
// those bits.  0, or -1 for bad arguments.
uint64
sys_pgaccess(void)
{
  return pgaccess(myproc()->pagetable, addr_arg(0), int_arg(1), addr_arg(2));
}
// lab syscall: begin

// ---- The syscall lab's calls ----------------------------------------

// trace(mask): from now on, report each system call whose bit is set in
// mask (bit n for call number n, syscall.h) as it returns, for this
// process and the children it forks later (syscall() prints the lines).
// A new mask replaces the old one; 0 turns tracing off.  Returns 0.
uint64
sys_trace(void)
{
  myproc()->tracemask = int_arg(0);
  return 0;
}

// sysinfo(info): fill the struct sysinfo at user address info with the
// bytes of free memory and the number of processes.  0, or -1 if info
// is not memory the process may write.
uint64
sys_sysinfo(void)
{
  struct sysinfo info;

  info.freemem = kfreecount() * PGSIZE;
  info.nproc = procs_in_use();
  if(copyout(myproc()->pagetable, addr_arg(0), (char *)&info, sizeof(info)) < 0)
    return -1;
  return 0;
}
// lab syscall: end
