#!/usr/bin/env python3
"""Our lab grader: boots the kernel, runs a lab's tests, prints a score.

    python3 labs/grader.py LAB [-v] [-j N] [NAME ...]
    make grade LAB=... GRADEFLAGS="..."

NAME picks the tests whose function name or title contains it; -v shows
the console output of each failing test; -j N runs N tests at a time
(each on its own machine; the report keeps the tests' order).  Prints one line per test with
its points, then `Score: N/M`, and exits 0 only when N = M.

A lab's tests live in labs/LAB/grade.py:

    from grader import test, expect_lines

    @test(10, "pingpong")
    def pingpong(m):
        out = m.run("pingpong")
        expect_lines(out, [r"^\\d+: received ping$"], "pingpong")

Each test gets a machine freshly booted on a private copy of fs.img (the
Machine of tests/conftest.py: m.run(command) types a command line and
returns what it printed).  A test passes when its own checks pass and,
after it, no physical page is lost (the `free` program's count is what
it was before the test) and the image is clean (mkfs/fsck, after `halt`).
"""
import concurrent.futures
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from conftest import CPUS, FS_IMG, FSCK, KERNEL, Machine, run_fsck, usertest_verdict  # noqa: E402

TESTS = []
# Set once a machine fails to reach the shell prompt: the tests after it
# are not run, rather than each waiting out its own boot timeout.
NO_BOOT = []


class Fail(Exception):
    """A test's check failed; the message says what was seen and what was
    expected."""


def test(points, title):
    """Register the decorated function as a test worth `points`."""
    def register(fn):
        TESTS.append((fn, points, title))
        return fn
    return register


def quote(text, limit=40):
    """Text as a few indented lines for a failure message."""
    lines = text.splitlines() or ["(nothing)"]
    if len(lines) > limit:
        lines = lines[:limit // 2] + ["... (%d lines left out)" % (len(lines) - limit)] + lines[-limit // 2:]
    return "\n".join("      | " + l for l in lines)


def check(ok, saw, expected):
    """Fail the test unless ok."""
    if not ok:
        raise Fail("saw: %s\nexpected: %s" % (saw, expected))


def expect_lines(out, patterns, what):
    """Each regular expression must match a line of out, in the order
    given (other lines may come between)."""
    lines = out.splitlines()
    at = 0
    for pat in patterns:
        for i in range(at, len(lines)):
            if re.search(pat, lines[i]):
                at = i + 1
                break
        else:
            later = "" if at == 0 else " after the line %r" % lines[at - 1]
            raise Fail("%s printed:\n%s\nexpected a line matching %r%s"
                       % (what, quote(out), pat, later))


def expect_no_line(out, pattern, what):
    """No line of out may match the regular expression."""
    for line in out.splitlines():
        if re.search(pattern, line):
            raise Fail("%s printed:\n%s\nexpected no line matching %r, but saw %r"
                       % (what, quote(out), pattern, line))


def expect_output(out, expected, what):
    """out must be exactly the lines expected (a list of strings)."""
    if out.splitlines() != expected:
        raise Fail("%s printed:\n%s\nexpected exactly:\n%s"
                   % (what, quote(out), quote("\n".join(expected))))


# The in-kernel tests' results, from one run of kernel/kernel-ktest per
# grading, shared by every test that asks (tests may run in threads).
KTESTS = {}
KTESTS_LOCK = threading.Lock()
KTEST_LINE = re.compile(r"^ktest: (PASS|FAIL) (\w+)\s*$")


def ktest_results():
    """{test name: (passed, [its failure lines])} for every in-kernel test
    (kernel/ktest*.c) that ran.  Builds kernel/kernel-ktest and boots it
    once per grading; a test missing from the dict did not run (the
    kernel panicked or hung before it)."""
    with KTESTS_LOCK:
        if "results" not in KTESTS:
            build = subprocess.run(["make", "-s", "--no-print-directory", "kernel/kernel-ktest"],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   universal_newlines=True)
            if build.returncode != 0:
                raise Fail("saw: building kernel/kernel-ktest failed:\n%s" % quote(build.stdout)
                           + "\nexpected: a kernel with the in-kernel tests")
            run = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "run-ktest.py"),
                                  os.path.join(ROOT, "kernel", "kernel-ktest"), str(CPUS)],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 universal_newlines=True, errors="replace")
            results, pending = {}, []
            for line in run.stdout.splitlines():
                m = KTEST_LINE.match(line)
                if m:
                    results[m.group(2)] = (m.group(1) == "PASS", pending)
                    pending = []
                elif line.startswith("ktest:   ") or line.startswith("panic"):
                    pending.append(line.strip())
            KTESTS["results"], KTESTS["output"] = results, run.stdout
    return KTESTS["results"]


def expect_ktests(names):
    """Every named in-kernel test ran and passed; a failure quotes the
    tests' own messages."""
    results = ktest_results()
    problems = []
    for name in names:
        if name not in results:
            tail = KTESTS["output"].splitlines()[-8:]
            problems.append("%s did not run; the test kernel's last lines:\n%s"
                            % (name, quote("\n".join(tail))))
        elif not results[name][0]:
            problems.append("%s failed:\n%s" % (name, quote("\n".join(results[name][1]) or "(no message)")))
    if problems:
        raise Fail("saw: in-kernel tests failing:\n%s\nexpected: %s to pass"
                   % ("\n".join(problems), ", ".join(names)))


