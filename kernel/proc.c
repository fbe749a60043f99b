// Processes: the process table and the life cycle of each process in
// it, the per-hart scheduler, sleep and wakeup, and growproc.
//
// The life cycle.  Every slot of proc[] is in one of six states, and
// moves between them only through set_state(), which panics on a move
// this table does not list:
//
//   UNUSED   -> USED       allocproc: a free slot is claimed
//   USED     -> RUNNABLE   userinit, fork: the new process is complete
//   USED     -> UNUSED     freeproc: building it failed half way
//   RUNNABLE -> RUNNING    scheduler: a hart switches to it
//   RUNNING  -> RUNNABLE   yield: it gives its hart up for a while
//   RUNNING  -> SLEEPING   sleep: it waits for a wakeup on a channel
//   SLEEPING -> RUNNABLE   wakeup, or kill
//   RUNNING  -> ZOMBIE     exit: only its exit status is left
//   ZOMBIE   -> UNUSED     wait: its parent collects the status (reap)
//
// The lock order.  A hart takes these locks only in this order:
//
//   wait_lock  ->  p->lock  ->  kmem, ftable, itable (leaves)
//
// - p->lock guards p->state, p->chan, p->killed, p->xstate and p->pid.
//   A hart holds at most one p->lock at a time.  It is held across
//   every swtch: the scheduler takes it before switching to p, and p
//   takes it before switching back (see sched()).
// - wait_lock guards every p->parent.  exit() holds it from handing
//   its children to init until it is a ZOMBIE, and wait() holds it
//   while it looks for a zombie child, so a parent never misses a
//   child's exit.
// - A process is built (allocproc, fork) and freed (freeproc, reap)
//   under its p->lock, which takes the allocator's, ftable's and
//   itable's locks for its memory, files and directory.  Those three
//   come last: nothing holding one of them takes a p->lock or waits
//   for a process.
// - The lock of any other subsystem (a pipe's, tickslock, ...) may be
//   held when a p->lock is taken: sleep() is called holding the lock of
//   the condition it waits for, and wakeup() usually is too.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

struct cpu cpus[NCPU];
struct proc proc[NPROC];

static struct proc *initproc;     // the first process; adopts orphans
static struct spinlock wait_lock; // see the lock order above
static int nextpid = 1;           // handed out by allocpid()

extern char trampoline[];  // trampoline.S

// How long an idle hart other than hart 0 sleeps in wfi before looking
// for work again, in `time` units (10 MHz): 100 ms.  A process made
// runnable meanwhile is picked up by the hart that woke it, at its next
// tick at the latest.
#define IDLE_TIMER_INTERVAL 1000000

static void freeproc(struct proc *p);
static void forkret(void);

// ---- States ---------------------------------------------------------

// For each state, the set of states it may move to (one bit per
// state), as the life cycle above lists them.
static const uint8 next_states[] = {
  [UNUSED]   = 1 << USED,
  [USED]     = (1 << RUNNABLE) | (1 << UNUSED),
  [RUNNABLE] = 1 << RUNNING,
  [RUNNING]  = (1 << RUNNABLE) | (1 << SLEEPING) | (1 << ZOMBIE),
  [SLEEPING] = 1 << RUNNABLE,
  [ZOMBIE]   = 1 << UNUSED,
};

// A state's name, six characters wide, as procdump and set_state
// print it.
static const char *
state_name(enum procstate s)
{
  switch(s){
  case UNUSED:   return "unused";
  case USED:     return "used  ";
  case SLEEPING: return "sleep ";
  case RUNNABLE: return "runble";
  case RUNNING:  return "run   ";
  case ZOMBIE:   return "zombie";
  }
  return "???";
}

// Move p to state `to`.  The caller holds p->lock.  A move the life
// cycle does not allow is a kernel bug: panic where it happens, not
// later when a process runs twice or never runs again.
static void
set_state(struct proc *p, enum procstate to)
{
  if(!holding(&p->lock))
    panic("set_state: p->lock not held");
  if((next_states[p->state] & (1 << to)) == 0){
    printf("pid %d: %s -> %s\n", p->pid, state_name(p->state), state_name(to));
    panic("set_state: a move the life cycle does not allow");
  }
  p->state = to;
}

// ---- Harts ----------------------------------------------------------

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

// ---- The table ------------------------------------------------------

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

// Every slot starts UNUSED, with its kernel stack's address.
void
procinit(void)
{
  initlock(&wait_lock, "wait_lock");
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    initlock(&p->lock, "proc");
    p->state = UNUSED;
    p->kstack = KSTACK((int)(p - proc));
  }
}

