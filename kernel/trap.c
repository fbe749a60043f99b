// Traps: system calls, exceptions and device interrupts, from user mode
// (via trampoline.S) and from kernel mode (via kernelvec.S).
//
// Both entries read scause and dispatch on it.  A trap from user mode
// may be a system call, a device interrupt, a page fault the lazy heap
// can satisfy, or a fault that kills the process.  A trap from kernel
// mode may only be a device interrupt; anything else is a kernel bug.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

extern char trampoline[], uservec[], userret[];   // trampoline.S
void kernelvec(void);                              // kernelvec.S
extern volatile int panicked;                      // printf.c

// scause values (hardware.md).
#define SCAUSE_INTERRUPT       (1UL << 63)
#define SCAUSE_S_TIMER         (SCAUSE_INTERRUPT | 5)
#define SCAUSE_S_EXTERNAL      (SCAUSE_INTERRUPT | 9)
#define SCAUSE_ECALL_U         8
#define SCAUSE_INSN_PAGE_FAULT 12
#define SCAUSE_LOAD_PAGE_FAULT 13
#define SCAUSE_STORE_PAGE_FAULT 15

// ---- The clock -------------------------------------------------------

struct spinlock tickslock;
uint ticks;   // timer ticks since boot, counted by hart 0

// A tick every 10 ms: the `time` CSR counts at 10 MHz.
#define TICK_INTERVAL 100000

// Set up what the trap code shares between harts: the tick counter.
void
trapinit(void)
{
  initlock(&tickslock, "ticks");
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
  if(cpuid() != 0){
    w_stimecmp(now + TICK_INTERVAL);
    return;
  }

  acquire(&tickslock);
  if(next_tick == 0)
    next_tick = now;
  for(; next_tick <= now; next_tick += TICK_INTERVAL)
    ticks++;
  wakeup(&ticks);
  release(&tickslock);
  w_stimecmp(next_tick);
}

// ---- Device interrupts -----------------------------------------------

// An external interrupt: ask the PLIC which device raised it, let that
// device's driver handle it, and tell the PLIC it is done.
static void
external_intr(void)
{
  int irq = plic_claim();

  switch(irq){
  case 0:
    return;   // another hart claimed it first
  case UART0_IRQ:
    uartintr();
    break;
  case VIRTIO0_IRQ:
    virtio_disk_intr();
    break;
  default:
    printf("external_intr: unexpected interrupt irq=%d\n", irq);
    break;
  }
  plic_complete(irq);
}

// What a device interrupt was, for whoever must act after it.
enum intr_kind { NOT_AN_INTERRUPT, DEVICE_INTERRUPT, TIMER_INTERRUPT };

// Handle the interrupt scause names, if it names one this kernel
// expects (external or timer), and say which it was.
static enum intr_kind
device_intr(uint64 scause)
{
  if(scause == SCAUSE_S_TIMER){
    clockintr();
    return TIMER_INTERRUPT;
  }
  if(scause == SCAUSE_S_EXTERNAL){
    external_intr();
    return DEVICE_INTERRUPT;
  }
  return NOT_AN_INTERRUPT;
}

// ---- Traps from user mode --------------------------------------------

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

// Is scause one of the three page faults (instruction, load, store)?
static int
is_page_fault(uint64 scause)
{
  return scause == SCAUSE_LOAD_PAGE_FAULT || scause == SCAUSE_STORE_PAGE_FAULT ||
         scause == SCAUSE_INSN_PAGE_FAULT;
}

// handle_page_fault(p, va, scause): the page-fault handler for a fault
// at user address va.  Returns 0 if it made the access good (the
// instruction then runs again), or -1: the caller kills the process.
// lab lazy: begin
//   A load or store on a page of the lazily grown heap that has never
//   been touched (below p->sz, not mapped yet) gets a zeroed page.
// lab lazy: end
// lab cow: begin
//   A store to a copy-on-write page shared since fork gets a page of
//   the process's own (cow_fault in vm.c).
// lab cow: end
// lab mmap: begin
//   A load or store on a page of a file mapping never touched before
//   gets the page read in from the file (mmap_fault in mmap.c).
// lab mmap: end
//   Every other fault (beyond p->sz, the stack guard page, a store to
//   text, executing the heap, out of memory) returns -1.
// Never inlined, so that `break handle_page_fault` in gdb stops at
// every user page fault, whatever the compiler makes of usertrap.
__attribute__((noinline)) int
handle_page_fault(struct proc *p, uint64 va, uint64 scause)
{
  if(scause == SCAUSE_INSN_PAGE_FAULT)
    return -1;   // nothing is ever mapped executable on demand
  // lab cow: begin
  if(scause == SCAUSE_STORE_PAGE_FAULT && cow_fault(p->pagetable, va) == 0)
    return 0;   // a copy-on-write page, now this process's own
  // lab cow: end
  // lab mmap: begin
  if(mmap_fault(p->pagetable, va, scause == SCAUSE_STORE_PAGE_FAULT) == 0)
    return 0;   // a page of a file mapping, read in from the file
  // lab mmap: end
  // lab lazy: begin
  if(vmfault(p->pagetable, va, scause == SCAUSE_LOAD_PAGE_FAULT) != 0)
    return 0;   // a lazy page, now mapped
  // lab lazy: end
  return -1;
}

