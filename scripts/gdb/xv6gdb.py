"""gdb helpers for looking at this kernel's memory and processes.

Loaded by .gdbinit (`source scripts/gdb/xv6gdb.py`).  Commands:

    procs               every process in use: pid, parent, state, sz, name
    pagetable [PID]     every page a process has mapped, and its table pages
    va2pa VA [PID]      walk one user address through the three levels
    freepages [N]       count the kalloc freelist, show its first N pages

`help NAME` explains each.  With no PID, the process is the one running on
the hart gdb has selected (`info threads`, `thread N`; thread N is hart
N-1).

Page tables live in physical memory.  The kernel maps all of RAM at the
same addresses (virtual = physical), so while the kernel's page table is
in satp a physical address can be read as if it were a virtual one.  But
when gdb stops a hart in user mode, satp holds the process's table, which
maps neither RAM nor the kernel's variables.  So these commands ask QEMU
to read physical memory directly for as long as they run (the gdb-stub
request `Qqemu.PhyMemMode:1`, in QEMU since 4.0), and put the mode back
afterwards.  Every kernel variable sits at its physical address, so
`proc`, `cpus` and `kmem` read correctly that way too.  Where the stub
does not know the request, the commands read through satp, which works
whenever the hart is stopped in the kernel.
"""
import struct

import gdb

# kernel/riscv.h and kernel/memlayout.h.
PGSIZE = 4096
PGSHIFT = 12
KERNBASE = 0x80000000
PHYSTOP = KERNBASE + 128 * 1024 * 1024
MAXVA = 1 << (9 + 9 + 9 + 12 - 1)
TRAMPOLINE = MAXVA - PGSIZE
TRAPFRAME = TRAMPOLINE - PGSIZE

PTE_V, PTE_R, PTE_W, PTE_X, PTE_U, PTE_G, PTE_A, PTE_D = (1 << b for b in range(8))
FLAG_LETTERS = [(PTE_R, "R"), (PTE_W, "W"), (PTE_X, "X"), (PTE_U, "U"),
                (PTE_G, "G"), (PTE_A, "A"), (PTE_D, "D")]
LEVEL_SPAN = {2: 1 << 30, 1: 1 << 21, 0: 1 << 12}


def pte2pa(pte):
    return (pte >> 10) << 12


def px(level, va):
    return (va >> (PGSHIFT + 9 * level)) & 0x1FF


def flag_string(pte):
    """The set permission bits of a PTE as letters, e.g. 'R W U A D'."""
    return " ".join(letter for bit, letter in FLAG_LETTERS if pte & bit)


def in_ram(pa):
    return KERNBASE <= pa < PHYSTOP


# ---- Reading memory ----------------------------------------------------

def _packet(text):
    """Send a raw remote-protocol packet; return the stub's reply text."""
    out = gdb.execute("maintenance packet " + text, to_string=True)
    for line in out.splitlines():
        if line.startswith("received:"):
            return line.split(":", 1)[1].strip().strip('"')
    return ""


def _flush_cache():
    try:
        gdb.execute("maintenance flush dcache", to_string=True)
    except gdb.error:
        pass


class PhysicalMemory:
    """`with PhysicalMemory():` makes gdb's memory reads physical for the
    duration (QEMU's PhyMemMode), restoring the previous mode after."""

    def __enter__(self):
        self.previous = None
        try:
            mode = _packet("qqemu.PhyMemMode")
        except gdb.error:
            mode = ""
        if mode not in ("0", "1"):
            self.check_kernel_satp()
            return self
        self.previous = mode
        if mode != "1":
            _packet("Qqemu.PhyMemMode:1")
            _flush_cache()
        return self

    def __exit__(self, *exc):
        if self.previous is not None and self.previous != "1":
            _packet("Qqemu.PhyMemMode:" + self.previous)
            _flush_cache()
        return False

    @staticmethod
    def check_kernel_satp():
        """Without PhyMemMode, reads go through satp: refuse clearly when
        that is a user page table."""
        try:
            satp = int(gdb.parse_and_eval("$satp")) & ((1 << 64) - 1)
            root = int(gdb.parse_and_eval("(unsigned long)kernel_pagetable"))
        except gdb.error:
            raise gdb.GdbError(
                "this gdb stub cannot read physical memory, and the hart is "
                "stopped with a user page table in satp; stop it in the kernel "
                "(e.g. `break usertrap`, continue) and try again")
        if satp >> 60 != 0 and (satp & ((1 << 44) - 1)) << 12 != root:
            raise gdb.GdbError(
                "satp holds a user page table and this gdb stub cannot read "
                "physical memory; stop the hart in the kernel and try again")


