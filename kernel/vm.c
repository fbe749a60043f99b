// Page tables: the kernel's, and each process's.
//
// A process's page table is two things at once.  For the hardware it is
// the map from virtual to physical addresses.  For the kernel it is the
// ledger of which physical pages the process owns: no other record
// exists.  So everything that frees user memory reads the ledger first
// and frees exactly the pages it finds there: uvmunmap (and through it
// uvmdealloc) looks up each page of a range, skipping addresses that
// were never mapped (a lazily grown heap has many such holes); uvmfree
// walks the whole tree when a process dies.
//
// Sv39 in brief: a virtual address has three 9-bit indexes, VPN[2],
// VPN[1], VPN[0] (PX(2, va) ...), one per level of table, and a 12-bit
// offset.  Each table is one page of 512 PTEs.  A valid PTE with none of
// R, W, X set points at the next level's table; otherwise it is a leaf.
//
// Invariant kept by this file for user page tables: no intermediate
// table is ever left empty.  Whatever unmaps pages also frees the tables
// that become empty, so the page-table pages a process owns are exactly
// those its mappings need, and a failed or undone operation gives back
// every page it took.
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/memlayout.h"
#include "kernel/elf.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"

// The kernel's page table, shared by every hart.
pagetable_t kernel_pagetable;

extern char etext[];       // end of kernel text; kernel.ld
extern char trampoline[];  // trampoline.S

// Map [va, va+size) to [pa, pa+size) in a kernel page table, or panic:
// the kernel cannot run without its mappings.
void
kvmmap(pagetable_t kpgtbl, uint64 va, uint64 pa, uint64 size, int perm)
{
  if(mappages(kpgtbl, va, size, pa, perm) != 0)
    panic("kvmmap: out of memory building the kernel page table");
}

// Build the kernel page table: devices and RAM mapped at their physical
// addresses (so kernel pointers and physical addresses are the same),
// the trampoline at the top, and one stack per process below it.
static pagetable_t
kvmmake(void)
{
  pagetable_t kpgtbl = (pagetable_t)kalloc();
  if(kpgtbl == 0)
    panic("kvmmake: no page for the kernel page table");
  memset(kpgtbl, 0, PGSIZE);

  kvmmap(kpgtbl, VIRT_TEST, VIRT_TEST, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpgtbl, UART0, UART0, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpgtbl, VIRTIO0, VIRTIO0, PGSIZE, PTE_R | PTE_W);
  kvmmap(kpgtbl, PLIC, PLIC, 0x4000000, PTE_R | PTE_W);

  // Kernel text: readable and executable, never writable.
  kvmmap(kpgtbl, KERNBASE, KERNBASE, (uint64)etext - KERNBASE, PTE_R | PTE_X);
  // Kernel data and all the RAM kalloc hands out: readable and writable.
  kvmmap(kpgtbl, (uint64)etext, (uint64)etext, PHYSTOP - (uint64)etext, PTE_R | PTE_W);

  kvmmap(kpgtbl, TRAMPOLINE, (uint64)trampoline, PGSIZE, PTE_R | PTE_X);

  proc_mapstacks(kpgtbl);
  return kpgtbl;
}

// Build the kernel page table (hart 0, once).
void
kvminit(void)
{
  kernel_pagetable = kvmmake();
}

// Turn paging on for this hart with the kernel page table.
void
kvminithart(void)
{
  sfence_vma();   // earlier writes to page tables must be visible
  w_satp(MAKE_SATP(kernel_pagetable));
  sfence_vma();   // drop any stale translations
}

