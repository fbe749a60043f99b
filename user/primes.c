// primes: the primes up to 280, found by a pipeline of processes (a
// sieve in the manner of Doug McIlroy's).  The first process feeds 2, 3,
// 4, ... into a pipe.  Each stage prints the first number it reads, which
// is a prime, and passes on to the next stage only the numbers that
// prime does not divide; the next stage is forked when the first such
// number arrives.  Each process waits for the one to its right, so the
// command ends when the whole pipeline has.
//
//   $ primes
//   prime 2
//   prime 3
//   ...
//   prime 277
//
// lab util: solution

#include "kernel/types.h"
#include "user/user.h"

#define LIMIT 280

static void
fail(const char *what)
{
  fprintf(2, "primes: %s\n", what);
  exit(1);
}

static int stage(int in);

// Fork the next stage, reading from a new pipe; returns the pipe's write
// end.  The child, which must not keep the caller's input open, goes on
// as that stage and never returns here.
static int
next_stage(int in)
{
  int fds[2];

  if(pipe(fds) < 0)
    fail("cannot make a pipe");
  int pid = fork();
  if(pid < 0)
    fail("fork failed");
  if(pid == 0){
    close(fds[1]);
    close(in);
    exit(stage(fds[0]));
  }
  close(fds[0]);
  return fds[1];
}

// Be one stage of the sieve, reading numbers from in until it is closed.
// Returns the exit status.
static int
stage(int in)
{
  int prime, n, out = -1;

  if(read(in, &prime, sizeof(prime)) != sizeof(prime))
    return 0;   // nothing reached this stage
  printf("prime %d\n", prime);
  while(read(in, &n, sizeof(n)) == sizeof(n)){
    if(n % prime == 0)
      continue;
    if(out < 0)
      out = next_stage(in);
    if(write(out, &n, sizeof(n)) != sizeof(n))
      fail("cannot pass a number on");
  }
  close(in);
  if(out >= 0){
    close(out);
    wait(0);
  }
  return 0;
}

int
main(void)
{
  int fds[2];

  if(pipe(fds) < 0)
    fail("cannot make a pipe");
  int pid = fork();
  if(pid < 0)
    fail("fork failed");
  if(pid == 0){
    close(fds[1]);
    exit(stage(fds[0]));
  }
  close(fds[0]);
  for(int n = 2; n <= LIMIT; n++){
    if(write(fds[1], &n, sizeof(n)) != sizeof(n))
      fail("cannot feed the pipeline");
  }
  close(fds[1]);
  wait(0);
  exit(0);
}