def read_u64s(pa, count):
    """count 64-bit words at physical address pa (inside PhysicalMemory)."""
    try:
        data = gdb.selected_inferior().read_memory(pa, 8 * count)
    except gdb.MemoryError:
        raise gdb.GdbError("cannot read physical memory at 0x%x" % pa)
    return struct.unpack("<%dQ" % count, bytes(data))


def read_table(pa):
    """The 512 PTEs of the page-table page at physical address pa."""
    if not in_ram(pa) or pa % PGSIZE != 0:
        raise gdb.GdbError("0x%x is not a page of RAM: not a page table" % pa)
    return read_u64s(pa, 512)


# ---- Processes ---------------------------------------------------------

def proc_table():
    """The proc[] array, fetched in one read.  gdb refuses to fetch a
    value bigger than its max-value-size (64 KiB unless set), which
    proc[] outgrows as labs add fields to struct proc (the mmap lab's
    table of mappings): the limit is raised to fit it."""
    procs = gdb.parse_and_eval("proc")
    limit = gdb.parameter("max-value-size")
    if limit is not None and limit < procs.type.sizeof:
        gdb.execute("set max-value-size %d" % procs.type.sizeof, to_string=True)
    procs.fetch_lazy()
    return procs


def proc_name(p):
    chars = []
    for i in range(p["name"].type.range()[1] + 1):
        c = int(p["name"][i])
        if c == 0:
            break
        chars.append(chr(c) if 32 <= c < 127 else "?")
    return "".join(chars)


def proc_state(p):
    return str(p["state"])


def selected_hart():
    """The hart of gdb's selected thread (QEMU numbers them from 1)."""
    thread = gdb.selected_thread()
    if thread is None:
        raise gdb.GdbError("no thread selected: is gdb connected to QEMU?")
    lwp = thread.ptid[1]
    return (lwp if lwp > 0 else thread.num) - 1


def running_procs():
    """{address of struct proc: hart} for every hart running a process."""
    cpus = gdb.parse_and_eval("cpus")
    cpus.fetch_lazy()
    lo, hi = cpus.type.range()
    out = {}
    for h in range(lo, hi + 1):
        ptr = int(cpus[h]["proc"])
        if ptr:
            out[ptr] = h
    return out


def find_proc(pid_arg):
    """The struct proc for a pid given as text, or, with None, the one
    running on the selected hart."""
    procs = proc_table()
    lo, hi = procs.type.range()
    if pid_arg is None:
        hart = selected_hart()
        ptr = int(gdb.parse_and_eval("cpus[%d].proc" % hart))
        if ptr == 0:
            raise gdb.GdbError(
                "hart %d is running no process (it is in the scheduler); "
                "name one: `procs` lists them" % hart)
        for i in range(lo, hi + 1):
            if int(procs[i].address) == ptr:
                return procs[i]
        raise gdb.GdbError("cpus[%d].proc = 0x%x is not inside proc[]" % (hart, ptr))
    try:
        pid = int(gdb.parse_and_eval(pid_arg))
    except gdb.error:
        raise gdb.GdbError("not a pid: %r" % pid_arg)
    for i in range(lo, hi + 1):
        p = procs[i]
        if proc_state(p) != "UNUSED" and int(p["pid"]) == pid:
            return p
    raise gdb.GdbError("no process with pid %d (`procs` lists them)" % pid)


def describe(p):
    return "pid %d (%s)" % (int(p["pid"]), proc_name(p))


# ---- Commands ----------------------------------------------------------

