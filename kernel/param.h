// Sizes of the kernel's fixed tables.  The values are xv6's; lab handouts
// and xv6 user programs rely on them.  A few differ in some labs' trees
// (the Makefile defines LAB_NAME when conf/lab.mk names a lab): the same
// values MIT's lab trees use, which those labs' tests expect.
#ifndef KERNEL_PARAM_H
#define KERNEL_PARAM_H

#ifdef LAB_FS
#define NPROC        10    // processes, at most (the fs lab tree has fewer)
#else
#define NPROC        64    // processes, at most
#endif
#define NCPU          8    // harts, at most
#define NOFILE       16    // open files per process
#define NFILE       100    // open files in the whole system
#define NINODE       50    // inodes held in memory at once
#define NDEV         10    // device major numbers
#define ROOTDEV       1    // disk holding the root file system
#define MAXARG       32    // exec arguments
#define MAXOPBLOCKS  10    // blocks one file-system call may write
#define LOGSIZE      (MAXOPBLOCKS*3)  // blocks in the on-disk log
#define NBUF         (MAXOPBLOCKS*3)  // blocks in the buffer cache
#if defined(LAB_FS)
#define FSSIZE       200000  // blocks in the file system image (room for big files)
#elif defined(LAB_LOCK)
#define FSSIZE       10000   // blocks in the file system image
#else
#define FSSIZE       2000    // blocks in the file system image
#endif
#define MAXPATH      128   // longest path name, with its NUL
#ifdef LAB_UTIL
#define USERSTACK    2     // pages of user stack (the util lab's programs need more)
#else
#define USERSTACK    1     // pages of user stack
#endif

// Does a physical page get scrubbed when it changes hands?  Normally it
// does: kfree and kalloc fill it with junk, and a page given to a user
// process is zeroed first, so no process ever reads what another left
// behind.  The syscall lab's tree turns that off, as MIT's does: its
// attack exercise has students recover a secret from the memory of a
// process that has exited.  (exec still zeroes a program's bss.)
#ifdef LAB_SYSCALL
#define SCRUB_PAGES  0
#else
#define SCRUB_PAGES  1
#endif

// The pgtbl lab's features that change what every process sees are on
// only in that lab's tree (compat.md's address space has nothing
// between the heap and TRAPFRAME):
//   USYSCALL_PAGE  map the USYSCALL page (memlayout.h), read-only, in
//                  every process; the heap then stops below it.
//   SUPERPAGES     how many 2 MiB pages kalloc keeps for eager sbrk to
//                  map with level-1 leaves (superpage.c); 0: none made.
//   VMPRINT_INIT   print init's page table when exec loads it.
#ifdef LAB_PGTBL
#define USYSCALL_PAGE 1
#define SUPERPAGES    8
#define VMPRINT_INIT  1
#else
#define USYSCALL_PAGE 0
#define SUPERPAGES    0
#define VMPRINT_INIT  0
#endif

#endif
