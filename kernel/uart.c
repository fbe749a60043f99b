// Driver for the 16550A UART at UART0 that QEMU connects to the terminal.
//
// Output is polled: a character goes out as soon as the transmitter is
// idle, which on QEMU is at once.  Input comes by interrupt: uartintr
// hands each received character to the console, which decides when
// reception must pause because its buffer is full (console.c explains
// the rule) and calls uartrxstop / uartrxresume.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/defs.h"

// The registers, one byte each, at UART0 + offset.  Some offsets name
// two registers: one read, one written, or (DLL, DLM) another register
// while LCR's divisor-latch bit is set.
enum {
  RBR = 0,   // read: the received byte
  THR = 0,   // write: the byte to send
  DLL = 0,   // divisor latch, low byte
  IER = 1,   // interrupt enable
  DLM = 1,   // divisor latch, high byte
  FCR = 2,   // write: FIFO control
  LCR = 3,   // line control
  LSR = 5,   // line status
};

// Bits in those registers.
enum {
  IER_RX = 0x01,           // interrupt when a byte has been received
  FCR_ON = 0x01,           // use the 16-byte FIFOs
  FCR_CLEAR = 0x06,        // and empty both
  LCR_8N1 = 0x03,          // 8 data bits, no parity, one stop bit
  LCR_DIVISOR = 0x80,      // DLL and DLM replace RBR/THR and IER
  LSR_RX_READY = 0x01,     // a received byte is waiting
  LSR_TX_EMPTY = 0x20,     // THR can take a byte
};

extern volatile int panicked;    // printf.c
extern volatile int panic_hart;  // printf.c

// The register at offset reg.
static volatile uchar *
uart_reg(int reg)
{
  return (volatile uchar *)(UART0 + reg);
}

// Program the line (38400 baud: divisor 3 of the 115200 base; 8N1),
// clear and enable the FIFOs, and turn on the receive interrupt.  Called
// once, from consoleinit.
void
uartinit(void)
{
  static const struct { uchar reg, value; } steps[] = {
    { IER, 0 },                  // no interrupts while we set up
    { LCR, LCR_DIVISOR },        // the next two writes are the divisor
    { DLL, 3 },
    { DLM, 0 },
    { LCR, LCR_8N1 },            // which also turns LCR_DIVISOR off
    { FCR, FCR_ON | FCR_CLEAR },
    { IER, IER_RX },
  };

  for(int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
    *uart_reg(steps[i].reg) = steps[i].value;
}

// Send one character, waiting until the transmitter can take it.  Works
// anywhere: with interrupts off, holding locks, from panic().  Once
// another hart has panicked, this hart stops here for good, so that the
// panic's message is not interleaved with anything.
void
uartputc_sync(int c)
{
  push_off();
  while(panicked && panic_hart != cpuid())
    asm volatile("wfi");
  while((*uart_reg(LSR) & LSR_TX_EMPTY) == 0)
    ;
  *uart_reg(THR) = c;
  pop_off();
}

// Send one character for a process writing to the console.
void
uartputc(int c)
{
  uartputc_sync(c);
}

// The next received character, or -1 if none is waiting.
int
uartgetc(void)
{
  if((*uart_reg(LSR) & LSR_RX_READY) == 0)
    return -1;
  return *uart_reg(RBR);
}

// The UART's interrupt: hand the received characters to the console for
// as long as it has room.  Those it has no room for stay in the UART's
// FIFO (and QEMU holds back the rest) until a read makes room; the
// console has then turned reception off, and turns it on again.
void
uartintr(void)
{
  int c;

  while(consoleroom() && (c = uartgetc()) >= 0)
    consoleintr(c);
}

// Stop receive interrupts.  Only the console calls this, holding its
// lock.
void
uartrxstop(void)
{
  *uart_reg(IER) = 0;
}

// Take receive interrupts again.  Only the console calls this, holding
// its lock.
void
uartrxresume(void)
{
  *uart_reg(IER) = IER_RX;
}
