// In-kernel tests of the memory path: walk, mappages, uvmunmap,
// uvmalloc, uvmdealloc, uvmcopy, copyin/copyout, growproc and the lazy
// fault path, on real page tables.  The runner also checks that each
// test leaves the free-page count exactly as it found it.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

#define GIB (1UL << 30)
#define MIB2 (1UL << 21)

// Number of valid entries in a page-table page.
static int
valid_entries(pagetable_t t)
{
  int n = 0;
  for(int i = 0; i < 512; i++)
    if(t[i] & PTE_V)
      n++;
  return n;
}

// The first page in [from, to) whose PTE is valid, or -1 if none is:
// for messages that name the page still mapped.
static long
first_mapped(pagetable_t pt, uint64 from, uint64 to)
{
  for(uint64 va = from; va < to; va += PGSIZE)
    if(ismapped(pt, va))
      return (long)va;
  return -1;
}

// The first page in [from, to) whose PTE is not valid, or -1.
static long
first_unmapped(pagetable_t pt, uint64 from, uint64 to)
{
  for(uint64 va = from; va < to; va += PGSIZE)
    if(!ismapped(pt, va))
      return (long)va;
  return -1;
}

// Map npages fresh pages from va with perm; 0 or -1.
static int
map_fresh(pagetable_t pt, uint64 va, int npages, int perm)
{
  for(int i = 0; i < npages; i++)
    if(mapfresh(pt, va + i * PGSIZE, perm) != 0)
      return -1;
  return 0;
}

KTEST(walk_creates_exactly_the_tables_needed)
{
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 n0 = kfreecount();

  pte_t *pte = walk(pt, 5 * GIB + 0x3000, 1);
  uint64 n1 = kfreecount();
  pte_t *same_table = walk(pt, 5 * GIB + 0x7000, 1);
  uint64 n2 = kfreecount();
  pte_t *absent = walk(pt, 9 * GIB, 0);
  uint64 n3 = kfreecount();

  int ok_pte = pte != 0 && *pte == 0;
  int ok_same = same_table != 0 && same_table == pte + 4;
  uvmfree(pt, 0);

  CHECK(ok_pte, "walk(alloc=1) did not return an empty PTE");
  CHECK(n0 - n1 == 2, "first walk took %lu pages, expected 2 (levels 1 and 0)", n0 - n1);
  CHECK(ok_same, "a walk in the same 2 MiB did not land in the same table");
  CHECK(n1 == n2, "a walk in the same 2 MiB allocated %lu pages", n1 - n2);
  CHECK(absent == 0, "walk(alloc=0) of an unmapped region did not return 0");
  CHECK(n2 == n3, "walk(alloc=0) allocated memory");
}

KTEST(walk_refuses_maxva_and_out_of_memory)
{
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 n0 = kfreecount();
  pte_t *beyond = walk(pt, MAXVA, 1);
  uint64 n1 = kfreecount();
  kalloc_fail_after(0);
  pte_t *oom = walk(pt, 0x1000, 1);
  kalloc_fail_after(-1);
  uvmfree(pt, 0);
  CHECK(beyond == 0, "walk accepted MAXVA");
  CHECK(n0 == n1, "walk of MAXVA allocated memory");
  CHECK(oom == 0, "walk returned a PTE although kalloc failed");
}

KTEST(mappages_then_uvmunmap_gives_every_page_back)
{
  uint64 before = kfreecount();
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  // Ten pages straddling a 2 MiB boundary: two level-0 tables.
  uint64 va = MIB2 - 5 * PGSIZE;
  int r = map_fresh(pt, va, 10, PTE_R | PTE_W | PTE_U);
  uint64 mapped = kfreecount();
  uvmunmap(pt, va, 10, 1);
  long still = first_mapped(pt, va, va + 10 * PGSIZE);
  int root_entries = valid_entries(pt);
  uvmfree(pt, 0);
  CHECK(r == 0, "mapping ten pages failed");
  CHECK(still < 0, "after uvmunmap of the ten pages from %p the PTE of va %p is still valid",
        (void *)va, (void *)still);
  CHECK(before - mapped == 1 + 10 + 1 + 2,
        "mapping took %lu pages, expected 14 (root, 10 pages, 3 tables)", before - mapped);
  CHECK(root_entries == 0, "uvmunmap left %d tables hanging off the root", root_entries);
  CHECK(kfreecount() == before, "free count %lu, expected %lu", kfreecount(), before);
}

