// lab cow: solution
// In-kernel tests of copy-on-write fork: the page reference counts
// (kalloc.c), uvmcopy's sharing and cow_fault (vm.c), and copyout into a
// shared page.  The runner also checks that each test leaves the
// free-page count exactly as it found it.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

// A user page table with one page at va 0, mapped with perm and filled
// with the byte fill; 0 if out of memory.
static pagetable_t
space_with_one_page(int perm, int fill)
{
  pagetable_t pt = uvmcreate();
  if(pt == 0)
    return 0;
  char *pa = kalloc();
  if(pa == 0 || mappages(pt, 0, PGSIZE, (uint64)pa, perm) != 0){
    if(pa)
      kfree(pa);
    uvmfree(pt, 0);
    return 0;
  }
  memset(pa, fill, PGSIZE);
  return pt;
}

// The flags of the PTE mapping va in pt, or -1 if there is none.
static int
flags_at(pagetable_t pt, uint64 va)
{
  pte_t *pte = walk(pt, va, 0);
  if(pte == 0 || (*pte & PTE_V) == 0)
    return -1;
  return PTE_FLAGS(*pte) & ~(PTE_A | PTE_D);
}

KTEST(kref_counts_holders_and_kfree_frees_at_zero)
{
  uint64 n0 = kfreecount();
  char *p = kalloc();
  CHECK(p != 0, "kalloc failed");
  int c1 = kref_count(p);
  kref_inc(p);
  kref_inc(p);
  int c3 = kref_count(p);
  kfree(p);
  uint64 n1 = kfreecount();
  int c2 = kref_count(p);
  kfree(p);
  kfree(p);
  uint64 n2 = kfreecount();
  int c0 = kref_count(p);
  CHECK(c1 == 1, "a fresh page has count %d, expected 1", c1);
  CHECK(c3 == 3, "after two kref_inc the count is %d, expected 3", c3);
  CHECK(c2 == 2 && n1 == n0 - 1, "kfree of a page with 3 holders left count %d and "
        "%lu free pages (%lu before the kalloc): it must only drop one", c2, n1, n0);
  CHECK(c0 == 0 && n2 == n0, "after the last kfree: count %d, %lu free pages, expected "
        "0 and %lu", c0, n2, n0);
}

KTEST(uvmcopy_shares_pages_and_marks_writable_ones_cow)
{
  pagetable_t a = space_with_one_page(PTE_R | PTE_W | PTE_U, 'a');
  CHECK(a != 0, "building the source space failed");
  char *text = kalloc();
  int mt = text ? mappages(a, PGSIZE, PGSIZE, (uint64)text, PTE_R | PTE_X | PTE_U) : -1;
  pagetable_t b = uvmcreate();
  uint64 n0 = kfreecount();
  int c = b ? uvmcopy(a, b, 2 * PGSIZE) : -1;
  uint64 n1 = kfreecount();
  uint64 pa0 = walkaddr(a, 0), pb0 = walkaddr(b, 0);
  int fa0 = flags_at(a, 0), fb0 = flags_at(b, 0), fb1 = flags_at(b, PGSIZE);
  int count = kref_count((void *)pa0), tcount = kref_count(text);
  uvmfree(a, 2 * PGSIZE);
  if(b)
    uvmfree(b, 2 * PGSIZE);
  CHECK(mt == 0 && b != 0, "building the spaces failed");
  CHECK(c == 0, "uvmcopy failed");
  CHECK(n0 - n1 == 2, "uvmcopy took %lu pages; expected 2 (page tables only)", n0 - n1);
  CHECK(pa0 == pb0, "the data page was copied (%p, %p), not shared", (void *)pa0, (void *)pb0);
  CHECK(count == 2 && tcount == 2, "shared pages have counts %d and %d, expected 2 and 2",
        count, tcount);
  int cow = PTE_V | PTE_R | PTE_U | PTE_COW;
  CHECK(fa0 == cow && fb0 == cow, "the writable page has flags %x (parent) and %x (child), "
        "expected %x in both (W off, COW on)", fa0, fb0, cow);
  CHECK(fb1 == (PTE_V | PTE_R | PTE_X | PTE_U), "the text page has flags %x in the child, "
        "expected %x (shared as it was, not COW)", fb1, (int)(PTE_V | PTE_R | PTE_X | PTE_U));
}

