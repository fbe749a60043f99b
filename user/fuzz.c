// fuzz: throw random and hostile system calls at the kernel from several
// processes at once, for a bounded time, then check that every physical
// page the kernel handed out came back.
//
//   fuzz [SECONDS [SEED [NPROCS]]]      defaults: 10, from the clock, 4
//
// The seed is printed first; the same seed replays the same choices
// (timing between processes still varies).  The last lines are
//
//   fuzz: seed N, M calls, free pages before X after Y
//   fuzz: OK                     (or fuzz: LEAK ... / fuzz: FAIL ...)
//
// Who does what:
//   main      makes the scratch directory /fuzz.tmp (every file the
//             fuzzer creates lives under it) and the storm files in it,
//             starts NPROCS workers, waits for them, waits for the
//             free-page count to settle (orphans are init's to reap),
//             removes /fuzz.tmp and compares freemem() with its value at
//             the start.
//   worker    in /fuzz.tmp/wN, runs one batch process after another until
//             the time is up.  Next to each batch it starts a watchdog
//             that kills the batch if it is still alive after WATCHDOG
//             ticks (a batch may well block for ever on a pipe it holds
//             both ends of, or exec a program that loops).
//   batch     issues BATCH random calls with hostile arguments and checks
//             the answers the contract fixes (a call on a descriptor that
//             is not open fails, open returns the lowest free descriptor,
//             sbrk past TRAPFRAME fails and changes nothing, a read or
//             write of 0 bytes returns 0 at once, ...).  A broken promise
//             prints "fuzz: FAIL: ..." with the batch's seed and the
//             call, and spoils the verdict.  Its console is kept at
//             descriptor REPORT_FD only; descriptors 0-2 are closed, so
//             that nothing it writes floods the console.  Around a call
//             that must return at once it writes a tag, then '.', to a
//             pipe at MARK_FD: if the watchdog ends the batch with a tag
//             last in that pipe, the call blocked, and the worker says so.
//             Now and then a batch starts a storm: STORM_KIDS children
//             read blocks of the storm files (made by main, too many to
//             be cached) all at the same moment.
//   child     a batch's fork()ed children: a few calls each, including the
//             deadly ones (bad memory accesses, illegal instructions,
//             shrinking sbrk below their own code), and never anything
//             that can block for long, so they always end by themselves.
//
// Never called: halt, and kill on any process that is not the caller's
// own child (or itself).  Paths that create or remove anything stay in
// /fuzz.tmp: a batch's working directory is always at least one level
// below it, and its paths climb at most one level.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/syscall.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/elf.h"
#include "user/user.h"

#define SCRATCH    "/fuzz.tmp"
#define REPORT_FD  (NOFILE - 1)   // a batch's only way to the console
#define MARK_FD    (NOFILE - 2)   // a batch's tags for its worker (see mark)
#define BUFSZ      (8 * PGSIZE)   // a batch's own buffer, bottom of its heap
#define BATCH      60             // calls per batch process
#define WATCHDOG   200            // ticks a batch may live
#define MAXKIDS    3              // children a batch keeps at once
#define MAXWORKERS 8
#define FAILCODE   0x4000beef     // exit status: a check failed
#define SETTLE     600            // ticks to wait for the free count
#define NOT_A_PID  0x7fffff00     // far beyond any pid the kernel hands out
#define INT_MAX    0x7fffffff
#define INT_MIN    (-INT_MAX - 1)
#define NELEM(a)   (sizeof(a) / sizeof((a)[0]))
#define NSTORMF    36             // storm files, in SCRATCH
#define STORMBLKS  4              // blocks in each
#define STORM_KIDS 36             // readers in one storm, at most

int main(int argc, char *argv[]);

// ---- Random numbers: xorshift64, so a seed replays exactly --------------

static uint64 rs = 1;

static uint64
rnext(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return rs;
}

// A number in [0, n), or 0 if n is 0.
static uint64
rnd(uint64 n)
{
  return n ? rnext() % n : 0;
}

// Start the generator from seed (any value, 0 included).
static void
rseed(uint64 seed)
{
  rs = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
  if(rs == 0)
    rs = 1;
  rnext();
}

// ---- State of a batch process (and, copied by fork, of its children) ----

enum { K_CLOSED, K_FILE, K_DIR, K_DEV, K_PREAD, K_PWRITE, K_RESERVED };

static char fdk[NOFILE];      // what each descriptor is, as far as we know
static char *heap;            // BUFSZ bytes that are ours to scribble on
static uint64 floor;          // a batch never shrinks its memory below this
static uint64 lazylo, lazyhi; // the last range added by sbrklazy
static int kids[MAXKIDS];     // children not yet reaped
static int nkids;
static int depth;             // levels of the cwd below fuzz.tmp
static int calls;             // system calls issued by this process
static int mypid;
static int inchild;           // set in a batch's children
static int wid;               // worker number
static uint bseed;            // this batch's seed, for reports
static uint lastup;           // last uptime() seen
static uint scratchino;       // inode number of SCRATCH
static int havemark;          // MARK_FD leads to the worker

static char longname[MAXPATH];          // one element of MAXPATH-1 bytes
static char deeppath[MAXPATH];          // "a/a/a/...", MAXPATH-1 bytes
static char toolong[MAXPATH + 32];      // no NUL within MAXPATH
static struct stat st;
static struct dirent de;

// ---- Reporting -----------------------------------------------------------

static const char *pathargs[2];   // the path arguments of the current call
static int isbad(uint64 a);
static uint64 curbrk(void);

// Say what kind of path argument p is, for a failure report.
static void
describe(const char *p)
{
  uint64 a = (uint64)p;
  if(p == toolong)
    fprintf(REPORT_FD, " <no NUL within MAXPATH>");
  else if(p == longname)
    fprintf(REPORT_FD, " <MAXPATH-1 bytes>");
  else if(p == deeppath)
    fprintf(REPORT_FD, " <a/a/a/...>");
  else if(isbad(a))
    fprintf(REPORT_FD, " <bad pointer %p>", p);
  else if(a >= curbrk() - 16 && a < curbrk())
    fprintf(REPORT_FD, " <no NUL before the end of memory at %p>", p);
  else if(a < (uint64)main + 64)
    fprintf(REPORT_FD, " <bytes of our code>");
  else
    fprintf(REPORT_FD, " \"%s\"", p);
}

// A promise of the system-call contract was broken: say which, and end.
static void
fail(const char *what, long got)
{
  fprintf(REPORT_FD, "fuzz: FAIL: %s (got %ld; worker %d, batch seed %u, call %d, depth %d)",
          what, got, wid, bseed, calls, depth);
  for(int i = 0; i < 2; i++){
    if(pathargs[i]){
      fprintf(REPORT_FD, i == 0 ? "; paths" : ",");
      describe(pathargs[i]);
    }
  }
  fprintf(REPORT_FD, "\n");
  exit(FAILCODE);
}

// Note the path arguments of the call about to be made, for reports.
static void
paths(const char *a, const char *b)
{
  pathargs[0] = a;
  pathargs[1] = b;
}

// fail(what, got) unless ok.
static void
expect(int ok, const char *what, long got)
{
  if(!ok)
    fail(what, got);
}

// Tell the worker what the batch is doing: a tag before a call that
// must return at once, '.' after it.  Only the batch itself marks.
static void
mark(char tag)
{
  if(havemark && !inchild)
    write(MARK_FD, &tag, 1);
}

// The byte in block k of storm file f.
static uchar
storm_byte(int f, int k)
{
  return (uchar)(f * 13 + k * 5 + 3);
}

// The path of storm file f into name (at least 32 bytes).
static void
storm_name(char *name, int f)
{
  strcpy(name, SCRATCH "/st");
  int len = strlen(name);
  name[len] = '0' + f / 10;
  name[len + 1] = '0' + f % 10;
  name[len + 2] = 0;
}