// A pid never handed out before.  An atomic add, so no lock.
static int
allocpid(void)
{
  return __atomic_fetch_add(&nextpid, 1, __ATOMIC_RELAXED);
}

// Claim an UNUSED slot: it becomes USED and gets a pid.  Returns it
// with p->lock held, or 0 if every slot is taken.
static struct proc *
claim_slot(void)
{
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->state == UNUSED){
      set_state(p, USED);
      p->pid = allocpid();
      return p;
    }
    release(&p->lock);
  }
  return 0;
}

// ---- Birth ----------------------------------------------------------

// Clear the PTE that maps va, if there is one, without freeing the page
// it maps: for pages a page table shows but does not own.
static void
forget_page(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);
  if(pte != 0)
    *pte = 0;
}

// proc_freepagetable(pagetable, sz): free a user page table and all the
// user memory it maps.  The top two pages, the trapframe and the
// trampoline above it, are only unmapped: they are not the page
// table's to free.
void
proc_freepagetable(pagetable_t pagetable, uint64 sz)
{
  forget_page(pagetable, TRAMPOLINE);
  forget_page(pagetable, TRAPFRAME);
  uvmfree(pagetable, sz);
}

// proc_pagetable(p): a new user page table holding only the two pages
// at the top of every address space, neither of them user-accessible:
// the trampoline (R-X, shared by all) and p's own trapframe page (R-W),
// which must already be allocated.  Returns 0 if out of memory, with
// nothing leaked.
pagetable_t
proc_pagetable(struct proc *p)
{
  pagetable_t pagetable = uvmcreate();
  if(pagetable == 0)
    return 0;

  if(mappages(pagetable, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R | PTE_X) != 0 ||
     mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) != 0){
    // Only what was mapped is freed, so this undoes either failure.
    proc_freepagetable(pagetable, 0);
    return 0;
  }
  return pagetable;
}

// allocproc: a new process that can run in the kernel but has no user
// memory yet: a pid, a trapframe page, a page table holding only the
// trampoline and the trapframe, and a context that starts at forkret
// on the process's own kernel stack.  Returns it USED with p->lock
// held, or 0 if the table is full or memory ran out (nothing leaked).
static struct proc *
allocproc(void)
{
  struct proc *p = claim_slot();
  if(p == 0)
    return 0;

  p->trapframe = (struct trapframe *)kalloc();
  p->pagetable = p->trapframe ? proc_pagetable(p) : 0;
  if(p->pagetable == 0){
    freeproc(p);   // gives the trapframe back, if there is one
    release(&p->lock);
    return 0;
  }

  // The first swtch() to p "returns" into forkret, on top of p's stack.
  p->context = (struct context){
    .ra = (uint64)forkret,
    .sp = p->kstack + PGSIZE,
  };
  return p;
}

// freeproc: give back what slot p holds (user memory, page table,
// trapframe), clear every field but lock, kstack and context, and make
// it UNUSED.  p is USED or ZOMBIE, and its open files and directory are
// already gone; p->lock is held.
static void
freeproc(struct proc *p)
{
  if(p->pagetable)
    proc_freepagetable(p->pagetable, p->sz);
  if(p->trapframe)
    kfree((void *)p->trapframe);
  p->pagetable = 0;
  p->trapframe = 0;
  p->sz = p->heapbase = 0;
  p->name[0] = '\0';
  p->parent = 0;
  p->chan = 0;
  p->pid = p->killed = p->xstate = 0;
  // lab syscall: begin
  p->tracemask = 0;
  // lab syscall: end
  // lab traps: begin
  memset(&p->alarm, 0, sizeof(p->alarm));   // a new process has no alarm
  // lab traps: end
  set_state(p, UNUSED);
}

// The first process's program (user/initcode.S, assembled by the
// Makefile): exec("/init", ...), and exit if that fails.
#include "kernel/initcode.h"
_Static_assert(sizeof(initcode) <= PGSIZE, "initcode must fit in one page");

