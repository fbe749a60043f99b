// usertests: the system's own test suite, run from the shell.
//
//   usertests             every test of the table (but those marked NAMED)
//   usertests -q          the quick ones only (skips those marked SLOW)
//                         (and, in the sbrk lab's starter, HEAP)
//   usertests NAME...     the named tests, or whole groups: memory,
//                         fork, process, file, pipe, sysarg, protect; and
//                         xv6's test names (see "xv6's test names")
//   usertests -l          list the tests
//
// Each test runs in a child process of its own and passes when that
// child exits 0.  A test reports why it failed by writing one line to
// REASON_FILE (see FAIL below) before exiting 1; the runner prints that
// line as
//     test NAME: OK
//     test NAME: FAILED (reason)
// (`test NAME: ` comes before the test runs, the verdict after it, as in
// xv6; what the kernel prints meanwhile lands between the two.)
// A child the kernel kills (status -1) has failed; tests that expect a
// kill provoke it in a grandchild and check that one's status.
//
// Around the whole run the runner compares the kernel's count of free
// pages (freemem()), once every child is reaped: what the tests
// allocated must all come back.  It prints
//     free pages: N before, M after: OK (or FAILED)
// and then, last, "ALL TESTS PASSED", or "SOME TESTS FAILED: " and the
// names of the failures ("free-pages" for a leak).
//
// The user stack is small (USERSTACK pages, one), so tests keep big
// buffers in globals, never in locals.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "user/user.h"
// lab syscall: begin
#include "kernel/sysinfo.h"
// lab syscall: end

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#ifdef LAB_LAZY
// In the lazy lab's tree the library's sbrk grows lazily (user/ulib.c);
// these tests ask for each way by name: sbrk here is the eager one.
#define sbrk(n) sys_sbrk((n), SBRK_EAGER)
#endif

#define QUICK 0
#define SLOW  1
// lab sbrk: begin heap
#define HEAP  QUICK   // a quick test that needs sbrk to grow memory
// lab sbrk: end
#define NAMED 3   // runs only when named: in a lab's handout, the tests of
                  // the feature the lab adds (a starter fails them)

#define KB 1024L
#define MB (1024L * 1024)
#define GB (1024L * 1024 * 1024)

#define FAIL_STATUS 1                      // a test's exit status after FAIL
#define REASON_FILE "/usertests.why"       // where FAIL writes its reason
#define TEST_TIMEOUT 12000                 // ticks (120 s) before a test is killed
#define SETTLE_TICKS 300                   // how long to wait for freemem to settle

// ---- Failing ------------------------------------------------------------

// The runner opens REASON_FILE before forking each test; the test (and
// any helper process it forks) writes its reason there.  A file rather
// than a pipe: writing it never blocks, however many processes fail.
static int reason_fd = 2;

// End a failing test: the reason has been written; finish its line.
static void
fail_end(void)
{
  write(reason_fd, "\n", 1);
  exit(FAIL_STATUS);
}

// FAIL(fmt, ...): record why the current test failed, and exit.
#define FAIL(...) do { fprintf(reason_fd, __VA_ARGS__); fail_end(); } while(0)
// CHECK(cond, fmt, ...): FAIL unless cond holds.
#define CHECK(cond, ...) do { if(!(cond)) FAIL(__VA_ARGS__); } while(0)
// CHECK_ZEROED(cond, fmt, ...): a CHECK that fresh memory reads as zero.
// Skipped in the syscall lab's tree, where a page keeps what its last
// owner left in it (SCRUB_PAGES, kernel/param.h).
#define CHECK_ZEROED(cond, ...) do { if(SCRUB_PAGES) CHECK(cond, __VA_ARGS__); } while(0)

// ---- Shared helpers -------------------------------------------------------

static char buf[16384];    // scratch buffers: the stack is too small
static char buf2[8192];

// Wait for n children; fail the test unless every one exited 0.  `who`
// names them in the failure message ("a writer", "a stage", ...).
static void
wait_all_ok(int n, char *who)
{
  for(int k = 0; k < n; k++){
    int status;
    CHECK(wait(&status) > 0 && status == 0, "%s failed (status %d)", who, status);
  }
}

// The byte expected at position i of a test stream: changes with i in a
// way that exposes lost, repeated and reordered bytes.
static uchar
pattern(uint64 i)
{
  return (uchar)(i * 7 + (i >> 9) + 1);
}

// Fork; the child runs fn(arg) and exits 0 if fn returns.  Returns the
// child's exit status.  The caller must have no other children.
static int
run_in_child(void (*fn)(uint64), uint64 arg)
{
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    fn(arg);
    exit(0);
  }
  int status = 12345;
  CHECK(wait(&status) == pid, "wait did not return the child's pid");
  return status;
}

// Run fn(arg) in a child, which the kernel must kill (status -1).
static void
expect_killed(void (*fn)(uint64), uint64 arg, char *what)
{
  int status = run_in_child(fn, arg);
  CHECK(status == -1, "%s: the kernel should kill the process (status -1), "
        "but it exited with status %d", what, status);
}

// Wait until freemem() equals want (children of children are reaped by
// init, asynchronously); returns the last count seen.
static int
settle_freemem(int want)
{
  int n = freemem();
  for(int t = 0; t < SETTLE_TICKS && n != want; t++){
    sleep(1);
    n = freemem();
  }
  return n;
}

// Make this process's data, bss and stack pages its own.  On a kernel
// with copy-on-write fork, a process's first store to a page it still
// shares with its parent costs a free page; the runner calls this in
// each test's process before the test, so that a test comparing
// freemem() before and after its work counts only the work.  The data
// segment starts on a page boundary with the small variables (.sdata,
// user.ld), reason_fd among them; `end` is where bss ends.
static void
own_writable_pages(void)
{
  extern char end[];
  volatile char here = 0;   // on the stack page in use
  here++;
  for(uint64 a = PGROUNDDOWN((uint64)&reason_fd); a < (uint64)end; a += PGSIZE)
    *(volatile char *)a = *(volatile char *)a;
}

// Page-table pages needed to map all of [0, sz): a level-0 table per
// 2 MiB and a level-1 table per GiB (the root always exists).
static long
tablepages(uint64 sz)
{
  uint64 top = PGROUNDUP(sz);
  return (top + 2 * MB - 1) / (2 * MB) + (top + GB - 1) / GB;
}

// Pages (data and tables) that an eagerly mapped [0, sz) occupies.
static long
mappedpages(uint64 sz)
{
  return PGROUNDUP(sz) / PGSIZE + tablepages(sz);
}

// The current break.
static uint64
brk(void)
{
  return (uint64)sbrk(0);
}

// Grow the heap so that the break is page aligned; returns the break.
static uint64
align_break(void)
{
  uint64 b = brk();
  if(b % PGSIZE)
    CHECK(sbrk(PGROUNDUP(b) - b) != SBRK_ERROR, "sbrk could not align the break");
  return brk();
}

// The lowest address of the stack page this function runs on.
static uint64
stack_page(void)
{
  volatile char here = 0;
  return PGROUNDDOWN((uint64)&here);
}

// The guard page: the page below the USERSTACK stack pages.  The stack
// is shallow here, so the local variables are on its top page.
static uint64
guard_page(void)
{
  return stack_page() + PGSIZE - (USERSTACK + 1) * PGSIZE;
}

// Open (creating or truncating) name, write n bytes of data, close.
static void
make_file(char *name, char *data, int n)
{
  int fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create %s", name);
  CHECK(write(fd, data, n) == n, "cannot write %d bytes to %s", n, name);
  close(fd);
}

// name + decimal n into dst.
static void
numbered(char *dst, char *name, int n)
{
  int len = strlen(name);
  memmove(dst, name, len);
  char digits[12];
  int k = 0;
  do {
    digits[k++] = '0' + n % 10;
    n /= 10;
  } while(n > 0);
  while(k > 0)
    dst[len++] = digits[--k];
  dst[len] = 0;
}

// The size of the open file fd.
static int
fsize(int fd)
{
  struct stat st;
  CHECK(fstat(fd, &st) == 0, "fstat of fd %d failed", fd);
  return st.size;
}

// A function in the text segment, for tests that poke at text.
static int __attribute__((noinline))
text_target(int x)
{
  return x * 3 + 1;
}

// One load or one store at va, for the fault tests.
static void
load_at(uint64 va)
{
  volatile char c = *(volatile char *)va;
  (void)c;
}

// (See load_at.)
static void
store_at(uint64 va)
{
  *(volatile char *)va = 'x';
}

// Addresses no system call may read or write through: the kernel's
// memory, the trampoline and trapframe (no PTE_U), at and above MAXVA,
// the stack guard page, and unmapped pages above the break.  With
// kernel_writes set, also the text (readable, not writable).  Returns
// how many it put in out (at most 20).
static int
bad_addresses(uint64 *out, int kernel_writes)
{
  int n = 0;
  uint64 top = PGROUNDUP(brk());

  out[n++] = KERNBASE;
  out[n++] = KERNBASE + 0x10000;
  out[n++] = PHYSTOP - PGSIZE;
  out[n++] = TRAPFRAME;
  out[n++] = TRAMPOLINE;
  out[n++] = MAXVA;
  out[n++] = MAXVA + PGSIZE;
  out[n++] = 1UL << 63;
  out[n++] = 0xfffffffffffff000UL;
  out[n++] = 0xffffffffffffffffUL;
  out[n++] = guard_page() + 64;
  out[n++] = top;                           // just above the break
  out[n++] = top + 64 * MB;
  if(kernel_writes){
    out[n++] = 0;
    out[n++] = (uint64)text_target;
  }
  return n;
}

// ---- Memory ---------------------------------------------------------------

// sbrk(0) returns the break and changes nothing; a fresh program's break
// is the top of its stack.
static void
mem_sbrk_zero(void)
{
  int f0 = freemem();
  char *a = sbrk(0);
  char *b = sbrk(0);
  char *c = sbrklazy(0);
  CHECK(a != SBRK_ERROR, "sbrk(0) failed");
  CHECK(a == b && b == c, "sbrk(0) moved: %p, then %p, then sbrklazy(0) %p", a, b, c);
  CHECK(freemem() == f0, "sbrk(0) changed the free pages: %d -> %d", f0, freemem());
  // The stack is shallow here: this frame is on its top page, whatever
  // USERSTACK is, and the heap starts right above that page.
  uint64 sp = stack_page();
  CHECK((uint64)a == sp + PGSIZE,
        "the break %p is not the top of the stack page %p", a, (void *)sp);
}

// Check that [p, p+n) holds pattern(0..n-1).
static void
check_pattern(char *p, uint64 n, char *when)
{
  for(uint64 i = 0; i < n; i++)
    CHECK((uchar)p[i] == pattern(i), "%s: byte %ld is %d, not %d",
          when, i, (uchar)p[i], pattern(i));
}

// Grow by n bytes (n may be negative) and check the result, the new
// break, and that the free pages changed by exactly the pages mapped.
static void
step_break(long n, char *when)
{
  uint64 old = brk();
  int f0 = freemem();
  char *r = sbrk(n);
  CHECK((uint64)r == old, "%s: sbrk(%ld) returned %p, not the old break %p",
        when, n, r, (void *)old);
  CHECK(brk() == old + n, "%s: the break is %p, not %p", when, (void *)brk(),
        (void *)(old + n));
  long expect = mappedpages(old + n) - mappedpages(old);
  long got = f0 - freemem();
  CHECK(got == expect, "%s: free pages fell by %ld, expected %ld", when, got, expect);
}

// Growing and shrinking by unaligned amounts: contents survive and the
// free-page count moves by whole pages exactly when a page boundary is
// crossed.
static void
mem_sbrk_unaligned(void)
{
  uint64 base = align_break();
  char *p = (char *)base;
  int f0 = freemem();

  step_break(5000, "grow by 5000");
  for(int i = 0; i < 5000; i++)
    p[i] = pattern(i);
  step_break(3000, "grow by 3000 more");
  for(int i = 5000; i < 8000; i++)
    p[i] = pattern(i);
  step_break(200, "grow by 200 more (a third page)");
  for(int i = 8000; i < 8200; i++)
    p[i] = pattern(i);
  check_pattern(p, 8200, "after growing");
  step_break(-300, "shrink by 300 (back into two pages)");
  check_pattern(p, 7900, "after shrinking by 300");
  step_break(-7899, "shrink to one byte");
  CHECK((uchar)p[0] == pattern(0), "the first heap byte changed when shrinking");
  step_break(-1, "shrink to nothing");
  CHECK(freemem() == f0, "free pages %d after growing and shrinking back, %d before",
        freemem(), f0);
}

// Grow two pages, give one back, then read the one given back.
static void
touch_after_shrink(uint64 unused)
{
  char *p = (char *)align_break();
  CHECK(sbrk(2 * PGSIZE) == p, "sbrk(2 pages) failed");
  p[0] = 1;
  p[PGSIZE] = 2;
  CHECK(sbrk(-PGSIZE) == p + 2 * PGSIZE, "sbrk(-PGSIZE) did not return the old break");
  CHECK(p[0] == 1, "the page below the new break lost its contents");
  load_at((uint64)p + PGSIZE);   // freed: must kill
}

// Touching memory that sbrk gave back kills that process, and only it.
static void
mem_shrink_then_touch(void)
{
  expect_killed(touch_after_shrink, 0, "reading a page after sbrk freed it");
  char *p = sbrk(PGSIZE);
  CHECK(p != SBRK_ERROR, "the parent cannot sbrk after its child was killed");
  p[10] = 42;
  CHECK(p[10] == 42, "the parent's new page does not hold what it wrote");
}

// A request for more than all of RAM fails and changes nothing.
static void
mem_sbrk_too_big(void)
{
  uint64 b = brk();
  int f0 = freemem();
  char *r = sbrk(256 * MB);
  CHECK(r == SBRK_ERROR, "sbrk(256 MiB) succeeded on a 128 MiB machine (returned %p)", r);
  CHECK(brk() == b, "the failed sbrk moved the break from %p to %p", (void *)b, (void *)brk());
  CHECK(freemem() == f0, "the failed sbrk changed the free pages: %d -> %d", f0, freemem());
  char *p = sbrk(PGSIZE);
  CHECK(p != SBRK_ERROR, "a small sbrk fails after a failed huge one");
  p[0] = 1;
}

// Growth to HEAPTOP (TRAPFRAME, or USYSCALL where that page is mapped:
// memlayout.h) works, one byte more fails, eager or lazy.
static void
mem_sbrk_trapframe(void)
{
  uint64 b0 = align_break();
  int f0 = freemem();

  while(HEAPTOP - brk() > GB)
    CHECK(sbrklazy(GB) != SBRK_ERROR, "sbrklazy(1 GiB) failed at break %p", (void *)brk());
  uint64 gap = HEAPTOP - brk();
  CHECK(sbrklazy(gap - 2 * PGSIZE) != SBRK_ERROR, "sbrklazy to 2 pages below HEAPTOP failed");
  uint64 near = brk();
  CHECK(near == HEAPTOP - 2 * PGSIZE, "the break is %p, not 2 pages below HEAPTOP",
        (void *)near);
  int f1 = freemem();

  CHECK(sbrk(3 * PGSIZE) == SBRK_ERROR, "eager sbrk past HEAPTOP succeeded");
  CHECK(sbrklazy(3 * PGSIZE) == SBRK_ERROR, "lazy sbrk past HEAPTOP succeeded");
  CHECK(brk() == near && freemem() == f1, "a failed sbrk past HEAPTOP changed something");

  CHECK(sbrk(2 * PGSIZE) == (char *)near, "eager sbrk up to exactly HEAPTOP failed");
  CHECK(brk() == HEAPTOP, "the break is %p, not HEAPTOP", (void *)brk());
  *(volatile char *)(HEAPTOP - 1) = 7;
  CHECK(*(volatile char *)(HEAPTOP - 1) == 7, "the page just below HEAPTOP does not work");
  CHECK(sbrk(1) == SBRK_ERROR && sbrklazy(1) == SBRK_ERROR,
        "growing by one byte past HEAPTOP succeeded");
  CHECK(brk() == HEAPTOP, "a failed sbrk moved the break off HEAPTOP");

  // A lazy page far up works too.
  volatile char *mid = (char *)(b0 + 100 * GB);
  *mid = 9;
  CHECK(*mid == 9, "a lazy page 100 GiB up does not hold what was written");

  while(brk() - b0 > GB)
    CHECK(sbrk(-GB) != SBRK_ERROR, "shrinking by 1 GiB failed");
  CHECK(sbrk(-(int)(brk() - b0)) != SBRK_ERROR, "the last shrink failed");
  CHECK(brk() == b0, "the break did not come back to %p", (void *)b0);
  CHECK(freemem() == f0, "free pages %d after shrinking back from HEAPTOP, %d before",
        freemem(), f0);
}

// A shrink by more than the whole size returns the old break and
// changes nothing.
static void
mem_sbrk_overshrink(void)
{
  uint64 b = brk();
  int f0 = freemem();
  char *r = sbrk(-(int)(b + 1));
  CHECK((uint64)r == b, "sbrk(-(size+1)) returned %p, not the old break %p", r, (void *)b);
  r = sbrk(-0x7fffffff);
  CHECK((uint64)r == b, "sbrk(-0x7fffffff) returned %p, not the old break %p", r, (void *)b);
  r = sbrklazy(-(int)(b + PGSIZE));
  CHECK((uint64)r == b, "sbrklazy(-(size+4096)) returned %p, not the old break", r);
  CHECK(brk() == b, "the break moved to %p", (void *)brk());
  CHECK(freemem() == f0, "free pages changed: %d -> %d", f0, freemem());
  // Everything still works: stack, data, text.
  buf[0] = 5;
  CHECK(buf[0] == 5 && text_target(2) == 7, "memory stopped working after an over-shrink");
}

// 1 GiB of lazy heap: only touched pages cost memory, and shrinking
// gives them back.
static void
mem_lazy_huge(void)
{
  uint64 b = align_break();
  int f0 = freemem();
  char *p = sbrklazy(GB);
  CHECK((uint64)p == b, "sbrklazy(1 GiB) returned %p, not the break %p", p, (void *)b);
  CHECK(brk() == b + GB, "the break did not move up by 1 GiB");
  CHECK(freemem() == f0, "sbrklazy allocated %d pages before any touch", f0 - freemem());

  int touches = 16;
  for(int i = 0; i < touches; i++)
    p[i * 64 * MB + i * 100] = i + 1;
  for(int i = 0; i < touches; i++)
    CHECK(p[i * 64 * MB + i * 100] == i + 1, "lazy page %d lost its byte", i);
  int used = f0 - freemem();
  // Each touch costs its page, plus a level-0 table for a new 2 MiB
  // region and perhaps a level-1 table.
  CHECK(used >= touches && used <= 2 * touches + 2,
        "touching %d lazy pages took %d free pages", touches, used);
  CHECK_ZEROED(p[GB - 1] == 0 && p[512 * MB + 5] == 0, "an untouched lazy page is not zero");

  CHECK(sbrk(-GB) == p + GB, "shrinking the lazy heap did not return the old break");
  CHECK(brk() == b, "the break did not come back");
  CHECK(freemem() == f0, "free pages %d after shrinking the lazy heap, %d before",
        freemem(), f0);
}

// Lazy pages never touched by the program are fine buffers for system
// calls: the kernel fills them in as it copies.
static void
mem_lazy_syscall_buffers(void)
{
  char *name = "ut_lazybuf";
  for(int i = 0; i < 3 * PGSIZE; i++)
    buf[i] = pattern(i);
  make_file(name, buf, 3 * PGSIZE);

  int f0 = freemem();
  char *p = sbrklazy(8 * PGSIZE);
  CHECK(p != SBRK_ERROR, "sbrklazy failed");
  CHECK(freemem() == f0, "sbrklazy(8 pages) took %d free pages before any touch",
        f0 - freemem());

  // read() into untouched lazy memory, across page boundaries.
  int fd = open(name, O_RDONLY);
  CHECK(fd >= 0, "cannot open %s", name);
  int n = read(fd, p + 100, 3 * PGSIZE);
  CHECK(n == 3 * PGSIZE, "read into lazy memory returned %d, not %d", n, 3 * PGSIZE);
  check_pattern(p + 100, 3 * PGSIZE, "data read into lazy memory");
  close(fd);

  // write() from untouched lazy memory writes zeros.
  char *q = p + 4 * PGSIZE + 10;
  fd = open(name, O_RDWR | O_TRUNC);
  CHECK(fd >= 0, "cannot reopen %s", name);
  CHECK(write(fd, q, 2 * PGSIZE) == 2 * PGSIZE, "write from lazy memory failed");
  close(fd);
  fd = open(name, O_RDONLY);
  CHECK(read(fd, buf, 2 * PGSIZE) == 2 * PGSIZE, "cannot read back the file");
  for(int i = 0; i < 2 * PGSIZE; i++)
    CHECK_ZEROED(buf[i] == 0, "byte %d written from untouched lazy memory is %d, not 0", i,
                 buf[i]);
  close(fd);
  unlink(name);

  // Pipes: the fd array, and data in both directions.
  char *r = sbrklazy(4 * PGSIZE);
  int *fds = (int *)(r + PGSIZE + 8);
  CHECK(pipe(fds) == 0, "pipe() with its array in untouched lazy memory failed");
  CHECK(write(fds[1], "lazy pipe", 9) == 9, "write to the pipe failed");
  CHECK(read(fds[0], r + 2 * PGSIZE - 4, 9) == 9, "read from a pipe into lazy memory failed");
  CHECK(memcmp(r + 2 * PGSIZE - 4, "lazy pipe", 9) == 0, "the pipe data read is wrong");
  CHECK(write(fds[1], r + 3 * PGSIZE + 1, 300) == 300, "pipe write from lazy memory failed");
  CHECK(read(fds[0], buf, 300) == 300, "pipe read back failed");
  for(int i = 0; i < 300; i++)
    CHECK_ZEROED(buf[i] == 0, "pipe byte %d from untouched lazy memory is not 0", i);

  // fstat into lazy memory.
  char *s = sbrklazy(2 * PGSIZE);
  struct stat *st = (struct stat *)(s + PGSIZE);
  CHECK(fstat(fds[0], st) == -1, "fstat of a pipe should fail");
  fd = open("/", O_RDONLY);
  CHECK(fstat(fd, st) == 0 && st->type == T_DIR, "fstat into lazy memory failed");
  close(fd);
  close(fds[0]);
  close(fds[1]);
}

