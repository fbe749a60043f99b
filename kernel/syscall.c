// System-call dispatch, and the functions every system call uses to
// fetch its arguments.
//
// A user program puts the call's number in a7 and up to six arguments
// in a0..a5, then executes ecall.  usertrap saves those registers in the
// trapframe and calls syscall(), which stores the call's result in the
// saved a0, where the program finds it after sret.
//
// Fetching an argument checks nothing: argint and argaddr return the
// raw register, whatever the program put there.  The checks happen
// where a value is used.  A user address only ever reaches memory
// through copyin, copyout and copyinstr (fetchaddr and fetchstr below
// use them), which return -1 for an address the process may not touch;
// the system call then returns -1.  So a bad argument costs the
// program an error return, never the kernel a panic.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/syscall.h"
#include "kernel/defs.h"

// The saved value of argument register a<n> of the current process.
// Only n = 0..5 exist; asking for another is a bug in the kernel.
static uint64
sysarg(int n)
{
  struct trapframe *tf = myproc()->trapframe;
  uint64 regs[6] = { tf->a0, tf->a1, tf->a2, tf->a3, tf->a4, tf->a5 };

  if(n < 0 || n >= NELEM(regs))
    panic("sysarg: a system call has only six argument registers");
  return regs[n];
}

// argint(n, &i): argument n, truncated to an int.  Any value may come
// back; the caller decides which it accepts.
void
argint(int n, int *ip)
{
  *ip = (int)sysarg(n);
}

// argaddr(n, &a): argument n as a user address, unchecked (see the top
// of this file for who checks it).
void
argaddr(int n, uint64 *ip)
{
  *ip = sysarg(n);
}

// fetchaddr(addr, &w): copy the 64-bit word at user address addr into
// *ip.  Returns 0, or -1 if any of its 8 bytes lies at or beyond the
// process's size or is not readable.
int
fetchaddr(uint64 addr, uint64 *ip)
{
  struct proc *p = myproc();
  uint64 end = addr + sizeof(*ip);

  // copyin would accept any user page that is mapped; a word the
  // program hands us must also lie inside its own memory.
  if(end < addr || end > p->sz)
    return -1;
  return copyin(p->pagetable, (char *)ip, addr, sizeof(*ip));
}

// fetchstr(addr, buf, max): copy the NUL-terminated string at user
// address addr into buf, which has room for max bytes.  Returns the
// string's length, or -1 if max < 1, a byte of it is not readable, or
// there is no NUL within max bytes.
int
fetchstr(uint64 addr, char *buf, int max)
{
  if(max < 1)
    return -1;
  if(copyinstr(myproc()->pagetable, buf, addr, max) != 0)
    return -1;
  return strlen(buf);
}

// argstr(n, buf, max): argument n taken as the address of a string,
// fetched as fetchstr does.  Its length, or -1.
int
argstr(int n, char *buf, int max)
{
  return fetchstr(sysarg(n), buf, max);
}

// The handlers, declared by the file that defines them.
// sysproc.c:
uint64 sys_fork(void), sys_exit(void), sys_wait(void), sys_kill(void),
  sys_getpid(void), sys_sbrk(void), sys_sleep(void), sys_uptime(void),
  sys_halt(void), sys_freemem(void);
// sysfile.c:
uint64 sys_pipe(void), sys_read(void), sys_write(void), sys_close(void),
  sys_dup(void), sys_fstat(void), sys_open(void), sys_exec(void),
  sys_chdir(void), sys_mkdir(void), sys_mknod(void), sys_link(void),
  sys_unlink(void);
// lab syscall: begin
uint64 sys_trace(void), sys_sysinfo(void);
// lab syscall: end
// lab traps: begin
// alarm.c:
uint64 sys_sigalarm(void), sys_sigreturn(void);
// lab traps: end
// lab mmap: begin
// mmap.c:
uint64 sys_mmap(void), sys_munmap(void);
// lab mmap: end

