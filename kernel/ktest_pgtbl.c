// lab pgtbl: solution
// In-kernel tests of the pgtbl lab: vmprint's walk, the USYSCALL page,
// pgaccess, and superpages (map, copy, shrink, free; with allocation
// failures injected).  Superpages are tested in every tree: a test takes
// 2 MiB pages for the pool with superpage_reserve(), so the helpers run
// even where SUPERPAGES is 0 and uvmalloc makes none.  The runner checks
// that each test leaves the free-page count as it found it (free 2 MiB
// pages count as 512 pages each).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

#define GIB (1UL << 30)
#define NSUPER (SUPERPGSIZE / PGSIZE)

// ---- vmprint -------------------------------------------------------

struct visit { int depth, index; pte_t pte; };
static struct visit seen[16];
static int nseen;

static void
record(int depth, int index, pte_t pte)
{
  if(nseen < 16)
    seen[nseen] = (struct visit){ depth, index, pte };
  nseen++;
}

// Map one fresh page at va; 0 or -1.
static int
map_page(pagetable_t pt, uint64 va, int perm)
{
  char *pa = kalloc();
  if(pa == 0)
    return -1;
  if(mappages(pt, va, PGSIZE, (uint64)pa, perm) != 0){
    kfree(pa);
    return -1;
  }
  return 0;
}

KTEST(vmprint_visits_every_valid_pte_by_level_and_index)
{
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  int ok = map_page(pt, 0, PTE_R | PTE_U) == 0 &&
           map_page(pt, PGSIZE, PTE_R | PTE_W | PTE_U) == 0 &&
           map_page(pt, 5 * GIB + 3 * PGSIZE, PTE_R | PTE_W | PTE_U) == 0;
  nseen = 0;
  if(ok)
    vmwalk(pt, record);
  struct visit want[] = {
    { 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 0 }, { 3, 1, 0 },
    { 1, 5, 0 }, { 2, 0, 0 }, { 3, 3, 0 },
  };
  int bad = -1;
  for(int i = 0; ok && i < NELEM(want) && i < nseen; i++){
    int leaf = (seen[i].pte & (PTE_R | PTE_W | PTE_X)) != 0;
    if(seen[i].depth != want[i].depth || seen[i].index != want[i].index ||
       leaf != (want[i].depth == 3) || (seen[i].pte & PTE_V) == 0){
      bad = i;
      break;
    }
  }
  // The level-1 table under root entry 0 is what its PTE points to.
  int linked = nseen >= 3 && PTE2PA(pt[0]) == PTE2PA(seen[0].pte);
  uvmfree(pt, 5 * GIB + 4 * PGSIZE);

  CHECK(ok, "could not map the three test pages");
  CHECK(nseen == NELEM(want), "vmwalk visited %d PTEs, expected %d (3 leaves, 4 tables)",
        nseen, (int)NELEM(want));
  CHECK(bad < 0, "visit %d was depth %d index %d pte %p, expected depth %d index %d",
        bad, seen[bad].depth, seen[bad].index, (void *)seen[bad].pte,
        want[bad].depth, want[bad].index);
  CHECK(linked, "the first visit is not the root's entry 0");
}

// ---- USYSCALL --------------------------------------------------------

KTEST(usyscall_page_holds_the_pid_read_only_where_enabled)
{
  struct proc *p = myproc();
  pte_t *pte = walk(p->pagetable, USYSCALL, 0);
  int mapped = pte != 0 && (*pte & PTE_V) != 0;
  if(!USYSCALL_PAGE){
    CHECK(!mapped, "USYSCALL is mapped although USYSCALL_PAGE is 0");
    CHECK(p->usyscall == 0, "a process has a USYSCALL page although USYSCALL_PAGE is 0");
    return;
  }
  CHECK(mapped, "USYSCALL is not mapped in the test process");
  CHECK((*pte & (PTE_R | PTE_U)) == (PTE_R | PTE_U), "USYSCALL's PTE %p lacks R or U",
        (void *)*pte);
  CHECK((*pte & (PTE_W | PTE_X)) == 0, "USYSCALL's PTE %p is writable or executable",
        (void *)*pte);
  CHECK(PTE2PA(*pte) == (uint64)p->usyscall, "USYSCALL maps %p, not the process's page %p",
        (void *)PTE2PA(*pte), p->usyscall);
  CHECK(p->usyscall->pid == p->pid, "the USYSCALL page says pid %d, the process is %d",
        p->usyscall->pid, p->pid);
}

// ---- pgaccess --------------------------------------------------------

// Set (on) or clear PTE_A of the page at va of the current process.
static void
set_accessed(uint64 va, int on)
{
  pte_t *pte = walk(myproc()->pagetable, va, 0);
  if(on)
    *pte |= PTE_A;
  else
    *pte &= ~PTE_A;
}

