// Machine-mode set-up, run by every hart straight from entry.S.
//
// With -bios none there is no firmware below the kernel: each hart
// starts in machine mode, and this file does for it what an SBI would
// before the kernel proper runs in supervisor mode.
#define KERNEL_PRIVILEGED_CSRS
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"

void main(void);

// Boot stacks, one page per hart; entry.S points sp into this.
__attribute__ ((aligned (16))) char stack0[4096 * NCPU];

// Bits of machine-mode CSRs that only this file uses (hardware.md).
#define MENVCFG_STCE   (1UL << 63)  // Sstc: stimecmp exists for S-mode
#define MCOUNTEREN_TM  (1UL << 1)   // S-mode may read the time CSR
#define PMPCFG_RWX_TOR 0x0f         // R, W, X; region ends at pmpaddr
#define PMPADDR_ALL    0x3fffffffffffffUL  // top of the physical space
#define DELEGATE_ALL   0xffff       // every trap cause 0..15

// The first timer interrupt, in `time` units (10 MHz) from now: 0.1 s.
// The tick handler in trap.c sets every later one.
#define FIRST_TICK_DELAY 1000000

// Send every exception and interrupt to supervisor mode, and let the
// kernel take the three kinds of interrupt it handles.
static void
delegate_traps(void)
{
  w_medeleg(DELEGATE_ALL);
  w_mideleg(DELEGATE_ALL);
  w_sie(r_sie() | SIE_SEIE | SIE_STIE | SIE_SSIE);
}

// Supervisor mode sees no memory at all until a PMP entry allows it:
// one region, from 0 to the top of the physical space, open to all.
static void
open_physical_memory(void)
{
  w_pmpaddr0(PMPADDR_ALL);
  w_pmpcfg0(PMPCFG_RWX_TOR);
}

// Let supervisor mode program its own timer through the Sstc
// extension (stimecmp), instead of bouncing every tick through machine
// mode, and ask for the first tick.
static void
timer_to_supervisor(void)
{
  w_mcounteren(r_mcounteren() | MCOUNTEREN_TM);
  w_menvcfg(r_menvcfg() | MENVCFG_STCE);
  w_stimecmp(r_time() + FIRST_TICK_DELAY);
}

// Make the `mret` at the end of start() land in main(), in supervisor
// mode, with paging off until kvminithart() turns it on.
static void
return_to_main_in_supervisor(void)
{
  w_mstatus((r_mstatus() & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S);
  w_mepc((uint64)main);
  w_satp(0);
}

// Entered in machine mode on the hart's boot stack; leaves for main()
// in supervisor mode and never comes back.
void
start(void)
{
  delegate_traps();
  open_physical_memory();
  timer_to_supervisor();
  return_to_main_in_supervisor();

  // cpuid() reads the hart id from tp: mhartid is machine-mode only.
  w_tp(r_mhartid());

  asm volatile("mret");
}