// walk(pagetable, va, alloc): find the level-0 PTE that maps va.
//   Returns a pointer to that PTE (valid or not), or 0 if va >= MAXVA,
//   or if an intermediate table is missing and alloc is 0, or if alloc
//   is 1 and kalloc fails.  With alloc set it creates (zeroed) exactly
//   the intermediate tables the path needs, and no others; on failure
//   the tables it did create stay in place, still empty, for the caller
//   to prune (see freeemptytables).  Never panics on a user address.
// lab pgtbl: begin
//   If a superpage maps va, returns its level-1 leaf instead.
// lab pgtbl: end
pte_t *
walk(pagetable_t pagetable, uint64 va, int alloc)
{
  if(va >= MAXVA)
    return 0;

  for(int level = 2; level > 0; level--){
    pte_t *pte = &pagetable[PX(level, va)];
    if(*pte & PTE_V){
      // lab pgtbl: begin walk_leaf
      if(*pte & (PTE_R | PTE_W | PTE_X))
        return pte;   // a superpage (superpage.c) maps va
      // lab pgtbl: end
      pagetable = (pagetable_t)PTE2PA(*pte);
    } else {
      if(!alloc)
        return 0;
      pagetable_t next = (pagetable_t)kalloc();
      if(next == 0)
        return 0;
      memset(next, 0, PGSIZE);
      *pte = PA2PTE(next) | PTE_V;
      pagetable = next;
    }
  }
  return &pagetable[PX(0, va)];
}

// The physical address that user address va maps to, or 0 if it is not
// mapped, not valid, or not accessible to user mode (PTE_U clear).
uint64
walkaddr(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);
  if(pte == 0 || (*pte & PTE_V) == 0 || (*pte & PTE_U) == 0)
    return 0;
  uint64 pa = PTE2PA(*pte);
  // lab pgtbl: begin
  pa += superpage_offset(pagetable, va);   // va's page inside a superpage
  // lab pgtbl: end
  return pa;
}

// Is the page holding va mapped (valid PTE, user or not)?
int
ismapped(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);
  return pte != 0 && (*pte & PTE_V) != 0;
}

// Is this page-table page all zeros (no valid entry)?
static int
table_is_empty(pagetable_t table)
{
  for(int i = 0; i < 512; i++){
    if(table[i] != 0)
      return 0;
  }
  return 1;
}

// Free every intermediate table that has no valid entry left among
// those covering [start, end), and clear the PTE pointing at it.  Keeps
// the invariant that a user page table holds no empty tables.
static void
freeemptytables(pagetable_t root, uint64 start, uint64 end)
{
  const uint64 l1span = 1L << PXSHIFT(2);   // 1 GiB per root entry
  const uint64 l0span = 1L << PXSHIFT(1);   // 2 MiB per level-1 entry

  if(end > MAXVA)
    end = MAXVA;
  for(uint64 a = start & ~(l1span - 1); a < end; a += l1span){
    pte_t *pte1 = &root[PX(2, a)];
    if((*pte1 & PTE_V) == 0)
      continue;
    pagetable_t l1 = (pagetable_t)PTE2PA(*pte1);
    uint64 stop = a + l1span < end ? a + l1span : end;
    for(uint64 b = (a > start ? a : start) & ~(l0span - 1); b < stop; b += l0span){
      pte_t *pte0 = &l1[PX(1, b)];
      if((*pte0 & PTE_V) == 0)
        continue;
      pagetable_t l0 = (pagetable_t)PTE2PA(*pte0);
      if(table_is_empty(l0)){
        kfree(l0);
        *pte0 = 0;
      }
    }
    if(table_is_empty(l1)){
      kfree(l1);
      *pte1 = 0;
    }
  }
}

// The next address after va at which a mapping could exist, given that
// walk(pagetable, va, 0) found no level-0 table: the start of the next
// 1 GiB region if the root entry is empty, else of the next 2 MiB one.
static uint64
skip_missing_table(pagetable_t pagetable, uint64 va)
{
  uint64 span = 1L << PXSHIFT(1);
  if((pagetable[PX(2, va)] & PTE_V) == 0)
    span = 1L << PXSHIFT(2);
  return (va & ~(span - 1)) + span;
}

// mappages(pagetable, va, size, pa, perm): map the virtual pages
// [va, va+size) to the physical pages [pa, pa+size), with permissions
// perm | PTE_V.  va and size must be page aligned and size non-zero.
//   Returns 0, or -1 if a page-table page could not be allocated; then
//   nothing this call did remains: the pages it mapped are unmapped
//   again (their physical pages are the caller's and are not freed) and
//   the tables it created are freed.
//   Panics on a misaligned or empty range, or if a page in it is already
//   mapped: overwriting a valid PTE would lose track of a page (a
//   kernel bug).
int
mappages(pagetable_t pagetable, uint64 va, uint64 size, uint64 pa, int perm)
{
  if((va % PGSIZE) != 0)
    panic("mappages: va not page aligned");
  if((size % PGSIZE) != 0)
    panic("mappages: size not a multiple of PGSIZE");
  if(size == 0)
    panic("mappages: empty range");

  uint64 end = va + size;
  for(uint64 a = va; a < end; a += PGSIZE, pa += PGSIZE){
    pte_t *pte = walk(pagetable, a, 1);
    if(pte == 0){
      // Out of memory: clear this call's PTEs, then free its tables.
      for(uint64 b = va; b < a; b += PGSIZE)
        *walk(pagetable, b, 0) = 0;
      freeemptytables(pagetable, va, a + PGSIZE);
      return -1;
    }
    if(*pte & PTE_V)
      panic("mappages: remapping a page that is already mapped");
    *pte = PA2PTE(pa) | perm | PTE_V;
  }
  return 0;
}