// ---- Raw calls: every argument register under our control -----------------

// System call num with three arguments, exactly as given.
static long
rawcall(long num, long a0, long a1, long a2)
{
  register long x0 asm("a0") = a0;
  register long x1 asm("a1") = a1;
  register long x2 asm("a2") = a2;
  register long x7 asm("a7") = num;
  asm volatile("ecall" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x7) : "memory");
  return x0;
}

// v as a 64-bit register value, sometimes with junk in the upper half:
// the kernel reads int arguments as 32 bits and must ignore the rest.
static long
junkint(int v)
{
  if(rnd(4) == 0)
    return (long)((rnext() << 32) | (uint)v);
  return v;
}

// ---- Memory and pointers ---------------------------------------------------

// The current program break.
static uint64
curbrk(void)
{
  return (uint64)sbrk(0);
}

// The stack guard page: the page just below our one stack page.
static uint64
guardpage(void)
{
  return PGROUNDDOWN(r_sp()) - PGSIZE;
}

// Can no byte at a be read or written by the kernel on our behalf?
static int
isbad(uint64 a)
{
  uint64 g = guardpage();
  return a >= PGROUNDUP(curbrk()) || (a >= g && a < g + PGSIZE);
}

// A pointer that is certainly unusable as a user address.
static uint64
badptr(void)
{
  static const uint64 cand[] = {
    KERNBASE, KERNBASE + 0x1234, PHYSTOP - 8, TRAPFRAME, TRAMPOLINE,
    TRAMPOLINE + 100, MAXVA - 1, MAXVA, MAXVA + PGSIZE, 1UL << 63,
    0xffffffffffffffffUL, 0xfffffffffffff000UL, 0xffffffc000000000UL,
    0x100000000UL
  };
  uint64 a;
  switch(rnd(4)){
  case 0:
    a = guardpage() + rnd(PGSIZE);
    break;
  case 1:
    a = PGROUNDUP(curbrk()) + rnd(1UL << 32);
    break;
  default:
    a = cand[rnd(NELEM(cand))];
  }
  return isbad(a) ? a : MAXVA + rnd(PGSIZE);
}

// A pointer for the kernel to copy into (dst set) or out of.  *bad says
// whether no byte of it can possibly be used.
static uint64
wildptr(int dst, int *bad)
{
  uint64 a, brk = curbrk();

  switch(rnd(12)){
  case 0: case 1: case 2: case 3:
    a = (uint64)heap + rnd(BUFSZ);              // ours
    break;
  case 4:
    a = brk - rnd(64);                          // runs off the end
    break;
  case 5:
    if(lazyhi > lazylo && lazyhi <= brk){
      a = lazylo + rnd(lazyhi - lazylo);        // a lazy page, maybe untouched
      break;
    }
    a = (uint64)heap + 1;
    break;
  case 6:
    a = dst ? (uint64)heap + 3 : (uint64)fdk;   // odd alignment; our data
    break;
  case 7:
    a = (uint64)main;                           // text: readable, not writable
    break;
  case 8:
    a = dst ? (uint64)heap + BUFSZ - 1 : 0;     // 0 is text too
    break;
  default:
    a = badptr();
  }
  *bad = isbad(a) || (dst && a <= (uint64)main + 64);
  return a;
}

// A length: ordinary, zero, huge or negative.
static int
wildlen(void)
{
  switch(rnd(12)){
  case 0: return 0;
  case 1: return 1;
  case 2: case 3: return rnd(64);
  case 4: return rnd(BUFSZ);
  case 5: return PGSIZE + 1;
  case 6: return BUFSZ;
  case 7: return INT_MAX;
  case 8: return -1;
  case 9: return INT_MIN;
  case 10: return (int)rnext();
  default: return rnd(2 * PGSIZE);
  }
}

// ---- Descriptors -----------------------------------------------------------

// The descriptor the kernel must hand out next, or -1 if none is free.
static int
lowestfree(void)
{
  for(int fd = 0; fd < NOFILE; fd++){
    if(fdk[fd] == K_CLOSED)
      return fd;
  }
  return -1;
}

// A descriptor to use: mostly one we have open, otherwise anything (but
// never the report descriptor).  *isopen says which it is.
static int
pickfd(int *isopen)
{
  static const int odd[] = { -1, -2, NOFILE, NOFILE + 1, 1000, INT_MAX, INT_MIN };
  int fd;

  if(rnd(10) < 7){
    int start = rnd(NOFILE);
    for(int i = 0; i < NOFILE; i++){
      fd = (start + i) % NOFILE;
      if(fdk[fd] != K_CLOSED && fdk[fd] != K_RESERVED){
        *isopen = 1;
        return fd;
      }
    }
  }
  *isopen = 0;
  if(rnd(2))
    return odd[rnd(NELEM(odd))];
  fd = rnd(NOFILE);
  if(fdk[fd] != K_CLOSED)
    fd = -1;
  return fd;
}

// What the freshly opened fd refers to.
static int
kindof(int fd)
{
  int r = fstat(fd, &st);
  calls++;
  expect(r == 0, "fstat of a descriptor open just now failed", r);
  if(st.type == T_DIR)
    return K_DIR;
  if(st.type == T_DEVICE)
    return K_DEV;
  expect(st.type == T_FILE, "fstat gave an unknown file type", st.type);
  return K_FILE;
}

// The descriptor table must hold exactly what we think: dup of the
// report descriptor takes the lowest free slot.
static void
fdcheck(void)
{
  int want = lowestfree();
  int got = dup(REPORT_FD);
  calls++;
  expect(got == want, "dup did not return the lowest free descriptor (leaked or lost fd?)", got);
  if(got >= 0){
    calls++;
    expect(close(got) == 0, "close of a dup failed", got);
  }
}

// ---- Paths -----------------------------------------------------------------

// Names relative to the working directory.  None climbs more than one
// level, so nothing outside fuzz.tmp can be named.  The first NSPECIAL
// name existing directories (or nothing at all) and can never be created,
// removed or opened for writing.
static const char *names[] = {
  ".", "..", "", "/", "//", "./.",
#define NSPECIAL 6
  "f0", "f1", "f2", "f3", "d0", "d1", "d0/f0", "d0/d1", "d0/d1/f1", "d1/f2",
  "e0", "e1", "e2", "n0", "n1", "../f0", "../d0", "../e1", "./f1",
  "d0//f0", "f0/", "f0/x", "d0/../f2", "abcdefghijklmn", "abcdefghijklmnop",
  "../w0", "../w1", "../w2", "../w0/f0", "../w1/d0", "../w2/e0", "d1/../d1",
};

// A path for a call that may create or remove something.  *mustfail says
// the kernel must refuse it (bad pointer, no NUL within MAXPATH), *special
// that it names an existing directory or nothing.
static const char *
path_mut(int *mustfail, int *special)
{
  uint64 r = rnd(100);
  uint64 brk;

  *mustfail = *special = 0;
  if(r < 75){
    int i = rnd(NELEM(names));
    *special = i < NSPECIAL;
    return names[i];
  }
  if(r < 80)
    return longname;
  if(r < 83)
    return deeppath;
  *mustfail = 1;
  if(r < 89)
    return toolong;
  brk = curbrk();
  if(r < 93 && brk % PGSIZE == 0 && brk - 16 >= floor){
    // No NUL before the end of memory.
    memset((char *)(brk - 16), 'q', 16);
    return (const char *)(brk - 16);
  }
  return (const char *)badptr();
}

