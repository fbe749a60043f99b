// The platform-level interrupt controller: routes device interrupts
// (UART, virtio disk) to harts.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"

#define W32(addr) (*(volatile uint32 *)(addr))

// Give the devices we use a non-zero priority (zero means disabled).
void
plicinit(void)
{
  W32(PLIC_PRIORITY + UART0_IRQ * 4) = 1;
  W32(PLIC_PRIORITY + VIRTIO0_IRQ * 4) = 1;
}

// Let this hart's supervisor context take those interrupts.
void
plicinithart(void)
{
  int hart = cpuid();
  W32(PLIC_SENABLE(hart)) = (1 << UART0_IRQ) | (1 << VIRTIO0_IRQ);
  W32(PLIC_SPRIORITY(hart)) = 0;  // threshold: accept every priority
}

// Which interrupt is pending for this hart (0 if none).  Claiming it
// stops other harts from taking the same one.
int
plic_claim(void)
{
  return W32(PLIC_SCLAIM(cpuid()));
}

// Tell the PLIC this hart has finished with irq.
void
plic_complete(int irq)
{
  W32(PLIC_SCLAIM(cpuid())) = irq;
}