// uvmunmap(pagetable, va, npages, do_free): remove the mappings of the
// npages pages from va (page aligned) up.
//   Consults the page table for each page: one with no PTE or an invalid
//   PTE was never mapped (a lazy page never touched, say) and is skipped;
//   a valid one has its physical page freed if do_free is set, and its
//   PTE cleared.  Tables left empty are freed too.
//   Panics if va is not aligned or a PTE in the range is not a leaf.
void
uvmunmap(pagetable_t pagetable, uint64 va, uint64 npages, int do_free)
{
  // lab sbrk: begin uvmunmap
  if((va % PGSIZE) != 0)
    panic("uvmunmap: va not page aligned");

  uint64 end = va + npages * PGSIZE;
  if(end > MAXVA || end < va)
    end = MAXVA;

  uint64 a = va;
  while(a < end){
    // lab pgtbl: begin
    if(superpage_leaf(pagetable, a)){
      a = superpage_unmap(pagetable, a, end, do_free);
      continue;
    }
    // lab pgtbl: end
    pte_t *pte = walk(pagetable, a, 0);
    if(pte == 0){
      // No table for this stretch: nothing in it was ever mapped.
      a = skip_missing_table(pagetable, a);
      continue;
    }
    if(*pte & PTE_V){
      if(PTE_FLAGS(*pte) == PTE_V)
        panic("uvmunmap: PTE is a table, not a leaf");
      if(do_free)
        kfree((void *)PTE2PA(*pte));
      *pte = 0;
    }
    a += PGSIZE;
  }
  freeemptytables(pagetable, va, end);
  // lab sbrk: end
}

// A new, empty user page table, or 0 if out of memory.
pagetable_t
uvmcreate(void)
{
  pagetable_t pagetable = (pagetable_t)kalloc();
  if(pagetable == 0)
    return 0;
  memset(pagetable, 0, PGSIZE);
  return pagetable;
}

// mapfresh(pagetable, va, perm): map one new page at va (page aligned),
// with perm | PTE_V.  The page is zeroed (left as it was if not
// SCRUB_PAGES: param.h).  Returns 0, or -1 if no page or page-table page
// is free; then nothing is left allocated.  How exec loads a program,
// userinit makes the first process and vmfault fills a lazy page.
int
mapfresh(pagetable_t pagetable, uint64 va, int perm)
{
  char *mem = kalloc();
  if(mem == 0)
    return -1;
  if(SCRUB_PAGES)
    memset(mem, 0, PGSIZE);
  if(mappages(pagetable, va, PGSIZE, (uint64)mem, perm) != 0){
    kfree(mem);
    return -1;
  }
  return 0;
}

