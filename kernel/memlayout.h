// Where things are, physically and virtually.
//
// Physical memory on QEMU virt (see ../shared/hardware.md):
//   0x00100000  test device (power off / reset)
//   0x02000000  CLINT
//   0x0c000000  PLIC
//   0x10000000  UART0
//   0x10001000  virtio-mmio disk
//   0x80000000  RAM: the kernel is loaded here; the rest up to PHYSTOP
//               is handed out page by page by kalloc.
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#define VIRT_TEST 0x100000L

#define UART0 0x10000000L
#define UART0_IRQ 10

#define VIRTIO0 0x10001000L
#define VIRTIO0_IRQ 1

#define CLINT 0x2000000L

#define PLIC 0x0c000000L
#define PLIC_PRIORITY (PLIC + 0x0)
#define PLIC_PENDING (PLIC + 0x1000)
#define PLIC_SENABLE(hart) (PLIC + 0x2080 + (hart)*0x100)
#define PLIC_SPRIORITY(hart) (PLIC + 0x201000 + (hart)*0x2000)
#define PLIC_SCLAIM(hart) (PLIC + 0x201004 + (hart)*0x2000)

#define KERNBASE 0x80000000L
#define PHYSTOP (KERNBASE + 128*1024*1024)

// The top two virtual pages of every address space.
// TRAMPOLINE holds the user/kernel switch code, mapped in user and kernel
// page tables at the same address; TRAPFRAME, only in user page tables,
// is where the trampoline saves user registers.
#define TRAMPOLINE (MAXVA - PGSIZE)
#define TRAPFRAME (TRAMPOLINE - PGSIZE)

// USYSCALL, just below TRAPFRAME, is a read-only page through which a
// process reads facts about itself without a system call (ugetpid() in
// ulib.c).  Mapped only where USYSCALL_PAGE (param.h) is set: the pgtbl
// lab's tree.  Names and values as in MIT's pgtbl lab.
#define USYSCALL (TRAPFRAME - PGSIZE)
#ifndef __ASSEMBLER__
struct usyscall {
  int pid;  // the process's pid
};
#endif

// The heap may grow up to HEAPTOP (exclusive): TRAPFRAME, or USYSCALL
// where that page is mapped.  (Needs param.h.)
#define HEAPTOP (USYSCALL_PAGE ? USYSCALL : TRAPFRAME)

// Kernel stacks sit below the trampoline, each with an unmapped guard
// page beneath it so that overflowing a stack faults instead of
// silently overwriting its neighbour.
#define KSTACK(p) (TRAMPOLINE - ((p)+1)* 2*PGSIZE)

// User address space, from 0 up:
//   text, data, bss          (from the ELF file; text R-X, data RW-)
//   guard page               (mapped without PTE_U)
//   USERSTACK stack pages    (RW-)
//   heap                     (grows with sbrk, up to HEAPTOP)
//   ...
//   USYSCALL                 (R--, PTE_U; only if USYSCALL_PAGE)
//   TRAPFRAME                (not PTE_U)
//   TRAMPOLINE               (R-X, not PTE_U)

#endif
