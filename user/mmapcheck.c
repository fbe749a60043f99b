// mmapcheck: tests of mmap and munmap (docs/labs/mmap.md).  The mmap
// lab's grader runs it; so can you.
//
//   $ mmapcheck              every part
//   $ mmapcheck shared fork  only those parts
//
// Each part prints `mmapcheck: PART: OK`, or `mmapcheck: PART: FAIL:`
// and what it saw, and must give back every page it took: the free
// page count after the part must be what it was before.
// lab mmap: handout

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/riscv.h"
#include "user/user.h"

#define MAP_FAILED ((char *)-1)
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static char *part_name;
static int part_failed;
static char buf[3 * PGSIZE];

// Report a failed check of the running part and leave the part.
#define CHECK(ok, ...) do { if(!(ok)){ \
      printf("mmapcheck: %s: FAIL: ", part_name); printf(__VA_ARGS__); printf("\n"); \
      part_failed = 1; return; } } while(0)

// The byte a test file holds at offset i.
static char
byte_at(int i)
{
  return 'a' + (i / 7 + i / PGSIZE) % 26;
}

// Make file name hold n bytes, byte i being byte_at(i).  0, or -1.
static int
make_file(char *name, int n)
{
  unlink(name);
  int fd = open(name, O_CREATE | O_WRONLY);
  if(fd < 0)
    return -1;
  for(int i = 0; i < n; i++)
    buf[i % sizeof(buf)] = byte_at(i);
  int w = 0;
  while(w < n){
    int chunk = n - w < sizeof(buf) ? n - w : sizeof(buf);
    if(write(fd, buf, chunk) != chunk){
      close(fd);
      return -1;
    }
    w += chunk;
  }
  close(fd);
  return 0;
}

// Read n bytes of file name from offset off into buf.  The bytes read.
static int
read_file(char *name, int off, int n)
{
  int fd = open(name, O_RDONLY);
  if(fd < 0)
    return -1;
  int got = 0;
  for(int skipped = 0; skipped < off; ){
    int chunk = off - skipped < sizeof(buf) ? off - skipped : sizeof(buf);
    int r = read(fd, buf, chunk);
    if(r <= 0){
      close(fd);
      return -1;
    }
    skipped += r;
  }
  while(got < n){
    int r = read(fd, buf + got, n - got);
    if(r <= 0)
      break;
    got += r;
  }
  close(fd);
  return got;
}

// The size of file name, or -1.
static int
file_size(char *name)
{
  struct stat st;
  if(stat(name, &st) < 0)
    return -1;
  return (int)st.size;
}

// Map n bytes of file name opened with omode.  The address, or MAP_FAILED.
static char *
map(char *name, int omode, uint64 n, int prot, int flags, uint64 off)
{
  int fd = open(name, omode);
  if(fd < 0)
    return MAP_FAILED;
  char *p = mmap(0, n, prot, flags, fd, off);
  close(fd);   // the mapping keeps the file open by itself
  return p;
}

// Index of the first byte of p[0..n) that is not what the file holds
// from offset off (zeros from size on), or -1 if all are.
static int
mismatch(char *p, int n, int off, int size)
{
  for(int i = 0; i < n; i++){
    char want = off + i < size ? byte_at(off + i) : 0;
    if(p[i] != want)
      return i;
  }
  return -1;
}

// Run fn in a child and return its exit status (-1: killed).
static int
in_child(void (*fn)(char *), char *arg)
{
  int pid = fork();
  if(pid < 0)
    return -2;
  if(pid == 0){
    fn(arg);
    exit(0);
  }
  int st = -2;
  wait(&st);
  return st;
}

// ---- The parts ------------------------------------------------------