// A path for a call that only reads: also absolute names and strings
// from odd places (our own code read as text).
static const char *
path_ro(int *mustfail, int *special)
{
  static const char *abs[] = { "/", "/README", "/echo", "/.", "/..", "/nonexistent", "/README/x" };
  *mustfail = *special = 0;
  switch(rnd(6)){
  case 0:
    return abs[rnd(NELEM(abs))];
  case 1:
    return (const char *)main + rnd(64);
  default:
    return path_mut(mustfail, special);
  }
}

// Levels a successful chdir(path) moves down (negative: up).
static int
depthchange(const char *path)
{
  int d = 0;
  const char *s = path;

  while(*s){
    while(*s == '/')
      s++;
    if(*s == 0)
      break;
    const char *e = s;
    while(*e && *e != '/')
      e++;
    if(e - s == 2 && s[0] == '.' && s[1] == '.')
      d--;
    else if(!(e - s == 1 && s[0] == '.'))
      d++;
    s = e;
  }
  return d;
}

// ---- The calls -------------------------------------------------------------

// open a path, with flags that may make no sense; track the new descriptor.
static void
act_open(void)
{
  int mf, sp, flags, ro = rnd(4) == 0;
  const char *path;
  static const int fl[] = {
    O_RDONLY, O_WRONLY, O_RDWR, O_CREATE | O_RDWR, O_CREATE | O_WRONLY | O_TRUNC,
    O_TRUNC | O_RDWR, O_CREATE, O_WRONLY | O_RDWR, -1, 0x7ff
  };

  if(ro){
    path = path_ro(&mf, &sp);
    flags = O_RDONLY;
    if(rnd(2))
      flags = (int)rnext() & ~(O_CREATE | O_TRUNC | O_WRONLY | O_RDWR);
  } else {
    path = path_mut(&mf, &sp);
    flags = rnd(5) ? fl[rnd(NELEM(fl))] : (int)rnext();
  }
  int want = lowestfree();
  paths(path, 0);
  int fd = rawcall(SYS_open, (long)path, junkint(flags), 0);
  calls++;
  if(mf)
    expect(fd == -1, "open of a bad path did not fail", fd);
  if(sp && (flags & (O_CREATE | O_WRONLY | O_RDWR)))
    expect(fd == -1, "open of a directory for writing (or creating) did not fail", fd);
  if(fd < 0)
    return;
  expect(fd == want, "open did not return the lowest free descriptor", fd);
  fdk[fd] = kindof(fd);
  if(ro && rnd(2)){
    // Read-only files must refuse writes.
    int r = write(fd, heap, 1);
    calls++;
    expect(r == -1, "write to a descriptor opened O_RDONLY did not fail", r);
  }
}

// close a descriptor, open or not.
static void
act_close(void)
{
  int isopen, fd = pickfd(&isopen);
  int r = rawcall(SYS_close, junkint(fd), 0, 0);
  calls++;
  if(isopen){
    expect(r == 0, "close of an open descriptor failed", r);
    fdk[fd] = K_CLOSED;
  } else {
    expect(r == -1, "close of a descriptor that is not open did not fail", r);
  }
}

// dup a descriptor, open or not.
static void
act_dup(void)
{
  int isopen, fd = pickfd(&isopen);
  int want = lowestfree();
  int r = rawcall(SYS_dup, junkint(fd), 0, 0);
  calls++;
  if(!isopen){
    expect(r == -1, "dup of a descriptor that is not open did not fail", r);
    return;
  }
  expect(r == want, "dup did not return the lowest free descriptor", r);
  if(r >= 0)
    fdk[r] = fdk[fd];
}

// read into a buffer that may be anywhere, of any length.
static void
act_read(void)
{
  int isopen, bad, fd = pickfd(&isopen);
  // A read from an empty pipe whose write end we hold waits for ever
  // (until the watchdog); only now and then.
  if(isopen && fdk[fd] == K_PREAD && (inchild || rnd(16)))
    return;
  uint64 dst = wildptr(1, &bad);
  int n = wildlen();
  long r = rawcall(SYS_read, junkint(fd), dst, junkint(n));
  calls++;
  if(!isopen)
    expect(r == -1, "read from a descriptor that is not open did not fail", r);
  if(n < 0)
    expect(r == -1, "read with a negative count did not fail", r);
  if(bad && n > 0)
    expect(r <= 0, "read stored bytes at an address the process cannot write", r);
  expect(r <= n || n < 0, "read returned more than asked for", r);
}

// write from a buffer that may be anywhere, of any length.
static void
act_write(void)
{
  int isopen, bad, fd = pickfd(&isopen);
  if(isopen && fdk[fd] == K_PWRITE && inchild)
    return;
  uint64 src = wildptr(0, &bad);
  int n = wildlen();
  // More than a pipe holds waits for a reader that may never come.
  if(isopen && fdk[fd] == K_PWRITE && (n < 0 || n > 256) && rnd(16))
    n = rnd(256);
  if(isopen && fdk[fd] == K_FILE && n > 4 * PGSIZE && rnd(4))
    n = rnd(4 * PGSIZE);   // keep most writes from filling the disk
  long r = rawcall(SYS_write, junkint(fd), src, junkint(n));
  calls++;
  if(!isopen)
    expect(r == -1, "write to a descriptor that is not open did not fail", r);
  if(n < 0)
    expect(r == -1, "write with a negative count did not fail", r);
  if(bad && n > 0)
    expect(r == -1, "write from an unreadable address did not fail", r);
  expect(r <= n || n < 0, "write returned more than asked for", r);
}

// read or write 0 bytes, from or to any pointer (even a bad one): the
// buffer is never touched.  On a descriptor that is not open: -1.  On a
// pipe end (empty or not, the other end open or not), the console or a
// directory: 0 in the direction it allows, -1 in the other.  On a file
// or a device: 0, or -1 (write-only, read-only, no driver).  The pipe
// and console calls must return at once; a hang is caught by the
// watchdog and reported by the worker through the mark.
static void
act_zero(void)
{
  int isopen, bad, fd, kind;
  int writing = rnd(2);

  if(rnd(6) == 0){
    fd = REPORT_FD;   // the console
    isopen = 1;
    kind = K_RESERVED;
  } else {
    fd = pickfd(&isopen);
    kind = isopen ? fdk[fd] : K_CLOSED;
  }
  uint64 p = wildptr(!writing, &bad);
  mark(writing ? 'w' : 'r');
  long r = rawcall(writing ? SYS_write : SYS_read, junkint(fd), p, junkint(0));
  mark('.');
  calls++;
  switch(kind){
  case K_CLOSED:
    expect(r == -1, "a 0-byte read or write on a descriptor that is not open did not fail", r);
    break;
  case K_RESERVED:
    expect(r == 0, "a 0-byte read or write on the console did not return 0", r);
    break;
  case K_PREAD:
  case K_PWRITE:
    if(writing == (kind == K_PWRITE))
      expect(r == 0, "a 0-byte read or write on a pipe did not return 0", r);
    else
      expect(r == -1, "a 0-byte call on the wrong end of a pipe did not fail", r);
    break;
  case K_DIR:
    if(writing)
      expect(r == -1, "a 0-byte write to a directory did not fail", r);
    else
      expect(r == 0, "a 0-byte read of a directory did not return 0", r);
    break;
  default:
    expect(r == 0 || r == -1, "a 0-byte read or write returned neither 0 nor -1", r);
  }
}

// fstat into our struct stat or into a wild pointer.
static void
act_fstat(void)
{
  int isopen, bad = 0, fd = pickfd(&isopen);
  uint64 dst = rnd(2) ? (uint64)&st : wildptr(1, &bad);
  long r = rawcall(SYS_fstat, junkint(fd), dst, 0);
  calls++;
  if(!isopen){
    expect(r == -1, "fstat of a descriptor that is not open did not fail", r);
    return;
  }
  if(fdk[fd] == K_PREAD || fdk[fd] == K_PWRITE || bad){
    expect(r == -1, "fstat of a pipe or into a bad address did not fail", r);
    return;
  }
  if(dst == (uint64)&st){
    expect(r == 0, "fstat of an open file failed", r);
    int want = fdk[fd] == K_DIR ? T_DIR : fdk[fd] == K_DEV ? T_DEVICE : T_FILE;
    expect(st.type == want, "fstat reports a different type than at open", st.type);
  }
}

