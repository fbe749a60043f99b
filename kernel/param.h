// Sizes of the kernel's fixed tables.  The values are xv6's; lab handouts
// and xv6 user programs rely on them.
#ifndef KERNEL_PARAM_H
#define KERNEL_PARAM_H

#define NPROC        64    // processes, at most
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
#define FSSIZE       2000  // blocks in the file system image
#define MAXPATH      128   // longest path name, with its NUL
#define USERSTACK    1     // pages of user stack

#endif