KTEST(mappages_out_of_memory_leaves_nothing_behind)
{
  uint64 before = kfreecount();
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  // A 4-page range across a 1 GiB boundary needs 4 tables.  Fail the
  // 1st, 2nd, 3rd, 4th table allocation in turn.
  uint64 va = GIB - 2 * PGSIZE;
  char *frames = kalloc();   // any page will do as the target
  CHECK(frames != 0, "kalloc failed");
  int failures = 0, leftovers = 0;
  for(int k = 0; k < 4; k++){
    kalloc_fail_after(k);
    if(mappages(pt, va, 4 * PGSIZE, (uint64)frames, PTE_R | PTE_U) == 0){
      failures++;   // should have failed
      uvmunmap(pt, va, 4, 0);
    }
    kalloc_fail_after(-1);
    leftovers += valid_entries(pt);
  }
  kfree(frames);
  uvmfree(pt, 0);
  CHECK(failures == 0, "mappages succeeded %d times with kalloc failing", failures);
  CHECK(leftovers == 0, "a failed mappages left %d entries in the root", leftovers);
  CHECK(kfreecount() == before, "free count %lu, expected %lu", kfreecount(), before);
}

KTEST(mapfresh_out_of_memory_leaves_nothing_behind)
{
  uint64 before = kfreecount();
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  // An empty table: the page, then tables at levels 1 and 0 are needed.
  int failures = 0;
  for(int k = 0; k < 3; k++){
    kalloc_fail_after(k);
    if(mapfresh(pt, 3 * GIB, PTE_R | PTE_U) == 0)
      failures++;
    kalloc_fail_after(-1);
  }
  int root_entries = valid_entries(pt);
  uvmfree(pt, 0);
  CHECK(failures == 0, "mapfresh succeeded %d times with kalloc failing", failures);
  CHECK(root_entries == 0, "a failed mapfresh left %d tables hanging off the root", root_entries);
  CHECK(kfreecount() == before, "free count %lu, expected %lu", kfreecount(), before);
}

KTEST(uvmfree_frees_what_the_page_table_maps_not_what_sz_says)
{
  uint64 before = kfreecount();
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  // Pages below sz with a hole between them, and one far above sz (as
  // an mmap region would be): uvmfree must free all three, whatever sz.
  int r = map_fresh(pt, 0, 1, PTE_R | PTE_W | PTE_U);
  r |= map_fresh(pt, 3 * PGSIZE, 1, PTE_R | PTE_W | PTE_U);
  r |= map_fresh(pt, 200 * GIB, 1, PTE_R | PTE_W | PTE_U);
  uvmfree(pt, 4 * PGSIZE);
  CHECK(r == 0, "mapping the pages failed");
  CHECK(kfreecount() == before, "free count %lu after uvmfree, expected %lu: %ld pages lost",
        kfreecount(), before, (long)(before - kfreecount()));
}

KTEST(uvmunmap_skips_pages_never_mapped)
{
  uint64 before = kfreecount();
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  // Pages 0, 2 and 4 of six; 1, 3, 5 are holes, as a lazy heap has.
  int r = 0;
  for(int i = 0; i < 6; i += 2)
    r |= map_fresh(pt, i * PGSIZE, 1, PTE_R | PTE_W | PTE_U);
  uint64 mapped = kfreecount();
  uvmunmap(pt, 0, 6, 1);
  uint64 unmapped = kfreecount();
  long still = first_mapped(pt, 0, 6 * PGSIZE);
  // A range with no tables at all, far away, is fine too.
  uvmunmap(pt, 40 * GIB, 1000, 1);
  uvmfree(pt, 0);
  CHECK(r == 0, "mapping failed");
  CHECK(still < 0, "after uvmunmap(pt, 0, 6, 1) the PTE of va %p is still valid", (void *)still);
  CHECK(unmapped - mapped == 3 + 2, "uvmunmap freed %ld pages, expected 5 "
        "(3 mapped pages, 2 tables)", (long)(unmapped - mapped));
  CHECK(kfreecount() == before, "free count %lu, expected %lu", kfreecount(), before);
}

