// lab mmap: solution
// In-kernel tests of file mappings (mmap.c): map_file's checks, lazy
// faulting, write-back of dirty shared pages only and only inside the
// file, munmap of either end, fork's copy and its failure, and running
// out of memory.  They map into the first process's own page table and
// open their own file (/kt_mmap).  The runner also checks that each
// test leaves the free-page count as it found it.
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
#include "kernel/stat.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

#define FILE_SIZE (PGSIZE + PGSIZE / 2)   // a page and a half
static char page_buf[PGSIZE];

// The byte the test file holds at offset off.
static char
file_byte(uint off)
{
  return 'A' + off % 23;
}

// A new /kt_mmap of FILE_SIZE bytes of file_byte, open as a struct file
// with the given access; 0 on failure.  Undo with close_test_file.
static struct file *
open_test_file(int readable, int writable)
{
  struct file *f = filealloc();
  if(f == 0)
    return 0;
  begin_op();
  struct inode *ip = create("/kt_mmap", T_FILE, 0, 0);
  if(ip != 0){
    for(uint off = 0; off < FILE_SIZE; off += PGSIZE){
      uint n = FILE_SIZE - off < PGSIZE ? FILE_SIZE - off : PGSIZE;
      for(uint i = 0; i < n; i++)
        page_buf[i] = file_byte(off + i);
      writei(ip, 0, (uint64)page_buf, off, n);
    }
    iunlock(ip);
  }
  end_op();
  if(ip == 0){
    fileclose(f);
    return 0;
  }
  f->type = FD_INODE;
  f->ip = ip;
  f->readable = readable;
  f->writable = writable;
  return f;
}

// Close f and remove /kt_mmap.
static void
close_test_file(struct file *f)
{
  fileclose(f);
  begin_op();
  unlinkpath("/kt_mmap");
  end_op();
}

// Read n bytes of f's file at off into page_buf; the bytes read.
static int
read_back(struct file *f, uint off, uint n)
{
  ilock(f->ip);
  int r = readi(f->ip, 0, (uint64)page_buf, off, n);
  iunlock(f->ip);
  return r;
}

// The PTE of va in the current process, or 0 if va is not mapped.
static pte_t
pte_of(uint64 va)
{
  pte_t *pte = walk(myproc()->pagetable, va, 0);
  return pte != 0 && (*pte & PTE_V) ? *pte : 0;
}

// The number of mappings the process p has.
static int
mappings(struct proc *p)
{
  int n = 0;
  for(int i = 0; i < NVMA; i++)
    n += p->vmas[i].file != 0;
  return n;
}

KTEST(mmap_maps_nothing_until_a_fault_reads_the_page)
{
  struct proc *p = myproc();
  struct file *f = open_test_file(1, 0);
  CHECK(f != 0, "cannot make the test file");
  uint64 n0 = kfreecount();
  uint64 va = map_file(p, f, 3 * PGSIZE, PROT_READ, MAP_PRIVATE, 0);
  uint64 n1 = kfreecount();
  int ref = f->ref;
  pte_t before = va != -1 ? pte_of(va) : 0;
  int store = mmap_fault(p->pagetable, va + 10, 1);
  int load = mmap_fault(p->pagetable, va + 10, 0);
  int again = mmap_fault(p->pagetable, va + 20, 0);
  pte_t pte0 = pte_of(va);
  int bad0 = -1, bad1 = -1;
  if(pte0){
    char *pg = (char *)PTE2PA(pte0);
    for(int i = 0; i < PGSIZE && bad0 < 0; i++)
      if(pg[i] != file_byte(i))
        bad0 = i;
  }
  int load1 = mmap_fault(p->pagetable, va + PGSIZE, 0);
  int load2 = mmap_fault(p->pagetable, va + 2 * PGSIZE + 5, 0);
  pte_t pte1 = pte_of(va + PGSIZE), pte2 = pte_of(va + 2 * PGSIZE);
  if(pte1 && pte2){
    char *pg1 = (char *)PTE2PA(pte1), *pg2 = (char *)PTE2PA(pte2);
    for(int i = 0; i < PGSIZE && bad1 < 0; i++){
      char want = i < FILE_SIZE - PGSIZE ? file_byte(PGSIZE + i) : 0;
      if(pg1[i] != want || pg2[i] != 0)
        bad1 = i;
    }
  }
  int outside = mmap_fault(p->pagetable, va + 3 * PGSIZE, 0);
  int un = unmap_range(p, va, 3 * PGSIZE);
  int ref_after = f->ref;
  pte_t gone = pte_of(va);
  close_test_file(f);

  CHECK(va != -1 && va % PGSIZE == 0 && va >= PGROUNDUP(p->sz) && va + 3 * PGSIZE <= TRAPFRAME,
        "map_file returned %p: expected a page-aligned address between the break %p "
        "and TRAPFRAME", (void *)va, (void *)p->sz);
  CHECK(n1 == n0 && before == 0, "map_file took %ld pages, mapped the first page: %d; "
        "it must do neither", n0 - n1, before != 0);
  CHECK(ref == 2 && ref_after == 1, "the file's ref is %d while mapped, %d after munmap; "
        "expected 2 and 1", ref, ref_after);
  CHECK(store == -1, "a store fault on a PROT_READ mapping returned %d, not -1", store);
  CHECK(load == 0 && again == -1, "a load fault returned %d, a second one on the same "
        "page %d; expected 0, then -1 (mapped already)", load, again);
  CHECK((PTE_FLAGS(pte0) & (PTE_R | PTE_W | PTE_X | PTE_U)) == (PTE_R | PTE_U),
        "the page faulted in has flags %x, expected R and U only", (int)PTE_FLAGS(pte0));
  CHECK(bad0 < 0, "page 0 differs from the file at byte %d", bad0);
  CHECK(load1 == 0 && load2 == 0 && bad1 < 0, "pages 1 and 2 (half past the file's end, "
        "all past it): faults %d %d, first wrong byte %d", load1, load2, bad1);
  CHECK(outside == -1, "a fault just past the mapping returned %d", outside);
  CHECK(un == 0 && gone == 0, "unmap_range returned %d, page still mapped: %d", un, gone != 0);
}

