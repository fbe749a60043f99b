// grind: stress the kernel with many processes issuing random system
// calls at once.
//
//   grind [iterations]
//
// NWORKERS processes each run `iterations` (default DEFAULT_ITERS) random
// operations: creating, writing, reading, linking and removing files and
// directories, pipes, fork/exit/wait, exec, kill, sbrk, and calls with
// bad arguments that must fail cleanly.  Each worker works in a directory
// of its own, so it can check that what it reads back is what it wrote.
// Prints "grind: ok" when every worker finished and every check held.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

#define NWORKERS      4
#define DEFAULT_ITERS 1000
#define NNAMES        4       // file names f0..f3 and directories d0..d3
#define BUFSZ         4096

static uint64 seed;
static int worker;            // which worker this process is
static char buf[BUFSZ], buf2[BUFSZ];

// A pseudo-random number (xorshift64).
static uint64
rnd(void)
{
  seed ^= seed << 13;
  seed ^= seed >> 7;
  seed ^= seed << 17;
  return seed;
}

// Stop this worker with a message; the parent sees the failure.
static void
fail(const char *what, int iter)
{
  printf("grind: FAIL: worker %d, iteration %d: %s\n", worker, iter, what);
  exit(1);
}

// "f0".."f3" or "d0".."d3", chosen at random.
static char*
pick(char kind)
{
  static char names[2][NNAMES][3];
  int i = rnd() % NNAMES;
  char *n = names[kind == 'd'][i];

  n[0] = kind;
  n[1] = '0' + i;
  n[2] = 0;
  return n;
}

// Write n pseudo-random bytes to file, replacing what was there, then
// read them back and compare.
static void
writecheck(const char *file, int n, int iter)
{
  int fd;

  for(int i = 0; i < n; i++)
    buf[i] = rnd();
  if((fd = open(file, O_CREATE | O_WRONLY | O_TRUNC)) < 0)
    return;   // a directory of that name may exist
  if(write(fd, buf, n) != n)
    fail("write to a file", iter);
  close(fd);
  if((fd = open(file, O_RDONLY)) < 0)
    fail("reopen a file just written", iter);
  if(read(fd, buf2, BUFSZ) != n || memcmp(buf, buf2, n) != 0)
    fail("file content differs from what was written", iter);
  close(fd);
}

// Send data through a pipe to a child, which sends it back.
static void
pipeecho(int iter)
{
  int to[2], from[2], pid, n = 1 + rnd() % 512, got, r, status;

  if(pipe(to) < 0)
    fail("pipe", iter);
  if(pipe(from) < 0)
    fail("pipe", iter);
  pid = fork();
  if(pid < 0)
    fail("fork", iter);
  if(pid == 0){
    close(to[1]);
    close(from[0]);
    while((r = read(to[0], buf2, BUFSZ)) > 0)
      write(from[1], buf2, r);
    exit(0);
  }
  close(to[0]);
  close(from[1]);
  for(int i = 0; i < n; i++)
    buf[i] = rnd();
  if(write(to[1], buf, n) != n)
    fail("write to a pipe", iter);
  close(to[1]);
  for(got = 0; got < n; got += r){
    r = read(from[0], buf2 + got, BUFSZ - got);
    if(r <= 0)
      fail("pipe data lost", iter);
  }
  if(memcmp(buf, buf2, n) != 0)
    fail("pipe data changed on the way", iter);
  close(from[0]);
  if(wait(&status) != pid || status != 0)
    fail("pipe child did not exit cleanly", iter);
}

// Fork a child that exits with a chosen status; check wait reports it.
static void
forkexit(int iter)
{
  int code = rnd() % 100, pid, status;

  pid = fork();
  if(pid < 0)
    fail("fork", iter);
  if(pid == 0){
    getpid();
    uptime();
    exit(code);
  }
  if(wait(&status) != pid)
    fail("wait returned the wrong pid", iter);
  if(status != code)
    fail("wait returned the wrong exit status", iter);
}

