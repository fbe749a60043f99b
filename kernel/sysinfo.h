// What the sysinfo() system call reports.  User programs include this
// file too (after kernel/types.h).
#ifndef KERNEL_SYSINFO_H
#define KERNEL_SYSINFO_H

struct sysinfo {
  uint64 freemem;   // bytes of free physical memory
  uint64 nproc;     // processes in the table (any state but UNUSED)
};

#endif