// pipe, into our array or into a bad one.
static void
act_pipe(void)
{
  static int pfd[2];
  int bad = 0;
  uint64 dst = (uint64)pfd;
  int nfree = 0;

  for(int i = 0; i < NOFILE; i++)
    nfree += fdk[i] == K_CLOSED;
  if(rnd(3) == 0){
    dst = rnd(2) ? badptr() : curbrk() - 4;   // the second half lands outside
    bad = 1;
  }
  pfd[0] = pfd[1] = -1;
  int want = lowestfree();
  long r = rawcall(SYS_pipe, dst, 0, 0);
  calls++;
  if(bad){
    // brk - 4 is bad only when the break is page aligned; otherwise both
    // ints fit in the last page and the call may succeed.
    if(isbad(dst) || isbad(dst + 4))
      expect(r == -1, "pipe into a bad address did not fail", r);
    if(r == 0){
      int *p = (int *)dst;
      expect(p[0] == want && p[1] > p[0] && p[1] < NOFILE,
             "pipe returned descriptors that were not the lowest free", p[0]);
      fdk[p[0]] = K_PREAD;
      fdk[p[1]] = K_PWRITE;
    } else {
      fdcheck();   // a failed pipe must leave no descriptor behind
    }
    return;
  }
  if(nfree < 2){
    expect(r == -1, "pipe with fewer than two free descriptors did not fail", r);
    return;
  }
  if(r != 0)
    return;   // out of memory or files
  expect(pfd[0] == want, "pipe's read end is not the lowest free descriptor", pfd[0]);
  fdk[pfd[0]] = K_PREAD;
  expect(pfd[1] == lowestfree(), "pipe's write end is not the next free descriptor", pfd[1]);
  fdk[pfd[1]] = K_PWRITE;
}

// A call taking one path (mkdir, unlink) on a scratch path or a bad one;
// with a bad path it must fail, with `complaint` if it does not.
static void
one_path_call(int sysno, const char *complaint)
{
  int mf, sp;
  const char *path = path_mut(&mf, &sp);
  paths(path, 0);
  long r = rawcall(sysno, (long)path, 0, 0);
  calls++;
  if(mf || sp)
    expect(r == -1, complaint, r);
}

// mkdir of a scratch path (or a bad one).
static void
act_mkdir(void)
{
  one_path_call(SYS_mkdir, "mkdir of a bad path or an existing directory did not fail");
}

// mknod of a scratch path with odd major and minor numbers.
static void
act_mknod(void)
{
  // Never major 1: that is the console, and writes to it would flood.
  static const short majors[] = { 0, 2, 3, NDEV - 1, NDEV, -1, 1000, 0x7fff, -32768 };
  int mf, sp;
  const char *path = path_mut(&mf, &sp);
  short major = majors[rnd(NELEM(majors))];
  short minor = (short)rnext();
  paths(path, 0);
  int r = mknod(path, major, minor);
  calls++;
  if(mf || sp || major < 0 || major >= NDEV || minor < 0)
    expect(r == -1, "mknod with a bad path, major or minor did not fail", r);
}

// unlink a scratch path (or '.', '..', a bad pointer ...).
static void
act_unlink(void)
{
  one_path_call(SYS_unlink, "unlink of a bad path, '.', '..' or '/' did not fail");
}

// link two scratch paths (or bad ones).
static void
act_link(void)
{
  int mf1, sp1, mf2, sp2;
  const char *old = path_mut(&mf1, &sp1);
  const char *new = path_mut(&mf2, &sp2);
  paths(old, new);
  long r = rawcall(SYS_link, (long)old, (long)new, 0);
  calls++;
  if(mf1 || sp1 || mf2 || sp2)
    expect(r == -1, "link with a bad path or of a directory did not fail", r);
}

// The inode number of "..", or 0.
static uint
parentino(void)
{
  calls++;
  if(stat("..", &st) < 0)
    return 0;
  return st.ino;
}

// chdir, keeping depth >= 1: the working directory never leaves fuzz.tmp.
static void
act_chdir(void)
{
  static const char *dirs[] = { "d0", "d1", "d0/d1", ".", "", "f0", "/nonexistent",
                                "abcdefghijklmnop", "n0", "d0/../d1" };
  static const char *siblings[] = { "../w0", "../w1", "../w2" };
  const char *path;
  int mustfail = 0;
  uint up;

  switch(rnd(9)){
  case 0:   // up a level, if that stays below fuzz.tmp
    up = parentino();
    if(depth < 2 || up == 0 || up == scratchino || up == ROOTINO)
      return;
    path = "..";
    break;
  case 1:   // over to another worker's directory
    if(depth != 1 || parentino() != scratchino)
      return;
    path = siblings[rnd(NELEM(siblings))];
    break;
  case 2:
    path = toolong;
    mustfail = 1;
    break;
  case 3:
    path = (const char *)badptr();
    mustfail = 1;
    break;
  default:
    path = dirs[rnd(NELEM(dirs))];
  }
  paths(path, 0);
  long r = rawcall(SYS_chdir, (long)path, 0, 0);
  calls++;
  if(mustfail)
    expect(r == -1, "chdir to a bad path did not fail", r);
  if(r == 0)
    depth += depthchange(path);
}

// Work in a directory that has been removed: mkdir t; cd t; unlink ../t
// (our own, empty, working directory), then try to create things in it
// and to walk out of it through "..".  With the longer form, the parent
// goes too (cd t/u; unlink ../u; unlink ../../t).  Nothing may be
// created in a removed directory (the inode would be lost when the
// directory goes), and its ".." must not lead to a freed inode.
static void
act_deadcwd(void)
{
  static char t[8], tu[12], up2[16];
  int r;

  t[0] = 't';
  t[1] = 'a' + mypid % 26;
  t[2] = 'a' + (mypid / 26) % 26;
  t[3] = 0;
  strcpy(tu, t);
  strcpy(tu + 3, "/u");
  strcpy(up2, "../../");
  strcpy(up2 + 6, t);      // up2 + 3 is "../t"

  calls++;
  if(mkdir(t) < 0)
    return;
  if(rnd(2) == 0){
    calls++;
    if(chdir(t) < 0)
      return;
    depth++;
    r = unlink("..");
    calls++;
    expect(r == -1, "unlink(\"..\") did not fail", r);
    unlink(up2 + 3);       // ../t: our own directory, empty
    calls++;
  } else {
    calls += 2;
    if(mkdir(tu) < 0 || chdir(tu) < 0)
      return;
    depth += 2;
    unlink("../u");        // our own directory
    unlink(up2);           // and its parent, empty now
    calls += 2;
  }
  // Whatever these do, no inode may be lost and none freed under us.
  for(int i = 0; i < 4; i++){
    r = open(names[NSPECIAL + rnd(4)], O_CREATE | O_RDWR);
    calls++;
    if(r >= 0){
      fdk[r] = kindof(r);
      close(r);
      fdk[r] = K_CLOSED;
      calls++;
    }
    mkdir("d0");
    calls++;
  }
  calls++;
  if(chdir("..") == 0)
    depth--;
}

