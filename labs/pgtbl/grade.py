"""Tests of the pgtbl lab (docs/labs/pgtbl.md): vmprint, the USYSCALL
page with ugetpid, pgaccess, and superpages.  Run them with `make grade`
(LAB=pgtbl).

Most tests run one part of `pgtblcheck`, which prints `NAME: OK` or
`NAME: FAILED: why`; the vmprint test reads the page table printed at
boot (for init) and by kpgtbl(), and checks that it is a consistent
picture of a real address space, not only that it looks right."""
import re

from grader import check, expect_lines, expect_no_line, test, usertests

HEADER = re.compile(r"^page table 0x([0-9a-f]{16})$")
ENTRY = re.compile(r"^((?: \.\.){1,3})(\d+): pte 0x([0-9a-f]{16}) pa 0x([0-9a-f]{16})$")
PTE_V, PTE_R, PTE_W, PTE_X, PTE_U = 1, 2, 4, 8, 16


def page_tables(out):
    """Every page table vmprint printed in out: a list of (root address,
    [(depth, index, pte, pa), ...])."""
    tables, lines = [], out.splitlines()
    for i, line in enumerate(lines):
        found = HEADER.match(line.strip("\r"))
        if not found:
            continue
        entries = []
        for entry_line in lines[i + 1:]:
            e = ENTRY.match(entry_line.rstrip("\r"))
            if not e:
                break
            entries.append((len(e.group(1)) // 3, int(e.group(2)), int(e.group(3), 16),
                            int(e.group(4), 16)))
        tables.append((int(found.group(1), 16), entries))
    return tables


def leaves(entries, what):
    """Check the shape of one printed page table and return its leaves
    as {virtual address: pte}."""
    check(entries, "%s: a `page table` line and no entry lines after it" % what,
          "lines like ` ..0: pte 0x... pa 0x...`, one per valid PTE")
    found, path = {}, []
    for depth, index, pte, pa in entries:
        line = "%s%d: pte 0x%016x pa 0x%016x" % (" .." * depth, index, pte, pa)
        check(pte & PTE_V, "%s: %r shows an invalid PTE" % (what, line), "only valid PTEs")
        check(pa == (pte >> 10) << 12, "%s: %r: pa is not the PTE's address" % (what, line),
              "pa 0x%016x, from the PTE" % ((pte >> 10) << 12))
        check(0 <= index < 512, "%s: %r: index %d" % (what, line, index), "an index 0..511")
        check(depth <= len(path) + 1, "%s: %r comes at depth %d below no table" % (what, line, depth),
              "each level indented one ` ..` more than the table above it")
        if len(path) >= depth:
            check(index > path[depth - 1], "%s: %r is out of order" % (what, line),
                  "each table's entries in index order")
        del path[depth - 1:]
        path.append(index)
        is_leaf = pte & (PTE_R | PTE_W | PTE_X)
        if is_leaf:
            va = 0
            for level, ix in enumerate(path):
                va |= ix << (30 - 9 * level)
            found[va] = pte
        else:
            check(depth < 3, "%s: %r: a table entry at the last level" % (what, line),
                  "leaves (R, W or X set) at depth 3")
    return found


def check_address_space(table, what):
    """The leaves of a process's page table: text at 0, and the
    trampoline, trapframe and USYSCALL pages at the top with the right
    permissions."""
    maxva = 1 << 38
    top = {"TRAMPOLINE": (maxva - 4096, PTE_R | PTE_X, PTE_W | PTE_U),
           "TRAPFRAME": (maxva - 2 * 4096, PTE_R | PTE_W, PTE_X | PTE_U),
           "USYSCALL": (maxva - 3 * 4096, PTE_R | PTE_U, PTE_W | PTE_X)}
    found = leaves(table, what)
    check(0 in found and found[0] & PTE_U,
          "%s: leaves at %s" % (what, ", ".join(hex(v) for v in sorted(found))),
          "a user page at virtual address 0 (the program's text)")
    for name, (va, need, never) in top.items():
        pte = found.get(va)
        check(pte is not None, "%s: no leaf for %s (0x%x)" % (what, name, va),
              "%s mapped, as the third-level entry %d" % (name, (va >> 12) & 511))
        check(pte & need == need and not pte & never,
              "%s: %s's PTE 0x%x" % (what, name, pte),
              "permission bits 0x%x set and 0x%x clear" % (need, never))


@test(20, "vmprint: init's page table at boot, and kpgtbl()")
def vmprint(m):
    boot = page_tables(m.output())
    check(len(boot) == 1, "%d page tables printed at boot" % len(boot),
          "exactly one, init's, before `init: starting sh`")
    check_address_space(boot[0][1], "init's page table at boot")
    out = m.run("pgtblcheck kpgtbl", 60, "pgtblcheck kpgtbl")
    expect_lines(out, [r"^kpgtbl: OK$"], "pgtblcheck kpgtbl")
    printed = page_tables(out)
    check(len(printed) == 1, "pgtblcheck kpgtbl printed %d page tables" % len(printed), "one")
    check(printed[0][0] != boot[0][0], "kpgtbl printed the root 0x%x, the same as init's" % printed[0][0],
          "the calling process's own page table")
    check_address_space(printed[0][1], "kpgtbl()'s page table")


def pgtblcheck(m, part, timeout=120):
    command = "pgtblcheck " + part
    out = m.run(command, timeout, command)
    expect_no_line(out, r"^panic", command)
    expect_no_line(out, r"FAILED", command)
    expect_lines(out, [r"^%s: OK$" % part], command)
    return out


@test(15, "ugetpid: the USYSCALL page, read-only, with the pid")
def ugetpid(m):
    pgtblcheck(m, "ugetpid")


@test(15, "pgaccess: reports and clears accessed bits; refuses bad arguments")
def pgaccess(m):
    pgtblcheck(m, "pgaccess")


@test(30, "superpages: eager sbrk maps 2 MiB leaves; fork copies; a shrink cuts one")
def superpages(m):
    pgtblcheck(m, "superpage", 300)
    # Twice: the second run finds the pool as the first left it.
    pgtblcheck(m, "superpage", 300)


@test(20, "usertests -q, with superpages and USYSCALL")
def usertests_quick(m):
    usertests(m)