// uvmalloc(pagetable, oldsz, newsz, xperm): grow a user address space
// from oldsz to newsz bytes (neither need be page aligned).
//   Maps a fresh zeroed page (unzeroed if not SCRUB_PAGES: param.h),
//   with PTE_R | PTE_U | xperm, at every page in [PGROUNDUP(oldsz),
//   newsz).  (The same step as mapfresh, written out: this is the path
//   sbrk takes, kalloc then mappages, and the one to watch in gdb.)  Returns newsz, or oldsz if newsz is
//   not larger.  Returns 0 if newsz lies above HEAPTOP or if a page or
//   a page table cannot be allocated; then every page and table this
//   call took has been given back and the address space is as it was.
uint64
uvmalloc(pagetable_t pagetable, uint64 oldsz, uint64 newsz, int xperm)
{
  // lab sbrk: begin uvmalloc
  if(newsz <= oldsz)
    return oldsz;
  if(newsz > HEAPTOP)
    return 0;

  uint64 start = PGROUNDUP(oldsz);
  uint64 a;
  for(a = start; a < newsz; a += PGSIZE){
    // lab pgtbl: begin
    if(superpage_grow(pagetable, a, newsz, xperm) == 0){
      a += SUPERPGSIZE - PGSIZE;   // one level-1 leaf maps the 2 MiB from a
      continue;
    }
    // lab pgtbl: end
    char *mem = kalloc();
    if(mem == 0)
      goto undo;
    if(SCRUB_PAGES)
      memset(mem, 0, PGSIZE);
    if(mappages(pagetable, a, PGSIZE, (uint64)mem, PTE_R | PTE_U | xperm) != 0){
      kfree(mem);
      goto undo;
    }
  }
  return newsz;

undo:
  // Pages [start, a) are ours; mappages cleaned up after itself.
  uvmunmap(pagetable, start, (a - start) / PGSIZE, 1);
  return 0;
  // lab sbrk: end
}

// uvmdealloc(pagetable, oldsz, newsz): shrink a user address space from
// oldsz to newsz bytes (neither need be page aligned).
//   Frees the pages in [PGROUNDUP(newsz), PGROUNDUP(oldsz)), through
//   uvmunmap, so pages never mapped (lazy holes) are skipped.  The page
//   holding byte newsz-1 stays.  Returns newsz, or oldsz if newsz is not
//   smaller.  Allocates nothing; never fails.
uint64
uvmdealloc(pagetable_t pagetable, uint64 oldsz, uint64 newsz)
{
  // lab sbrk: begin uvmdealloc
  if(newsz >= oldsz)
    return oldsz;

  uint64 from = PGROUNDUP(newsz);
  uint64 to = PGROUNDUP(oldsz);
  if(from < to)
    uvmunmap(pagetable, from, (to - from) / PGSIZE, 1);
  return newsz;
  // lab sbrk: end
}

// Free the page table `table` (a table of level `level`: 2 for a root)
// and everything it still maps: each leaf's physical page first, then
// the tables, bottom up.
static void
free_tree(pagetable_t table, int level)
{
  for(int i = 0; i < 512; i++){
    pte_t pte = table[i];
    if((pte & PTE_V) == 0)
      continue;
    if(PTE_FLAGS(pte) == PTE_V && level > 0)
      free_tree((pagetable_t)PTE2PA(pte), level - 1);
    // lab pgtbl: begin
    else if(level == 1)
      superfree((void *)PTE2PA(pte));   // a superpage's 2 MiB
    // lab pgtbl: end
    else
      kfree((void *)PTE2PA(pte));
    table[i] = 0;
  }
  kfree((void *)table);
}

// uvmfree(pagetable, sz): free a whole user address space: every page
// the page table still maps, then every page-table page.  The page
// table is the ledger, so it is read rather than sz: a lazy heap has
// holes below sz, and mappings may lie above it.  Pages that are not
// the process's to free (the trampoline, the trapframe) must be
// unmapped first (proc_freepagetable does).  sz is xv6's argument, kept
// for its interface.
void
uvmfree(pagetable_t pagetable, uint64 sz)
{
  (void)sz;
  free_tree(pagetable, 2);
}

// lab cow: begin
// ---- Copy-on-write ----------------------------------------------------
//
// After fork, parent and child share every page.  A page either of them
// may write is mapped read-only in both, with PTE_COW set; the first
// store to it faults, and cow_fault gives the writer a page of its own.
// Pages that were read-only to begin with (text) are simply shared.
// Each shared page's reference count (kalloc.c) says how many page
// tables map it, so kfree frees it only when the last one lets go.

// cow_share(pte, new, va): map the page that *pte (in the parent's page
// table) maps at va into `new` as well, sharing it.  A writable page
// loses PTE_W and gains PTE_COW in both page tables.  Returns 0, or -1
// if `new` needs a page-table page and none is free; then `new` is
// unchanged (the parent's PTE may have become copy-on-write, which is
// harmless: its next store just makes it writable again).
static int
cow_share(pte_t *pte, pagetable_t new, uint64 va)
{
  if(*pte & PTE_W)
    *pte = (*pte & ~PTE_W) | PTE_COW;
  uint64 pa = PTE2PA(*pte);
  if(mappages(new, va, PGSIZE, pa, PTE_FLAGS(*pte) & ~(PTE_A | PTE_D)) != 0)
    return -1;
  kref_inc((void *)pa);
  return 0;
}

