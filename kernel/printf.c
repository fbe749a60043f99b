// Kernel printf and panic.
#include <stdarg.h>

#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"
#include "kernel/proc.h"

volatile int panicked = 0;     // set once any hart panics
volatile int panic_hart = -1;  // which one

// One lock keeps lines from different harts from interleaving.
static struct {
  struct spinlock lock;
  int locking;
} pr;

static const char digits[] = "0123456789abcdef";

// Print an unsigned number in the given base.
static void
printnum(uint64 x, int base)
{
  char buf[24];
  int i = 0;
  do {
    buf[i++] = digits[x % base];
    x /= base;
  } while(x != 0);
  while(--i >= 0)
    consputc(buf[i]);
}

static void
printsigned(long x)
{
  if(x < 0){
    consputc('-');
    printnum(-(uint64)x, 10);
  } else {
    printnum(x, 10);
  }
}

static void
printptr(uint64 x)
{
  consputc('0');
  consputc('x');
  for(int i = 0; i < (int)(sizeof(uint64) * 2); i++, x <<= 4)
    consputc(digits[x >> (sizeof(uint64) * 8 - 4)]);
}

// Print to the console.  Understands %d %u %x %p %s %c %%, and the long
// forms %ld %lu %lx (also %lld ...).  Returns 0.
int
printf(char *fmt, ...)
{
  va_list ap;
  int locking = pr.locking;

  if(locking)
    acquire(&pr.lock);

  va_start(ap, fmt);
  for(int i = 0; fmt[i]; i++){
    char c = fmt[i];
    if(c != '%'){
      consputc(c);
      continue;
    }
    int longs = 0;
    while(fmt[i+1] == 'l'){
      longs++;
      i++;
    }
    c = fmt[++i];
    if(c == 0)
      break;
    switch(c){
    case 'd':
      printsigned(longs ? va_arg(ap, long) : va_arg(ap, int));
      break;
    case 'u':
      printnum(longs ? va_arg(ap, uint64) : va_arg(ap, uint), 10);
      break;
    case 'x':
      printnum(longs ? va_arg(ap, uint64) : va_arg(ap, uint), 16);
      break;
    case 'p':
      printptr(va_arg(ap, uint64));
      break;
    case 'c':
      consputc(va_arg(ap, int));
      break;
    case 's': {
      char *s = va_arg(ap, char*);
      if(s == 0)
        s = "(null)";
      for(; *s; s++)
        consputc(*s);
      break;
    }
    case '%':
      consputc('%');
      break;
    default:
      // Unknown: print it as written so the mistake is visible.
      consputc('%');
      consputc(c);
      break;
    }
  }
  va_end(ap);

  if(locking)
    release(&pr.lock);
  return 0;
}

// Print the return addresses on this hart's kernel stack, newest first,
// by following the frame pointers the compiler keeps (-fno-omit-frame-
// pointer): the return address sits at fp-8 and the caller's fp at fp-16.
// Stops at the edge of the stack page.  Look the addresses up with
//   addr2line -f -e kernel/kernel ADDR   (or in kernel/kernel.asm)
void
backtrace(void)
{
  uint64 fp = r_fp();
  uint64 page = PGROUNDDOWN(fp);

  printf("backtrace (addr2line -f -e kernel/kernel ADDR):\n");
  for(int depth = 0; depth < 32; depth++){
    if(fp < page + 16 || fp > page + PGSIZE || (fp & 7) != 0)
      break;
    uint64 ra = *(uint64 *)(fp - 8);
    uint64 prev = *(uint64 *)(fp - 16);
    printf("  %p\n", (void *)ra);
    if(PGROUNDDOWN(prev) != page && prev != page + PGSIZE)
      break;
    if(prev <= fp)
      break;
    fp = prev;
  }
}

// A kernel bug: print why, where, and stop every hart.
void
panic(char *why)
{
  // Another hart may hold pr.lock forever now; print without it.
  pr.locking = 0;
  intr_off();
  panic_hart = cpuid();
  panicked = 1;
  __sync_synchronize();

  struct proc *p = mycpu()->proc;
  printf("\npanic: %s\n", why);
  printf("  hart %d", cpuid());
  if(p)
    printf(", process %d (%s)", p->pid, p->name);
  printf("\n");
  backtrace();
#ifdef KERNEL_TESTS
  // A panicking test kernel must not hang the test run.
  poweroff(3);
#endif
  for(;;)
    asm volatile("wfi");
}

void
printfinit(void)
{
  initlock(&pr.lock, "pr");
  pr.locking = 1;
}
