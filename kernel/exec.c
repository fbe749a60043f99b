// exec: replace the current process's memory with a program from a file.
//
// exec is a loader made of small steps, each of which can refuse:
//
//   load_file       open the file, check its ELF header (read_header) and
//                   map and fill each LOAD segment (load_segment)
//   add_stack       a guard page and USERSTACK stack pages above them
//   push_args       the argument strings, then argv, onto that stack
//   install         switch the process over and free its old memory
//
// Every step before install works on a struct image, a page table of
// its own that the process does not use yet.  So a refusal anywhere (a
// malformed file, too many arguments, no memory) only has to free that
// page table: the caller goes on running its old program and sees -1.
//
// The layout built, from address 0 (compat.md, "User address space"):
//   segments (text R-X, data and bss RW-) | guard page, no PTE_U |
//   USERSTACK stack pages | the heap, which starts empty.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"
#include "kernel/elf.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/file.h"

// A program image while exec builds it.
struct image {
  pagetable_t pagetable;  // from proc_pagetable; user pages added here
  uint64 sz;              // bytes mapped from 0: what to free on failure
  uint64 entry;           // the ELF entry point
  uint64 stackbase;       // lowest stack address (just above the guard)
  uint64 sp;              // lowest stack byte in use so far
};

// Read ip's ELF header into *elf.  0, or -1 if the file is shorter than
// a header, is not ELF, or declares program headers of a size other
// than struct proghdr's.
static int
read_header(struct inode *ip, struct elfhdr *elf)
{
  if(readi(ip, 0, (uint64)elf, 0, sizeof(*elf)) != sizeof(*elf))
    return -1;
  if(elf->magic != ELF_MAGIC)
    return -1;
  return elf->phentsize == sizeof(struct proghdr) ? 0 : -1;
}

// Read program header number i into *ph.  0, or -1 if it does not lie
// wholly inside the file.
static int
read_proghdr(struct inode *ip, struct elfhdr *elf, int i, struct proghdr *ph)
{
  uint64 at = elf->phoff + (uint64)i * sizeof(*ph);

  if(at < elf->phoff || at > ip->size || ip->size - at < sizeof(*ph))
    return -1;
  return readi(ip, 0, (uint64)ph, at, sizeof(*ph)) == sizeof(*ph) ? 0 : -1;
}

// May the LOAD segment *ph of file ip come next, above the sz bytes
// already mapped?  It must start on a page boundary at or above
// PGROUNDUP(sz) (segments come in increasing order and do not share a
// page), its end must not wrap around, memsz must cover filesz, and the
// filesz bytes must be in the file.  (Passing TRAPFRAME is map_image's
// refusal.)
static int
segment_ok(struct proghdr *ph, struct inode *ip, uint64 sz)
{
  uint64 fileend = ph->off + ph->filesz;

  if(ph->vaddr % PGSIZE != 0 || ph->vaddr < PGROUNDUP(sz))
    return 0;
  if(ph->vaddr + ph->memsz < ph->vaddr || ph->memsz < ph->filesz)
    return 0;
  return fileend >= ph->off && fileend <= ip->size;
}

// The page permissions for a segment's ELF flags: X if executable, W if
// writable, but never both (a writable segment loses X).
static int
segment_perm(uint32 flags)
{
  if(flags & ELF_PROG_FLAG_WRITE)
    return PTE_W;
  if(flags & ELF_PROG_FLAG_EXEC)
    return PTE_X;
  return 0;
}

// Copy n bytes at offset off of ip into the new image at va, which is
// page aligned and already mapped.  0, or -1 if the file read falls short.
static int
copy_from_file(pagetable_t pagetable, uint64 va, struct inode *ip, uint off, uint64 n)
{
  while(n > 0){
    uint64 pa = walkaddr(pagetable, va);
    if(pa == 0)
      panic("exec: a segment page map_image mapped is missing");
    uint chunk = n < PGSIZE ? n : PGSIZE;
    if(readi(ip, 0, pa, off, chunk) != chunk)
      return -1;
    va += chunk;
    off += chunk;
    n -= chunk;
  }
  return 0;
}

// Zero n bytes of the new image from va on, on pages already mapped.
static void
zero_in_image(pagetable_t pagetable, uint64 va, uint64 n)
{
  while(n > 0){
    uint64 pa = walkaddr(pagetable, PGROUNDDOWN(va));
    if(pa == 0)
      panic("exec: a segment page map_image mapped is missing");
    uint64 off = va % PGSIZE;
    uint64 chunk = PGSIZE - off < n ? PGSIZE - off : n;
    memset((char *)pa + off, 0, chunk);
    va += chunk;
    n -= chunk;
  }
}

// Grow img to end bytes: a fresh user page (mapfresh), readable and
// with xperm, at each page from PGROUNDUP(img->sz) up.  0, or -1 if
// memory runs out or end passes TRAPFRAME.  Nothing is undone on
// failure: exec throws the whole new page table away, and uvmfree
// frees whatever it maps.  (uvmalloc, the heap's way to grow, must
// undo, because it grows a live address space.)
static int
map_image(struct image *img, uint64 end, int xperm)
{
  if(end > TRAPFRAME)
    return -1;
  for(uint64 a = PGROUNDUP(img->sz); a < end; a += PGSIZE){
    if(mapfresh(img->pagetable, a, PTE_R | PTE_U | xperm) != 0)
      return -1;
  }
  img->sz = end;
  return 0;
}

