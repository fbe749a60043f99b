#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

// Registers saved by swtch when a kernel thread gives up its hart.
// Only the callee-saved ones: the caller saved the rest on its stack.
struct context {
  uint64 ra;
  uint64 sp;
  uint64 s0;
  uint64 s1;
  uint64 s2;
  uint64 s3;
  uint64 s4;
  uint64 s5;
  uint64 s6;
  uint64 s7;
  uint64 s8;
  uint64 s9;
  uint64 s10;
  uint64 s11;
};

// Per-hart state.
struct cpu {
  struct proc *proc;        // running process, or 0
  struct context context;   // swtch() here to enter the scheduler
  int noff;                 // depth of push_off() nesting
  int intena;               // were interrupts on before push_off()?
  int started;              // has said it is up
};

extern struct cpu cpus[NCPU];

// Where the trampoline saves a process's user registers on a trap, and
// finds what it needs to enter the kernel.  It lives in its own page,
// mapped at TRAPFRAME in the user page table.  The offsets are used by
// trampoline.S: change one, change both.
struct trapframe {
  /*   0 */ uint64 kernel_satp;   // kernel page table
  /*   8 */ uint64 kernel_sp;     // top of this process's kernel stack
  /*  16 */ uint64 kernel_trap;   // usertrap()
  /*  24 */ uint64 epc;           // user pc
  /*  32 */ uint64 kernel_hartid; // tp to restore in the kernel
  /*  40 */ uint64 ra;
  /*  48 */ uint64 sp;
  /*  56 */ uint64 gp;
  /*  64 */ uint64 tp;
  /*  72 */ uint64 t0;
  /*  80 */ uint64 t1;
  /*  88 */ uint64 t2;
  /*  96 */ uint64 s0;
  /* 104 */ uint64 s1;
  /* 112 */ uint64 a0;
  /* 120 */ uint64 a1;
  /* 128 */ uint64 a2;
  /* 136 */ uint64 a3;
  /* 144 */ uint64 a4;
  /* 152 */ uint64 a5;
  /* 160 */ uint64 a6;
  /* 168 */ uint64 a7;
  /* 176 */ uint64 s2;
  /* 184 */ uint64 s3;
  /* 192 */ uint64 s4;
  /* 200 */ uint64 s5;
  /* 208 */ uint64 s6;
  /* 216 */ uint64 s7;
  /* 224 */ uint64 s8;
  /* 232 */ uint64 s9;
  /* 240 */ uint64 s10;
  /* 248 */ uint64 s11;
  /* 256 */ uint64 t3;
  /* 264 */ uint64 t4;
  /* 272 */ uint64 t5;
  /* 280 */ uint64 t6;
};

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

// lab traps: begin
// A process's alarm (sigalarm and sigreturn, alarm.c).  All zero: none.
struct alarm {
  int interval;             // call the handler every interval ticks; 0: off
  int ticks;                // ticks used since the handler last ran
  uint64 handler;           // its user address
  int running;              // the handler runs and has not sigreturn'd
  struct trapframe saved;   // the user registers it interrupted
};
// lab traps: end

// lab mmap: begin
// One file mapping of a process, made by mmap (mmap.c): the pages
// [start, start+len) show the file's bytes from off on.  A slot whose
// file is 0 is free.
struct vma {
  uint64 start;          // page aligned
  uint64 len;            // bytes, a whole number of pages
  uint64 off;            // the file offset start shows; page aligned
  int prot;              // PROT_READ and/or PROT_WRITE (fcntl.h)
  int flags;             // MAP_SHARED or MAP_PRIVATE
  struct file *file;     // a reference of the mapping's own
};
#define NVMA 16          // mappings a process may have at once
// lab mmap: end

// A process.
struct proc {
  struct spinlock lock;

  // p->lock must be held to use these:
  enum procstate state;
  void *chan;                  // what it sleeps on, if SLEEPING
  int killed;                  // asked to die
  int xstate;                  // exit status for the parent's wait
  int pid;

  // wait_lock must be held to use this:
  struct proc *parent;

  // Private to the process; no lock needed while it runs:
  uint64 kstack;               // virtual address of its kernel stack
  uint64 sz;                   // bytes of user memory: 0 up to the break
  uint64 heapbase;             // lowest address of the heap (top of stack)
  pagetable_t pagetable;       // user page table
  struct trapframe *trapframe; // saved user registers (TRAPFRAME page)
  struct context context;      // swtch() here to run it
  struct file *ofile[NOFILE];  // open files
  struct inode *cwd;           // current directory
  char name[16];               // for debugging
  // lab syscall: begin
  int tracemask;               // calls to report: bit n for call n (trace())
  // lab syscall: end
  // lab traps: begin
  struct alarm alarm;          // sigalarm's state; private, like the above
  // lab traps: end
  // lab mmap: begin
  struct vma vmas[NVMA];       // file mappings (mmap.c); private too
  // lab mmap: end
};

#endif