// Fork the current process; the child reports how many free pages the
// fork cost, after checking (if check is set) the lazy heap at p.
static int
fork_cost(char *p, int check)
{
  int f0 = freemem();
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    int cost = f0 - freemem();
    if(check){
      CHECK(p[0] == 'a' && p[32 * MB] == 'b' && p[64 * MB - 1] == 'c',
            "the child does not see the parent's lazy data");
      CHECK_ZEROED(p[PGSIZE] == 0 && p[16 * MB] == 0 && p[48 * MB + 3] == 0,
                   "an untouched lazy page is not zero in the child");
      p[0] = 'z';
    }
    exit(1000 + cost);
  }
  int status;
  CHECK(wait(&status) == pid, "wait did not return the child");
  CHECK(status >= 1000, "the forked child failed (status %d)", status);
  return status - 1000;
}

// fork after lazy growth copies (or shares) the touched pages only: the
// holes stay holes in the child.
static void
mem_lazy_fork(void)
{
  int cost0 = fork_cost(0, 0);
  char *p = sbrklazy(64 * MB);
  CHECK(p != SBRK_ERROR, "sbrklazy(64 MiB) failed");
  int f0 = freemem();
  p[0] = 'a';
  p[32 * MB] = 'b';
  p[64 * MB - 1] = 'c';
  int touched = f0 - freemem();
  CHECK(touched >= 3 && touched <= 8, "touching 3 lazy pages took %d free pages", touched);
  int cost1 = fork_cost(p, 1);
  // A fork that copies costs the touched pages more; one that shares
  // them (copy-on-write) less.  Never more: holes stay holes.
  CHECK(cost1 - cost0 <= touched,
        "fork cost %d pages before the lazy growth and %d after; the parent holds only %d "
        "more (the child allocated lazy holes?)", cost0, cost1, touched);
  CHECK(p[0] == 'a', "the child's write reached the parent's page");
}

// Touch every page of 200 MiB of lazy heap.
static void
lazy_oom_child(uint64 unused)
{
  char *p = sbrklazy(200 * MB);
  CHECK(p != SBRK_ERROR, "sbrklazy(200 MiB) failed");
  for(long off = 0; off < 200 * MB; off += PGSIZE)
    p[off] = 1;
}

// Touching more lazy memory than the machine has kills that process;
// all its pages come back, and the system goes on.
static void
mem_lazy_oom(void)
{
  int f0 = freemem();
  expect_killed(lazy_oom_child, 0, "touching 200 MiB of lazy heap on a 128 MiB machine");
  CHECK(freemem() == f0, "free pages %d after the out-of-memory child, %d before",
        freemem(), f0);
  char *p = sbrk(4 * PGSIZE);
  CHECK(p != SBRK_ERROR, "sbrk fails after the out-of-memory child");
  p[3 * PGSIZE] = 1;
  CHECK(fork_cost(0, 0) > 0, "fork after the out-of-memory child failed");
}

// exec frees the old image: a child with a big heap execs, and after it
// exits every page is free again.
static void
mem_exec_frees_image(void)
{
  int f0 = freemem();
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    char *p = sbrk(2 * MB);
    CHECK(p != SBRK_ERROR, "sbrk(2 MiB) failed");
    for(long i = 0; i < 2 * MB; i += PGSIZE)
      p[i] = 1;
    char *q = sbrklazy(64 * MB);
    q[0] = q[20 * MB] = q[63 * MB] = 1;
    char *argv[] = { "usertests", "--exec-probe", 0 };
    exec("/usertests", argv);
    FAIL("exec /usertests failed");
  }
  int status;
  CHECK(wait(&status) == pid, "wait did not return the child");
  CHECK(status == 42, "the exec'd program exited %d, not 42", status);
  CHECK(freemem() == f0, "free pages %d after fork+exec+exit of a big process, %d before",
        freemem(), f0);
}

// A lazy heap shrunk part way: touched pages above the new break are
// freed, those below keep their data, untouched ones read as zero.
static void
lazy_shrunk_child(uint64 p)
{
  load_at(p + 5 * PGSIZE);   // above the break now
}

// (See lazy_shrunk_child.)
static void
mem_lazy_shrink_partial(void)
{
  uint64 b = brk();
  int f0 = freemem();
  // Start on a fresh 2 MiB region, so that the page-table cost is known:
  // one level-0 table for all ten pages.
  uint64 start = (b + 2 * MB - 1) & ~(2 * MB - 1);
  CHECK(sbrklazy(start - b) != SBRK_ERROR, "sbrklazy to a 2 MiB boundary failed");
  CHECK(freemem() == f0, "lazy growth allocated pages");
  char *p = sbrklazy(10 * PGSIZE);
  CHECK((uint64)p == start, "sbrklazy returned %p, not %p", p, (void *)start);
  int touched[] = { 0, 3, 7, 9 };
  for(int i = 0; i < NELEM(touched); i++)
    p[touched[i] * PGSIZE + 5] = 'a' + i;
  int used = f0 - freemem();
  CHECK(used == NELEM(touched) + 1, "touching %d lazy pages took %d pages (expected %d with "
        "one page table)", NELEM(touched), used, NELEM(touched) + 1);

  int f1 = freemem();
  CHECK(sbrk(-(5 * PGSIZE + 100)) == p + 10 * PGSIZE, "the shrink returned a wrong break");
  CHECK(freemem() - f1 == 2, "shrinking over 2 touched pages freed %d", freemem() - f1);
  CHECK(p[5] == 'a' && p[3 * PGSIZE + 5] == 'b', "pages below the new break lost their data");
  CHECK_ZEROED(p[4 * PGSIZE + 1] == 0, "an untouched page below the break is not zero");
  expect_killed(lazy_shrunk_child, (uint64)p, "a load from a lazy page above the shrunk break");

  CHECK(sbrk(-(int)(brk() - b)) != SBRK_ERROR, "shrinking back failed");
  CHECK(brk() == b, "the break did not come back");
  CHECK(freemem() == f0, "free pages %d after shrinking back, %d before", freemem(), f0);
}

// Several processes grow, fill, check and shrink their heaps at once,
// eagerly and lazily: kalloc and the fault path under contention.
static void
mem_sbrk_concurrent(void)
{
  int nkids = 4, rounds = 60;
  int f0 = freemem();
  for(int k = 0; k < nkids; k++){
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid != 0)
      continue;
    uint64 seed = k + 1;
    for(int r = 0; r < rounds; r++){
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      int n = (seed >> 33) % (64 * KB) + 1;
      char *p = (r & 1) ? sbrklazy(n) : sbrk(n);
      CHECK(p != SBRK_ERROR, "process %d round %d: sbrk(%d) failed", k, r, n);
      for(int off = 0; off < n; off += 700)
        p[off] = (char)(k * 31 + r + off / 700);
      for(int off = 0; off < n; off += 700)
        CHECK(p[off] == (char)(k * 31 + r + off / 700), "process %d round %d: heap byte %d "
              "changed", k, r, off);
      CHECK(sbrk(-n) == p + n, "process %d round %d: the shrink returned a wrong break", k, r);
    }
    exit(0);
  }
  wait_all_ok(nkids, "a process");
  CHECK(freemem() == f0, "free pages %d after the processes exited, %d before", freemem(), f0);
}

// ---- Fork's sharing of memory ---------------------------------------------
//
// fork may copy memory at once or share it copy-on-write (this kernel
// shares): either way each process must see only its own writes, copyout
// into memory shared since fork must not reach the other process, and
// every page must come back.  These tests pass on both kinds of kernel;
// the cow lab's grader also checks that a fork of a big heap takes
// hardly any pages.

#define FORK_PAGES 8

static int fork_data = 1;   // in the data segment

// The byte the test writes at offset off of a page, as process `who`.
static char
mark(int who, int page, int off)
{
  return (char)(who * 31 + page * 7 + off + 1);
}

// Fill (or check) the first and last byte of each of n pages from p
// with who's marks; the check returns the first page that differs, or -1.
static void
mark_pages(char *p, int n, int who)
{
  for(int i = 0; i < n; i++){
    p[i * PGSIZE] = mark(who, i, 0);
    p[i * PGSIZE + PGSIZE - 1] = mark(who, i, 1);
  }
}

static int
bad_page(char *p, int n, int who)
{
  for(int i = 0; i < n; i++)
    if(p[i * PGSIZE] != mark(who, i, 0) || p[i * PGSIZE + PGSIZE - 1] != mark(who, i, 1))
      return i;
  return -1;
}

// Parent and child write the same pages (data, heap, a lazy page, the
// stack) in turn; each sees only its own writes, the child sees the
// parent's memory as it was at fork, and lazy holes stay zero.
static void
fork_isolation(void)
{
  char *heap = sbrk(FORK_PAGES * PGSIZE);
  CHECK(heap != SBRK_ERROR, "sbrk failed");
  char *lazy = sbrklazy(4 * PGSIZE);
  CHECK(lazy != SBRK_ERROR, "sbrklazy failed");
  mark_pages(heap, FORK_PAGES, 1);
  lazy[0] = 'L';
  volatile char onstack = 's';
  int up[2], down[2];
  CHECK(pipe(up) == 0 && pipe(down) == 0, "pipe failed");
  char c;

  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    CHECK(fork_data == 1 && onstack == 's', "the child does not see the parent's data "
          "and stack");
    CHECK(bad_page(heap, FORK_PAGES, 1) < 0, "the child sees heap page %d differently",
          bad_page(heap, FORK_PAGES, 1));
    CHECK(lazy[0] == 'L' && lazy[2 * PGSIZE] == 0, "the child's lazy pages are wrong");
    fork_data = 2;
    onstack = 'c';
    mark_pages(heap, FORK_PAGES, 2);
    lazy[0] = 'C';
    lazy[2 * PGSIZE] = 'H';   // a hole: faulted in, in the child only
    write(up[1], "w", 1);
    CHECK(read(down[0], &c, 1) == 1, "the parent did not answer");
    // The parent has written everything too, since.
    CHECK(fork_data == 2 && onstack == 'c' && lazy[0] == 'C' && lazy[2 * PGSIZE] == 'H',
          "the parent's writes reached the child");
    CHECK(bad_page(heap, FORK_PAGES, 2) < 0, "heap page %d in the child changed under it",
          bad_page(heap, FORK_PAGES, 2));
    exit(0);
  }
  CHECK(read(up[0], &c, 1) == 1, "the child did not get to write");
  CHECK(fork_data == 1 && onstack == 's' && lazy[0] == 'L' && lazy[2 * PGSIZE] == 0,
        "the child's writes reached the parent");
  CHECK(bad_page(heap, FORK_PAGES, 1) < 0, "the child's write reached heap page %d",
        bad_page(heap, FORK_PAGES, 1));
  fork_data = 3;
  onstack = 'p';
  mark_pages(heap, FORK_PAGES, 3);
  lazy[0] = 'P';
  write(down[1], "w", 1);
  int status;
  CHECK(wait(&status) == pid && status == 0, "the child failed (status %d)", status);
  CHECK(fork_data == 3 && onstack == 'p' && lazy[0] == 'P' && lazy[2 * PGSIZE] == 0,
        "the parent lost its own writes");
  CHECK(bad_page(heap, FORK_PAGES, 3) < 0, "heap page %d lost the parent's write",
        bad_page(heap, FORK_PAGES, 3));
  close(up[0]); close(up[1]); close(down[0]); close(down[1]);
}

// A third of free memory as heap, forked many times over: each child
// checks the heap and writes some of it, some children run at once;
// the parent's heap never changes and every page comes back.
static void
fork_big_heap(void)
{
  int f0 = freemem();
  int npages = f0 / 4;
  char *heap = sbrk(npages * PGSIZE);
  CHECK(heap != SBRK_ERROR, "sbrk of %d pages failed", npages);
  mark_pages(heap, npages, 1);
  int f1 = freemem();

  for(int round = 0; round < 10; round++){
    int nkids = round % 2 ? 2 : 1;
    for(int k = 0; k < nkids; k++){
      int pid = fork();
      CHECK(pid >= 0, "round %d: fork of a %d-page heap failed", round, npages);
      if(pid == 0){
        int bad = bad_page(heap, npages, 1);
        CHECK(bad < 0, "round %d: the child sees heap page %d differently", round, bad);
        for(int i = k; i < npages; i += 16)
          heap[i * PGSIZE] = 0;
        exit(0);
      }
    }
    wait_all_ok(nkids, "a child of the big heap");
  }
  int bad = bad_page(heap, npages, 1);
  CHECK(bad < 0, "a child's write reached the parent's heap page %d", bad);
  int f2 = settle_freemem(f1);
  CHECK(f2 == f1, "free pages %d after the forks, %d before", f2, f1);
  sbrk(-npages * PGSIZE);
  int f3 = settle_freemem(f0);
  CHECK(f3 == f0, "free pages %d after giving the heap back, %d before it", f3, f0);
}

// fork then exec, while the parent writes its heap: the child's exec
// gives back its share; the parent keeps its data; nothing is lost.
static void
fork_then_exec(void)
{
  char *heap = sbrk(256 * PGSIZE);
  CHECK(heap != SBRK_ERROR, "sbrk failed");
  mark_pages(heap, 256, 1);
  int f0 = freemem();
  for(int round = 0; round < 4; round++){
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0){
      char *argv[] = { "usertests", "--exec-probe", 0 };
      exec("/usertests", argv);
      FAIL("exec /usertests failed");
    }
    mark_pages(heap, 256, 2 + round);
    int status;
    CHECK(wait(&status) == pid, "wait did not return the child");
    CHECK(status == 42, "the exec'd program exited %d, not 42", status);
    CHECK(bad_page(heap, 256, 2 + round) < 0, "the parent's heap page %d lost its write",
          bad_page(heap, 256, 2 + round));
  }
  int f1 = settle_freemem(f0);
  CHECK(f1 == f0, "free pages %d after the fork+exec rounds, %d before", f1, f0);
}

// The kernel writes into memory shared since fork (read() and fstat()
// into it, copyout): the writer's process sees the data, the other
// keeps its own bytes.
static void
fork_copyout(void)
{
  char *heap = sbrk(4 * PGSIZE);
  CHECK(heap != SBRK_ERROR, "sbrk failed");
  memset(heap, 'p', 4 * PGSIZE);
  int fds[2], sync[2];
  CHECK(pipe(fds) == 0 && pipe(sync) == 0, "pipe failed");
  char msg[40];
  for(int i = 0; i < sizeof(msg); i++)
    msg[i] = 'a' + i % 26;
  CHECK(write(fds[1], msg, sizeof(msg)) == sizeof(msg), "write to the pipe failed");

  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    // 40 bytes across the boundary of pages 0 and 1.
    char *dst = heap + PGSIZE - 20;
    CHECK(read(fds[0], dst, sizeof(msg)) == sizeof(msg), "the child's read failed");
    CHECK(memcmp(dst, msg, sizeof(msg)) == 0, "read() into a shared page delivered "
          "other bytes");
    int fd = open("/", O_RDONLY);
    CHECK(fd >= 0 && fstat(fd, (struct stat *)(heap + 2 * PGSIZE)) == 0,
          "fstat into a shared page failed");
    close(fd);
    write(sync[1], "x", 1);
    exit(0);
  }
  int status;
  CHECK(wait(&status) == pid && status == 0, "the child failed (status %d)", status);
  char c;
  CHECK(read(sync[0], &c, 1) == 1, "the child never got to its writes");
  for(int i = 0; i < 4 * PGSIZE; i++)
    CHECK(heap[i] == 'p', "the child's read()/fstat() changed the parent's byte %d", i);

  // And the other way: the parent reads into a page the child still maps.
  CHECK(write(fds[1], msg, sizeof(msg)) == sizeof(msg), "write to the pipe failed");
  pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    CHECK(read(sync[0], &c, 1) == 1, "the parent never said it had read");
    for(int i = 0; i < 4 * PGSIZE; i++)
      CHECK(heap[i] == 'p', "the parent's read() changed the child's byte %d", i);
    exit(0);
  }
  CHECK(read(fds[0], heap + 3 * PGSIZE, sizeof(msg)) == sizeof(msg), "the parent's read "
        "failed");
  CHECK(memcmp(heap + 3 * PGSIZE, msg, sizeof(msg)) == 0, "the parent's read delivered "
        "other bytes");
  write(sync[1], "x", 1);
  CHECK(wait(&status) == pid && status == 0, "the child failed (status %d)", status);
  close(fds[0]); close(fds[1]); close(sync[0]); close(sync[1]);
}

// The child of a process holding more than half of memory writes all of
// it: a kernel that shares pages runs out at some fault and must kill
// the child (status -1), not panic; one that copies refuses the fork.
// The parent's memory is intact either way and every page comes back.
static void
fork_out_of_memory(void)
{
  int f0 = freemem();
  int npages = f0 * 6 / 10;
  char *heap = sbrk(npages * PGSIZE);
  CHECK(heap != SBRK_ERROR, "sbrk of %d pages failed", npages);
  mark_pages(heap, npages, 1);
  int f1 = freemem();

  int pid = fork();
  if(pid == 0){
    mark_pages(heap, npages, 2);
    exit(0);   // all written: this kernel has more memory than it said
  }
  if(pid > 0){
    int status;
    CHECK(wait(&status) == pid, "wait did not return the child");
    CHECK(status == -1, "a child writing %d shared pages with %d free exited %d: it "
          "should have been killed (-1)", npages, f1, status);
  }
  int bad = bad_page(heap, npages, 1);
  CHECK(bad < 0, "the parent's heap page %d changed", bad);
  mark_pages(heap, npages, 3);   // its own again: no page needed
  int f2 = settle_freemem(f1);
  CHECK(f2 == f1, "free pages %d after the out-of-memory child, %d before", f2, f1);
  sbrk(-npages * PGSIZE);
  int f3 = settle_freemem(f0);
  CHECK(f3 == f0, "free pages %d after giving the heap back, %d before it", f3, f0);
}

#define PIPE_KIDS 3

// Children forked from a heap each change it in their own way and send
// it back through their own pipe: the parent receives each child's
// version, and keeps its own.
static void
fork_pipe(void)
{
  int n = 16;
  uchar *heap = (uchar *)sbrk(n * PGSIZE);
  CHECK(heap != (uchar *)SBRK_ERROR, "sbrk failed");
  for(int i = 0; i < n * PGSIZE; i++)
    heap[i] = pattern(i);
  int fds[PIPE_KIDS][2];
  for(int k = 0; k < PIPE_KIDS; k++){
    CHECK(pipe(fds[k]) == 0, "pipe failed");
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0){
      close(fds[k][0]);
      for(int i = 0; i < n * PGSIZE; i++)
        heap[i] ^= k + 1;
      for(int i = 0; i < n; i++)
        CHECK(write(fds[k][1], heap + i * PGSIZE, PGSIZE) == PGSIZE, "write failed");
      exit(0);
    }
    close(fds[k][1]);
  }
  for(int k = 0; k < PIPE_KIDS; k++){
    for(int i = 0; i < n; i++){
      int got = 0;
      while(got < PGSIZE){
        int r = read(fds[k][0], buf + got, PGSIZE - got);
        CHECK(r > 0, "child %d's pipe ended after %d pages", k, i);
        got += r;
      }
      for(int j = 0; j < PGSIZE; j++)
        CHECK((uchar)buf[j] == (pattern(i * PGSIZE + j) ^ (k + 1)),
              "child %d sent a wrong byte %d of page %d", k, j, i);
    }
    close(fds[k][0]);
  }
  wait_all_ok(PIPE_KIDS, "a piping child");
  for(int i = 0; i < n * PGSIZE; i++)
    CHECK(heap[i] == pattern(i), "a child's change reached the parent's byte %d", i);
}

// ---- Protection -----------------------------------------------------------

// Fault probes, run in a child: each must be killed.
static void
write_text(uint64 unused)
{
  *(volatile uint32 *)(uint64)text_target = 0;
}

static void
write_rodata(uint64 unused)
{
  char *s = "a string in rodata";
  ((volatile char *)s)[0] = 'A';
}

// The text segment cannot be written.
static void
prot_text_write(void)
{
  expect_killed(write_text, 0, "a store into the text segment");
  expect_killed(write_rodata, 0, "a store into read-only data");
  CHECK(text_target(1) == 4, "the text was changed");
}

#define RET_INSN 0x00008067   // jalr x0, 0(ra)

static uint32 data_code[2] = { RET_INSN, RET_INSN };

// Call the code at addr as a function.
static void
call_at(uint64 addr)
{
  ((void (*)(void))addr)();
}

static void
exec_heap(uint64 unused)
{
  uint32 *code = (uint32 *)sbrk(PGSIZE);
  CHECK((char *)code != SBRK_ERROR, "sbrk failed");
  code[0] = RET_INSN;
  call_at((uint64)code);
}

static void
exec_stack(uint64 unused)
{
  volatile uint32 code[2] = { RET_INSN, RET_INSN };
  call_at((uint64)code);
}

static void
exec_lazy(uint64 unused)
{
  char *p = sbrklazy(2 * PGSIZE);
  call_at((uint64)p + PGSIZE);   // an untouched lazy page: not code either
}

