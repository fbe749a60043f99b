// call: a few small functions to read in assembly, for the traps lab's
// questions about the RISC-V calling convention (docs/labs/traps.md).
// make writes the disassembly, with this source interleaved, to
// user/call.asm.
// lab traps: handout
#include "kernel/types.h"
#include "user/user.h"

int
add3(int x)
{
  return x + 3;
}

int
twice_plus3(int x)
{
  return 2 * add3(x);
}

int
main(void)
{
  unsigned int word = 0x00216948;

  printf("%d %d\n", twice_plus3(5) - 1, 42);
  printf("%s\n", (char *)&word);
  exit(0);
}