// cow_fault(pagetable, va): a store to the page holding user address va
// found it read-only.  If it is a copy-on-write page, make it writable
// for this page table: the page itself if no one else maps it any more,
// else a fresh copy (dropping this page table's share of the original).
// Returns 0 when the store can be retried, or -1 if va is not on a
// copy-on-write user page (a real protection fault: the caller kills the
// process) or no page is free for the copy.  Never panics.
// The caller must flush the TLB before the store runs again; returning
// to user mode does (userret in trampoline.S).
int
cow_fault(pagetable_t pagetable, uint64 va)
{
  if(va >= MAXVA)
    return -1;
  pte_t *pte = walk(pagetable, va, 0);
  if(pte == 0 || (*pte & (PTE_V | PTE_U | PTE_COW)) != (PTE_V | PTE_U | PTE_COW))
    return -1;

  char *old = (char *)PTE2PA(*pte);
  int flags = (PTE_FLAGS(*pte) & ~PTE_COW) | PTE_W;
  if(kref_count(old) == 1){
    // The others have let go: the page is ours alone.
    *pte = PA2PTE(old) | flags;
    return 0;
  }
  char *mem = kalloc();
  if(mem == 0)
    return -1;
  memmove(mem, old, PGSIZE);
  *pte = PA2PTE(mem) | flags;
  kfree(old);   // this page table's share of the original
  return 0;
}
// lab cow: end

// uvmcopy(old, new, sz): give `new` the pages that `old` has mapped in
// [0, sz), with the same permissions, so that each process sees its own
// copy.  Pages never mapped (lazy holes) stay holes in the copy.
// lab cow: begin
// The copying is lazy: both page tables share each page, and writable
// ones become read-only copy-on-write pages in both (see cow_share).
// lab cow: end
// Returns 0, or -1 when out of memory; then `new` holds part of the
// copy, which the caller frees with the rest of it (uvmfree), as fork
// does.
int
uvmcopy(pagetable_t old, pagetable_t new, uint64 sz)
{
  uint64 a = 0;
  while(a < sz){
    // lab pgtbl: begin
    if(superpage_leaf(old, a)){
      if(superpage_copy(old, new, a) != 0)
        return -1;
      a += SUPERPGSIZE;
      continue;
    }
    // lab pgtbl: end
    pte_t *pte = walk(old, a, 0);
    if(pte == 0){
      a = skip_missing_table(old, a);
      continue;
    }
    if(*pte & PTE_V){
      // lab cow: begin copy_page
      if(cow_share(pte, new, a) != 0)
        return -1;
      // lab cow: end
    }
    a += PGSIZE;
  }
  return 0;
}

// Take away user access to the page holding va (the stack guard page).
void
uvmclear(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);
  if(pte == 0 || (*pte & PTE_V) == 0)
    panic("uvmclear: page not mapped");
  *pte &= ~PTE_U;
}

// lab lazy: begin
// vmfault(pagetable, va, read): the lazy-allocation path.  If va lies
// inside the current process's memory (below p->sz) on a page that has
// never been mapped, map a fresh RW user page there (mapfresh) and
// return its physical address.  Returns 0 for anything else: not this
// process's page table, at or beyond p->sz, a page that is already
// mapped (the fault was a permission problem, not a missing page), or
// no free memory.
uint64
vmfault(pagetable_t pagetable, uint64 va, int read)
{
  struct proc *p = myproc();
  (void)read;

  if(p == 0 || pagetable != p->pagetable)
    return 0;
  if(va >= p->sz || va >= HEAPTOP)
    return 0;
  va = PGROUNDDOWN(va);
  if(ismapped(pagetable, va))
    return 0;

  if(mapfresh(pagetable, va, PTE_R | PTE_W | PTE_U) != 0)
    return 0;
  return walkaddr(pagetable, va);
}
// lab lazy: end

