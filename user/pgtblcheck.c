// pgtblcheck: checks of the pgtbl lab's features (docs/labs/pgtbl.md),
// one per argument: ugetpid, pgaccess, kpgtbl, superpage (or all).
// Each prints "NAME: OK", or "NAME: FAILED: why" and the program exits
// with status 1.  The grader (labs/pgtbl/grade.py) runs them.
// lab pgtbl: handout
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "user/user.h"

static char *checking = "?";

static void
fail(char *why, long value)
{
  printf("%s: FAILED: %s (%ld)\n", checking, why, value);
  exit(1);
}

// Run fn in a child; return the child's exit status.
static int
in_child(void (*fn)(uint64), uint64 arg)
{
  int pid = fork();
  if(pid < 0)
    fail("fork failed", pid);
  if(pid == 0){
    fn(arg);
    exit(0);
  }
  int status = 0;
  wait(&status);
  return status;
}

static void
store_at(uint64 va)
{
  *(volatile char *)va = 1;
}

static void
load_at(uint64 va)
{
  if(*(volatile char *)va == 0x5a)
    exit(2);
}

// ugetpid() agrees with getpid() in fresh processes, and the page it
// reads is the user's to read but not to write.
static void
check_ugetpid(void)
{
  checking = "ugetpid";
  for(int i = 0; i < 16; i++){
    int pid = fork();
    if(pid < 0)
      fail("fork failed", pid);
    if(pid == 0)
      exit(ugetpid() == getpid() ? 0 : 1);
    int status = -1;
    wait(&status);
    if(status != 0)
      fail("a child's ugetpid() is not its getpid()", status);
  }
  uint64 pte = pgpte((void *)USYSCALL);
  if((pte & (PTE_V | PTE_R | PTE_U)) != (PTE_V | PTE_R | PTE_U))
    fail("USYSCALL is not mapped readable for the user: its PTE is", pte);
  if(pte & (PTE_W | PTE_X))
    fail("USYSCALL is writable or executable: its PTE is", pte);
  if(in_child(store_at, USYSCALL) != -1)
    fail("a store into USYSCALL was not killed", 0);
  printf("ugetpid: OK\n");
}

// pgaccess reports the pages touched since it last asked, and refuses
// bad arguments.
static void
check_pgaccess(void)
{
  checking = "pgaccess";
  char *buf = sbrk(32 * PGSIZE);
  if(buf == SBRK_ERROR)
    fail("sbrk failed", 0);
  buf = (char *)PGROUNDUP((uint64)buf);   // at least 31 whole pages
  uint mask = ~0;
  if(pgaccess(buf, 31, &mask) < 0)
    fail("pgaccess refused good arguments", -1);
  mask = ~0;
  if(pgaccess(buf, 31, &mask) < 0 || mask != 0)
    fail("a second pgaccess saw pages used: mask", mask);
  buf[PGSIZE * 1] += 1;
  buf[PGSIZE * 2] += 1;
  buf[PGSIZE * 30] += 1;
  if(pgaccess(buf, 31, &mask) < 0)
    fail("pgaccess failed", -1);
  if(mask != ((1U << 1) | (1U << 2) | (1U << 30)))
    fail("pages 1, 2 and 30 were touched but the mask is", mask);
  if(pgaccess(buf, 31, &mask) < 0 || mask != 0)
    fail("the bits were not cleared: mask", mask);
  if(pgaccess(buf, 0, &mask) != -1 || pgaccess(buf, -1, &mask) != -1 ||
     pgaccess(buf, 1 << 20, &mask) != -1)
    fail("a bad page count was accepted", 0);
  if(pgaccess(buf, 31, (void *)0x3fffffe000L) != -1 ||
     pgaccess(buf, 31, (void *)(MAXVA + 8)) != -1)
    fail("a bad mask address was accepted", 0);
  if(pgaccess((void *)(MAXVA - PGSIZE), 2, &mask) != -1)
    fail("pages past MAXVA were accepted", 0);
  sbrk(-32 * PGSIZE);
  printf("pgaccess: OK\n");
}

// The 512 pages from s are one superpage: the same level-1 PTE,
// readable, writable, the user's.
static int
is_superpage(uint64 s)
{
  uint64 first = pgpte((void *)s);
  if((first & (PTE_V | PTE_R | PTE_W | PTE_U)) != (PTE_V | PTE_R | PTE_W | PTE_U))
    return 0;
  for(uint64 va = s; va < s + SUPERPGSIZE; va += PGSIZE){
    if(pgpte((void *)va) != first)
      return 0;
  }
  return 1;
}

