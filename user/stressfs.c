// stressfs: several processes write, read back and remove files at the
// same time, to exercise the file system's locking and log under
// concurrency.  Each child owns one file; each block it writes carries a
// pattern naming the child and the block, so a block that lands in the
// wrong file or place is caught when read back.

#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define NCHILD  4
#define NBLOCKS 20     // writes per file
#define BLKSZ   512    // bytes per write
#define ROUNDS  2      // write, verify and remove this many times

// Fill buf with the pattern for the given child, round and block.
static void
pattern(char *buf, int child, int round, int block)
{
  for(int i = 0; i < BLKSZ; i++)
    buf[i] = 'a' + (child * 7 + round * 5 + block * 3 + i) % 26;
}

// One child's work; returns 0, or 1 after saying what went wrong.
static int
work(int child)
{
  static char want[BLKSZ], got[BLKSZ];
  char name[] = "stressfs.?";
  int fd;

  name[sizeof(name) - 2] = '0' + child;
  for(int round = 0; round < ROUNDS; round++){
    if((fd = open(name, O_CREATE | O_RDWR | O_TRUNC)) < 0){
      printf("stressfs: FAIL: cannot create %s\n", name);
      return 1;
    }
    for(int b = 0; b < NBLOCKS; b++){
      pattern(want, child, round, b);
      if(write(fd, want, BLKSZ) != BLKSZ){
        printf("stressfs: FAIL: write %d of %s\n", b, name);
        return 1;
      }
    }
    close(fd);

    if((fd = open(name, O_RDONLY)) < 0){
      printf("stressfs: FAIL: cannot reopen %s\n", name);
      return 1;
    }
    for(int b = 0; b < NBLOCKS; b++){
      pattern(want, child, round, b);
      if(read(fd, got, BLKSZ) != BLKSZ || memcmp(want, got, BLKSZ) != 0){
        printf("stressfs: FAIL: block %d of %s reads back wrong\n", b, name);
        return 1;
      }
    }
    if(read(fd, got, 1) != 0){
      printf("stressfs: FAIL: %s is longer than written\n", name);
      return 1;
    }
    close(fd);
    if(unlink(name) < 0){
      printf("stressfs: FAIL: cannot remove %s\n", name);
      return 1;
    }
  }
  return 0;
}

int
main(void)
{
  int pid, status, failures = 0;

  printf("stressfs starting\n");
  for(int i = 0; i < NCHILD; i++){
    pid = fork();
    if(pid < 0){
      printf("stressfs: FAIL: fork\n");
      failures++;
      break;
    }
    if(pid == 0)
      exit(work(i));
  }
  while(wait(&status) >= 0){
    if(status != 0)
      failures++;
  }
  if(failures){
    printf("stressfs: FAIL\n");
    exit(1);
  }
  printf("stressfs ok\n");
  exit(0);
}