KTEST(uvmalloc_maps_zeroed_rw_pages_never_executable)
{
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 sz = uvmalloc(pt, 100, 3 * PGSIZE + 1, PTE_W);
  int zero = 1, perms_ok = 1, first_unmapped = 0;
  for(uint64 va = PGSIZE; va < 4 * PGSIZE; va += PGSIZE){
    pte_t *pte = walk(pt, va, 0);
    if(pte == 0 || (*pte & PTE_V) == 0){
      perms_ok = 0;
      continue;
    }
    if((*pte & (PTE_R | PTE_W | PTE_X | PTE_U)) != (PTE_R | PTE_W | PTE_U))
      perms_ok = 0;
    uchar *pa = (uchar *)PTE2PA(*pte);
    for(int i = 0; i < PGSIZE; i++)
      if(pa[i] != 0)
        zero = 0;
  }
  first_unmapped = !ismapped(pt, 0);
  uvmfree(pt, sz);
  CHECK(sz == 3 * PGSIZE + 1, "uvmalloc returned %p, expected newsz", (void *)sz);
  CHECK(first_unmapped, "uvmalloc mapped the page below PGROUNDUP(oldsz)");
  CHECK(perms_ok, "a new page is missing or not exactly R|W|U");
  CHECK(zero || !SCRUB_PAGES, "a new page is not zeroed");
}

// Inject a kalloc failure at the 1st, 2nd, ... allocation of a growth
// that needs 8 pages and 1 new table; every failing attempt must leave the
// free count and the page table exactly as they were.
KTEST(uvmalloc_failure_at_each_kalloc_leaks_nothing)
{
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 base = MIB2 - 4 * PGSIZE;
  uint64 sz0 = uvmalloc(pt, 0, PGSIZE, PTE_W);   // something already there
  CHECK(sz0 == PGSIZE, "initial uvmalloc failed");
  uint64 before = kfreecount();
  int k, bad_k = -1, bad_result = -1;
  long lost = 0, left = -1;
  for(k = 0; k < 20; k++){
    kalloc_fail_after(k);
    uint64 r = uvmalloc(pt, base, base + 8 * PGSIZE, PTE_W);
    kalloc_fail_after(-1);
    if(r != 0)
      break;   // enough allocations were allowed
    if(kfreecount() != before && bad_k < 0){
      bad_k = k;
      lost = (long)(before - kfreecount());
    }
    if(bad_result < 0 && (left = first_mapped(pt, base, base + 8 * PGSIZE)) >= 0)
      bad_result = k;
  }
  int succeeded_at = k;
  uvmfree(pt, base + 8 * PGSIZE);
  CHECK(bad_result < 0, "uvmalloc failing at kalloc #%d left the PTE of va %p valid: "
        "a failed uvmalloc must unmap every page it mapped", bad_result + 1, (void *)left);
  CHECK(bad_k < 0, "uvmalloc failing at kalloc #%d lost %ld pages (a page or an "
        "emptied page-table page not given back)", bad_k + 1, lost);
  CHECK(succeeded_at == 8 + 1, "uvmalloc first succeeded with %d allocations "
        "allowed, expected 9 (8 pages, 1 new level-0 table)", succeeded_at);
}

KTEST(uvmdealloc_unaligned_sizes_free_exactly_the_right_pages)
{
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 sz = uvmalloc(pt, 0, 5 * PGSIZE + 100, PTE_W);   // pages 0..5
  CHECK(sz != 0, "uvmalloc failed");
  uint64 before = kfreecount();
  // From 5 pages + 100 bytes down to 2 pages + 1 byte: pages 3, 4, 5 go;
  // page 2 holds byte 2*PGSIZE and stays.
  uint64 r = uvmdealloc(pt, 5 * PGSIZE + 100, 2 * PGSIZE + 1);
  uint64 freed = kfreecount() - before;
  long unmapped_below = first_unmapped(pt, 0, 3 * PGSIZE);
  long mapped_above = first_mapped(pt, 3 * PGSIZE, 6 * PGSIZE);
  // Shrinking within one page frees nothing.
  uint64 before2 = kfreecount();
  uint64 r2 = uvmdealloc(pt, 2 * PGSIZE + 1, 2 * PGSIZE + 0);
  uint64 r3 = uvmdealloc(pt, 2 * PGSIZE + 1, 2 * PGSIZE + 1);
  uint64 freed2 = kfreecount() - before2;
  uvmfree(pt, 3 * PGSIZE);
  CHECK(r == 2 * PGSIZE + 1, "uvmdealloc returned %p, expected newsz", (void *)r);
  CHECK(freed == 3, "uvmdealloc freed %ld pages, expected 3 (va 0x3000, 0x4000, 0x5000)",
        (long)freed);
  CHECK(unmapped_below < 0, "va %p, below the new size 0x2001, was unmapped",
        (void *)unmapped_below);
  CHECK(mapped_above < 0, "the PTE of va %p, above the new size 0x2001, is still valid",
        (void *)mapped_above);
  CHECK(r2 == 2 * PGSIZE && freed2 == 1, "shrinking to exactly 2 pages should "
        "free page 2 (freed %lu, returned %p)", freed2, (void *)r2);
  CHECK(r3 == 2 * PGSIZE + 1, "uvmdealloc to the same size should return oldsz");
}

