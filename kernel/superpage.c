// lab pgtbl: solution
// Superpages: 2 MiB of user memory mapped by one level-1 leaf.
//
// Where SUPERPAGES (param.h) is non-zero, kalloc keeps that many 2 MiB
// physical pages aside (superalloc, superfree), and an eager growth of
// the heap that covers a whole 2 MiB-aligned stretch maps it with one
// leaf in the level-1 table instead of a level-0 table of 512 leaves.
// The memory path stays as it was; it calls the helpers here from a few
// marked lines:
//
//   uvmalloc    superpage_grow: map a superpage where one fits
//   uvmunmap    superpage_unmap: free one, or demote it when only part
//               of it goes (a shrink that ends inside it)
//   uvmfree     superfree: a superpage is a leaf one level up
//   uvmcopy     superpage_copy: fork gives the child its own copy
//   walkaddr,   superpage_offset: walk() returns the level-1 leaf for
//   user_page   an address in a superpage, whose PTE2PA is the start
//               of the 2 MiB; this adds the 4 KiB page's offset
//
// A superpage's PTE is an ordinary leaf (R, W, U ...); only its level
// says it maps 2 MiB.  Superpages are never shared copy-on-write: fork
// copies them at once.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"

#define LEAF_BITS (PTE_R | PTE_W | PTE_X)

// The level-1 PTE that maps va as a superpage, or 0 if va is not in a
// superpage (not mapped, mapped by 4 KiB pages, or va >= MAXVA).
pte_t *
superpage_leaf(pagetable_t pagetable, uint64 va)
{
  if(va >= MAXVA)
    return 0;
  pte_t *pte2 = &pagetable[PX(2, va)];
  if((*pte2 & PTE_V) == 0 || (*pte2 & LEAF_BITS) != 0)
    return 0;
  pte_t *pte1 = &((pagetable_t)PTE2PA(*pte2))[PX(1, va)];
  if((*pte1 & PTE_V) == 0 || (*pte1 & LEAF_BITS) == 0)
    return 0;
  return pte1;
}

// How far the 4 KiB page holding va lies from the start of its
// superpage (0 if va is not in a superpage).  walk() returns a
// superpage's level-1 leaf, so PTE2PA of what it returns plus this is
// the physical address of va's page.
uint64
superpage_offset(pagetable_t pagetable, uint64 va)
{
  if(superpage_leaf(pagetable, va) == 0)
    return 0;
  return PGROUNDDOWN(va) % SUPERPGSIZE;
}

// Map the superpage pa at va (2 MiB aligned, nothing mapped in
// [va, va + 2 MiB)) with perm, making the level-1 table if need be.
// 0, or -1 if that table cannot be allocated (then nothing changed).
static int
superpage_map(pagetable_t pagetable, uint64 va, uint64 pa, int perm)
{
  pte_t *pte2 = &pagetable[PX(2, va)];
  if((*pte2 & PTE_V) == 0){
    pagetable_t l1 = (pagetable_t)kalloc();
    if(l1 == 0)
      return -1;
    memset(l1, 0, PGSIZE);
    *pte2 = PA2PTE(l1) | PTE_V;
  }
  pte_t *pte1 = &((pagetable_t)PTE2PA(*pte2))[PX(1, va)];
  if(*pte1 & PTE_V)
    panic("superpage_map: the 2 MiB at va is already mapped");
  *pte1 = PA2PTE(pa) | perm | PTE_V;
  return 0;
}

// superpage_alloc(pagetable, va, perm): map a fresh superpage, zeroed
// (unless not SCRUB_PAGES: param.h), at va (2 MiB aligned, nothing
// mapped in [va, va + 2 MiB)) with perm.  0, or -1 if no superpage or
// no page for the level-1 table is free; then nothing changed.
int
superpage_alloc(pagetable_t pagetable, uint64 va, int perm)
{
  char *mem = superalloc();
  if(mem == 0)
    return -1;
  if(SCRUB_PAGES)
    memset(mem, 0, SUPERPGSIZE);
  if(superpage_map(pagetable, va, (uint64)mem, perm) != 0){
    superfree(mem);
    return -1;
  }
  return 0;
}

