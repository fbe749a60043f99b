// init: the first user program.  Sets up the console as standard input,
// output and error, then runs the shell, starting a new one whenever it
// exits.  As the parent of every orphan, it also reaps them.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define CONSOLE 1   // device major number of the console

static char *shargv[] = { "sh", 0 };

// Start a shell; returns its pid, or -1 if fork failed.
static int
startsh(void)
{
  int pid = fork();

  if(pid < 0){
    fprintf(2, "init: fork failed\n");
    return -1;
  }
  if(pid == 0){
    exec("sh", shargv);
    fprintf(2, "init: cannot run sh\n");
    exit(1);
  }
  return pid;
}

int
main(void)
{
  int fd, pid, shpid;

  // The console device may not exist yet on a fresh disk.
  if((fd = open("console", O_RDWR)) < 0){
    mknod("console", CONSOLE, 0);
    fd = open("console", O_RDWR);
  }
  if(fd != 0){
    // Nothing to print to: stop here rather than run blind.
    exit(1);
  }
  dup(0);   // standard output
  dup(0);   // standard error

  for(;;){
    printf("init: starting sh\n");
    while((shpid = startsh()) < 0)
      sleep(10);

    // Reap children until the shell itself is gone; the others are
    // orphans handed to init when their parents exited.
    for(;;){
      pid = wait(0);
      if(pid == shpid)
        break;
      if(pid < 0){
        // No children at all, which cannot be while the shell lives.
        fprintf(2, "init: wait failed\n");
        sleep(10);
      }
    }
  }
}
