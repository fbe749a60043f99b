// sleep: wait for a number of clock ticks (one tick is the time between
// two timer interrupts, 10 ms here), then exit.
//
//   $ sleep 10
//
// lab util: solution

#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  if(argc != 2){
    fprintf(2, "usage: sleep ticks\n");
    exit(1);
  }
  // atoi() reads "5x" as 5 and "-5" as 0; take digits only, so that a
  // mistyped argument is an error instead of a guess.
  for(char *p = argv[1]; *p; p++){
    if(*p < '0' || *p > '9'){
      fprintf(2, "sleep: %s is not a number of ticks\n", argv[1]);
      exit(1);
    }
  }
  if(argv[1][0] == 0 || sleep(atoi(argv[1])) < 0){
    fprintf(2, "sleep: cannot sleep for %s ticks\n", argv[1]);
    exit(1);
  }
  exit(0);
}
