// In-kernel tests of the symbol table that lets print_stack() name the
// functions it passes through (ksym_lookup in printf.c; the table comes
// from the Makefile's second link, scripts/ksyms.py).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

extern char etext[];
extern char trampoline[], uservec[];

// Is name exactly want?
static int
named(const char *name, const char *want)
{
  return name != 0 && strncmp(name, want, 64) == 0;
}

// A function's first byte is named after it, at offset 0; a byte inside
// it at its distance from the start.
KTEST(ksym_lookup_names_functions_and_offsets)
{
  uint64 off = 99;
  const char *name = ksym_lookup((uint64)kalloc, &off);
  CHECK(name != 0, "kalloc (%p) has no name: the kernel carries no symbol table", kalloc);
  CHECK(named(name, "kalloc") && off == 0, "kalloc's first byte is named %s+%ld", name, off);

  name = ksym_lookup((uint64)growproc + 6, &off);
  CHECK(named(name, "growproc") && off == 6, "growproc+6 is named %s+%ld", name, off);

  name = ksym_lookup((uint64)ksym_lookup + 2, &off);
  CHECK(named(name, "ksym_lookup") && off == 2, "ksym_lookup+2 is named %s+%ld", name, off);
}

// The trampoline runs at TRAMPOLINE, not where it was linked: both
// addresses name the same code.
KTEST(ksym_lookup_knows_the_trampoline_at_both_addresses)
{
  uint64 off = 99;
  uint64 high = TRAMPOLINE + ((uint64)uservec - (uint64)trampoline);
  const char *name = ksym_lookup(high + 4, &off);
  CHECK(named(name, "uservec") && off == 4, "TRAMPOLINE's uservec+4 is named %s+%ld",
        name ? name : "(null)", off);
  name = ksym_lookup((uint64)uservec + 4, &off);
  CHECK(named(name, "uservec") && off == 4, "uservec+4 is named %s+%ld",
        name ? name : "(null)", off);
}

// Addresses that are not kernel code have no name.
KTEST(ksym_lookup_refuses_non_code_addresses)
{
  uint64 off;
  CHECK(ksym_lookup(KERNBASE - 4, &off) == 0, "an address below the kernel got a name");
  CHECK(ksym_lookup((uint64)etext, &off) == 0, "etext (end of code) got a name");
  CHECK(ksym_lookup(PHYSTOP - 8, &off) == 0, "a RAM address got a name");
  CHECK(ksym_lookup(0x1000, &off) == 0, "a user address got a name");
}