// userinit: create the first process.  Its memory is one page at
// address 0, R-X, holding initcode; its current directory is set by
// forkret, once the file system can be read.  Panics if it cannot be
// built: without it there is nothing to run.
void
userinit(void)
{
  struct proc *p = allocproc();
  if(p == 0)
    panic("userinit: no memory for the first process");

  if(mapfresh(p->pagetable, 0, PTE_R | PTE_X | PTE_U) != 0)
    panic("userinit: no memory for initcode");
  memmove((void *)walkaddr(p->pagetable, 0), initcode, sizeof(initcode));
  p->sz = p->heapbase = PGSIZE;

  memset(p->trapframe, 0, sizeof(*p->trapframe));
  p->trapframe->epc = 0;       // initcode starts at address 0
  p->trapframe->sp = PGSIZE;   // and uses no stack
  safestrcpy(p->name, "initcode", sizeof(p->name));

  initproc = p;
  set_state(p, RUNNABLE);
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
  // lab sbrk: begin growproc
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
  // lab sbrk: end
}

// Give child its own references to parent's open files and current
// directory.
static void
share_files(struct proc *parent, struct proc *child)
{
  for(int fd = 0; fd < NOFILE; fd++)
    child->ofile[fd] = parent->ofile[fd] ? filedup(parent->ofile[fd]) : 0;
  child->cwd = parent->cwd ? idup(parent->cwd) : 0;
}

// fork: create a child process, a copy of the caller: its memory (the
// pages that exist; lazy holes stay holes), registers, open files and
// current directory.  Returns the child's pid to the parent and 0 to
// the child (through its trapframe), or -1 with nothing leaked.
int
fork(void)
{
  struct proc *parent = myproc();
  struct proc *child = allocproc();
  if(child == 0)
    return -1;

  // The memory first: it is the only step that can fail.
  if(uvmcopy(parent->pagetable, child->pagetable, parent->sz) < 0){
    freeproc(child);
    release(&child->lock);
    return -1;
  }
  // lab mmap: begin
  if(mmap_fork(parent, child) < 0){   // the file mappings, and their touched pages
    freeproc(child);
    release(&child->lock);
    return -1;
  }
  // lab mmap: end
  child->sz = parent->sz;
  child->heapbase = parent->heapbase;
  *child->trapframe = *parent->trapframe;
  child->trapframe->a0 = 0;   // what fork() returns in the child
  share_files(parent, child);
  safestrcpy(child->name, parent->name, sizeof(child->name));
  // lab syscall: begin
  child->tracemask = parent->tracemask;   // a traced process's children are traced too
  // lab syscall: end
  int pid = child->pid;

  // wait_lock comes before p->lock: let go of the child to link it to
  // its parent, then take it again to let it run.
  release(&child->lock);
  acquire(&wait_lock);
  child->parent = parent;
  acquire(&child->lock);
  set_state(child, RUNNABLE);
  release(&child->lock);
  release(&wait_lock);
  return pid;
}

// ---- Death ----------------------------------------------------------

// Close p's open files and let go of its current directory.
static void
drop_files(struct proc *p)
{
  for(int fd = 0; fd < NOFILE; fd++){
    struct file *f = p->ofile[fd];
    p->ofile[fd] = 0;
    if(f)
      fileclose(f);
  }

  struct inode *cwd = p->cwd;
  p->cwd = 0;
  if(cwd){
    begin_op();   // the last reference to a removed directory frees it
    iput(cwd);
    end_op();
  }
}

// Give every child of p to init, and wake init if there was one: it may
// already be a zombie.  wait_lock is held.
static void
give_children_to_init(struct proc *p)
{
  int gave = 0;
  for(struct proc *c = proc; c < &proc[NPROC]; c++){
    if(c->parent == p){
      c->parent = initproc;
      gave = 1;
    }
  }
  if(gave)
    wakeup(initproc);
}

// exit(status): end the calling process.  Its files close now; its
// children go to init; it stays a ZOMBIE holding status until its
// parent's wait() collects it.  Never returns.  Panics if init exits.
void
exit(int status)
{
  struct proc *p = myproc();
  if(p == initproc)
    panic("exit: init exited");

  // lab mmap: begin
  munmap_all(p);   // dirty pages of shared file mappings go back to their files
  // lab mmap: end
  drop_files(p);

  acquire(&wait_lock);
  give_children_to_init(p);
  wakeup(p->parent);   // it may be asleep in wait()
  acquire(&p->lock);
  p->xstate = status;
  set_state(p, ZOMBIE);
  release(&wait_lock);

  // The parent frees this stack once the scheduler lets go of p->lock.
  sched();
  panic("exit: a zombie ran again");
}