// sbrk and sbrklazy, never below floor: a batch keeps its own code, data,
// stack and buffer.  (Its children go lower; see act_crash.)
static void
act_sbrk(void)
{
  uint64 brk = curbrk();
  char *r;
  int n;

  switch(rnd(9)){
  case 0:   // grow a little, eagerly
    n = 1 + rnd(16 * PGSIZE);
    r = sbrk(n);
    calls++;
    if(r == SBRK_ERROR)
      expect(curbrk() == brk, "a failed sbrk changed the break", curbrk());
    else
      expect((uint64)r == brk && curbrk() == brk + n, "sbrk moved the break wrongly", (long)r);
    break;
  case 1:   // far more than the machine has
    n = rnd(2) ? INT_MAX : 256 * 1024 * 1024 + rnd(1 << 20);
    r = sbrk(n);
    calls++;
    expect(r == SBRK_ERROR, "sbrk of more memory than the machine has did not fail", (long)r);
    expect(curbrk() == brk, "a failed sbrk changed the break", curbrk());
    break;
  case 2:   // a lot, maybe more than is free right now
    n = rnd(8 << 20);
    r = sbrk(n);
    calls++;
    if(r == SBRK_ERROR)
      expect(curbrk() == brk, "a failed sbrk changed the break", curbrk());
    else
      expect((uint64)r == brk && curbrk() == brk + n, "sbrk moved the break wrongly", (long)r);
    break;
  case 3: case 4:   // lazily: succeeds exactly when it stays below HEAPTOP
    n = rnd(3) ? rnd(64 << 20) : rnd(2) ? INT_MAX : (int)(rnext() & INT_MAX);
    r = sbrklazy(n);
    calls++;
    if(brk + n > HEAPTOP){
      expect(r == SBRK_ERROR, "sbrklazy past HEAPTOP did not fail", (long)r);
      expect(curbrk() == brk, "a failed sbrklazy changed the break", curbrk());
    } else {
      expect((uint64)r == brk, "sbrklazy did not return the old break", (long)r);
      expect(curbrk() == brk + n, "sbrklazy moved the break wrongly", curbrk());
      lazylo = brk;
      lazyhi = brk + n;
    }
    break;
  case 5: case 6:   // shrink, staying above floor
    if(brk <= floor)
      break;
    n = rnd(brk - floor + 1 > INT_MAX ? INT_MAX : brk - floor + 1);
    r = rnd(2) ? sbrk(-n) : sbrklazy(-n);
    calls++;
    expect((uint64)r == brk && curbrk() == brk - n, "shrinking sbrk moved the break wrongly", (long)r);
    if(lazyhi > curbrk())
      lazyhi = curbrk();
    break;
  case 7:   // shrink by more than everything: nothing happens
    if(brk >= INT_MAX)
      break;
    n = -(int)(brk + 1 + rnd(INT_MAX - brk));
    r = sbrk(n);
    calls++;
    expect((uint64)r == brk && curbrk() == brk, "sbrk shrinking by more than the whole size changed something", (long)r);
    break;
  default:  // neither eager nor lazy
    r = sys_sbrk(rnd(2) ? PGSIZE : -PGSIZE, rnd(2) ? 0 : 3 + rnd(100));
    calls++;
    expect(r == SBRK_ERROR, "sbrk with an unknown mode did not fail", (long)r);
    expect(curbrk() == brk, "sbrk with an unknown mode changed the break", curbrk());
  }
}

// Touch some pages between floor and the break (lazy ones appear).
static void
act_touch(void)
{
  uint64 brk = curbrk();
  if(brk <= floor)
    return;
  int n = 1 + rnd(32);
  for(int i = 0; i < n; i++){
    volatile char *p = (volatile char *)(floor + rnd(brk - floor));
    char v = rnext();
    *p = v;
    expect(*p == v, "a byte written to memory read back different", *p);
  }
}

// A private file: what is written must read back.
static void
act_roundtrip(void)
{
  static char name[16] = "p";
  int n = 1 + rnd(3 * BSIZE);
  char *out = heap, *in = heap + BUFSZ / 2;

  name[1] = 'a' + mypid % 26;
  name[2] = 'a' + (mypid / 26) % 26;
  name[3] = 'a' + (mypid / 676) % 26;
  name[4] = 0;
  for(int i = 0; i < n; i++)
    out[i] = 'a' + (i * 7 + mypid) % 26;
  int fd = open(name, O_CREATE | O_RDWR | O_TRUNC);
  calls++;
  if(fd < 0)
    return;   // disk or tables full
  fdk[fd] = K_FILE;
  int w = write(fd, out, n);
  calls++;
  close(fd);
  calls++;
  fdk[fd] = K_CLOSED;
  if(w == n && (fd = open(name, O_RDONLY)) >= 0){
    calls++;
    int r = read(fd, in, n + 10);
    calls++;
    expect(r == n, "a file read back shorter or longer than written", r);
    expect(memcmp(in, out, n) == 0, "a file read back different from what was written", n);
    close(fd);
    calls++;
  }
  unlink(name);
  calls++;
}

static void
act_fork(void);

// wait, storing the status in our variable, nowhere, or a bad place.
static void
act_wait(void)
{
  static int status;
  int bad = 0;
  uint64 dst = (uint64)&status;
  if(rnd(3) == 0){
    dst = rnd(2) ? badptr() : (uint64)main;
    bad = 1;
  } else if(rnd(4) == 0){
    dst = 0;   // "do not store the status"
  }
  long r = rawcall(SYS_wait, dst, 0, 0);
  calls++;
  if(nkids == 0){
    expect(r == -1, "wait with no children did not fail", r);
    return;
  }
  if(bad){
    expect(r == -1, "wait storing into a bad address did not fail", r);
    return;
  }
  for(int i = 0; i < nkids; i++){
    if(kids[i] == r){
      kids[i] = kids[--nkids];
      if(dst && status == FAILCODE)
        fail("a child reported a failed check", r);
      return;
    }
  }
  fail("wait returned a pid that is not a child", r);
}

// kill one of our children, a pid that does not exist, or (rarely) ourselves.
static void
act_kill(void)
{
  static const int nopid[] = { 0, -1, INT_MIN, NOT_A_PID, INT_MAX };
  int r;

  if(nkids > 0 && rnd(2)){
    int pid = kids[rnd(nkids)];
    r = kill(pid);
    calls++;
    expect(r == 0, "kill of an unreaped child failed", r);
    return;
  }
  if(rnd(40) == 0){
    calls++;
    kill(mypid);      // dies on the way back to user mode
    return;
  }
  r = rawcall(SYS_kill, junkint(nopid[rnd(NELEM(nopid))]), 0, 0);
  calls++;
  expect(r == -1, "kill of a pid that does not exist did not fail", r);
}

