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
the full `usertests`, and:

  ROUNDS=R    boot and run the benchmarks R times (BOOTS boots, idle and
              usertests only in the first round); each figure is then
              the median, followed by the lowest and highest of the R.
  ICOUNT=N    run QEMU with -icount shift=N: the guest's clock counts
              executed instructions (2^N ns each), and the benchmarks are
              timed on it (bench prints its ticks) rather than on the
              host.  A benchmark that keeps the harts busy then costs the
              same guest time however loaded the host is; time the guest
              spends idle (waiting for the disk) still passes as on the
              host, so write and read remain noisy.  The ticks are 10 ms
              of guest time: ICOUNT=4 gives a few dozen to hundreds per
              benchmark.  With several harts, QEMU runs them in turn on
              one host thread, and how their work interleaves (who spins
              on a lock, who waits for a tick) still changes from run to
              run: fork moves by tens of percent.  For repeatable
              figures use CPUS=1.
              boot, idle, tick and usertests are host figures and are
              left out.
  BASELINE=DIR  also run the kernel and fs.img built in tree DIR, the two
              alternating round by round (so that a change in the host's
              load hits both), and print each figure of both with this
              kernel's speed relative to DIR's (the baseline's time per
              operation over this one's), marking those more than 10%
              worse, and whether the two kernels' ranges of values
              overlap (then the difference may well be noise).  `make bench COMPARE=cow` builds the cow lab's
              handout (this kernel without copy-on-write fork) as DIR.
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
ROUNDS = max(1, int(os.environ.get("ROUNDS") or "1"))
ICOUNT = int(os.environ["ICOUNT"]) if os.environ.get("ICOUNT") else None
BASELINE = os.environ.get("BASELINE") or None
BENCHES = ["sbrk", "lazy", "fork", "exec", "pipe", "write", "read", "ticks"]
TARGET_IDLE = 0.05
TARGET_BOOT = 1.0
TARGET_USERTESTS = 201 / 2

figures = []


def report(name, value, unit, fmt="%.3f", note=""):
    line = ("bench: %s " + fmt + " %s%s") % (name, value, unit, note)
    figures.append((name, value, unit))
    print(line, flush=True)


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Guest:
    """QEMU running the kernel, driven through its console."""

    def __init__(self, kernel, image, extra=()):
        cmd = qemu_command(kernel, image, CPUS, extra)
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
    host; note the guest clock's ticks too.  Returns {name: (count, unit,
    seconds, ticks)}, ticks None where bench did not say."""
    results = {}
    started = {}
    g.child.sendline("bench " + " ".join(names))
    while True:
        # Each pattern stops before the line's \n, so that the prompt
        # after the last line is still "\n$ ".
        i = g.child.expect([r"BENCH-START (\w+)\r",
                            r"BENCH-END (\w+) (\d+) (\w+)\r",
                            r"bench: \w+ skipped \(([^)]*)\)",
                            r"bench: (\w+) \d+ \S+ \(guest clock, (\d+) ticks\)",
                            r"\n\$ "], timeout=timeout)
        now = time.time()
        if i == 0:
            started[g.child.match.group(1)] = now
        elif i == 1:
            name, count, unit = g.child.match.groups()
            if name in started and int(count) > 0:
                results[name] = (int(count), unit, now - started[name], None)
        elif i == 3:
            name, ticks = g.child.match.group(1), int(g.child.match.group(2))
            if name in results:
                results[name] = results[name][:3] + (ticks,)
        elif i == 2:
            print("bench: note: %s" % g.child.match.group(0).strip(), flush=True)
        else:
            break
    return results


def bench_figures(r, icount):
    """Turn time_bench's results into figures {name: (value, unit, fmt)}.
    The time of a benchmark is the host's, or under ICOUNT the guest
    clock's (its ticks are 10 ms of guest time, counted in instructions)."""
    out = {}
    for name, (count, unit, host_secs, ticks) in r.items():
        if icount:
            if ticks is None:
                continue
            secs = ticks / 100
        else:
            secs = host_secs
        if name == "sbrk":
            out[name] = (secs / count * 1000, "ms/32MiB", "%.1f")
        elif name == "lazy":
            out[name] = (count / secs, "faults/s", "%.0f")
        elif name in ("fork", "exec"):
            out[name] = (count / secs, "%s/s" % name, "%.0f")
        elif name in ("pipe", "write", "read"):
            out[name] = (count * 1024 / secs / 1e6, "MB/s", "%.3f")
        elif name == "ticks" and not icount:
            out["tick"] = (count / secs, "ticks/s", "%.1f")
    return out