KTEST(growproc_up_down_and_by_zero)
{
  struct proc *p = myproc();
  CHECK(p != 0, "no current process");
  uint64 sz = p->sz;
  uint64 before = kfreecount();

  int r0 = growproc(0);
  int same0 = p->sz == sz && kfreecount() == before;
  int r1 = growproc(3 * PGSIZE + 10);
  uint64 grown = p->sz;
  int usable = 1;
  for(uint64 va = PGROUNDUP(sz); va < grown; va += PGSIZE){
    pte_t *pte = walk(p->pagetable, va, 0);
    if(pte == 0 || (*pte & (PTE_V|PTE_R|PTE_W|PTE_U|PTE_X)) != (PTE_V|PTE_R|PTE_W|PTE_U))
      usable = 0;
  }
  int r2 = growproc(-(3 * PGSIZE + 10));
  uint64 shrunk = p->sz;

  CHECK(r0 == 0 && same0, "growproc(0) changed something");
  CHECK(r1 == 0 && grown == sz + 3 * PGSIZE + 10, "growproc up: returned %d, sz %p",
        r1, (void *)grown);
  CHECK(usable, "grown pages are not mapped R|W|U (and not X)");
  CHECK(r2 == 0 && shrunk == sz, "growproc down: returned %d, sz %p, expected %p",
        r2, (void *)shrunk, (void *)sz);
  CHECK(kfreecount() == before, "free count %lu, expected %lu", kfreecount(), before);
}

KTEST(growproc_refusals_change_nothing)
{
  struct proc *p = myproc();
  uint64 sz = p->sz;
  uint64 before = kfreecount();

  int too_far = growproc(0x7fffffff);   // fine: far below TRAPFRAME
  if(too_far == 0)
    growproc(-0x7fffffff);   // (it might succeed if memory were huge)
  int more_than_all = growproc(-(int)(sz + PGSIZE));
  uint64 sz_after_shrink = p->sz;

  kalloc_fail_after(2);
  int oom = growproc(6 * PGSIZE);
  kalloc_fail_after(-1);

  CHECK(too_far == -1, "growing by 2 GiB with 128 MiB of RAM succeeded");
  CHECK(more_than_all == 0 && sz_after_shrink == sz,
        "shrinking by more than the whole size: returned %d, sz %p -> %p",
        more_than_all, (void *)sz, (void *)sz_after_shrink);
  CHECK(oom == -1, "growproc succeeded with kalloc failing");
  CHECK(p->sz == sz, "a failed growproc changed p->sz");
  CHECK(kfreecount() == before, "free count %lu, expected %lu", kfreecount(), before);
}

KTEST(growproc_refuses_to_pass_trapframe)
{
  struct proc *p = myproc();
  uint64 sz = p->sz;
  uint64 before = kfreecount();
  // Pretend the break is just below HEAPTOP (lazy growth can put it
  // there); nothing is mapped above the real size.
  p->sz = HEAPTOP - PGSIZE;
  int r = growproc(2 * PGSIZE);
  uint64 after = p->sz;
  p->sz = sz;
  CHECK(r == -1, "growth past HEAPTOP was allowed");
  CHECK(after == HEAPTOP - PGSIZE, "a refused growth changed p->sz");
  CHECK(kfreecount() == before, "a refused growth allocated memory");
}

KTEST(copyin_copyout_across_a_page_boundary)
{
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 sz = uvmalloc(pt, 0, 2 * PGSIZE, PTE_W);
  CHECK(sz != 0, "uvmalloc failed");
  char out[200], in[200];
  for(int i = 0; i < sizeof(out); i++)
    out[i] = 'a' + i % 26;
  uint64 va = PGSIZE - 77;
  int w = copyout(pt, va, out, sizeof(out));
  memset(in, 0, sizeof(in));
  int r = copyin(pt, in, va, sizeof(in));
  int same = memcmp(in, out, sizeof(in)) == 0;
  // The bytes must really be in the two physical pages.
  char *p0 = (char *)walkaddr(pt, 0), *p1 = (char *)walkaddr(pt, PGSIZE);
  int placed = p0[PGSIZE - 77] == out[0] && p1[0] == out[77];
  // copyinstr of a string crossing the boundary.
  copyout(pt, PGSIZE - 3, "hello", 6);
  char s[16];
  int rs = copyinstr(pt, s, PGSIZE - 3, sizeof(s));
  uvmfree(pt, sz);
  CHECK(w == 0 && r == 0, "copyout/copyin failed (%d, %d)", w, r);
  CHECK(same, "copyin did not read back what copyout wrote");
  CHECK(placed, "bytes did not land at the right physical addresses");
  CHECK(rs == 0 && strncmp(s, "hello", 6) == 0, "copyinstr across pages failed");
}

