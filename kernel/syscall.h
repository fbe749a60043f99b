// System call numbers.  1..21 are xv6's and must not change; new calls
// take numbers after 21.
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
#define SYS_pause  13   // the 2025 name of the same call
#define SYS_uptime 14
#define SYS_open   15
#define SYS_write  16
#define SYS_mknod  17
#define SYS_unlink 18
#define SYS_link   19
#define SYS_mkdir  20
#define SYS_close  21
// lab traps: begin
// The traps lab's calls, numbered as in MIT 6.1810's 2024 lab tree.
#define SYS_sigalarm  24
#define SYS_sigreturn 25
// lab traps: end
// Our own calls.
#define SYS_halt     22  // power the machine off
#define SYS_freemem  23  // number of free physical pages
#define SYS_getprocs 24  // reserved for process listing

#endif