class Procs(gdb.Command):
    """List the processes in use: procs

One line per slot of proc[] that is not UNUSED: pid, parent's pid, state,
sz (bytes of user memory, 0 up to the break), the hart running it if any,
and the name.  Example:
  PID  PPID  STATE     SZ        HART  NAME
  1    -     SLEEPING  0x4000          init
  3    2     RUNNING   0x6000    0     sbrkdemo"""

    def __init__(self):
        super().__init__("procs", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("procs takes no arguments")
        with PhysicalMemory():
            procs = proc_table()
            running = running_procs()
            lo, hi = procs.type.range()
            rows = []
            for i in range(lo, hi + 1):
                p = procs[i]
                state = proc_state(p)
                if state == "UNUSED":
                    continue
                parent = int(p["parent"])
                ppid = "-"
                if parent:
                    ppid = str(int(p["parent"].dereference()["pid"]))
                hart = running.get(int(p.address))
                rows.append((int(p["pid"]), ppid, state, int(p["sz"]),
                             "" if hart is None else str(hart), proc_name(p),
                             int(p["killed"])))
        gdb.write("%-4s %-5s %-9s %-10s %-5s %s\n" % ("PID", "PPID", "STATE", "SZ", "HART", "NAME"))
        for pid, ppid, state, sz, hart, name, killed in rows:
            gdb.write("%-4d %-5s %-9s %-10s %-5s %s%s\n" % (
                pid, ppid, state, "0x%x" % sz, hart, name, "  (killed)" if killed else ""))
        gdb.write("%d processes\n" % len(rows))


def walk_tree(root):
    """Every valid leaf under the root table, in address order, as
    (va, pte, level), and the number of table pages at each level."""
    leaves = []
    tables = {2: 0, 1: 0, 0: 0}
    problems = []

    def visit(pa, level, base):
        tables[level] += 1
        for i, pte in enumerate(read_table(pa)):
            if not pte & PTE_V:
                continue
            va = base + i * LEVEL_SPAN[level]
            if pte & (PTE_R | PTE_W | PTE_X):
                leaves.append((va, pte, level))
            elif level == 0:
                problems.append("VA 0x%x: level-0 PTE 0x%x has no R/W/X (reserved)" % (va, pte))
            elif not in_ram(pte2pa(pte)):
                problems.append("VA 0x%x: level-%d PTE 0x%x points outside RAM" % (va, level, pte))
            else:
                visit(pte2pa(pte), level - 1, va)

    visit(root, 2, 0)
    return leaves, tables, problems


def file_mappings(p):
    """[(start, end)] of p's file mappings (struct proc's vmas, which only
    a kernel with the mmap lab has)."""
    if "vmas" not in [f.name for f in p.type.fields()]:
        return []
    vmas = p["vmas"]
    lo, hi = vmas.type.range()
    return [(int(vmas[i]["start"]), int(vmas[i]["start"]) + int(vmas[i]["len"]))
            for i in range(lo, hi + 1) if int(vmas[i]["file"]) != 0]


def leaf_note(va, pte, level, sz, mappings=()):
    """A few words on what a mapping is, for the reader."""
    if level > 0:
        return "%d MiB superpage" % (LEVEL_SPAN[level] >> 20)
    if va == TRAMPOLINE:
        return "trampoline"
    if va == TRAPFRAME:
        return "trapframe"
    if any(start <= va < end for start, end in mappings):
        return "file mapping"
    if va >= sz:
        return "above sz!"
    if not pte & PTE_U:
        return "guard page: no U"
    return ""


class Pagetable(gdb.Command):
    """Print a process's page table: pagetable [PID]

Without PID, the process running on the selected hart (`thread N` picks
hart N-1); with PID, that process from proc[].  Walks the three-level
Sv39 table from p->pagetable and prints every valid leaf, lowest address
first, as
  VA 0x1000 -> PA 0x87f5e000 R W U A D
(flags: R read, W write, X execute, U user, G global, A accessed,
D dirty), then how many table pages each level uses.  Notes name the
trampoline, the trapframe, the stack guard page (mapped without U) and
the pages of file mappings (mmap), and anything else mapped above p->sz:
normal for a moment inside growproc, which maps the pages before it
stores the new size, but a leak if it stays."""

    def __init__(self):
        super().__init__("pagetable", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) > 1:
            raise gdb.GdbError("usage: pagetable [PID]")
        with PhysicalMemory():
            p = find_proc(argv[0] if argv else None)
            root = int(p["pagetable"])
            sz = int(p["sz"])
            mappings = file_mappings(p)
            who = describe(p)
            if root == 0:
                raise gdb.GdbError("%s has no page table yet" % who)
            leaves, tables, problems = walk_tree(root)
        gdb.write("%s: page table at PA 0x%x, sz 0x%x\n" % (who, root, sz))
        for va, pte, level in leaves:
            line = "VA 0x%x -> PA 0x%x %s" % (va, pte2pa(pte), flag_string(pte))
            note = leaf_note(va, pte, level, sz, mappings)
            if note:
                line = "%-44s (%s)" % (line, note)
            gdb.write(line + "\n")
        for problem in problems:
            gdb.write("BAD: %s\n" % problem)
        gdb.write("%d pages mapped; table pages: level 2: %d, level 1: %d, level 0: %d (%d in all)\n"
                  % (len(leaves), tables[2], tables[1], tables[0], sum(tables.values())))


class Va2pa(gdb.Command):
    """Translate a user virtual address by hand: va2pa VA [PID]

Walks VA through the process's page table the way the hardware does:
at each level (2, then 1, then 0) it shows the table's physical address,
the index taken from VA (VPN[level]), the PTE found there and its flags,
and the physical address it leads to: the next table, or at the last
level the page.  The result is the page's address plus VA's offset.
VA may be any gdb expression (e.g. 0x5000, or `p->sz - 1`).  Without PID
the process on the selected hart is used."""

    def __init__(self):
        super().__init__("va2pa", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not 1 <= len(argv) <= 2:
            raise gdb.GdbError("usage: va2pa VA [PID]")
        try:
            va = int(gdb.parse_and_eval(argv[0])) & ((1 << 64) - 1)
        except gdb.error as e:
            raise gdb.GdbError("va2pa: bad address %r: %s" % (argv[0], e))
        if va >= MAXVA:
            raise gdb.GdbError("VA 0x%x is at or above MAXVA (0x%x): no user page there"
                               % (va, MAXVA))
        out = []
        with PhysicalMemory():
            p = find_proc(argv[1] if len(argv) > 1 else None)
            table = int(p["pagetable"])
            out.append("va2pa 0x%x in %s, root table at PA 0x%x" % (va, describe(p), table))
            out.append("  VPN[2] = %d, VPN[1] = %d, VPN[0] = %d, offset 0x%x"
                       % (px(2, va), px(1, va), px(0, va), va & (PGSIZE - 1)))
            result = None
            for level in (2, 1, 0):
                index = px(level, va)
                pte = read_table(table)[index]
                step = "  level %d: table 0x%x [%3d]  PTE 0x%x" % (level, table, index, pte)
                if not pte & PTE_V:
                    out.append(step + "  not valid: VA 0x%x is not mapped" % va)
                    break
                flags = "V " + flag_string(pte)
                if pte & (PTE_R | PTE_W | PTE_X):
                    page = pte2pa(pte)
                    span = LEVEL_SPAN[level]
                    result = page + (va & (span - 1))
                    kind = "page" if level == 0 else "%d MiB superpage" % (span >> 20)
                    out.append("%s  %s -> %s at PA 0x%x" % (step, flags, kind, page))
                    break
                if level == 0:
                    out.append(step + "  %s: no R/W/X at the last level (reserved)" % flags)
                    break
                table = pte2pa(pte)
                out.append("%s  %s -> next table at PA 0x%x" % (step, flags, table))
        if result is not None:
            out.append("  VA 0x%x -> PA 0x%x" % (va, result))
        gdb.write("\n".join(out) + "\n")


class Freepages(gdb.Command):
    """Count the free physical pages: freepages [N]

Follows kalloc's freelist (kmem.freelist, each free page's first word
pointing to the next) to its end, counting, and compares the count with
kmem.nfree, the count kalloc and kfree keep.  Prints the first N
addresses on the list (default 8): the next pages kalloc will hand out.
Stops with a complaint at a pointer that is not a page of RAM or at a
cycle, which would mean the freelist is corrupt."""

    def __init__(self):
        super().__init__("freepages", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) > 1:
            raise gdb.GdbError("usage: freepages [N]")
        show = int(gdb.parse_and_eval(argv[0])) if argv else 8
        with PhysicalMemory():
            nfree = int(gdb.parse_and_eval("kmem.nfree"))
            node = int(gdb.parse_and_eval("(unsigned long)kmem.freelist"))
            end = int(gdb.parse_and_eval("(unsigned long)&end"))
            inferior = gdb.selected_inferior()
            seen = set()
            first = []
            problem = None
            while node:
                if node % PGSIZE or node < end or node >= PHYSTOP:
                    problem = "entry %d is 0x%x, not a free page of RAM" % (len(seen), node)
                    break
                if node in seen:
                    problem = "entry %d, 0x%x, is on the list already: a cycle" % (len(seen), node)
                    break
                seen.add(node)
                if len(first) < show:
                    first.append(node)
                node = struct.unpack("<Q", bytes(inferior.read_memory(node, 8)))[0]
        count = len(seen)
        verdict = "they agree" if count == nfree and problem is None else "THEY DIFFER"
        gdb.write("freelist: %d pages walked; kmem.nfree = %d (%s)\n" % (count, nfree, verdict))
        if problem:
            gdb.write("BAD: %s\n" % problem)
        if first:
            gdb.write("first %d: %s\n" % (len(first), " ".join("0x%x" % a for a in first)))


Procs()
Pagetable()
Va2pa()
Freepages()
gdb.write("xv6gdb: commands procs, pagetable, va2pa, freepages (`help NAME` for each)\n")
