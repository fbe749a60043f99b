// free: print the number of free physical pages, as the freemem()
// system call reports it.  Tests run it before and after a workload to
// show that nothing leaked.
//
//   $ free
//   free pages: 31021

#include "kernel/types.h"
#include "user/user.h"

int
main(void)
{
  printf("free pages: %d\n", freemem());
  exit(0);
}
