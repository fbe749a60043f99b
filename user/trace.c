// trace: run a command with some of its system calls reported.
//
//   trace MASK COMMAND [ARG ...]
//
// MASK is a decimal number whose bit n stands for system call number n
// (kernel/syscall.h): 32 = 1 << 5 is read, 2 = 1 << 1 is fork.  Each
// call in the mask that COMMAND, or any process it forks, makes is
// reported by the kernel as it returns, one line each:
//
//   $ trace 32 grep hello README
//   3: syscall read -> 1023
//   ...
//
// The syscall lab's program (docs/labs/syscall.md).
// lab syscall: handout

#include "kernel/types.h"
#include "user/user.h"

// The mask argument, or -1 if it is not a plain decimal number.
static int
parse_mask(const char *s)
{
  if(*s == 0)
    return -1;
  for(const char *p = s; *p; p++)
    if(*p < '0' || *p > '9')
      return -1;
  return atoi(s);
}

int
main(int argc, char *argv[])
{
  if(argc < 3){
    fprintf(2, "usage: trace mask command [arg ...]\n");
    exit(1);
  }
  int mask = parse_mask(argv[1]);
  if(mask < 0){
    fprintf(2, "trace: %s is not a mask (a decimal number)\n", argv[1]);
    exit(1);
  }

  // lab syscall: begin trace.c
  if(trace(mask) < 0){
    fprintf(2, "trace: the trace system call failed\n");
    exit(1);
  }
  // lab syscall: end

  // The process keeps its mask across exec: the command runs traced.
  exec(argv[2], &argv[2]);
  fprintf(2, "trace: cannot run %s\n", argv[2]);
  exit(1);
}
