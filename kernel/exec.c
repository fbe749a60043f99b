// exec: replace the current process's memory with a program from a file.
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

// Page permissions for an ELF segment's flags.  Never both writable and
// executable: a writable segment loses X.
static int
flags2perm(uint32 flags)
{
  int perm = 0;
  if(flags & ELF_PROG_FLAG_EXEC)
    perm |= PTE_X;
  if(flags & ELF_PROG_FLAG_WRITE)
    perm = PTE_W;
  return perm;
}

// Copy filesz bytes at offset off of the file into user memory at va
// (page aligned), which uvmalloc has mapped.  Returns 0 or -1.
static int
loadseg(pagetable_t pagetable, uint64 va, struct inode *ip, uint off, uint filesz)
{
  for(uint64 i = 0; i < filesz; i += PGSIZE){
    pte_t *pte = walk(pagetable, va + i, 0);
    if(pte == 0 || (*pte & PTE_V) == 0)
      panic("loadseg: segment page not mapped");
    uint64 pa = PTE2PA(*pte);
    uint n = filesz - i < PGSIZE ? filesz - i : PGSIZE;
    if(readi(ip, 0, pa, off + i, n) != n)
      return -1;
  }
  return 0;
}

// Read and check the ELF header and load every LOAD segment into
// pagetable, in increasing address order.  *szp follows the end of what
// is mapped so far, so that the caller can free it whatever happens.
// Returns 0, or -1 for a malformed file (or no memory):
// bad magic, an unreadable program header, filesz > memsz, a segment
// address not page aligned, segments that overlap or run backwards, or
// an address that overflows or passes TRAPFRAME.
static int
load_program(pagetable_t pagetable, struct inode *ip, struct elfhdr *elf, uint64 *szp)
{
  uint64 sz = 0;

  if(readi(ip, 0, (uint64)elf, 0, sizeof(*elf)) != sizeof(*elf))
    return -1;
  if(elf->magic != ELF_MAGIC)
    return -1;
  if(elf->phentsize != sizeof(struct proghdr))
    return -1;

  for(int i = 0; i < elf->phnum; i++){
    struct proghdr ph;
    uint64 off = elf->phoff + (uint64)i * sizeof(ph);
    if(off + sizeof(ph) > ip->size)
      return -1;
    if(readi(ip, 0, (uint64)&ph, off, sizeof(ph)) != sizeof(ph))
      return -1;
    if(ph.type != ELF_PROG_LOAD)
      continue;
    if(ph.memsz < ph.filesz)
      return -1;
    if(ph.vaddr % PGSIZE != 0)
      return -1;
    if(ph.vaddr + ph.memsz < ph.vaddr)   // wraps around
      return -1;
    if(ph.vaddr < PGROUNDUP(sz))         // overlaps the previous one
      return -1;
    if(ph.off + ph.filesz < ph.off || ph.off + ph.filesz > ip->size)
      return -1;
    if(ph.memsz == 0)
      continue;
    uint64 newsz = uvmalloc(pagetable, sz, ph.vaddr + ph.memsz, flags2perm(ph.flags));
    if(newsz == 0)
      return -1;   // uvmalloc gave back what it took
    sz = newsz;
    *szp = sz;
    if(loadseg(pagetable, ph.vaddr, ip, ph.off, ph.filesz) < 0)
      return -1;
  }
  return 0;
}

// exec(path, argv): run the program in file path with arguments argv
// (kernel copies of the strings, 0-terminated list).
//   Builds the new image in a fresh page table:
//     the program's segments from address 0 (text R-X, data RW-),
//     one guard page without PTE_U, USERSTACK stack pages holding the
//     argument strings and the argv array; the heap starts above them.
//   Only when all of that has worked is the old image freed and the new
//   one installed; on any failure the new one is freed and the process
//   goes on unchanged.  Returns argc (which lands in a0, argv's address
//   in a1), or -1.
int
exec(char *path, char **argv)
{
  struct proc *p = myproc();
  struct elfhdr elf;
  struct inode *ip;
  pagetable_t pagetable = 0;
  uint64 sz = 0;

  begin_op();
  if((ip = namei(path)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);

  if((pagetable = proc_pagetable(p)) == 0)
    goto bad;
  if(load_program(pagetable, ip, &elf, &sz) < 0 || sz == 0)
    goto bad;
  iunlockput(ip);
  end_op();
  ip = 0;

  // The guard page and the stack, above the program.
  sz = PGROUNDUP(sz);
  uint64 stacktop = uvmalloc(pagetable, sz, sz + (USERSTACK + 1) * PGSIZE, PTE_W);
  if(stacktop == 0)
    goto bad;
  sz = stacktop;
  uvmclear(pagetable, sz - (USERSTACK + 1) * PGSIZE);
  uint64 stackbase = sz - USERSTACK * PGSIZE;
  uint64 sp = sz;

  // The argument strings, then the argv array pointing at them.
  uint64 ustack[MAXARG + 1];
  uint64 argc;
  for(argc = 0; argv[argc]; argc++){
    if(argc >= MAXARG)
      goto bad;
    sp -= strlen(argv[argc]) + 1;
    sp -= sp % 16;   // the RISC-V ABI keeps sp 16-byte aligned
    if(sp < stackbase)
      goto bad;
    if(copyout(pagetable, sp, argv[argc], strlen(argv[argc]) + 1) < 0)
      goto bad;
    ustack[argc] = sp;
  }
  ustack[argc] = 0;

  sp -= (argc + 1) * sizeof(uint64);
  sp -= sp % 16;
  if(sp < stackbase)
    goto bad;
  if(copyout(pagetable, sp, (char *)ustack, (argc + 1) * sizeof(uint64)) < 0)
    goto bad;

  // main(argc, argv): argc is the return value (a0), argv goes in a1.
  p->trapframe->a1 = sp;

  // The program's name, for debugging: the last element of the path.
  char *last = path;
  for(char *s = path; *s; s++){
    if(*s == '/')
      last = s + 1;
  }
  safestrcpy(p->name, last, sizeof(p->name));

  // Commit: the new image replaces the old, which is freed only now.
  pagetable_t oldpagetable = p->pagetable;
  uint64 oldsz = p->sz;
  p->pagetable = pagetable;
  p->sz = sz;
  p->heapbase = sz;
  p->trapframe->epc = elf.entry;
  p->trapframe->sp = sp;
  proc_freepagetable(oldpagetable, oldsz);

  return argc;

bad:
  if(pagetable)
    proc_freepagetable(pagetable, sz);
  if(ip){
    iunlockput(ip);
    end_op();
  }
  return -1;
}
