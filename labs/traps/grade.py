"""Tests of the traps lab (docs/labs/traps.md): backtrace() and the
alarm, sigalarm/sigreturn.  Run them with `make grade` (LAB=traps).

The backtrace tests run bttest, whose one sleep system call reaches
sys_sleep, which in a LAB=traps build calls backtrace().  The alarm
tests run user/alarmtest, one of its tests at a time; each prints what it
saw and what it expected when it fails."""
import os
import re
import shutil
import subprocess

from grader import KERNEL, ROOT, check, expect_lines, expect_no_line, quote, test

ADDRESS = r"0x[0-9a-f]{16}"
# The calls that lead from a user program's sleep() to backtrace(),
# newest first: the function each return address lies in, and its file.
FRAMES = [("sys_sleep", "sysproc.c"), ("syscall", "syscall.c"), ("usertrap", "trap.c")]


def lab_build_hint():
    """A note for failure messages when the kernel was not built for the
    lab (sys_sleep calls backtrace() only with -DLAB_TRAPS)."""
    try:
        with open(os.path.join(ROOT, ".build-flags")) as f:
            if "-DLAB_TRAPS" in f.read():
                return ""
    except OSError:
        pass
    return " (this kernel was not built with LAB=traps; `make grade` builds it so)"


def backtrace_lines(m):
    """Run bttest; return (its output, the lines after `backtrace:`)."""
    out = m.run("bttest")
    lines = out.splitlines()
    check("backtrace:" in lines,
          "bttest printed:\n%s" % quote(out),
          "a line `backtrace:` from the backtrace() that sys_sleep calls%s" % lab_build_hint())
    return out, lines[lines.index("backtrace:") + 1:]


def addr2line():
    for prefix in ("riscv64-unknown-elf-", "riscv64-linux-gnu-", "riscv64-elf-"):
        path = shutil.which(prefix + "addr2line")
        if path:
            return path
    check(False, "no riscv64 addr2line on this machine",
          "the cross toolchain's addr2line, to look up the addresses")


@test(10, "backtrace: format")
def backtrace_format(m):
    out, after = backtrace_lines(m)
    check(len(after) == len(FRAMES) and all(re.fullmatch(ADDRESS, l) for l in after),
          "bttest printed:\n%s" % quote(out),
          "`backtrace:` and then %d return addresses, one a line, each printed with %%p "
          "(0x and 16 hex digits, like 0x0000000080002cda), and nothing else"
          % len(FRAMES))


@test(20, "backtrace: the frames of sleep")
def backtrace_frames(m):
    out, after = backtrace_lines(m)
    addrs = [l for l in after if re.fullmatch(ADDRESS, l)]
    check(len(addrs) == len(FRAMES),
          "%d address lines after `backtrace:`:\n%s" % (len(addrs), quote(out)),
          "%d: the return addresses into %s"
          % (len(FRAMES), ", ".join(f for f, _ in FRAMES)))
    tool = addr2line()
    for addr, (func, source) in zip(addrs, FRAMES):
        r = subprocess.run([tool, "-f", "-e", KERNEL, addr],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        found = r.stdout.split()
        name = found[0] if found else "?"
        place = os.path.basename(found[1]) if len(found) > 1 else "?"
        check(name == func and place.startswith(source + ":"),
              "%s lies in %s at %s (addr2line -f -e kernel/kernel %s)" % (addr, name, place, addr),
              "an address in %s, in %s: the frames are sys_sleep's caller chain, "
              "newest first" % (func, source))


def alarm(m, name):
    out = m.run("alarmtest %s" % name, 240)
    expect_no_line(out, r"exec .* failed", "alarmtest %s" % name)
    expect_lines(out, [r"^alarmtest %s: OK$" % name], "alarmtest %s" % name)


@test(20, "alarm: the handler is called again and again")
def alarm_repeat(m):
    alarm(m, "repeat")


@test(20, "alarm: sigreturn restores every register")
def alarm_registers(m):
    alarm(m, "registers")


@test(10, "alarm: a0 survives sigreturn")
def alarm_a0(m):
    alarm(m, "a0")


@test(10, "alarm: no call while the handler runs")
def alarm_reentry(m):
    alarm(m, "reentry")


@test(10, "alarm: sigalarm(0, 0) stops it")
def alarm_stop(m):
    alarm(m, "stop")