// Heap, stack and data are never executable.
static void
prot_no_exec(void)
{
  expect_killed(exec_heap, 0, "calling code copied into the heap");
  expect_killed(exec_stack, 0, "calling code on the stack");
  expect_killed(call_at, (uint64)data_code, "calling code in the data segment");
  expect_killed(exec_lazy, 0, "calling into an untouched lazy page");
}

static void
write_guard(uint64 unused)
{
  store_at(guard_page() + PGSIZE - 8);   // just below the stack
}

static void
read_guard(uint64 unused)
{
  load_at(guard_page());
}

// The page below the stack is a guard: touching it kills.
static void
prot_stack_guard(void)
{
  expect_killed(write_guard, 0, "a store just below the stack");
  expect_killed(read_guard, 0, "a load from the bottom of the guard page");
}

// Kernel memory is neither readable nor writable from user mode.
static void
prot_kernel_memory(void)
{
  uint64 addrs[] = { KERNBASE, KERNBASE + 0x200000, PHYSTOP - 8 };
  for(int i = 0; i < NELEM(addrs); i++){
    expect_killed(load_at, addrs[i], "a load from kernel memory");
    expect_killed(store_at, addrs[i], "a store into kernel memory");
  }
}

// The trampoline and trapframe pages, at the top, are not the user's.
static void
prot_top_pages(void)
{
  expect_killed(load_at, TRAPFRAME, "a load from TRAPFRAME");
  expect_killed(store_at, TRAPFRAME + 8, "a store into TRAPFRAME");
  expect_killed(load_at, TRAMPOLINE, "a load from TRAMPOLINE");
  expect_killed(store_at, TRAMPOLINE, "a store into TRAMPOLINE");
}

// Addresses above the break, and at or past MAXVA, fault.
static void
prot_beyond_break(void)
{
  uint64 top = PGROUNDUP(brk());
  expect_killed(load_at, top, "a load just above the break");
  expect_killed(store_at, top + 16 * MB, "a store 16 MiB above the break");
  expect_killed(load_at, MAXVA, "a load at MAXVA");
  expect_killed(store_at, MAXVA + 123, "a store past MAXVA");
  expect_killed(load_at, 0xffffffffffffff00UL, "a load near the top of the 64-bit space");
}

// ---- Processes ------------------------------------------------------------

// exit(status) reaches the parent's wait; wait returns each child once.
static void
proc_exit_status(void)
{
  int codes[] = { 0, 1, 42, 255, 256, -2, 100000 };
  int pids[NELEM(codes)];
  for(int i = 0; i < NELEM(codes); i++){
    pids[i] = fork();
    CHECK(pids[i] >= 0, "fork failed");
    if(pids[i] == 0){
      sleep((NELEM(codes) - i) % 3);   // exit in a mixed order
      exit(codes[i]);
    }
  }
  for(int n = 0; n < NELEM(codes); n++){
    int status = 12345;
    int pid = wait(&status);
    int i;
    for(i = 0; i < NELEM(codes); i++)
      if(pids[i] == pid)
        break;
    CHECK(i < NELEM(codes), "wait returned %d, not one of the children", pid);
    CHECK(status == codes[i], "child exited %d but wait reported %d", codes[i], status);
    pids[i] = -2;
  }
  CHECK(wait(0) == -1, "wait found a child after all were reaped");
  int pid = fork();
  if(pid == 0)
    exit(3);
  CHECK(wait(0) == pid, "wait(0) (no status wanted) did not return the child");
}

// wait() without children returns -1 at once and writes no status.
static void
proc_wait_no_child(void)
{
  int status = 77;
  CHECK(wait(&status) == -1, "wait without children did not return -1");
  CHECK(status == 77, "wait without children wrote a status");
}

// fork gives the child a copy of memory (not a share) and of the fds.
static void
proc_fork_copy(void)
{
  static int shared_looking = 10;
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  char *heap = sbrk(PGSIZE);
  heap[0] = 'h';
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    CHECK(shared_looking == 10 && heap[0] == 'h', "the child does not see the parent's data");
    shared_looking = 99;
    heap[0] = 'c';
    CHECK(write(fds[1], "x", 1) == 1, "the child cannot use the inherited pipe");
    exit(0);
  }
  int status;
  CHECK(wait(&status) == pid && status == 0, "the child failed (status %d)", status);
  CHECK(shared_looking == 10 && heap[0] == 'h', "the child's writes reached the parent");
  char c;
  CHECK(read(fds[0], &c, 1) == 1 && c == 'x', "the inherited pipe did not carry the byte");
  close(fds[0]);
  close(fds[1]);
}

// Fork until the kernel refuses: it must refuse within NPROC, and every
// child must be reaped.
static void
proc_fork_limit(void)
{
  static int kids[1000];
  int n;
  for(n = 0; n < NELEM(kids); n++){
    kids[n] = fork();
    if(kids[n] < 0)
      break;
    if(kids[n] == 0){
      sleep(10000);   // hold the slot until killed
      exit(0);
    }
  }
  CHECK(n < NELEM(kids), "fork never failed (%d children)", n);
  CHECK(n <= NPROC - 2, "%d forks succeeded; with init and this process that is "
        "more than NPROC = %d", n, NPROC);
  CHECK(n >= NPROC / 2, "only %d forks succeeded (NPROC = %d)", n, NPROC);
  for(int i = 0; i < n; i++){
    CHECK(kill(kids[i]) == 0, "kill of child %d failed", kids[i]);
    int status;
    CHECK(wait(&status) > 0, "wait failed with %d children left", n - i);
    CHECK(status == -1, "a killed child exited %d", status);
  }
  CHECK(wait(0) == -1, "wait found a child after all were reaped");
  int pid = fork();
  CHECK(pid >= 0, "fork fails after all children were reaped");
  if(pid == 0)
    exit(0);
  CHECK(wait(0) == pid, "wait did not return the last child");
}

// Loop in user mode until killed.
static void
spin_forever(uint64 unused)
{
  volatile int x = 0;
  for(;;)
    x++;
}

// kill() of a sleeping child and of a spinning one: both exit -1 soon.
static void
proc_kill(void)
{
  for(int spin = 0; spin < 2; spin++){
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0){
      if(spin)
        spin_forever(0);
      sleep(10000);
      exit(0);
    }
    sleep(3);
    int t0 = uptime();
    CHECK(kill(pid) == 0, "kill(%d) failed", pid);
    int status = 0;
    CHECK(wait(&status) == pid, "wait did not return the killed child");
    CHECK(status == -1, "a killed %s child exited %d, not -1", spin ? "spinning" : "sleeping",
          status);
    CHECK(uptime() - t0 < 300, "a killed %s child took %d ticks to die",
          spin ? "spinning" : "sleeping", uptime() - t0);
  }
  CHECK(kill(-1) == -1 && kill(0) == -1 && kill(1000000) == -1,
        "kill of a pid that cannot exist did not return -1");
}

// An orphan is handed to init: it outlives its parent, and init reaps it.
static void
proc_orphan(void)
{
  int f0 = freemem();
  int up[2], down[2];
  CHECK(pipe(up) == 0 && pipe(down) == 0, "pipe failed");
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    int g = fork();
    CHECK(g >= 0, "the child cannot fork");
    if(g == 0){
      close(up[0]);
      close(down[1]);
      char c;
      // Go on once the test process has reaped our parent.
      if(read(down[0], &c, 1) != 1)
        exit(1);
      write(up[1], "alive", 5);
      exit(0);
    }
    exit(0);   // leave the grandchild behind
  }
  close(up[1]);
  close(down[0]);
  int status;
  CHECK(wait(&status) == pid && status == 0, "the middle child failed");
  CHECK(wait(0) == -1, "wait returned the grandchild: it is not this process's child");
  CHECK(write(down[1], "g", 1) == 1, "cannot signal the orphan");
  int n = read(up[0], buf, sizeof(buf));
  CHECK(n == 5 && memcmp(buf, "alive", 5) == 0,
        "the orphan did not answer after its parent was gone (read %d)", n);
  CHECK(read(up[0], buf, 1) == 0, "the orphan's pipe did not reach end of file");
  close(up[0]);
  close(down[1]);
  int f1 = settle_freemem(f0);
  CHECK(f1 == f0, "free pages %d, %d before: nobody reaped the orphan?", f1, f0);
}

// sleep(n) waits at least n ticks; uptime advances.
static void
proc_sleep_uptime(void)
{
  int t0 = uptime();
  CHECK(sleep(10) == 0, "sleep(10) did not return 0");
  int t1 = uptime();
  CHECK(t1 - t0 >= 10, "sleep(10) returned after %d ticks", t1 - t0);
  CHECK(t1 - t0 < 500, "sleep(10) took %d ticks", t1 - t0);
  CHECK(sleep(0) == 0 && sleep(-5) == 0, "sleep(0) or sleep(-5) failed");
  CHECK(uptime() - t1 < 100, "sleep(0) and sleep(-5) took %d ticks", uptime() - t1);
  CHECK(pause(1) == 0, "pause(1) failed");
  CHECK(uptime() > t1, "uptime did not advance across pause(1)");
}

// Every process has its own pid, and fork returns the child's.
static void
proc_getpid_distinct(void)
{
  int fds[2];
  int kids[6];
  int me = getpid();
  CHECK(me > 0, "getpid returned %d", me);
  CHECK(pipe(fds) == 0, "pipe failed");
  for(int i = 0; i < NELEM(kids); i++){
    kids[i] = fork();
    CHECK(kids[i] >= 0, "fork failed");
    if(kids[i] == 0){
      int pid = getpid();
      write(fds[1], &pid, sizeof(pid));
      exit(0);
    }
  }
  for(int i = 0; i < NELEM(kids); i++)
    CHECK(wait(0) > 0, "wait failed");
  for(int i = 0; i < NELEM(kids); i++){
    int pid;
    CHECK(read(fds[0], &pid, sizeof(pid)) == sizeof(pid), "a child did not report");
    CHECK(pid != me, "a child has the parent's pid %d", pid);
    int found = 0;
    for(int j = 0; j < NELEM(kids); j++){
      CHECK(j == i || kids[j] != kids[i], "fork returned pid %d twice", kids[i]);
      if(kids[j] == pid)
        found++;
    }
    CHECK(found == 1, "a child's getpid %d is not what fork returned", pid);
  }
  close(fds[0]);
  close(fds[1]);
}

// Run /usertests --exec-probe with the given arguments in a child;
// returns its exit status (40 + argc if exec worked), or -100 if exec
// returned -1.
static int
exec_probe(char **argv)
{
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    exec("/usertests", argv);
    exit(-100);
  }
  int status;
  CHECK(wait(&status) == pid, "wait failed");
  return status;
}

// exec passes its arguments; MAXARG-1 of them fit, MAXARG do not.
static void
proc_exec_args(void)
{
  static char *argv[MAXARG + 2];
  static char strings[MAXARG + 2][MAXARG + 2];
  argv[0] = "usertests";
  argv[1] = "--exec-probe";
  for(int i = 2; i <= MAXARG; i++){
    memset(strings[i], 'a', i);
    strings[i][i] = 0;
    argv[i] = strings[i];
  }
  argv[3] = 0;
  int s = exec_probe(argv);
  CHECK(s == 43, "exec with 3 arguments: status %d, not 43", s);
  argv[3] = strings[3];
  argv[MAXARG - 1] = 0;
  s = exec_probe(argv);
  CHECK(s == 40 + MAXARG - 1, "exec with MAXARG-1 = %d arguments: status %d, not %d",
        MAXARG - 1, s, 40 + MAXARG - 1);
  argv[MAXARG - 1] = strings[MAXARG - 1];
  argv[MAXARG] = 0;
  s = exec_probe(argv);
  CHECK(s == -100, "exec with MAXARG = %d arguments did not fail (status %d)", MAXARG, s);
}

// exec of something that is not a program fails and the caller goes on.
static void
proc_exec_bad(void)
{
  char *argv[] = { "x", 0 };
  make_file("ut_notelf", "#!/bin/sh\necho this is not an ELF file\n", 38);
  CHECK(exec("/ut_no_such_program", argv) == -1, "exec of a missing file did not fail");
  CHECK(exec("ut_notelf", argv) == -1, "exec of a text file did not fail");
  CHECK(exec("/", argv) == -1, "exec of a directory did not fail");
  CHECK(exec("", argv) == -1, "exec of an empty path did not fail");
  unlink("ut_notelf");
  CHECK(text_target(0) == 1, "the process is broken after failed execs");
}

// Killing a process that has already exited changes nothing: wait
// still reports its own exit status.
static void
proc_kill_zombie(void)
{
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    close(fds[0]);
    exit(5);   // closes the write end: the parent sees end of file
  }
  close(fds[1]);
  CHECK(read(fds[0], buf, 1) == 0, "no end of file from the exiting child");
  close(fds[0]);
  sleep(2);   // the child is a zombie by now, or very nearly
  kill(pid);
  int status;
  CHECK(wait(&status) == pid, "wait did not return the child");
  CHECK(status == 5, "a child that exited 5 and was then killed reports %d", status);
}

// Several processes exec at once, repeatedly; nothing leaks.
static void
proc_exec_concurrent(void)
{
  int nkids = 3, rounds = 4;
  int f0 = freemem();
  for(int k = 0; k < nkids; k++){
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0){
      char *argv[] = { "usertests", "--exec-probe", 0 };
      for(int r = 0; r < rounds; r++){
        int s = exec_probe(argv);
        CHECK(s == 42, "process %d round %d: exec probe exited %d, not 42", k, r, s);
      }
      exit(0);
    }
  }
  wait_all_ok(nkids, "an exec process");
  CHECK(freemem() == f0, "free pages %d after concurrent execs, %d before", freemem(), f0);
}

// ---- Files ----------------------------------------------------------------

// Create, write, read back, unlink.
static void
file_basic(void)
{
  char *name = "ut_basic";
  unlink(name);
  int fd = open(name, O_CREATE | O_RDWR);
  CHECK(fd >= 0, "cannot create %s", name);
  for(int i = 0; i < 3000; i++)
    buf[i] = pattern(i);
  CHECK(write(fd, buf, 1000) == 1000, "first write failed");
  CHECK(write(fd, buf + 1000, 1500) == 1500, "second write failed");
  CHECK(write(fd, buf + 2500, 500) == 500, "third write failed");
  CHECK(fsize(fd) == 3000, "size %d after writing 3000 bytes", fsize(fd));
  close(fd);

  fd = open(name, O_RDONLY);
  CHECK(fd >= 0, "cannot reopen %s", name);
  memset(buf2, 0, sizeof(buf2));
  int n = read(fd, buf2, 700);
  CHECK(n == 700, "read 700 returned %d", n);
  n = read(fd, buf2 + 700, 5000);
  CHECK(n == 2300, "reading the rest returned %d, not 2300", n);
  CHECK(read(fd, buf2, 10) == 0, "read at end of file did not return 0");
  check_pattern(buf2, 3000, "file contents");
  close(fd);

  CHECK(unlink(name) == 0, "unlink failed");
  CHECK(open(name, O_RDONLY) == -1, "the file can still be opened after unlink");
  CHECK(unlink(name) == -1, "a second unlink succeeded");
}

// A file larger than the direct blocks uses the indirect block.
static void
file_indirect(void)
{
  char *name = "ut_indirect";
  int nblocks = NDIRECT + 20;
  int fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create %s", name);
  for(int b = 0; b < nblocks; b++){
    for(int i = 0; i < BSIZE; i++)
      buf[i] = pattern(b * BSIZE + i);
    CHECK(write(fd, buf, BSIZE) == BSIZE, "writing block %d failed", b);
  }
  CHECK(fsize(fd) == nblocks * BSIZE, "size %d, not %d", fsize(fd), nblocks * BSIZE);
  close(fd);

  fd = open(name, O_RDONLY);
  for(int b = 0; b < nblocks; b++){
    CHECK(read(fd, buf, BSIZE) == BSIZE, "reading block %d failed", b);
    for(int i = 0; i < BSIZE; i++)
      CHECK((uchar)buf[i] == pattern(b * BSIZE + i), "block %d byte %d is wrong", b, i);
  }
  CHECK(read(fd, buf, 1) == 0, "no end of file after %d blocks", nblocks);
  close(fd);
  CHECK(unlink(name) == 0, "unlink failed");
}

// A file can grow to MAXFILE blocks and no further.
static void
file_maxfile(void)
{
  char *name = "ut_maxfile";
  int fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create %s", name);
  for(int b = 0; b < MAXFILE; b++){
    memset(buf, b & 0xff, BSIZE);
    int n = write(fd, buf, BSIZE);
    if(n != BSIZE){
      close(fd);
      unlink(name);
      FAIL("writing block %d of %d failed (disk full?)", b, (int)MAXFILE);
    }
  }
  CHECK(write(fd, buf, 1) == -1, "a write past MAXFILE blocks succeeded");
  CHECK(fsize(fd) == MAXFILE * BSIZE, "size %d, not MAXFILE*BSIZE", fsize(fd));
  close(fd);
  fd = open(name, O_RDONLY);
  int b = 0, n;
  while((n = read(fd, buf, BSIZE)) == BSIZE){
    CHECK((uchar)buf[0] == (b & 0xff) && (uchar)buf[BSIZE - 1] == (b & 0xff),
          "block %d reads back wrong", b);
    b++;
  }
  CHECK(n == 0 && b == MAXFILE, "read back %d blocks, not %d", b, (int)MAXFILE);
  close(fd);
  CHECK(unlink(name) == 0, "unlink failed");
}

// Fill the disk: writes stop with an error rather than a panic, and
// once the files are removed the space can be used again.
static void
file_disk_full(void)
{
  static char name[16];
  int nfiles = 0, blocks = 0, full = 0;
  memset(buf, 'D', BSIZE);
  while(!full && nfiles < 20){
    numbered(name, "ut_full", nfiles);
    int fd = open(name, O_CREATE | O_TRUNC | O_WRONLY);
    if(fd < 0)
      break;
    nfiles++;
    for(int b = 0; b < MAXFILE; b++){
      if(write(fd, buf, BSIZE) != BSIZE){
        full = 1;
        break;
      }
      blocks++;
    }
    close(fd);
  }
  for(int i = 0; i < nfiles; i++){
    numbered(name, "ut_full", i);
    unlink(name);
  }
  CHECK(full, "wrote %d files of MAXFILE blocks without filling the disk", nfiles);
  CHECK(blocks >= 100, "the disk was full after only %d blocks", blocks);
  // The space is back: as many blocks fit again.
  int fd = open("ut_full", O_CREATE | O_TRUNC | O_WRONLY);
  CHECK(fd >= 0, "cannot create a file after emptying the disk");
  int again = 0;
  for(int b = 0; b < blocks && b < MAXFILE; b++){
    if(write(fd, buf, BSIZE) != BSIZE)
      break;
    again++;
  }
  close(fd);
  unlink("ut_full");
  CHECK(again == (blocks < MAXFILE ? blocks : MAXFILE),
        "only %d blocks could be written after freeing %d", again, blocks);
}

// Many files in one directory (more entries than one directory block
// holds); all can be found, read and removed.
static void
file_many_in_dir(void)
{
  static char name[32];
  int nfiles = 80;
  char *dir = "ut_many";
  mkdir(dir);
  CHECK(chdir(dir) == 0, "cannot chdir into %s", dir);
  for(int i = 0; i < nfiles; i++){
    numbered(name, "file", i);
    make_file(name, name, strlen(name));
  }
  int fd = open(".", O_RDONLY);
  CHECK(fd >= 0, "cannot open the directory");
  CHECK(fsize(fd) >= (nfiles + 2) * (int)sizeof(struct dirent),
        "the directory is %d bytes for %d entries", fsize(fd), nfiles + 2);
  struct dirent de;
  int found = 0;
  while(read(fd, &de, sizeof(de)) == sizeof(de)){
    if(de.inum != 0 && de.name[0] == 'f')
      found++;
  }
  close(fd);
  CHECK(found == nfiles, "the directory lists %d files, not %d", found, nfiles);
  for(int i = nfiles - 1; i >= 0; i--){
    numbered(name, "file", i);
    fd = open(name, O_RDONLY);
    CHECK(fd >= 0, "cannot open %s", name);
    int n = read(fd, buf, sizeof(buf));
    CHECK(n == strlen(name) && memcmp(buf, name, n) == 0, "%s has the wrong contents", name);
    close(fd);
    CHECK(unlink(name) == 0, "cannot unlink %s", name);
  }
  CHECK(chdir("..") == 0, "cannot chdir ..");
  CHECK(unlink(dir) == 0, "cannot remove the emptied directory");
}

// Read the whole of path into buf2; returns the length or -1.
static int
slurp(char *path)
{
  int fd = open(path, O_RDONLY);
  if(fd < 0)
    return -1;
  int n = read(fd, buf2, sizeof(buf2) - 1);
  close(fd);
  if(n >= 0)
    buf2[n] = 0;
  return n;
}

