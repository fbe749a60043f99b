"""Tests of the lazy lab (docs/labs/lazy.md): heap growth that allocates
a page only when it is first used.  Run them with `make grade` (LAB=lazy).

The tests are usertests' lazy tests, run by name: in the lab's starter
they exist but run only when named, since a kernel without lazy growth
fails them.  Besides its own checks, every test is checked by the
grader for lost pages and for a clean file system afterwards."""
from grader import expect_lines, test, usertests

KILLED = r"pid \d+ \(.*\): .*killed$"


@test(20, "lazy growth costs no pages until touched; touched pages appear")
def growth_is_lazy(m):
    # lazy-huge: 1 GiB of sbrklazy takes no page; touching a few takes a
    # few; shrinking gives them back.  sbrk-trapframe: the break can go
    # all the way up to TRAPFRAME lazily, and a page far up works.
    usertests(m, ["lazy-huge", "sbrk-trapframe"])


@test(20, "system calls reach pages not touched yet")
def syscalls_fault_in(m):
    # read(), pipe(), fstat() into untouched lazy pages, write() out of
    # them, and a path whose end lies on an untouched page (copyinstr).
    usertests(m, ["lazy-syscall-buf", "lazy_copyinstr"])


@test(20, "fork, shrink and exit with holes in the heap")
def holes(m):
    # lazy-fork: the child gets the touched pages, and the holes stay
    # holes; lazy-shrink: a shrink frees exactly the touched pages above
    # the new break; lazy_unmap: pages given back are gone for good.
    usertests(m, ["lazy-fork", "lazy-shrink", "lazy_unmap"])


@test(15, "out of memory kills the process; the kernel goes on")
def out_of_memory(m):
    out = usertests(m, ["lazy-oom"], 600)
    expect_lines(out, [KILLED], "usertests lazy-oom (the kernel's line for the killed child)")
    # The machine still works: lazy growth and its pages, once more.
    usertests(m, ["lazy-huge"])


@test(15, "usertests -q")
def usertests_quick(m):
    usertests(m)
