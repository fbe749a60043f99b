// Traps: system calls, exceptions and device interrupts, from user mode
// (via trampoline.S) and from kernel mode (via kernelvec.S).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

struct spinlock tickslock;
uint ticks;   // timer ticks since boot, counted by hart 0

// A tick every 10 ms: the `time` CSR counts at 10 MHz.
#define TICK_INTERVAL 100000

extern char trampoline[], uservec[], userret[];
void kernelvec(void);
extern volatile int panicked;   // printf.c

// scause values (hardware.md).
#define SCAUSE_INTERRUPT       (1UL << 63)
#define SCAUSE_S_SOFTWARE      (SCAUSE_INTERRUPT | 1)
#define SCAUSE_S_TIMER         (SCAUSE_INTERRUPT | 5)
#define SCAUSE_S_EXTERNAL      (SCAUSE_INTERRUPT | 9)
#define SCAUSE_ILLEGAL_INSN    2
#define SCAUSE_ECALL_U         8
#define SCAUSE_INSN_PAGE_FAULT 12
#define SCAUSE_LOAD_PAGE_FAULT 13
#define SCAUSE_STORE_PAGE_FAULT 15

static int devintr(void);

void
trapinit(void)
{
  initlock(&tickslock, "time");
}

// Send this hart's kernel-mode traps to kernelvec.
void
trapinithart(void)
{
  w_stvec((uint64)kernelvec);
}

// A name for an exception cause, for messages.
static char *
cause_name(uint64 scause)
{
  switch(scause){
  case 0: return "instruction address misaligned";
  case 1: return "instruction access fault";
  case 2: return "illegal instruction";
  case 3: return "breakpoint";
  case 4: return "load address misaligned";
  case 5: return "load access fault";
  case 6: return "store address misaligned";
  case 7: return "store access fault";
  case 8: return "ecall from user mode";
  case 9: return "ecall from supervisor mode";
  case 12: return "instruction page fault";
  case 13: return "load page fault";
  case 15: return "store page fault";
  default: return "unknown exception";
  }
}

// handle_page_fault(p, va, scause): the page-fault handler for a fault
// at user address va.
//   A load or store on a page of the lazily grown heap that has never
//   been touched (below p->sz, not mapped yet) gets a zeroed page: return
//   0 and the instruction runs again.  Anything else (beyond p->sz, the
//   stack guard page, a store to text, executing the heap, out of
//   memory) returns -1: the caller kills the process.
int
handle_page_fault(struct proc *p, uint64 va, uint64 scause)
{
  if(scause == SCAUSE_INSN_PAGE_FAULT)
    return -1;   // the heap is never executable; nothing to fault in
  if(vmfault(p->pagetable, va, scause == SCAUSE_LOAD_PAGE_FAULT) == 0)
    return -1;
  return 0;
}

// Explain on the console why a process is being killed.
static void
report_user_fault(struct proc *p, uint64 scause, uint64 stval)
{
  uint64 va = stval;
  char *why;
  if(scause != SCAUSE_LOAD_PAGE_FAULT && scause != SCAUSE_STORE_PAGE_FAULT &&
     scause != SCAUSE_INSN_PAGE_FAULT)
    why = "";
  else if(va >= p->sz)
    why = " (beyond the end of its memory)";
  else if(ismapped(p->pagetable, va))
    why = " (page not accessible that way)";
  else
    why = " (out of memory for a lazy page)";
  printf("pid %d (%s): %s at va %p%s, pc %p, sz %p: killed\n",
         p->pid, p->name, cause_name(scause), (void *)va, why,
         (void *)r_sepc(), (void *)p->sz);
}

// Entered from uservec (trampoline.S) on any trap from user mode, on
// the process's kernel stack.
void
usertrap(void)
{
  if((r_sstatus() & SSTATUS_SPP) != 0)
    panic("usertrap: trap did not come from user mode");

  // We are in the kernel now: its traps go to kernelvec.
  w_stvec((uint64)kernelvec);

  struct proc *p = myproc();
  p->trapframe->epc = r_sepc();

  uint64 scause = r_scause();
  int which_dev = 0;

  if(scause == SCAUSE_ECALL_U){
    if(killed(p))
      exit(-1);
    p->trapframe->epc += 4;   // return past the ecall
    intr_on();                // the registers we need are saved
    syscall();
  } else if((which_dev = devintr()) != 0){
    // handled
  } else if(scause == SCAUSE_LOAD_PAGE_FAULT || scause == SCAUSE_STORE_PAGE_FAULT ||
            scause == SCAUSE_INSN_PAGE_FAULT){
    if(handle_page_fault(p, r_stval(), scause) != 0){
      report_user_fault(p, scause, r_stval());
      setkilled(p);
    }
  } else {
    report_user_fault(p, scause, r_stval());
    setkilled(p);
  }

  if(killed(p))
    exit(-1);

  if(which_dev == 2)
    yield();   // the timer says this process's slice is over

  usertrapret();
}