// Write one of the files e0..e2: garbage that exec must refuse, or a
// tiny program that exits 7 (or loops until the watchdog ends it).
static void
act_garbage(void)
{
  static const char *gnames[] = { "e0", "e1", "e2" };
  struct elfhdr *eh = (struct elfhdr *)heap;
  struct proghdr *ph = (struct proghdr *)(heap + sizeof(*eh));
  uint len = sizeof(*eh) + 2 * sizeof(*ph);
  uint *code = (uint *)(heap + len);

  for(int i = 0; i < 1024; i++)
    ((uint *)heap)[i] = rnext();
  switch(rnd(8)){
  case 0:   // random bytes
    len = rnd(3000);
    break;
  case 1:   // an ELF header and random program headers
    eh->magic = ELF_MAGIC;
    eh->phnum = rnd(2) ? rnd(4) : rnext();
    eh->phoff = rnd(2) ? sizeof(*eh) : rnext();
    eh->phentsize = rnd(4) ? sizeof(*ph) : rnext();
    len = rnd(4000);
    break;
  default:  // plausible, with one thing wrong (or nothing)
    eh->magic = ELF_MAGIC;
    eh->phoff = sizeof(*eh);
    eh->phentsize = sizeof(*ph);
    eh->phnum = 1;
    eh->entry = len;
    ph[0].type = ELF_PROG_LOAD;
    ph[0].flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
    ph[0].off = 0;
    ph[0].vaddr = 0;
    ph[0].filesz = len + 16;
    ph[0].memsz = len + 16;
    ph[0].align = PGSIZE;
    // li a0, 7; li a7, SYS_exit; ecall -- or an endless loop.
    code[0] = 0x00700513;
    code[1] = 0x00000893 | (SYS_exit << 20);
    code[2] = 0x00000073;
    code[3] = rnd(8) ? 0x00000073 : 0x0000006f;
    if(code[3] == 0x0000006f)
      code[0] = 0x0000006f;   // j . at the entry: the watchdog ends it
    len += 16;
    switch(rnd(9)){
    case 0: ph[0].memsz = ph[0].filesz - 1; break;          // filesz > memsz
    case 1: ph[0].vaddr = 100; break;                       // misaligned
    case 2: ph[0].vaddr = -PGSIZE; break;                   // wraps
    case 3: ph[0].memsz = 0x7ff0000000UL; break;            // past TRAPFRAME
    case 4: ph[0].memsz = 200 << 20; break;                 // more than RAM
    case 5: ph[0].off = 1 << 20; break;                     // beyond the file
    case 6: ph[0].vaddr = TRAPFRAME - PGSIZE; ph[0].memsz = 3 * PGSIZE; break;
    case 7: eh->phnum = 2; ph[1] = ph[0]; break;            // overlapping
    default: break;                                         // valid
    }
  }
  int fd = open(gnames[rnd(NELEM(gnames))], O_CREATE | O_WRONLY | O_TRUNC);
  calls++;
  if(fd < 0)
    return;
  write(fd, heap, len);
  close(fd);
  calls += 2;
}

// exec a garbage file, a real program, a directory or a bad path, with
// arguments that may be too many, too long or bad pointers.
static void
act_exec(void)
{
  static const char *progs[] = { "e0", "e1", "e2", "/echo", "/ls", "f0", "d0", "/",
                                 "", "/nonexistent", "n0", "e0/" };
  static char *args[MAXARG + 8];
  uint64 argvp = (uint64)args;
  const char *path;

  switch(rnd(10)){
  case 0: path = toolong; break;
  case 1: path = (const char *)badptr(); break;
  default: path = progs[rnd(NELEM(progs))];
  }
  int n = rnd(6);
  for(int i = 0; i < MAXARG + 8; i++)
    args[i] = "arg";
  switch(rnd(8)){
  case 0:   // too many arguments
    n = MAXARG + 1 + rnd(6);
    break;
  case 1:   // a bad argv pointer
    argvp = rnd(2) ? badptr() : curbrk() - 4;
    break;
  case 2: {  // a bad string pointer
    int i = rnd(n + 1);
    args[i] = (char *)badptr();
    if(i == n)
      n++;
    break;
  }
  case 3:   // a string with no NUL within a page
    memset(heap, 'z', 2 * PGSIZE);
    heap[2 * PGSIZE] = 0;
    args[0] = heap;
    if(n == 0)
      n = 1;
    break;
  case 4:   // strings from our buffer, whatever they hold
    for(int i = 0; i < n; i++)
      args[i] = heap + rnd(BUFSZ / 2);
    heap[BUFSZ / 2] = 0;
    break;
  }
  if(n <= MAXARG + 7)
    args[n] = 0;
  else
    args[MAXARG + 7] = 0;
  paths(path, 0);
  long r = rawcall(SYS_exec, (long)path, argvp, 0);
  calls++;
  // exec returns only when it fails.
  expect(r == -1, "exec returned, but not -1", r);
}

// The harmless calls: getpid, uptime, short sleeps, unknown call
// numbers, and a check of the descriptor table.
static void
act_misc(void)
{
  long r;
  uint up;
  // No call has these numbers (63 is the last one kept for labs, and 64
  // up are halt and the like: never pick one of those).
  static const long unknown[] = { 0, 63, 1000, -1, (1L << 32) | SYS_getpid, (1L << 32) | SYS_fork };

  switch(rnd(8)){
  case 0: case 1:
    r = getpid();
    calls++;
    expect(r == mypid, "getpid changed", r);
    break;
  case 2: case 3:
    up = uptime();
    calls++;
    expect(up >= lastup, "uptime went backwards", up);
    lastup = up;
    break;
  case 4: case 5:
    r = sleep(rnd(2) ? rnd(3) : -(int)rnd(1000));
    calls++;
    expect(r == 0, "a short sleep failed", r);
    break;
  case 6:
    if(rnd(10) == 0){
      r = rawcall(unknown[rnd(NELEM(unknown))], rnext(), rnext(), rnext());
      calls++;
      expect(r == -1, "an unknown system call number did not fail", r);
    }
    break;
  default:
    fdcheck();
  }
}

// Memory accesses and instructions that get the caller killed; a child
// does one of these at most, as its last act.
static void
act_crash(void)
{
  uint64 brk = curbrk();
  volatile char *p;

  switch(rnd(12)){
  case 0: p = (volatile char *)badptr(); (void)*p; break;
  case 1: p = (volatile char *)badptr(); *p = 1; break;
  case 2: p = (volatile char *)main; *p = 1; break;                 // store to text
  case 3: p = (volatile char *)guardpage(); (void)*p; break;
  case 4: ((void (*)(void))heap)(); break;                          // heap is not executable
  case 5: ((void (*)(void))badptr())(); break;
  case 6: asm volatile(".word 0"); break;                           // illegal instruction
  case 7: asm volatile("csrr t0, sstatus" ::: "t0"); break;         // privileged
  case 8: asm volatile("ebreak"); break;
  case 9: asm volatile("amoadd.w zero, zero, (%0)" :: "r"(heap + 1) : "memory"); break;
  case 10:  // give back our own code and stack
    calls++;
    sbrk(-(int)(brk > INT_MAX ? INT_MAX : brk));
    break;
  default:  // shrink to a random size below floor
    calls++;
    sbrk(-(int)rnd(brk > INT_MAX ? INT_MAX : brk));
    break;
  }
}

// A batch's child: a few calls, none that can block for long, maybe a
// fatal one at the end, then exit with a random status.
static void
childwork(void)
{
  inchild = 1;
  nkids = 0;
  mypid = getpid();
  close(MARK_FD);
  fdk[MARK_FD] = K_CLOSED;
  for(int fd = 0; fd < NOFILE; fd++){
    if(fdk[fd] == K_PREAD || fdk[fd] == K_PWRITE){
      close(fd);
      fdk[fd] = K_CLOSED;
    }
  }
  int n = 1 + rnd(8);
  for(int i = 0; i < n; i++){
    paths(0, 0);
    switch(rnd(12)){
    case 0: act_open(); break;
    case 1: act_write(); break;
    case 2: act_read(); break;
    case 3: act_close(); break;
    case 4: act_sbrk(); break;
    case 5: act_touch(); break;
    case 6: act_unlink(); break;
    case 7: act_mkdir(); break;
    case 8: act_misc(); break;
    case 9:   // a lot of memory, lazily, touched all over
      if(sbrklazy(1 << 30) != SBRK_ERROR){
        lazylo = curbrk() - (1 << 30);
        lazyhi = curbrk();
        floor = lazylo;
        act_touch();
      }
      break;
    default:
      if(rnd(3) == 0)
        act_crash();
    }
  }
  exit((int)rnext());
}

// fork a child that runs childwork(); keep at most MAXKIDS of them.
static void
act_fork(void)
{
  if(nkids >= MAXKIDS){
    int status;
    int r = wait(&status);
    calls++;
    for(int i = 0; i < nkids; i++){
      if(kids[i] == r){
        kids[i] = kids[--nkids];
        if(status == FAILCODE)
          fail("a child reported a failed check", r);
        r = 0;
        break;
      }
    }
    expect(r == 0, "wait returned a pid that is not a child", r);
  }
  int pid = fork();
  calls++;
  if(pid == 0)
    childwork();
  if(pid > 0)
    kids[nkids++] = pid;
}

