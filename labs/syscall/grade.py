"""Tests of the syscall lab (docs/labs/syscall.md): the trace and sysinfo
system calls, and the attack on memory that the lab's kernel hands out
without scrubbing it.  Run them with `make grade` (LAB=syscall)."""
import os
import random
import re
import string

from grader import ROOT, check, expect_lines, expect_no_line, expect_output, test

README_SIZE = os.path.getsize(os.path.join(ROOT, "user", "README"))
TRACE_LINE = re.compile(r"^(\d+): syscall (\w+) -> (-?\d+)$")

# Masks: bit n for system call n (kernel/syscall.h).
FORK, EXEC, READ, OPEN, CLOSE = 1 << 1, 1 << 7, 1 << 5, 1 << 15, 1 << 21
ALL = (1 << 31) - 1


def name():
    """A fresh file name, so that no answer can be built in."""
    return "".join(random.choice(string.ascii_lowercase) for _ in range(8))


def reports(out):
    """The trace lines of out, as (pid, call, result) with numbers as ints."""
    found = []
    for line in out.splitlines():
        m = TRACE_LINE.match(line.strip())
        if m:
            found.append((int(m.group(1)), m.group(2), int(m.group(3))))
    return found


def others(out):
    """The lines of out that are not trace lines."""
    return [l for l in out.splitlines() if not TRACE_LINE.match(l.strip())]


def show(calls):
    return "\n".join("      | %d: syscall %s -> %d" % c for c in calls) or "      | (none)"


@test(10, "trace read: grep's reads")
def trace_read(m):
    out = m.run("trace %d grep hello README" % READ)
    calls = reports(out)
    check(calls and all(c[1] == "read" for c in calls),
          "trace %d grep hello README reported:\n%s" % (READ, show(calls)),
          "only read calls (mask %d is read alone)" % READ)
    check(len({c[0] for c in calls}) == 1,
          "reads reported for several pids:\n%s" % show(calls), "one pid: grep's")
    sizes = [c[2] for c in calls]
    check(sizes[-1] == 0 and all(0 < s <= 1023 for s in sizes[:-1])
          and sum(sizes) == README_SIZE,
          "read results %s (they add up to %d)" % (sizes, sum(sizes)),
          "reads of 1 to 1023 bytes adding up to README's %d bytes, then a read -> 0"
          % README_SIZE)


@test(10, "trace exec, open and close")
def trace_several(m):
    mask = EXEC | OPEN | CLOSE
    out = m.run("trace %d grep hello README" % mask)
    calls = reports(out)
    want = ["exec -> 3", "open -> 3", "close -> 0"]
    check([("%s -> %d" % (c[1], c[2])) for c in calls] == want
          and len({c[0] for c in calls}) == 1,
          "trace %d grep hello README reported:\n%s" % (mask, show(calls)),
          "one process reporting, in this order: %s (exec returns argc)" % ", ".join(want))
    expect_output("\n".join(others(out)), [], "trace %d grep hello README, besides its reports"
                  % mask)


@test(5, "trace a call that fails")
def trace_failure(m):
    missing = name()
    out = m.run("trace %d cat %s" % (OPEN, missing))
    calls = reports(out)
    check([(c[1], c[2]) for c in calls] == [("open", -1)],
          "trace %d cat %s (no such file) reported:\n%s" % (OPEN, missing, show(calls)),
          "one report: open -> -1")


@test(10, "trace every call")
def trace_all(m):
    out = m.run("trace %d echo hi" % ALL)
    expect_lines(out, [r"^\d+: syscall trace -> 0$", r"^\d+: syscall exec -> 2$",
                       r"^hi$", r"^\d+: syscall write -> 3$"], "trace %d echo hi" % ALL)
    calls = reports(out)
    check(len({c[0] for c in calls}) == 1,
          "reports from several pids:\n%s" % show(calls), "one pid: echo's")
    expect_no_line(out, r"syscall exit", "trace %d echo hi (exit never returns)" % ALL)


@test(15, "trace follows fork into children")
def trace_children(m):
    script = name()
    m.run("echo '( echo a | cat )' > %s" % script)
    out = m.run("trace %d sh %s" % (FORK, script))
    calls = reports(out)
    check(len(calls) == 3 and all(c[1] == "fork" and c[2] > 0 for c in calls),
          "trace %d sh %s (a script running `( echo a | cat )`) reported:\n%s"
          % (FORK, script, show(calls)),
          "three forks: the shell forks a subshell, which forks echo and cat")
    # On several harts the subshell's reports may come before the
    # shell's: tell them apart by who forked whom, not by order.
    forkers = [c[0] for c in calls]
    subs = [c for c in calls if forkers.count(c[0]) == 1 and forkers.count(c[2]) == 2]
    check(len(subs) == 1 and len({c[2] for c in calls}) == 3,
          "the forks reported:\n%s" % show(calls),
          "one by the shell, making the subshell; two by the subshell, which "
          "inherited the mask, making two more processes")
    check("a" in others(out), "the script printed %r" % others(out), "a")


@test(5, "no reports without a mask")
def trace_nothing(m):
    script = name()
    m.run("echo '( echo a | cat )' > %s" % script)
    for cmd in ["grep hello README", "trace 0 grep hello README", "sh %s" % script]:
        expect_no_line(m.run(cmd), r"syscall", cmd)
    # A traced command leaves the shell that ran it untraced.
    m.run("trace %d grep hello README" % ALL)
    expect_output(m.run("echo after"), ["after"], "echo after, once a traced command ended")


@test(10, "sysinfo: bad pointers")
def sysinfo_pointers(m):
    out = m.run("sysinfotest pointers")
    expect_lines(out, [r"^sysinfotest: bad pointers OK$", r"^sysinfotest: OK$"],
                 "sysinfotest pointers (sysinfo must work with a good pointer, and "
                 "return -1 for an address the process may not write)")


@test(10, "sysinfo: free memory")
def sysinfo_memory(m):
    out = m.run("sysinfotest memory", 300)
    expect_lines(out, [r"^sysinfotest: free memory OK$", r"^sysinfotest: OK$"],
                 "sysinfotest memory")
    first = re.search(r"^freemem (\d+) nproc \d+$", m.run("sysinfotest show"), re.M)
    pages = re.search(r"free pages: (\d+)", m.run("free"))
    check(first is not None and pages is not None,
          "sysinfotest show and free printed nothing usable", "freemem N nproc N, free pages: N")
    got, counted = int(first.group(1)), int(pages.group(1)) * 4096
    check(got % 4096 == 0 and abs(got - counted) <= 16 * 4096,
          "sysinfo reports %d bytes free, free counts %d bytes" % (got, counted),
          "the same amount in bytes, give or take the two programs' sizes (16 pages)")


@test(10, "sysinfo: processes")
def sysinfo_processes(m):
    out = m.run("sysinfotest processes")
    expect_lines(out, [r"^sysinfotest: processes OK$", r"^sysinfotest: OK$"],
                 "sysinfotest processes")
    expect_lines(m.run("sysinfotest show"), [r"^freemem \d+ nproc 3$"],
                 "sysinfotest show at the shell (init, sh and sysinfotest: 3 processes)")


@test(15, "attack finds the secret")
def attack(m):
    out = m.run("attacktest")
    expect_lines(out, [r"^attacktest: OK: attack found the secret [a-z]+$"], "attacktest")
