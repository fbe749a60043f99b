// bttest: one sleep system call and nothing else.  In a kernel built
// for the traps lab (LAB=traps), sys_sleep calls backtrace(), so this
// shows the chain of calls that brought the system call there:
// sys_sleep, syscall, usertrap.
// lab traps: handout
#include "kernel/types.h"
#include "user/user.h"

int
main(void)
{
  sleep(1);
  exit(0);
}