def usertests(m, names=(), timeout=300):
    """Run `usertests NAME...` (every quick test, `usertests -q`, when no
    name is given) and check that each named test said OK, that the run
    ended with ALL TESTS PASSED and that the kernel did not panic.
    Returns what it printed."""
    command = "usertests %s" % " ".join(names) if names else "usertests -q"
    out = m.run(command, timeout if names else max(timeout, 900), command)
    lines = out.splitlines()
    for n in names:
        # usertests prints `test NAME: ` first and the verdict once the
        # test is over; kernel messages (a killed child) may come between.
        verdict, _ = usertest_verdict(lines, n)
        check(verdict == "OK", "%s printed:\n%s\n(test %s: %s)" % (command, quote(out), n, verdict),
              "test %s: OK" % n)
    expect_no_line(out, r"^panic", command)
    expect_lines(out, [r"^ALL TESTS PASSED$"], command)
    return out


def free_pages(m):
    out = m.run("free", 30, "free")
    found = re.search(r"free pages: (\d+)", out)
    if not found:
        raise Fail("`free` printed %r; expected `free pages: N`" % out)
    return int(found.group(1))


def wait_for_harts(m):
    """Every hart prints `hart N starting` as it enters the scheduler; on
    a loaded host the shell's first prompt can come before the last of
    those lines.  Wait for all of them, so that none lands in the output
    of a test's command."""
    seen = len(re.findall(r"hart \d+ starting", m.output()))
    for _ in range(seen, CPUS):
        m.child.expect(r"hart \d+ starting", timeout=30)


def run_one(fn, workdir):
    """Run one test on a fresh machine, with its own copy of fs.img in
    workdir.  Returns (None if it passed, or a message saying why not;
    the console output; the seconds it took)."""
    start = time.time()
    if NO_BOOT:
        return "not run: the kernel did not boot in an earlier test", "", 0.0
    os.makedirs(workdir)
    image = os.path.join(workdir, "fs.img")
    shutil.copyfile(FS_IMG, image)
    m = Machine(image, kernel=KERNEL)
    try:
        try:
            m.boot()
            wait_for_harts(m)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            NO_BOOT.append(True)
            raise Fail("saw: %s while booting; console:\n%s\n"
                       "expected: the kernel to boot to a shell prompt ($), "
                       "every hart saying `hart N starting`"
                       % ("QEMU exit" if isinstance(e, pexpect.EOF) else "a timeout",
                          quote(m.child.before or "", 20)))
        before = free_pages(m)
        fn(m)
        # Pages a finished test's processes held come back when they are
        # reaped; give init a moment to reap orphans before calling a
        # page lost.
        after = free_pages(m)
        for _ in range(10):
            if after >= before:
                break
            time.sleep(0.2)
            after = free_pages(m)
        check(after >= before,
              "%d free pages after the test, %d before it (%d lost)" % (after, before, before - after),
              "every page given back")
        status = m.halt()
        check(status == 0, "QEMU exited with status %s on halt" % status, "status 0")
        code, report = run_fsck(image)
        check(code == 0, "fsck after the test:\n%s" % quote(report), "a clean file system")
        problem = None
    except (Fail, AssertionError) as e:
        problem = str(e) or type(e).__name__
    except Exception as e:   # a bug in the test itself, or pexpect trouble
        problem = "grader error: %s: %s" % (type(e).__name__, e)
    finally:
        m.kill()
    return problem, m.output(), time.time() - start


def load_lab(lab):
    path = os.path.join(ROOT, "labs", lab, "grade.py")
    if not os.path.isfile(path):
        labs = sorted(n for n in os.listdir(os.path.join(ROOT, "labs"))
                      if os.path.isfile(os.path.join(ROOT, "labs", n, "grade.py")))
        sys.exit("grader: no lab %r here (labs: %s)" % (lab, ", ".join(labs) or "none"))
    # grade.py does `from grader import ...`: let that be this module,
    # however this file was started.
    sys.modules["grader"] = sys.modules[__name__]
    spec = importlib.util.spec_from_file_location("grade_" + lab, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


def main(argv):
    args, verbose, jobs = [], False, 1
    rest = argv[1:]
    while rest:
        a = rest.pop(0)
        if a == "-v":
            verbose = True
        elif a.startswith("-j"):
            n = a[2:] or (rest.pop(0) if rest else "")
            if not n.isdigit() or int(n) < 1:
                sys.exit("grader: -j wants a number of tests to run at once, not %r" % n)
            jobs = int(n)
        else:
            args.append(a)
    if not args:
        sys.exit("usage: grader.py LAB [-v] [-j N] [NAME ...]")
    lab, names = args[0], args[1:]
    for need in (KERNEL, FS_IMG, FSCK):
        if not os.path.isfile(need):
            sys.exit("grader: %s is missing; build first (make)" % os.path.relpath(need, ROOT))
    load_lab(lab)
    chosen = [t for t in TESTS
              if not names or any(n in t[0].__name__ or n in t[2] for n in names)]
    if not chosen:
        sys.exit("grader: no test of lab %s matches %s" % (lab, " ".join(names)))
    total = sum(p for _, p, _ in chosen)
    print("== %s lab: %d tests, %d points ==" % (lab, len(chosen), total))
    score = 0
    width = max(len(title) for _, _, title in chosen) + 2
    with tempfile.TemporaryDirectory(prefix="grade-%s-" % lab) as workdir, \
            concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        runs = [pool.submit(run_one, fn, os.path.join(workdir, str(i)))
                for i, (fn, _, _) in enumerate(chosen)]
        for run, (fn, points, title) in zip(runs, chosen):
            problem, console, took = run.result()
            got = 0 if problem else points
            score += got
            print("%s %s %3d/%-3d (%.1f s)" % ((title + " ").ljust(width, "."),
                  "OK  " if not problem else "FAIL", got, points, took))
            if problem:
                print("\n".join("    " + l for l in problem.splitlines()))
                if verbose:
                    print("    console:\n" + quote(console, 200))
            sys.stdout.flush()
    print("Score: %d/%d" % (score, total))
    return 0 if score == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
