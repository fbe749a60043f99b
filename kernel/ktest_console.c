// In-kernel tests of the console's input flow control (issue 10, fault
// 4): the UART's receive interrupt is off exactly while the console's
// input buffer is full.  The decision and the register write are one
// step under the console's lock, so the register read back here always
// agrees with the buffer.
//
// The tests type into the console the way uartintr does (consoleroom,
// then consoleintr); the echo is a line of dots on the console.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

#define UART_IER   ((volatile uchar *)(UART0 + 1))
#define IER_RX     0x01
#define MAXFEED    1000   // far more than any console line buffer

static char got[MAXFEED];

// Type dots as the UART interrupt would while characters keep arriving,
// until the console says it is full.  Returns how many it took.
static int
type_until_full(void)
{
  int fed = 0;

  while(fed < MAXFEED && consoleroom()){
    consoleintr('.');
    fed++;
  }
  return fed;
}

// Reception goes off when the buffer fills and on again as soon as a
// read makes room: after a short read, and after the read that empties
// the buffer.
KTEST(console_reception_follows_the_buffer)
{
  CHECK((*UART_IER & IER_RX) != 0, "reception is off before the test");

  int fed = type_until_full();
  consputc('\n');   // end the echoed line of dots
  CHECK(fed > 10 && fed < MAXFEED, "the console took %d characters before it was full", fed);
  int off_when_full = (*UART_IER & IER_RX) == 0;

  int first = devsw[CONSOLE].read(0, (uint64)got, 10);
  int on_after_short_read = (*UART_IER & IER_RX) != 0;
  int rest = devsw[CONSOLE].read(0, (uint64)got, fed - 10);
  int on_after_empty = (*UART_IER & IER_RX) != 0;

  CHECK(off_when_full, "the input buffer is full (%d characters) but reception is on", fed);
  CHECK(first == 10 && rest == fed - 10, "reads returned %d and %d of the %d typed",
        first, rest, fed);
  CHECK(on_after_short_read, "a read made room but reception stayed off");
  CHECK(on_after_empty, "the buffer is empty but reception is off");
  for(int i = 0; i < rest; i++)
    CHECK(got[i] == '.', "byte %d read back as %d, not a dot", 10 + i, got[i]);
}
