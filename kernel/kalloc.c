// The physical page allocator.
//
// Every page of RAM from the end of the kernel image up to PHYSTOP is
// either in use or on a freelist threaded through the free pages
// themselves: the first word of a free page points to the next one.
// In the study note's words, this is the storeroom the housing office
// takes bricks from (kalloc) and puts them back into (kfree).
// lab cow: begin
//
// A page may be shared: after a copy-on-write fork, parent and child
// both map it.  Each page carries a reference count (the number of
// mappings or other holders of it): kalloc sets it to 1, kref_inc adds
// a holder, and kfree drops one and frees the page only when none is
// left.
// lab cow: end
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
  // lab pgtbl: begin
  struct run *superlist;  // free 2 MiB pages (superpage.c), also threaded
  uint64 nsuper;          // how many
  // lab pgtbl: end
} kmem;

// lab pgtbl: begin
static struct run *break_superpage(void);
// lab pgtbl: end

// lab cow: begin
// One count per page of RAM, indexed from KERNBASE.  The counts change
// with atomic instructions (amoadd.w) instead of under a lock: kalloc
// and kfree run for every page, and a lock here would slow them all.
#define NPHYSPAGES ((PHYSTOP - KERNBASE) / PGSIZE)
#define PAGE_INDEX(pa) (((uint64)(pa) - KERNBASE) / PGSIZE)

static int kref[NPHYSPAGES];

// kref_set_one(pa): the page at pa has just been allocated: one holder.
static void
kref_set_one(void *pa)
{
  __atomic_store_n(&kref[PAGE_INDEX(pa)], 1, __ATOMIC_SEQ_CST);
}

// kref_inc(pa): one more holder shares the allocated page at pa (a
// copy-on-write fork mapped it in a child too).  Panics if the page is
// free: sharing a free page is a kernel bug.
void
kref_inc(void *pa)
{
  if(__atomic_fetch_add(&kref[PAGE_INDEX(pa)], 1, __ATOMIC_SEQ_CST) < 1)
    panic("kref_inc: page is free");
}

// kref_drop(pa): one holder lets go of the page at pa.  Returns how many
// holders are left; 0 means the caller (kfree) must free the page.
// Panics if the page is free already: a double kfree.
static int
kref_drop(void *pa)
{
  int left = __atomic_sub_fetch(&kref[PAGE_INDEX(pa)], 1, __ATOMIC_SEQ_CST);
  if(left < 0)
    panic("kfree: page is already free");
  return left;
}

// kref_count(pa): how many holders the page at pa has now (0 if free).
// Only a hint, since others may add or drop holders at any time, except
// to a caller that holds one of the references and knows no one else
// can add one: if it reads 1, the page is its alone.
int
kref_count(void *pa)
{
  return __atomic_load_n(&kref[PAGE_INDEX(pa)], __ATOMIC_SEQ_CST);
}
// lab cow: end

// Put every page between the end of the kernel and PHYSTOP on the
// freelist.  Called once, by hart 0, before paging is on.
void
kinit(void)
{
  initlock(&kmem.lock, "kmem");
  kmem.fail_after = -1;
  for(char *p = (char *)PGROUNDUP((uint64)end); p + PGSIZE <= (char *)PHYSTOP; p += PGSIZE){
    // lab cow: begin
    kref_set_one(p);   // as if allocated, so that kfree frees it
    // lab cow: end
    kfree(p);
  }
  // lab pgtbl: begin
  for(int i = 0; i < SUPERPAGES; i++)
    superpage_reserve();
  // lab pgtbl: end
}

// kfree(pa): give back the page at physical address pa, which kalloc
// handed out (or kinit is adding).  Fills it with JUNK_FREED (if
// SCRUB_PAGES).
// lab cow: begin
// A shared page is only given back by its last holder: kfree drops one
// reference and frees the page when none is left.
// lab cow: end
// Panics if pa is not page aligned or not inside [end, PHYSTOP): freeing
// such an address is always a kernel bug.
void
kfree(void *pa)
{
  if(((uint64)pa % PGSIZE) != 0)
    panic("kfree: address not page aligned");
  if((char *)pa < end || (uint64)pa >= PHYSTOP)
    panic("kfree: address outside the allocatable RAM");
  // lab cow: begin
  if(kref_drop(pa) > 0)
    return;   // still mapped elsewhere (copy-on-write): not free yet
  // lab cow: end

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
    // lab pgtbl: begin
    if(r == 0)
      r = break_superpage();   // the 4 KiB pages ran out: use a 2 MiB one
    // lab pgtbl: end
    if(r){
      kmem.freelist = r->next;
      kmem.nfree--;
    }
  }
  release(&kmem.lock);

  if(r){
    if(SCRUB_PAGES)
      memset(r, JUNK_ALLOCATED, PGSIZE);
    // lab cow: begin
    kref_set_one(r);
    // lab cow: end
  }
  return (void *)r;
}

