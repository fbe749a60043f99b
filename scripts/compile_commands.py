#!/usr/bin/python3
"""Write compile_commands.json, the list of compile commands that editors
(clangd, ccls, VS Code's C extension) read, without building anything and
without `bear`.

    usage: compile_commands.py [--make MAKE] [-o FILE]     (default: stdout)

It asks make what it would run to build everything from scratch
(`make -n -B all kernel/kernel-ktest`) and keeps each compiler command
that names a C or assembler source: the kernel, the in-kernel tests, the
user programs and library, initcode, and the host tools.  A kernel file
is compiled twice (once with -DKERNEL_TESTS for the test kernel); the
ordinary command is kept, the test one only for the ktest*.c files.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_SUFFIXES = (".c", ".S")
TARGETS = ["all", "kernel/kernel-ktest"]


def compiler(word):
    name = os.path.basename(word)
    return name.endswith("gcc") or name.endswith("cc") or name.endswith("clang")


def entries(make_output):
    """Compile entries from make -n's output, one per source file."""
    found = {}
    for line in make_output.splitlines():
        try:
            argv = shlex.split(line)
        except ValueError:
            continue  # an echo with quotes shlex cannot follow; not a compile
        if not argv or not compiler(argv[0]):
            continue
        sources = [a for i, a in enumerate(argv)
                   if a.endswith(SOURCE_SUFFIXES) and argv[i - 1] != "-o"]
        if len(sources) != 1:
            continue
        src = sources[0]
        path = os.path.normpath(os.path.join(ROOT, src))
        entry = {"directory": ROOT, "file": path, "arguments": argv}
        if "-o" in argv[:-1]:
            entry["output"] = argv[argv.index("-o") + 1]
        testing = "-DKERNEL_TESTS" in argv
        if path in found and testing:
            continue  # keep the ordinary kernel's command
        found[path] = entry
    return [found[p] for p in sorted(found)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--make", default="make")
    ap.add_argument("-o", dest="out")
    args = ap.parse_args()

    env = dict(os.environ)
    env.pop("MAKEFLAGS", None)  # run our own make, not a job of the caller's
    env.pop("MFLAGS", None)
    r = subprocess.run([args.make, "-n", "-B", "--no-print-directory"] + TARGETS,
                       cwd=ROOT, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("compile_commands.py: `make -n -B %s` failed:\n%s"
                 % (" ".join(TARGETS), r.stderr.strip()))
    found = entries(r.stdout)
    if not found:
        sys.exit("compile_commands.py: make -n showed no compile commands")
    text = json.dumps(found, indent=2) + "\n"
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, args.out)
        print("compile_commands.py: %d files in %s" % (len(found), args.out))
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