KTEST(pgaccess_reports_then_clears_accessed_bits_and_refuses_bad_arguments)
{
  struct proc *p = myproc();
  uint64 base = PGROUNDUP(p->sz);
  uint64 oldsz = p->sz;
  CHECK(growproc(base - oldsz + 6 * PGSIZE) == 0, "growproc of 6 pages failed");
  uint64 maskva = base;           // page 0 receives the mask
  uint64 scan = base + PGSIZE;    // pages 1..5 are scanned
  for(int i = 0; i < 5; i++)
    set_accessed(scan + i * PGSIZE, i == 0 || i == 3);

  uchar mask = 0xff;
  int r1 = pgaccess(p->pagetable, scan + 17, 5, maskva);   // base need not be aligned
  copyin(p->pagetable, (char *)&mask, maskva, 1);
  uchar first = mask;
  int r2 = pgaccess(p->pagetable, scan, 5, maskva);
  copyin(p->pagetable, (char *)&mask, maskva, 1);
  uchar second = mask;

  set_accessed(scan, 1);
  int bad_count = pgaccess(p->pagetable, scan, 0, maskva) == -1 &&
                  pgaccess(p->pagetable, scan, -3, maskva) == -1 &&
                  pgaccess(p->pagetable, scan, 5000, maskva) == -1;
  int bad_mask = pgaccess(p->pagetable, scan, 5, MAXVA + 64) == -1 &&
                 pgaccess(p->pagetable, scan, 5, TRAPFRAME) == -1;
  int bad_range = pgaccess(p->pagetable, MAXVA - PGSIZE, 2, maskva) == -1;
  int kept = (*walk(p->pagetable, scan, 0) & PTE_A) != 0;
  growproc(-(int)(p->sz - oldsz));

  CHECK(r1 == 0 && r2 == 0, "pgaccess returned %d and %d on good arguments", r1, r2);
  CHECK(first == 0x09, "pages 0 and 3 were accessed; the mask is 0x%x, not 0x9", first);
  CHECK(second == 0, "the second call saw mask 0x%x: the bits were not cleared", second);
  CHECK(bad_count, "a page count of 0, -3 or 5000 was accepted");
  CHECK(bad_mask, "a mask at MAXVA or at TRAPFRAME (not the user's) was accepted");
  CHECK(bad_range, "pages reaching past MAXVA were accepted");
  CHECK(kept, "a refused call cleared PTE_A");
}

// ---- Superpages ------------------------------------------------------

// Add n 2 MiB pages to the pool (they stay there, counted as free); 0
// or -1.
static int
pool_add(int n)
{
  for(int i = 0; i < n; i++){
    if(superpage_reserve() != 0)
      return -1;
  }
  return 0;
}

KTEST(superpage_is_one_level1_leaf_that_walk_and_copyout_see_through)
{
  CHECK(pool_add(1) == 0, "no 2 MiB run of free pages for the pool");
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 n0 = kfreecount();
  uint64 va = 2 * SUPERPGSIZE;

  int r = superpage_alloc(pt, va, PTE_R | PTE_W | PTE_U);
  uint64 n1 = kfreecount();
  pte_t *leaf = superpage_leaf(pt, va + 77 * PGSIZE);
  int same = leaf != 0 && walk(pt, va + 300 * PGSIZE, 0) == leaf;
  uint64 pa = leaf ? PTE2PA(*leaf) : 0;
  int aligned = pa % SUPERPGSIZE == 0;
  int addr_ok = walkaddr(pt, va + 5 * PGSIZE + 9) == pa + 5 * PGSIZE;
  char msg[8] = "hello!!";
  int out = copyout(pt, va + 7 * PGSIZE - 3, msg, sizeof(msg));
  int landed = leaf && memcmp((char *)pa + 7 * PGSIZE - 3, msg, sizeof(msg)) == 0;
  int zero = leaf && ((char *)pa)[SUPERPGSIZE - 1] == 0;
  uvmunmap(pt, va, NSUPER, 1);
  uint64 n2 = kfreecount();
  uvmfree(pt, 0);

  CHECK(r == 0, "superpage_alloc failed with a superpage free");
  CHECK(n0 - n1 == NSUPER + 1, "mapping a superpage took %lu pages, expected 513 (512 and the level-1 table)",
        n0 - n1);
  CHECK(same, "walk does not return the same level-1 leaf for every page of the superpage");
  CHECK(aligned, "the superpage's physical address %p is not 2 MiB aligned", (void *)pa);
  CHECK(addr_ok, "walkaddr of the 6th page is not 5 pages into the superpage");
  CHECK(out == 0 && landed, "copyout into the superpage did not land at the right offset");
  CHECK(zero, "a fresh superpage is not zeroed");
  CHECK(n2 == n0, "uvmunmap of the superpage left %ld pages taken", (long)(n0 - n2));
}

