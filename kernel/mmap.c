// lab mmap: solution
// File mappings: mmap and munmap (the mmap lab, docs/labs/mmap.md).
//
// mmap(0, len, prot, flags, fd, off) makes len bytes of the address
// space show the open file fd from offset off on.  It only notes the
// mapping in the process's table (p->vmas); no page is read yet.  The
// first touch of a page faults (handle_page_fault in trap.c), or reaches
// copyin/copyout (user_page in vm.c), and mmap_fault then reads that
// page of the file into a fresh page.  Bytes beyond the end of the file
// read as zeros.
//
// MAP_SHARED: stores go back to the file when the page is unmapped (by
// munmap, exit or exec), and only for pages the hardware has marked
// dirty (PTE_D).  Only the bytes inside the file are written: a mapping
// never makes its file longer.  MAP_PRIVATE: stores stay in the
// process's pages.  There is no page cache, so two processes mapping
// one file each have their own pages; what one stores reaches the other
// only through the file.
//
// Where mappings go.  The heap grows up from the bottom of the address
// space; mappings are placed from the top down, just below TRAPFRAME,
// each in the highest gap that fits.  The two meet in the middle of a
// space of 256 GiB, which no heap on a 128 MiB machine fills, and p->sz
// stays what it always was, the program break: nothing that reads it
// (fork's uvmcopy, the lazy heap, sbrk) needs to know about mappings.
// The one rule is that the heap may not grow into a mapping: sys_sbrk
// asks mmap_overlaps.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/fcntl.h"
#include "kernel/defs.h"

// Mappings end at or below this address.
#define MMAP_TOP TRAPFRAME

// A page written back is a whole number of blocks, none of them new
// (only bytes inside the file are written), plus the inode: it must fit
// in one transaction.
_Static_assert(PGSIZE % BSIZE == 0 && PGSIZE / BSIZE + 1 <= MAXOPBLOCKS,
               "a page written back must fit in one log transaction");

// The mapping of p that holds address va, or 0.
static struct vma *
vma_at(struct proc *p, uint64 va)
{
  for(struct vma *v = p->vmas; v < &p->vmas[NVMA]; v++){
    if(v->file != 0 && va >= v->start && va - v->start < v->len)
      return v;
  }
  return 0;
}

// A mapping of p that overlaps [start, end), or 0.
static struct vma *
vma_overlapping(struct proc *p, uint64 start, uint64 end)
{
  for(struct vma *v = p->vmas; v < &p->vmas[NVMA]; v++){
    if(v->file != 0 && start < v->start + v->len && v->start < end)
      return v;
  }
  return 0;
}

// mmap_overlaps(p, start, end): does any mapping of p overlap the pages
// of [start, end)?  sys_sbrk asks before the heap grows to end.
int
mmap_overlaps(struct proc *p, uint64 start, uint64 end)
{
  if(end < start)
    return 1;
  return vma_overlapping(p, PGROUNDDOWN(start), PGROUNDUP(end)) != 0;
}

// The highest address at which len bytes (whole pages) fit below
// MMAP_TOP, above the heap and clear of every mapping; 0 if none.
static uint64
find_room(struct proc *p, uint64 len)
{
  uint64 end = MMAP_TOP;
  for(;;){
    if(end < len || end - len < PGROUNDUP(p->sz))
      return 0;
    struct vma *v = vma_overlapping(p, end - len, end);
    if(v == 0)
      return end - len;
    end = v->start;   // try the gap below the mapping in the way
  }
}

// Is this hart holding a spinlock?  Then the caller may not sleep,
// and so may not read the disk.
static int
holding_spinlock(void)
{
  push_off();
  int held = mycpu()->noff > 1;
  pop_off();
  return held;
}

// The file offset that page va of mapping v shows.
static uint64
file_offset(struct vma *v, uint64 va)
{
  return v->off + (va - v->start);
}