// Pages come from the file, from the offset asked for, zeros past its
// end; none is read before it is touched.
static void
part_read(void)
{
  int size = 2 * PGSIZE + 100;
  CHECK(make_file("mc_read", size) == 0, "cannot make the test file");
  int f0 = freemem();
  char *p = map("mc_read", O_RDONLY, 4 * PGSIZE, PROT_READ, MAP_PRIVATE, 0);
  CHECK(p != MAP_FAILED, "mmap of 4 pages, PROT_READ, MAP_PRIVATE, of a file opened "
        "O_RDONLY failed");
  CHECK(((uint64)p % PGSIZE) == 0, "mmap returned %p, not page aligned", p);
  int f1 = freemem();
  CHECK(f1 >= f0 - 1, "mmap took %d pages before any was touched; a lazy mmap takes none",
        f0 - f1);

  // Lazy: a write to the file after mmap shows in a page not touched yet.
  int fd = open("mc_read", O_RDWR);
  CHECK(fd >= 0 && write(fd, "Z", 1) == 1, "cannot rewrite the file's first byte");
  close(fd);
  CHECK(p[0] == 'Z', "the first byte reads %d after the file changed to 'Z': "
        "the page was read at mmap time, not on first touch", p[0]);
  CHECK(freemem() >= f1 - 2, "touching one page took %d pages", f1 - freemem());
  int bad = mismatch(p + 1, 4 * PGSIZE - 1, 1, size);
  CHECK(bad < 0, "mapped byte %d is %d, the file's is %d (zeros past its end at %d)",
        bad + 1, p[bad + 1], bad + 1 < size ? byte_at(bad + 1) : 0, size);
  CHECK(munmap(p, 4 * PGSIZE) == 0, "munmap of the whole mapping failed");

  char *q = map("mc_read", O_RDONLY, PGSIZE + 100, PROT_READ, MAP_SHARED, PGSIZE);
  CHECK(q != MAP_FAILED, "mmap at file offset PGSIZE failed");
  bad = mismatch(q, 2 * PGSIZE, PGSIZE, size);
  CHECK(bad < 0, "mapping from offset PGSIZE: byte %d is %d, the file's is %d", bad,
        q[bad], PGSIZE + bad < size ? byte_at(PGSIZE + bad) : 0);
  CHECK(munmap(q, 2 * PGSIZE) == 0, "munmap of the offset mapping failed");
  unlink("mc_read");
}