// The physical address of the user page holding va, for the kernel to
// copy through.  need_write demands PTE_W (so a copyout cannot write
// into text).
// lab lazy: begin
// A lazy page not yet touched is faulted in first.
// lab lazy: end
// Returns 0 if the page is not the user's to use that way.
static uint64
user_page(pagetable_t pagetable, uint64 va, int need_write)
{
  if(va >= MAXVA)
    return 0;
  pte_t *pte = walk(pagetable, va, 0);
  // lab mmap: begin
  if((pte == 0 || (*pte & PTE_V) == 0) && mmap_fault(pagetable, va, need_write) == 0)
    pte = walk(pagetable, va, 0);   // a page of a file mapping, read in just now
  // lab mmap: end
  // lab lazy: begin user_page
  if(pte == 0 || (*pte & PTE_V) == 0){
    if(vmfault(pagetable, va, !need_write) == 0)
      return 0;
    pte = walk(pagetable, va, 0);
  }
  // lab lazy: end
  if((*pte & PTE_U) == 0)
    return 0;
  // lab cow: begin
  if(need_write && (*pte & PTE_COW) != 0 && cow_fault(pagetable, va) != 0)
    return 0;
  // lab cow: end
  if(need_write && (*pte & PTE_W) == 0)
    return 0;
  if(!need_write && (*pte & PTE_R) == 0)
    return 0;
  // lab mmap: begin
  if(need_write)
    *pte |= PTE_D;   // the kernel's store counts as the process's (mmap writes back dirty pages)
  // lab mmap: end
  uint64 pa = PTE2PA(*pte);
  // lab pgtbl: begin
  pa += superpage_offset(pagetable, va);   // va's page inside a superpage
  // lab pgtbl: end
  return pa;
}

// Copy len bytes between the kernel address kaddr and the user address
// uva, page by page: into user memory if to_user is set (each page must
// be user-writable), else out of it (each page must be user-readable).
// The work of copyout and copyin.  Returns 0 or -1.
static int
copy_user(pagetable_t pagetable, char *kaddr, uint64 uva, uint64 len, int to_user)
{
  while(len > 0){
    uint64 va0 = PGROUNDDOWN(uva);
    uint64 pa0 = user_page(pagetable, va0, to_user);
    if(pa0 == 0)
      return -1;
    uint64 n = PGSIZE - (uva - va0);
    if(n > len)
      n = len;
    char *upart = (char *)(pa0 + (uva - va0));
    if(to_user)
      memmove(upart, kaddr, n);
    else
      memmove(kaddr, upart, n);
    len -= n;
    kaddr += n;
    uva = va0 + PGSIZE;
  }
  return 0;
}

// copyout(pagetable, dstva, src, len): copy len bytes from kernel
// address src to user address dstva.  Returns 0, or -1 if any byte of
// the destination is not user-writable memory (kernel addresses, pages
// without PTE_U or PTE_W, unmapped pages outside the lazy heap, at or
// beyond MAXVA); bytes before the bad page may have been written.
int
copyout(pagetable_t pagetable, uint64 dstva, char *src, uint64 len)
{
  return copy_user(pagetable, src, dstva, len, 1);
}

// copyin(pagetable, dst, srcva, len): copy len bytes from user address
// srcva to kernel address dst.  Returns 0, or -1 if any byte of the
// source is not user-readable memory.
int
copyin(pagetable_t pagetable, char *dst, uint64 srcva, uint64 len)
{
  return copy_user(pagetable, dst, srcva, len, 0);
}

// copyinstr(pagetable, dst, srcva, max): copy a NUL-terminated string
// from user address srcva into dst, at most max bytes counting the NUL.
// Returns 0, or -1 if no NUL comes within max bytes or a byte of the
// string is not user-readable.  Never reads past the first bad page.
int
copyinstr(pagetable_t pagetable, char *dst, uint64 srcva, uint64 max)
{
  while(max > 0){
    uint64 va0 = PGROUNDDOWN(srcva);
    uint64 pa0 = user_page(pagetable, va0, 0);
    if(pa0 == 0)
      return -1;
    uint64 n = PGSIZE - (srcva - va0);
    if(n > max)
      n = max;
    char *p = (char *)(pa0 + (srcva - va0));
    for(uint64 i = 0; i < n; i++){
      *dst = p[i];
      if(p[i] == 0)
        return 0;
      dst++;
    }
    max -= n;
    srcva = va0 + PGSIZE;
  }
  return -1;
}

