// bench: small benchmarks of the kernel's hot paths.
//
//   bench              run them all
//   bench NAME...      run the named ones: sbrk lazy fork exec pipe
//                      write read ticks
//   bench -exit        exit at once (what the exec benchmark runs)
//
// Uses nothing but the xv6 user API, so the same program measures any
// xv6-style kernel.  Each benchmark prints
//
//   BENCH-START NAME
//   BENCH-END NAME COUNT UNIT
//   bench: NAME VALUE UNIT (guest clock, TICKS ticks)
//
// The guest clock ticks every 10 ms, too coarse (and, under load, too
// unreliable) for short runs: scripts/bench.py (make bench) times the
// START and END lines on the host instead and divides COUNT by that.
// Under QEMU's -icount (make bench ICOUNT=N) the guest clock counts
// instructions, and bench.py divides COUNT by TICKS instead.
// A benchmark that cannot run prints "bench: NAME skipped (why)".

#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define PAGE        4096
#define SBRK_BYTES  (32 * 1024 * 1024)
#define SBRK_ROUNDS 6
#define LAZY_BYTES  (1024 * 1024 * 1024)
#define LAZY_PAGES  1000
#define LAZY_ROUNDS 5
#define FORKS       300
#define EXECS       60
#define PIPE_BYTES  (4 * 1024 * 1024)
#define CHUNK       4096
#define FILE_BYTES  (200 * 1024)   // under MAXFILE (268 KiB)
#define FILE_ROUNDS 5
#define TICK_WAIT   200

static char buf[CHUNK];
static char *self = "/bench";      // how to exec ourselves

static uint start;

// Print the START marker and note the guest clock.
static void
begin(char *name)
{
  printf("BENCH-START %s\n", name);
  start = uptime();
}

// Print the END marker and the guest clock's figure: count/elapsed
// scaled to per second (or, with per_run set, milliseconds per unit).
static void
end(char *name, int count, char *unit, int per_run)
{
  uint ticks = uptime() - start;
  printf("BENCH-END %s %d %s\n", name, count, unit);
  if(ticks == 0)
    ticks = 1;   // faster than one tick: a lower bound
  if(per_run)
    printf("bench: %s %d ms/%s (guest clock, %d ticks)\n", name, ticks * 10 / count, unit, ticks);
  else
    printf("bench: %s %d %s/s (guest clock, %d ticks)\n", name,
           (int)((uint64)count * 100 / ticks), unit, ticks);
}

// Say that a benchmark could not run, and why.
static void
skipped(char *name, char *why)
{
  printf("bench: %s skipped (%s)\n", name, why);
}

// Eager sbrk of 32 MiB, a write to every page, and giving it back.
static void
bench_sbrk(void)
{
  begin("sbrk");
  for(int r = 0; r < SBRK_ROUNDS; r++){
    char *p = sbrk(SBRK_BYTES);
    if(p == (char *)-1){
      printf("BENCH-END sbrk 0 run\n");
      skipped("sbrk", "sbrk of 32 MiB failed");
      return;
    }
    for(int off = 0; off < SBRK_BYTES; off += PAGE)
      p[off] = (char)off;
    sbrk(-SBRK_BYTES);
  }
  end("sbrk", SBRK_ROUNDS, "run", 1);
}

// Lazy sbrk of 1 GiB and LAZY_PAGES scattered first touches: the
// page-fault path.
static void
bench_lazy(void)
{
  uint seed = 12345;

  begin("lazy");
  for(int r = 0; r < LAZY_ROUNDS; r++){
    char *p = sys_sbrk(LAZY_BYTES, SBRK_LAZY);
    if(p == SBRK_ERROR){
      printf("BENCH-END lazy 0 fault\n");
      skipped("lazy", "sbrklazy of 1 GiB failed");
      return;
    }
    int stride = LAZY_BYTES / PAGE / LAZY_PAGES;   // pages between touches
    for(int i = 0; i < LAZY_PAGES; i++){
      seed = seed * 1103515245 + 12345;
      p[((uint64)i * stride + (seed >> 8) % stride) * PAGE] = 1;
    }
    sbrk(-LAZY_BYTES);
  }
  end("lazy", LAZY_ROUNDS * LAZY_PAGES, "fault", 0);
}

// fork a child that exits at once, and wait for it.
static void
bench_fork(void)
{
  begin("fork");
  for(int i = 0; i < FORKS; i++){
    int pid = fork();
    if(pid < 0){
      printf("BENCH-END fork 0 fork\n");
      skipped("fork", "fork failed");
      return;
    }
    if(pid == 0)
      exit(0);
    wait(0);
  }
  end("fork", FORKS, "fork", 0);
}

