// The small C library every user program links with: program start-up,
// string and memory routines, the sbrk wrappers and ugetpid.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "user/user.h"

extern int main(int argc, char *argv[]);

// The entry point user.ld names.  exec() starts a program here with argc
// in a0 and argv in a1; a program that returns from main exits with
// main's return value, as one that calls exit() itself does.
void
start(int argc, char *argv[])
{
  exit(main(argc, argv));
}

// Copy the string src, with its NUL, to dst; return dst.
char*
strcpy(char *dst, const char *src)
{
  char *d = dst;

  while((*d++ = *src++) != 0)
    ;
  return dst;
}

// Compare two strings as unsigned bytes: <0, 0 or >0 as p sorts
// before, equal to or after q.
int
strcmp(const char *p, const char *q)
{
  while(*p && *p == *q){
    p++;
    q++;
  }
  return (uchar)*p - (uchar)*q;
}

// The number of bytes in s before its NUL.
uint
strlen(const char *s)
{
  uint n = 0;

  while(s[n])
    n++;
  return n;
}

// Fill n bytes at dst with the byte c; return dst.
void*
memset(void *dst, int c, uint n)
{
  uchar *d = dst;

  while(n-- > 0)
    *d++ = c;
  return dst;
}

// The first c in s (which may be the NUL when c is 0), or 0 if none.
char*
strchr(const char *s, char c)
{
  for(;; s++){
    if(*s == c)
      return (char*)s;
    if(*s == 0)
      return 0;
  }
}

// Read a line from fd 0 into buf: up to and including a newline (or
// carriage return), at most max-1 bytes, stopping early at end of file.
// The result is NUL-terminated; an empty string means end of file.
char*
gets(char *buf, int max)
{
  int len = 0;
  char c;

  while(len + 1 < max){
    if(read(0, &c, 1) < 1)
      break;
    buf[len++] = c;
    if(c == '\n' || c == '\r')
      break;
  }
  if(max > 0)
    buf[len] = 0;
  return buf;
}

// Fill *st with the status of the file at path.  Returns 0, or -1 if the
// file cannot be opened.
int
stat(const char *path, struct stat *st)
{
  int fd, r;

  fd = open(path, O_RDONLY);
  if(fd < 0)
    return -1;
  r = fstat(fd, st);
  close(fd);
  return r;
}

// The decimal number at the start of s, after optional spaces and an
// optional minus sign; 0 if there is none.
int
atoi(const char *s)
{
  int neg = 0, n = 0;

  while(*s == ' ' || *s == '\t')
    s++;
  if(*s == '-'){
    neg = 1;
    s++;
  }
  while(*s >= '0' && *s <= '9')
    n = n * 10 + (*s++ - '0');
  return neg ? -n : n;
}

// Copy n bytes from src to dst; the two may overlap.  Returns dst.
void*
memmove(void *dst, const void *src, int n)
{
  char *d = dst;
  const char *s = src;

  if(n <= 0 || d == s)
    return dst;
  if(s < d && s + n > d){
    // dst overlaps the tail of src: copy backwards so no byte is
    // overwritten before it is read.
    d += n;
    s += n;
    while(n-- > 0)
      *--d = *--s;
  } else {
    while(n-- > 0)
      *d++ = *s++;
  }
  return dst;
}

// Compare n bytes as unsigned values: <0, 0 or >0.
int
memcmp(const void *a, const void *b, uint n)
{
  const uchar *p = a, *q = b;

  for(; n > 0; n--, p++, q++){
    if(*p != *q)
      return *p - *q;
  }
  return 0;
}

// Copy n bytes from src to dst.  Unlike C's memcpy this one tolerates
// overlap, because compilers emit memcpy calls for struct copies.
void*
memcpy(void *dst, const void *src, uint n)
{
  return memmove(dst, src, n);
}

// Grow the heap by n bytes now (shrink it if n < 0).  Returns the old
// break, or SBRK_ERROR.  In the lazy lab's tree (LAB=lazy) sbrk grows
// lazily instead, as it does in MIT's 2020 lazy lab, whose test
// programs count on it; the same holds for malloc, which calls sbrk.
char*
sbrk(int n)
{
#ifdef LAB_LAZY
  return sys_sbrk(n, SBRK_LAZY);
#else
  return sys_sbrk(n, SBRK_EAGER);
#endif
}

// Move the break by n bytes without allocating; pages appear when first
// touched.  Returns the old break, or SBRK_ERROR.
char*
sbrklazy(int n)
{
  return sys_sbrk(n, SBRK_LAZY);
}

// The caller's pid, read from the USYSCALL page (memlayout.h) without a
// system call.  That page exists only where the kernel maps it (the
// pgtbl lab's tree: USYSCALL_PAGE in param.h); elsewhere the read
// faults and the process is killed.
int
ugetpid(void)
{
  struct usyscall *u = (struct usyscall *)USYSCALL;
  return u->pid;
}
