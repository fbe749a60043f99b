"""Tests of the mmap lab (docs/labs/mmap.md): mmap and munmap of files.
Run them with `make grade` (LAB=mmap).

Each test runs parts of `mmapcheck` (user/mmapcheck.c), which prints
`mmapcheck: PART: OK` or `mmapcheck: PART: FAIL: what it saw`; every part
must also give back each page it took.  The grader's own checks follow
each test: no page lost in the whole machine, the file system clean."""
from grader import check, expect_lines, expect_no_line, test, usertests

KILLED = r"pid \d+ \(mmapcheck\): .* page fault .*killed$"


def mmapcheck(m, parts, timeout=300):
    """Run `mmapcheck PART...` and check that every part said OK and the
    kernel did not panic; returns the output."""
    command = "mmapcheck %s" % " ".join(parts)
    out = m.run(command, timeout, command)
    expect_no_line(out, r"panic", command)
    for part in parts:
        check(("mmapcheck: %s: OK" % part) in out.splitlines(),
              "%s printed:\n%s" % (command, out), "the line `mmapcheck: %s: OK`" % part)
    return out


@test(20, "mapped pages come from the file on first touch; MAP_PRIVATE stays private")
def read_and_private(m):
    mmapcheck(m, ["read", "private"])


@test(25, "MAP_SHARED stores reach the file at munmap (first or last pages) and at exit")
def shared_and_exit(m):
    out = mmapcheck(m, ["shared", "exit"])
    # The exit part's second child dies storing into a PROT_READ mapping.
    expect_lines(out, [KILLED], "mmapcheck exit (the kernel's line for the killed child)")


@test(15, "fork gives the child the parent's mappings and touched pages")
def fork(m):
    mmapcheck(m, ["fork"])


@test(15, "system calls read and write untouched mapped pages, pipes and wait included")
def syscalls(m):
    mmapcheck(m, ["syscalls"])


@test(15, "bad arguments fail, forbidden accesses kill, out of memory kills")
def args_and_oom(m):
    out = mmapcheck(m, ["args", "oom"], 600)
    expect_lines(out, [KILLED, KILLED, KILLED],
                 "mmapcheck args oom (the kernel's lines for the killed children)")


@test(10, "usertests -q")
def usertests_quick(m):
    usertests(m)
