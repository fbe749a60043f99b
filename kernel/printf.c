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

// The table of kernel function names that the Makefile's second link
// embeds (written by scripts/ksyms.py; its comment gives the layout):
// 32-bit words: magic, count, then count pairs (address - KERNBASE,
// offset of the NUL-terminated name from the table's start), sorted by
// address.  In the first link it is all zeros, and lookups find nothing.
#define KSYMS_MAGIC 0x4d59534b  // "KSYM"
extern const uint32 ksyms_table[];
extern char etext[];        // kernel.ld
extern char trampoline[];   // trampoline.S

// ksym_lookup(addr, offset): the name of the kernel function whose code
// holds addr, setting *offset to addr's distance from its first byte.
// Returns 0 for an address outside the kernel's text (the trampoline
// counts at either of its two addresses), or when the kernel has no
// table.  Allocates nothing, takes no lock: safe inside panic().
const char *
ksym_lookup(uint64 addr, uint64 *offset)
{
  if(addr >= TRAMPOLINE && addr < TRAMPOLINE + PGSIZE)
    addr = addr - TRAMPOLINE + (uint64)trampoline;
  if(ksyms_table[0] != KSYMS_MAGIC || addr < KERNBASE || addr >= (uint64)etext)
    return 0;

  const uint32 *sym = &ksyms_table[2];
  uint32 want = addr - KERNBASE;
  int lo = 0, hi = (int)ksyms_table[1] - 1, found = -1;
  // The last symbol at or below want.
  while(lo <= hi){
    int mid = (lo + hi) / 2;
    if(sym[2 * mid] <= want){
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if(found < 0)
    return 0;
  *offset = want - sym[2 * found];
  return (const char *)ksyms_table + sym[2 * found + 1];
}

// print_stack(): print the return addresses on this hart's kernel
// stack, newest first, each with the function it returns into (panic's
// backtrace; `call print_stack()` in gdb too), by following the frame
// pointers the compiler keeps (-fno-omit-frame-pointer): the return
// address sits at fp-8 and the caller's fp at fp-16.  Stops at the edge
// of the stack page.  A line reads
//   0x0000000080002f86 growproc+0x7c
// and `addr2line -f -e kernel/kernel 0x0000000080002f86` gives the line.
void
print_stack(void)
{
  uint64 fp = r_s0();
  uint64 page = PGROUNDDOWN(fp);

  printf("backtrace (newest first; addr2line -f -e kernel/kernel ADDR gives the line):\n");
  for(int depth = 0; depth < 32; depth++){
    if(fp < page + 16 || fp > page + PGSIZE || (fp & 7) != 0)
      break;
    // A frame at the very top of the stack belongs to the function the
    // stack started with (usertrap, forkret): it was jumped to, not
    // called, and its saved ra is left over from before (a user pc).
    if(fp == page + PGSIZE)
      break;
    uint64 ra = *(uint64 *)(fp - 8);
    uint64 prev = *(uint64 *)(fp - 16);
    // Name ra-1, the call instruction's last byte: a call to a function
    // that never returns (panic) may be the last instruction of its
    // function, and then ra is already the next function's first byte.
    uint64 offset = 0;
    const char *name = ksym_lookup(ra - 1, &offset);
    if(name)
      printf("  %p %s+0x%lx\n", (void *)ra, name, offset + 1);
    else
      printf("  %p\n", (void *)ra);
    if(PGROUNDDOWN(prev) != page && prev != page + PGSIZE)
      break;
    if(prev <= fp)
      break;
    fp = prev;
  }
}

// lab traps: begin
// backtrace(): print the return addresses on the current kernel stack,
// newest first, one a line, after a line `backtrace:`.  The frame of
// each function holds its return address at fp-8 and its caller's fp at
// fp-16; the walk ends when fp leaves the page of the stack it started
// on.  `addr2line -e kernel/kernel ADDR` turns an address into a line.
void
backtrace(void)
{
  uint64 fp = r_fp();
  uint64 bottom = PGROUNDDOWN(fp);
  uint64 top = bottom + PGSIZE;

  printf("backtrace:\n");
  while(fp >= bottom + 16 && fp < top){
    printf("%p\n", (void *)*(uint64 *)(fp - 8));
    fp = *(uint64 *)(fp - 16);
  }
}
// lab traps: end

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
  print_stack();
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