def run_round(kernel, fs_img, tmp, first, icount):
    """Boot the kernel (BOOTS times in the first round, else once), run
    the benchmarks, return {figure: (value, unit, fmt)}, or None if the
    kernel does not even boot.  Idle and usertests only in the first
    round, and neither (nor boot) under ICOUNT: they are host figures."""
    figs = {}
    image = os.path.join(tmp, "fs.img")
    extra = ["-icount", "shift=%d" % icount] if icount is not None else []
    boots = []
    g = None
    for i in range(BOOTS if first else 1):
        if g is not None:
            g.close()
        shutil.copyfile(fs_img, image)
        g = Guest(kernel, image, extra)
        try:
            boots.append(g.wait_prompt() - g.start)
        except (pexpect.TIMEOUT, pexpect.EOF):
            print("bench: %s did not reach the shell prompt:\n%s" % (kernel, g.child.before))
            g.close()
            return None
    if icount is None:
        figs["boot"] = (statistics.median(boots), "s", "%.3f")

    try:
        if first and icount is None:
            # Idle: CPU time QEMU uses while the kernel waits at the prompt.
            time.sleep(1)
            c0, t0 = cpu_seconds(g.child.pid), time.time()
            time.sleep(IDLE_SECONDS)
            figs["idle"] = ((cpu_seconds(g.child.pid) - c0) / (time.time() - t0), "cores", "%.3f")

        names = g.run("ls", timeout=30).split()
        if "bench" not in names:
            print("bench: user/bench is not in %s; only boot and idle measured" % fs_img)
        else:
            wanted = BENCHES if icount is None else [b for b in BENCHES if b != "ticks"]
            r = time_bench(g, wanted)
            figs.update(bench_figures(r, icount))
            for name in wanted:
                if name not in r or (icount is not None and r[name][3] is None):
                    print("bench: %s could not be measured" % name)

        if (first and icount is None and os.environ.get("BENCH_USERTESTS", "1") != "0"
                and "usertests" in names):
            for args, figure in (("-q", "usertests"), ("", "usertests_full")):
                if figure == "usertests_full" and os.environ.get("BENCH_FULL_USERTESTS", "1") == "0":
                    continue
                t0 = time.time()
                out = g.run(("usertests " + args).strip(), timeout=1800)
                secs = time.time() - t0
                if "ALL TESTS PASSED" in out:
                    figs[figure] = (secs, "s", "%.1f")
                else:
                    print("bench: %s did not pass (%.1f s); not a figure" % (figure, secs))
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        print("bench: stopped early: %s\n%s" % (type(e).__name__, g.child.before[-2000:]))
    finally:
        g.close()
    return figs


def summary(rounds):
    """{figure: (median, min, max, n, unit, fmt)} over the rounds' figures."""
    out = {}
    for figs in rounds:
        for name, (value, unit, fmt) in figs.items():
            out.setdefault(name, ([], unit, fmt))[0].append(value)
    return {name: (statistics.median(v), min(v), max(v), len(v), unit, fmt)
            for name, (v, unit, fmt) in out.items()}


def speed_ratio(name, unit, this, base):
    """How much faster this kernel is than the baseline on a figure: the
    baseline's time per operation over this one's (above 1: faster).
    None for figures with no better direction (tick)."""
    if name == "tick" or this <= 0 or base <= 0:
        return None
    if unit in ("s", "ms/32MiB", "cores"):
        return base / this
    return this / base


def main():
    if not os.path.exists(KERNEL) or not os.path.exists(FS_IMG):
        print("bench: kernel/kernel or fs.img missing: run make first")
        return 1
    trees = [("this", KERNEL, FS_IMG)]
    if BASELINE:
        base = (os.path.join(BASELINE, "kernel", "kernel"), os.path.join(BASELINE, "fs.img"))
        if not all(os.path.exists(f) for f in base):
            print("bench: BASELINE %s has no kernel/kernel and fs.img: build it first" % BASELINE)
            return 1
        trees.append(("baseline", base[0], base[1]))
    print("bench: %d harts, host has %d cores, %d round%s%s" %
          (CPUS, os.cpu_count(), ROUNDS, "s" if ROUNDS > 1 else "",
           ", -icount shift=%d (guest time counts instructions)" % ICOUNT
           if ICOUNT is not None else ""), flush=True)
    if BASELINE:
        print("bench: baseline %s; rounds alternate between the kernels" % BASELINE, flush=True)

    tmp = tempfile.mkdtemp(prefix="bench-")
    results = {label: [] for label, _, _ in trees}
    try:
        for rnd in range(ROUNDS):
            # Alternate the order, so that a drift in the host's load
            # falls on both kernels alike.
            order = trees if rnd % 2 == 0 else trees[::-1]
            for label, kernel, fs_img in order:
                figs = run_round(kernel, fs_img, tmp, rnd == 0, ICOUNT)
                if figs is None:
                    return 1
                results[label].append(figs)
                if ROUNDS > 1 or BASELINE:
                    print("bench: round %d %s: %s" % (rnd + 1, label, " ".join(
                        ("%s " + fmt) % (name, value) for name, (value, _, fmt) in figs.items())),
                        flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    this = summary(results["this"])
    for name, (med, lo, hi, n, unit, fmt) in this.items():
        spread = (" (median of %d; " + fmt + " to " + fmt + ")") % (n, lo, hi) if n > 1 else ""
        report(name, med, unit, fmt, spread)

    if BASELINE:
        base = summary(results["baseline"])
        print("compare: NAME this [lowest highest], baseline [lowest highest] UNIT: "
              "speed of this kernel relative to the baseline")
        for name, (med, lo, hi, n, unit, fmt) in this.items():
            if name not in base:
                continue
            bmed, blo, bhi = base[name][:3]
            ratio = speed_ratio(name, unit, med, bmed)
            verdict = ""
            if ratio is not None:
                verdict = ": speed %.2fx" % ratio
                if ratio < 1 / 1.1 and (hi < blo or bhi < lo):
                    verdict += ", WORSE by more than 10%"
                elif ratio < 1 / 1.1:
                    verdict += ", more than 10% worse but within the spread of the runs"
            three = fmt + " [" + fmt + " " + fmt + "]"
            print(("compare: %s " + three + ", " + three + " %s%s")
                  % (name, med, lo, hi, bmed, blo, bhi, unit, verdict))

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
