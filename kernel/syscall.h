// System call numbers: the one list.  The kernel's table in syscall.c
// and the user stubs (user/usys.S, generated from this file by
// scripts/usys.sh) both come from it.
//
//   1..21    xv6's calls; these numbers must never change.
//   22..63   the calls lab assignments add, each at the number MIT's
//            2024 lab trees give it (trace 22, sysinfo 23, sigalarm 24,
//            sigreturn 25, symlink 26, mmap 27, munmap 28, ...).
//   64 up    this kernel's own calls.
//
// Each number names one call.  A name defined as another SYS_ name is
// an alias, the same call under a second name (SYS_pause); any other
// repeated number stops the build (scripts/usys.sh refuses it).
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#define SYS_fork    1
#define SYS_exit    2
#define SYS_wait    3
#define SYS_pipe    4
#define SYS_read    5
#define SYS_kill    6
#define SYS_exec    7
#define SYS_fstat   8
#define SYS_chdir   9
#define SYS_dup    10
#define SYS_getpid 11
#define SYS_sbrk   12
#define SYS_sleep  13
#define SYS_pause  SYS_sleep   // the 2025 name of the same call
#define SYS_uptime 14
#define SYS_open   15
#define SYS_write  16
#define SYS_mknod  17
#define SYS_unlink 18
#define SYS_link   19
#define SYS_mkdir  20
#define SYS_close  21

// lab syscall: begin
// Lab calls.
#define SYS_trace    22  // trace(mask): report the calls in mask as they return
#define SYS_sysinfo  23  // sysinfo(&info): free memory and number of processes
// lab syscall: end

// lab traps: begin
// The traps lab's calls, numbered as in MIT 6.1810's 2024 lab tree.
#define SYS_sigalarm  24
#define SYS_sigreturn 25
// lab traps: end

// File mappings (the mmap lab).  The numbers and the user stubs are
// given; the kernel's side of them is the lab's work.
#define SYS_mmap     27  // mmap(addr, len, prot, flags, fd, offset): map a file
#define SYS_munmap   28  // munmap(addr, len): remove a mapping, or part of one

// Our own calls.
#define SYS_halt     64  // power the machine off
#define SYS_freemem  65  // number of free physical pages
#define SYS_getprocs 66  // reserved for process listing

#endif
