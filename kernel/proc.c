// Processes: the table, creation (fork, the first process), the
// scheduler, sleep and wakeup, exit, wait and kill, and growproc.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

struct cpu cpus[NCPU];
struct proc proc[NPROC];

static struct proc *initproc;

// How long an idle hart other than hart 0 sleeps in wfi before looking
// for work again, in `time` units (10 MHz): 100 ms.  A process made
// runnable meanwhile is picked up by the hart that woke it, at its next
// tick at the latest.
#define IDLE_TIMER_INTERVAL 1000000

static int nextpid = 1;
static struct spinlock pid_lock;

// Taken before any p->lock when a parent/child link is read or changed,
// so that a parent's wait() cannot miss a child's exit() wakeup.
static struct spinlock wait_lock;

extern char trampoline[];  // trampoline.S

static void freeproc(struct proc *p);
static void forkret(void);

// Map a kernel stack for every slot of the process table, each with an
// unmapped guard page below it (see KSTACK in memlayout.h).
void
proc_mapstacks(pagetable_t kpgtbl)
{
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    char *pa = kalloc();
    if(pa == 0)
      panic("proc_mapstacks: out of memory");
    uint64 va = KSTACK((int)(p - proc));
    kvmmap(kpgtbl, va, (uint64)pa, PGSIZE, PTE_R | PTE_W);
  }
}

void
procinit(void)
{
  initlock(&pid_lock, "nextpid");
  initlock(&wait_lock, "wait_lock");
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    initlock(&p->lock, "proc");
    p->state = UNUSED;
    p->kstack = KSTACK((int)(p - proc));
  }
}

// This hart's id.  Interrupts must be off, so the process cannot move
// to another hart between reading tp and using the answer.
int
cpuid(void)
{
  return r_tp();
}

// This hart's struct cpu.  Interrupts must be off.
struct cpu *
mycpu(void)
{
  return &cpus[cpuid()];
}

// The process running on this hart, or 0.
struct proc *
myproc(void)
{
  push_off();
  struct proc *p = mycpu()->proc;
  pop_off();
  return p;
}

static int
allocpid(void)
{
  acquire(&pid_lock);
  int pid = nextpid++;
  release(&pid_lock);
  return pid;
}

// Find an UNUSED slot and prepare it to run in the kernel: a pid, a
// trapframe page, an empty user page table, and a context that starts
// at forkret on its own kernel stack.  Returns it with p->lock held, or
// 0 if the table is full or memory ran out (nothing leaked).
static struct proc *
allocproc(void)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->state == UNUSED)
      goto found;
    release(&p->lock);
  }
  return 0;

found:
  p->pid = allocpid();
  p->state = USED;

  if((p->trapframe = (struct trapframe *)kalloc()) == 0){
    freeproc(p);
    release(&p->lock);
    return 0;
  }
  p->pagetable = proc_pagetable(p);
  if(p->pagetable == 0){
    freeproc(p);
    release(&p->lock);
    return 0;
  }

  memset(&p->context, 0, sizeof(p->context));
  p->context.ra = (uint64)forkret;
  p->context.sp = p->kstack + PGSIZE;
  return p;
}

// Release everything a process slot holds and mark it UNUSED.
// p->lock must be held.
static void
freeproc(struct proc *p)
{
  if(p->trapframe)
    kfree((void *)p->trapframe);
  p->trapframe = 0;
  if(p->pagetable)
    proc_freepagetable(p->pagetable, p->sz);
  p->pagetable = 0;
  p->sz = 0;
  p->heapbase = 0;
  p->pid = 0;
  p->parent = 0;
  p->name[0] = 0;
  p->chan = 0;
  p->killed = 0;
  p->xstate = 0;
  p->state = UNUSED;
}

// A new user page table holding only the trampoline and the process's
// trapframe page (neither accessible from user mode).  0 if out of
// memory, with nothing leaked.
pagetable_t
proc_pagetable(struct proc *p)
{
  pagetable_t pagetable = uvmcreate();
  if(pagetable == 0)
    return 0;

  if(mappages(pagetable, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R | PTE_X) < 0){
    uvmfree(pagetable, 0);
    return 0;
  }
  if(mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) < 0){
    uvmunmap(pagetable, TRAMPOLINE, 1, 0);
    uvmfree(pagetable, 0);
    return 0;
  }
  return pagetable;
}