// mkdir, chdir, relative paths, ".", "..", and what directories refuse.
static void
file_dir_paths(void)
{
  unlink("/ut_dp/a/f");
  unlink("/ut_dp/a");
  unlink("/ut_dp");
  CHECK(mkdir("ut_dp") == 0, "mkdir ut_dp failed");
  CHECK(mkdir("ut_dp") == -1, "mkdir of an existing name succeeded");
  CHECK(mkdir("ut_dp/a") == 0, "mkdir ut_dp/a failed");
  CHECK(mkdir("ut_nodir/a") == -1, "mkdir under a missing directory succeeded");
  CHECK(chdir("ut_dp/a") == 0, "chdir ut_dp/a failed");
  make_file("f", "relative", 8);
  CHECK(slurp("../a/f") == 8 && strcmp(buf2, "relative") == 0, "../a/f unreadable");
  CHECK(slurp("/ut_dp/a/f") == 8, "/ut_dp/a/f unreadable");
  CHECK(slurp("./../../ut_dp/./a/f") == 8, "./../../ut_dp/./a/f unreadable");
  CHECK(chdir("..") == 0 && slurp("a/f") == 8, "after chdir .., a/f unreadable");
  CHECK(chdir("/..") == 0 && slurp("ut_dp/a/f") == 8, "/.. is not the root");
  CHECK(chdir("/ut_dp/a/f") == -1, "chdir into a file succeeded");
  CHECK(chdir("/ut_nodir") == -1, "chdir into a missing directory succeeded");
  CHECK(open("/ut_dp/a/f/x", O_CREATE | O_RDWR) == -1, "a file was used as a directory");
  CHECK(unlink("/ut_dp/a") == -1, "unlink of a non-empty directory succeeded");
  CHECK(unlink("/ut_dp/a/.") == -1 && unlink("/ut_dp/a/..") == -1, "unlink of . or .. succeeded");
  CHECK(link("/ut_dp/a", "/ut_dp/b") == -1, "link to a directory succeeded");
  CHECK(open("/ut_dp", O_CREATE | O_RDWR) == -1, "open(O_CREATE) of a directory succeeded");
  CHECK(unlink("/ut_dp/a/f") == 0 && unlink("/ut_dp/a") == 0 && unlink("/ut_dp") == 0,
        "cleaning up failed");
  CHECK(chdir("/") == 0, "chdir / failed");
}

// The link count of the file at path.
static int
nlink_of(char *path)
{
  struct stat st;
  CHECK(stat(path, &st) == 0, "cannot stat %s", path);
  return st.nlink;
}

// link and unlink keep nlink right; both names reach one inode.
static void
file_link_counts(void)
{
  unlink("ut_lk_a");
  unlink("ut_lk_b");
  make_file("ut_lk_a", "linked", 6);
  CHECK(nlink_of("ut_lk_a") == 1, "a new file has nlink %d", nlink_of("ut_lk_a"));
  CHECK(link("ut_lk_a", "ut_lk_b") == 0, "link failed");
  CHECK(link("ut_lk_a", "ut_lk_b") == -1, "link onto an existing name succeeded");
  CHECK(link("ut_lk_none", "ut_lk_c") == -1, "link of a missing file succeeded");
  CHECK(nlink_of("ut_lk_a") == 2 && nlink_of("ut_lk_b") == 2, "nlink is not 2 after link");
  struct stat sa, sb;
  stat("ut_lk_a", &sa);
  stat("ut_lk_b", &sb);
  CHECK(sa.ino == sb.ino, "the two names have different inodes");
  CHECK(unlink("ut_lk_a") == 0, "unlink of the first name failed");
  CHECK(nlink_of("ut_lk_b") == 1, "nlink is %d after unlinking one name", nlink_of("ut_lk_b"));
  CHECK(slurp("ut_lk_b") == 6 && strcmp(buf2, "linked") == 0, "the second name lost the data");
  CHECK(unlink("ut_lk_b") == 0, "unlink of the second name failed");
  CHECK(open("ut_lk_b", O_RDONLY) == -1, "the file survived losing both names");

  // Directories: a new one has nlink 1 ("." not counted); each
  // subdirectory's ".." adds one to its parent.
  unlink("ut_lk_d/s");
  unlink("ut_lk_d");
  CHECK(mkdir("ut_lk_d") == 0, "mkdir failed");
  int d0 = nlink_of("ut_lk_d");
  CHECK(d0 == 1, "a new directory has nlink %d", d0);
  CHECK(mkdir("ut_lk_d/s") == 0, "mkdir of a subdirectory failed");
  CHECK(nlink_of("ut_lk_d") == d0 + 1, "a subdirectory did not add to its parent's nlink");
  CHECK(unlink("ut_lk_d/s") == 0, "unlink of the subdirectory failed");
  CHECK(nlink_of("ut_lk_d") == d0, "removing the subdirectory left the parent's nlink at %d",
        nlink_of("ut_lk_d"));
  CHECK(unlink("ut_lk_d") == 0, "unlink of the directory failed");
}

// An unlinked file lives on while open.
static void
file_unlink_open(void)
{
  char *name = "ut_uo";
  int fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create %s", name);
  CHECK(write(fd, "before", 6) == 6, "write failed");
  int rfd = open(name, O_RDONLY);
  CHECK(rfd >= 0, "cannot open %s again", name);
  CHECK(unlink(name) == 0, "unlink of an open file failed");
  CHECK(open(name, O_RDONLY) == -1, "the name still opens after unlink");
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.nlink == 0, "nlink of an unlinked open file is %d", st.nlink);
  CHECK(write(fd, "after", 5) == 5, "writing an unlinked open file failed");
  CHECK(read(rfd, buf, sizeof(buf)) == 11 && memcmp(buf, "beforeafter", 11) == 0,
        "an unlinked open file does not read back");
  // A new file of the same name is another file.
  int nfd = open(name, O_CREATE | O_RDWR);
  CHECK(nfd >= 0, "cannot create a new %s", name);
  struct stat nst;
  CHECK(fstat(nfd, &nst) == 0 && nst.ino != st.ino && nst.size == 0,
        "the new file is the old one");
  close(nfd);
  close(fd);
  close(rfd);
  CHECK(unlink(name) == 0, "cleanup failed");
}

// O_TRUNC empties a file; without it, writes overwrite in place.
static void
file_trunc(void)
{
  char *name = "ut_trunc";
  make_file(name, "0123456789", 10);
  int fd = open(name, O_WRONLY | O_TRUNC);
  CHECK(fd >= 0, "open with O_TRUNC failed");
  CHECK(fsize(fd) == 0, "size %d after O_TRUNC", fsize(fd));
  CHECK(write(fd, "abc", 3) == 3, "write after truncation failed");
  close(fd);
  fd = open(name, O_WRONLY);
  CHECK(write(fd, "X", 1) == 1, "write failed");
  close(fd);
  CHECK(slurp(name) == 3 && strcmp(buf2, "Xbc") == 0,
        "expected \"Xbc\", read \"%s\"", buf2);
  CHECK(unlink(name) == 0, "cleanup failed");
}

// Open modes are enforced.
static void
file_open_modes(void)
{
  char *name = "ut_modes";
  make_file(name, "modes", 5);
  int fd = open(name, O_RDONLY);
  CHECK(write(fd, "x", 1) == -1, "write to an O_RDONLY file succeeded");
  CHECK(read(fd, buf, 5) == 5, "read of an O_RDONLY file failed");
  close(fd);
  fd = open(name, O_WRONLY);
  CHECK(read(fd, buf, 5) == -1, "read from an O_WRONLY file succeeded");
  CHECK(write(fd, "M", 1) == 1, "write to an O_WRONLY file failed");
  close(fd);
  fd = open(name, O_RDWR);
  CHECK(read(fd, buf, 1) == 1 && write(fd, "O", 1) == 1, "O_RDWR does not allow both");
  close(fd);
  CHECK(slurp(name) == 5 && strcmp(buf2, "MOdes") == 0, "contents \"%s\"", buf2);
  CHECK(open("/", O_RDWR) == -1 && open("/", O_WRONLY) == -1,
        "a directory opened for writing");
  fd = open("/", O_RDONLY);
  CHECK(fd >= 0, "a directory does not open read-only");
  CHECK(write(fd, "x", 1) == -1, "write to a directory succeeded");
  close(fd);
  CHECK(open("ut_modes_none", O_RDONLY) == -1, "a missing file opened");
  CHECK(unlink(name) == 0, "cleanup failed");
}

// Several processes write one file through a shared descriptor, and
// their own files, at once: no record is lost or torn.
static void
file_concurrent(void)
{
  static char name[16];
  int nproc = 4, nrec = 10, reclen = 32;
  int fd = open("ut_conc", O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create ut_conc");
  for(int k = 0; k < nproc; k++){
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0){
      memset(buf, 'A' + k, reclen);
      for(int r = 0; r < nrec; r++)
        CHECK(write(fd, buf, reclen) == reclen, "writer %d: write failed", k);
      numbered(name, "ut_conc", k);
      for(int i = 0; i < 2000; i++)
        buf2[i] = pattern(i + k);
      make_file(name, buf2, 2000);
      exit(0);
    }
  }
  wait_all_ok(nproc, "a writer");
  CHECK(fsize(fd) == nproc * nrec * reclen, "shared file is %d bytes, not %d", fsize(fd),
        nproc * nrec * reclen);
  close(fd);
  CHECK(slurp("ut_conc") == nproc * nrec * reclen, "cannot read the shared file back");
  int count[8] = { 0 };
  for(int r = 0; r < nproc * nrec; r++){
    char c = buf2[r * reclen];
    CHECK(c >= 'A' && c < 'A' + nproc, "record %d starts with %d", r, c);
    for(int i = 0; i < reclen; i++)
      CHECK(buf2[r * reclen + i] == c, "record %d is torn", r);
    count[c - 'A']++;
  }
  for(int k = 0; k < nproc; k++){
    CHECK(count[k] == nrec, "writer %d has %d records, not %d", k, count[k], nrec);
    numbered(name, "ut_conc", k);
    CHECK(slurp(name) == 2000, "%s is not 2000 bytes", name);
    for(int i = 0; i < 2000; i++)
      CHECK((uchar)buf2[i] == pattern(i + k), "%s is wrong at %d", name, i);
    unlink(name);
  }
  unlink("ut_conc");
}

// Write into dst a path of exactly len bytes that names `name` in the
// current directory: "./" repeated (and one extra '/' if needed), then
// the name.
static void
make_path(char *dst, int len, char *name)
{
  int prefix = len - strlen(name);
  int k = 0;
  while(k + 2 <= prefix){
    dst[k++] = '.';
    dst[k++] = '/';
  }
  if(k < prefix)
    dst[k++] = '/';
  strcpy(dst + k, name);
}

// A path of MAXPATH bytes (no room for its NUL in the kernel's MAXPATH
// buffer) is refused; one byte shorter is fine.
static void
file_path_maxpath(void)
{
  static char path[MAXPATH + 8];
  unlink("ut_mp");
  make_path(path, MAXPATH - 1, "ut_mp");
  CHECK(strlen(path) == MAXPATH - 1, "internal: path is %d bytes", strlen(path));
  int fd = open(path, O_CREATE | O_RDWR);
  CHECK(fd >= 0, "a path of MAXPATH-1 bytes was refused");
  close(fd);
  CHECK(open("ut_mp", O_RDONLY) >= 0, "the MAXPATH-1 byte path did not create ut_mp");

  make_path(path, MAXPATH, "ut_mp");
  CHECK(strlen(path) == MAXPATH, "internal: path is %d bytes", strlen(path));
  CHECK(open(path, O_RDONLY) == -1, "a MAXPATH-byte path opened an existing file");
  CHECK(unlink(path) == -1, "unlink through a MAXPATH-byte path succeeded");
  CHECK(link(path, "ut_mp2") == -1, "link from a MAXPATH-byte path succeeded");
  CHECK(nlink_of("ut_mp") == 1, "a refused call changed ut_mp's nlink");

  make_path(path, MAXPATH, "ut_mpq");
  CHECK(open(path, O_CREATE | O_RDWR) == -1, "open(O_CREATE) of a MAXPATH-byte path succeeded");
  CHECK(mkdir(path) == -1, "mkdir of a MAXPATH-byte path succeeded");
  CHECK(mknod(path, 1, 0) == -1, "mknod of a MAXPATH-byte path succeeded");
  CHECK(link("ut_mp", path) == -1, "link to a MAXPATH-byte path succeeded");
  CHECK(open("ut_mpq", O_RDONLY) == -1, "a refused MAXPATH-byte path created ut_mpq");
  CHECK(chdir("/") == 0, "chdir / failed");
  make_path(path, MAXPATH, "/");
  CHECK(chdir(path) == -1, "chdir through a MAXPATH-byte path succeeded");
  CHECK(unlink("ut_mp") == 0, "cleanup failed");
}

// dup'ed descriptors share one offset.
static void
file_dup_offset(void)
{
  char *name = "ut_dup";
  int fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create %s", name);
  int fd2 = dup(fd);
  CHECK(fd2 >= 0 && fd2 != fd, "dup returned %d", fd2);
  CHECK(write(fd, "abc", 3) == 3 && write(fd2, "def", 3) == 3, "writes failed");
  close(fd);
  CHECK(write(fd2, "g", 1) == 1, "the dup does not work after closing the original");
  close(fd2);
  CHECK(slurp(name) == 7 && strcmp(buf2, "abcdefg") == 0, "the file holds \"%s\"", buf2);
  CHECK(dup(fd) == -1, "dup of a closed fd succeeded");
  unlink(name);
}

// A forked child shares its parent's open files, offsets included.
static void
file_fork_offset(void)
{
  char *name = "ut_forkoff";
  make_file(name, "0123456789", 10);
  int fd = open(name, O_RDWR);
  CHECK(fd >= 0, "cannot open %s", name);
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "0123", 4) == 0, "the child read wrong data");
    exit(0);
  }
  int status;
  CHECK(wait(&status) == pid && status == 0, "the child failed");
  CHECK(read(fd, buf, 3) == 3 && memcmp(buf, "456", 3) == 0,
        "the parent did not continue where the child stopped reading");
  pid = fork();
  if(pid == 0){
    CHECK(write(fd, "C", 1) == 1, "the child's write failed");
    exit(0);
  }
  CHECK(wait(&status) == pid && status == 0, "the child failed");
  CHECK(write(fd, "P", 1) == 1, "the parent's write failed");
  close(fd);
  CHECK(slurp(name) == 10 && strcmp(buf2, "0123456CP9") == 0, "the file holds \"%s\"", buf2);
  unlink(name);
}

// A process can hold NOFILE descriptors and no more.
static void
file_fd_limit(void)
{
  static int fds[NOFILE + 4];
  make_file("ut_fds", "x", 1);
  int n = 0;
  for(n = 0; n < NOFILE + 4; n++){
    fds[n] = open("ut_fds", O_RDONLY);
    if(fds[n] < 0)
      break;
    CHECK(fds[n] < NOFILE, "open returned fd %d >= NOFILE", fds[n]);
  }
  CHECK(n < NOFILE, "%d opens succeeded; NOFILE is %d", n, NOFILE);
  CHECK(n >= NOFILE - 5, "only %d opens succeeded", n);
  CHECK(dup(0) == -1, "dup succeeded with every fd in use");
  close(fds[n / 2]);
  int again = open("ut_fds", O_RDONLY);
  CHECK(again == fds[n / 2], "open after close returned %d, not the freed fd %d",
        again, fds[n / 2]);
  for(int i = 0; i < n; i++)
    close(fds[i]);
  unlink("ut_fds");
}

// The cache storm (see file_cache_storm).
#define STORM_READERS 44       // with the writers, each a file open: NINODE is 50
#define STORM_WRITERS 2
#define STORM_BLOCKS  6        // blocks in each reader's file
#define STORM_WRITE   (3 * BSIZE)    // a writer's write: one transaction
#define STORM_PIECES  8
#define STORM_FLUSH   (80 * BSIZE)   // more than the cache holds

// The byte in block k of storm file i.
static uchar
storm_byte(int i, int k)
{
  return (uchar)(i * 31 + k * 7 + 1);
}

// A storm reader: read the file open at fd, storm file i, and check
// every byte.
static void
storm_reader(int i, int fd)
{
  for(int k = 0; k < STORM_BLOCKS; k++){
    CHECK(read(fd, buf, BSIZE) == BSIZE, "reader %d: short read of block %d", i, k);
    for(int j = 0; j < BSIZE; j++)
      CHECK((uchar)buf[j] == storm_byte(i, k), "reader %d: byte %d of block %d is %d, not %d",
            i, j, k, (uchar)buf[j], storm_byte(i, k));
  }
  close(fd);
}

// A storm writer: grow a file of its own piece by piece, each write a
// transaction of its own, so that the log keeps pinning blocks; then
// check what it wrote and remove the file.
static void
storm_writer(int w)
{
  char name[16];
  numbered(name, "ut_sw", w);
  int fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "writer %d cannot create %s", w, name);
  for(int j = 0; j < STORM_WRITE; j++)
    buf[j] = 'a' + (j + w) % 26;
  for(int piece = 0; piece < STORM_PIECES; piece++)
    CHECK(write(fd, buf, STORM_WRITE) == STORM_WRITE, "writer %d: write %d failed", w, piece);
  close(fd);
  fd = open(name, O_RDONLY);
  CHECK(fd >= 0, "writer %d cannot reopen %s", w, name);
  for(int piece = 0; piece < STORM_PIECES; piece++){
    CHECK(read(fd, buf2, STORM_WRITE) == STORM_WRITE, "writer %d: read %d failed", w, piece);
    CHECK(memcmp(buf, buf2, STORM_WRITE) == 0, "writer %d read back different data", w);
  }
  close(fd);
  CHECK(unlink(name) == 0, "writer %d cannot remove %s", w, name);
}

// Many processes read blocks nobody has cached, all at the same moment,
// while others write files (so the log pins blocks): more bufs are wanted
// at once than the buffer cache has.  The kernel must make them wait
// their turn -- not panic, not deadlock -- and every reader must get its
// own file's data.
static void
file_cache_storm(void)
{
  char name[16];

  for(int i = 0; i < STORM_READERS; i++){
    for(int k = 0; k < STORM_BLOCKS; k++)
      memset(buf + k * BSIZE, storm_byte(i, k), BSIZE);
    numbered(name, "ut_st", i);
    make_file(name, buf, STORM_BLOCKS * BSIZE);
  }
  // Push the readers' blocks out of the cache: write and read back a
  // file larger than the cache.
  int fd = open("ut_sflush", O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create ut_sflush");
  memset(buf, 'f', sizeof(buf));
  for(int done = 0; done < STORM_FLUSH; done += sizeof(buf))
    CHECK(write(fd, buf, sizeof(buf)) == sizeof(buf), "cannot write ut_sflush");
  close(fd);
  fd = open("ut_sflush", O_RDONLY);
  while(read(fd, buf, sizeof(buf)) > 0)
    ;
  close(fd);

  // Everyone waits at the gate (a pipe) until the last has been forked
  // and the parent closes its write end: then all start at once.
  int gate[2];
  CHECK(pipe(gate) == 0, "pipe failed");
  int n = STORM_WRITERS + STORM_READERS;
  for(int i = 0; i < n; i++){
    int pid = fork();
    CHECK(pid >= 0, "fork %d of %d failed", i + 1, n);
    if(pid == 0){
      // A reader opens its file first, so that its first step through
      // the gate is the read of a data block, a miss.
      int rfd = -1;
      if(i >= STORM_WRITERS){
        numbered(name, "ut_st", i - STORM_WRITERS);
        CHECK((rfd = open(name, O_RDONLY)) >= 0, "cannot open %s", name);
      }
      char c;
      close(gate[1]);
      read(gate[0], &c, 1);
      if(rfd < 0)
        storm_writer(i);
      else
        storm_reader(i - STORM_WRITERS, rfd);
      exit(0);
    }
  }
  close(gate[0]);
  close(gate[1]);
  wait_all_ok(n, "a storm reader or writer");

  for(int i = 0; i < STORM_READERS; i++){
    numbered(name, "ut_st", i);
    unlink(name);
  }
  unlink("ut_sflush");
}

// ---- Pipes ----------------------------------------------------------------

// 100 KB through a pipe in odd-sized pieces arrive complete and in order.
static void
pipe_order(void)
{
  long total = 100 * KB;
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    close(fds[0]);
    long sent = 0;
    for(int k = 0; sent < total; k++){
      long n = (k * 37) % 997 + 1;
      if(n > total - sent)
        n = total - sent;
      for(long i = 0; i < n; i++)
        buf[i] = pattern(sent + i);
      CHECK(write(fds[1], buf, n) == n, "the writer's write failed");
      sent += n;
    }
    exit(0);
  }
  close(fds[1]);
  long got = 0;
  for(int k = 0; ; k++){
    int want = (k * 53) % 1500 + 1;
    int n = read(fds[0], buf2, want);
    CHECK(n >= 0, "read failed after %ld bytes", got);
    if(n == 0)
      break;
    for(int i = 0; i < n; i++)
      CHECK((uchar)buf2[i] == pattern(got + i), "byte %ld is wrong", got + i);
    got += n;
  }
  CHECK(got == total, "received %ld bytes, not %ld", got, total);
  int status;
  CHECK(wait(&status) == pid && status == 0, "the writer failed");
  close(fds[0]);
}

// read sees end of file once every write end is closed, and not before.
static void
pipe_eof(void)
{
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  int t0 = uptime();
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    close(fds[0]);
    sleep(10);
    write(fds[1], "late", 4);
    exit(0);   // closes the last write end
  }
  int d = dup(fds[1]);
  close(fds[1]);
  CHECK(write(d, "dup", 3) == 3, "write through a dup'ed write end failed");
  close(d);   // the child still holds a write end
  CHECK(read(fds[0], buf, 3) == 3, "read of the first bytes failed");
  CHECK(read(fds[0], buf, 10) == 4 && memcmp(buf, "late", 4) == 0,
        "the child's bytes did not arrive");
  CHECK(read(fds[0], buf, 10) == 0, "no end of file after every writer closed");
  CHECK(uptime() - t0 >= 10, "end of file came %d ticks after the fork, before the child "
        "(asleep for 10) closed its end", uptime() - t0);
  close(fds[0]);
  wait(0);
}

