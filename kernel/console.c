// The console: a device (major CONSOLE) that reads lines typed on the
// UART and writes to it.
//
// Editing keys while a line is being typed:
//   Backspace or Delete  erase the last character
//   Ctrl-U               erase the whole line
//   Ctrl-D               end of file (a read returns what is typed so far,
//                        or 0 at the start of a line)
//   Ctrl-P               print the process list
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/file.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"
#include "kernel/proc.h"

#define BACKSPACE 0x100    // consputc: erase the character before the cursor
#define CTRL(x) ((x) - '@')

// Write one character to the UART; BACKSPACE erases on screen.
void
consputc(int c)
{
  if(c == BACKSPACE){
    uartputc_sync('\b');
    uartputc_sync(' ');
    uartputc_sync('\b');
  } else {
    uartputc_sync(c);
  }
}

// Typed input, a ring buffer indexed by ever-growing counters:
//   [r, w)  complete lines (or a Ctrl-D-ended chunk), ready for read()
//   [w, e)  the line being edited
//
// Flow control.  When the buffer is full, the UART's receive interrupt is
// turned off, so that further characters wait in the UART (QEMU holds the
// rest back) instead of being dropped.  The rule: reception is off exactly
// when cons.rxoff is set, and both the decision (full, or room again) and
// the register write that carries it out happen in one critical section
// of cons.lock.  A decision carried out after the lock is released can be
// overtaken by the opposite decision on another hart -- a reader makes
// room and turns reception on, then a stale "full" turns it off with the
// buffer empty -- and input would stop for good.
#define INPUT_BUF_SIZE 128
static struct {
  struct spinlock lock;
  char buf[INPUT_BUF_SIZE];
  uint r;
  uint w;
  uint e;
  int rxoff;     // the UART's receive interrupt is off: the buffer was full
} cons;

// Turn reception back on if it is off and there is room.  Caller holds
// cons.lock.
static void
rx_on_if_room(void)
{
  if(cons.rxoff && cons.e - cons.r < INPUT_BUF_SIZE){
    uartrxresume();
    cons.rxoff = 0;
  }
}

// write() on the console: send n bytes from src (a user address when
// user_src is set).  Returns the number written.
static int
consolewrite(int user_src, uint64 src, int n)
{
  char chunk[64];
  int done = 0;

  while(done < n){
    int m = n - done;
    if(m > sizeof(chunk))
      m = sizeof(chunk);
    if(either_copyin(chunk, user_src, src + done, m) == -1)
      break;
    for(int i = 0; i < m; i++)
      uartputc(chunk[i]);
    done += m;
  }
  return done;
}

// read() on the console: copy up to n bytes of typed input to dst,
// sleeping until a whole line (or Ctrl-D) is there.  Returns the number
// of bytes copied, 0 at end of file, -1 if the process is killed.
static int
consoleread(int user_dst, uint64 dst, int n)
{
  int target = n;

  acquire(&cons.lock);
  while(n > 0){
    while(cons.r == cons.w){
      if(killed(myproc())){
        release(&cons.lock);
        return -1;
      }
      sleep(&cons.r, &cons.lock);
    }

    char c = cons.buf[cons.r++ % INPUT_BUF_SIZE];
    // Room again: take input now, not only when this read returns (a
    // line longer than the buffer keeps the read going).
    rx_on_if_room();

    if(c == CTRL('D')){
      if(n < target){
        // Leave the Ctrl-D for the next read, so that it returns 0.
        cons.r--;
      }
      break;
    }

    if(either_copyout(user_dst, dst, &c, 1) == -1)
      break;
    dst++;
    n--;

    if(c == '\n')
      break;
  }
  release(&cons.lock);

  return target - n;
}

// Can the console take another typed character?  uartintr asks before
// it takes each one from the UART.  If not, reception is turned off here,
// under the same lock as the decision (see the rule above cons); the read
// that makes room turns it on again.
int
consoleroom(void)
{
  acquire(&cons.lock);
  int room = cons.e - cons.r < INPUT_BUF_SIZE;
  if(!room && !cons.rxoff){
    uartrxstop();
    cons.rxoff = 1;
  }
  release(&cons.lock);
  return room;
}

// Called by the UART interrupt for each character typed.
void
consoleintr(int c)
{
  acquire(&cons.lock);

  switch(c){
  case CTRL('P'):
    procdump();
    break;
  case CTRL('U'):
    while(cons.e != cons.w &&
          cons.buf[(cons.e - 1) % INPUT_BUF_SIZE] != '\n'){
      cons.e--;
      consputc(BACKSPACE);
    }
    break;
  case CTRL('H'):
  case '\x7f':
    if(cons.e != cons.w){
      cons.e--;
      consputc(BACKSPACE);
    }
    break;
  default:
    if(c != 0 && cons.e - cons.r < INPUT_BUF_SIZE){
      if(c == '\r')
        c = '\n';
      consputc(c);
      cons.buf[cons.e++ % INPUT_BUF_SIZE] = c;
      // A line is ready at a newline, a Ctrl-D, or when the buffer is
      // full (the reader must drain it before more can be typed).
      if(c == '\n' || c == CTRL('D') || cons.e - cons.r == INPUT_BUF_SIZE){
        cons.w = cons.e;
        wakeup(&cons.r);
      }
    }
    break;
  }

  release(&cons.lock);
}

void
consoleinit(void)
{
  initlock(&cons.lock, "cons");
  uartinit();
  devsw[CONSOLE].read = consoleread;
  devsw[CONSOLE].write = consolewrite;
}