// Look through parent's children.  Returns how many it has, and sets
// *zombie to one that has exited, locked, or to 0.  wait_lock is held.
static int
find_children(struct proc *parent, struct proc **zombie)
{
  int count = 0;
  *zombie = 0;
  for(struct proc *c = proc; c < &proc[NPROC]; c++){
    if(c->parent != parent)
      continue;
    count++;
    // Taking the lock also waits for a child still switching away
    // from its last swtch() in exit().
    acquire(&c->lock);
    if(c->state == ZOMBIE){
      *zombie = c;
      return count;
    }
    release(&c->lock);
  }
  return count;
}

// Collect zombie child c: copy its exit status to user address addr
// (unless addr is 0), free its slot, and return its pid.  If the status
// cannot be written, return -1 and leave c a zombie for a later wait.
// c->lock is held, and released here.
static int
reap(struct proc *c, uint64 addr)
{
  int pid = c->pid;
  if(addr != 0 &&
     copyout(myproc()->pagetable, addr, (char *)&c->xstate, sizeof(c->xstate)) < 0)
    pid = -1;
  else
    freeproc(c);
  release(&c->lock);
  return pid;
}

// wait(addr): wait for a child to exit, store its exit status at user
// address addr (unless addr is 0) and return its pid.  Returns -1 if
// the caller has no children, is killed while waiting, or addr cannot
// be written (the child then stays a zombie for a later wait).
int
wait(uint64 addr)
{
  struct proc *p = myproc();
  int result;

  acquire(&wait_lock);
  for(;;){
    struct proc *zombie;
    int nchildren = find_children(p, &zombie);
    if(zombie){
      result = reap(zombie, addr);
      break;
    }
    if(nchildren == 0 || killed(p)){
      result = -1;
      break;
    }
    sleep(p, &wait_lock);   // a child's exit() wakes us
  }
  release(&wait_lock);
  return result;
}

// ---- Scheduling -----------------------------------------------------

// Run p on this hart (c) until it gives the hart back.  p is RUNNABLE
// and p->lock is held, as it is again on return.
static void
run(struct cpu *c, struct proc *p)
{
  set_state(p, RUNNING);
  c->proc = p;
  swtch(&c->context, &p->context);
  c->proc = 0;
}

// Nothing is runnable: wait in `wfi` for an interrupt instead of
// spinning, since each wake-up of an idle hart costs the host real CPU
// time.  Hart 0 keeps its 10 ms tick (it counts time and wakes
// sleepers); the others only need to look again now and then, so they
// ask for a later timer.  Interrupts are off: one that is pending still
// ends the wfi at once.
static void
idle(void)
{
  if(cpuid() != 0)
    w_stimecmp(r_time() + IDLE_TIMER_INTERVAL);
  asm volatile("wfi");
}

// scheduler: each hart's loop, entered from main() and never left.  It
// runs every RUNNABLE process in table order, one after the other, and
// idles when a whole pass found none.
void
scheduler(void)
{
  struct cpu *c = mycpu();
  c->proc = 0;

  for(;;){
    // Let pending device interrupts in, then scan with interrupts off,
    // so that a wakeup arriving during the scan leaves an interrupt
    // pending for idle()'s wfi instead of being lost.
    intr_on();
    intr_off();

    int ran = 0;
    for(struct proc *p = proc; p < &proc[NPROC]; p++){
      acquire(&p->lock);
      if(p->state == RUNNABLE){
        run(c, p);
        ran = 1;
      }
      release(&p->lock);
    }
    if(!ran)
      idle();
  }
}

// Give up the hart for one scheduling round.
void
yield(void)
{
  struct proc *p = myproc();
  acquire(&p->lock);
  set_state(p, RUNNABLE);
  sched();
  release(&p->lock);
}

// sched: give this hart back to its scheduler.  The caller has moved
// the current process out of RUNNING and holds its p->lock and no other
// lock.  Returns when a scheduler runs the process again, perhaps on
// another hart.
void
sched(void)
{
  struct proc *p = myproc();

  if(!holding(&p->lock) || mycpu()->noff != 1)
    panic("sched: must hold p->lock and no other lock");
  if(p->state == RUNNING || intr_get())
    panic("sched: process still RUNNING, or interrupts on");

  // Whether interrupts were on belongs to this kernel thread, not to
  // the hart: carry it across to whichever hart resumes us.
  int intena = mycpu()->intena;
  swtch(&p->context, &mycpu()->context);
  mycpu()->intena = intena;
}