KTEST(munmap_writes_back_dirty_shared_pages_inside_the_file_only)
{
  struct proc *p = myproc();
  struct file *f = open_test_file(1, 1);
  CHECK(f != 0, "cannot make the test file");
  uint64 va = map_file(p, f, 2 * PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
  int r0 = mmap_fault(p->pagetable, va, 0);        // clean
  int r1 = mmap_fault(p->pagetable, va + PGSIZE, 1);  // dirty: a store
  pte_t pte0 = pte_of(va), pte1 = pte_of(va + PGSIZE);
  if(pte0 && pte1){
    memset((char *)PTE2PA(pte0), 'c', PGSIZE);   // stored without PTE_D: not written
    memset((char *)PTE2PA(pte1), 'd', PGSIZE);
  }
  int un = unmap_range(p, va, 2 * PGSIZE);
  uint size = f->ip->size;
  int n0 = read_back(f, 0, PGSIZE);
  int clean_kept = n0 == PGSIZE && page_buf[0] == file_byte(0) &&
                   page_buf[PGSIZE - 1] == file_byte(PGSIZE - 1);
  int n1 = read_back(f, PGSIZE, PGSIZE);
  int dirty_written = n1 == FILE_SIZE - PGSIZE && page_buf[0] == 'd' && page_buf[n1 - 1] == 'd';
  close_test_file(f);

  CHECK(va != -1 && r0 == 0 && r1 == 0, "map_file %p, faults %d %d", (void *)va, r0, r1);
  CHECK((PTE_FLAGS(pte0) & PTE_W) && !(PTE_FLAGS(pte0) & PTE_D) && (PTE_FLAGS(pte1) & PTE_D),
        "flags after a load fault %x, after a store fault %x: expected W in both, D only "
        "after the store", (int)PTE_FLAGS(pte0), (int)PTE_FLAGS(pte1));
  CHECK(un == 0, "unmap_range returned %d", un);
  CHECK(size == FILE_SIZE, "the file is %d bytes after write-back, was %d: write-back "
        "must not extend it", size, FILE_SIZE);
  CHECK(clean_kept, "a page without PTE_D was written back");
  CHECK(dirty_written, "the dirty page's bytes inside the file were not written back");
}

KTEST(munmap_takes_first_or_last_pages_never_a_middle_hole)
{
  struct proc *p = myproc();
  struct file *f = open_test_file(1, 0);
  CHECK(f != 0, "cannot make the test file");
  uint64 va = map_file(p, f, 4 * PGSIZE, PROT_READ, MAP_PRIVATE, 0);
  for(int i = 0; i < 4; i++)
    mmap_fault(p->pagetable, va + i * PGSIZE, 0);
  int middle = unmap_range(p, va + PGSIZE, PGSIZE);
  int unaligned = unmap_range(p, va + 1, PGSIZE);
  int beyond = unmap_range(p, va + 3 * PGSIZE, 2 * PGSIZE);
  int first = unmap_range(p, va, PGSIZE);
  struct vma *v = 0;
  for(int i = 0; i < NVMA; i++)
    if(p->vmas[i].file == f)
      v = &p->vmas[i];
  uint64 start = v ? v->start : 0, len = v ? v->len : 0, off = v ? v->off : 0;
  int last = unmap_range(p, va + 3 * PGSIZE, PGSIZE);
  uint64 len2 = v ? v->len : 0;
  int still = pte_of(va + PGSIZE) != 0 && pte_of(va + 2 * PGSIZE) != 0;
  int gone = pte_of(va) == 0 && pte_of(va + 3 * PGSIZE) == 0;
  int rest = unmap_range(p, va + PGSIZE, 2 * PGSIZE);
  int ref = f->ref, left = mappings(p);
  close_test_file(f);

  CHECK(va != -1, "map_file failed");
  CHECK(middle == -1 && unaligned == -1 && beyond == -1, "unmap_range of a middle page %d, "
        "unaligned %d, past the end %d; expected -1 each", middle, unaligned, beyond);
  CHECK(first == 0 && start == va + PGSIZE && len == 3 * PGSIZE && off == PGSIZE,
        "after unmapping the first page: %d, mapping at %p, %ld bytes, offset %ld",
        first, (void *)start, len, off);
  CHECK(last == 0 && len2 == 2 * PGSIZE, "after unmapping the last page: %d, %ld bytes",
        last, len2);
  CHECK(still && gone, "the middle pages are %s, the end pages %s", still ? "mapped" : "gone",
        gone ? "gone" : "mapped");
  CHECK(rest == 0 && ref == 1 && left == 0, "unmapping the rest: %d, file ref %d, "
        "mappings left %d; expected 0, 1, 0", rest, ref, left);
}

KTEST(mmap_fork_copies_touched_pages_or_fails_leaving_nothing)
{
  static struct proc child;
  struct proc *p = myproc();
  struct file *f = open_test_file(1, 0);
  CHECK(f != 0, "cannot make the test file");
  uint64 va = map_file(p, f, 2 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
  mmap_fault(p->pagetable, va, 1);
  pte_t parent_pte = pte_of(va);
  if(parent_pte)
    ((char *)PTE2PA(parent_pte))[0] = 'P';

  memset(&child, 0, sizeof(child));
  child.pagetable = uvmcreate();
  kalloc_fail_after(1);   // the first page table page, then nothing
  int failed = child.pagetable ? mmap_fork(p, &child) : 0;
  kalloc_fail_after(-1);
  int left = mappings(&child), leaf = ismapped(child.pagetable, va), ref_failed = f->ref;

  int ok = mmap_fork(p, &child);
  pte_t *cpte = walk(child.pagetable, va, 0);
  pte_t copy = cpte ? *cpte : 0;
  int untouched = ismapped(child.pagetable, va + PGSIZE);
  int ref_ok = f->ref, cmaps = mappings(&child);
  char first = copy ? ((char *)PTE2PA(copy))[0] : 0;
  if(ok == 0){
    // The child's side, as its exit would let go of it.
    uvmunmap(child.pagetable, va, 2, 1);
    for(int i = 0; i < NVMA; i++)
      if(child.vmas[i].file)
        fileclose(child.vmas[i].file);
  }
  uvmfree(child.pagetable, 0);
  unmap_range(p, va, 2 * PGSIZE);
  close_test_file(f);

  CHECK(va != -1 && parent_pte != 0 && child.pagetable != 0, "setting up failed");
  CHECK(failed == -1 && left == 0 && !leaf && ref_failed == 2, "mmap_fork out of memory "
        "returned %d and left %d mappings, page mapped %d, file ref %d; expected -1, 0, 0, 2",
        failed, left, leaf, ref_failed);
  CHECK(ok == 0 && cmaps == 1 && ref_ok == 3, "mmap_fork returned %d, %d mappings, file "
        "ref %d; expected 0, 1, 3", ok, cmaps, ref_ok);
  CHECK(copy != 0 && PTE2PA(copy) != PTE2PA(parent_pte) && first == 'P', "the child's "
        "touched page is %s", copy == 0 ? "missing" :
        PTE2PA(copy) == PTE2PA(parent_pte) ? "the parent's page itself" : "not a copy");
  CHECK(PTE_FLAGS(copy) == PTE_FLAGS(parent_pte), "the copy's flags %x, the parent's %x",
        (int)PTE_FLAGS(copy), (int)PTE_FLAGS(parent_pte));
  CHECK(!untouched, "a page the parent never touched was mapped in the child");
}

KTEST(map_file_refuses_bad_arguments_and_keeps_the_heap_clear)
{
  struct proc *p = myproc();
  struct file *ro = open_test_file(1, 0);
  CHECK(ro != 0, "cannot make the test file");
  struct file wo = *ro;
  wo.readable = 0;
  wo.writable = 1;
  int refused = 0, cases = 0;
  uint64 r;
#define REFUSE(call) do { cases++; r = (call); refused += r == -1; } while(0)
  REFUSE(map_file(p, ro, 0, PROT_READ, MAP_SHARED, 0));
  REFUSE(map_file(p, ro, MAXVA, PROT_READ, MAP_SHARED, 0));
  REFUSE(map_file(p, ro, PGSIZE, PROT_READ, MAP_SHARED, 1));
  REFUSE(map_file(p, ro, PGSIZE, PROT_READ, MAP_SHARED, 1L << 32));
  REFUSE(map_file(p, ro, PGSIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE, 0));
  REFUSE(map_file(p, ro, PGSIZE, PROT_READ, 0, 0));
  REFUSE(map_file(p, ro, PGSIZE, PROT_READ, MAP_SHARED | MAP_PRIVATE, 0));
  REFUSE(map_file(p, ro, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0));
  REFUSE(map_file(p, &wo, PGSIZE, PROT_WRITE, MAP_SHARED, 0));
  int after_refusals = mappings(p);

  uint64 va[NVMA];
  int made = 0;
  for(int i = 0; i < NVMA; i++)
    made += (va[i] = map_file(p, ro, PGSIZE, PROT_READ, MAP_PRIVATE, 0)) != -1;
  uint64 extra = map_file(p, ro, PGSIZE, PROT_READ, MAP_PRIVATE, 0);
  int below = 1;
  for(int i = 1; i < NVMA; i++)
    below &= va[i] == va[i - 1] - PGSIZE;
  int heap_blocked = mmap_overlaps(p, p->sz, va[NVMA - 1] + 1);
  int heap_free = !mmap_overlaps(p, p->sz, va[NVMA - 1]);
  uint64 freed = va[3];
  unmap_range(p, freed, PGSIZE);
  uint64 reuse = map_file(p, ro, PGSIZE, PROT_READ, MAP_PRIVATE, 0);
  munmap_all(p);
  int left = mappings(p), ref = ro->ref;
  close_test_file(ro);

  CHECK(refused == cases && after_refusals == 0, "%d of %d bad calls were refused, "
        "%d mappings made", refused, cases, after_refusals);
  CHECK(made == NVMA && extra == -1, "%d of %d mappings made, one more returned %p",
        made, NVMA, (void *)extra);
  CHECK(va[0] == TRAPFRAME - PGSIZE && below, "the first mapping is at %p (TRAPFRAME is "
        "%p), the next ones are%s each just below", (void *)va[0], (void *)TRAPFRAME,
        below ? "" : " not");
  CHECK(heap_blocked && heap_free, "mmap_overlaps: growing the heap into the lowest "
        "mapping %s, up to it %s", heap_blocked ? "refused" : "allowed",
        heap_free ? "allowed" : "refused");
  CHECK(reuse == freed, "a freed gap at %p was not reused (got %p)", (void *)freed,
        (void *)reuse);
  CHECK(left == 0 && ref == 1, "after munmap_all: %d mappings, file ref %d", left, ref);
}

KTEST(mmap_fault_out_of_memory_fails_and_maps_nothing)
{
  struct proc *p = myproc();
  struct file *f = open_test_file(1, 1);
  CHECK(f != 0, "cannot make the test file");
  uint64 va = map_file(p, f, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
  uint64 n0 = kfreecount();
  kalloc_fail_after(0);
  int r = mmap_fault(p->pagetable, va, 1);
  kalloc_fail_after(-1);
  uint64 n1 = kfreecount();
  int mapped = ismapped(p->pagetable, va);
  int later = mmap_fault(p->pagetable, va, 0);
  munmap_all(p);
  close_test_file(f);

  CHECK(va != -1, "map_file failed");
  CHECK(r == -1 && !mapped && n1 == n0, "mmap_fault with no free page returned %d, "
        "mapped %d, took %ld pages; expected -1, 0, 0", r, mapped, n0 - n1);
  CHECK(later == 0, "once memory is back the fault succeeds: returned %d", later);
}
