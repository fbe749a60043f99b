// pingpong: bounce one byte between a parent and its child over two
// pipes, one for each direction.  The child prints "<pid>: received ping"
// when the byte arrives and sends it back; the parent prints
// "<pid>: received pong" when it returns.
//
//   $ pingpong
//   4: received ping
//   3: received pong
//
// lab util: solution

#include "kernel/types.h"
#include "user/user.h"

static void
fail(const char *what)
{
  fprintf(2, "pingpong: %s\n", what);
  exit(1);
}

int
main(void)
{
  int down[2], up[2];   // parent to child, child to parent
  char byte = 'x';
  int pid;

  if(pipe(down) < 0 || pipe(up) < 0)
    fail("cannot make pipes");
  pid = fork();
  if(pid < 0)
    fail("fork failed");

  if(pid == 0){
    close(down[1]);
    close(up[0]);
    if(read(down[0], &byte, 1) != 1)
      fail("child: no byte from the parent");
    printf("%d: received ping\n", getpid());
    if(write(up[1], &byte, 1) != 1)
      fail("child: cannot answer");
    exit(0);
  }

  close(down[0]);
  close(up[1]);
  if(write(down[1], &byte, 1) != 1)
    fail("parent: cannot send");
  if(read(up[0], &byte, 1) != 1)
    fail("parent: no byte back from the child");
  printf("%d: received pong\n", getpid());
  wait(0);
  exit(0);
}
