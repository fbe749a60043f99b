// forktest: fork until the kernel refuses, then reap every child.
//
// Checks that fork fails cleanly once the process table is full (rather
// than succeeding forever or crashing), that the number of successful
// forks fits the table's size, NPROC, and that wait returns each child
// exactly once and then -1.

#include "kernel/types.h"
#include "kernel/param.h"
#include "user/user.h"

#define LIMIT 1000   // more forks than this means fork never fails

int
main(void)
{
  int n, pid;

  printf("fork test\n");
  for(n = 0; n < LIMIT; n++){
    pid = fork();
    if(pid < 0)
      break;
    if(pid == 0)
      exit(0);
  }

  if(n == LIMIT){
    printf("forktest: FAIL: fork succeeded %d times; the table holds %d\n",
           LIMIT, NPROC);
    exit(1);
  }
  // This process and its ancestors (init, sh) hold slots too.
  if(n > NPROC - 1){
    printf("forktest: FAIL: %d forks succeeded, more than NPROC-1 = %d\n",
           n, NPROC - 1);
    exit(1);
  }
  if(n < NPROC / 2){
    printf("forktest: FAIL: only %d forks succeeded (NPROC is %d)\n",
           n, NPROC);
    exit(1);
  }

  for(int i = 0; i < n; i++){
    if(wait(0) < 0){
      printf("forktest: FAIL: wait gave up after %d of %d children\n", i, n);
      exit(1);
    }
  }
  if(wait(0) != -1){
    printf("forktest: FAIL: wait found a child after all %d were reaped\n", n);
    exit(1);
  }
  printf("fork test OK (%d forks)\n", n);
  exit(0);
}