// The number of pages on the freelist now.
// lab pgtbl: begin
// The free 2 MiB pages count too, as 512 pages each.
// lab pgtbl: end
uint64
kfreecount(void)
{
  acquire(&kmem.lock);
  uint64 n = kmem.nfree;
  // lab pgtbl: begin
  n += kmem.nsuper * (SUPERPGSIZE / PGSIZE);
  // lab pgtbl: end
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
// lab pgtbl: begin

// ---- 2 MiB pages, for superpages (superpage.c) ----------------------
//
// A pool of free 2 MiB-aligned runs of 512 pages, taken off the
// freelist at boot (SUPERPAGES of them, param.h).  kalloc breaks one up
// into ordinary pages when the freelist runs dry, so none of that
// memory is lost to 4 KiB users.

// With kmem.lock held: move one free 2 MiB page onto the freelist as
// 512 pages; return the new head of the freelist, or 0 if the pool is
// empty too.
static struct run *
break_superpage(void)
{
  struct run *big = kmem.superlist;
  if(big == 0)
    return 0;
  kmem.superlist = big->next;
  kmem.nsuper--;
  for(char *p = (char *)big; p < (char *)big + SUPERPGSIZE; p += PGSIZE){
    struct run *r = (struct run *)p;
    r->next = kmem.freelist;
    kmem.freelist = r;
    kmem.nfree++;
  }
  return kmem.freelist;
}

// One bit per page of RAM: is it on the freelist?  For superpage_reserve.
static uint8 onfreelist[(PHYSTOP - KERNBASE) / PGSIZE / 8];

// Is every page of the 2 MiB at base on the freelist?
static int
all_free(uint64 base)
{
  for(uint64 pa = base; pa < base + SUPERPGSIZE; pa += PGSIZE){
    uint64 i = (pa - KERNBASE) / PGSIZE;
    if((onfreelist[i / 8] & (1 << (i % 8))) == 0)
      return 0;
  }
  return 1;
}

// superpage_reserve(): find a 2 MiB-aligned run of 512 pages that are
// all on the freelist, the highest there is, take them off it and add
// them to the pool of 2 MiB pages.  0, or -1 if no such run is free.
// kinit calls it SUPERPAGES times; tests call it to get a superpage in
// any tree.
int
superpage_reserve(void)
{
  int r = -1;

  acquire(&kmem.lock);
  memset(onfreelist, 0, sizeof(onfreelist));
  for(struct run *p = kmem.freelist; p; p = p->next){
    uint64 i = ((uint64)p - KERNBASE) / PGSIZE;
    onfreelist[i / 8] |= 1 << (i % 8);
  }
  for(uint64 base = PHYSTOP - SUPERPGSIZE; base >= (uint64)end; base -= SUPERPGSIZE){
    if(!all_free(base))
      continue;
    // Unlink its pages from the freelist, then add it to the pool.
    struct run **link = &kmem.freelist;
    while(*link){
      if((uint64)*link >= base && (uint64)*link < base + SUPERPGSIZE)
        *link = (*link)->next;
      else
        link = &(*link)->next;
    }
    kmem.nfree -= SUPERPGSIZE / PGSIZE;
    struct run *big = (struct run *)base;
    big->next = kmem.superlist;
    kmem.superlist = big;
    kmem.nsuper++;
    r = 0;
    break;
  }
  release(&kmem.lock);
  return r;
}

// superalloc(): a free 2 MiB page, 2 MiB aligned, or 0 if the pool is
// empty (or a test injected a failure: it counts as a kalloc call).
// Its contents are whatever they were; superpage.c zeroes it.
void *
superalloc(void)
{
  struct run *r = 0;

  acquire(&kmem.lock);
  if(kmem.fail_after != 0){
    if(kmem.fail_after > 0)
      kmem.fail_after--;
    r = kmem.superlist;
    if(r){
      kmem.superlist = r->next;
      kmem.nsuper--;
    }
  }
  release(&kmem.lock);
  return (void *)r;
}

// superfree(pa): give back a 2 MiB page superalloc handed out.  Panics
// if pa is not a 2 MiB-aligned address of RAM.
void
superfree(void *pa)
{
  if((uint64)pa % SUPERPGSIZE != 0 || (char *)pa < end || (uint64)pa >= PHYSTOP)
    panic("superfree: not a 2 MiB page");
  if(SCRUB_PAGES)
    memset(pa, JUNK_FREED, SUPERPGSIZE);
  struct run *r = (struct run *)pa;
  acquire(&kmem.lock);
  r->next = kmem.superlist;
  kmem.superlist = r;
  kmem.nsuper++;
  release(&kmem.lock);
}

// superpage_split(pa): the 2 MiB page at pa, allocated by superalloc,
// becomes 512 allocated 4 KiB pages, each to be given back with kfree
// (a superpage being demoted).
void
superpage_split(void *pa)
{
  if((uint64)pa % SUPERPGSIZE != 0)
    panic("superpage_split: not a 2 MiB page");
  // lab cow: begin
  for(char *p = pa; p < (char *)pa + SUPERPGSIZE; p += PGSIZE)
    kref_set_one(p);
  // lab cow: end
}
// lab pgtbl: end
