// Driver for the 16550A UART at UART0 that QEMU connects to the terminal.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/defs.h"

// Registers, one byte each, at UART0 + offset.
#define RHR 0   // receive holding (read)
#define THR 0   // transmit holding (write)
#define IER 1   // interrupt enable
#define FCR 2   // FIFO control (write)
#define ISR 2   // interrupt status (read)
#define LCR 3   // line control
#define LSR 5   // line status

#define IER_RX_ENABLE  (1 << 0)
#define FCR_FIFO_ENABLE (1 << 0)
#define FCR_FIFO_CLEAR  (3 << 1)
#define LCR_EIGHT_BITS  (3 << 0)
#define LCR_BAUD_LATCH  (1 << 7)
#define LSR_RX_READY    (1 << 0)
#define LSR_TX_IDLE     (1 << 5)

#define Reg(r) ((volatile uchar *)(UART0 + (r)))
#define ReadReg(r) (*(Reg(r)))
#define WriteReg(r, v) (*(Reg(r)) = (v))

extern volatile int panicked;    // printf.c
extern volatile int panic_hart;  // printf.c

// Set the line to 38400 baud, 8 data bits, no parity; turn on the FIFOs
// and the receive interrupt.  Output is polled (see uartputc_sync).
void
uartinit(void)
{
  WriteReg(IER, 0x00);
  WriteReg(LCR, LCR_BAUD_LATCH);
  WriteReg(0, 0x03);   // divisor low byte: 38.4K
  WriteReg(1, 0x00);   // divisor high byte
  WriteReg(LCR, LCR_EIGHT_BITS);
  WriteReg(FCR, FCR_FIFO_ENABLE | FCR_FIFO_CLEAR);
  WriteReg(IER, IER_RX_ENABLE);
}

// Send one character, waiting for the transmitter.  Usable anywhere,
// including with interrupts off and from panic().  QEMU's transmitter
// is never busy for long, so polling costs nothing noticeable.
void
uartputc_sync(int c)
{
  push_off();
  if(panicked && panic_hart != cpuid()){
    // Another hart panicked: stay quiet so its message is readable.
    for(;;)
      asm volatile("wfi");
  }
  while((ReadReg(LSR) & LSR_TX_IDLE) == 0)
    ;
  WriteReg(THR, c);
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
  if(ReadReg(LSR) & LSR_RX_READY)
    return ReadReg(RHR);
  return -1;
}

// Receive interrupt: hand every waiting character to the console.
// When the console's input buffer is full, stop taking characters: they
// wait in the UART (and QEMU holds back the rest) instead of being
// dropped.  consoleroom() has then turned the receive interrupt off, and
// a read that makes room turns it on again (the rule is in console.c).
void
uartintr(void)
{
  while(consoleroom()){
    int c = uartgetc();
    if(c == -1)
      break;
    consoleintr(c);
  }
}

// Stop receive interrupts.  Only the console calls this, holding its lock.
void
uartrxstop(void)
{
  WriteReg(IER, 0);
}

// Take receive interrupts again.  Only the console calls this, holding
// its lock.
void
uartrxresume(void)
{
  WriteReg(IER, IER_RX_ENABLE);
}
