// attack: find the word that `secret` left in memory when it exited,
// and write it to file descriptor 2, where attacktest reads it.  The
// syscall lab's attack exercise: see docs/labs/syscall.md.

#include "kernel/types.h"
#include "kernel/riscv.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  // Your code here.  When you have found the word, write it to file
  // descriptor 2: write(2, word, strlen(word) + 1).
  exit(1);
}
