"""Tools for people reading and debugging the kernel: the function-name
table the two-pass link embeds for panic()'s backtrace (scripts/ksyms.py)
and compile_commands.json for editors (scripts/compile_commands.py).
No machine is booted here; the built kernels are inspected."""
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, KERNEL, KERNEL_KTEST

KSYMS = os.path.join(ROOT, "scripts", "ksyms.py")
PY = "/usr/bin/python3"


def toolchain(tool):
    for prefix in ("riscv64-unknown-elf-", "riscv64-linux-gnu-", "riscv64-elf-"):
        if shutil.which(prefix + tool):
            return prefix + tool
    pytest.skip("no cross %s" % tool)


def dump(kernel):
    r = subprocess.run([PY, KSYMS, "--nm", toolchain("nm"), "--dump", kernel],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, "ksyms.py --dump %s failed:\n%s" % (kernel, r.stdout)
    lines = r.stdout.splitlines()
    m = re.match(r"magic 0x4d59534b count (\d+)$", lines[0])
    assert m, "%s carries no symbol table (first link's zeros?): %s" % (kernel, lines[0])
    table = [(int(a, 16), n) for a, n in (l.split() for l in lines[1:])]
    assert len(table) == int(m.group(1)), "count and entries differ in %s" % kernel
    return table


@pytest.mark.parametrize("kernel", [KERNEL, KERNEL_KTEST], ids=["kernel", "kernel-ktest"])
def test_embedded_symbol_table_matches_nm(kernel):
    table = dump(kernel)
    nm = subprocess.run([toolchain("nm"), "-n", kernel], stdout=subprocess.PIPE, text=True).stdout
    code = {(int(a, 16), n) for a, t, n in (l.split() for l in nm.splitlines() if len(l.split()) == 3)
            if t in "Tt"}
    assert [a for a, _ in table] == sorted(set(a for a, _ in table)), \
        "the table is not sorted by address, one name per address"
    missing = [(hex(a), n) for a, n in table if (a, n) not in code]
    assert not missing, "table entries nm does not know: %s" % missing[:5]
    names = {n for _, n in table}
    for fn in ("kalloc", "kfree", "sys_sbrk", "growproc", "uvmalloc", "usertrap", "panic"):
        assert fn in names, "%s is missing from the table" % fn
    assert len(table) >= len({a for a, _ in code if a < max(a for a, _ in table)}) - 5, \
        "the table leaves out most code symbols"


@pytest.mark.parametrize("name", ["kernel", "kernel-ktest"])
def test_second_link_moved_no_symbol(name):
    first = os.path.join(ROOT, "kernel", name + "-pass1.o")
    final = os.path.join(ROOT, "kernel", name)
    if not os.path.exists(first):
        pytest.skip("%s not built by the two-pass rule" % first)
    r = subprocess.run([PY, KSYMS, "--nm", toolchain("nm"), "--same", first, final],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, "the symbol table moved code or data:\n%s" % r.stdout


def test_ksyms_refuses_a_table_larger_than_the_reserved_space():
    spec = importlib.util.spec_from_file_location("ksyms", KSYMS)
    ksyms = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ksyms)
    small = ksyms.table_bytes([(0x80000000 + 16 * i, "f%d" % i) for i in range(10)])
    assert len(small) == ksyms.KSYMS_SIZE, "the table is not padded to the reserved size"
    with pytest.raises(SystemExit):
        ksyms.table_bytes([(0x80000000 + 16 * i, "function_%05d" % i) for i in range(2000)])


def test_compile_commands_json_lists_every_source_with_its_flags():
    r = subprocess.run([PY, os.path.join(ROOT, "scripts", "compile_commands.py")],
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 0, "compile_commands.py failed:\n%s" % r.stderr
    entries = json.loads(r.stdout)
    by_file = {}
    for e in entries:
        assert set(e) >= {"directory", "file", "arguments"}, "incomplete entry %s" % e
        assert os.path.isabs(e["file"]) and os.path.exists(e["file"]), e["file"]
        by_file[os.path.relpath(e["file"], ROOT)] = e["arguments"]
    wanted = [os.path.relpath(p, ROOT) for p in
              glob.glob(os.path.join(ROOT, "kernel", "*.[cS]")) +
              glob.glob(os.path.join(ROOT, "user", "*.c")) +
              glob.glob(os.path.join(ROOT, "mkfs", "*.c"))]
    missing = sorted(set(wanted) - set(by_file))
    assert not missing, "compile_commands.json lacks %s" % missing
    assert "-ffreestanding" in by_file["kernel/vm.c"] and "-DKERNEL_TESTS" not in by_file["kernel/vm.c"], \
        "kernel/vm.c should have the kernel's flags: %s" % by_file["kernel/vm.c"]
    assert "-DKERNEL_TESTS" in by_file["kernel/ktest.c"], "ktest.c needs -DKERNEL_TESTS"
    assert by_file["mkfs/mkfs.c"][0] == "gcc", "mkfs is built with the host gcc"