// A page table with 4 KiB pages at 0 and 1 and a superpage at 2 MiB,
// each page holding its address; sz 4 MiB.  0, or -1 (pt freed).
static pagetable_t
sample_space(void)
{
  pagetable_t pt = uvmcreate();
  if(pt == 0)
    return 0;
  if(map_page(pt, 0, PTE_R | PTE_W | PTE_U) != 0 ||
     map_page(pt, PGSIZE, PTE_R | PTE_W | PTE_U) != 0 ||
     superpage_alloc(pt, SUPERPGSIZE, PTE_R | PTE_W | PTE_U) != 0){
    uvmfree(pt, 2 * SUPERPGSIZE);
    return 0;
  }
  for(uint64 va = 0; va < 2 * SUPERPGSIZE; va += PGSIZE){
    uint64 pa = walkaddr(pt, va);
    if(pa)
      *(uint64 *)pa = va;
  }
  return pt;
}

// Does every mapped page of [0, 4 MiB) in pt hold its own address, and
// is the 2 MiB at 2 MiB pt's own copy, not other's physical pages?  (The
// 4 KiB pages below may be shared copy-on-write: the cow lab.)
static int
holds_sample(pagetable_t pt, pagetable_t other)
{
  for(uint64 va = 0; va < 2 * SUPERPGSIZE; va += PGSIZE){
    uint64 pa = walkaddr(pt, va);
    if(pa == 0)
      continue;
    if(*(uint64 *)pa != va)
      return 0;
    if(va >= SUPERPGSIZE && pa == walkaddr(other, va))
      return 0;
  }
  return walkaddr(pt, SUPERPGSIZE + 9 * PGSIZE) != 0;
}

KTEST(uvmcopy_copies_a_superpage_and_gives_back_everything_when_memory_fails)
{
  CHECK(pool_add(2) == 0, "no two 2 MiB runs of free pages for the pool");
  pagetable_t old = sample_space();
  CHECK(old != 0, "could not build the parent's address space");
  uint64 n0 = kfreecount();

  // Every failure point of the copy: nothing may stay behind.
  int leaked_at = -1;
  for(int k = 0; k < 8 && leaked_at < 0; k++){
    pagetable_t new = uvmcreate();
    kalloc_fail_after(k);
    int r = uvmcopy(old, new, 2 * SUPERPGSIZE);
    kalloc_fail_after(-1);
    if(r == 0)
      uvmunmap(new, 0, 2 * NSUPER, 1);
    uvmfree(new, 0);
    if(kfreecount() != n0)
      leaked_at = k;
  }

  pagetable_t new = uvmcreate();
  int r = uvmcopy(old, new, 2 * SUPERPGSIZE);
  int super = superpage_leaf(new, SUPERPGSIZE) != 0;
  int copied = r == 0 && holds_sample(new, old);
  uvmfree(new, 2 * SUPERPGSIZE);
  uint64 n1 = kfreecount();
  uvmfree(old, 2 * SUPERPGSIZE);

  CHECK(leaked_at < 0, "uvmcopy failing after %d allocations lost %ld pages",
        leaked_at, (long)(n0 - kfreecount()));
  CHECK(r == 0, "uvmcopy failed with memory free");
  CHECK(super, "the child's copy of the superpage is not a superpage");
  CHECK(copied, "the child's pages do not hold the parent's data in pages of their own");
  CHECK(n1 == n0, "freeing the child left %ld pages taken", (long)(n0 - n1));
}

KTEST(uvmcopy_copies_a_superpage_as_pages_when_the_pool_is_empty)
{
  CHECK(pool_add(1) == 0, "no 2 MiB run of free pages for the pool");
  pagetable_t old = sample_space();
  CHECK(old != 0, "could not build the parent's address space");
  // Empty the pool, keeping what it held to give back afterwards.
  void *held[64];
  int nheld = 0;
  while(nheld < 64 && (held[nheld] = superalloc()) != 0)
    nheld++;

  pagetable_t new = uvmcreate();
  int r = uvmcopy(old, new, 2 * SUPERPGSIZE);
  int as_pages = superpage_leaf(new, SUPERPGSIZE) == 0;
  int copied = r == 0 && holds_sample(new, old);
  uvmfree(new, 2 * SUPERPGSIZE);
  for(int i = 0; i < nheld; i++)
    superfree(held[i]);
  uvmfree(old, 2 * SUPERPGSIZE);

  CHECK(r == 0, "uvmcopy failed with 4 KiB pages free");
  CHECK(as_pages, "the copy is a superpage although the pool was empty");
  CHECK(copied, "the child's 4 KiB copy does not hold the parent's data");
}

