// zombie: leave a child unreaped for a while.  The child exits at once
// and stays a zombie until this process exits and init adopts and reaps it.

#include "kernel/types.h"
#include "user/user.h"

int
main(void)
{
  int pid = fork();

  if(pid < 0){
    fprintf(2, "zombie: fork failed\n");
    exit(1);
  }
  if(pid > 0)
    sleep(5);   // parent: do not wait for the child
  exit(0);
}