// fork a child that execs this program with -exit, and wait for it.
static void
bench_exec(void)
{
  char *argv[] = { self, "-exit", 0 };

  begin("exec");
  for(int i = 0; i < EXECS; i++){
    int pid = fork();
    if(pid < 0){
      printf("BENCH-END exec 0 exec\n");
      skipped("exec", "fork failed");
      return;
    }
    if(pid == 0){
      exec(self, argv);
      exit(1);
    }
    int status;
    wait(&status);
    if(status != 0){
      printf("BENCH-END exec 0 exec\n");
      skipped("exec", "exec of bench failed");
      return;
    }
  }
  end("exec", EXECS, "exec", 0);
}

// PIPE_BYTES from a child to its parent in CHUNK-byte writes.
static void
bench_pipe(void)
{
  int fds[2], n, total = 0;

  if(pipe(fds) < 0){
    skipped("pipe", "pipe failed");
    return;
  }
  begin("pipe");
  int pid = fork();
  if(pid == 0){
    close(fds[0]);
    for(int sent = 0; sent < PIPE_BYTES; sent += CHUNK)
      write(fds[1], buf, CHUNK);
    exit(0);
  }
  close(fds[1]);
  while((n = read(fds[0], buf, CHUNK)) > 0)
    total += n;
  close(fds[0]);
  wait(0);
  end("pipe", total / 1024, "KiB", 0);
}

// Write (or read back) a FILE_BYTES file FILE_ROUNDS times.
static void
bench_file(int reading)
{
  char *name = reading ? "read" : "write";
  int total = 0;

  if(reading){
    int fd = open("bench.tmp", O_CREATE | O_WRONLY | O_TRUNC);
    for(int n = 0; fd >= 0 && n < FILE_BYTES; n += CHUNK)
      write(fd, buf, CHUNK);
    close(fd);
  }
  begin(name);
  for(int r = 0; r < FILE_ROUNDS; r++){
    int fd = reading ? open("bench.tmp", O_RDONLY)
                     : open("bench.tmp", O_CREATE | O_WRONLY | O_TRUNC);
    if(fd < 0)
      break;
    for(int n = 0; n < FILE_BYTES; n += CHUNK){
      int got = reading ? read(fd, buf, CHUNK) : write(fd, buf, CHUNK);
      if(got <= 0)
        break;
      total += got;
    }
    close(fd);
  }
  unlink("bench.tmp");
  if(total < FILE_ROUNDS * FILE_BYTES){
    printf("BENCH-END %s 0 KiB\n", name);
    skipped(name, "file write failed (disk full?)");
    return;
  }
  end(name, total / 1024, "KiB", 0);
}

// Sleep TICK_WAIT ticks: the host compares with its own clock.
static void
bench_ticks(void)
{
  begin("ticks");
  sleep(TICK_WAIT);
  printf("BENCH-END ticks %d tick\n", TICK_WAIT);
}

struct bench {
  char *name;
  void (*fn)(void);
};

static void bench_write(void) { bench_file(0); }
static void bench_read(void) { bench_file(1); }

static struct bench benches[] = {
  { "sbrk", bench_sbrk },
  { "lazy", bench_lazy },
  { "fork", bench_fork },
  { "exec", bench_exec },
  { "pipe", bench_pipe },
  { "write", bench_write },
  { "read", bench_read },
  { "ticks", bench_ticks },
};
#define NBENCH (sizeof(benches) / sizeof(benches[0]))

// Run the benchmarks named on the command line, or all of them.
int
main(int argc, char *argv[])
{
  if(argc > 1 && strcmp(argv[1], "-exit") == 0)
    exit(0);
  if(argc > 0 && argv[0][0] == '/')
    self = argv[0];

  for(int i = 0; i < sizeof(buf); i++)
    buf[i] = 'a' + i % 26;
  for(int b = 0; b < NBENCH; b++){
    int wanted = argc == 1;
    for(int i = 1; i < argc; i++){
      if(strcmp(argv[i], benches[b].name) == 0)
        wanted = 1;
    }
    if(wanted)
      benches[b].fn();
  }
  for(int i = 1; i < argc; i++){
    int known = 0;
    for(int b = 0; b < NBENCH; b++)
      known |= strcmp(argv[i], benches[b].name) == 0;
    if(!known)
      printf("bench: unknown benchmark %s\n", argv[i]);
  }
  exit(0);
}