// Kill a child that is sleeping; it must exit with status -1.
static void
killchild(int iter)
{
  int pid, status;

  pid = fork();
  if(pid < 0)
    fail("fork", iter);
  if(pid == 0){
    for(;;)
      sleep(100);
  }
  if(rnd() % 2)
    sleep(1);
  if(kill(pid) < 0)
    fail("kill of a live child", iter);
  if(wait(&status) != pid || status != -1)
    fail("killed child did not exit with -1", iter);
}

// Run echo in a child with its output sent to a file, and check the file.
static void
exececho(int iter)
{
  char *argv[] = { "echo", "grind", 0 };
  int pid, status, fd;

  pid = fork();
  if(pid < 0)
    fail("fork", iter);
  if(pid == 0){
    close(1);
    if(open("out", O_CREATE | O_WRONLY | O_TRUNC) != 1)
      exit(2);
    exec("/echo", argv);
    exit(3);
  }
  if(wait(&status) != pid)
    fail("wait after exec", iter);
  if(status == 2)
    return;   // "out" could not be created: a directory took the name?
  if(status != 0)
    fail("exec of /echo failed", iter);
  if((fd = open("out", O_RDONLY)) < 0)
    fail("echo's output file is missing", iter);
  if(read(fd, buf2, BUFSZ) != 6 || memcmp(buf2, "grind\n", 6) != 0)
    fail("echo's output is wrong", iter);
  close(fd);
}

// Grow memory, fill it, check it, give it back.
static void
memory(int iter, int lazy)
{
  int n = 1 + rnd() % (64 * 1024);
  char *before = sbrk(0), *p;

  p = lazy ? sbrklazy(n) : sbrk(n);
  if(p == SBRK_ERROR)
    return;   // out of memory is allowed; the others may hold it
  if(p != before)
    fail("sbrk did not return the old break", iter);
  for(int i = 0; i < n; i += 997)
    p[i] = i;
  for(int i = 0; i < n; i += 997){
    if(p[i] != (char)i)
      fail("new memory does not hold what was stored", iter);
  }
  if(sbrk(-n) != p + n || sbrk(0) != before)
    fail("shrinking with sbrk", iter);
}

// Calls that must fail, without harming anything.
static void
badcalls(int iter)
{
  struct stat st;
  int fd[2];
  char *bad = (char*)0xffffffffffffL;   // beyond any user address

  if(read(-1, buf, 1) != -1 || write(NOFILE, buf, 1) != -1)
    fail("i/o on a bad descriptor", iter);
  if(close(NOFILE + 5) != -1)
    fail("close of a bad descriptor", iter);
  if(open("no/such/file", O_RDONLY) != -1)
    fail("open of a missing file", iter);
  // Moving bytes to or from a bad address must not succeed (xv6 returns
  // -1 or 0 here depending on the call) and must not crash anything.
  if(pipe(fd) < 0)
    fail("pipe", iter);
  if(write(fd[1], bad, 1) > 0)
    fail("write from a bad address", iter);
  write(fd[1], "x", 1);
  if(read(fd[0], bad, 1) > 0)
    fail("read into a bad address", iter);
  close(fd[0]);
  close(fd[1]);
  if(fstat(-1, &st) != -1)
    fail("fstat of a bad descriptor", iter);
  if(chdir("no-such-dir") != -1)
    fail("chdir to a missing directory", iter);
  if(unlink("/") != -1 || unlink("..") != -1)
    fail("unlink of / or ..", iter);
  if(link("no-such-file", "x") != -1)
    fail("link of a missing file", iter);
}

