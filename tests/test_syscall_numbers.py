"""System-call numbers (kernel/syscall.h, compat.md):

- xv6's calls keep their numbers 1..21, and pause is sleep's alias;
- numbers 22..63 belong to the calls lab assignments add, each at the
  number MIT's 2024 lab trees give it (a call this tree does not have is
  simply absent; a call of another edition takes a number no 2024 call
  has); this kernel's own calls take 64 and up;
- one number for two calls, or two entries of the kernel's table for
  one number, stops the build.

The build checks run make in a copy of the tree, with the mistake put in.
"""
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

HEADER = os.path.join(ROOT, "kernel", "syscall.h")

XV6 = {"fork": 1, "exit": 2, "wait": 3, "pipe": 4, "read": 5, "kill": 6, "exec": 7,
       "fstat": 8, "chdir": 9, "dup": 10, "getpid": 11, "sbrk": 12, "sleep": 13,
       "uptime": 14, "open": 15, "write": 16, "mknod": 17, "unlink": 18, "link": 19,
       "mkdir": 20, "close": 21}
# The numbers of the lab calls in MIT's 2024 lab trees.
LAB_CALLS = {"trace": 22, "sysinfo": 23, "sigalarm": 24, "sigreturn": 25, "symlink": 26,
             "mmap": 27, "munmap": 28, "bind": 29, "unbind": 30, "send": 31, "recv": 32,
             "pgpte": 33, "kpgtbl": 34}
# Lab calls of other editions, which MIT's 2024 trees lack: each takes a
# number in 22..63 that no 2024 call has (pgaccess: the 2022-23 pgtbl lab).
OTHER_EDITIONS = {"pgaccess": 35}
OUR_OWN = ["halt", "freemem", "getprocs"]

DEFINE = re.compile(r"^\s*#\s*define\s+SYS_(\w+)\s+(\w+)", re.M)


def defines():
    with open(HEADER) as f:
        return DEFINE.findall(f.read())


def test_xv6_numbers_unchanged():
    d = dict(defines())
    for name, num in XV6.items():
        assert d.get(name) == str(num), \
            "SYS_%s is %s in kernel/syscall.h; xv6 gives it %d" % (name, d.get(name), num)
    assert d.get("pause") == "SYS_sleep", \
        "SYS_pause is %r; expected SYS_sleep (the same call, 2025's name)" % d.get("pause")


def test_lab_calls_have_mit_numbers_and_ours_start_at_64():
    seen = {}
    for name, value in defines():
        if not value.isdigit():
            continue
        num = int(value)
        assert num not in seen, "SYS_%s and SYS_%s share number %d" % (seen[num], name, num)
        seen[num] = name
        if name in XV6:
            continue
        if name in LAB_CALLS:
            assert num == LAB_CALLS[name], \
                "SYS_%s is %d; MIT's 2024 lab trees give it %d" % (name, num, LAB_CALLS[name])
        elif name in OTHER_EDITIONS:
            assert num == OTHER_EDITIONS[name] and num not in LAB_CALLS.values(), \
                "SYS_%s is %d; expected %d, a lab number no 2024 call has" \
                % (name, num, OTHER_EDITIONS[name])
        else:
            assert num >= 64, \
                "SYS_%s is %d: numbers up to 63 are kept for lab calls (%s); ours take 64 and up" \
                % (name, num, ", ".join(sorted(LAB_CALLS)))
    for name in OUR_OWN:
        assert name in seen.values(), "SYS_%s is missing from kernel/syscall.h" % name


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the tree's sources, built once up to the kernel's
    syscall.o and the user stubs, so each test then rebuilds only what
    its change touches."""
    dst = str(tmp_path_factory.mktemp("numbers") / "tree")
    shutil.copytree(ROOT, dst, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache",
                                                  "*.o", "*.d", "_*", "fs.img", "usys.S"))
    r = make(dst, "kernel/syscall.o", "user/usys.S")
    assert r.returncode == 0, "the unchanged copy does not build:\n%s" % r.stdout[-3000:]
    return dst


def make(cwd, *targets):
    return subprocess.run(["make", "--no-print-directory"] + list(targets), cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300)


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    assert old in text, "%s no longer holds %r; update this test" % (path, old)
    with open(path, "w") as f:
        f.write(text.replace(old, new, 1))
    return text


def test_two_calls_with_one_number_stop_the_build(tree):
    header = os.path.join(tree, "kernel", "syscall.h")
    original = edit(header, "#define SYS_close  21", "#define SYS_close  21\n#define SYS_twin   5")
    try:
        r = make(tree, "user/usys.S")
        assert r.returncode != 0, \
            "make built the stubs although SYS_twin and SYS_read share 5:\n%s" % r.stdout[-2000:]
        assert "SYS_read and SYS_twin both have number 5" in r.stdout, \
            "make failed, but without naming the two calls:\n%s" % r.stdout[-2000:]
        # A failed run must leave nothing the next make takes as up to date.
        r = make(tree, "user/usys.S")
        assert r.returncode != 0, "a second make went on with the bad list:\n%s" % r.stdout[-2000:]
    finally:
        with open(header, "w") as f:
            f.write(original)
    r = make(tree, "user/usys.S")
    assert r.returncode == 0, "with the list repaired, make fails:\n%s" % r.stdout[-2000:]


def test_an_alias_must_name_a_call(tree):
    header = os.path.join(tree, "kernel", "syscall.h")
    original = edit(header, "SYS_pause  SYS_sleep", "SYS_pause  SYS_slumber")
    try:
        r = make(tree, "user/usys.S")
        assert r.returncode != 0 and "SYS_slumber" in r.stdout, \
            "SYS_pause defined as an unknown name did not stop the build:\n%s" % r.stdout[-2000:]
    finally:
        with open(header, "w") as f:
            f.write(original)


def test_two_table_entries_for_one_number_stop_the_build(tree):
    source = os.path.join(tree, "kernel", "syscall.c")
    original = edit(source, "  [SYS_close] = sys_close,\n",
                    "  [SYS_close] = sys_close,\n  [SYS_write] = sys_read,\n")
    try:
        r = make(tree, "kernel/syscall.o")
        assert r.returncode != 0, \
            "syscall.c compiled with two entries for SYS_write:\n%s" % r.stdout[-2000:]
        assert "override-init" in r.stdout, \
            "the compile failed, but not for the repeated entry:\n%s" % r.stdout[-2000:]
    finally:
        with open(source, "w") as f:
            f.write(original)