KTEST(cow_fault_copies_a_shared_page_and_reuses_a_lone_one)
{
  pagetable_t a = space_with_one_page(PTE_R | PTE_W | PTE_U, 'a');
  pagetable_t b = uvmcreate();
  CHECK(a != 0 && b != 0, "building the spaces failed");
  int c = uvmcopy(a, b, PGSIZE);
  uint64 shared = walkaddr(a, 0);

  // b writes first: it gets a copy, a keeps the original.
  int rb = cow_fault(b, 100);
  uint64 pb = walkaddr(b, 0);
  int fb = flags_at(b, 0);
  int count_after_copy = kref_count((void *)shared);
  int copied = pb != shared && ((char *)pb)[0] == 'a' && ((char *)pb)[PGSIZE - 1] == 'a';

  // a is now the only holder: its fault must reuse the page.
  uint64 n0 = kfreecount();
  int ra = cow_fault(a, 0);
  uint64 n1 = kfreecount();
  uint64 pa = walkaddr(a, 0);
  int fa = flags_at(a, 0);

  // A second fault on a page no longer COW is a real protection fault.
  int again = cow_fault(a, 0);
  uvmfree(a, PGSIZE);
  uvmfree(b, PGSIZE);

  int rw = PTE_V | PTE_R | PTE_W | PTE_U;
  CHECK(c == 0, "uvmcopy failed");
  CHECK(rb == 0 && copied, "cow_fault on a page with 2 holders returned %d and %s", rb,
        pb == shared ? "left it shared" : "copied other contents");
  CHECK(fb == rw, "after the copy the PTE has flags %x, expected %x", fb, rw);
  CHECK(count_after_copy == 1, "the original has count %d after the copy, expected 1",
        count_after_copy);
  CHECK(ra == 0 && pa == shared && n1 == n0, "cow_fault on a lone page returned %d, "
        "moved it: %d, took %lu pages: it should just make it writable", ra,
        pa != shared, n0 - n1);
  CHECK(fa == rw, "the reused page has flags %x, expected %x", fa, rw);
  CHECK(again == -1, "cow_fault on a writable, non-COW page returned %d, not -1", again);
}

KTEST(cow_fault_refuses_read_only_unmapped_and_out_of_memory)
{
  pagetable_t a = space_with_one_page(PTE_R | PTE_U, 'r');
  pagetable_t w = space_with_one_page(PTE_R | PTE_W | PTE_U, 'w');
  pagetable_t b = uvmcreate();
  CHECK(a != 0 && w != 0 && b != 0, "building the spaces failed");
  int ro = cow_fault(a, 0);
  int ro_flags = flags_at(a, 0);
  int unmapped = cow_fault(a, 5 * PGSIZE);
  int beyond = cow_fault(a, MAXVA + PGSIZE);

  int c = uvmcopy(w, b, PGSIZE);
  uint64 shared = walkaddr(b, 0);
  pte_t before = *walk(b, 0, 0);
  kalloc_fail_after(0);
  int oom = cow_fault(b, 0);
  kalloc_fail_after(-1);
  pte_t after = *walk(b, 0, 0);
  int count = kref_count((void *)shared);
  uvmfree(a, PGSIZE);
  uvmfree(w, PGSIZE);
  uvmfree(b, PGSIZE);

  CHECK(ro == -1 && ro_flags == (PTE_V | PTE_R | PTE_U),
        "cow_fault on a read-only, non-COW page returned %d, flags now %x", ro, ro_flags);
  CHECK(unmapped == -1 && beyond == -1, "cow_fault on an unmapped page returned %d, "
        "beyond MAXVA %d; expected -1", unmapped, beyond);
  CHECK(c == 0, "uvmcopy failed");
  CHECK(oom == -1, "cow_fault with no free page returned %d, not -1", oom);
  CHECK(after == before && count == 2, "a failed cow_fault changed the PTE (%p -> %p) "
        "or the count (%d, expected 2)", (void *)before, (void *)after, count);
}

KTEST(copyout_into_a_shared_page_copies_it)
{
  pagetable_t a = space_with_one_page(PTE_R | PTE_W | PTE_U, 'a');
  pagetable_t b = uvmcreate();
  CHECK(a != 0 && b != 0, "building the spaces failed");
  int c = uvmcopy(a, b, PGSIZE);
  int w = copyout(b, 10, "child", 6);
  char sa[8], sb[8];
  int ra = copyin(a, sa, 10, 6);
  int rb = copyin(b, sb, 10, 6);
  int shared = walkaddr(a, 0) == walkaddr(b, 0);
  int fb = flags_at(b, 0);
  uvmfree(a, PGSIZE);
  uvmfree(b, PGSIZE);
  CHECK(c == 0 && w == 0 && ra == 0 && rb == 0, "uvmcopy %d, copyout %d, copyin %d %d",
        c, w, ra, rb);
  CHECK(!shared, "after copyout the page is still shared");
  CHECK(memcmp(sb, "child", 6) == 0, "the copy does not hold what copyout wrote");
  CHECK(sa[0] == 'a' && sa[5] == 'a', "copyout into the child's page changed the parent's");
  CHECK(fb == (PTE_V | PTE_R | PTE_W | PTE_U), "the child's page has flags %x after copyout",
        fb);
}
