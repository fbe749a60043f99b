// Machine-mode set-up, run by every hart straight from entry.S.
// With -bios none there is no firmware below us: this code does what an
// SBI would, then drops to supervisor mode in main().
#define KERNEL_PRIVILEGED_CSRS
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"

void main(void);

// Boot stacks, one page per hart; entry.S points sp into this.
__attribute__ ((aligned (16))) char stack0[4096 * NCPU];

// Let supervisor mode program its own timer through the Sstc extension
// (stimecmp), instead of bouncing every tick through machine mode.
static void
timer_to_supervisor(void)
{
  w_menvcfg(r_menvcfg() | (1L << 63));      // STCE: stimecmp enabled
  w_mcounteren(r_mcounteren() | 2);         // TM: S-mode may read `time`
  w_stimecmp(r_time() + 1000000);           // first tick in 0.1 s
}

// Entered in machine mode on the hart's boot stack.  Prepares an `mret`
// that lands in main() in supervisor mode, with paging off, every trap
// and interrupt delegated to S-mode, and all of physical memory open.
void
start(void)
{
  uint64 status = r_mstatus();
  status &= ~MSTATUS_MPP_MASK;
  status |= MSTATUS_MPP_S;
  w_mstatus(status);
  w_mepc((uint64)main);

  w_satp(0);  // no paging until kvminithart()

  w_medeleg(0xffff);
  w_mideleg(0xffff);
  w_sie(r_sie() | SIE_SEIE | SIE_STIE | SIE_SSIE);

  // PMP: one TOR region covering everything, readable/writable/executable.
  w_pmpaddr0(0x3fffffffffffffull);
  w_pmpcfg0(0xf);

  timer_to_supervisor();

  // Each hart keeps its id in tp, where cpuid() looks for it.
  w_tp(r_mhartid());

  asm volatile("mret");
}