// Fill the process table for a moment: fork until it fails, then reap.
static void
act_forkmany(void)
{
  static int pids[NPROC];
  int n = 0, status;

  while(n < NPROC){
    int pid = fork();
    calls++;
    if(pid == 0)
      exit(n);
    if(pid < 0)
      break;
    pids[n++] = pid;
  }
  for(int reaped = 0; reaped < n; reaped++){
    int r = wait(&status);
    calls++;
    int found = -1;
    for(int i = 0; i < n; i++){
      if(pids[i] == r)
        found = i;
    }
    if(found < 0){
      // One of the batch's other children.
      for(int i = 0; i < nkids; i++){
        if(kids[i] == r){
          kids[i] = kids[--nkids];
          found = NPROC;
        }
      }
      expect(found == NPROC, "wait returned a pid that is not a child", r);
      reaped--;
      continue;
    }
    expect(status == found, "a child's exit status came back wrong", status);
    pids[found] = 0;
  }
}

// A storm reader, child number i of a storm: open a storm file, wait at
// the gate until the whole storm is forked, read the file and check its
// bytes.
static void
storm_child(int i, int gate[2])
{
  static char name[32];
  char c;

  close(gate[1]);
  int f = (i + bseed) % NSTORMF;
  storm_name(name, f);
  int fd = open(name, O_RDONLY);
  // Make the buffer's pages this process's own now.  After fork they
  // are shared copy-on-write, and a read into a shared page needs a
  // free page for the copy: with memory run out by other workers it
  // would fail for that reason alone, not for the buffer cache's.  A
  // store that finds no page kills this reader, which the leader
  // accepts (only FAILCODE is a failed check).
  for(int j = 0; j < BSIZE; j += PGSIZE)
    heap[j] = 0;
  heap[BSIZE - 1] = 0;
  read(gate[0], &c, 1);
  if(fd < 0)
    exit(0);   // out of files or inodes just now: nothing to check
  for(int k = 0; k < STORMBLKS; k++){
    int r = read(fd, heap, BSIZE);
    expect(r == BSIZE, "a storm reader's read came back short", r);
    for(int j = 0; j < BSIZE; j++)
      expect((uchar)heap[j] == storm_byte(f, k), "a storm reader read bytes not of its file", j);
  }
  exit(0);
}

// The leader of a storm: keep only the console, shrink to the batch's
// base memory, so that many children fit, fork up to STORM_KIDS readers,
// open the gate once all are forked, and reap them.  Exits FAILCODE if
// one failed.
static void
storm_leader(void)
{
  int gate[2], status, n = 0, failed = 0;

  inchild = 1;
  for(int fd = 0; fd < REPORT_FD; fd++)
    close(fd);   // the batch's files and pipes, and MARK_FD
  while(curbrk() > floor){
    uint64 excess = curbrk() - floor;
    sbrk(-(int)(excess > (1 << 30) ? (1 << 30) : excess));
  }
  if(pipe(gate) < 0)
    exit(0);
  while(n < STORM_KIDS){
    int pid = fork();
    if(pid < 0)
      break;
    if(pid == 0)
      storm_child(n, gate);
    n++;
  }
  close(gate[0]);
  close(gate[1]);
  while(wait(&status) > 0)
    failed |= status == FAILCODE;
  exit(failed ? FAILCODE : 0);
}

// A storm: up to STORM_KIDS processes read blocks of the storm files all
// at the same moment, most of them not cached -- more buffers wanted at
// once than the cache has.  The kernel must make them wait, not panic.
// (A leader process does it; see storm_leader.)
static void
act_storm(void)
{
  int status;

  int leader = fork();
  calls++;
  if(leader < 0)
    return;
  if(leader == 0)
    storm_leader();
  // Reap the leader, and whatever other children end meanwhile.
  for(;;){
    int r = wait(&status);
    calls++;
    expect(r > 0, "wait lost the storm's leader", r);
    if(status == FAILCODE)
      fail("a storm reader or a child reported a failed check", r);
    if(r == leader)
      break;
    for(int i = 0; i < nkids; i++){
      if(kids[i] == r){
        kids[i] = kids[--nkids];
        break;
      }
    }
  }
}

// One batch process: BATCH random calls (fewer if time is up), then exit
// with the number of calls made.
static void
batch(int worker, uint seed, uint deadline, int markfd)
{
  wid = worker;
  bseed = seed;
  rseed(seed);
  mypid = getpid();
  lastup = uptime();
  depth = 1;

  // Keep the console at REPORT_FD and the worker's mark pipe at
  // MARK_FD, nothing else: fill every slot with the console, then put
  // the mark pipe in MARK_FD's place and close everything below it.
  for(int fd = 3; fd < NOFILE; fd++){
    if(fd != markfd)
      close(fd);
  }
  while(dup(1) >= 0)
    ;
  close(MARK_FD);
  havemark = markfd >= 0 && markfd < MARK_FD && dup(markfd) == MARK_FD;
  for(int fd = 0; fd < MARK_FD; fd++){
    close(fd);
    fdk[fd] = K_CLOSED;
  }
  fdk[MARK_FD] = K_RESERVED;
  fdk[REPORT_FD] = K_RESERVED;

  heap = sbrk(BUFSZ);
  if(heap == SBRK_ERROR)
    exit(0);   // no memory now; the worker tries again
  floor = (uint64)heap + BUFSZ;

  memset(longname, 'L', MAXPATH - 1);
  for(int i = 0; i < MAXPATH - 1; i++)
    deeppath[i] = i % 2 ? '/' : 'a';
  memset(toolong, 'T', sizeof(toolong));

  for(int i = 0; i < BATCH && uptime() < deadline; i++){
    paths(0, 0);
    switch(rnd(40)){
    case 0: case 1: case 2: act_open(); break;
    case 3: case 4: act_close(); break;
    case 5: act_dup(); break;
    case 6: case 7: case 8: act_read(); break;
    case 9: case 10: case 11: act_write(); break;
    case 12: act_fstat(); break;
    case 13: act_pipe(); break;
    case 14: case 15: act_mkdir(); break;
    case 16: act_mknod(); break;
    case 17: case 18: act_unlink(); break;
    case 19: act_link(); break;
    case 20: case 21: act_chdir(); break;
    case 22: case 23: case 24: act_sbrk(); break;
    case 25: act_touch(); break;
    case 26: act_roundtrip(); break;
    case 27: case 28: act_fork(); break;
    case 29: act_wait(); break;
    case 30: act_kill(); break;
    case 31: act_garbage(); break;
    case 32: act_exec(); break;
    case 33:
      if(rnd(20) == 0)
        act_forkmany();
      break;
    case 34:
      if(rnd(4) == 0)
        act_deadcwd();
      break;
    case 35: act_zero(); break;
    case 36:
      if(rnd(2) == 0)
        act_storm();
      break;
    default: act_misc(); break;
    }
  }
  exit(calls);
}

// ---- Workers ---------------------------------------------------------------

struct result {
  int calls;
  int batches;
  int timeouts;
  int failures;
};