// Writing to a pipe nobody can read returns -1 and does not kill; a
// blocked writer is woken by the reader closing.
static void
pipe_no_reader(void)
{
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  close(fds[0]);
  CHECK(write(fds[1], "x", 1) == -1, "write with no reader did not return -1");
  close(fds[1]);

  CHECK(pipe(fds) == 0, "pipe failed");
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    close(fds[0]);
    int n = write(fds[1], buf, 4000);   // more than a pipe holds
    exit(n == -1 ? 0 : 2);
  }
  close(fds[1]);
  sleep(5);
  close(fds[0]);
  int status;
  CHECK(wait(&status) == pid, "wait failed");
  CHECK(status == 0, "the blocked writer got %s when the reader closed",
        status == 2 ? "a count, not -1" : "killed or failed");
}

// A chain of processes, each adding one to every byte.
static void
pipe_chain(void)
{
  int nstages = 3, total = 6000;
  int in[2], first;
  CHECK(pipe(in) == 0, "pipe failed");
  first = in[1];
  int prev = in[0];
  for(int s = 0; s < nstages; s++){
    int out[2];
    CHECK(pipe(out) == 0, "pipe failed");
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0){
      close(first);
      close(out[0]);
      int n;
      while((n = read(prev, buf, 700)) > 0){
        for(int i = 0; i < n; i++)
          buf[i]++;
        CHECK(write(out[1], buf, n) == n, "stage %d: write failed", s);
      }
      exit(n == 0 ? 0 : 2);
    }
    close(prev);
    close(out[1]);
    prev = out[0];
  }
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    close(prev);
    for(int i = 0; i < total; i++)
      buf[i] = pattern(i);
    CHECK(write(first, buf, total) == total, "feeding the chain failed");
    exit(0);
  }
  close(first);
  int got = 0, n;
  while((n = read(prev, buf2 + got, sizeof(buf2) - got)) > 0)
    got += n;
  CHECK(got == total, "the chain delivered %d bytes, not %d", got, total);
  for(int i = 0; i < total; i++)
    CHECK((uchar)buf2[i] == (uchar)(pattern(i) + nstages), "byte %d is wrong", i);
  wait_all_ok(nstages + 1, "a stage");
  close(prev);
}

// Several writers into one pipe: every byte arrives.
static void
pipe_many_writers(void)
{
  int nwriters = 3, each = 3000;
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  for(int w = 0; w < nwriters; w++){
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0){
      close(fds[0]);
      memset(buf, 'a' + w, 100);
      for(int i = 0; i < each; i += 100)
        CHECK(write(fds[1], buf, 100) == 100, "writer %d failed", w);
      exit(0);
    }
  }
  close(fds[1]);
  int count[3] = { 0 }, n;
  while((n = read(fds[0], buf2, 333)) > 0){
    for(int i = 0; i < n; i++){
      int w = buf2[i] - 'a';
      CHECK(w >= 0 && w < nwriters, "a byte %d no writer wrote", buf2[i]);
      count[w]++;
    }
  }
  for(int w = 0; w < nwriters; w++)
    CHECK(count[w] == each, "writer %d: %d bytes arrived, not %d", w, count[w], each);
  for(int w = 0; w < nwriters; w++)
    CHECK(wait(0) > 0, "wait failed");
  close(fds[0]);
}

// A process blocked reading an empty pipe can be killed.
static void
pipe_kill_reader(void)
{
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    read(fds[0], buf, 1);
    exit(0);
  }
  sleep(3);
  CHECK(kill(pid) == 0, "kill failed");
  int status;
  CHECK(wait(&status) == pid && status == -1, "the killed reader exited %d", status);
  CHECK(read(fds[1], buf, 1) == -1, "read from a pipe's write end succeeded");
  CHECK(write(fds[0], "x", 1) == -1, "write to a pipe's read end succeeded");
  close(fds[0]);
  close(fds[1]);
}

// ---- System-call arguments --------------------------------------------------

// read() refuses bad buffers, and then nothing is consumed.
static void
arg_ptr_read(void)
{
  static uint64 bad[20];
  int nbad = bad_addresses(bad, 1);
  make_file("ut_ptr", "0123456789abcdef", 16);
  int fd = open("ut_ptr", O_RDONLY);
  int fds[2];
  CHECK(fd >= 0 && pipe(fds) == 0, "setup failed");
  CHECK(write(fds[1], "pipedata", 8) == 8, "pipe write failed");
  for(int i = 0; i < nbad; i++){
    CHECK(read(fd, (void *)bad[i], 10) == -1, "read from a file into %p did not fail",
          (void *)bad[i]);
    CHECK(read(fds[0], (void *)bad[i], 8) == -1, "read from a pipe into %p did not fail",
          (void *)bad[i]);
  }
  CHECK(read(fd, buf, 16) == 16 && memcmp(buf, "0123456789abcdef", 16) == 0,
        "failed reads moved the file offset");
  CHECK(read(fds[0], buf, 8) == 8 && memcmp(buf, "pipedata", 8) == 0,
        "failed reads consumed pipe data");
  close(fd);
  close(fds[0]);
  close(fds[1]);
  unlink("ut_ptr");
}

// write() refuses bad buffers, and then nothing is written.
static void
arg_ptr_write(void)
{
  static uint64 bad[20];
  int nbad = bad_addresses(bad, 0);
  int fd = open("ut_ptr", O_CREATE | O_TRUNC | O_RDWR);
  int fds[2];
  CHECK(fd >= 0 && pipe(fds) == 0, "setup failed");
  for(int i = 0; i < nbad; i++){
    CHECK(write(fd, (void *)bad[i], 10) == -1, "write to a file from %p did not fail",
          (void *)bad[i]);
    CHECK(write(fds[1], (void *)bad[i], 10) == -1, "write to a pipe from %p did not fail",
          (void *)bad[i]);
    CHECK(write(1, (void *)bad[i], 10) == -1, "write to the console from %p returned %d, not -1",
          (void *)bad[i], write(1, (void *)bad[i], 10));
  }
  CHECK(fsize(fd) == 0, "failed writes grew the file to %d bytes", fsize(fd));
  CHECK(write(fds[1], "ok", 2) == 2 && read(fds[0], buf, 100) == 2 && memcmp(buf, "ok", 2) == 0,
        "failed writes put data in the pipe");
  // Text is readable: writing from it is fine.
  CHECK(write(fd, (void *)text_target, 8) == 8, "write from the text segment failed");
  close(fd);
  close(fds[0]);
  close(fds[1]);
  unlink("ut_ptr");
}

// Lowest free fd (to check that failed calls leak none).
static int
lowest_free_fd(void)
{
  int fd = dup(0);
  CHECK(fd >= 0, "dup failed");
  close(fd);
  return fd;
}

// pipe() and fstat() refuse bad result pointers, leaking nothing.
static void
arg_ptr_pipe_fstat(void)
{
  static uint64 bad[20];
  int nbad = bad_addresses(bad, 1);
  int lowfd = lowest_free_fd();
  int f0 = freemem();
  for(int i = 0; i < nbad; i++)
    CHECK(pipe((int *)bad[i]) == -1, "pipe(%p) did not fail", (void *)bad[i]);
  CHECK(lowest_free_fd() == lowfd, "failed pipe() calls left descriptors open");
  CHECK(freemem() == f0, "failed pipe() calls leaked %d pages", f0 - freemem());
  int fd = open("/", O_RDONLY);
  for(int i = 0; i < nbad; i++)
    CHECK(fstat(fd, (struct stat *)bad[i]) == -1, "fstat into %p did not fail",
          (void *)bad[i]);
  close(fd);
}

// Every call that takes a path refuses a bad path pointer.
static void
arg_ptr_paths(void)
{
  static uint64 bad[20];
  int nbad = bad_addresses(bad, 0);
  make_file("ut_ptr", "x", 1);
  for(int i = 0; i < nbad; i++){
    char *p = (char *)bad[i];
    CHECK(open(p, O_RDONLY) == -1, "open(%p) did not fail", p);
    CHECK(open(p, O_CREATE | O_RDWR) == -1, "open(%p, O_CREATE) did not fail", p);
    CHECK(mkdir(p) == -1, "mkdir(%p) did not fail", p);
    CHECK(mknod(p, 1, 0) == -1, "mknod(%p) did not fail", p);
    CHECK(unlink(p) == -1, "unlink(%p) did not fail", p);
    CHECK(link(p, "ut_ptr2") == -1, "link(%p, ...) did not fail", p);
    CHECK(link("ut_ptr", p) == -1, "link(..., %p) did not fail", p);
    CHECK(chdir(p) == -1, "chdir(%p) did not fail", p);
  }
  CHECK(open("ut_ptr2", O_RDONLY) == -1, "a failed link created its new name");
  CHECK(nlink_of("ut_ptr") == 1, "failed links changed nlink to %d", nlink_of("ut_ptr"));
  unlink("ut_ptr");
}

// exec refuses a bad path, a bad argv array, and bad argument strings.
static void
arg_ptr_exec(void)
{
  static uint64 bad[20];
  static char *argv[3];
  int nbad = bad_addresses(bad, 0);
  argv[0] = "usertests";
  argv[1] = "--exec-probe";
  argv[2] = 0;
  for(int i = 0; i < nbad; i++){
    CHECK(exec((char *)bad[i], argv) == -1, "exec(%p, argv) did not fail", (void *)bad[i]);
    CHECK(exec("/usertests", (char **)bad[i]) == -1, "exec with argv = %p did not fail",
          (void *)bad[i]);
    argv[1] = (char *)bad[i];
    CHECK(exec("/usertests", argv) == -1, "exec with argv[1] = %p did not fail",
          (void *)bad[i]);
    argv[1] = "--exec-probe";
  }
}

// wait() refuses a bad status pointer and leaves the child for later.
static void
arg_ptr_wait(void)
{
  static uint64 bad[20];
  int nbad = bad_addresses(bad, 1);
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0)
    exit(7);
  for(int i = 0; i < nbad; i++){
    if(bad[i] == 0)
      continue;   // wait(0) means "no status wanted"
    CHECK(wait((int *)bad[i]) == -1, "wait(%p) did not fail", (void *)bad[i]);
  }
  int status;
  CHECK(wait(&status) == pid && status == 7, "the child was lost by the failed waits");
}

// Buffers and strings that run off the end of user memory.
static void
arg_ptr_crossing(void)
{
  align_break();
  char *top = sbrk(PGSIZE) + PGSIZE;   // memory ends here
  make_file("ut_cross", "0123456789abcdef", 16);
  int fd = open("ut_cross", O_RDWR);
  CHECK(fd >= 0, "setup failed");
  CHECK(read(fd, top - 10, 16) == -1, "a file read running off the end did not fail");
  CHECK(read(fd, top - 10, 10) == 10, "a file read up to the very end failed");
  int fds[2];
  CHECK(pipe(fds) == 0 && write(fds[1], "0123456789abcdef", 16) == 16, "pipe setup failed");
  CHECK(read(fds[0], top - 10, 16) == -1, "a pipe read running off the end did not fail");
  CHECK(read(fds[0], top - 16, 16) == 16, "a pipe read up to the very end failed");
  CHECK(write(fds[1], top - 10, 100) == -1, "a pipe write from past the end did not fail");
  CHECK(write(fd, top - 10, 100) == -1, "a file write from past the end did not fail");
  CHECK(fstat(fd, (struct stat *)(top - 8)) == -1, "fstat running off the end did not fail");
  CHECK(pipe((int *)(top - 4)) == -1, "pipe() with its array off the end did not fail");
  close(fd);
  close(fds[0]);
  close(fds[1]);

  // A string with no NUL before the end.
  memmove(top - 6, "ut_abc", 6);
  CHECK(open(top - 6, O_CREATE | O_RDWR) == -1, "open of an unterminated path did not fail");
  CHECK(mkdir(top - 6) == -1 && chdir(top - 6) == -1 && unlink(top - 6) == -1,
        "an unterminated path was accepted");
  CHECK(link("ut_cross", top - 6) == -1, "link to an unterminated path was accepted");
  CHECK(open("ut_abc", O_RDONLY) == -1, "an unterminated path created a file");
  static char *argv[] = { "usertests", "--exec-probe", 0 };
  CHECK(exec(top - 6, argv) == -1, "exec of an unterminated path did not fail");
  // argv whose array runs off the end without its 0.
  char **av = (char **)(top - sizeof(char *));
  av[0] = "usertests";
  CHECK(exec("/usertests", av) == -1, "exec with an unterminated argv did not fail");
  // argv[1] an unterminated string.
  memmove(top - 6, "ut_abc", 6);
  argv[1] = top - 6;
  CHECK(exec("/usertests", argv) == -1, "exec with an unterminated argument did not fail");

  int pid = fork();
  if(pid == 0)
    exit(3);
  CHECK(wait((int *)(top - 2)) == -1, "wait with its status off the end did not fail");
  CHECK(wait((int *)(top - 4)) == pid && *(int *)(top - 4) == 3,
        "wait with its status in the last 4 bytes failed");
  unlink("ut_cross");
}

// Negative lengths are refused.
static void
arg_negative_length(void)
{
  make_file("ut_neg", "abc", 3);
  int fd = open("ut_neg", O_RDWR);
  int fds[2];
  CHECK(fd >= 0 && pipe(fds) == 0, "setup failed");
  int lens[] = { -1, -4096, -2147483647 - 1 };
  for(int i = 0; i < NELEM(lens); i++){
    CHECK(read(fd, buf, lens[i]) == -1, "read of %d bytes did not fail", lens[i]);
    CHECK(write(fd, buf, lens[i]) == -1, "write of %d bytes did not fail", lens[i]);
    CHECK(read(fds[0], buf, lens[i]) == -1, "pipe read of %d bytes did not fail", lens[i]);
    CHECK(write(fds[1], buf, lens[i]) == -1, "pipe write of %d bytes did not fail", lens[i]);
    CHECK(write(1, buf, lens[i]) == -1, "console write of %d bytes did not fail", lens[i]);
  }
  CHECK(fsize(fd) == 3, "failed writes changed the file");
  close(fd);
  close(fds[0]);
  close(fds[1]);
  unlink("ut_neg");
}

// Run fn(arg) in a child and say whether it returned within `ticks`
// clock ticks: 1 if it did, 0 if it was still blocked then (the child is
// killed).  A second child is the timer; whichever of the two is done
// first writes its byte to a pipe first.  Reaps both; the caller must
// have no other children.
static int
returns_within(void (*fn)(uint64), uint64 arg, int ticks)
{
  int done[2];
  CHECK(pipe(done) == 0, "pipe failed");
  int worker = fork();
  CHECK(worker >= 0, "fork failed");
  if(worker == 0){
    close(done[0]);
    fn(arg);
    write(done[1], "R", 1);
    exit(0);
  }
  int timer = fork();
  CHECK(timer >= 0, "fork failed");
  if(timer == 0){
    close(done[0]);
    sleep(ticks);
    write(done[1], "T", 1);
    exit(0);
  }
  close(done[1]);
  char first = 0;
  CHECK(read(done[0], &first, 1) == 1, "neither the worker nor the timer wrote");
  close(done[0]);
  kill(worker);
  kill(timer);
  wait(0);
  wait(0);
  return first == 'R';
}

// read(fd, buf, 0), which must return 0 (checked by the caller's child).
static void
read_zero(uint64 fd)
{
  if(read(fd, buf, 0) != 0)
    FAIL("read of 0 bytes from fd %ld did not return 0", fd);
}

// Reads and writes of 0 bytes return 0 at once on every kind of
// descriptor -- an empty pipe whose writer is open, a pipe holding data,
// the console, a file, a directory -- and change nothing: no byte is
// consumed, the offset stays, the buffer is never touched (so even a bad
// pointer is fine).
static void
arg_zero_length(void)
{
  int p[2];
  CHECK(pipe(p) == 0, "pipe failed");
  CHECK(returns_within(read_zero, p[0], 300),
        "read of 0 bytes from an empty pipe (writer open) blocked");
  CHECK(write(p[1], buf, 0) == 0, "pipe write of 0 bytes did not return 0");
  CHECK(write(p[1], "ab", 2) == 2, "pipe write failed");
  CHECK(read(p[0], buf, 0) == 0, "pipe read of 0 bytes with data queued did not return 0");
  CHECK(read(p[0], (char *)KERNBASE, 0) == 0 && write(p[1], (char *)KERNBASE, 0) == 0,
        "pipe read/write of 0 bytes at a kernel address did not return 0");
  CHECK(read(p[0], buf, 5) == 2 && buf[0] == 'a' && buf[1] == 'b',
        "a pipe read of 0 bytes consumed data");
  close(p[0]);
  CHECK(write(p[1], buf, 0) == 0, "pipe write of 0 bytes with no reader did not return 0");
  close(p[1]);

  int con = open("console", O_RDWR);
  CHECK(con >= 0, "cannot open the console");
  CHECK(returns_within(read_zero, con, 300), "console read of 0 bytes blocked");
  CHECK(write(con, buf, 0) == 0 && write(con, (char *)KERNBASE, 0) == 0,
        "console write of 0 bytes did not return 0");
  close(con);

  make_file("ut_zero", "hello", 5);
  int fd = open("ut_zero", O_RDWR);
  CHECK(fd >= 0, "cannot open ut_zero");
  CHECK(read(fd, buf, 0) == 0 && write(fd, buf, 0) == 0,
        "file read/write of 0 bytes did not return 0");
  CHECK(read(fd, (char *)KERNBASE, 0) == 0 && write(fd, (char *)KERNBASE, 0) == 0,
        "file read/write of 0 bytes at a kernel address did not return 0");
  CHECK(read(fd, buf, 1) == 1 && buf[0] == 'h', "a 0-byte read or write moved the offset");
  CHECK(read(fd, buf, 10) == 4 && read(fd, buf, 0) == 0, "file read of 0 bytes at the end failed");
  CHECK(fsize(fd) == 5, "a 0-byte write changed the size");
  close(fd);
  unlink("ut_zero");

  fd = open(".", O_RDONLY);
  CHECK(fd >= 0 && read(fd, buf, 0) == 0, "directory read of 0 bytes did not return 0");
  close(fd);
}

// fstat fills every byte of struct stat, the padding between nlink and
// size included: the kernel once copied out 4 bytes of its own stack
// there.  Checked on a file, a directory and the console, after
// different calls have left different things on the kernel stack.
static void
arg_fstat_padding(void)
{
  static struct stat st;
  uint padstart = __builtin_offsetof(struct stat, nlink) + sizeof(st.nlink);
  uint padend = __builtin_offsetof(struct stat, size);
  CHECK(padend > padstart, "struct stat has no padding before size (layout changed?)");

  make_file("ut_pad", "x", 1);
  char *paths[] = { "ut_pad", ".", "console", "/README" };
  for(int round = 0; round < 4; round++){
    for(int i = 0; i < NELEM(paths); i++){
      int fd = open(paths[i], O_RDONLY);
      CHECK(fd >= 0, "cannot open %s", paths[i]);
      // Different kernel paths just before, to leave different stacks.
      if(round == 1)
        read(fd, buf, 0);
      if(round == 2)
        getpid();
      if(round == 3)
        stat("/", &st);
      memset(&st, 0xa5, sizeof(st));
      CHECK(fstat(fd, &st) == 0, "fstat of %s failed", paths[i]);
      close(fd);
      uchar *bytes = (uchar *)&st;
      for(uint k = padstart; k < padend; k++)
        CHECK(bytes[k] == 0, "fstat of %s left byte %d of struct stat (padding) as 0x%x",
              paths[i], k, bytes[k]);
    }
  }
  unlink("ut_pad");
}

// Descriptors that are not open are refused by every call.
static void
arg_bad_fd(void)
{
  int closed = lowest_free_fd();
  int bad[] = { -1, NOFILE, NOFILE + 1, 1000, -1000, closed };
  struct stat st;
  for(int i = 0; i < NELEM(bad); i++){
    int fd = bad[i];
    CHECK(read(fd, buf, 1) == -1, "read(%d) did not fail", fd);
    CHECK(write(fd, "x", 1) == -1, "write(%d) did not fail", fd);
    CHECK(fstat(fd, &st) == -1, "fstat(%d) did not fail", fd);
    CHECK(dup(fd) == -1, "dup(%d) did not fail", fd);
    CHECK(close(fd) == -1, "close(%d) did not fail", fd);
  }
}

// sys_sbrk with an unknown `how` fails and changes nothing.
static void
arg_sbrk_how(void)
{
  uint64 b = brk();
  int f0 = freemem();
  int hows[] = { 0, 3, 99, -1 };
  for(int i = 0; i < NELEM(hows); i++){
    CHECK(sys_sbrk(4096, hows[i]) == SBRK_ERROR, "sys_sbrk(4096, %d) did not fail", hows[i]);
    CHECK(sys_sbrk(-4096, hows[i]) == SBRK_ERROR, "sys_sbrk(-4096, %d) did not fail", hows[i]);
  }
  CHECK(brk() == b && freemem() == f0, "a refused sbrk changed the break or the free pages");
  CHECK(sys_sbrk(4096, SBRK_EAGER) == (char *)b, "sys_sbrk(4096, SBRK_EAGER) failed");
  CHECK(sys_sbrk(4096, SBRK_LAZY) == (char *)b + 4096, "sys_sbrk(4096, SBRK_LAZY) failed");
}

// mknod checks its device numbers.
static void
arg_mknod(void)
{
  unlink("ut_dev");
  CHECK(mknod("ut_dev", -1, 0) == -1, "mknod with major -1 succeeded");
  CHECK(mknod("ut_dev", NDEV, 0) == -1, "mknod with major NDEV succeeded");
  CHECK(open("ut_dev", O_RDONLY) == -1, "a refused mknod created a file");
  CHECK(mknod("ut_dev", NDEV - 1, 3) == 0, "mknod with a valid major failed");
  struct stat st;
  CHECK(stat("ut_dev", &st) == 0 && st.type == T_DEVICE, "mknod did not make a device");
  int fd = open("ut_dev", O_RDWR);
  if(fd >= 0){
    // No driver for that major: reads and writes fail, nothing crashes.
    CHECK(read(fd, buf, 1) == -1 && write(fd, "x", 1) == -1,
          "a device without a driver accepted I/O");
    close(fd);
  }
  CHECK(unlink("ut_dev") == 0, "unlink of the device failed");
}
// lab syscall: begin

