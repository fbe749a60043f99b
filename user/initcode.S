# The first user program, copied into the first process by userinit()
# (the Makefile turns it into kernel/initcode.h).  It runs
# exec("/init", {"/init", 0}) and, should that fail, exits.
#include "kernel/syscall.h"

        .globl start
start:
        la a0, path
        la a1, argv
        li a7, SYS_exec
        ecall

failed:
        li a0, 1
        li a7, SYS_exit
        ecall
        j failed

path:
        .string "/init"

        .p2align 3
argv:
        .dword path
        .dword 0
