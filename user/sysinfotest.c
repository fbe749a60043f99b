// sysinfotest: check the sysinfo() system call of the syscall lab
// (docs/labs/syscall.md).
//
//   sysinfotest         run every check; prints a line per part, then
//                       "sysinfotest: OK" if all passed
//   sysinfotest PART... only these parts: pointers, memory, processes
//   sysinfotest show    print what sysinfo() reports now:
//                       "freemem BYTES nproc N"
//
// lab syscall: handout

#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/memlayout.h"
#include "kernel/sysinfo.h"
#include "user/user.h"

#define NCHILDREN 5
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int failures;

// Report a failed check: what was seen, what was expected.
#define EXPECT(ok, ...) do { if(!(ok)){ printf("sysinfotest: FAIL: " __VA_ARGS__); \
                                        printf("\n"); failures++; } } while(0)

// The system call, called from this one place.
static int
getinfo(struct sysinfo *info)
{
  // lab syscall: begin sysinfotest.c
  return sysinfo(info);
  // lab syscall: end
}

// What sysinfo reports now; exits if it fails on a good pointer.
static struct sysinfo
now(void)
{
  struct sysinfo info;
  if(getinfo(&info) != 0){
    printf("sysinfotest: FAIL: sysinfo(&info) with info on the stack returned an error\n");
    exit(1);
  }
  return info;
}

// Print the outcome of a part and forget its failures.
static int
part(char *what, int before)
{
  int ok = failures == before;
  printf("sysinfotest: %s %s\n", what, ok ? "OK" : "FAILED");
  return ok;
}

// Addresses the process may not write must give -1, and no crash;
// a good one must work.
static void
bad_pointers(void)
{
  struct sysinfo info;
  EXPECT(getinfo(&info) == 0, "sysinfo(&info) failed, with info on the stack");
  char *brk = sbrk(0);
  uint64 bad[] = {
    0,                           // the program's text: not writable
    (uint64)brk,                 // just past the end of memory
    (uint64)brk - 8,             // the struct would cross the end
    KERNBASE,                    // the kernel
    TRAPFRAME,                   // mapped, but not for the user
    MAXVA,                       // beyond any address
    0xdeadbeefcafe0000UL,        // nowhere
  };
  for(int i = 0; i < NELEM(bad); i++)
    EXPECT(getinfo((struct sysinfo *)bad[i]) == -1,
           "sysinfo(%p) did not return -1", (void *)bad[i]);
}

// freemem is in bytes, agrees with the kernel's count of free pages,
// and follows memory as it is taken and given back.
static void
free_memory(void)
{
  struct sysinfo a = now();
  int pages = freemem();
  EXPECT(a.freemem == (uint64)pages * PGSIZE,
         "freemem %ld bytes, but freemem() counts %d free pages of %d bytes",
         a.freemem, pages, PGSIZE);

  // Ten pages, and perhaps a page-table page or two for them.
  if(sbrk(10 * PGSIZE) == SBRK_ERROR){
    EXPECT(0, "sbrk of 10 pages failed");
    return;
  }
  struct sysinfo b = now();
  EXPECT(a.freemem - b.freemem >= 10 * PGSIZE && a.freemem - b.freemem <= 12 * PGSIZE,
         "freemem fell by %ld bytes after sbrk of 10 pages; expected 10 to 12 pages",
         a.freemem - b.freemem);
  sbrk(-10 * PGSIZE);
  struct sysinfo c = now();
  EXPECT(c.freemem == a.freemem, "freemem %ld after giving the pages back, %ld before",
         c.freemem, a.freemem);

  // Take everything: then (almost) nothing is free.  A page may need a
  // page-table page too, so sbrk can fail with two pages still free.
  char *start = sbrk(0);
  for(int step = 1024 * PGSIZE; step >= PGSIZE; step /= 32)
    while(sbrk(step) != SBRK_ERROR)
      ;
  struct sysinfo d = now();
  uint64 took = sbrk(0) - start;
  sbrk(-(int)took);
  EXPECT(d.freemem <= 2 * PGSIZE, "freemem %ld bytes with all memory taken; expected at most 2 pages",
         d.freemem);
  struct sysinfo e = now();
  EXPECT(e.freemem == a.freemem, "freemem %ld after giving all memory back, %ld before",
         e.freemem, a.freemem);
}

// nproc counts every process in the table: running, sleeping, and
// exited but not yet waited for.
static void
processes(void)
{
  uint64 n0 = now().nproc;
  EXPECT(n0 >= 3, "nproc %ld; at least init, the shell and this program run", n0);

  // Children that wait on a pipe until it closes.
  int fds[2];
  if(pipe(fds) < 0){
    EXPECT(0, "no pipe");
    return;
  }
  int started = 0;
  for(int i = 0; i < NCHILDREN; i++){
    int pid = fork();
    if(pid < 0)
      break;
    if(pid == 0){
      char c;
      close(fds[1]);
      uint64 seen = now().nproc;
      read(fds[0], &c, 1);
      exit(seen >= n0 + 1 && seen <= n0 + NCHILDREN ? 0 : 1);
    }
    started++;
  }
  EXPECT(started == NCHILDREN, "only %d of %d forks worked", started, NCHILDREN);
  uint64 n1 = now().nproc;
  EXPECT(n1 == n0 + started, "nproc %ld with %d children; expected %ld", n1, started,
         n0 + started);

  // Let them exit; until they are waited for they still count.
  close(fds[0]);
  close(fds[1]);
  sleep(5);
  uint64 n2 = now().nproc;
  EXPECT(n2 == n0 + started, "nproc %ld with %d exited children not waited for; expected %ld",
         n2, started, n0 + started);
  int bad = 0, status;
  for(int i = 0; i < started; i++){
    wait(&status);
    if(status != 0)
      bad++;
  }
  EXPECT(bad == 0, "%d children saw a wrong nproc (between %ld and %ld)", bad, n0 + 1,
         n0 + NCHILDREN);
  uint64 n3 = now().nproc;
  EXPECT(n3 == n0, "nproc %ld after waiting for the children; %ld before", n3, n0);
}

// The parts, in the order they run.
static struct {
  char *name;
  char *title;
  void (*fn)(void);
} parts[] = {
  { "pointers",  "bad pointers", bad_pointers },
  { "memory",    "free memory",  free_memory },
  { "processes", "processes",    processes },
};

int
main(int argc, char *argv[])
{
  if(argc == 2 && strcmp(argv[1], "show") == 0){
    struct sysinfo info = now();
    printf("freemem %ld nproc %ld\n", info.freemem, info.nproc);
    exit(0);
  }
  char chosen[NELEM(parts)];
  for(int k = 0; k < NELEM(parts); k++)
    chosen[k] = argc == 1;
  for(int i = 1; i < argc; i++){
    int k = 0;
    while(k < NELEM(parts) && strcmp(argv[i], parts[k].name) != 0)
      k++;
    if(k == NELEM(parts)){
      fprintf(2, "usage: sysinfotest [show | pointers | memory | processes ...]\n");
      exit(2);
    }
    chosen[k] = 1;
  }
  int all = 1;
  for(int k = 0; k < NELEM(parts); k++){
    if(!chosen[k])
      continue;
    int before = failures;
    parts[k].fn();
    all &= part(parts[k].title, before);
  }
  printf("sysinfotest: %s\n", all ? "OK" : "FAILED");
  exit(all ? 0 : 1);
}