// sysinfo(): -1 for memory the process may not write; freemem is the
// free pages in bytes and follows sbrk; nproc counts a child until its
// parent has waited for it.
static void
arg_sysinfo(void)
{
  struct sysinfo info;
  uint64 b = brk();
  CHECK(sysinfo((struct sysinfo *)0) == -1, "sysinfo into the program's text succeeded");
  CHECK(sysinfo((struct sysinfo *)(b - 8)) == -1, "sysinfo across the break succeeded");
  CHECK(sysinfo((struct sysinfo *)KERNBASE) == -1, "sysinfo into the kernel succeeded");
  CHECK(sysinfo((struct sysinfo *)MAXVA) == -1, "sysinfo at MAXVA succeeded");

  CHECK(sysinfo(&info) == 0, "sysinfo(&info) failed");
  CHECK(info.freemem == (uint64)freemem() * PGSIZE, "freemem %ld bytes, freemem() %d pages",
        info.freemem, freemem());
  uint64 f0 = info.freemem, n0 = info.nproc;
  CHECK(sbrk(PGSIZE) != SBRK_ERROR, "sbrk of a page failed");
  CHECK(sysinfo(&info) == 0 && info.freemem >= f0 - 2 * PGSIZE && info.freemem <= f0 - PGSIZE,
        "freemem went from %ld to %ld for one page", f0, info.freemem);
  sbrk(-PGSIZE);
  CHECK(sysinfo(&info) == 0 && info.freemem == f0, "freemem %ld after sbrk back, %ld before",
        info.freemem, f0);

  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    char c;
    close(fds[1]);
    read(fds[0], &c, 1);   // until the parent closes its write end
    exit(0);
  }
  CHECK(sysinfo(&info) == 0 && info.nproc == n0 + 1, "nproc %ld with a child, %ld before",
        info.nproc, n0);
  close(fds[0]);
  close(fds[1]);   // the child reads 0 and exits: a zombie until waited for
  sleep(2);
  CHECK(sysinfo(&info) == 0 && info.nproc == n0 + 1, "nproc %ld with a zombie child, %ld before",
        info.nproc, n0);
  wait(0);
  CHECK(sysinfo(&info) == 0 && info.nproc == n0, "nproc %ld once the child is reaped, %ld before",
        info.nproc, n0);
}
// lab syscall: end

// ---- The table --------------------------------------------------------------

struct test {
  char *name;
  char *group;
  int slow;              // QUICK, SLOW, HEAP or NAMED: -q runs QUICK only
  void (*fn)(void);
} tests[] = {
  { "sbrk-zero",         "memory",  HEAP,  mem_sbrk_zero },
  { "sbrk-unaligned",    "memory",  HEAP,  mem_sbrk_unaligned },
  { "sbrk-shrink-touch", "memory",  HEAP,  mem_shrink_then_touch },
  { "sbrk-too-big",      "memory",  HEAP,  mem_sbrk_too_big },
  { "sbrk-overshrink",   "memory",  HEAP,  mem_sbrk_overshrink },
  // lab lazy: begin lazy_tests
  { "sbrk-trapframe",    "memory",  HEAP,  mem_sbrk_trapframe },
  { "lazy-huge",         "memory",  HEAP,  mem_lazy_huge },
  { "lazy-syscall-buf",  "memory",  HEAP,  mem_lazy_syscall_buffers },
  { "lazy-fork",         "memory",  HEAP,  mem_lazy_fork },
  { "lazy-shrink",       "memory",  HEAP,  mem_lazy_shrink_partial },
  { "lazy-oom",          "memory",  SLOW,  mem_lazy_oom },
  // lab lazy: end
  { "sbrk-concurrent",   "memory",  HEAP,  mem_sbrk_concurrent },
  { "exec-frees-image",  "memory",  HEAP,  mem_exec_frees_image },

  { "fork-isolation",    "fork",    HEAP,  fork_isolation },
  { "fork-big-heap",     "fork",    HEAP,  fork_big_heap },
  { "fork-exec",         "fork",    HEAP,  fork_then_exec },
  { "fork-copyout",      "fork",    HEAP,  fork_copyout },
  { "fork-oom",          "fork",    SLOW,  fork_out_of_memory },
  { "fork-pipe",         "fork",    HEAP,  fork_pipe },

  { "text-write",        "protect", QUICK, prot_text_write },
  { "no-exec",           "protect", HEAP,  prot_no_exec },
  { "stack-guard",       "protect", QUICK, prot_stack_guard },
  { "kernel-memory",     "protect", QUICK, prot_kernel_memory },
  { "top-pages",         "protect", QUICK, prot_top_pages },
  { "beyond-break",      "protect", HEAP,  prot_beyond_break },

  { "exit-status",       "process", QUICK, proc_exit_status },
  { "wait-no-child",     "process", QUICK, proc_wait_no_child },
  { "fork-copy",         "process", HEAP,  proc_fork_copy },
  { "fork-limit",        "process", QUICK, proc_fork_limit },
  { "kill",              "process", QUICK, proc_kill },
  { "orphan",            "process", QUICK, proc_orphan },
  { "sleep-uptime",      "process", QUICK, proc_sleep_uptime },
  { "getpid-distinct",   "process", QUICK, proc_getpid_distinct },
  { "exec-args",         "process", QUICK, proc_exec_args },
  { "exec-bad",          "process", QUICK, proc_exec_bad },
  { "kill-zombie",       "process", QUICK, proc_kill_zombie },
  { "exec-concurrent",   "process", QUICK, proc_exec_concurrent },

  { "file-basic",        "file",    QUICK, file_basic },
  { "file-indirect",     "file",    QUICK, file_indirect },
  { "file-maxfile",      "file",    SLOW,  file_maxfile },
  { "disk-full",         "file",    SLOW,  file_disk_full },
  { "dir-many",          "file",    SLOW,  file_many_in_dir },
  { "dir-paths",         "file",    QUICK, file_dir_paths },
  { "link-counts",       "file",    QUICK, file_link_counts },
  { "unlink-open",       "file",    QUICK, file_unlink_open },
  { "open-trunc",        "file",    QUICK, file_trunc },
  { "open-modes",        "file",    QUICK, file_open_modes },
  { "file-concurrent",   "file",    QUICK, file_concurrent },
  { "path-maxpath",      "file",    QUICK, file_path_maxpath },
  { "dup-offset",        "file",    QUICK, file_dup_offset },
  { "fork-offset",       "file",    QUICK, file_fork_offset },
  { "fd-limit",          "file",    QUICK, file_fd_limit },
  { "cache-storm",       "file",    QUICK, file_cache_storm },

  { "pipe-order",        "pipe",    QUICK, pipe_order },
  { "pipe-eof",          "pipe",    QUICK, pipe_eof },
  { "pipe-no-reader",    "pipe",    QUICK, pipe_no_reader },
  { "pipe-chain",        "pipe",    QUICK, pipe_chain },
  { "pipe-many-writers", "pipe",    QUICK, pipe_many_writers },
  { "pipe-kill-reader",  "pipe",    QUICK, pipe_kill_reader },

  { "ptr-read",          "sysarg",  QUICK, arg_ptr_read },
  { "ptr-write",         "sysarg",  HEAP,  arg_ptr_write },
  { "ptr-pipe-fstat",    "sysarg",  QUICK, arg_ptr_pipe_fstat },
  { "ptr-paths",         "sysarg",  HEAP,  arg_ptr_paths },
  { "ptr-exec",          "sysarg",  HEAP,  arg_ptr_exec },
  { "ptr-wait",          "sysarg",  QUICK, arg_ptr_wait },
  { "ptr-crossing",      "sysarg",  HEAP,  arg_ptr_crossing },
  { "negative-length",   "sysarg",  QUICK, arg_negative_length },
  { "zero-length",       "sysarg",  QUICK, arg_zero_length },
  { "fstat-padding",     "sysarg",  QUICK, arg_fstat_padding },
  { "bad-fd",            "sysarg",  QUICK, arg_bad_fd },
  { "sbrk-how",          "sysarg",  HEAP,  arg_sbrk_how },
  { "mknod-args",        "sysarg",  QUICK, arg_mknod },
  // lab syscall: begin
  { "sysinfo",           "sysarg",  QUICK, arg_sysinfo },
  // lab syscall: end
};

#define NTESTS NELEM(tests)

// ---- xv6's test names -------------------------------------------------------
//
// Lab handouts and MIT's graders run single tests of xv6's usertests by
// name (`usertests forkforkfork`) and look for "test NAME: OK".  Every
// name xv6's usertests has had (the 2022 to 2025 editions) is accepted
// here.  Where a test of the table above checks what the name stands
// for, the name runs that test; for the other names the tests below
// were written.  They run when named, or all together as the group
// "xv6" (`usertests -q xv6` leaves out the slow ones); a plain
// `usertests` runs only the table above.

// Fork a child that runs fn(arg) and exits 0 if fn returns; returns its
// pid at once, without waiting.
static int
start_child(void (*fn)(uint64), uint64 arg)
{
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    fn(arg);
    exit(0);
  }
  return pid;
}

// Like run_in_child, but also wait until every descendant of the child
// has exited: they all inherit the write end of a pipe, whose read end
// sees end of file when the last of them is gone.  Their slots in the
// process table are then free, or about to be (init reaps zombies).
static int
run_family(void (*fn)(uint64), uint64 arg)
{
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    close(fds[0]);
    fn(arg);
    exit(0);
  }
  close(fds[1]);
  int status = 12345;
  CHECK(wait(&status) == pid, "wait did not return the child's pid");
  char c;
  while(read(fds[0], &c, 1) > 0)
    ;
  close(fds[0]);
  return status;
}

// Does path name something that exists?
static int
exists(char *path)
{
  int fd = open(path, O_RDONLY);
  if(fd < 0)
    return 0;
  close(fd);
  return 1;
}

// Memory just given back with sbrk is no buffer for read or write.
static void
xv6_rwsbrk(void)
{
  uint64 a = align_break();
  CHECK(sbrk(2 * PGSIZE) != SBRK_ERROR, "sbrk of two pages failed");
  CHECK(sbrk(-2 * PGSIZE) != SBRK_ERROR, "giving the two pages back failed");
  make_file("ut_rwsbrk", "ten bytes!", 10);
  int fd = open("ut_rwsbrk", O_RDWR);
  CHECK(fd >= 0, "cannot open ut_rwsbrk");
  CHECK(write(fd, (char *)a + PGSIZE, 64) == -1, "a write from memory given back succeeded");
  CHECK(read(fd, (char *)a + PGSIZE, 10) == -1, "a read into memory given back succeeded");
  CHECK(read(fd, buf, 10) == 10 && memcmp(buf, "ten bytes!", 10) == 0,
        "the failed calls changed the file or its offset");
  close(fd);
  unlink("ut_rwsbrk");
}

// Truncating a file that another descriptor has open: that descriptor
// then reads the file as it now is.
static void
xv6_truncate1(void)
{
  make_file("ut_tr1", "1234", 4);
  int rfd = open("ut_tr1", O_RDONLY);
  int wfd = open("ut_tr1", O_WRONLY | O_TRUNC);
  CHECK(rfd >= 0 && wfd >= 0, "cannot open ut_tr1 twice");
  int n = read(rfd, buf, sizeof(buf));
  CHECK(n == 0, "after O_TRUNC by another open, a read returned %d bytes, not 0", n);
  CHECK(write(wfd, "abcdef", 6) == 6, "writing the truncated file failed");
  n = read(rfd, buf, sizeof(buf));
  CHECK(n == 6 && memcmp(buf, "abcdef", 6) == 0,
        "the other descriptor read %d bytes, not the 6 written since", n);
  close(rfd);
  close(wfd);
  unlink("ut_tr1");
}

// A descriptor whose offset lies past the end after another open
// truncated the file: writing through it fails (files have no holes) and
// leaves the file empty.
static void
xv6_truncate2(void)
{
  int fd1 = open("ut_tr2", O_CREATE | O_TRUNC | O_WRONLY);
  CHECK(fd1 >= 0 && write(fd1, "abcd", 4) == 4, "cannot write ut_tr2");
  int fd2 = open("ut_tr2", O_WRONLY | O_TRUNC);
  CHECK(fd2 >= 0, "cannot open ut_tr2 again");
  CHECK(write(fd1, "x", 1) == -1, "a write at offset 4 of an empty file succeeded");
  CHECK(fsize(fd2) == 0, "the file is %d bytes long, not 0", fsize(fd2));
  close(fd1);
  close(fd2);
  unlink("ut_tr2");
}

// (See xv6_truncate3.)
static void
truncate3_writer(uint64 unused)
{
  for(int i = 0; i < 60; i++){
    int fd = open("ut_tr3", O_WRONLY);
    CHECK(fd >= 0, "the writer cannot open ut_tr3");
    CHECK(write(fd, "wwwwwwwwww", 10) == 10, "the writer's write failed");
    close(fd);
  }
}

// One process truncates and rewrites a file while another writes it:
// every read sees only bytes someone wrote, never more than was written.
static void
xv6_truncate3(void)
{
  make_file("ut_tr3", "", 0);
  int pid = start_child(truncate3_writer, 0);
  for(int i = 0; i < 60; i++){
    int fd = open("ut_tr3", O_RDWR | O_TRUNC);
    CHECK(fd >= 0, "cannot truncate ut_tr3");
    CHECK(write(fd, "tttt", 4) == 4, "write after truncating failed");
    close(fd);
    int n = slurp("ut_tr3");
    CHECK(n >= 0 && n <= 10, "the file is %d bytes long; at most 10 were written since "
          "a truncation", n);
    for(int k = 0; k < n; k++)
      CHECK(buf2[k] == 't' || buf2[k] == 'w', "byte %d of the file is %d, which nobody wrote",
            k, buf2[k]);
  }
  int status;
  CHECK(wait(&status) == pid && status == 0, "the writer failed (status %d)", status);
  unlink("ut_tr3");
}

// Opening a directory while another process removes it: the open finds
// it or not, the removal works, and afterwards the name is gone.
static void
xv6_openiput(void)
{
  for(int i = 0; i < 20; i++){
    CHECK(mkdir("ut_oi") == 0, "mkdir ut_oi failed");
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0)
      exit(unlink("ut_oi") == 0 ? 0 : 1);
    int fd = open("ut_oi", O_RDONLY);
    if(fd >= 0)
      close(fd);
    int status;
    CHECK(wait(&status) == pid && status == 0, "unlink of the empty directory failed "
          "while it was being opened");
    CHECK(!exists("ut_oi"), "the removed directory still opens");
  }
}

// (See xv6_exitiput.)
static void
leave_removed_dir(uint64 stay)
{
  CHECK(mkdir("ut_rmcwd") == 0 && chdir("ut_rmcwd") == 0, "cannot make and enter ut_rmcwd");
  CHECK(unlink("../ut_rmcwd") == 0, "unlink of the (empty) working directory failed");
  if(!stay)
    CHECK(chdir("/") == 0, "chdir / out of a removed directory failed");
}

// Ten rounds of a child that removes its working directory, then either
// exits there (stay) or goes to / first; each round must end cleanly
// and leave nothing behind.
static void
removed_cwd_rounds(int stay)
{
  for(int i = 0; i < 10; i++){
    int status = run_in_child(leave_removed_dir, stay);
    CHECK(status == 0, "the child failed (status %d)", status);
    CHECK(!exists("ut_rmcwd"), "the removed directory is still there");
  }
}

// A process whose working directory has been removed exits cleanly: its
// exit drops the last reference to the directory.
static void
xv6_exitiput(void)
{
  removed_cwd_rounds(1);
}

// A process can remove the directory it is in and then go elsewhere.
static void
xv6_iput(void)
{
  removed_cwd_rounds(0);
}

// open finds a file that exists and fails on one that does not.
static void
xv6_opentest(void)
{
  make_file("ut_open", "x", 1);
  int fd = open("ut_open", O_RDONLY);
  CHECK(fd >= 0, "an existing file did not open");
  close(fd);
  CHECK(open("ut_open_missing", O_RDONLY) == -1, "a missing file opened");
  CHECK(open("ut_nodir/ut_open", O_RDONLY) == -1, "a file in a missing directory opened");
  unlink("ut_open");
}

// Many small writes, then many small reads, of one file.
static void
xv6_writetest(void)
{
  char rec[10];
  int fd = open("ut_small", O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create ut_small");
  for(int i = 0; i < 100; i++){
    memmove(rec, "record....", 10);
    rec[7] = '0' + i / 10;
    rec[8] = '0' + i % 10;
    CHECK(write(fd, rec, 10) == 10, "write of record %d failed", i);
  }
  close(fd);
  fd = open("ut_small", O_RDONLY);
  CHECK(fd >= 0, "cannot reopen ut_small");
  for(int i = 0; i < 100; i++){
    CHECK(read(fd, rec, 10) == 10, "read of record %d failed", i);
    CHECK(rec[7] == '0' + i / 10 && rec[8] == '0' + i % 10, "record %d reads back wrong", i);
  }
  CHECK(read(fd, rec, 10) == 0, "more than 100 records");
  close(fd);
  CHECK(unlink("ut_small") == 0, "unlink failed");
}

// Files created by the dozen and removed again.
static void
xv6_createtest(void)
{
  char name[16];
  for(int i = 0; i < 52; i++){
    numbered(name, "ut_cr", i);
    int fd = open(name, O_CREATE | O_RDWR);
    CHECK(fd >= 0, "cannot create %s", name);
    close(fd);
  }
  for(int i = 0; i < 52; i++){
    numbered(name, "ut_cr", i);
    CHECK(unlink(name) == 0, "cannot remove %s", name);
    CHECK(!exists(name), "%s exists after unlink", name);
  }
}

// mkdir, chdir into it and out, unlink: then it is gone.
static void
xv6_dirtest(void)
{
  CHECK(mkdir("ut_dir") == 0, "mkdir failed");
  CHECK(chdir("ut_dir") == 0, "chdir into the new directory failed");
  CHECK(chdir("..") == 0, "chdir .. failed");
  CHECK(unlink("ut_dir") == 0, "unlink of the empty directory failed");
  CHECK(chdir("ut_dir") == -1, "chdir into the removed directory succeeded");
}

// exec runs a program: echo, its output sent to a file, prints what it
// was given.
static void
xv6_exectest(void)
{
  unlink("ut_exec");
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0){
    close(1);
    if(open("ut_exec", O_CREATE | O_WRONLY) != 1)
      exit(2);
    char *argv[] = { "echo", "OK", "from", "exec", 0 };
    exec("/echo", argv);
    exit(3);
  }
  int status;
  CHECK(wait(&status) == pid, "wait failed");
  CHECK(status == 0, "the child exited %d (2: no file, 3: exec failed)", status);
  int n = slurp("ut_exec");
  CHECK(n == 13 && memcmp(buf2, "OK from exec\n", 13) == 0, "echo wrote \"%s\"", buf2);
  unlink("ut_exec");
}

// (See xv6_killzero.)
static void
sleep_then_exit7(uint64 unused)
{
  sleep(10);
  exit(7);
}

// kill(0) and kill(-1) name no process: they fail, and kill nobody (not
// the caller, not its child).
static void
xv6_killzero(void)
{
  int pid = start_child(sleep_then_exit7, 0);
  CHECK(kill(0) == -1, "kill(0) succeeded");
  CHECK(kill(-1) == -1, "kill(-1) succeeded");
  int status;
  CHECK(wait(&status) == pid && status == 7, "the child exited %d, not 7", status);
}

// (See xv6_preempt.)
static void
spin_after_byte(uint64 fd)
{
  CHECK(write(fd, "r", 1) == 1, "the spinning child's write failed");
  spin_forever(0);
}

// Processes that never give up the CPU do not starve the others: with
// three children spinning, the parent still runs, hears from one of
// them through a pipe, and kills them all.
static void
xv6_preempt(void)
{
  int fds[2], pids[3];
  CHECK(pipe(fds) == 0, "pipe failed");
  pids[0] = start_child(spin_forever, 0);
  pids[1] = start_child(spin_forever, 0);
  pids[2] = start_child(spin_after_byte, fds[1]);
  close(fds[1]);
  char c;
  CHECK(read(fds[0], &c, 1) == 1 && c == 'r', "no byte from the spinning child");
  close(fds[0]);
  for(int i = 0; i < 3; i++)
    CHECK(kill(pids[i]) == 0, "kill of a spinning child failed");
  for(int i = 0; i < 3; i++){
    int status;
    CHECK(wait(&status) > 0 && status == -1, "a killed child exited %d, not -1", status);
  }
}

// (See xv6_reparent.)
static void
fork_and_exit(uint64 unused)
{
  int pid = fork();
  CHECK(pid >= 0, "the child's fork failed");
  if(pid == 0)
    exit(0);
}

// Hundreds of times over: a child forks and exits at once, leaving its
// own child to init.  No round may fail for want of a process slot.
static void
xv6_reparent(void)
{
  for(int i = 0; i < 200; i++){
    int status = run_family(fork_and_exit, 0);
    CHECK(status == 0, "round %d: the child failed (status %d)", i, status);
  }
}

// Two children at a time, over and over.
static void
xv6_twochildren(void)
{
  for(int i = 0; i < 300; i++){
    int a = fork();
    CHECK(a >= 0, "round %d: first fork failed", i);
    if(a == 0)
      exit(0);
    int b = fork();
    CHECK(b >= 0, "round %d: second fork failed", i);
    if(b == 0)
      exit(0);
    int w1 = wait(0), w2 = wait(0);
    CHECK((w1 == a && w2 == b) || (w1 == b && w2 == a), "round %d: wait returned %d and %d, "
          "not %d and %d", i, w1, w2, a, b);
  }
}