// Fill page (zeroed) with the file's bytes for page va of v: up to a
// page, fewer at the end of the file, none beyond it.
static void
read_page(struct vma *v, uint64 va, char *page)
{
  struct inode *ip = v->file->ip;
  uint64 off = file_offset(v, va);

  ilock(ip);
  if(off < ip->size)
    readi(ip, 0, (uint64)page, (uint)off, PGSIZE);
  iunlock(ip);
}

// Write page, page va of the shared mapping v, back to the file: the
// bytes that lie inside the file, in one transaction.
static void
write_page(struct vma *v, uint64 va, char *page)
{
  struct inode *ip = v->file->ip;
  uint64 off = file_offset(v, va);

  begin_op();
  ilock(ip);
  if(off < ip->size){
    uint n = ip->size - off < PGSIZE ? ip->size - off : PGSIZE;
    writei(ip, 0, (uint64)page, (uint)off, n);
  }
  iunlock(ip);
  end_op();
}

// The PTE of va in pagetable if it is valid, else 0.  *next is set to
// the next address worth looking at: the next page, or past the 2 MiB
// a missing page-table page would have covered.
static pte_t *
resident(pagetable_t pagetable, uint64 va, uint64 *next)
{
  const uint64 span = 1L << PXSHIFT(1);
  pte_t *pte = walk(pagetable, va, 0);

  *next = pte ? va + PGSIZE : (va & ~(span - 1)) + span;
  if(pte == 0 || (*pte & PTE_V) == 0)
    return 0;
  return pte;
}

// Take the pages [start, end) of mapping v out of p's address space:
// write back the dirty ones of a writable shared mapping, then unmap
// and free them all.  Pages never touched are skipped.
static void
drop_pages(struct proc *p, struct vma *v, uint64 start, uint64 end)
{
  if((v->flags & MAP_SHARED) && (v->prot & PROT_WRITE)){
    uint64 next;
    for(uint64 va = start; va < end; va = next){
      pte_t *pte = resident(p->pagetable, va, &next);
      if(pte != 0 && (*pte & PTE_D))
        write_page(v, va, (char *)PTE2PA(*pte));
    }
  }
  uvmunmap(p->pagetable, start, (end - start) / PGSIZE, 1);
}

// Let go of mapping v once it has no pages left.
static void
free_vma(struct vma *v)
{
  struct file *f = v->file;
  memset(v, 0, sizeof(*v));
  fileclose(f);
}

// A free slot of p's mapping table, or 0 if all NVMA are in use.
static struct vma *
free_slot(struct proc *p)
{
  for(struct vma *v = p->vmas; v < &p->vmas[NVMA]; v++){
    if(v->file == 0)
      return v;
  }
  return 0;
}

// map_file(p, f, len, prot, flags, off): add a mapping of len bytes
// (rounded up to whole pages) of file f from offset off to p's address
// space; nothing is read yet.  The mapping holds a reference to f, so
// closing the descriptor does not end it.
//   Returns the address chosen, or -1 if: len is 0 or too large; off is
//   not page aligned or past 4 GiB; prot has bits other than PROT_READ
//   and PROT_WRITE; flags is not exactly MAP_SHARED or MAP_PRIVATE; f
//   is not an inode opened for reading; the mapping is shared and
//   writable but f was not opened for writing; p has NVMA mappings
//   already; or no gap of len bytes is left above the heap.
uint64
map_file(struct proc *p, struct file *f, uint64 len, int prot, int flags, uint64 off)
{
  if(len == 0 || len > MMAP_TOP)
    return -1;
  len = PGROUNDUP(len);
  if(off % PGSIZE != 0 || off >= (1L << 32))
    return -1;
  if((prot & ~(PROT_READ | PROT_WRITE)) != 0)
    return -1;
  if(flags != MAP_SHARED && flags != MAP_PRIVATE)
    return -1;
  if(f->type != FD_INODE || !f->readable)
    return -1;
  if(flags == MAP_SHARED && (prot & PROT_WRITE) && !f->writable)
    return -1;

  struct vma *v = free_slot(p);
  if(v == 0)
    return -1;
  uint64 start = find_room(p, len);
  if(start == 0)
    return -1;

  v->start = start;
  v->len = len;
  v->off = off;
  v->prot = prot;
  v->flags = flags;
  v->file = filedup(f);
  return start;
}