// Run batches until the deadline; send the totals down fd `out`.
static void
worker(int id, uint64 seed, uint deadline, int out)
{
  static char dir[32];
  struct result res = { 0, 0, 0, 0 };

  strcpy(dir, SCRATCH "/w0");
  dir[strlen(dir) - 1] = '0' + id;
  rseed(seed);
  while(uptime() < deadline){
    uint bs = (uint)rnext();
    // Another worker's batch may have removed our directory.
    if(chdir(dir) < 0 && (mkdir(dir) < 0 || chdir(dir) < 0)){
      sleep(2);
      continue;
    }
    int mk[2];
    if(pipe(mk) < 0)
      mk[0] = mk[1] = -1;
    int b = fork();
    if(b < 0){
      if(mk[0] >= 0){
        close(mk[0]);
        close(mk[1]);
      }
      sleep(2);   // out of processes or memory for now
      continue;
    }
    if(b == 0){
      close(out);
      if(mk[0] >= 0)
        close(mk[0]);
      batch(id, bs, deadline, mk[1]);
    }
    if(mk[1] >= 0)
      close(mk[1]);
    int t = -1;
    for(int tries = 0; t < 0 && tries < 50; tries++){
      t = fork();
      if(t == 0){
        close(out);
        sleep(WATCHDOG);
        kill(b);
        exit(0);
      }
      if(t < 0)
        sleep(1);
    }
    if(t < 0)
      kill(b);   // no watchdog to be had: do not risk waiting for ever

    int status, pid = wait(&status);
    if(pid == t){
      res.timeouts++;
      pid = wait(&status);
    } else if(t > 0){
      kill(t);
      wait(0);
    }
    if(pid != b){
      printf("fuzz: FAIL: worker %d: wait returned %d, not batch %d\n", id, pid, b);
      res.failures++;
      break;
    }
    // The batch's last tag: a call it was in when the watchdog ended it.
    char tags[64], last = '.';
    int n;
    while(mk[0] >= 0 && (n = read(mk[0], tags, sizeof(tags))) > 0)
      last = tags[n - 1];
    if(mk[0] >= 0)
      close(mk[0]);
    if(last != '.'){
      printf("fuzz: FAIL: worker %d, batch seed %u: a %s of 0 bytes blocked\n",
             id, bs, last == 'r' ? "read" : "write");
      res.failures++;
    }
    res.batches++;
    if(status == FAILCODE)
      res.failures++;
    else if(status > 0 && status < FAILCODE)
      res.calls += status;
  }
  write(out, &res, sizeof(res));
  exit(0);
}

// ---- Setting up and cleaning up ---------------------------------------------

// Write the storm files that act_storm's readers read.  Returns 0, or -1
// if one could not be written.
static int
make_storm_files(void)
{
  static char name[32], block[BSIZE];

  for(int f = 0; f < NSTORMF; f++){
    storm_name(name, f);
    int fd = open(name, O_CREATE | O_TRUNC | O_WRONLY);
    if(fd < 0)
      return -1;
    for(int k = 0; k < STORMBLKS; k++){
      memset(block, storm_byte(f, k), BSIZE);
      if(write(fd, block, BSIZE) != BSIZE){
        close(fd);
        return -1;
      }
    }
    close(fd);
  }
  return 0;
}

// Remove the directory tree dir (in the current directory), without
// recursion: a user stack is one page.  Returns 0, or -1 if something
// could not be removed.
static int
removetree(const char *dir)
{
  static char name[DIRSIZ + 1];
  int level = 0, steps = 0;

  if(chdir(dir) < 0)
    return unlink(dir) == 0 ? 0 : -1;
  while(steps++ < 5000){
    int fd = open(".", O_RDONLY), descended = 0;
    if(fd < 0)
      break;
    while(read(fd, &de, sizeof(de)) == sizeof(de)){
      if(de.inum == 0)
        continue;
      memmove(name, de.name, DIRSIZ);
      name[DIRSIZ] = 0;
      if(strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        continue;
      if(unlink(name) == 0)
        continue;
      if(stat(name, &st) == 0 && st.type == T_DIR && chdir(name) == 0){
        level++;
        descended = 1;
        break;
      }
      printf("fuzz: cannot remove %s\n", name);
    }
    close(fd);
    if(descended)
      continue;
    if(level == 0)
      break;
    chdir("..");
    level--;
  }
  while(level-- > 0)
    chdir("..");
  chdir("..");
  return unlink(dir) == 0 ? 0 : -1;
}

int
main(int argc, char *argv[])
{
  int secs = argc > 1 ? atoi(argv[1]) : 10;
  uint seed = argc > 2 ? (uint)atoi(argv[2]) : (uint)(uptime() * 2654435761u) % 1000000007u;
  int nprocs = argc > 3 ? atoi(argv[3]) : 4;
  int fds[2];
  struct result res, total = { 0, 0, 0, 0 };
  static char dir[32];

  if(secs <= 0 || nprocs <= 0 || nprocs > MAXWORKERS){
    fprintf(2, "usage: fuzz [SECONDS [SEED [NPROCS (1-%d)]]]\n", MAXWORKERS);
    exit(1);
  }
  printf("fuzz: seed %u, %d s, %d processes\n", seed, secs, nprocs);

  int before = freemem();
  removetree(SCRATCH);
  if(mkdir(SCRATCH) < 0){
    printf("fuzz: FAIL: cannot make %s\n", SCRATCH);
    exit(1);
  }
  for(int i = 0; i < nprocs; i++){
    strcpy(dir, SCRATCH "/w0");
    dir[strlen(dir) - 1] = '0' + i;
    mkdir(dir);
  }
  if(stat(SCRATCH, &st) < 0){
    printf("fuzz: FAIL: cannot stat %s\n", SCRATCH);
    exit(1);
  }
  if(make_storm_files() < 0){
    printf("fuzz: FAIL: cannot write the storm files\n");
    exit(1);
  }
  scratchino = st.ino;
  if(pipe(fds) < 0){
    printf("fuzz: FAIL: pipe\n");
    exit(1);
  }

  rseed(seed);
  uint deadline = uptime() + secs * 100;
  for(int i = 0; i < nprocs; i++){
    uint64 wseed = rnext();
    int pid = fork();
    if(pid < 0){
      printf("fuzz: FAIL: cannot start worker %d\n", i);
      exit(1);
    }
    if(pid == 0){
      close(fds[0]);
      worker(i, wseed, deadline, fds[1]);
    }
  }
  close(fds[1]);
  while(wait(0) >= 0)
    ;
  int nres = 0;
  while(read(fds[0], &res, sizeof(res)) == sizeof(res)){
    total.calls += res.calls;
    total.batches += res.batches;
    total.timeouts += res.timeouts;
    total.failures += res.failures;
    nres++;
  }
  close(fds[0]);
  uint tdone = uptime();

  // Orphans of killed batches are init's to reap; give them time.
  int settle = 0;
  while(freemem() != before && settle++ < SETTLE)
    sleep(1);
  uint tsettled = uptime();
  int cleaned = removetree(SCRATCH) == 0;
  int after = freemem();
  uint tclean = uptime();

  printf("fuzz: seed %u, %d calls, free pages before %d after %d\n",
         seed, total.calls, before, after);
  printf("fuzz: %d batches, %d stopped by the watchdog, %d failed checks\n",
         total.batches, total.timeouts, total.failures);
  printf("fuzz: ticks past the deadline: workers %d, settling %d, clean-up %d\n",
         tdone - deadline, tsettled - tdone, tclean - tsettled);
  int ok = 1;
  if(nres != nprocs){
    printf("fuzz: FAIL: %d of %d workers reported\n", nres, nprocs);
    ok = 0;
  }
  if(!cleaned){
    printf("fuzz: FAIL: could not remove %s\n", SCRATCH);
    ok = 0;
  }
  if(total.failures){
    printf("fuzz: FAIL: %d checks failed\n", total.failures);
    ok = 0;
  }
  if(after != before){
    printf("fuzz: LEAK of %d pages (before %d, after %d)\n", before - after, before, after);
    ok = 0;
  }
  if(ok)
    printf("fuzz: OK\n");
  exit(ok ? 0 : 1);
}