// Return to user mode: point stvec at uservec, fill in the trapframe
// fields uservec will need next time, and jump to userret in the
// trampoline with the process's satp.
void
usertrapret(void)
{
  struct proc *p = myproc();

  // From here until sret a trap would go to uservec while still in the
  // kernel; keep interrupts off.
  intr_off();

  uint64 uservec_va = TRAMPOLINE + (uservec - trampoline);
  w_stvec(uservec_va);

  p->trapframe->kernel_satp = r_satp();
  p->trapframe->kernel_sp = p->kstack + PGSIZE;
  p->trapframe->kernel_trap = (uint64)usertrap;
  p->trapframe->kernel_hartid = r_tp();

  uint64 x = r_sstatus();
  x &= ~SSTATUS_SPP;   // sret goes to user mode
  x |= SSTATUS_SPIE;   // with interrupts on
  w_sstatus(x);
  w_sepc(p->trapframe->epc);

  uint64 satp = MAKE_SATP(p->pagetable);
  uint64 userret_va = TRAMPOLINE + (userret - trampoline);
  ((void (*)(uint64))userret_va)(satp);
}

// Traps in supervisor mode come here, via kernelvec, on whatever kernel
// stack was in use.  Only device interrupts are expected; anything else
// is a kernel bug.
void
kerneltrap(void)
{
  uint64 sepc = r_sepc();
  uint64 sstatus = r_sstatus();
  uint64 scause = r_scause();

  if((sstatus & SSTATUS_SPP) == 0)
    panic("kerneltrap: trap did not come from supervisor mode");
  if(intr_get() != 0)
    panic("kerneltrap: interrupts enabled");

  int which_dev = devintr();
  if(which_dev == 0){
    printf("kernel trap: %s (scause %p), sepc %p, stval %p\n",
           cause_name(scause), (void *)scause, (void *)sepc, (void *)r_stval());
    printf("  look up sepc with: addr2line -f -e kernel/kernel %p\n", (void *)sepc);
    panic("kerneltrap: unexpected trap in the kernel");
  }

  if(which_dev == 2 && myproc() != 0)
    yield();

  // yield() may have let other traps in: put back what they changed.
  w_sepc(sepc);
  w_sstatus(sstatus);
}

// Timer interrupt: hart 0 counts ticks; every hart asks for the next.
// Hart 0 keeps to a fixed schedule (tick k is due at boot + k*interval)
// and counts every tick that has come due, so a late interrupt (a busy
// host, a long stretch with interrupts off) does not make the clock
// fall behind real time.
static void
clockintr(void)
{
  static uint64 next_tick;   // hart 0's: when the next tick is due

  if(panicked){
    // Another hart panicked: stop here, so that the machine stays as it
    // was for whoever reads the message (or attaches gdb).
    for(;;)
      asm volatile("wfi");
  }

  uint64 now = r_time();
  if(cpuid() == 0){
    acquire(&tickslock);
    if(next_tick == 0)
      next_tick = now;
    while(next_tick <= now){
      ticks++;
      next_tick += TICK_INTERVAL;
    }
    wakeup(&ticks);
    release(&tickslock);
    w_stimecmp(next_tick);
  } else {
    w_stimecmp(now + TICK_INTERVAL);
  }
}

// Handle a device interrupt if that is what this trap is.
// Returns 2 for the timer, 1 for another device, 0 if not a device.
static int
devintr(void)
{
  uint64 scause = r_scause();

  if(scause == SCAUSE_S_EXTERNAL){
    int irq = plic_claim();
    if(irq == UART0_IRQ)
      uartintr();
    else if(irq == VIRTIO0_IRQ)
      virtio_disk_intr();
    else if(irq)
      printf("devintr: unexpected interrupt irq=%d\n", irq);
    if(irq)
      plic_complete(irq);
    return 1;
  } else if(scause == SCAUSE_S_TIMER){
    clockintr();
    return 2;
  }
  return 0;
}
