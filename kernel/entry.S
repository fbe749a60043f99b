# Every hart starts here, in machine mode, at 0x80000000 (kernel.ld puts
# _entry first).  a0 holds the hart id.  Give each hart its own 4 KiB of
# stack0 (start.c) and call start(), which never returns.
        .section .text.entry
        .global _entry
_entry:
        la sp, stack0
        li t0, 4096
        csrr t1, mhartid
        addi t1, t1, 1
        mul t0, t0, t1
        add sp, sp, t0          # sp = stack0 + 4096 * (hartid + 1)
        call start
1:
        wfi                     # start() does not return; if it did, park
        j 1b