// Free a user page table and the user memory [0, sz) it maps.  The
// trampoline and trapframe pages are not the page table's to free.
void
proc_freepagetable(pagetable_t pagetable, uint64 sz)
{
  uvmunmap(pagetable, TRAMPOLINE, 1, 0);
  uvmunmap(pagetable, TRAPFRAME, 1, 0);
  uvmfree(pagetable, sz);
}

// The first process's program (user/initcode.S, assembled by the
// Makefile): exec("/init", ...), and exit if that fails.
#include "kernel/initcode.h"

// Create the first process: one page at address 0 holding initcode.
void
userinit(void)
{
  struct proc *p = allocproc();
  if(p == 0)
    panic("userinit: cannot allocate the first process");
  initproc = p;

  char *mem = kalloc();
  if(mem == 0 || sizeof(initcode) > PGSIZE)
    panic("userinit: cannot load initcode");
  memset(mem, 0, PGSIZE);
  memmove(mem, initcode, sizeof(initcode));
  if(mappages(p->pagetable, 0, PGSIZE, (uint64)mem, PTE_R | PTE_X | PTE_U) != 0)
    panic("userinit: cannot map initcode");
  p->sz = PGSIZE;
  p->heapbase = PGSIZE;

  p->trapframe->epc = 0;       // start of initcode
  p->trapframe->sp = PGSIZE;   // initcode uses no stack

  safestrcpy(p->name, "initcode", sizeof(p->name));
  p->cwd = 0;                  // set by forkret once the fs is up
  p->state = RUNNABLE;
  release(&p->lock);
}

// growproc(n): grow (n > 0) or shrink (n < 0) the current process's
// memory by n bytes; the work of sbrk(n).
//   n > 0: uvmalloc maps zeroed pages, readable and writable, never
//          executable.  Growth that would pass TRAPFRAME, or that runs
//          out of memory, returns -1 and changes nothing.
//   n < 0: uvmdealloc frees the pages above the new size (lazy pages
//          never touched are skipped).  A shrink by more than the whole
//          size changes nothing and is not an error (returns 0).
//   n = 0: changes nothing.
// p->sz changes only when the memory really changed.  Returns 0 or -1.
int
growproc(int n)
{
  struct proc *p = myproc();
  uint64 oldsz = p->sz;

  if(n > 0){
    uint64 newsz = oldsz + (uint64)n;
    if(newsz > TRAPFRAME)
      return -1;
    if(uvmalloc(p->pagetable, oldsz, newsz, PTE_W) == 0)
      return -1;
    p->sz = newsz;
  } else if(n < 0){
    uint64 shrink = (uint64)(-(long)n);
    if(shrink > oldsz)
      return 0;
    p->sz = uvmdealloc(p->pagetable, oldsz, oldsz - shrink);
  }
  return 0;
}

// Create a child process, a copy of the caller: memory (the pages that
// exist; lazy holes stay holes), registers, open files, directory.
// Returns the child's pid to the parent, 0 in the child (through its
// trapframe), or -1 with nothing leaked.
int
fork(void)
{
  struct proc *p = myproc();
  struct proc *np = allocproc();
  if(np == 0)
    return -1;

  if(uvmcopy(p->pagetable, np->pagetable, p->sz) < 0){
    freeproc(np);
    release(&np->lock);
    return -1;
  }
  np->sz = p->sz;
  np->heapbase = p->heapbase;

  *(np->trapframe) = *(p->trapframe);
  np->trapframe->a0 = 0;   // fork returns 0 in the child

  for(int i = 0; i < NOFILE; i++){
    if(p->ofile[i])
      np->ofile[i] = filedup(p->ofile[i]);
  }
  np->cwd = p->cwd ? idup(p->cwd) : 0;

  safestrcpy(np->name, p->name, sizeof(p->name));
  int pid = np->pid;
  release(&np->lock);

  acquire(&wait_lock);
  np->parent = p;
  release(&wait_lock);

  acquire(&np->lock);
  np->state = RUNNABLE;
  release(&np->lock);

  return pid;
}

