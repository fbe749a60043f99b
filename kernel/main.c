// Supervisor-mode entry: every hart arrives here from start().
//
// Hart 0 is the boot hart.  It sets up what the whole machine shares
// (memory, the process table, devices, the file system's caches, the
// first process) while the other harts wait; then every hart, hart 0
// included, sets up its own state and enters the scheduler.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

#define BOOT_HART 0

typedef void (*init_step)(void);

static void say_hello(void);

// The machine-wide set-up, run once by the boot hart, in this order:
// each step may use what the steps above it set up.  Paging is still
// off here (kernel addresses are physical ones), and no interrupt can
// arrive yet: sstatus.SIE stays clear until the scheduler.
static const init_step machine_steps[] = {
  consoleinit,       // the UART, so that printf has somewhere to go
  printfinit,
  say_hello,
  kinit,             // physical page allocator
  kvminit,           // the kernel page table, with every kernel stack
  procinit,          // process table
  trapinit,          // the tick counter
  plicinit,          // interrupt priorities of the devices
  binit,             // buffer cache
  iinit,             // inode table
  fileinit,          // open-file table
  virtio_disk_init,  // the disk
  userinit,          // the first process, runnable
};

// Each hart's own set-up, run by every hart once the machine's is done.
static const init_step hart_steps[] = {
  trapinithart,      // kernel traps go to kernelvec
  kvminithart,       // paging on, with the kernel page table
  plicinithart,      // this hart takes device interrupts
};

// Set by the boot hart when the machine-wide set-up is complete.  The
// release store and acquire loads make everything the boot hart wrote
// visible to a hart that sees it set.
static int machine_ready;

// Run steps[0..n-1] in order on this hart.
static void
run_steps(const init_step *steps, int n)
{
  for(int i = 0; i < n; i++)
    steps[i]();
}

// The first line the kernel prints.
static void
say_hello(void)
{
  printf("\nxv6-style kernel booting on %d MiB of RAM\n",
         (int)((PHYSTOP - KERNBASE) >> 20));
}

// Entered in supervisor mode by every hart, with paging off and
// interrupts off.  Never returns: ends in this hart's scheduler.
void
main(void)
{
  if(cpuid() == BOOT_HART){
    run_steps(machine_steps, NELEM(machine_steps));
    __atomic_store_n(&machine_ready, 1, __ATOMIC_RELEASE);
  } else {
    while(__atomic_load_n(&machine_ready, __ATOMIC_ACQUIRE) == 0)
      ;
  }
  run_steps(hart_steps, NELEM(hart_steps));

  printf("hart %d starting\n", cpuid());
  mycpu()->started = 1;
  scheduler();
}