KTEST(a_shrink_inside_a_superpage_demotes_it_and_keeps_the_pages_below)
{
  CHECK(pool_add(1) == 0, "no 2 MiB run of free pages for the pool");
  uint64 n0 = kfreecount();
  pagetable_t pt = sample_space();
  CHECK(pt != 0, "could not build the address space");
  uint64 base = walkaddr(pt, SUPERPGSIZE);

  // Keep 10 pages and one byte of the superpage: 11 pages.
  uint64 cut = SUPERPGSIZE + 10 * PGSIZE + 1;
  uvmdealloc(pt, 2 * SUPERPGSIZE, cut);
  int demoted = superpage_leaf(pt, SUPERPGSIZE) == 0;
  int kept = 1;
  for(uint64 va = SUPERPGSIZE; va < PGROUNDUP(cut); va += PGSIZE){
    uint64 pa = walkaddr(pt, va);
    if(pa != base + (va - SUPERPGSIZE) || *(uint64 *)pa != va)
      kept = 0;
  }
  int gone = walkaddr(pt, PGROUNDUP(cut)) == 0 && walkaddr(pt, 2 * SUPERPGSIZE - PGSIZE) == 0;
  // 2 pages + 11 pages + tables: root, level-1, level-0 for [0, 2 MiB),
  // and the new level-0 table (a page of the superpage).
  uint64 taken = n0 - kfreecount();
  uvmfree(pt, cut);
  uint64 n1 = kfreecount();

  CHECK(demoted, "the superpage is still one leaf after a shrink that ends inside it");
  CHECK(kept, "the 11 pages below the new end do not map the same data at the same place");
  CHECK(gone, "pages above the new end are still mapped");
  CHECK(taken == 2 + 11 + 4, "the shrunk space holds %lu pages, expected 17", taken);
  CHECK(n1 == n0, "freeing the shrunk space lost %ld pages", (long)(n0 - n1));
}

KTEST(superpage_alloc_fails_cleanly_and_uvmalloc_uses_superpages_where_on)
{
  CHECK(pool_add(2) == 0, "no two 2 MiB runs of free pages for the pool");
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 n0 = kfreecount();
  kalloc_fail_after(0);    // no superpage
  int r0 = superpage_alloc(pt, SUPERPGSIZE, PTE_R | PTE_U);
  kalloc_fail_after(1);    // a superpage, but no level-1 table
  int r1 = superpage_alloc(pt, SUPERPGSIZE, PTE_R | PTE_U);
  kalloc_fail_after(-1);
  uint64 n1 = kfreecount();

  // uvmalloc of [4 KiB, 6 MiB): superpages at 2 and 4 MiB where they
  // are on; the first stretch is not a whole 2 MiB, so 4 KiB pages.
  uint64 sz = uvmalloc(pt, PGSIZE, 3 * SUPERPGSIZE, PTE_W);
  int low = superpage_leaf(pt, PGSIZE) == 0 && walkaddr(pt, PGSIZE) != 0;
  int high = (superpage_leaf(pt, SUPERPGSIZE) != 0) == (SUPERPAGES != 0) &&
             (superpage_leaf(pt, 2 * SUPERPGSIZE) != 0) == (SUPERPAGES != 0);
  // And its failure half way gives everything back.
  pagetable_t pt2 = uvmcreate();
  uint64 m0 = kfreecount();
  kalloc_fail_after(600);   // past the first 2 MiB and the superpages
  uint64 failed = uvmalloc(pt2, PGSIZE, 3 * SUPERPGSIZE + 200 * PGSIZE, PTE_W);
  kalloc_fail_after(-1);
  uint64 m1 = kfreecount();
  uvmfree(pt2, 0);
  uvmfree(pt, sz);

  CHECK(r0 == -1 && r1 == -1, "superpage_alloc succeeded with allocation failing (%d, %d)", r0, r1);
  CHECK(n1 == n0, "the failed superpage_allocs took %ld pages", (long)(n0 - n1));
  CHECK(sz == 3 * SUPERPGSIZE, "uvmalloc of 6 MiB failed");
  CHECK(low, "[4 KiB, 2 MiB), not a whole aligned 2 MiB, is not 4 KiB pages");
  CHECK(high, "the 2 MiB stretches at 2 and 4 MiB are %s superpages, but SUPERPAGES is %d",
        SUPERPAGES ? "not" : "", SUPERPAGES);
  CHECK(failed == 0, "uvmalloc succeeded although allocation failed after 600 pages");
  CHECK(m1 == m0, "the failed uvmalloc lost %ld pages", (long)(m0 - m1));
}