// The process did something no handler can make good (a bad address,
// an illegal instruction, ...): say so on the console, with the most
// likely reason for a page fault, and mark it killed.
static void
kill_for_fault(struct proc *p, uint64 scause)
{
  uint64 va = r_stval();
  char *why = "";

  if(is_page_fault(scause)){
    if(va >= p->sz)
      why = " (beyond the end of its memory)";
    else if(ismapped(p->pagetable, va))
      why = " (page not accessible that way)";
    else
      why = " (out of memory for a lazy page)";
    // lab mmap: begin
    if(mmap_overlaps(p, va, va + 1))
      why = " (in a file mapping: not allowed there, or out of memory)";
    // lab mmap: end
  }
  printf("pid %d (%s): %s at va %p%s, pc %p, sz %p: killed\n",
         p->pid, p->name, cause_name(scause), (void *)va, why,
         (void *)r_sepc(), (void *)p->sz);
  setkilled(p);
}

// Entered from uservec (trampoline.S) on any trap from user mode, on
// the process's kernel stack, with the user registers saved in its
// trapframe.  Handles the trap, then returns to user mode through
// usertrapret(), or exits if the process has been killed.
void
usertrap(void)
{
  if(r_sstatus() & SSTATUS_SPP)
    panic("usertrap: trap did not come from user mode");
  // From here on, a trap is the kernel's own.
  w_stvec((uint64)kernelvec);

  struct proc *p = myproc();
  uint64 scause = r_scause();
  int slice_over = 0;

  p->trapframe->epc = r_sepc();
  switch(scause){
  case SCAUSE_ECALL_U:
    // A system call.  It will return past the ecall instruction, and
    // runs with interrupts on: it may take long, or sleep.  The user
    // registers it needs are safe in the trapframe.
    if(killed(p))
      exit(-1);
    p->trapframe->epc += 4;
    intr_on();
    syscall();
    break;
  case SCAUSE_S_TIMER:
    clockintr();
    // lab traps: begin
    alarm_tick(p);    // this tick may be the one that calls its handler
    // lab traps: end
    slice_over = 1;   // a tick ends this process's time slice
    break;
  case SCAUSE_S_EXTERNAL:
    external_intr();
    break;
  case SCAUSE_INSN_PAGE_FAULT:
  case SCAUSE_LOAD_PAGE_FAULT:
  case SCAUSE_STORE_PAGE_FAULT:
    if(handle_page_fault(p, r_stval(), scause) != 0)
      kill_for_fault(p, scause);
    break;
  default:
    kill_for_fault(p, scause);
    break;
  }

  if(killed(p))
    exit(-1);
  if(slice_over)
    yield();
  usertrapret();
}

// The address at which trampoline.S's symbol sym runs: the trampoline
// page is mapped at TRAMPOLINE in every page table, user and kernel.
static uint64
trampoline_va(char *sym)
{
  return TRAMPOLINE + (uint64)(sym - trampoline);
}

// Record in tf what uservec will need to enter the kernel on this
// process's next trap: the kernel page table, the top of kstack, where
// to go, and this hart's id.
static void
save_kernel_entry(struct trapframe *tf, uint64 kstack)
{
  tf->kernel_satp = r_satp();
  tf->kernel_sp = kstack + PGSIZE;
  tf->kernel_trap = (uint64)usertrap;
  tf->kernel_hartid = r_tp();
}

// Return to user mode: point stvec at uservec, fill in the trapframe
// fields uservec will need next time, and jump to userret in the
// trampoline with the process's satp.
void
usertrapret(void)
{
  struct proc *p = myproc();

  // Once stvec points at uservec, a trap would go there while still in
  // the kernel: keep interrupts off until sret.
  intr_off();
  w_stvec(trampoline_va(uservec));
  save_kernel_entry(p->trapframe, p->kstack);

  // sret is to go to user mode (SPP clear), turn interrupts on there
  // (SPIE set), and resume at the saved user pc.
  w_sstatus((r_sstatus() & ~SSTATUS_SPP) | SSTATUS_SPIE);
  w_sepc(p->trapframe->epc);

  void (*to_user)(uint64 satp) = (void (*)(uint64))trampoline_va(userret);
  to_user(MAKE_SATP(p->pagetable));
}

// ---- Traps from kernel mode ------------------------------------------

// Send this hart's kernel-mode traps to kernelvec.
void
trapinithart(void)
{
  w_stvec((uint64)kernelvec);
}

// An exception in the kernel itself: print what and where, then panic.
static void __attribute__((noreturn))
kernel_fault(uint64 scause, uint64 sepc)
{
  printf("kernel trap: %s (scause %p), sepc %p, stval %p\n",
         cause_name(scause), (void *)scause, (void *)sepc, (void *)r_stval());
  printf("  look up sepc with: addr2line -f -e kernel/kernel %p\n", (void *)sepc);
  panic("kerneltrap: unexpected trap in the kernel");
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
  if(intr_get())
    panic("kerneltrap: interrupts enabled");

  switch(device_intr(scause)){
  case NOT_AN_INTERRUPT:
    kernel_fault(scause, sepc);
    break;
  case TIMER_INTERRUPT:
    if(myproc() != 0)
      yield();
    break;
  case DEVICE_INTERRUPT:
    break;
  }

  // yield() may have let other traps in: put back what they changed.
  w_sepc(sepc);
  w_sstatus(sstatus);
}
