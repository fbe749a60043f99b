// halt: power the machine off.

#include "kernel/types.h"
#include "user/user.h"

int
main(void)
{
  halt();
  // halt() returns only if the kernel could not power off.
  fprintf(2, "halt: failed to power off\n");
  exit(1);
}