KTEST(copy_functions_refuse_bad_addresses)
{
  pagetable_t pt = uvmcreate();
  CHECK(pt != 0, "uvmcreate failed");
  uint64 sz = uvmalloc(pt, 0, 3 * PGSIZE, PTE_W);
  CHECK(sz != 0, "uvmalloc failed");
  uvmclear(pt, PGSIZE);                  // page 1: like the guard page
  char *ro = kalloc();
  CHECK(ro != 0, "kalloc failed");
  memset(ro, 'x', PGSIZE);
  int m = mappages(pt, 8 * PGSIZE, PGSIZE, (uint64)ro, PTE_R | PTE_U);  // read-only
  char buf[64];

  int k1 = copyin(pt, buf, KERNBASE, 8);               // kernel address
  int k2 = copyout(pt, KERNBASE, buf, 8);
  int g1 = copyin(pt, buf, PGSIZE + 8, 8);             // no PTE_U
  int g2 = copyout(pt, PGSIZE + 8, buf, 8);
  int m1 = copyin(pt, buf, MAXVA, 8);                  // at MAXVA
  int m2 = copyout(pt, MAXVA - 4, buf, 8);             // crossing MAXVA
  int m3 = copyin(pt, buf, 0xffffffffffffff00UL, 8);   // far beyond
  int u1 = copyin(pt, buf, 5 * PGSIZE, 8);             // unmapped
  int e1 = copyin(pt, buf, 3 * PGSIZE - 4, 8);         // runs off the end
  int r1 = copyout(pt, 8 * PGSIZE, buf, 8);            // not writable
  int r2 = copyin(pt, buf, 8 * PGSIZE, 8);             // but readable
  copyout(pt, 3 * PGSIZE - 4, "abcd", 4);              // no NUL before the end
  int s1 = copyinstr(pt, buf, 3 * PGSIZE - 4, sizeof(buf));
  int s2 = copyinstr(pt, buf, 8 * PGSIZE, 10);         // no NUL within max
  uvmunmap(pt, 8 * PGSIZE, 1, 1);
  uvmfree(pt, sz);
  CHECK(m == 0, "mapping the read-only page failed");
  CHECK(k1 == -1 && k2 == -1, "copyin/copyout accepted a kernel address");
  CHECK(g1 == -1 && g2 == -1, "copyin/copyout accepted a page without PTE_U");
  CHECK(m1 == -1 && m2 == -1 && m3 == -1, "an address at or past MAXVA was accepted");
  CHECK(u1 == -1, "copyin from an unmapped page succeeded");
  CHECK(e1 == -1, "copyin running off the end of memory succeeded");
  CHECK(r1 == -1, "copyout into a read-only page succeeded");
  CHECK(r2 == 0, "copyin from a read-only user page failed");
  CHECK(s1 == -1, "copyinstr read past the end of user memory");
  CHECK(s2 == -1, "copyinstr accepted a string with no NUL within max");
}

