// kill: kill each process whose pid is given.

#include "kernel/types.h"
#include "user/user.h"

// Is s a non-empty string of decimal digits?
static int
isnumber(const char *s)
{
  if(*s == 0)
    return 0;
  for(; *s; s++){
    if(*s < '0' || *s > '9')
      return 0;
  }
  return 1;
}

int
main(int argc, char *argv[])
{
  int status = 0;

  if(argc < 2){
    fprintf(2, "usage: kill pid...\n");
    exit(1);
  }
  for(int i = 1; i < argc; i++){
    if(!isnumber(argv[i])){
      fprintf(2, "kill: %s is not a process id\n", argv[i]);
      status = 1;
      continue;
    }
    if(kill(atoi(argv[i])) < 0){
      fprintf(2, "kill: no process %s\n", argv[i]);
      status = 1;
    }
  }
  exit(status);
}