// The handler of each system-call number (syscall.h); a number without
// one is unknown.  One entry per number: a second entry for a number
// would silently replace the first, so the compiler refuses it.
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Woverride-init"
static uint64 (*syscalls[])(void) = {
  [SYS_fork] = sys_fork,
  [SYS_exit] = sys_exit,
  [SYS_wait] = sys_wait,
  [SYS_pipe] = sys_pipe,
  [SYS_read] = sys_read,
  [SYS_kill] = sys_kill,
  [SYS_exec] = sys_exec,
  [SYS_fstat] = sys_fstat,
  [SYS_chdir] = sys_chdir,
  [SYS_dup] = sys_dup,
  [SYS_getpid] = sys_getpid,
  [SYS_sbrk] = sys_sbrk,
  [SYS_sleep] = sys_sleep,
  [SYS_uptime] = sys_uptime,
  [SYS_open] = sys_open,
  [SYS_write] = sys_write,
  [SYS_mknod] = sys_mknod,
  [SYS_unlink] = sys_unlink,
  [SYS_link] = sys_link,
  [SYS_mkdir] = sys_mkdir,
  [SYS_close] = sys_close,
  // lab traps: begin
  [SYS_sigalarm] = sys_sigalarm,
  [SYS_sigreturn] = sys_sigreturn,
  // lab traps: end
  [SYS_halt] = sys_halt,
  [SYS_freemem] = sys_freemem,
  // lab syscall: begin
  [SYS_trace] = sys_trace,
  [SYS_sysinfo] = sys_sysinfo,
  // lab syscall: end
  // lab mmap: begin
  [SYS_mmap] = sys_mmap,
  [SYS_munmap] = sys_munmap,
  // lab mmap: end
};
// lab syscall: begin

// The name of each call, for trace's reports; one entry per number here
// too.
static const char *callnames[] = {
  [SYS_fork] = "fork",
  [SYS_exit] = "exit",
  [SYS_wait] = "wait",
  [SYS_pipe] = "pipe",
  [SYS_read] = "read",
  [SYS_kill] = "kill",
  [SYS_exec] = "exec",
  [SYS_fstat] = "fstat",
  [SYS_chdir] = "chdir",
  [SYS_dup] = "dup",
  [SYS_getpid] = "getpid",
  [SYS_sbrk] = "sbrk",
  [SYS_sleep] = "sleep",
  [SYS_uptime] = "uptime",
  [SYS_open] = "open",
  [SYS_write] = "write",
  [SYS_mknod] = "mknod",
  [SYS_unlink] = "unlink",
  [SYS_link] = "link",
  [SYS_mkdir] = "mkdir",
  [SYS_close] = "close",
  [SYS_halt] = "halt",
  [SYS_freemem] = "freemem",
  [SYS_trace] = "trace",
  [SYS_sysinfo] = "sysinfo",
  // lab traps: begin
  [SYS_sigalarm] = "sigalarm",
  [SYS_sigreturn] = "sigreturn",
  // lab traps: end
  [SYS_mmap] = "mmap",
  [SYS_munmap] = "munmap",
};
// lab syscall: end
#pragma GCC diagnostic pop

// Run the system call whose number the current process left in a7 and
// put its result in the saved a0.  An unknown number gets -1 and a
// message on the console.
void
syscall(void)
{
  struct proc *p = myproc();
  uint64 num = p->trapframe->a7;
  uint64 (*handler)(void) = 0;

  if(num < NELEM(syscalls))
    handler = syscalls[num];
  if(handler == 0){
    printf("pid %d (%s): unknown system call %ld\n", p->pid, p->name, (long)num);
    p->trapframe->a0 = -1;
    return;
  }
  p->trapframe->a0 = handler();
  // lab syscall: begin

  // The mask is an int: bit n for call n, so calls 32 and up are never
  // traced.  (exit does not return, and so is never reported.)
  if(num < 32 && (((uint)p->tracemask >> num) & 1)){
    const char *name = num < NELEM(callnames) && callnames[num] ? callnames[num] : "?";
    printf("%d: syscall %s -> %ld\n", p->pid, name, (long)p->trapframe->a0);
  }
  // lab syscall: end
}