KTEST(uvmcopy_copies_pages_and_keeps_holes)
{
  uint64 before = kfreecount();
  pagetable_t a = uvmcreate(), b = uvmcreate();
  CHECK(a && b, "uvmcreate failed");
  int r = map_fresh(a, 0, 1, PTE_R | PTE_W | PTE_U) |
          map_fresh(a, 2 * PGSIZE, 1, PTE_R | PTE_U) |
          map_fresh(a, 3 * GIB, 1, PTE_R | PTE_W | PTE_U);
  copyout(a, 0, "page zero", 10);
  int c = uvmcopy(a, b, 3 * GIB + PGSIZE);
  char s[16];
  int rs = copyinstr(b, s, 0, sizeof(s));
  // Copied or shared copy-on-write, a write to one must not show in the
  // other.
  char t[16];
  int wb = copyout(b, 0, "the copy", 9);
  int ra = copyinstr(a, t, 0, sizeof(t));
  int distinct = wb == 0 && ra == 0 && strncmp(t, "page zero", 10) == 0;
  int hole = !ismapped(b, PGSIZE);
  pte_t *pa2 = walk(a, 2 * PGSIZE, 0), *pb2 = walk(b, 2 * PGSIZE, 0);
  int perms = pa2 && pb2 && PTE_FLAGS(*pa2) == PTE_FLAGS(*pb2);
  int far = ismapped(b, 3 * GIB);
  uvmfree(a, 3 * GIB + PGSIZE);
  uvmfree(b, 3 * GIB + PGSIZE);
  CHECK(r == 0, "building the source space failed");
  CHECK(c == 0, "uvmcopy failed");
  CHECK(rs == 0 && strncmp(s, "page zero", 10) == 0, "the copy has other contents");
  CHECK(distinct, "a copyout into the copy changed the original (wb %d, ra %d, '%s')",
        wb, ra, t);
  CHECK(hole, "a hole in the original was filled in the copy");
  CHECK(perms, "the copy's permissions differ");
  CHECK(far, "a page 3 GiB up was not copied");
  CHECK(kfreecount() == before, "free count %lu, expected %lu", kfreecount(), before);
}

KTEST(uvmcopy_out_of_memory_leaks_nothing)
{
  pagetable_t a = uvmcreate();
  CHECK(a != 0, "uvmcreate failed");
  uint64 sz = uvmalloc(a, 0, 6 * PGSIZE, PTE_W);
  CHECK(sz != 0, "uvmalloc failed");
  uint64 before = kfreecount();
  int k, leaked_at = -1;
  for(k = 0; k < 20; k++){
    pagetable_t b = uvmcreate();
    if(b == 0)
      break;
    kalloc_fail_after(k);
    int r = uvmcopy(a, b, sz);
    kalloc_fail_after(-1);
    uvmfree(b, r == 0 ? sz : 0);
    if(kfreecount() != before && leaked_at < 0)
      leaked_at = k;
    if(r == 0)
      break;
  }
  uvmfree(a, sz);
  CHECK(leaked_at < 0, "uvmcopy failing at kalloc #%d leaked pages", leaked_at + 1);
  // 2 page-table pages, and 6 pages unless they are shared (cow).
  CHECK(k == 8 || k == 2, "uvmcopy first succeeded after %d allocations, expected 8 "
        "(copying) or 2 (sharing)", k);
}

// lab lazy: begin
KTEST(lazy_pages_fault_in_only_inside_the_process)
{
  struct proc *p = myproc();
  uint64 sz = p->sz;
  uint64 before = kfreecount();
  // What sbrklazy does: move the break, map nothing.
  p->sz = sz + 4 * PGSIZE;
  uint64 inside = vmfault(p->pagetable, sz + 2 * PGSIZE + 5, 1);
  uint64 again = vmfault(p->pagetable, sz + 2 * PGSIZE, 1);
  uint64 beyond = vmfault(p->pagetable, sz + 4 * PGSIZE, 1);
  int zeroed = inside != 0 && ((uint64 *)inside)[0] == 0;
  // copyout into a lazy page faults it in too (read() into fresh memory).
  int co = copyout(p->pagetable, sz + 3 * PGSIZE + 8, "lazy", 5);
  int holes = !ismapped(p->pagetable, sz) && !ismapped(p->pagetable, sz + PGSIZE);
  uint64 used = before - kfreecount();
  // Shrinking frees the touched pages and skips the holes.
  growproc(-4 * PGSIZE);
  uint64 after = p->sz;
  p->sz = sz;
  CHECK(inside != 0, "a lazy page inside the break was not faulted in");
  CHECK(zeroed || !SCRUB_PAGES, "a lazily allocated page is not zeroed");
  CHECK(again == 0, "an already mapped page was faulted in twice");
  CHECK(beyond == 0, "a page at the break (outside memory) was faulted in");
  CHECK(co == 0, "copyout into an untouched lazy page failed");
  CHECK(holes, "untouched lazy pages were allocated");
  CHECK(used >= 2, "touching two lazy pages used %lu pages", used);
  CHECK(after == sz, "shrinking the lazy region: sz %p, expected %p",
        (void *)after, (void *)sz);
  CHECK(kfreecount() == before, "free count %lu, expected %lu", kfreecount(), before);
}
// lab lazy: end
