// The physical page allocator.
//
// Every page of RAM from the end of the kernel image up to PHYSTOP is
// either in use or on a freelist threaded through the free pages
// themselves: the first word of a free page points to the next one.
// In the study note's words, this is the storeroom the housing office
// takes bricks from (kalloc) and puts them back into (kfree).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/spinlock.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"

extern char end[];  // first byte after the kernel image; kernel.ld

// What freed and freshly allocated pages are filled with, so that a use
// of stale or uninitialised memory shows up as a recognisable pattern
// (0x0101... after kfree, 0x0505... after kalloc) instead of as zeros.
// (Not in the syscall lab's tree: see SCRUB_PAGES in param.h.)
#define JUNK_FREED     0x01
#define JUNK_ALLOCATED 0x05

struct run {
  struct run *next;
};

static struct {
  struct spinlock lock;
  struct run *freelist;
  uint64 nfree;       // pages on the freelist
  int fail_after;     // fault injection: see kalloc_fail_after(); -1 = off
} kmem;

// Put every page between the end of the kernel and PHYSTOP on the
// freelist.  Called once, by hart 0, before paging is on.
void
kinit(void)
{
  initlock(&kmem.lock, "kmem");
  kmem.fail_after = -1;
  for(char *p = (char *)PGROUNDUP((uint64)end); p + PGSIZE <= (char *)PHYSTOP; p += PGSIZE)
    kfree(p);
}

// kfree(pa): give back the page at physical address pa, which kalloc
// handed out (or kinit is adding).  Fills it with JUNK_FREED (if
// SCRUB_PAGES).
// Panics if pa is not page aligned or not inside [end, PHYSTOP): freeing
// such an address is always a kernel bug.
void
kfree(void *pa)
{
  if(((uint64)pa % PGSIZE) != 0)
    panic("kfree: address not page aligned");
  if((char *)pa < end || (uint64)pa >= PHYSTOP)
    panic("kfree: address outside the allocatable RAM");

  if(SCRUB_PAGES)
    memset(pa, JUNK_FREED, PGSIZE);

  struct run *r = (struct run *)pa;
  acquire(&kmem.lock);
  r->next = kmem.freelist;
  kmem.freelist = r;
  kmem.nfree++;
  release(&kmem.lock);
}

// kalloc(): take one 4096-byte page off the freelist and return its
// address (physical, and equal to the kernel's virtual address for it).
// The page is filled with JUNK_ALLOCATED (if SCRUB_PAGES; else it holds
// whatever its last owner left): callers that need zeros must clear it.
// Returns 0 when no page is free (or a test injected a failure).  Never
// panics.
void *
kalloc(void)
{
  struct run *r;

  acquire(&kmem.lock);
  if(kmem.fail_after == 0){
    r = 0;
  } else {
    if(kmem.fail_after > 0)
      kmem.fail_after--;
    r = kmem.freelist;
    if(r){
      kmem.freelist = r->next;
      kmem.nfree--;
    }
  }
  release(&kmem.lock);

  if(r && SCRUB_PAGES)
    memset(r, JUNK_ALLOCATED, PGSIZE);
  return (void *)r;
}

// The number of pages on the freelist now.
uint64
kfreecount(void)
{
  acquire(&kmem.lock);
  uint64 n = kmem.nfree;
  release(&kmem.lock);
  return n;
}

// For tests: let the next n calls of kalloc succeed and make every call
// after them fail, until kalloc_fail_after(-1) turns the injection off.
void
kalloc_fail_after(int n)
{
  acquire(&kmem.lock);
  kmem.fail_after = n;
  release(&kmem.lock);
}