// (See xv6_forkfork.)
static void
fork_many(uint64 rounds)
{
  for(int i = 0; i < rounds; i++){
    int pid = fork();
    CHECK(pid >= 0, "fork %d failed", i);
    if(pid == 0)
      exit(0);
    CHECK(wait(0) == pid, "wait did not return the child");
  }
}

// Several processes fork at the same time, many times each.
static void
xv6_forkfork(void)
{
  for(int i = 0; i < 4; i++)
    start_child(fork_many, 150);
  wait_all_ok(4, "a forking child");
}

#define BOMB_STOP "ut_fff_stop"

// (See xv6_forkforkfork.)  Every process of the bomb forks until the
// stop file appears; when the table is full its forks fail and it
// waits a tick.
static void
bomb(uint64 unused)
{
  while(!exists(BOMB_STOP)){
    if(fork() < 0)
      sleep(1);
  }
}

// A fork bomb, stopped after a second: the kernel survives running out
// of processes, and afterwards every process is gone (every page free
// again).
static void
xv6_forkforkfork(void)
{
  unlink(BOMB_STOP);
  int before = freemem();
  int pid = start_child(bomb, 0);
  sleep(100);
  make_file(BOMB_STOP, "", 0);
  int status;
  CHECK(wait(&status) == pid && status == 0, "the bomb's first process failed (status %d)",
        status);
  int after = settle_freemem(before);
  unlink(BOMB_STOP);
  CHECK(after == before, "%d free pages before the bomb, %d after", before, after);
}

// (See xv6_reparent2.)
static void
leave_busy_children(uint64 unused)
{
  for(int i = 0; i < 2; i++){
    int pid = fork();
    CHECK(pid >= 0, "fork failed");
    if(pid == 0){
      // Outlive the parent, and fork once more meanwhile.
      if(fork() == 0)
        exit(0);
      sleep(1);
      exit(0);
    }
  }
}

// Many parents exit while their children still run and fork: all are
// handed to init and reaped, and no page is lost.
static void
xv6_reparent2(void)
{
  int before = freemem();
  for(int i = 0; i < 50; i++){
    int status = run_family(leave_busy_children, 0);
    CHECK(status == 0, "round %d: the child failed (status %d)", i, status);
  }
  int after = settle_freemem(before);
  CHECK(after == before, "%d free pages before, %d after", before, after);
}

// (See xv6_mem.)
static void
malloc_all(uint64 unused)
{
  void *list = 0;
  int n = 0;
  char *p;
  while((p = malloc(10000)) != 0){
    *(void **)p = list;
    p[9999] = 1;
    list = p;
    n++;
  }
  CHECK((long)n * 10000 >= 8 * MB, "malloc gave up after %d blocks of 10000 bytes", n);
  while(list){
    p = list;
    list = *(void **)p;
    free(p);
  }
  p = malloc(10000 * 100);
  CHECK(p != 0, "after freeing everything, malloc of 1 MB failed");
  free(p);
}

// malloc hands out memory until there is none, then returns 0; free
// gives it back for use again; when the process exits every page is
// free again.
static void
xv6_mem(void)
{
  int before = freemem();
  int status = run_in_child(malloc_all, 0);
#ifdef LAB_LAZY
  // In the lazy lab's tree malloc grows the heap lazily (user/ulib.c):
  // there the child runs out of memory at a page fault instead, and the
  // kernel kills it.
  CHECK(status == 0 || status == -1, "the child failed (status %d)", status);
#else
  CHECK(status == 0, "the child failed (status %d)", status);
#endif
  int after = settle_freemem(before);
  CHECK(after == before, "%d free pages before, %d after", before, after);
}

// (See xv6_createdelete.)
static void
create_then_delete_even(uint64 c)
{
  char name[16];
  for(int i = 0; i < 20; i++){
    numbered(name, "ut_cd", c * 100 + i);
    int fd = open(name, O_CREATE | O_RDWR);
    CHECK(fd >= 0, "cannot create %s", name);
    close(fd);
    if(i % 2 == 1){
      numbered(name, "ut_cd", c * 100 + i - 1);
      CHECK(unlink(name) == 0, "cannot remove %s", name);
    }
  }
}

// Four processes create and remove files in one directory at once, each
// its own names: afterwards exactly the files that should exist do.
static void
xv6_createdelete(void)
{
  char name[16];
  for(int c = 0; c < 4; c++)
    start_child(create_then_delete_even, c);
  wait_all_ok(4, "a creating child");
  for(int c = 0; c < 4; c++){
    for(int i = 0; i < 20; i++){
      numbered(name, "ut_cd", c * 100 + i);
      CHECK(exists(name) == (i % 2 == 1), "%s %s", name,
            i % 2 ? "is missing" : "was removed but exists");
      unlink(name);
    }
  }
}

// (See xv6_concreate.)
static void
race_on_names(uint64 k)
{
  char name[16];
  for(int i = 0; i < 60; i++){
    numbered(name, "ut_cc", i % 8);
    int fd;
    switch((i + k) % 3){
    case 0:
      unlink(name);
      break;
    case 1:
      fd = open(name, O_CREATE | O_RDWR);
      if(fd >= 0)
        close(fd);
      break;
    default:
      link("ut_cc_src", name);
      break;
    }
  }
}

// Three processes race to create, link and remove the same eight names.
// Each call works or fails cleanly; every name left over is an empty
// file or the link, and can be removed.
static void
xv6_concreate(void)
{
  char name[16];
  make_file("ut_cc_src", "source", 6);
  for(int k = 0; k < 3; k++)
    start_child(race_on_names, k);
  wait_all_ok(3, "a racing child");
  for(int i = 0; i < 8; i++){
    numbered(name, "ut_cc", i);
    if(!exists(name))
      continue;
    int n = slurp(name);
    CHECK(n == 0 || (n == 6 && memcmp(buf2, "source", 6) == 0),
          "%s holds %d bytes, neither an empty file nor the link", name, n);
    CHECK(unlink(name) == 0, "cannot remove %s", name);
  }
  CHECK(nlink_of("ut_cc_src") == 1, "the source has %d links left, not 1",
        nlink_of("ut_cc_src"));
  unlink("ut_cc_src");
}

// (See xv6_linkunlink.)
static void
link_or_unlink(uint64 linking)
{
  for(int i = 0; i < 200; i++){
    if(linking)
      link("ut_lu_src", "ut_lu");
    else
      unlink("ut_lu");
  }
}

// One process links a name while another removes it, 200 times each:
// afterwards the link count matches whether the name exists.
static void
xv6_linkunlink(void)
{
  make_file("ut_lu_src", "x", 1);
  unlink("ut_lu");
  start_child(link_or_unlink, 1);
  start_child(link_or_unlink, 0);
  wait_all_ok(2, "a child");
  int want = exists("ut_lu") ? 2 : 1;
  CHECK(nlink_of("ut_lu_src") == want, "nlink is %d, but the name %s", nlink_of("ut_lu_src"),
        want == 2 ? "exists" : "is gone");
  unlink("ut_lu");
  unlink("ut_lu_src");
}

// Writes of many sizes, each one call: the file is as long as what was
// written.
static void
xv6_bigwrite(void)
{
  static int sizes[] = { 1, 511, 512, 1023, 1024, 1025, 3000, 4096, 7000, 10000, 16384 };
  for(int i = 0; i < NELEM(sizes); i++){
    int fd = open("ut_bw", O_CREATE | O_TRUNC | O_RDWR);
    CHECK(fd >= 0, "cannot create ut_bw");
    for(int k = 0; k < 2; k++)
      CHECK(write(fd, buf, sizes[i]) == sizes[i], "a write of %d bytes fell short", sizes[i]);
    CHECK(fsize(fd) == 2 * sizes[i], "after two writes of %d bytes the file has %d",
          sizes[i], fsize(fd));
    close(fd);
  }
  unlink("ut_bw");
}

#define NAME14 "abcdefghijklmn"       // DIRSIZ characters
#define NAME15 "abcdefghijklmno"      // one more: cut to NAME14

// Names of DIRSIZ (14) characters work for directories and files, and a
// longer name means its first 14 characters.
static void
xv6_fourteen(void)
{
  CHECK(mkdir(NAME14) == 0, "mkdir of a 14-character name failed");
  CHECK(mkdir(NAME14 "/" NAME14) == 0, "mkdir of a 14-character name inside it failed");
  make_file(NAME15 "/" NAME15 "/" NAME15, "fourteen", 8);
  CHECK(slurp(NAME14 "/" NAME14 "/" NAME14) == 8 && strcmp(buf2, "fourteen") == 0,
        "a file made through 15-character names is not found by their first 14");
  CHECK(mkdir(NAME15 "/" NAME14) == -1, "mkdir of an existing directory (named with 15 "
        "characters) succeeded");
  CHECK(unlink(NAME14 "/" NAME14 "/" NAME14) == 0 && unlink(NAME14 "/" NAME14) == 0 &&
        unlink(NAME14) == 0, "cleaning up failed");
}

// (See xv6_rmdot.)
static void
remove_dots_inside(uint64 unused)
{
  CHECK(chdir("ut_rd") == 0, "chdir ut_rd failed");
  CHECK(unlink(".") == -1, "unlink(\".\") succeeded");
  CHECK(unlink("..") == -1, "unlink(\"..\") succeeded");
  CHECK(unlink("./.") == -1 && unlink("..//.") == -1, "unlink of a path ending in . succeeded");
}

// "." and ".." cannot be removed, nor a directory holding a file; once
// emptied it can.
static void
xv6_rmdot(void)
{
  CHECK(mkdir("ut_rd") == 0, "mkdir failed");
  CHECK(run_in_child(remove_dots_inside, 0) == 0, "removing dots inside the directory");
  make_file("ut_rd/f", "f", 1);
  CHECK(unlink("ut_rd") == -1, "unlink of a directory holding a file succeeded");
  CHECK(unlink("ut_rd/f") == 0, "unlink of the file failed");
  CHECK(unlink("ut_rd") == 0, "unlink of the emptied directory failed");
}

// A file is no directory: paths through it fail, and so does chdir to
// it; and a directory cannot be opened for writing.
static void
xv6_dirfile(void)
{
  make_file("ut_df", "x", 1);
  CHECK(open("ut_df/x", O_CREATE | O_RDWR) == -1, "a file was created inside a file");
  CHECK(open("ut_df/x", O_RDONLY) == -1, "a path through a file opened");
  CHECK(mkdir("ut_df/x") == -1, "mkdir inside a file succeeded");
  CHECK(chdir("ut_df") == -1, "chdir to a file succeeded");
  CHECK(unlink("ut_df/x") == -1, "unlink inside a file succeeded");
  CHECK(link("ut_df", "ut_df/x") == -1, "link inside a file succeeded");
  CHECK(open(".", O_RDWR) == -1 && open(".", O_WRONLY) == -1, ". opened for writing");
  CHECK(unlink("ut_df") == 0, "cleanup failed");
}

#define IREF_DEPTH (NINODE + 10)

// (See xv6_iref.)
static void
descend_and_climb(uint64 unused)
{
  for(int i = 0; i < IREF_DEPTH; i++){
    CHECK(mkdir("ut_ir") == 0, "mkdir at depth %d failed", i);
    CHECK(chdir("ut_ir") == 0, "chdir at depth %d failed", i);
    make_file("f", "", 0);
    CHECK(unlink("f") == 0, "unlink at depth %d failed", i);
  }
  for(int i = 0; i < IREF_DEPTH; i++){
    CHECK(chdir("..") == 0 && unlink("ut_ir") == 0, "climbing out failed at depth %d",
          IREF_DEPTH - i);
  }
}

// More nested directories than the kernel holds inodes in memory
// (NINODE), each entered in turn: the references to the ones left
// behind are dropped, so inodes never run out.
static void
xv6_iref(void)
{
  int status = run_in_child(descend_and_climb, 0);
  CHECK(status == 0, "the child failed (status %d)", status);
  CHECK(!exists("ut_ir"), "ut_ir was left behind");
}

// (See xv6_sbrkbasic.)
static void
change_heap_copy(uint64 p)
{
  char *a = (char *)p;
  for(int i = 0; i < 1000; i++)
    CHECK(a[i] == (char)i, "the child's copy differs at byte %d", i);
  memset(a, 'c', 1000);
}

// sbrk in steps of one byte: each call returns the old break, the byte
// is usable at once, and a forked child gets a copy, not a share.
static void
xv6_sbrkbasic(void)
{
  char *a = sbrk(0);
  for(int i = 0; i < 1000; i++){
    char *p = sbrk(1);
    CHECK(p == a + i, "sbrk(1) number %d returned %p, not %p", i, p, a + i);
    *p = i;
  }
  CHECK(run_in_child(change_heap_copy, (uint64)a) == 0, "the child's copy was wrong");
  for(int i = 0; i < 1000; i++)
    CHECK(a[i] == (char)i, "the child's writes reached the parent at byte %d", i);
  CHECK(sbrk(-1000) == a + 1000, "giving the bytes back failed");
}

// A large heap (32 MiB) works to its last byte; giving back the top page
// unmaps it, and growing again brings it back zeroed.
static void
xv6_sbrkmuch(void)
{
  char *a = (char *)align_break();
  long big = 32 * MB;
  CHECK(sbrk(big) == a, "sbrk of 32 MiB failed");
  for(long off = 0; off < big; off += PGSIZE)
    a[off] = 1;
  char *last = a + big - 1;
  *last = 99;
  CHECK(sbrk(-PGSIZE) == a + big, "giving back the top page failed");
  expect_killed(load_at, (uint64)last, "a load from the page given back");
  CHECK(sbrk(PGSIZE) == a + big - PGSIZE, "growing by a page again failed");
  CHECK_ZEROED(*last == 0, "the page given back and grown again is not zeroed");
  CHECK(sbrk(-big) == a + big, "giving back 32 MiB failed");
}

// Loads and stores at MAXVA and at every power of two above it fault.
static void
xv6_MAXVAplus(void)
{
  for(uint64 a = MAXVA; a != 0; a <<= 1){
    expect_killed(store_at, a, "a store above MAXVA");
    expect_killed(load_at, a, "a load above MAXVA");
  }
}

// (See xv6_sbrkfail.)
static void
take_all_memory(uint64 fd)
{
  int n = 0;
  while(sbrk(MB) != SBRK_ERROR)
    n++;
  CHECK(write(fd, &n, sizeof(n)) == sizeof(n), "cannot report to the parent");
  for(;;)
    sleep(100);
}

// Five processes take all the memory there is: sbrk then fails cleanly,
// and once they are killed every page is free again and sbrk works.
static void
xv6_sbrkfail(void)
{
  int fds[2], pids[5], total = 0;
  int before = freemem();
  CHECK(pipe(fds) == 0, "pipe failed");
  for(int i = 0; i < 5; i++)
    pids[i] = start_child(take_all_memory, fds[1]);
  for(int i = 0; i < 5; i++){
    int n;
    CHECK(read(fds[0], &n, sizeof(n)) == sizeof(n), "a child did not report");
    total += n;
  }
  CHECK(total * MB >= 32 * MB, "the children got only %d MiB in all", total);
  CHECK(sbrk(4 * MB) == SBRK_ERROR, "sbrk of 4 MiB worked with all memory taken");
  for(int i = 0; i < 5; i++)
    kill(pids[i]);
  for(int i = 0; i < 5; i++)
    wait(0);
  close(fds[0]);
  close(fds[1]);
  int after = settle_freemem(before);
  CHECK(after == before, "%d free pages before, %d after", before, after);
  char *p = sbrk(4 * MB);
  CHECK(p != SBRK_ERROR, "sbrk of 4 MiB failed after the memory came back");
  p[4 * MB - 1] = 1;
  sbrk(-4 * MB);
}

// Memory fresh from sbrk is a good buffer for system calls at once.
static void
xv6_sbrkarg(void)
{
  char *a = sbrk(PGSIZE);
  CHECK(a != SBRK_ERROR, "sbrk failed");
  for(int i = 0; i < PGSIZE; i++)
    a[i] = pattern(i);
  int fd = open("ut_sbrkarg", O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create ut_sbrkarg");
  CHECK(write(fd, a, PGSIZE) == PGSIZE, "a write from fresh heap failed");
  close(fd);
  char *b = sbrk(PGSIZE);
  CHECK(b != SBRK_ERROR, "sbrk failed");
  fd = open("ut_sbrkarg", O_RDONLY);
  CHECK(fd >= 0 && read(fd, b, PGSIZE) == PGSIZE, "a read into fresh heap failed");
  check_pattern(b, PGSIZE, "read into fresh heap");
  close(fd);
  int *fds = (int *)sbrk(PGSIZE);
  CHECK((char *)fds != SBRK_ERROR && pipe(fds) == 0, "pipe() into fresh heap failed");
  close(fds[0]);
  close(fds[1]);
  unlink("ut_sbrkarg");
}

// link() given a path pointer at every page from 0 to well past the
// break fails every time: there is no such source file, or (above the
// break) the pointer is bad.  A bad pointer for the source fails too,
// and no file is ever created.
static void
xv6_validatetest(void)
{
  uint64 top = PGROUNDUP(brk());
  for(uint64 p = 0; p < top + 4 * MB; p += PGSIZE){
    CHECK(link("ut_nosuch", (char *)p) == -1, "link to the path at %p succeeded", (void *)p);
    if(p >= top)
      CHECK(link((char *)p, "ut_valid") == -1, "link from the bad pointer %p succeeded",
            (void *)p);
  }
  CHECK(!exists("ut_valid"), "a link was created");
}

static char bss_bytes[12000];

// Uninitialized globals (bss) start out zero.
static void
xv6_bsstest(void)
{
  for(int i = 0; i < sizeof(bss_bytes); i++)
    CHECK(bss_bytes[i] == 0, "bss byte %d is %d, not 0", i, bss_bytes[i]);
}

// A read into the very last byte below the break works; one with a
// negative length there fails without harm.
static void
xv6_argptest(void)
{
  make_file("ut_argp", "ab", 2);
  int fd = open("ut_argp", O_RDONLY);
  CHECK(fd >= 0, "cannot open ut_argp");
  char *a = sbrk(PGSIZE);
  CHECK(a != SBRK_ERROR, "sbrk failed");
  char *last = a + PGSIZE - 1;
  CHECK(read(fd, last, -1) == -1, "a read of length -1 did not fail");
  CHECK(read(fd, last, 1) == 1 && *last == 'a', "a read into the last byte failed");
  close(fd);
  unlink("ut_argp");
}

// Stores the program may not make kill it: to address 0 and the text,
// the kernel, the trampoline and trapframe, the stack guard, above the
// break, at MAXVA and beyond.
static void
xv6_nowrite(void)
{
  uint64 addrs[20];
  int n = bad_addresses(addrs, 1);
  for(int i = 0; i < n; i++)
    expect_killed(store_at, addrs[i], "a forbidden store");
}

// (See xv6_sbrkbugs.)
static void
shrink_to(uint64 newbreak)
{
  sbrk(-(int)(brk() - newbreak));
  FAIL("the process ran on after giving back its own code or stack");
}

// Giving back, with sbrk, the program's whole image, all but part of its
// first page, or its stack: the process is killed as soon as it runs on
// (its code or stack is gone), and the kernel does not panic.
static void
xv6_sbrkbugs(void)
{
  extern char end[];   // the end of bss (from the linker)
  uint64 ends[] = { 0, 3500, PGROUNDUP((uint64)end) };
  for(int i = 0; i < NELEM(ends); i++){
    int status = run_in_child(shrink_to, ends[i]);
    CHECK(status == -1, "shrinking the break to %p: the child exited %d, not -1",
          (void *)ends[i], status);
  }
}

// After growing by an odd amount the last byte below the break holds
// what is stored there; shrinking and growing again gives zeroes.
static void
xv6_sbrklast(void)
{
  char *a = (char *)align_break();
  CHECK(sbrk(PGSIZE + 1) == a, "sbrk of a page and a byte failed");
  char *last = a + PGSIZE;
  *last = 'x';
  CHECK(brk() == (uint64)last + 1 && *last == 'x', "the last byte does not hold");
  CHECK(sbrk(-(PGSIZE + 1)) == last + 1, "shrinking back failed");
  CHECK(sbrk(PGSIZE + 1) == a, "growing again failed");
  CHECK_ZEROED(*last == 0 && a[0] == 0, "grown again, the bytes are not zero");
  sbrk(-(PGSIZE + 1));
}

// sbrk(0x80000004): as an int that is a shrink by almost 2 GiB, more
// than the whole process, so it changes nothing; and the address 2 GiB
// up, where the break would be, is not mapped.
static void
xv6_sbrk8000(void)
{
  uint64 old = brk();
  char *r = sbrk((int)0x80000004);
  CHECK(r == (char *)old || r == SBRK_ERROR, "sbrk(0x80000004) returned %p", r);
  CHECK(brk() == old, "sbrk(0x80000004) moved the break");
  expect_killed(store_at, old + 0x80000003UL, "a store 2 GiB above the break");
}

// A path whose NUL lies on a lazy page not touched yet: the kernel
// brings the page in (zeroed, so the string ends there) while copying
// the path, and the call works.  (Not where fresh pages are not zeroed:
// see CHECK_ZEROED.)
static void
xv6_lazy_copyinstr(void)
{
  if(!SCRUB_PAGES)
    return;
  make_file("ut_lci", "lazy", 4);
  char *a = (char *)align_break();
  CHECK(sbrklazy(2 * PGSIZE) == a, "sbrklazy failed");
  char *name = a + PGSIZE - 6;
  memmove(name, "ut_lci", 6);   // no NUL: the next page supplies it
  int fd = open(name, O_RDONLY);
  CHECK(fd >= 0, "open of a path ending on an untouched lazy page failed");
  CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "lazy", 4) == 0, "it opened the wrong file");
  close(fd);
  CHECK(unlink(name) == 0, "unlink through the same path failed");
  CHECK(mkdir(a + PGSIZE + 8) == -1, "mkdir of an empty path on a lazy page succeeded");
  sbrk(-2 * PGSIZE);
}