// Give p's children to init.  wait_lock must be held.
static void
reparent(struct proc *p)
{
  for(struct proc *pp = proc; pp < &proc[NPROC]; pp++){
    if(pp->parent == p){
      pp->parent = initproc;
      wakeup(initproc);
    }
  }
}

// End the current process with the given status.  It stays a ZOMBIE
// until its parent's wait() collects the status.  Does not return.
void
exit(int status)
{
  struct proc *p = myproc();

  if(p == initproc)
    panic("exit: init exited");

  for(int fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd]){
      fileclose(p->ofile[fd]);
      p->ofile[fd] = 0;
    }
  }

  if(p->cwd){
    begin_op();
    iput(p->cwd);
    end_op();
    p->cwd = 0;
  }

  acquire(&wait_lock);
  reparent(p);
  wakeup(p->parent);

  acquire(&p->lock);
  p->xstate = status;
  p->state = ZOMBIE;
  release(&wait_lock);

  sched();
  panic("exit: a zombie ran again");
}

// Wait for a child to exit; store its status at user address addr
// (unless addr is 0) and return its pid.  Returns -1 if the caller has
// no children, is killed, or addr cannot be written (the child then
// stays a zombie for a later wait).
int
wait(uint64 addr)
{
  struct proc *p = myproc();

  acquire(&wait_lock);
  for(;;){
    int havekids = 0;
    for(struct proc *pp = proc; pp < &proc[NPROC]; pp++){
      if(pp->parent != p)
        continue;
      acquire(&pp->lock);
      havekids = 1;
      if(pp->state == ZOMBIE){
        int pid = pp->pid;
        if(addr != 0 && copyout(p->pagetable, addr, (char *)&pp->xstate,
                                sizeof(pp->xstate)) < 0){
          release(&pp->lock);
          release(&wait_lock);
          return -1;
        }
        freeproc(pp);
        release(&pp->lock);
        release(&wait_lock);
        return pid;
      }
      release(&pp->lock);
    }

    if(!havekids || killed(p)){
      release(&wait_lock);
      return -1;
    }
    sleep(p, &wait_lock);  // woken by a child's exit
  }
}

// Each hart's scheduler, entered from main() and never left.  Picks a
// RUNNABLE process, swtch()es to it, and gets control back when the
// process calls sched().  When nothing is runnable the hart waits in
// `wfi` for an interrupt instead of spinning, so an idle machine costs
// the host almost nothing.
void
scheduler(void)
{
  struct cpu *c = mycpu();

  c->proc = 0;
  for(;;){
    // Let devices interrupt, then scan with interrupts off so that a
    // wakeup arriving during the scan is not lost before the wfi below
    // (a pending interrupt makes wfi return at once).
    intr_on();
    intr_off();

    int ran = 0;
    for(struct proc *p = proc; p < &proc[NPROC]; p++){
      acquire(&p->lock);
      if(p->state == RUNNABLE){
        p->state = RUNNING;
        c->proc = p;
        swtch(&c->context, &p->context);
        // The process has given the hart back, its lock held.
        c->proc = 0;
        ran = 1;
      }
      release(&p->lock);
    }
    if(!ran){
      // Nothing to do.  Hart 0 keeps the 10 ms tick (it counts time and
      // wakes sleepers); the others only need to look again now and
      // then, so they ask for a later timer and wait in wfi: each
      // wake-up of an idle hart costs the host real CPU time.
      if(cpuid() != 0)
        w_stimecmp(r_time() + IDLE_TIMER_INTERVAL);
      asm volatile("wfi");
    }
  }
}

