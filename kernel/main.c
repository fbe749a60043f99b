// Supervisor-mode entry: every hart arrives here from start().
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

// Set by hart 0 once the machine-wide set-up is done; the other harts
// spin on it before touching anything shared.
static volatile int machine_ready = 0;

void
main(void)
{
  if(cpuid() == 0){
    consoleinit();
    printfinit();
    printf("\nxv6-style kernel booting on %d MiB of RAM\n",
           (int)((PHYSTOP - KERNBASE) >> 20));
    kinit();          // physical page allocator
    kvminit();        // kernel page table
    kvminithart();    // paging on
    procinit();       // process table
    trapinit();       // trap vectors
    trapinithart();   // this hart's trap vector
    plicinit();       // interrupt controller
    plicinithart();   // this hart's interrupts
    binit();          // buffer cache
    iinit();          // inode table
    fileinit();       // file table
    virtio_disk_init(); // the disk
    userinit();       // the first process
    __sync_synchronize();
    machine_ready = 1;
  } else {
    while(machine_ready == 0)
      ;
    __sync_synchronize();
    kvminithart();
    trapinithart();
    plicinithart();
  }
  printf("hart %d starting\n", cpuid());
  mycpu()->started = 1;

  scheduler();
}