// (See xv6_lazy_unmap.)
static void
touch_page(uint64 va)
{
  *(volatile char *)va = 1;
}

// Lazily grown pages, touched, then given back: touching them again
// kills, while the pages kept still hold their data.
static void
xv6_lazy_unmap(void)
{
  char *a = (char *)align_break();
  CHECK(sbrklazy(16 * PGSIZE) == a, "sbrklazy failed");
  for(int i = 0; i < 16; i++)
    a[i * PGSIZE] = 'a' + i;
  CHECK(sbrk(-8 * PGSIZE) == a + 16 * PGSIZE, "shrinking failed");
  for(int i = 8; i < 16; i++)
    expect_killed(touch_page, (uint64)(a + i * PGSIZE), "a store to a lazy page given back");
  for(int i = 0; i < 8; i++)
    CHECK(a[i * PGSIZE] == 'a' + i, "page %d kept lost its data", i);
  sbrk(-8 * PGSIZE);
}

// A write from a buffer that runs off the end of memory: it fails, or
// writes only the bytes that exist; the file then holds exactly what
// write reported.
static void
xv6_partial_write(void)
{
  char *a = (char *)align_break();
  CHECK(sbrk(PGSIZE) == a, "sbrk failed");
  memset(a, 'p', PGSIZE);
  int fd = open("ut_pw", O_CREATE | O_TRUNC | O_RDWR);
  CHECK(fd >= 0, "cannot create ut_pw");
  int n = write(fd, a + PGSIZE - 100, 300);
  CHECK(n == -1 || (n >= 0 && n <= 100), "a write of 300 bytes with 100 readable "
        "returned %d", n);
  int want = n < 0 ? 0 : n;
  CHECK(fsize(fd) == want, "write returned %d but the file has %d bytes", n, fsize(fd));
  close(fd);
  CHECK(slurp("ut_pw") == want, "the file reads back %d bytes", slurp("ut_pw"));
  for(int i = 0; i < want; i++)
    CHECK(buf2[i] == 'p', "byte %d of the file is wrong", i);
  unlink("ut_pw");
  sbrk(-PGSIZE);
}

// (See xv6_unlinkcwd.)
static void
use_removed_cwd(uint64 unused)
{
  CHECK(mkdir("ut_uc") == 0 && chdir("ut_uc") == 0, "cannot make and enter ut_uc");
  CHECK(unlink("../ut_uc") == 0, "unlink of the (empty) working directory failed");
  CHECK(open("f", O_CREATE | O_RDWR) == -1, "a file was created in a removed directory");
  CHECK(mkdir("d") == -1, "a directory was made in a removed directory");
  CHECK(chdir("/") == 0, "chdir / out of the removed directory failed");
}

// The working directory can be removed when empty; afterwards nothing
// can be created in it, and the process can go elsewhere.
static void
xv6_unlinkcwd(void)
{
  CHECK(run_in_child(use_removed_cwd, 0) == 0, "the child failed");
  CHECK(!exists("ut_uc"), "the removed directory is still there");
}

// (See xv6_manywrites.)
static void
write_remove_repeatedly(uint64 c)
{
  char name[16];
  numbered(name, "ut_mw", c);
  for(int i = 0; i < 20; i++){
    for(int k = 0; k <= c; k++){
      int fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
      CHECK(fd >= 0, "cannot create %s", name);
      CHECK(write(fd, buf, sizeof(buf)) == sizeof(buf), "a write to %s fell short", name);
      close(fd);
    }
    CHECK(unlink(name) == 0, "cannot remove %s", name);
  }
}

// Four processes each write, close and remove files of 16 KiB over and
// over, at the same time: the disk driver and the log under load.
static void
xv6_manywrites(void)
{
  for(int c = 0; c < 4; c++)
    start_child(write_remove_repeatedly, c);
  wait_all_ok(4, "a writing child");
}

#define BADWRITE_ROUNDS 2000   // more than the default image's data blocks

// A write from a bad address allocates no disk block that is then lost:
// after more such writes (to files then removed) than the disk has
// blocks, writing still works.  (The host test also runs fsck.)
static void
xv6_badwrite(void)
{
  for(int i = 0; i < BADWRITE_ROUNDS; i++){
    int fd = open("ut_bad", O_CREATE | O_TRUNC | O_WRONLY);
    CHECK(fd >= 0, "round %d: cannot create ut_bad", i);
    CHECK(write(fd, (char *)0xffffffffffUL, 1) == -1, "a write from a bad address succeeded");
    CHECK(fsize(fd) == 0, "round %d: a failed write left %d bytes", i, fsize(fd));
    close(fd);
    CHECK(unlink("ut_bad") == 0, "round %d: unlink failed", i);
  }
  make_file("ut_bad", buf, sizeof(buf));
  unlink("ut_bad");
}

static int execout_pipe[2];   // echo's output, when its exec works

// (See xv6_execout.)  Returns (and so exits 0) if exec fails.
static void
exec_when_full(uint64 spare)
{
  close(1);
  dup(execout_pipe[1]);
  while(sbrk(MB) != SBRK_ERROR)
    ;
  while(sbrk(PGSIZE) != SBRK_ERROR)
    ;
  sbrk(-(int)(spare * PGSIZE));
  char *argv[] = { "echo", "x", 0 };
  exec("/echo", argv);
}

// exec with all memory taken but a few pages: it fails, or works (echo
// then exits 0), never panics; and afterwards every page is free again.
static void
xv6_execout(void)
{
  int before = freemem();
  CHECK(pipe(execout_pipe) == 0, "pipe failed");
  for(int spare = 0; spare < 15; spare++){
    int status = run_in_child(exec_when_full, spare);
    CHECK(status == 0, "with %d pages to spare the child exited %d", spare, status);
  }
  close(execout_pipe[0]);
  close(execout_pipe[1]);
  int after = settle_freemem(before);
  CHECK(after == before, "%d free pages before, %d after", before, after);
}

// Files created until the disk's inodes run out: the create that finds
// none fails cleanly, and once the files are removed they can be made
// again.
static void
xv6_outofinodes(void)
{
  char name[16];
  int n = 0;
  for(; n < 1000; n++){
    numbered(name, "ut_oo", n);
    int fd = open(name, O_CREATE | O_RDWR);
    if(fd < 0)
      break;
    close(fd);
  }
  CHECK(n < 1000, "1000 files were created; the image has fewer inodes than that");
  for(int i = 0; i < n; i++){
    numbered(name, "ut_oo", i);
    CHECK(unlink(name) == 0, "cannot remove %s", name);
  }
  for(int i = 0; i < n; i++){
    numbered(name, "ut_oo", i);
    int fd = open(name, O_CREATE | O_RDWR);
    CHECK(fd >= 0, "after the cleanup, creating %s failed", name);
    close(fd);
  }
  for(int i = 0; i < n; i++){
    numbered(name, "ut_oo", i);
    unlink(name);
  }
}

// Every name of xv6's usertests: the test written for it above, or the
// test of our table that checks the same thing.
struct test xv6tests[] = {
  { "copyin",         "xv6", HEAP,  arg_ptr_write },
  { "copyout",        "xv6", QUICK, arg_ptr_read },
  { "copyinstr1",     "xv6", HEAP,  arg_ptr_paths },
  { "copyinstr2",     "xv6", QUICK, file_path_maxpath },
  { "copyinstr3",     "xv6", QUICK, arg_ptr_crossing },
  { "rwsbrk",         "xv6", QUICK, xv6_rwsbrk },
  { "truncate1",      "xv6", QUICK, xv6_truncate1 },
  { "truncate2",      "xv6", QUICK, xv6_truncate2 },
  { "truncate3",      "xv6", QUICK, xv6_truncate3 },
  { "openiput",       "xv6", QUICK, xv6_openiput },
  { "exitiput",       "xv6", QUICK, xv6_exitiput },
  { "iput",           "xv6", QUICK, xv6_iput },
  { "opentest",       "xv6", QUICK, xv6_opentest },
  { "writetest",      "xv6", QUICK, xv6_writetest },
  { "writebig",       "xv6", SLOW,  file_maxfile },
  { "createtest",     "xv6", QUICK, xv6_createtest },
  { "dirtest",        "xv6", QUICK, xv6_dirtest },
  { "exectest",       "xv6", QUICK, xv6_exectest },
  { "pipe1",          "xv6", QUICK, pipe_order },
  { "killstatus",     "xv6", QUICK, proc_kill },
  { "killzero",       "xv6", QUICK, xv6_killzero },
  { "preempt",        "xv6", QUICK, xv6_preempt },
  { "exitwait",       "xv6", QUICK, proc_exit_status },
  { "reparent",       "xv6", QUICK, xv6_reparent },
  { "twochildren",    "xv6", QUICK, xv6_twochildren },
  { "forkfork",       "xv6", QUICK, xv6_forkfork },
  { "forkforkfork",   "xv6", QUICK, xv6_forkforkfork },
  { "reparent2",      "xv6", QUICK, xv6_reparent2 },
  { "mem",            "xv6", QUICK, xv6_mem },
  { "sharedfd",       "xv6", QUICK, file_concurrent },
  { "fourfiles",      "xv6", QUICK, file_concurrent },
  { "createdelete",   "xv6", QUICK, xv6_createdelete },
  { "unlinkread",     "xv6", QUICK, file_unlink_open },
  { "linktest",       "xv6", QUICK, file_link_counts },
  { "concreate",      "xv6", QUICK, xv6_concreate },
  { "linkunlink",     "xv6", QUICK, xv6_linkunlink },
  { "subdir",         "xv6", QUICK, file_dir_paths },
  { "bigwrite",       "xv6", QUICK, xv6_bigwrite },
  { "bigfile",        "xv6", QUICK, file_indirect },
  { "fourteen",       "xv6", QUICK, xv6_fourteen },
  { "rmdot",          "xv6", QUICK, xv6_rmdot },
  { "dirfile",        "xv6", QUICK, xv6_dirfile },
  { "iref",           "xv6", QUICK, xv6_iref },
  { "forktest",       "xv6", QUICK, proc_fork_limit },
  { "sbrkbasic",      "xv6", QUICK, xv6_sbrkbasic },
  { "sbrkmuch",       "xv6", QUICK, xv6_sbrkmuch },
  { "kernmem",        "xv6", QUICK, prot_kernel_memory },
  { "MAXVAplus",      "xv6", QUICK, xv6_MAXVAplus },
  { "sbrkfail",       "xv6", QUICK, xv6_sbrkfail },
  { "sbrkarg",        "xv6", QUICK, xv6_sbrkarg },
  { "validatetest",   "xv6", QUICK, xv6_validatetest },
  { "bsstest",        "xv6", QUICK, xv6_bsstest },
  { "bigargtest",     "xv6", QUICK, proc_exec_args },
  { "argptest",       "xv6", QUICK, xv6_argptest },
  { "stacktest",      "xv6", QUICK, prot_stack_guard },
  { "textwrite",      "xv6", QUICK, prot_text_write },
  { "nowrite",        "xv6", QUICK, xv6_nowrite },
  { "pgbug",          "xv6", QUICK, arg_ptr_exec },
  { "sbrkbugs",       "xv6", QUICK, xv6_sbrkbugs },
  { "sbrklast",       "xv6", QUICK, xv6_sbrklast },
  { "sbrk8000",       "xv6", QUICK, xv6_sbrk8000 },
  { "badarg",         "xv6", QUICK, arg_ptr_exec },
  { "lazy_alloc",     "xv6", QUICK, mem_lazy_huge },
  { "lazy_unmap",     "xv6", QUICK, xv6_lazy_unmap },
  { "lazy_copy",      "xv6", QUICK, mem_lazy_syscall_buffers },
  { "lazy_copyinstr", "xv6", QUICK, xv6_lazy_copyinstr },
  { "lazy_sbrk",      "xv6", QUICK, mem_sbrk_trapframe },
  { "partial_write",  "xv6", QUICK, xv6_partial_write },
  { "unlinkcwd",      "xv6", QUICK, xv6_unlinkcwd },
  { "bigdir",         "xv6", SLOW,  file_many_in_dir },
  { "manywrites",     "xv6", SLOW,  xv6_manywrites },
  { "badwrite",       "xv6", SLOW,  xv6_badwrite },
  { "execout",        "xv6", SLOW,  xv6_execout },
  { "diskfull",       "xv6", SLOW,  file_disk_full },
  { "outofinodes",    "xv6", SLOW,  xv6_outofinodes },
};

#define NXV6 NELEM(xv6tests)

// xv6 names that MIT's lab graders look for in the output of a plain
// `usertests` or `usertests -q`: a run that names no test runs these
// too, after the table, in this order (-q leaves out the slow ones).
//   The 2024 cow grader wants "test copyin: ... OK" followed by "test
//   copyout", and the same for copyout and copyinstr1.
//   The 2020 lazy grader runs a plain `usertests` and wants each of
//   xv6's tests of 2020 passed and followed by the next one in xv6's
//   order of that year: these, from execout to bigdir.
#ifdef LAB_LAZY
static char *graded_names[] = {
  "execout", "copyin", "copyout", "copyinstr1", "copyinstr2", "copyinstr3",
  "rwsbrk", "truncate1", "truncate2", "truncate3", "reparent2", "pgbug",
  "sbrkbugs", "badarg", "reparent", "twochildren", "forkfork", "forkforkfork",
  "argptest", "createdelete", "linkunlink", "linktest", "unlinkread",
  "concreate", "subdir", "fourfiles", "sharedfd", "exectest", "bigargtest",
  "bigwrite", "bsstest", "sbrkbasic", "sbrkmuch", "kernmem", "sbrkfail",
  "sbrkarg", "validatetest", "stacktest", "opentest", "writetest",
  "writebig", "createtest", "openiput", "exitiput", "iput", "mem", "pipe1",
  "preempt", "exitwait", "rmdot", "fourteen", "bigfile", "dirfile", "iref",
  "forktest", "bigdir",
};
#else
static char *graded_names[] = { "copyin", "copyout", "copyinstr1" };
#endif

// ---- The runner -------------------------------------------------------------

// Tests are numbered across both tables: the table's first, then xv6's.
#define NALL (NTESTS + NXV6)

static char selected[NALL];
static char failed[NALL];
static int order[NALL + NELEM(graded_names)];   // the tests to run, in order
static int norder;

// Test number k.
static struct test *
testat(int k)
{
  return k < NTESTS ? &tests[k] : &xv6tests[k - NTESTS];
}

// Run one test in a child, with a watchdog that kills it after
// TEST_TIMEOUT ticks.  Returns 1 if it passed.
//
// Prints the test's line in two parts, as xv6's usertests does: `test
// NAME: ` as the test starts, and OK or FAILED (why) after it.  So a
// quiet test makes one line, `test NAME: OK`; whatever the test makes
// the kernel print (trace output, a kill message) comes in between, and
// the verdict then starts a line of its own, where graders look for it.
static int
run_test(struct test *t)
{
  static char reason[160];

  int fd = open(REASON_FILE, O_CREATE | O_TRUNC | O_RDWR);
  if(fd < 0){
    printf("test %s: FAILED (cannot create %s)\n", t->name, REASON_FILE);
    return 0;
  }
  // Tests that compare freemem() before and after must not see another
  // process's memory come and go.  So the watchdog is forked first, and
  // the test starts only once the watchdog and this process have said
  // so through `go`, each sending a byte from its stack: each has
  // written to its stack page by then, which on a kernel with
  // copy-on-write fork is when it takes its own copy.  (Forking the
  // watchdog before the test's line also puts a traced fork's report on
  // a line of its own, as MIT's trace test expects of xv6's first fork.)
  volatile char ready;
  int go[2];
  if(pipe(go) < 0){
    close(fd);
    printf("test %s: FAILED (pipe failed)\n", t->name);
    return 0;
  }
  int dog = fork();
  if(dog == 0){
    ready = 'd';
    write(go[1], (char *)&ready, 1);
    sleep(TEST_TIMEOUT);
    exit(0);
  }
  printf("test %s: ", t->name);
  int pid = fork();
  if(pid < 0){
    close(fd);
    close(go[0]);
    close(go[1]);
    if(dog > 0){
      kill(dog);
      wait(0);
    }
    printf("FAILED (fork failed)\n");
    return 0;
  }
  if(pid == 0){
    char c;
    close(go[1]);
    for(int n = dog > 0 ? 2 : 1; n > 0 && read(go[0], &c, 1) == 1; n--)
      ;
    close(go[0]);
    reason_fd = fd;
    own_writable_pages();
    t->fn();
    exit(0);
  }
  ready = 'r';
  write(go[1], (char *)&ready, 1);
  close(go[0]);
  close(go[1]);
  close(fd);

  int status = 0, timedout = 0;
  int w = wait(&status);
  if(w == dog){
    timedout = 1;
    kill(pid);
    wait(&status);
  } else if(dog > 0){
    kill(dog);
    wait(0);
  }

  if(status == 0 && !timedout){
    printf("OK\n");
    return 1;
  }
  if(timedout){
    printf("FAILED (timed out after %d s)\n", TEST_TIMEOUT / 100);
  } else if(status == -1){
    printf("FAILED (killed by the kernel, status -1)\n");
  } else if(status == FAIL_STATUS){
    int n = -1;
    fd = open(REASON_FILE, O_RDONLY);
    if(fd >= 0){
      n = read(fd, reason, sizeof(reason) - 1);
      close(fd);
    }
    if(n < 0)
      n = 0;
    reason[n] = 0;
    char *nl = strchr(reason, '\n');
    if(nl)
      *nl = 0;
    printf("FAILED (%s)\n", n > 0 ? reason : "no reason given");
  } else {
    printf("FAILED (exit status %d)\n", status);
  }
  return 0;
}

// Explain the command line, and exit.
static void
usage(void)
{
  fprintf(2, "usage: usertests [-q] [-l] [NAME or GROUP ...]\n");
  exit(2);
}

int
main(int argc, char *argv[])
{
  // Used by the exec tests: prove exec ran this program with its arguments.
  if(argc >= 2 && strcmp(argv[1], "--exec-probe") == 0){
    for(int i = 2; i < argc; i++)
      if(strlen(argv[i]) != i)
        exit(1);
    exit(40 + argc);
  }

  int quick = 0, list = 0, named = 0;
  for(int i = 1; i < argc; i++){
    if(strcmp(argv[i], "-q") == 0){
      quick = 1;
    } else if(strcmp(argv[i], "-l") == 0){
      list = 1;
    } else if(argv[i][0] == '-'){
      usage();
    } else {
      int hit = 0;
      for(int k = 0; k < NALL; k++){
        if(strcmp(argv[i], testat(k)->name) == 0 || strcmp(argv[i], testat(k)->group) == 0){
          selected[k] = 1;
          hit = 1;
        }
      }
      if(!hit){
        fprintf(2, "usertests: no test or group named %s\n", argv[i]);
        exit(2);
      }
      named = 1;
    }
  }
  // The named tests, or else the table; then, if none was named, the
  // graded xv6 names (xv6's names run only when named, but for those).
  // -q runs the QUICK ones only.
  int heapskipped = 0;
  for(int k = 0; k < NALL; k++){
    if(!named && k < NTESTS && testat(k)->slow != NAMED)
      selected[k] = 1;
    if(selected[k] && quick && testat(k)->slow != QUICK)
      heapskipped += testat(k)->slow == HEAP;
    else if(selected[k])
      order[norder++] = k;
  }
  for(int g = 0; !named && g < NELEM(graded_names); g++){
    for(int k = NTESTS; k < NALL; k++){
      if(strcmp(testat(k)->name, graded_names[g]) != 0)
        continue;
      if(quick && testat(k)->slow != QUICK)
        heapskipped += testat(k)->slow == HEAP;
      else
        order[norder++] = k;
    }
  }

  if(list){
    static char *kind[] = { "quick", "slow", "heap", "named" };
    for(int i = 0; i < norder; i++)
      printf("%s %s %s\n", testat(order[i])->name, testat(order[i])->group,
             kind[testat(order[i])->slow]);
    exit(0);
  }

  printf("usertests: %d tests%s\n", norder, quick ? " (quick)" : "");
  if(heapskipped > 0)
    printf("usertests: -q skips %d tests that need sbrk to grow memory (the sbrk lab)\n",
           heapskipped);

  int before = freemem();
  int nfailed = 0;
  int t0 = uptime();
  for(int i = 0; i < norder; i++){
    if(!run_test(testat(order[i]))){
      failed[order[i]] = 1;
      nfailed++;
    }
  }
  unlink(REASON_FILE);

  int after = settle_freemem(before);
  int leaked = after != before;
  if(leaked)
    printf("free pages: %d before, %d after: FAILED (%d pages lost)\n", before, after,
           before - after);
  else
    printf("free pages: %d before, %d after: OK\n", before, after);
  printf("usertests: %d s\n", (uptime() - t0) / 100);

  if(nfailed == 0 && !leaked){
    printf("ALL TESTS PASSED\n");
    exit(0);
  }
  // One write for the whole line, so no other output lands inside it.
  static char line[2048];
  int len = 0;
  for(int k = 0; k <= NALL; k++){
    char *name = k < NALL ? (failed[k] ? testat(k)->name : 0) : (leaked ? "free-pages" : 0);
    if(name == 0 || len + strlen(name) + 2 >= sizeof(line))
      continue;
    line[len++] = ' ';
    strcpy(line + len, name);
    len += strlen(name);
  }
  line[len] = 0;
  printf("SOME TESTS FAILED:%s\n", line);
  exit(1);
}