// unmap_range(p, addr, len): remove the pages [addr, addr+len) (len
// rounded up to whole pages) from one of p's mappings, writing back the
// dirty pages of a shared one.  The range must lie inside one mapping
// and include its first page or its last (it may be all of it): holes
// in the middle are not supported.  The last page unmapped releases the
// mapping's file.  Returns 0, or -1 (nothing changed) if addr is not
// page aligned, len is 0, or the range is not such a part of a mapping.
int
unmap_range(struct proc *p, uint64 addr, uint64 len)
{
  if(addr % PGSIZE != 0 || len == 0 || len > MMAP_TOP)
    return -1;
  len = PGROUNDUP(len);
  struct vma *v = vma_at(p, addr);
  if(v == 0 || addr + len > v->start + v->len)
    return -1;
  int at_start = addr == v->start;
  if(!at_start && addr + len != v->start + v->len)
    return -1;

  drop_pages(p, v, addr, addr + len);
  if(at_start){
    v->start += len;
    v->off += len;
  }
  v->len -= len;
  if(v->len == 0)
    free_vma(v);
  return 0;
}

// munmap_all(p): remove every mapping of p, writing back the dirty
// pages of shared ones.  exit calls it, and exec once the new program
// is loaded.  May sleep (it writes the disk); p holds no lock.
void
munmap_all(struct proc *p)
{
  for(struct vma *v = p->vmas; v < &p->vmas[NVMA]; v++){
    if(v->file != 0){
      drop_pages(p, v, v->start, v->start + v->len);
      free_vma(v);
    }
  }
}

// mmap_fault(pagetable, va, write): the current process touched page va
// (a store if write is set) and found nothing mapped there.  If va lies
// in one of its mappings and the mapping allows that use, read the
// page in from the file, map it (writable if the mapping is) and return
// 0: the access can be retried.  A page faulted in by a store is marked
// dirty at once.
//   Returns -1 for anything else: no mapping there, a store to a
//   mapping without PROT_WRITE, any use of a PROT_NONE one, a page
//   already mapped (a permission problem, not a missing page), no free
//   memory, or a caller holding a spinlock or the file's inode lock.
int
mmap_fault(pagetable_t pagetable, uint64 va, int write)
{
  struct proc *p = myproc();
  if(p == 0 || pagetable != p->pagetable || va >= MAXVA)
    return -1;
  struct vma *v = vma_at(p, va);
  if(v == 0)
    return -1;
  int allowed = write ? PROT_WRITE : PROT_READ | PROT_WRITE;
  if((v->prot & allowed) == 0)
    return -1;
  va = PGROUNDDOWN(va);
  if(ismapped(pagetable, va))
    return -1;
  // Reading the file sleeps, and takes the inode's lock: a caller
  // holding a spinlock, or that very lock (a read() from the mapped
  // file into its own mapping), must not; mmap_prefault spares them.
  if(holding_spinlock() || holdingsleep(&v->file->ip->lock))
    return -1;

  char *page = kalloc();
  if(page == 0)
    return -1;
  memset(page, 0, PGSIZE);
  read_page(v, va, page);
  int perm = PTE_U | PTE_R;
  if(v->prot & PROT_WRITE)
    perm |= PTE_W;
  if(write)
    perm |= PTE_A | PTE_D;
  if(mappages(pagetable, va, PGSIZE, (uint64)page, perm) != 0){
    kfree(page);
    return -1;
  }
  return 0;
}