// MAP_PRIVATE: stores stay in the process, even on a read-only file.
static void
part_private(void)
{
  int size = 2 * PGSIZE;
  CHECK(make_file("mc_priv", size) == 0, "cannot make the test file");
  char *p = map("mc_priv", O_RDONLY, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
  CHECK(p != MAP_FAILED, "a writable MAP_PRIVATE mapping of a file opened O_RDONLY "
        "failed; private stores never reach the file, so it is allowed");
  for(int i = 0; i < size; i += 100)
    p[i] = '#';
  CHECK(p[100] == '#' && p[101] == byte_at(101), "the mapping does not hold what was "
        "stored in it");
  CHECK(munmap(p, size) == 0, "munmap failed");
  CHECK(read_file("mc_priv", 0, size) == size, "cannot read the file back");
  int bad = mismatch(buf, size, 0, size);
  CHECK(bad < 0, "after munmap of a MAP_PRIVATE mapping the file's byte %d is %d: "
        "a private store reached the file", bad, buf[bad]);
  unlink("mc_priv");
}

// MAP_SHARED: munmap writes dirty pages back, never past the end of
// the file; munmap of the first or last pages leaves the rest mapped.
static void
part_shared(void)
{
  int size = 2 * PGSIZE + PGSIZE / 2;
  CHECK(make_file("mc_shared", size) == 0, "cannot make the test file");
  char *p = map("mc_shared", O_RDWR, 3 * PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
  CHECK(p != MAP_FAILED, "mmap of 3 pages, read/write, MAP_SHARED failed");
  for(int i = 0; i < 3 * PGSIZE; i++)
    p[i] = 'A' + i / PGSIZE;

  CHECK(munmap(p + PGSIZE, PGSIZE / 2) == -1, "munmap of half of the middle page (a "
        "hole in the middle) succeeded");
  CHECK(munmap(p + 2 * PGSIZE, PGSIZE) == 0, "munmap of the last page failed");
  CHECK(file_size("mc_shared") == size, "the file is %d bytes after munmap of the "
        "last page, %d before: write-back must not make it longer",
        file_size("mc_shared"), size);
  CHECK(read_file("mc_shared", 2 * PGSIZE, PGSIZE) == PGSIZE / 2 && buf[0] == 'C' &&
        buf[PGSIZE / 2 - 1] == 'C', "the last page's stores are not in the file");
  CHECK(munmap(p, PGSIZE) == 0, "munmap of the first page failed");
  CHECK(read_file("mc_shared", 0, PGSIZE) == PGSIZE && buf[0] == 'A' &&
        buf[PGSIZE - 1] == 'A', "the first page's stores are not in the file");
  CHECK(read_file("mc_shared", PGSIZE, 1) == 1 && buf[0] == byte_at(PGSIZE),
        "the middle page, still mapped, reached the file already");
  CHECK(p[PGSIZE] == 'B' && p[2 * PGSIZE - 1] == 'B', "the middle page lost its "
        "contents when the pages around it were unmapped");
  p[PGSIZE] = 'M';
  CHECK(munmap(p + PGSIZE, PGSIZE) == 0, "munmap of the middle page, the last one left, "
        "failed");
  CHECK(read_file("mc_shared", PGSIZE, 2) == 2 && buf[0] == 'M' && buf[1] == 'B',
        "the middle page's stores are not in the file");
  CHECK(munmap(p + PGSIZE, PGSIZE) == -1, "a second munmap of the same page succeeded");

  // Two mappings of one file side by side, one of them read-only.
  char *r = map("mc_shared", O_RDONLY, PGSIZE, PROT_READ, MAP_SHARED, 0);
  char *w = map("mc_shared", O_RDWR, PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
  CHECK(r != MAP_FAILED && w != MAP_FAILED && r != w, "two mappings of one file: %p, %p",
        r, w);
  CHECK(r[0] == 'A', "the read-only mapping reads %d, not 'A'", r[0]);
  w[0] = 'w';
  CHECK(munmap(w, PGSIZE) == 0 && munmap(r, PGSIZE) == 0, "munmap of the two failed");
  CHECK(read_file("mc_shared", 0, 1) == 1 && buf[0] == 'w', "the writable mapping's "
        "store did not reach the file past the read-only mapping's munmap");
  unlink("mc_shared");
}

// A child that stores into a shared mapping and exits without munmap.
static void
store_and_exit(char *name)
{
  char *p = map(name, O_RDWR, 2 * PGSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
  if(p == MAP_FAILED)
    exit(2);
  p[0] = 'e';
  p[PGSIZE + 1] = 'x';
}

// The same, then killed by a store to a read-only mapping.
static void
store_and_die(char *name)
{
  store_and_exit(name);
  char *r = map(name, O_RDWR, PGSIZE, PROT_READ, MAP_SHARED, 0);
  if(r == MAP_FAILED)
    exit(2);
  r[0] = 'k';   // kills: PROT_READ
  exit(3);
}

// exit writes back what munmap would have, also when the process is
// killed.
static void
part_exit(void)
{
  int size = 2 * PGSIZE;
  CHECK(make_file("mc_exit", size) == 0, "cannot make the test file");
  int st = in_child(store_and_exit, "mc_exit");
  CHECK(st == 0, "the child exited with %d", st);
  CHECK(read_file("mc_exit", 0, size) == size && buf[0] == 'e' && buf[PGSIZE + 1] == 'x',
        "a child stored into a shared mapping and exited: the file has %d, %d, "
        "expected 'e', 'x'", buf[0], buf[PGSIZE + 1]);
  CHECK(mismatch(buf + 1, PGSIZE, 1, size) < 0, "exit wrote more than the stores");

  CHECK(make_file("mc_exit", size) == 0, "cannot make the test file again");
  st = in_child(store_and_die, "mc_exit");
  CHECK(st == -1, "a store to a PROT_READ mapping: the child exited with %d, expected "
        "-1 (killed)", st);
  CHECK(read_file("mc_exit", 0, size) == size && buf[0] == 'e' && buf[PGSIZE + 1] == 'x',
        "a killed child's stores into a shared mapping are not in the file");
  unlink("mc_exit");
}

static char *fork_private, *fork_shared;

// The child of part_fork: checks what it inherited, then stores.
static void
fork_child(char *unused)
{
  if(fork_private[0] != 'P' || fork_private[1] != byte_at(1))
    exit(10);   // the page the parent touched is not the parent's
  if(fork_private[PGSIZE] != byte_at(PGSIZE))
    exit(11);   // the page the parent never touched is not the file's
  if(fork_shared[0] != 'S')
    exit(12);
  fork_private[0] = 'c';
  fork_shared[1] = 'c';
  if(munmap(fork_shared, PGSIZE) != 0)   // the first page only
    exit(13);
  if(fork_shared[PGSIZE] != byte_at(PGSIZE))
    exit(14);
}

// fork: the child has the parent's mappings, the pages the parent
// touched with the parent's contents; each then goes its own way.
static void
part_fork(void)
{
  int size = 2 * PGSIZE;
  CHECK(make_file("mc_fork", size) == 0, "cannot make the test file");
  fork_private = map("mc_fork", O_RDONLY, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
  fork_shared = map("mc_fork", O_RDWR, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
  CHECK(fork_private != MAP_FAILED && fork_shared != MAP_FAILED, "mmap failed");
  CHECK(unlink("mc_fork") == 0, "unlink of the mapped file failed");
  fork_private[0] = 'P';
  fork_shared[0] = 'S';
  int st = in_child(fork_child, 0);
  CHECK(st == 0, "the child exited with %d: %s", st,
        st == 10 ? "a private page the parent stored into is not the parent's" :
        st == 11 ? "a private page the parent never touched is not the file's" :
        st == 12 ? "a shared page the parent stored into is not the parent's" :
        st == 13 ? "munmap of the inherited mapping's first page failed" :
        st == 14 ? "the inherited mapping's second page is wrong after munmap" :
        "killed: an inherited mapping is not accessible");
  CHECK(fork_private[0] == 'P', "the child's store into its private mapping changed "
        "the parent's");
  CHECK(fork_shared[0] == 'S' && fork_shared[PGSIZE] == byte_at(PGSIZE),
        "the parent's shared mapping changed after the child's munmap");
  CHECK(munmap(fork_private, size) == 0 && munmap(fork_shared, size) == 0,
        "the parent's munmap failed");
}

// System calls that read or write mapped pages never touched: copyin
// and copyout read them in (and mark them dirty), also through a pipe
// and from the mapped file itself.
static void
part_syscalls(void)
{
  int size = 2 * PGSIZE;
  CHECK(make_file("mc_sys", size) == 0 && make_file("mc_sys2", size) == 0,
        "cannot make the test files");

  // read() into an untouched shared page: the page is dirty after it.
  char *p = map("mc_sys", O_RDWR, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
  CHECK(p != MAP_FAILED, "mmap failed");
  int fd = open("mc_sys2", O_RDONLY);
  CHECK(fd >= 0 && read(fd, p + 10, 20) == 20, "read() into a mapped page not yet "
        "touched failed");
  close(fd);
  CHECK(p[10] == byte_at(0) && p[9] == byte_at(9), "read() into the mapping put the "
        "wrong bytes there");

  CHECK(munmap(p, size) == 0, "munmap failed");
  CHECK(read_file("mc_sys", 0, 40) == 40, "cannot read the file back");
  CHECK(buf[10] == byte_at(0) && buf[29] == byte_at(19), "the bytes read() put into "
        "a shared mapping did not reach the file at munmap");

  // write() from an untouched page of the very file being written.
  p = map("mc_sys", O_RDONLY, size, PROT_READ, MAP_SHARED, 0);
  CHECK(p != MAP_FAILED, "mmap failed");
  fd = open("mc_sys", O_RDWR);
  CHECK(fd >= 0 && write(fd, p + PGSIZE, 8) == 8, "write() to a file from a mapping "
        "of the same file, page not yet touched, failed");
  close(fd);
  CHECK(munmap(p, size) == 0, "munmap failed");
  CHECK(read_file("mc_sys", 0, 8) == 8, "cannot read the file back");
  CHECK(buf[0] == byte_at(PGSIZE) && buf[7] == byte_at(PGSIZE + 7), "the write() from "
        "the mapping wrote the wrong bytes");

  // Through a pipe, whose copies run holding the pipe's lock.
  char *a = map("mc_sys2", O_RDONLY, size, PROT_READ, MAP_PRIVATE, 0);
  char *b = map("mc_sys2", O_RDONLY, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
  CHECK(a != MAP_FAILED && b != MAP_FAILED, "mmap failed");
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe failed");
  CHECK(write(fds[1], a + PGSIZE, 100) == 100, "write() to a pipe from an untouched "
        "mapped page failed");
  CHECK(read(fds[0], b + 3, 100) == 100, "read() from a pipe into an untouched mapped "
        "page failed");
  close(fds[0]);
  close(fds[1]);
  CHECK(b[3] == byte_at(PGSIZE) && b[102] == byte_at(PGSIZE + 99), "the bytes that "
        "went through the pipe are wrong");
  CHECK(read(0, a, 0) == 0, "a read of 0 bytes into a read-only mapping failed");

  // wait() stores the status into an untouched mapped page.
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if(pid == 0)
    exit(7);
  CHECK(wait((int *)(b + PGSIZE)) == pid && *(int *)(b + PGSIZE) == 7,
        "wait() into an untouched mapped page failed");
  CHECK(munmap(a, size) == 0 && munmap(b, size) == 0, "munmap failed");
  unlink("mc_sys");
  unlink("mc_sys2");
}

// Touch the mapped page p points at (killed if it is not accessible).
static void
touch(char *p)
{
  if(*(volatile char *)p == 1)
    exit(5);
}

// Bad arguments get -1; so do a writable shared mapping of a file not
// opened for writing, and a write-only file; a use a mapping does not
// allow, or of an unmapped page, kills.
static void
part_args(void)
{
  CHECK(make_file("mc_args", PGSIZE) == 0, "cannot make the test file");
  int rd = open("mc_args", O_RDONLY), wr = open("mc_args", O_WRONLY);
  int rw = open("mc_args", O_RDWR);
  int fds[2];
  CHECK(rd >= 0 && wr >= 0 && rw >= 0 && pipe(fds) == 0, "cannot open the files");
  int RW = PROT_READ | PROT_WRITE;
  struct { char *what; void *addr; uint64 len; int prot, flags, fd; uint64 off; } bad[] = {
    { "addr not 0", (void *)(64L * PGSIZE), PGSIZE, PROT_READ, MAP_SHARED, rd, 0 },
    { "length 0", 0, 0, PROT_READ, MAP_SHARED, rd, 0 },
    { "length beyond the address space", 0, 1L << 40, PROT_READ, MAP_PRIVATE, rd, 0 },
    { "offset not page aligned", 0, PGSIZE, PROT_READ, MAP_SHARED, rd, 100 },
    { "PROT_EXEC", 0, PGSIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE, rd, 0 },
    { "an unknown prot bit", 0, PGSIZE, PROT_READ | 0x40, MAP_PRIVATE, rd, 0 },
    { "flags 0", 0, PGSIZE, PROT_READ, 0, rd, 0 },
    { "MAP_SHARED | MAP_PRIVATE", 0, PGSIZE, PROT_READ, MAP_SHARED | MAP_PRIVATE, rd, 0 },
    { "fd -1", 0, PGSIZE, PROT_READ, MAP_SHARED, -1, 0 },
    { "fd not open", 0, PGSIZE, PROT_READ, MAP_SHARED, 15, 0 },
    { "a pipe", 0, PGSIZE, PROT_READ, MAP_SHARED, fds[0], 0 },
    { "a write-only file", 0, PGSIZE, PROT_WRITE, MAP_SHARED, wr, 0 },
    { "PROT_WRITE, MAP_SHARED, file opened O_RDONLY", 0, PGSIZE, RW, MAP_SHARED, rd, 0 },
  };
  for(int i = 0; i < NELEM(bad); i++){
    char *p = mmap(bad[i].addr, bad[i].len, bad[i].prot, bad[i].flags, bad[i].fd, bad[i].off);
    CHECK(p == MAP_FAILED, "mmap with %s returned %p, not -1", bad[i].what, p);
  }
  char *p = mmap(0, 2 * PGSIZE, PROT_READ, MAP_SHARED, rw, 0);
  CHECK(p != MAP_FAILED, "mmap of 2 pages, PROT_READ, MAP_SHARED failed");
  CHECK(munmap(p + 1, PGSIZE) == -1, "munmap of an address not page aligned succeeded");
  CHECK(munmap(p, 0) == -1, "munmap of 0 bytes succeeded");
  CHECK(munmap(p, 3 * PGSIZE) == -1, "munmap past the end of the mapping succeeded");
  CHECK(munmap((char *)0 + 64L * PGSIZE, PGSIZE) == -1, "munmap of the heap succeeded");
  int st = in_child(touch, p);
  CHECK(st == 0, "a load from a PROT_READ mapping: child status %d", st);

  char *none = mmap(0, PGSIZE, PROT_NONE, MAP_PRIVATE, rd, 0);
  CHECK(none != MAP_FAILED, "a PROT_NONE mapping failed");
  st = in_child(touch, none);
  CHECK(st == -1, "a load from a PROT_NONE mapping: child status %d, expected -1", st);
  CHECK(munmap(none, PGSIZE) == 0, "munmap of the PROT_NONE mapping failed");
  CHECK(munmap(p, PGSIZE) == 0, "munmap of the first page failed");
  st = in_child(touch, p);
  CHECK(st == -1, "a load from an unmapped page: child status %d, expected -1", st);
  st = in_child(touch, p + PGSIZE);
  CHECK(st == 0, "a load from the page still mapped: child status %d", st);
  CHECK(munmap(p + PGSIZE, PGSIZE) == 0, "munmap of the second page failed");

  // As many mappings as there is room for, then they all go.
  char *maps[64];
  int n = 0;
  while(n < NELEM(maps) && (maps[n] = mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE, rd, 0)) != MAP_FAILED)
    n++;
  CHECK(n >= 8 && n < NELEM(maps), "%d mappings of one page each, expected a limit "
        "between 8 and %d", n, NELEM(maps) - 1);
  for(int i = 0; i < n; i++)
    CHECK(maps[i][0] == byte_at(0) && munmap(maps[i], PGSIZE) == 0,
          "mapping %d of %d is wrong or would not go", i, n);
  close(rd);
  close(wr);
  close(rw);
  close(fds[0]);
  close(fds[1]);
  unlink("mc_args");
}

// Touch every page of a mapping bigger than free memory.
static void
touch_all(char *name)
{
  uint64 n = (uint64)(freemem() + 64) * PGSIZE;
  char *p = map(name, O_RDONLY, n, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
  if(p == MAP_FAILED)
    exit(2);
  for(uint64 i = 0; i < n; i += PGSIZE)
    p[i] = 1;
  exit(3);   // all touched: more pages than there are
}

// Running out of memory while reading pages in kills the process; the
// machine goes on, and a read() into too big a mapping fails or stops
// short.
static void
part_oom(void)
{
  CHECK(make_file("mc_oom", PGSIZE) == 0, "cannot make the test file");
  int st = in_child(touch_all, "mc_oom");
  CHECK(st == -1, "touching a mapping bigger than memory: child status %d, expected "
        "-1 (killed when memory ran out)", st);
  char *p = map("mc_oom", O_RDONLY, PGSIZE, PROT_READ, MAP_PRIVATE, 0);
  CHECK(p != MAP_FAILED && p[0] == byte_at(0), "mmap after running out of memory failed");
  CHECK(munmap(p, PGSIZE) == 0, "munmap failed");
  unlink("mc_oom");
}

struct part {
  char *name;
  void (*fn)(void);
} parts[] = {
  { "read", part_read },
  { "private", part_private },
  { "shared", part_shared },
  { "exit", part_exit },
  { "fork", part_fork },
  { "syscalls", part_syscalls },
  { "args", part_args },
  { "oom", part_oom },
};

// Run part pt and say how it went; it must give back every page.
static int
run(struct part *pt)
{
  part_name = pt->name;
  part_failed = 0;
  int before = freemem();
  pt->fn();
  int after = freemem();
  if(!part_failed && after != before){
    printf("mmapcheck: %s: FAIL: %d free pages before, %d after: the part's "
           "mappings lost pages\n", pt->name, before, after);
    part_failed = 1;
  }
  if(!part_failed)
    printf("mmapcheck: %s: OK\n", pt->name);
  return !part_failed;
}

int
main(int argc, char *argv[])
{
  int ok = 1;
  if(argc == 1){
    for(int i = 0; i < NELEM(parts); i++)
      ok &= run(&parts[i]);
  }
  for(int a = 1; a < argc; a++){
    int i;
    for(i = 0; i < NELEM(parts) && strcmp(parts[i].name, argv[a]) != 0; i++)
      ;
    if(i == NELEM(parts)){
      printf("mmapcheck: no part named %s\n", argv[a]);
      exit(1);
    }
    ok &= run(&parts[i]);
  }
  exit(ok ? 0 : 1);
}
