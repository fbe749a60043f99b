// In-kernel tests of the physical page allocator.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

extern char end[];

// Every free page is handed out exactly once, page aligned and inside
// [end, PHYSTOP); then kalloc returns 0; then all come back.
KTEST(kalloc_every_page_once)
{
  uint64 nfree = kfreecount();

  // One bit per physical page of RAM: 32768 pages fit in one page.
  uchar *seen = kalloc();
  CHECK(seen != 0, "no page for the bitmap");
  memset(seen, 0, PGSIZE);

  // Chain the pages through their first word so they can be freed.
  void *chain = 0;
  uint64 count = 1;
  int bad = 0;
  for(;;){
    char *p = kalloc();
    if(p == 0)
      break;
    count++;
    uint64 pa = (uint64)p;
    if(pa % PGSIZE != 0 || p < end || pa >= PHYSTOP){
      bad = 1;
    } else {
      uint64 idx = (pa - KERNBASE) / PGSIZE;
      if(seen[idx / 8] & (1 << (idx % 8)))
        bad = 2;
      seen[idx / 8] |= 1 << (idx % 8);
    }
    *(void **)p = chain;
    chain = p;
  }
  uint64 left = kfreecount();
  while(chain){
    void *next = *(void **)chain;
    kfree(chain);
    chain = next;
  }
  kfree(seen);

  CHECK(bad != 1, "a page was misaligned or outside [end, PHYSTOP)");
  CHECK(bad != 2, "a page was handed out twice");
  CHECK(left == 0, "kalloc returned 0 with %lu pages still counted free", left);
  CHECK(count == nfree, "handed out %lu pages, but %lu were free", count, nfree);
  CHECK(kfreecount() == nfree, "after freeing all: %lu free, expected %lu",
        kfreecount(), nfree);
}

// The free count goes down by one per kalloc and back up per kfree.
KTEST(kalloc_free_count_moves_by_one)
{
  uint64 before = kfreecount();
  void *a = kalloc();
  void *b = kalloc();
  CHECK(a && b, "kalloc failed with memory free");
  uint64 during = kfreecount();
  kfree(a);
  kfree(b);
  CHECK(during == before - 2, "after two kallocs: %lu free, expected %lu",
        during, before - 2);
  CHECK(kfreecount() == before, "after two kfrees: %lu free, expected %lu",
        kfreecount(), before);
}

// A freed page reads as junk (0x01 bytes) past the freelist link, not as
// what was in it; a fresh page reads as junk (0x05 bytes), not zeros.
// Where pages are not scrubbed (SCRUB_PAGES, param.h), a freed page
// keeps what was in it instead.
KTEST(kalloc_and_kfree_fill_junk)
{
  uchar *p = kalloc();
  CHECK(p != 0, "kalloc failed with memory free");
  int fresh_junk = 1;
  for(int i = 0; i < PGSIZE; i++)
    if(p[i] != 0x05)
      fresh_junk = 0;
  memset(p, 0xAB, PGSIZE);
  kfree(p);
  // The page is free again but still mapped: look without allocating.
  int freed_junk = 1, freed_kept = 1;
  for(int i = sizeof(void *); i < PGSIZE; i++){
    if(p[i] != 0x01)
      freed_junk = 0;
    if(p[i] != 0xAB)
      freed_kept = 0;
  }
  if(SCRUB_PAGES){
    CHECK(fresh_junk, "a newly allocated page was not filled with 0x05");
    CHECK(freed_junk, "a freed page still holds its old contents, not 0x01 junk");
  } else {
    CHECK(freed_kept, "a freed page lost its contents, though SCRUB_PAGES is 0");
  }
}

// kalloc_fail_after(n) lets n allocations through, then fails them all.
KTEST(kalloc_fault_injection)
{
  uint64 before = kfreecount();
  kalloc_fail_after(1);
  void *a = kalloc();
  void *b = kalloc();
  kalloc_fail_after(-1);
  void *c = kalloc();
  if(a) kfree(a);
  if(b) kfree(b);
  if(c) kfree(c);
  CHECK(a != 0, "the first allocation should have succeeded");
  CHECK(b == 0, "the second allocation should have been made to fail");
  CHECK(c != 0, "allocation still failing after injection was turned off");
  CHECK(kfreecount() == before, "free count changed: %lu -> %lu", before, kfreecount());
}