// Switch from the current process to this hart's scheduler.  The
// caller holds p->lock (and no other lock) and has already changed
// p->state.  intena belongs to the kernel thread, not the hart, so it
// is saved and restored around the switch.
void
sched(void)
{
  struct proc *p = myproc();

  if(!holding(&p->lock))
    panic("sched: p->lock not held");
  if(mycpu()->noff != 1)
    panic("sched: other locks held");
  if(p->state == RUNNING)
    panic("sched: process still RUNNING");
  if(intr_get())
    panic("sched: interrupts on");

  int intena = mycpu()->intena;
  swtch(&p->context, &mycpu()->context);
  mycpu()->intena = intena;
}

// Give up the hart for one scheduling round.
void
yield(void)
{
  struct proc *p = myproc();
  acquire(&p->lock);
  p->state = RUNNABLE;
  sched();
  release(&p->lock);
}

// Where a new process starts, via the context allocproc gave it: still
// holding p->lock from the scheduler.  The very first process also
// mounts the root file system here, since that needs a process context
// to sleep in.
static void
forkret(void)
{
  static int first = 1;

  release(&myproc()->lock);

  if(first){
    first = 0;
    fsinit(ROOTDEV);
    myproc()->cwd = namei("/");
    __sync_synchronize();
#ifdef KERNEL_TESTS
    ktest_run();
#endif
  }

  usertrapret();
}

// Sleep on chan, atomically releasing lk; take lk again on waking.
void
sleep(void *chan, struct spinlock *lk)
{
  struct proc *p = myproc();

  // Holding p->lock before letting go of lk means a wakeup(chan), which
  // needs p->lock, cannot slip in between.
  acquire(&p->lock);
  release(lk);

  p->chan = chan;
  p->state = SLEEPING;
  sched();
  p->chan = 0;

  release(&p->lock);
  acquire(lk);
}

// Make every process sleeping on chan runnable.  The caller must not
// hold any p->lock.
void
wakeup(void *chan)
{
  struct proc *me = myproc();
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p == me)
      continue;
    acquire(&p->lock);
    if(p->state == SLEEPING && p->chan == chan)
      p->state = RUNNABLE;
    release(&p->lock);
  }
}

// Ask process pid to die: it exits the next time it is about to return
// to user mode (a sleeping process is woken so that it gets there).
// Returns 0, or -1 if there is no such process or it is init, which
// must never exit (every orphan is handed to it).
int
kill(int pid)
{
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p == initproc)
      continue;
    acquire(&p->lock);
    if(p->pid == pid && p->state != UNUSED){
      p->killed = 1;
      if(p->state == SLEEPING)
        p->state = RUNNABLE;
      release(&p->lock);
      return 0;
    }
    release(&p->lock);
  }
  return -1;
}

void
setkilled(struct proc *p)
{
  acquire(&p->lock);
  p->killed = 1;
  release(&p->lock);
}

int
killed(struct proc *p)
{
  acquire(&p->lock);
  int k = p->killed;
  release(&p->lock);
  return k;
}

// Copy to a user address (user_dst set) or a kernel address.
// Returns 0 or -1.
int
either_copyout(int user_dst, uint64 dst, void *src, uint64 len)
{
  if(user_dst)
    return copyout(myproc()->pagetable, dst, src, len);
  memmove((char *)dst, src, len);
  return 0;
}

// Copy from a user address (user_src set) or a kernel address.
// Returns 0 or -1.
int
either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
  if(user_src)
    return copyin(myproc()->pagetable, dst, src, len);
  memmove(dst, (char *)src, len);
  return 0;
}

// Ctrl-P: list the processes on the console.  Takes no locks, so that
// it works even when the machine is stuck.
void
procdump(void)
{
  static char *states[] = {
    [UNUSED]   "unused",
    [USED]     "used",
    [SLEEPING] "sleep ",
    [RUNNABLE] "runble",
    [RUNNING]  "run   ",
    [ZOMBIE]   "zombie"
  };

  printf("\n");
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p->state == UNUSED)
      continue;
    char *state = "???";
    if(p->state >= 0 && p->state < NELEM(states) && states[p->state])
      state = states[p->state];
    printf("%d %s %s sz=%lu\n", p->pid, state, p->name, p->sz);
  }
}