// Fill the pages of [from, to) with a word naming page and tag.
static void
fill(uint64 from, uint64 to, int tag)
{
  for(uint64 va = from; va < to; va += PGSIZE)
    *(uint64 *)va = va ^ tag;
}

static int
holds(uint64 from, uint64 to, int tag)
{
  for(uint64 va = from; va < to; va += PGSIZE){
    if(*(uint64 *)va != (va ^ tag))
      return 0;
  }
  return 1;
}

static void
child_checks_copy(uint64 s)
{
  if(!is_superpage(s) || !holds(s, s + 3 * SUPERPGSIZE, 1))
    exit(1);
  fill(s, s + 3 * SUPERPGSIZE, 2);   // its own copy: the parent's stays
  exit(0);
}

// An eager sbrk of 8 MiB gets superpages for the 2 MiB-aligned parts;
// fork copies them; a shrink ending inside one keeps the pages below the
// break and takes those above; nothing leaks.
static void
check_superpage(void)
{
  checking = "superpage";
  int free0 = freemem();
  uint64 old = (uint64)sbrk(0);
  uint64 end = (uint64)sbrk(8 << 20);
  if(end == (uint64)SBRK_ERROR)
    fail("sbrk(8 MiB) failed", 0);
  uint64 s = SUPERPGROUNDUP(end);
  for(uint64 sp = s; sp < s + 3 * SUPERPGSIZE; sp += SUPERPGSIZE){
    if(!is_superpage(sp))
      fail("no superpage at", sp);
  }
  if(is_superpage(s - SUPERPGSIZE) && s - SUPERPGSIZE < end)
    fail("a superpage below the old break", s - SUPERPGSIZE);
  fill(s, s + 3 * SUPERPGSIZE, 1);

  if(in_child(child_checks_copy, s) != 0)
    fail("the child did not get a superpage copy of the parent's", 0);
  if(!holds(s, s + 3 * SUPERPGSIZE, 1))
    fail("the child's stores reached the parent's superpages", 0);

  // Shrink so that the break falls 10 pages into the second superpage.
  uint64 brk = s + SUPERPGSIZE + 10 * PGSIZE;
  sbrk(-(int)((uint64)sbrk(0) - brk));
  if((uint64)sbrk(0) != brk)
    fail("the shrink left the break at", (uint64)sbrk(0));
  if(!is_superpage(s))
    fail("the first superpage did not survive the shrink", s);
  if(!holds(s, brk, 1))
    fail("the pages below the new break lost their contents", 0);
  if(pgpte((void *)(s + SUPERPGSIZE)) == pgpte((void *)(s + SUPERPGSIZE + PGSIZE)))
    fail("the cut superpage is still one PTE", s + SUPERPGSIZE);
  if(pgpte((void *)brk) & PTE_V)
    fail("the page at the new break is still mapped", brk);
  if(in_child(load_at, brk + 5 * PGSIZE) != -1)
    fail("a load above the new break was not killed", brk + 5 * PGSIZE);

  sbrk(-(int)((uint64)sbrk(0) - old));
  if(freemem() != free0)
    fail("free pages after sbrk back: before, after differ by", free0 - freemem());
  printf("superpage: OK\n");
}

int
main(int argc, char *argv[])
{
  for(int i = 1; i < argc; i++){
    int all = strcmp(argv[i], "all") == 0;
    int known = all;
    if(all || strcmp(argv[i], "ugetpid") == 0){
      check_ugetpid();
      known = 1;
    }
    if(all || strcmp(argv[i], "pgaccess") == 0){
      check_pgaccess();
      known = 1;
    }
    if(all || strcmp(argv[i], "kpgtbl") == 0){
      kpgtbl();
      printf("kpgtbl: OK\n");
      known = 1;
    }
    if(all || strcmp(argv[i], "superpage") == 0){
      check_superpage();
      known = 1;
    }
    if(!known){
      fprintf(2, "usage: pgtblcheck [ugetpid|pgaccess|kpgtbl|superpage|all]...\n");
      exit(1);
    }
  }
  exit(0);
}
