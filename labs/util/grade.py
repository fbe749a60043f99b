"""Tests of the util lab (docs/labs/util.md): the user programs sleep,
pingpong, primes, find, xargs, sixfive and memdump.  Run them with
`make grade` (LAB=util)."""
import random
import re
import string
import time

from grader import check, expect_lines, expect_no_line, expect_output, test

CANNOT_RUN = r"exec .* failed|cannot run"


def name():
    """A fresh file name, so that no answer can be built in."""
    return "".join(random.choice(string.ascii_lowercase) for _ in range(8))


def primes_to(limit):
    return [n for n in range(2, limit + 1) if all(n % d for d in range(2, n))]


@test(5, "sleep, no arguments")
def sleep_no_args(m):
    out = m.run("sleep")
    expect_no_line(out, CANNOT_RUN, "sleep")
    check(out.strip() != "", "sleep with no argument printed nothing",
          "a message saying how to use it")
    expect_output(m.run("echo OK"), ["OK"], "echo OK, after sleep")


@test(10, "sleep, waits")
def sleep_waits(m):
    start = time.time()
    out = m.run("sleep 30")
    took = time.time() - start
    expect_no_line(out, CANNOT_RUN, "sleep 30")
    check(took >= 0.25, "sleep 30 returned after %.2f s" % took,
          "at least 0.25 s (30 ticks of 10 ms, a little allowed for the clock)")
    expect_output(out, [], "sleep 30")


@test(10, "pingpong")
def pingpong(m):
    out = m.run("pingpong")
    expect_lines(out, [r"^\d+: received ping$", r"^\d+: received pong$"], "pingpong")
    ping = re.search(r"^(\d+): received ping$", out, re.M).group(1)
    pong = re.search(r"^(\d+): received pong$", out, re.M).group(1)
    check(ping != pong, "both lines came from pid %s" % ping,
          "ping from the child, pong from the parent: two pids")


@test(10, "primes")
def primes(m):
    out = m.run("primes", 60)
    expect_output(out, ["prime %d" % p for p in primes_to(280)], "primes")


@test(10, "find, in the current directory")
def find_here(m):
    f = name()
    m.run("echo > %s" % f)
    expect_output(m.run("find . %s" % f), ["./%s" % f], "find . %s" % f)


@test(5, "find, in a named directory")
def find_in_dir(m):
    d, f = name(), name()
    for cmd in ["echo > %s" % f, "mkdir %s" % d, "echo > %s/%s" % (d, f)]:
        m.run(cmd)
    expect_output(m.run("find %s %s" % (d, f)), ["%s/%s" % (d, f)], "find %s %s" % (d, f))


@test(10, "find, recursive")
def find_recursive(m):
    needle = name()
    a, b, c = name(), name(), name()
    for cmd in ["mkdir %s" % a, "echo > %s/%s" % (a, needle),
                "mkdir %s/%s" % (a, b), "echo > %s/%s/%s" % (a, b, needle),
                "mkdir %s" % c, "echo > %s/%s" % (c, needle),
                "echo > %s/%s.not" % (c, needle)]:
        m.run(cmd)
    out = m.run("find . %s" % needle)
    want = ["./%s/%s" % (a, needle), "./%s/%s/%s" % (a, b, needle), "./%s/%s" % (c, needle)]
    check(sorted(out.splitlines()) == sorted(want),
          "find . %s printed %r" % (needle, out.splitlines()),
          "these paths, in any order: %r" % want)


@test(0, "find -exec (optional)")
def find_exec(m):
    needle, d = name(), name()
    for cmd in ["echo > %s" % needle, "mkdir %s" % d, "echo > %s/%s" % (d, needle)]:
        m.run(cmd)
    out = m.run("find . %s -exec echo found" % needle)
    want = ["found ./%s" % needle, "found ./%s/%s" % (d, needle)]
    check(sorted(out.splitlines()) == sorted(want),
          "find . %s -exec echo found printed %r" % (needle, out.splitlines()),
          "these lines, in any order: %r" % want)


@test(5, "xargs, one line")
def xargs_one_line(m):
    expect_output(m.run("echo hello too | xargs echo bye"), ["bye hello too"],
                  "echo hello too | xargs echo bye")


@test(10, "xargs, one command per line")
def xargs_per_line(m):
    expect_output(m.run("(echo 1 ; echo 2 3) | xargs echo x"), ["x 1", "x 2 3"],
                  "(echo 1 ; echo 2 3) | xargs echo x")


@test(5, "xargs, with find and grep")
def xargs_find_grep(m):
    f, a, b = name(), name(), name()
    for cmd in ["mkdir %s" % a, "echo hello > %s/%s" % (a, f),
                "mkdir %s" % b, "echo hello > %s/%s" % (b, f),
                "echo bye > %s" % f, "echo hello > %s/other" % b]:
        m.run(cmd)
    out = m.run("find . %s | xargs grep hello" % f)
    check(out.splitlines() == ["hello", "hello"],
          "find . %s | xargs grep hello printed %r" % (f, out.splitlines()),
          "hello twice: once for each file named %s that holds it" % f)


@test(10, "sixfive")
def sixfive(m):
    f, g = name(), name()
    m.run("echo 5 xv6 13/30,7-18 06 0 5a10 12x 35. > %s" % f)
    m.run("echo 1000000000000000000000000000000,6 > %s" % g)
    out = m.run("sixfive %s %s" % (f, g))
    expect_output(out, ["5", "30", "18", "6", "0", "35",
                        "1000000000000000000000000000000", "6"],
                  "sixfive on files holding '5 xv6 13/30,7-18 06 0 5a10 12x 35.' "
                  "and '1000000000000000000000000000000,6'")


@test(5, "memdump, from standard input")
def memdump_stdin(m):
    expect_output(m.run("echo abcdefgh | memdump iS"), ["1684234849", "efgh"],
                  "echo abcdefgh | memdump iS")
    expect_output(m.run("echo xv6 | memdump hc"), ["30328", "6"],
                  "echo xv6 | memdump hc")
    expect_output(m.run("echo 01234567 | memdump p"), ["3736353433323130"],
                  "echo 01234567 | memdump p")


@test(5, "memdump, examples")
def memdump_examples(m):
    out = m.run("memdump")
    expect_lines(out, ["^three ints:$", "^1969$", "^2006$", "^-1$",
                       "^a string in place:$", "^in place$",
                       "^a pointer to a string:$", "^pointed to$",
                       "^a struct record:$", "^label$", "^100000$", "^-7$", "^A$", "^riscv64$",
                       "^the same record, its first field as a number:$", "^[0-9a-f]+$",
                       "^100000$", "^-7$", "^A$", "^riscv64$"], "memdump")
