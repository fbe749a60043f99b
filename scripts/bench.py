#!/usr/bin/env python3
"""make bench: measure the kernel, one line per figure:

    bench: NAME VALUE UNIT

  boot          seconds from starting QEMU to the first shell prompt
                (median of BOOTS boots)
  idle          host CPU cores QEMU uses with the kernel idle at the
                prompt (its /proc utime+stime over IDLE_SECONDS)
  sbrk          milliseconds per eager sbrk of 32 MiB, a write to every
                page, and the shrink back
  lazy          first touches of lazily grown pages per second
  fork          fork + exit + wait per second
  exec          fork + exec + exit + wait per second
  pipe          MB/s through a pipe, 4 KiB writes
  write, read   MB/s writing (reading) a 200 KiB file, 4 KiB at a time
  tick          guest clock ticks per host second (100 if it keeps time)
  usertests     seconds for `usertests -q` (when the image has it)
  usertests_full  seconds for the full `usertests`

Everything but boot and idle comes from user/bench.c, which marks each
benchmark with BENCH-START/BENCH-END lines; this script times those on
the host, since the guest's 10 ms clock is too coarse.  Then it compares
with the targets (idle <= 0.05 cores, boot <= 1 s, usertests).

Benchmarks never fail the build: a figure that cannot be measured is
reported as such, and the exit status is 0 unless the kernel does not
even boot.  Environment: CPUS (default 3), BOOTS (3), IDLE_SECONDS (5),
BENCH_USERTESTS=0 to skip usertests, BENCH_FULL_USERTESTS=0 to leave out
the full `usertests`.
"""
import os
import shutil
import statistics
import sys
import tempfile
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from conftest import FS_IMG, KERNEL, PROMPT, qemu_command  # noqa: E402

CPUS = int(os.environ.get("CPUS", "3"))
BOOTS = int(os.environ.get("BOOTS", "3"))
IDLE_SECONDS = float(os.environ.get("IDLE_SECONDS", "5"))
TARGET_IDLE = 0.05
TARGET_BOOT = 1.0
TARGET_USERTESTS = 201 / 2

figures = []


def report(name, value, unit, fmt="%.3f"):
    line = ("bench: %s " + fmt + " %s") % (name, value, unit)
    figures.append((name, value, unit))
    print(line, flush=True)


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Guest:
    """QEMU running the kernel, driven through its console."""

    def __init__(self, image):
        cmd = qemu_command(KERNEL, image, CPUS)
        self.start = time.time()
        self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=120)

    def wait_prompt(self, timeout=60):
        self.child.expect_exact(PROMPT, timeout=timeout)
        return time.time()

    def run(self, command, timeout=600):
        self.child.sendline(command)
        self.child.expect_exact(PROMPT, timeout=timeout)
        return self.child.before.replace("\r", "")

    def close(self):
        try:
            self.child.sendline("halt")
            self.child.expect(pexpect.EOF, timeout=20)
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close()


def time_bench(g, names, timeout=600):
    """Run `bench NAMES` and time each BENCH-START/BENCH-END pair on the
    host.  Returns {name: (count, unit, seconds)}."""
    results = {}
    started = {}
    g.child.sendline("bench " + " ".join(names))
    while True:
        # Each pattern stops before the line's \n, so that the prompt
        # after the last line is still "\n$ ".
        i = g.child.expect([r"BENCH-START (\w+)\r",
                            r"BENCH-END (\w+) (\d+) (\w+)\r",
                            r"bench: \w+ skipped \(([^)]*)\)",
                            r"\n\$ "], timeout=timeout)
        now = time.time()
        if i == 0:
            started[g.child.match.group(1)] = now
        elif i == 1:
            name, count, unit = g.child.match.groups()
            if name in started and int(count) > 0:
                results[name] = (int(count), unit, now - started[name])
        elif i == 2:
            print("bench: note: %s" % g.child.match.group(0).strip(), flush=True)
        else:
            break
    return results


def main():
    if not os.path.exists(KERNEL) or not os.path.exists(FS_IMG):
        print("bench: kernel/kernel or fs.img missing: run make first")
        return 1
    tmp = tempfile.mkdtemp(prefix="bench-")
    image = os.path.join(tmp, "fs.img")
    print("bench: %d harts, host has %d cores" % (CPUS, os.cpu_count()), flush=True)

    # Boot time: from starting QEMU to the first prompt.
    boots = []
    g = None
    for i in range(BOOTS):
        shutil.copyfile(FS_IMG, image)
        g = Guest(image)
        try:
            boots.append(g.wait_prompt() - g.start)
        except (pexpect.TIMEOUT, pexpect.EOF):
            print("bench: the kernel did not reach the shell prompt:\n%s" % g.child.before)
            g.close()
            return 1
        if i < BOOTS - 1:
            g.close()
    report("boot", statistics.median(boots), "s")

    try:
        # Idle: CPU time QEMU uses while the kernel waits at the prompt.
        time.sleep(1)
        c0, t0 = cpu_seconds(g.child.pid), time.time()
        time.sleep(IDLE_SECONDS)
        idle = (cpu_seconds(g.child.pid) - c0) / (time.time() - t0)
        report("idle", idle, "cores")

        names = g.run("ls", timeout=30).split()
        if "bench" not in names:
            print("bench: user/bench is not in fs.img; only boot and idle measured")
        else:
            r = time_bench(g, ["sbrk", "lazy", "fork", "exec", "pipe", "write", "read", "ticks"])
            if "sbrk" in r:
                count, _, secs = r["sbrk"]
                report("sbrk", secs / count * 1000, "ms/32MiB", "%.1f")
            if "lazy" in r:
                count, _, secs = r["lazy"]
                report("lazy", count / secs, "faults/s", "%.0f")
            for name in ("fork", "exec"):
                if name in r:
                    count, _, secs = r[name]
                    report(name, count / secs, "%s/s" % name, "%.0f")
            for name in ("pipe", "write", "read"):
                if name in r:
                    count, _, secs = r[name]
                    report(name, count * 1024 / secs / 1e6, "MB/s", "%.3f")
            if "ticks" in r:
                count, _, secs = r["ticks"]
                report("tick", count / secs, "ticks/s", "%.1f")
            for name in ("sbrk", "lazy", "fork", "exec", "pipe", "write", "read", "ticks"):
                if name not in r:
                    print("bench: %s could not be measured" % name)

        if os.environ.get("BENCH_USERTESTS", "1") != "0" and "usertests" in names:
            for args, figure in (("-q", "usertests"), ("", "usertests_full")):
                if figure == "usertests_full" and os.environ.get("BENCH_FULL_USERTESTS", "1") == "0":
                    continue
                t0 = time.time()
                out = g.run(("usertests " + args).strip(), timeout=1800)
                secs = time.time() - t0
                if "ALL TESTS PASSED" in out:
                    report(figure, secs, "s", "%.1f")
                else:
                    print("bench: %s did not pass (%.1f s); not a figure" % (figure, secs))
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        print("bench: stopped early: %s\n%s" % (type(e).__name__, g.child.before[-2000:]))
    finally:
        g.close()
        shutil.rmtree(tmp, ignore_errors=True)

    # How we do against the targets.
    values = {name: value for name, value, _ in figures}
    checks = [("idle", TARGET_IDLE, "cores"), ("boot", TARGET_BOOT, "s"),
              ("usertests_full", TARGET_USERTESTS, "s")]
    for name, target, unit in checks:
        if name in values:
            verdict = "met" if values[name] <= target else "MISSED"
            print("target: %s %.3f %s <= %.3g %s: %s" % (name, values[name], unit, target, unit, verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