// ---- Looking at a page table (the pgtbl lab) ---------------------------

// lab pgtbl: begin
// vmwalk(pagetable, visit): call visit(depth, index, pte) for every valid
// PTE of the page table, in the order vmprint prints them: depth 1 for
// the root's entries, 2 and 3 below, each table's entries by index, and
// a table's own entries right after the PTE that points to it.
static void
vmwalk_table(pagetable_t table, int depth, void (*visit)(int, int, pte_t))
{
  for(int i = 0; i < 512; i++){
    pte_t pte = table[i];
    if((pte & PTE_V) == 0)
      continue;
    visit(depth, i, pte);
    if(depth < 3 && (pte & (PTE_R | PTE_W | PTE_X)) == 0)
      vmwalk_table((pagetable_t)PTE2PA(pte), depth + 1, visit);
  }
}

void
vmwalk(pagetable_t pagetable, void (*visit)(int, int, pte_t))
{
  vmwalk_table(pagetable, 1, visit);
}

// One line of vmprint: " .." per level, the entry's index, the PTE and
// the physical address it holds, in one printf (so that another hart's
// output cannot split it).
static void
vmprint_entry(int depth, int index, pte_t pte)
{
  static char *indent[] = { "", " ..", " .. ..", " .. .. .." };
  printf("%s%d: pte %p pa %p\n", indent[depth], index, (void *)pte, (void *)PTE2PA(pte));
}
// lab pgtbl: end

// vmprint(pagetable): print a page table on the console, as the pgtbl
// lab's handout shows: a first line "page table 0x...", then one line
// per valid PTE, indented by level.  A superpage shows as a leaf at the
// second level.
// lab pgtbl: begin vmprint
void
vmprint(pagetable_t pagetable)
{
  printf("page table %p\n", pagetable);
  vmwalk(pagetable, vmprint_entry);
}
// lab pgtbl: end

// pgpte(pagetable, va): the PTE that maps va (for a superpage, its
// level-1 leaf), or 0 if va >= MAXVA or no table holds a PTE for it.
pte_t *
pgpte(pagetable_t pagetable, uint64 va)
{
  return walk(pagetable, va, 0);
}

// The most pages one pgaccess call may ask about.
#define PGACCESS_MAX 1024

// pgaccess(pagetable, base, npages, maskva): which of the npages pages
// from the one holding user address base have been used (PTE_A, which
// the hardware sets on every access) since the last call asked?  Writes
// a bitmask to user address maskva: bit i (bit i % 8 of byte i / 8) for
// the i-th page; an unmapped page counts as unused.  Clears PTE_A of
// every page it reports.  Returns 0, or -1 if npages is not in
// 1..PGACCESS_MAX, the pages reach MAXVA, or the mask cannot be written
// (then no PTE_A has been cleared).
// lab pgtbl: begin pgaccess
int
pgaccess(pagetable_t pagetable, uint64 base, int npages, uint64 maskva)
{
  uchar mask[PGACCESS_MAX / 8];
  uint64 va0 = PGROUNDDOWN(base);

  if(npages < 1 || npages > PGACCESS_MAX || va0 >= MAXVA ||
     (uint64)npages > (MAXVA - va0) / PGSIZE)
    return -1;
  memset(mask, 0, sizeof(mask));
  for(int i = 0; i < npages; i++){
    pte_t *pte = walk(pagetable, va0 + (uint64)i * PGSIZE, 0);
    if(pte != 0 && (*pte & (PTE_V | PTE_U | PTE_A)) == (PTE_V | PTE_U | PTE_A))
      mask[i / 8] |= 1 << (i % 8);
  }
  if(copyout(pagetable, maskva, (char *)mask, (npages + 7) / 8) < 0)
    return -1;
  // Clear only now, so that a refused mask leaves the bits alone.  (A
  // superpage's one PTE is reported for each of its pages, then cleared.)
  for(int i = 0; i < npages; i++){
    if(mask[i / 8] & (1 << (i % 8)))
      *walk(pagetable, va0 + (uint64)i * PGSIZE, 0) &= ~PTE_A;
  }
  sfence_vma();   // the TLB may cache PTE_A as set; make the next access set it again
  return 0;
}
// lab pgtbl: end