// Map the checked segment *ph into img (pages up to vaddr+memsz, with
// the segment's permissions), fill its first filesz bytes from the file
// and leave the rest, the bss, zero.  img->sz follows what is mapped.
// 0, or -1 if memory runs out, the segment reaches past TRAPFRAME, or
// the file cannot be read.
static int
load_segment(struct image *img, struct inode *ip, struct proghdr *ph)
{
  if(map_image(img, ph->vaddr + ph->memsz, segment_perm(ph->flags)) < 0)
    return -1;
  if(copy_from_file(img->pagetable, ph->vaddr, ip, ph->off, ph->filesz) < 0)
    return -1;
  // mapfresh's pages are zero already, except in a tree that does not
  // scrub pages (SCRUB_PAGES in param.h); C's bss must be zero anyway.
  if(!SCRUB_PAGES)
    zero_in_image(img->pagetable, ph->vaddr + ph->filesz, ph->memsz - ph->filesz);
  return 0;
}

// Load every LOAD segment of the checked file ip into img.  0, or -1 if
// a program header or segment is refused, or there is no segment.
static int
load_segments(struct image *img, struct inode *ip, struct elfhdr *elf)
{
  for(int i = 0; i < elf->phnum; i++){
    struct proghdr ph;
    if(read_proghdr(ip, elf, i, &ph) < 0)
      return -1;
    if(ph.type != ELF_PROG_LOAD)
      continue;
    if(!segment_ok(&ph, ip, img->sz))
      return -1;
    if(ph.memsz > 0 && load_segment(img, ip, &ph) < 0)
      return -1;
  }
  return img->sz > 0 ? 0 : -1;
}

// Load the program file path into img, whose page table exists, and
// note its entry point.  0, or -1 if path does not exist or the file is
// refused (a directory is refused too: it has no ELF header).  Runs its
// own file-system transaction.
static int
load_file(char *path, struct image *img)
{
  struct elfhdr elf;
  int r = -1;

  begin_op();
  struct inode *ip = namei(path);
  if(ip != 0){
    ilock(ip);
    if(read_header(ip, &elf) == 0 && load_segments(img, ip, &elf) == 0){
      img->entry = elf.entry;
      r = 0;
    }
    iunlockput(ip);
  }
  end_op();
  return r;
}

// Map the guard page and USERSTACK stack pages above the loaded
// segments, and take user access away from the guard page, so that a
// stack overflow faults instead of running into the data.  0, or -1 if
// memory runs out or the stack would pass TRAPFRAME.
static int
add_stack(struct image *img)
{
  uint64 guard = PGROUNDUP(img->sz);
  uint64 top = guard + (1 + USERSTACK) * PGSIZE;

  if(map_image(img, top, PTE_W) < 0)
    return -1;
  uvmclear(img->pagetable, guard);
  img->stackbase = guard + PGSIZE;
  img->sp = top;
  return 0;
}

// Copy n bytes from src onto img's stack, below what is there, and
// leave the stack pointer 16-byte aligned as the RISC-V calling
// convention requires.  Returns the user address the bytes went to, or
// 0 if they do not fit above stackbase.
static uint64
push(struct image *img, void *src, uint64 n)
{
  if(n > img->sp - img->stackbase)
    return 0;
  uint64 to = (img->sp - n) & ~(uint64)15;
  if(to < img->stackbase || copyout(img->pagetable, to, src, n) < 0)
    return 0;
  img->sp = to;
  return to;
}

// Push each string of argv (0-terminated), then the array of their user
// addresses ending in 0, which is main's argv; img->sp is left pointing
// at that array.  Returns argc, or -1 if there are more than MAXARG
// strings or they do not fit on the stack.
static int
push_args(struct image *img, char **argv)
{
  uint64 uargv[MAXARG + 1];
  int argc;

  for(argc = 0; argv[argc] != 0; argc++){
    if(argc == MAXARG)
      return -1;
    uargv[argc] = push(img, argv[argc], strlen(argv[argc]) + 1);
    if(uargv[argc] == 0)
      return -1;
  }
  uargv[argc] = 0;
  if(push(img, uargv, (argc + 1) * sizeof(uint64)) == 0)
    return -1;
  return argc;
}

// Switch p to the finished image and free its old memory.  The program
// starts at the entry point with sp at argv, which also goes in a1 (a0
// will be exec's result, argc).  p is named after path's last element,
// for procdump and the debugger.
static void
install(struct proc *p, struct image *img, char *path)
{
  pagetable_t oldpagetable = p->pagetable;
  uint64 oldsz = p->sz;

  char *name = path;
  for(char *s = path; *s != 0; s++){
    if(*s == '/')
      name = s + 1;
  }
  safestrcpy(p->name, name, sizeof(p->name));

  // lab mmap: begin
  munmap_all(p);   // the old image's file mappings end with it
  // lab mmap: end
  p->pagetable = img->pagetable;
  p->sz = img->sz;
  p->heapbase = img->sz;
  p->trapframe->epc = img->entry;
  p->trapframe->sp = img->sp;
  p->trapframe->a1 = img->sp;
  // lab traps: begin
  memset(&p->alarm, 0, sizeof(p->alarm));   // its handler was in the old image
  // lab traps: end
  proc_freepagetable(oldpagetable, oldsz);
}

// exec(path, argv): run the program in file path with the arguments
// argv (kernel copies of the strings, a 0-terminated list).  Returns
// argc, which the system call leaves in a0 for main; or -1, with the
// process unchanged, if any step refuses.
int
exec(char *path, char **argv)
{
  struct proc *p = myproc();
  struct image img;
  int argc = -1;

  memset(&img, 0, sizeof(img));
  if((img.pagetable = proc_pagetable(p)) == 0)
    return -1;
  if(load_file(path, &img) == 0 && add_stack(&img) == 0)
    argc = push_args(&img, argv);
  if(argc < 0){
    proc_freepagetable(img.pagetable, img.sz);
    return -1;
  }
  install(p, &img, path);
  return argc;
}
