// In-kernel tests of exec's refusals: a malformed program file or
// unacceptable arguments must return -1 and leave the calling process
// exactly as it was (the runner also checks that no page leaked).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/stat.h"
#include "kernel/elf.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

#define NSEG 2

// A small ELF image: header, NSEG program headers, then a page of code.
static struct {
  struct elfhdr eh;
  struct proghdr ph[NSEG];
  uchar pad[PGSIZE - sizeof(struct elfhdr) - NSEG * sizeof(struct proghdr)];
  uchar text[PGSIZE];
} image;

// A well-formed image: text R-X at 0 from file offset PGSIZE, data RW-
// at the next page.
static void
good_image(void)
{
  memset(&image, 0, sizeof(image));
  image.eh.magic = ELF_MAGIC;
  image.eh.entry = 0;
  image.eh.phoff = sizeof(struct elfhdr);
  image.eh.phentsize = sizeof(struct proghdr);
  image.eh.phnum = NSEG;
  image.ph[0].type = ELF_PROG_LOAD;
  image.ph[0].flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
  image.ph[0].off = PGSIZE;
  image.ph[0].vaddr = 0;
  image.ph[0].filesz = 16;
  image.ph[0].memsz = 16;
  image.ph[1].type = ELF_PROG_LOAD;
  image.ph[1].flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_WRITE;
  image.ph[1].off = PGSIZE;
  image.ph[1].vaddr = PGSIZE;
  image.ph[1].filesz = 8;
  image.ph[1].memsz = 3 * PGSIZE;
}

// Write `image` to path; 0 or -1.
static int
write_image(char *path)
{
  begin_op();
  struct inode *ip = create(path, T_FILE, 0, 0);
  int n = -1;
  if(ip){
    n = writei(ip, 0, (uint64)&image, 0, sizeof(image));
    iunlockput(ip);
  }
  end_op();
  return n == sizeof(image) ? 0 : -1;
}

static void
remove_file(char *path)
{
  begin_op();
  unlinkpath(path);
  end_op();
}

// exec the image at path; the result, and whether the process's memory
// stayed as it was.
static int
try_exec(char *path, char **argv, int *unchanged)
{
  struct proc *p = myproc();
  pagetable_t pt = p->pagetable;
  uint64 sz = p->sz;
  int r = exec(path, argv);
  *unchanged = p->pagetable == pt && p->sz == sz;
  return r;
}

static char *argv_one[] = { "prog", 0 };

// The same image with one field spoiled must be refused.
#define REFUSE(what, spoil) do { \
    good_image(); \
    spoil; \
    CHECK(write_image("/ktexec") == 0, "cannot write the test program"); \
    int same; \
    int r = try_exec("/ktexec", argv_one, &same); \
    remove_file("/ktexec"); \
    CHECK(r == -1, "exec accepted a program with %s", what); \
    CHECK(same, "a refused exec (%s) changed the process", what); \
  } while(0)

// The control for the refusals below: the unspoiled image runs.  It
// becomes the test process's image (nothing returns to user mode during
// the tests, so that is harmless), with text R-X, data RW-, a guard page
// without PTE_U and a stack page.
KTEST(exec_accepts_the_well_formed_test_program)
{
  struct proc *p = myproc();
  uint64 oldsz = p->sz;
  good_image();
  CHECK(write_image("/ktexec") == 0, "cannot write the test program");
  int same;
  int r = try_exec("/ktexec", argv_one, &same);
  remove_file("/ktexec");
  CHECK(r == 1, "exec of a well-formed program returned %d, expected argc 1", r);

  pte_t *text = walk(p->pagetable, 0, 0);
  pte_t *data = walk(p->pagetable, PGSIZE, 0);
  pte_t *guard = walk(p->pagetable, 4 * PGSIZE, 0);
  pte_t *stack = walk(p->pagetable, 5 * PGSIZE, 0);
  const int rwxu = PTE_R | PTE_W | PTE_X | PTE_U;
  CHECK(p->sz == 6 * PGSIZE, "sz is %p, expected 4 program pages + guard + stack",
        (void *)p->sz);
  CHECK(text && (*text & rwxu) == (PTE_R | PTE_X | PTE_U), "text is not R-X user");
  CHECK(data && (*data & rwxu) == (PTE_R | PTE_W | PTE_U), "data is not RW- user");
  CHECK(guard && (*guard & PTE_V) && !(*guard & PTE_U), "guard page missing or user-accessible");
  CHECK(stack && (*stack & rwxu) == (PTE_R | PTE_W | PTE_U), "stack is not RW- user");
  CHECK(p->trapframe->sp % 16 == 0 && p->trapframe->sp > 5 * PGSIZE,
        "user sp %p is not 16-aligned inside the stack page", (void *)p->trapframe->sp);
  // Old image (PGROUNDUP(oldsz) pages) freed; six pages and the same
  // number of tables (root, one level-1, one level-0) taken.
  ktest_pages_kept = 6 - PGROUNDUP(oldsz) / PGSIZE;
}

KTEST(exec_refuses_malformed_programs)
{
  REFUSE("a bad magic number", image.eh.magic = 0x464C457E);
  REFUSE("a wrong program-header size", image.eh.phentsize = 40);
  REFUSE("program headers beyond the end of the file", image.eh.phoff = 100000);
  REFUSE("filesz larger than memsz", image.ph[1].filesz = 4 * PGSIZE);
  REFUSE("a segment address not page aligned", image.ph[1].vaddr = PGSIZE + 8);
  REFUSE("overlapping segments", image.ph[1].vaddr = 0);
  REFUSE("segments out of order", (image.ph[0].vaddr = 2 * PGSIZE,
                                   image.ph[1].vaddr = PGSIZE));
  REFUSE("a segment whose end wraps around", image.ph[1].memsz = ~0UL - 100);
  REFUSE("a segment reaching past TRAPFRAME", image.ph[1].memsz = TRAPFRAME);
  REFUSE("file contents beyond the end of the file", image.ph[0].off = 1 << 20);
  REFUSE("no loadable segment", (image.ph[0].type = 0, image.ph[1].type = 0));
}

KTEST(exec_refuses_missing_files_and_directories)
{
  int same1, same2;
  int r1 = try_exec("/no-such-program", argv_one, &same1);
  int r2 = try_exec("/", argv_one, &same2);
  CHECK(r1 == -1 && same1, "exec of a missing file did not fail cleanly");
  CHECK(r2 == -1 && same2, "exec of a directory did not fail cleanly");
}

KTEST(exec_refuses_too_many_or_too_long_arguments)
{
  good_image();
  CHECK(write_image("/ktexec") == 0, "cannot write the test program");

  // MAXARG + 1 arguments.
  static char *many[MAXARG + 2];
  for(int i = 0; i < MAXARG + 1; i++)
    many[i] = "x";
  many[MAXARG + 1] = 0;
  int same1;
  int r1 = try_exec("/ktexec", many, &same1);

  // Arguments that together do not fit on the one stack page.
  static char big[1500];
  memset(big, 'a', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  char *huge[] = { big, big, big, 0 };
  int same2;
  int r2 = try_exec("/ktexec", huge, &same2);

  remove_file("/ktexec");
  CHECK(r1 == -1 && same1, "exec accepted %d arguments (MAXARG is %d)", MAXARG + 1, MAXARG);
  CHECK(r2 == -1 && same2, "exec accepted arguments larger than the stack");
}
