// The console: a device (major CONSOLE) that reads lines typed on the
// UART and writes to it.
//
// Editing keys while a line is being typed:
//   Backspace or Delete  erase the last character
//   Ctrl-U               erase the whole line
//   Ctrl-D               end of file (a read returns what is typed so far,
//                        or 0 at the start of a line)
//   Ctrl-P               print the process list
//
// Typed input lives in one ring buffer, in two parts that follow each
// other: first the bytes handed over to readers (complete lines, a chunk
// ended by Ctrl-D, or a line that filled the buffer), then the line still
// being edited.  The UART interrupt adds characters (consoleintr), read()
// takes them (consoleread).
//
// Flow control.  When the buffer is full, the UART's receive interrupt is
// turned off, so that further characters wait in the UART (QEMU holds the
// rest back) instead of being dropped.  The rule: reception is off exactly
// when input.rxoff is set, and both the decision (full, or room again)
// and the register write that carries it out happen in one critical
// section of input.lock.  A decision carried out after the lock is
// released can be overtaken by the opposite decision on another hart -- a
// reader makes room and turns reception on, then a stale "full" turns it
// off with the buffer empty -- and input would stop for good.
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

#define INPUT_SIZE 128             // bytes of typed input held at most
#define CTRL(x)    ((x) - '@')     // the code Ctrl-x sends
#define DELETE     0x7f

static struct {
  struct spinlock lock;   // guards everything below, and the UART's IER
  char ring[INPUT_SIZE];
  uint head;              // ring index of the oldest byte for readers
  uint ready;             // bytes handed over to readers, from head on
  uint editing;           // bytes of the line being edited, after those
  int rxoff;              // reception is off: the ring was full
} input;

// One write() at a time reaches the UART, whole: the shell's "$ " prompt
// and a background job's output cannot cut into each other, even though
// uartputc may sleep part way through a write.  (Echo and the kernel's
// printf go around it, straight to the UART.)
static struct sleeplock writing;

// Write one character to the UART.  Used for echo and by printf.
void
consputc(int c)
{
  uartputc_sync(c);
}

// Erase the character before the cursor on the screen.
static void
echo_erase(void)
{
  consputc('\b');
  consputc(' ');
  consputc('\b');
}

// Is the ring full?  Caller holds input.lock.
static int
ring_full(void)
{
  return input.ready + input.editing == INPUT_SIZE;
}

// Turn reception back on if it is off and the ring has room.  Caller
// holds input.lock.
static void
rx_on_if_room(void)
{
  if(input.rxoff && !ring_full()){
    uartrxresume();
    input.rxoff = 0;
  }
}

// Can the console take another typed character?  uartintr asks before
// it takes each one from the UART.  If not, reception is turned off here,
// under the same lock as the decision (see the rule at the top); the read
// that makes room turns it on again.
int
consoleroom(void)
{
  acquire(&input.lock);
  int full = ring_full();
  if(full && !input.rxoff){
    uartrxstop();
    input.rxoff = 1;
  }
  release(&input.lock);
  return !full;
}

// Add typed character c to the line being edited, echo it, and hand the
// line over to readers when it is complete: at a newline, at Ctrl-D, or
// when the ring is full (a reader must drain it before more fits).
// Caller holds input.lock.
static void
type_char(int c)
{
  if(c == '\r')
    c = '\n';
  if(c == 0 || ring_full())
    return;
  consputc(c);
  input.ring[(input.head + input.ready + input.editing) % INPUT_SIZE] = c;
  input.editing++;
  if(c == '\n' || c == CTRL('D') || ring_full()){
    input.ready += input.editing;
    input.editing = 0;
    wakeup(&input.ready);
  }
}

// Called by the UART interrupt for each character typed.  Editing keys
// change the line being edited; what was handed to readers stays.
void
consoleintr(int c)
{
  acquire(&input.lock);
  if(c == CTRL('P')){
    procdump();
  } else if(c == CTRL('U')){
    for(; input.editing > 0; input.editing--)
      echo_erase();
  } else if(c == CTRL('H') || c == DELETE){
    if(input.editing > 0){
      input.editing--;
      echo_erase();
    }
  } else {
    type_char(c);
  }
  release(&input.lock);
}

// read() on the console: copy up to n bytes of typed input to dst (a
// user address if user_dst), waiting until a line (or Ctrl-D) is handed
// over; stops after a newline.  A Ctrl-D ends the read and is consumed
// only if nothing was copied, so that it makes the next read, or this
// one, return 0 (end of file).  Returns the bytes copied, or -1 if the
// process is killed while waiting.
static int
consoleread(int user_dst, uint64 dst, int n)
{
  int copied = 0;

  acquire(&input.lock);
  while(copied < n){
    if(input.ready == 0){
      if(killed(myproc())){
        release(&input.lock);
        return -1;
      }
      sleep(&input.ready, &input.lock);
      continue;
    }
    char c = input.ring[input.head];
    if(c == CTRL('D') && copied > 0)
      break;
    if(c != CTRL('D') && either_copyout(user_dst, dst + copied, &c, 1) < 0)
      break;
    input.head = (input.head + 1) % INPUT_SIZE;
    input.ready--;
    // Room again: take input now, not only when this read returns (a
    // line longer than the ring keeps the read going).
    rx_on_if_room();
    if(c == CTRL('D'))
      break;
    copied++;
    if(c == '\n')
      break;
  }
  release(&input.lock);
  return copied;
}

// write() on the console: send n bytes from src (a user address if
// user_src) to the UART, with no other write() mixed in.  Returns the
// bytes sent: fewer than n if src goes bad part way.
static int
consolewrite(int user_src, uint64 src, int n)
{
  char chunk[64];
  int sent = 0;

  acquiresleep(&writing);
  while(sent < n){
    int len = n - sent < sizeof(chunk) ? n - sent : sizeof(chunk);
    if(either_copyin(chunk, user_src, src + sent, len) < 0)
      break;
    for(int i = 0; i < len; i++)
      uartputc(chunk[i]);
    sent += len;
  }
  releasesleep(&writing);
  return sent;
}

// Set up the console and its UART, and plug the console into devsw as
// device CONSOLE.  Called once, by hart 0, before interrupts are on.
void
consoleinit(void)
{
  static const struct devsw console = { consoleread, consolewrite };

  initlock(&input.lock, "cons");
  initsleeplock(&writing, "conswrite");
  uartinit();
  devsw[CONSOLE] = console;
}