// mmap_prefault(addr, len, write): fault in the pages of the current
// process's mappings that lie in [addr, addr+len) and were never
// touched, for a system call that is about to copy to (write) or from
// that buffer while holding locks: a pipe's spinlock, or the inode and
// buffer locks of a file, which may be the very file mapped there.
// Stops at the first page it cannot fault in; the copy then fails on
// that page as it would have.
void
mmap_prefault(uint64 addr, uint64 len, int write)
{
  struct proc *p = myproc();
  uint64 end = addr + len;
  if(end < addr)
    end = MAXVA;

  for(struct vma *v = p->vmas; v < &p->vmas[NVMA]; v++){
    if(v->file == 0)
      continue;
    uint64 from = addr > v->start ? PGROUNDDOWN(addr) : v->start;
    uint64 to = end < v->start + v->len ? end : v->start + v->len;
    for(uint64 va = from; va < to; va += PGSIZE){
      if(!ismapped(p->pagetable, va) && mmap_fault(p->pagetable, va, write) != 0)
        return;
    }
  }
}

// Give `new` a copy of every page `old` has mapped in [start, end), with
// the same flags.  Returns 0, or -1 when out of memory (the caller
// unmaps what was copied).
static int
copy_pages(pagetable_t old, pagetable_t new, uint64 start, uint64 end)
{
  uint64 next;
  for(uint64 va = start; va < end; va = next){
    pte_t *pte = resident(old, va, &next);
    if(pte == 0)
      continue;
    char *page = kalloc();
    if(page == 0)
      return -1;
    memmove(page, (char *)PTE2PA(*pte), PGSIZE);
    if(mappages(new, va, PGSIZE, (uint64)page, PTE_FLAGS(*pte)) != 0){
      kfree(page);
      return -1;
    }
  }
  return 0;
}

// mmap_fork(parent, child): give child the parent's mappings, each with
// a reference of its own to the file, and a copy of every page the
// parent has touched in them (pages not touched yet are read from the
// file when the child touches them).  A dirty page stays dirty in the
// copy: a shared page then goes back to the file from both processes.
// Returns 0, or -1 when out of memory, with the child left with no
// mapping and no page of one.  Does not sleep (fork holds child->lock).
int
mmap_fork(struct proc *parent, struct proc *child)
{
  for(int i = 0; i < NVMA; i++){
    struct vma *v = &parent->vmas[i];
    if(v->file == 0)
      continue;
    if(copy_pages(parent->pagetable, child->pagetable, v->start, v->start + v->len) != 0){
      for(int j = 0; j <= i; j++){
        struct vma *done = &parent->vmas[j];
        if(done->file != 0)
          uvmunmap(child->pagetable, done->start, done->len / PGSIZE, 1);
      }
      return -1;
    }
  }
  for(int i = 0; i < NVMA; i++){
    child->vmas[i] = parent->vmas[i];
    if(child->vmas[i].file != 0)
      filedup(child->vmas[i].file);
  }
  return 0;
}

// mmap(addr, len, prot, flags, fd, offset): map the open file fd; see
// map_file.  addr must be 0: the kernel chooses where.  Returns the
// address, or -1.
uint64
sys_mmap(void)
{
  uint64 addr, len, off;
  int prot, flags, fd;
  struct proc *p = myproc();

  argaddr(0, &addr);
  argaddr(1, &len);
  argint(2, &prot);
  argint(3, &flags);
  argint(4, &fd);
  argaddr(5, &off);
  if(addr != 0 || fd < 0 || fd >= NOFILE || p->ofile[fd] == 0)
    return -1;
  return map_file(p, p->ofile[fd], len, prot, flags, off);
}

// munmap(addr, len): see unmap_range.  Returns 0 or -1.
uint64
sys_munmap(void)
{
  uint64 addr, len;

  argaddr(0, &addr);
  argaddr(1, &len);
  return unmap_range(myproc(), addr, len);
}