// The first process mounts the root file system, which reads the disk
// and so needs a process that can sleep, and makes it its directory.
// In the `make ktest` kernel the in-kernel tests then run, and never
// return.
static void
mount_root(struct proc *p)
{
  fsinit(ROOTDEV);
  p->cwd = namei("/");
#ifdef KERNEL_TESTS
  ktest_run();
#endif
}

// Where every process starts: its first swtch() lands here (see
// allocproc), still holding the p->lock the scheduler took.  From here
// it goes to user mode through its trapframe.
static void
forkret(void)
{
  struct proc *p = myproc();
  release(&p->lock);
  if(p == initproc)
    mount_root(p);
  usertrapret();
}

// ---- Sleep and wakeup -----------------------------------------------

// wakeup(chan): make every process sleeping on chan RUNNABLE.  The
// caller holds no p->lock.
void
wakeup(void *chan)
{
  struct proc *me = myproc();
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p == me)
      continue;   // running, so not asleep
    acquire(&p->lock);
    if(p->state == SLEEPING && p->chan == chan)
      set_state(p, RUNNABLE);
    release(&p->lock);
  }
}

// sleep(chan, lk): wait for a wakeup(chan).  lk is the lock guarding
// the condition the caller waits for: it is let go while asleep and
// held again on return.  A wakeup only means "look again" (kill wakes
// sleepers too), so the caller checks its condition in a loop.
void
sleep(void *chan, struct spinlock *lk)
{
  struct proc *p = myproc();

  // wakeup(chan) needs p->lock: taking it before letting go of lk
  // leaves no moment at which a wakeup could come and go unseen.
  acquire(&p->lock);
  p->chan = chan;
  release(lk);
  set_state(p, SLEEPING);
  sched();
  p->chan = 0;
  release(&p->lock);

  acquire(lk);
}

// ---- Kill -----------------------------------------------------------

// Mark p to die, as kill() does, without waking it: for a process that
// is running, such as one the trap handler found misbehaving.
void
setkilled(struct proc *p)
{
  acquire(&p->lock);
  p->killed = 1;
  release(&p->lock);
}

// The slot of the live (not UNUSED) process pid, with its lock held;
// or 0 if there is none.
static struct proc *
lock_pid(int pid)
{
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->state != UNUSED && p->pid == pid)
      return p;
    release(&p->lock);
  }
  return 0;
}

// kill(pid): ask process pid to die.  It exits the next time it is
// about to return to user mode; if asleep, it is woken to get there.
// Returns 0, or -1 if there is no such process or it is init, which
// must never exit (every orphan is handed to it).
int
kill(int pid)
{
  struct proc *p = lock_pid(pid);
  if(p == 0)
    return -1;

  int allowed = (p != initproc);
  if(allowed){
    p->killed = 1;
    if(p->state == SLEEPING)
      set_state(p, RUNNABLE);
  }
  release(&p->lock);
  return allowed ? 0 : -1;
}

// Has p been asked to die?
int
killed(struct proc *p)
{
  acquire(&p->lock);
  int yes = p->killed;
  release(&p->lock);
  return yes;
}

// ---- Helpers for devices and the console ----------------------------

// Copy len bytes from kernel address src to dst, which is a user
// address of the current process if user_dst is set, else a kernel
// address.  Returns 0, or -1 if the user address is bad.
int
either_copyout(int user_dst, uint64 dst, void *src, uint64 len)
{
  if(!user_dst){
    memmove((void *)dst, src, len);
    return 0;
  }
  return copyout(myproc()->pagetable, dst, src, len);
}

// Copy len bytes to kernel address dst from src, which is a user
// address of the current process if user_src is set, else a kernel
// address.  Returns 0, or -1 if the user address is bad.
int
either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
  if(!user_src){
    memmove(dst, (void *)src, len);
    return 0;
  }
  return copyin(myproc()->pagetable, dst, src, len);
}

// lab syscall: begin
// The number of slots of proc[] in use: processes in any state but
// UNUSED (a zombie not yet reaped counts).
uint64
procs_in_use(void)
{
  uint64 n = 0;
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->state != UNUSED)
      n++;
    release(&p->lock);
  }
  return n;
}
// lab syscall: end

// Ctrl-P: list the processes on the console, one line each: pid, state,
// name and size.  Takes no locks, so that it works even when the
// machine is stuck; a line may be out of date by the time it prints.
void
procdump(void)
{
  printf("\n");
  for(struct proc *p = proc; p < &proc[NPROC]; p++){
    if(p->state != UNUSED)
      printf("%d %s %s sz=%lu\n", p->pid, state_name(p->state), p->name, p->sz);
  }
}