// superpage_grow(pagetable, va, newsz, xperm): uvmalloc's question "can
// [va, va + 2 MiB) be one superpage?"  If superpages are on (SUPERPAGES),
// va is 2 MiB aligned, the stretch lies below newsz and a superpage is
// free, map a zeroed one there (PTE_R | PTE_U | xperm) and return 0.
// Else return -1 and change nothing: uvmalloc maps 4 KiB pages as usual.
// Never panics.
int
superpage_grow(pagetable_t pagetable, uint64 va, uint64 newsz, int xperm)
{
  if(SUPERPAGES == 0 || va % SUPERPGSIZE != 0 || newsz < va + SUPERPGSIZE)
    return -1;
  return superpage_alloc(pagetable, va, PTE_R | PTE_U | xperm);
}

// Turn the superpage whose level-1 leaf is *pte1 back into 512 level-0
// leaves over the same physical pages, except the page at offset
// `spare`, which becomes the level-0 table itself and so is not mapped
// any more.  The caller is about to unmap that page, which is why no
// memory is needed and this cannot fail.  The 512 pages become ordinary
// kalloc pages, each freed by kfree on its own from now on.
static void
superpage_demote(pte_t *pte1, uint64 spare)
{
  uint64 pa = PTE2PA(*pte1);
  int flags = PTE_FLAGS(*pte1);
  pagetable_t l0 = (pagetable_t)(pa + spare);

  superpage_split((void *)pa);
  memset(l0, 0, PGSIZE);
  for(uint64 off = 0; off < SUPERPGSIZE; off += PGSIZE){
    if(off != spare)
      l0[off / PGSIZE] = PA2PTE(pa + off) | flags;
  }
  *pte1 = PA2PTE(l0) | PTE_V;
}

// superpage_unmap(pagetable, va, end, do_free): uvmunmap has reached
// va, inside a superpage, while removing [.., end).  If the superpage
// lies wholly inside [va, end), unmap it (and superfree it if do_free)
// and return the address after it.  Otherwise demote it to 4 KiB pages,
// giving up the page at va for the new table, and return va: uvmunmap
// then goes on page by page.  A partial unmap that keeps the pages
// (do_free 0) never happens to a superpage, and panics.
uint64
superpage_unmap(pagetable_t pagetable, uint64 va, uint64 end, int do_free)
{
  pte_t *pte1 = superpage_leaf(pagetable, va);
  uint64 base = va - va % SUPERPGSIZE;

  if(va == base && base + SUPERPGSIZE <= end){
    if(do_free)
      superfree((void *)PTE2PA(*pte1));
    *pte1 = 0;
    return base + SUPERPGSIZE;
  }
  if(!do_free)
    panic("superpage_unmap: part of a superpage unmapped without freeing");
  superpage_demote(pte1, PGROUNDDOWN(va) - base);
  return PGROUNDDOWN(va);
}

// Copy the 2 MiB at va, which the superpage *pte1 of the parent maps,
// into the child `new` page by page (when no superpage is free).  0, or
// -1 when out of memory; then `new` holds part of the copy, which the
// caller frees with the rest (uvmcopy's contract).
static int
copy_as_pages(pte_t *pte1, pagetable_t new, uint64 va)
{
  char *src = (char *)PTE2PA(*pte1);
  int perm = PTE_FLAGS(*pte1) & ~(PTE_V | PTE_A | PTE_D);

  for(uint64 off = 0; off < SUPERPGSIZE; off += PGSIZE){
    char *mem = kalloc();
    if(mem == 0)
      return -1;
    memmove(mem, src + off, PGSIZE);
    if(mappages(new, va + off, PGSIZE, (uint64)mem, perm) != 0){
      kfree(mem);
      return -1;
    }
  }
  return 0;
}

// superpage_copy(old, new, va): fork's copy of the superpage at va (2 MiB
// aligned) of `old` into `new`: a superpage of the child's own with the
// same contents and permissions, or, if none is free, 512 ordinary
// pages.  0, or -1 when out of memory (`new` may then hold part of the
// copy: the caller frees it, as uvmcopy's caller does).
int
superpage_copy(pagetable_t old, pagetable_t new, uint64 va)
{
  pte_t *pte1 = superpage_leaf(old, va);
  int perm = PTE_FLAGS(*pte1) & ~(PTE_V | PTE_A | PTE_D);

  char *mem = superalloc();
  if(mem == 0)
    return copy_as_pages(pte1, new, va);
  memmove(mem, (char *)PTE2PA(*pte1), SUPERPGSIZE);
  if(superpage_map(new, va, (uint64)mem, perm) != 0){
    superfree(mem);
    return -1;
  }
  return 0;
}