// One random operation.
static void
step(int iter)
{
  int fd, n;
  char path[8];
  struct stat st;

  switch(rnd() % 20){
  case 0:
  case 1:
    writecheck(pick('f'), rnd() % BUFSZ, iter);
    break;
  case 2:
    unlink(pick('f'));
    break;
  case 3:
    mkdir(pick('d'));
    break;
  case 4:
    unlink(pick('d'));   // fails while the directory has a file in it
    break;
  case 5:
    // A file inside a directory, created or removed.
    strcpy(path, pick('d'));
    path[2] = '/';
    strcpy(path + 3, pick('f'));
    if(rnd() % 2)
      writecheck(path, rnd() % 64, iter);
    else
      unlink(path);
    break;
  case 6:
    link(pick('f'), pick('f'));
    break;
  case 7:
    if((fd = open(pick('f'), O_RDONLY)) >= 0){
      while((n = read(fd, buf2, BUFSZ)) > 0)
        ;
      if(fstat(fd, &st) < 0)
        fail("fstat of an open file", iter);
      close(fd);
    }
    break;
  case 8:
    if((fd = open(pick('f'), O_RDWR | O_TRUNC)) >= 0){
      if(fstat(fd, &st) < 0 || (st.type == T_FILE && st.size != 0))
        fail("file not empty after O_TRUNC", iter);
      close(fd);
    }
    break;
  case 9:
    pipeecho(iter);
    break;
  case 10:
    forkexit(iter);
    break;
  case 11:
    killchild(iter);
    break;
  case 12:
    exececho(iter);
    break;
  case 13:
    memory(iter, 0);
    break;
  case 14:
    memory(iter, 1);
    break;
  case 15:
    if(chdir(pick('d')) == 0 && chdir("..") < 0)
      fail("chdir ..", iter);
    break;
  case 16:
    if((fd = dup(1)) < 0)
      fail("dup", iter);
    close(fd);
    break;
  case 17:
    badcalls(iter);
    break;
  case 18:
    if(getpid() <= 0 || uptime() < 0)
      fail("getpid or uptime", iter);
    break;
  case 19:
    pause(rnd() % 2);
    break;
  }
}

// Remove everything a worker may have left in its directory.
static void
cleanup(void)
{
  char path[8];

  unlink("out");
  for(int d = 0; d < NNAMES; d++){
    for(int f = 0; f < NNAMES; f++){
      path[0] = 'd'; path[1] = '0' + d; path[2] = '/';
      path[3] = 'f'; path[4] = '0' + f; path[5] = 0;
      unlink(path);
    }
    path[2] = 0;
    unlink(path);
    path[0] = 'f';
    unlink(path);
  }
}

// One worker: run iters random steps in a directory of its own.
static void
work(int iters)
{
  char dir[] = "grind.?";

  dir[sizeof(dir) - 2] = '0' + worker;
  seed = 0x9e3779b97f4a7c15ULL ^ ((uint64)getpid() << 20) ^ uptime();
  mkdir(dir);   // fails harmlessly if an interrupted run left it
  if(chdir(dir) < 0)
    fail("cannot enter the working directory", 0);
  cleanup();
  for(int i = 1; i <= iters; i++)
    step(i);
  cleanup();
  if(chdir("..") < 0 || unlink(dir) < 0)
    fail("cannot remove the working directory", iters);
  exit(0);
}

int
main(int argc, char *argv[])
{
  int iters = DEFAULT_ITERS, pid, status, failures = 0;

  if(argc > 2 || (argc == 2 && (iters = atoi(argv[1])) <= 0)){
    fprintf(2, "usage: grind [iterations]\n");
    exit(1);
  }
  printf("grind: %d workers, %d iterations each\n", NWORKERS, iters);
  for(worker = 0; worker < NWORKERS; worker++){
    pid = fork();
    if(pid < 0){
      printf("grind: FAIL: fork\n");
      failures++;
      break;
    }
    if(pid == 0)
      work(iters);
  }
  while(wait(&status) >= 0){
    if(status != 0)
      failures++;
  }
  if(failures){
    printf("grind: FAIL: %d worker(s) failed\n", failures);
    exit(1);
  }
  printf("grind: ok\n");
  exit(0);
}
