"""gdb against the running kernel: the helpers of scripts/gdb/xv6gdb.py
(procs, pagetable, va2pa, freepages), the sbrk session docs/sbrk.md
teaches, and panic()'s named backtrace.

One QEMU, started the way `make qemu-gdb` starts it (halted, with a gdb
stub) but with CPUS=1, on a free port and a private copy of fs.img, and
one gdb-multiarch reading a gdbinit made from .gdbinit.tmpl, both driven
through pexpect, are shared by the whole file.  The `replay` fixture plays
the session once, keeping what every command printed; each test then
checks one part of it.  If the session breaks off, the tests that needed
the rest fail saying where it stopped.

Run this file directly to print the session as a transcript (what
docs/sbrk.md shows):  /usr/bin/python3 tests/test_gdb.py
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pexpect
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conftest import ROOT, KERNEL, FS_IMG, free_port, qemu_command  # noqa: E402

GDB = shutil.which("gdb-multiarch")
GDB_PROMPT = "(gdb) "
BREAK_SBRKDEMO = 'break sys_sbrk if $_streq(cpus[$tp].proc->name, "sbrkdemo")'

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(GDB is None, reason="gdb-multiarch is not installed"),
]



def toolchain(tool):
    """The cross toolchain's `tool` (addr2line, nm), or None."""
    for prefix in ("riscv64-unknown-elf-", "riscv64-linux-gnu-", "riscv64-elf-"):
        path = shutil.which(prefix + tool)
        if path:
            return path
    return None


class Session:
    """QEMU halted at reset with a gdb stub, and gdb connected to it."""

    def __init__(self, workdir):
        self.port = free_port()
        image = os.path.join(workdir, "fs.img")
        shutil.copyfile(FS_IMG, image)
        cmd = qemu_command(KERNEL, image, 1, ["-S", "-gdb", "tcp:127.0.0.1:%d" % self.port])
        self.qemu = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                                  codec_errors="replace", timeout=60)
        self.console_log = ""
        # The gdbinit `make qemu-gdb` would write: the template with the port.
        with open(os.path.join(ROOT, ".gdbinit.tmpl")) as f:
            self.gdbinit_text = f.read().replace(":1234", ":%d" % self.port)
        gdbinit = os.path.join(workdir, "gdbinit")
        with open(gdbinit, "w") as f:
            f.write(self.gdbinit_text)
        env = dict(os.environ, TERM="dumb")
        self.gdb = pexpect.spawn(GDB, ["-q", "-nx", "-x", gdbinit], cwd=ROOT, env=env,
                                 encoding="utf-8", codec_errors="replace", timeout=30)
        self.transcript = []
        self.gdb.expect_exact(GDB_PROMPT, timeout=30)
        self.startup = self.gdb.before.replace("\r", "")

    # ---- gdb ----
    def _output(self, line):
        out = self.gdb.before.replace("\r", "")
        lines = out.split("\n")
        if lines and lines[0].strip() == line.strip():
            lines = lines[1:]
        out = "\n".join(lines).strip("\n")
        self.transcript.append((line, out))
        return out

    def cmd(self, line, timeout=30):
        """Run a gdb command that returns to the prompt; its output."""
        self.gdb.sendline(line)
        self.gdb.expect_exact(GDB_PROMPT, timeout=timeout)
        self.drain()
        return self._output(line)

    def resume(self, line="continue", typed=None, timeout=30):
        """Let the machine run until it stops again (a breakpoint, or
        `finish` returning); `typed` is a line typed on the console once
        it runs.  Returns what gdb printed."""
        self.gdb.sendline(line)
        if typed is not None:
            self.gdb.expect_exact("Continuing.", timeout=timeout)
            self.qemu.sendline(typed)
            self.transcript.append(("# on the console: " + typed, ""))
        self.gdb.expect_exact(GDB_PROMPT, timeout=timeout)
        self.drain()
        out = self._output(line)
        if typed is not None:
            out = "Continuing.\n" + out
            self.transcript[-1] = (line, out)
        return out

    def run_free(self, line="continue"):
        """Let the machine run with gdb waiting (stop it with interrupt)."""
        self.gdb.sendline(line)
        self.gdb.expect_exact("Continuing.", timeout=30)
        self.transcript.append((line, "Continuing."))

    def interrupt(self):
        """Ctrl-C in gdb: stop the machine wherever it is."""
        self.gdb.sendintr()
        self.gdb.expect_exact(GDB_PROMPT, timeout=30)
        self.transcript.append(("# Ctrl-C", self.gdb.before.replace("\r", "").strip("\n")))

    # ---- the console ----
    def drain(self):
        """Move whatever the console printed into console_log."""
        while True:
            try:
                self.console_log += self.qemu.read_nonblocking(100000, timeout=0.05)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return

    def console_mark(self):
        self.drain()
        return len(self.console_log)

    def console_wait(self, text, mark=0, timeout=60, regex=False):
        """Wait until text (or a regex match) appears on the console after
        mark; return the console output from mark to the end of it."""
        deadline = time.time() + timeout
        pattern = re.compile(text if regex else re.escape(text))
        while True:
            self.drain()
            m = pattern.search(self.console_log, mark)
            if m:
                return self.console_log[mark:m.end()].replace("\r", "")
            if time.time() > deadline:
                raise AssertionError("the console never showed %r; it shows:\n%s"
                                     % (text, self.console_log[mark:][-2000:]))
            time.sleep(0.05)

    def close(self):
        for child in (self.gdb, self.qemu):
            if child.isalive():
                child.terminate(force=True)
            child.close()


def stop_function(out):
    """The function a breakpoint stop or `finish` landed in."""
    m = re.search(r"(?:[Bb]reakpoint [\d.]+, |^Run till exit.*\n(?:0x[0-9a-f]+ in )?)(\w+) \(",
                  out, re.M)
    return m.group(1) if m else None


def returned(out):
    """The value `finish` reported as returned, as an int."""
    m = re.search(r"Value returned is \$\d+ = (?:\([^)]*\) )?(-?(?:0x[0-9a-f]+|\d+))", out)
    return int(m.group(1), 0) if m else None


def pagetable_lines(out):
    """{va: (pa, flags)} from `pagetable` output."""
    table = {}
    for m in re.finditer(r"^VA (0x[0-9a-f]+) -> PA (0x[0-9a-f]+) ([A-Z ]*?)\s*(?:\(.*\))?$",
                         out, re.M):
        table[int(m.group(1), 16)] = (int(m.group(2), 16), m.group(3).split())
    return table


def play(s, r):
    """The session of docs/sbrk.md, step by step, recording into r
    {label: output} as it goes."""
    s.run_free()
    s.console_wait("$ ")
    s.interrupt()
    for name in ("procs", "pagetable", "va2pa", "freepages"):
        r["help " + name] = s.cmd("help " + name)
    r["procs idle"] = s.cmd("procs")
    r["freepages idle"] = s.cmd("freepages", timeout=60)

    # Stop in sys_sbrk, but only for sbrkdemo: its step 1, sbrk(0).
    s.cmd(BREAK_SBRKDEMO)
    mark = s.console_mark()
    r["console mark"] = mark
    r["stop step 1"] = s.resume(typed="sbrkdemo")
    r["console step 1"] = s.console_wait("a page at a time", mark)
    r["procs"] = s.cmd("procs")
    r["pagetable before"] = s.cmd("pagetable")
    r["nfree before"] = s.cmd("print kmem.nfree")

    # Step 2, sbrk(4096): growing.
    r["grow stops"] = [s.resume()]
    for f in ("growproc", "uvmalloc", "kalloc", "mappages"):
        s.cmd("tbreak " + f)
    r["grow stops"] += [s.resume() for _ in range(3)]          # growproc, uvmalloc, kalloc
    r["kalloc finish"] = s.cmd("finish")
    r["bt in uvmalloc"] = s.cmd("bt")
    mark = s.console_mark()
    s.cmd("call print_stack()")
    r["backtrace call"] = s.console_wait(r"usertrap\+0x[0-9a-f]+\r?\n", mark, 10, regex=True)
    r["grow stops"].append(s.resume())                         # mappages
    r["mappages finish"] = s.cmd("finish")
    r["pagetable grown"] = s.cmd("pagetable")
    r["nfree grown"] = s.cmd("print kmem.nfree")
    brk = int(re.search(r"sbrkdemo.*sz (0x[0-9a-f]+)", r["pagetable before"]).group(1), 16)
    r["brk"] = brk
    r["va2pa"] = s.cmd("va2pa 0x%x" % brk)

    # Step 4, sbrk(-4096): shrinking.
    r["shrink stops"] = [s.resume()]
    for f in ("growproc", "uvmdealloc", "uvmunmap", "kfree"):
        s.cmd("tbreak " + f)
    r["shrink stops"] += [s.resume() for _ in range(4)]
    r["kfree finish"] = s.cmd("finish")
    r["uvmunmap finish"] = s.cmd("finish")
    r["pagetable shrunk"] = s.cmd("pagetable")
    r["nfree shrunk"] = s.cmd("print kmem.nfree")

    # Steps 5 and 6: page faults, the child's and the lazy one, both at
    # the old break.  (Forked processes also take copy-on-write faults
    # on their stacks and data: the condition skips those.)
    s.cmd("delete")
    s.cmd("break handle_page_fault if va == 0x%x" % brk)
    r["fault child"] = s.resume()
    s.cmd("tbreak vmfault")
    s.resume()
    r["vmfault child finish"] = s.cmd("finish")
    r["fault lazy"] = s.resume()
    r["pagetable lazy before"] = s.cmd("pagetable")
    s.cmd("tbreak vmfault")
    s.resume()
    r["vmfault lazy finish"] = s.cmd("finish")
    r["pagetable lazy"] = s.cmd("pagetable")
    s.cmd("delete")
    s.run_free()
    r["console run"] = s.console_wait("sbrkdemo: done", r["console mark"])
    s.console_wait("$ ", r["console mark"] + len(r["console run"]))
    s.interrupt()
    r["procs after"] = s.cmd("procs")
    r["freepages after"] = s.cmd("freepages", timeout=60)

    # A stop in user mode: the user page table is in satp.
    s.cmd(BREAK_SBRKDEMO)
    s.resume(typed="sbrkdemo")
    r["pagetable kernel mode"] = s.cmd("pagetable")
    s.cmd("thbreak *cpus[$tp].proc->trapframe->epc")
    r["stop user"] = s.resume()
    r["priv user"] = s.cmd("print $priv")
    r["satp user"] = s.cmd("print/x $satp")
    r["pagetable user mode"] = s.cmd("pagetable")
    r["procs user mode"] = s.cmd("procs")

    # A panic on purpose, from uvmalloc of the next sbrk(4096), where
    # every frame is complete: panic() never returns, so gdb waits until
    # interrupted.
    s.resume()
    s.cmd("tbreak kalloc")
    s.resume()
    s.cmd("finish")
    mark = s.console_mark()
    s.gdb.sendline("call panic(cpus[$tp].proc->name)")
    r["panic"] = s.console_wait(r"usertrap\+0x[0-9a-f]+\r?\n", mark, 20, regex=True)
    s.interrupt()


@pytest.fixture(scope="module")
def replay():
    workdir = tempfile.mkdtemp(prefix="test_gdb.")
    s = Session(workdir)
    r = {"_startup": s.startup, "_gdbinit": s.gdbinit_text}
    try:
        play(s, r)
    except Exception as e:  # keep what was recorded; tests say where it broke
        r["_error"] = "%s: %s\nlast gdb output:\n%s\nconsole:\n%s" % (
            type(e).__name__, e, s.gdb.before, s.console_log[-1500:])
    finally:
        s.close()
        shutil.rmtree(workdir, ignore_errors=True)
    yield r


def need(r, *keys):
    """The recorded outputs for keys, or a failure saying the session
    broke off before them."""
    for k in keys:
        if k not in r:
            pytest.fail("the gdb session broke off before %r:\n%s" % (k, r.get("_error", "?")))
    return [r[k] for k in keys] if len(keys) > 1 else r[keys[0]]


# ---- make qemu-gdb and .gdbinit ----------------------------------------

def test_make_qemu_gdb_halts_qemu_on_the_users_port_and_prints_the_gdb_command():
    out = subprocess.run(["make", "-n", "qemu-gdb"], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True).stdout
    port = os.getuid() % 5000 + 25000
    assert re.search(r"qemu-system-riscv64 .*-S -gdb tcp::%d\b" % port, out), \
        "make qemu-gdb should start QEMU halted (-S) with a gdb stub on port %d:\n%s" % (port, out)
    assert re.search(r"gdb-multiarch -q -nx -x \.gdbinit", out), \
        "make qemu-gdb should print the gdb command to run (with -x .gdbinit):\n%s" % out
    assert "CPUS=1" in out, "make qemu-gdb should advise CPUS=1 for stepping:\n%s" % out


def test_gdbinit_template_connects_and_loads_the_helpers(replay):
    text = replay["_gdbinit"]
    for line in ("set architecture riscv:rv64", "file kernel/kernel",
                 "source scripts/gdb/xv6gdb.py"):
        assert line in text, ".gdbinit.tmpl lacks %r" % line
    assert re.search(r"^target remote 127\.0\.0\.1:\d+$", text, re.M), \
        "the port was not put into `target remote`:\n%s" % text
    start = replay["_startup"]
    assert "Connection refused" not in start and "xv6gdb: commands" in start, \
        "gdb did not connect and load xv6gdb.py:\n%s" % start


def test_each_helper_has_help_text(replay):
    for name, usage in (("procs", "procs"), ("pagetable", "pagetable [PID]"),
                        ("va2pa", "va2pa VA [PID]"), ("freepages", "freepages [N]")):
        out = need(replay, "help " + name)
        assert usage in out and len(out.splitlines()) >= 3, \
            "`help %s` should explain the command (%r):\n%s" % (name, usage, out)


# ---- procs, pagetable, freepages, va2pa --------------------------------

def test_procs_lists_sbrkdemo_running_beside_init_and_sh(replay):
    idle, out = need(replay, "procs idle", "procs")
    assert re.search(r"^1 +- +SLEEPING +0x[0-9a-f]+ +init$", idle, re.M), \
        "procs should show init sleeping as pid 1:\n%s" % idle
    assert re.search(r"^2 +1 +SLEEPING +0x[0-9a-f]+ +sh$", idle, re.M), \
        "procs should show sh, pid 2, child of 1:\n%s" % idle
    m = re.search(r"^(\d+) +2 +RUNNING +(0x[0-9a-f]+) +0 +sbrkdemo$", out, re.M)
    assert m, "procs should show sbrkdemo running on hart 0, child of sh:\n%s" % out
    assert int(m.group(2), 16) == replay["brk"], \
        "procs' sz for sbrkdemo differs from pagetable's:\n%s" % out


def test_pagetable_shows_text_at_0_guard_page_trapframe_and_counts(replay):
    out = need(replay, "pagetable before")
    table = pagetable_lines(out)
    assert 0 in table and {"R", "X", "U"} <= set(table[0][1]) and "W" not in table[0][1], \
        "VA 0x0 (text) should be mapped R X U, not W:\n%s" % out
    assert re.search(r"\(guard page: no U\)", out), "no guard page shown:\n%s" % out
    assert 0x3fffffe000 in table and 0x3ffffff000 in table, \
        "trapframe and trampoline should be mapped at the top:\n%s" % out
    assert list(table) == sorted(table), "leaves are not in address order:\n%s" % out
    assert all(va < replay["brk"] or va >= 0x3fffffe000 for va in table), \
        "a page is mapped between sz and the trapframe:\n%s" % out
    m = re.search(r"(\d+) pages mapped; table pages: level 2: 1, level 1: (\d+), level 0: (\d+)", out)
    assert m and int(m.group(1)) == len(table), "no page/table counts:\n%s" % out
    # Low memory and the top need separate level-1 and level-0 tables.
    assert int(m.group(2)) == 2 and int(m.group(3)) == 2, \
        "expected 2 level-1 and 2 level-0 tables:\n%s" % out


def test_freepages_walk_agrees_with_kmem_nfree(replay):
    out = need(replay, "freepages idle")
    m = re.search(r"freelist: (\d+) pages walked; kmem.nfree = (\d+) \(they agree\)", out)
    assert m and m.group(1) == m.group(2) and int(m.group(1)) > 30000, \
        "freepages should walk the whole list and agree with kmem.nfree:\n%s" % out
    firsts = re.search(r"first 8: ((?:0x[0-9a-f]+ ?){8})$", out, re.M)
    assert firsts, "freepages should list the first 8 free pages:\n%s" % out
    assert all(int(a, 16) % 4096 == 0 for a in firsts.group(1).split()), \
        "free pages should be page aligned:\n%s" % out


def test_va2pa_walks_three_levels_to_the_pagetable_pa(replay):
    out, grown, brk = need(replay, "va2pa", "pagetable grown", "brk")
    levels = re.findall(r"level (\d): table (0x[0-9a-f]+) \[ *(\d+)\]  PTE (0x[0-9a-f]+)", out)
    assert [l[0] for l in levels] == ["2", "1", "0"], "va2pa should show levels 2, 1, 0:\n%s" % out
    assert int(levels[2][2]) == (brk >> 12) & 0x1ff, "wrong level-0 index:\n%s" % out
    final = re.search(r"VA 0x[0-9a-f]+ -> PA (0x[0-9a-f]+)$", out, re.M)
    assert final, "va2pa printed no final PA:\n%s" % out
    assert int(final.group(1), 16) == pagetable_lines(grown)[brk][0], \
        "va2pa's PA differs from pagetable's line for 0x%x:\n%s\n%s" % (brk, out, grown)


# ---- the sbrk path -----------------------------------------------------

def test_growing_stops_in_sys_sbrk_growproc_uvmalloc_kalloc_mappages(replay):
    stops = need(replay, "grow stops")
    names = [stop_function(o) for o in stops]
    assert names == ["sys_sbrk", "growproc", "uvmalloc", "kalloc", "mappages"], \
        "sbrk(4096) stopped in %s" % names
    assert "growproc (n=4096)" in stops[1], "growproc's n should be 4096:\n%s" % stops[1]
    assert "size=size@entry=4096" in stops[4] or "size=4096" in stops[4], stops[4]


def test_grown_page_appears_in_the_page_table_at_the_old_break(replay):
    before, fin, grown, brk = need(replay, "pagetable before", "kalloc finish",
                                   "pagetable grown", "brk")
    pa = returned(fin)
    assert pa and pa % 4096 == 0, "kalloc's return value not found:\n%s" % fin
    assert brk not in pagetable_lines(before), "0x%x mapped before sbrk:\n%s" % (brk, before)
    table = pagetable_lines(grown)
    assert brk in table, "the new page at 0x%x did not appear:\n%s" % (brk, grown)
    assert table[brk][0] == pa, "0x%x maps PA 0x%x, not kalloc's 0x%x" % (brk, table[brk][0], pa)
    assert {"R", "W", "U"} <= set(table[brk][1]) and "X" not in table[brk][1], \
        "the heap page should be R W U, never X:\n%s" % grown


def test_kmem_nfree_drops_by_one_when_growing_and_comes_back(replay):
    vals = [int(re.search(r"= (\d+)", need(replay, k)).group(1))
            for k in ("nfree before", "nfree grown", "nfree shrunk")]
    assert vals[0] - vals[1] == 1 and vals[2] == vals[0], \
        "kmem.nfree before/grown/shrunk: %s" % vals


def test_shrinking_stops_in_sys_sbrk_growproc_uvmdealloc_uvmunmap_kfree(replay):
    stops, fin = need(replay, "shrink stops", "kalloc finish")
    names = [stop_function(o) for o in stops]
    assert names == ["sys_sbrk", "growproc", "uvmdealloc", "uvmunmap", "kfree"], \
        "sbrk(-4096) stopped in %s" % names
    assert "growproc (n=-4096)" in stops[1], stops[1]
    m = re.search(r"kfree \(pa=(0x[0-9a-f]+)\)", stops[4])
    assert m and int(m.group(1), 16) == returned(fin), \
        "kfree should get back the page kalloc gave:\n%s" % stops[4]


def test_released_page_disappears_from_the_page_table(replay):
    before, shrunk, brk = need(replay, "pagetable before", "pagetable shrunk", "brk")
    after = pagetable_lines(shrunk)
    assert brk not in after, "0x%x is still mapped after sbrk(-4096):\n%s" % (brk, shrunk)
    assert {va: pa for va, (pa, _) in after.items()} == \
        {va: pa for va, (pa, _) in pagetable_lines(before).items()}, \
        "the other pages changed:\n%s\n%s" % (before, shrunk)


def test_touching_the_released_page_faults_and_the_lazy_page_is_mapped(replay):
    child, cfin, lazy, lfin, table, brk = need(
        replay, "fault child", "vmfault child finish", "fault lazy",
        "vmfault lazy finish", "pagetable lazy", "brk")
    for out in (child, lazy):
        assert stop_function(out) == "handle_page_fault" and "va=%d" % brk in out, \
            "expected a page fault at %d:\n%s" % (brk, out)
    assert returned(cfin) == 0, "vmfault should refuse the released page:\n%s" % cfin
    untouched = need(replay, "pagetable lazy before")
    assert brk not in pagetable_lines(untouched) and "sz 0x%x" % (brk + 4096) in untouched, \
        "after sbrklazy, sz should cover 0x%x with no page there yet:\n%s" % (brk, untouched)
    pa = returned(lfin)
    assert pa and pagetable_lines(table).get(brk, (None,))[0] == pa, \
        "vmfault's page 0x%x is not what pagetable shows at 0x%x:\n%s" % (pa or 0, brk, table)


def test_sbrkdemo_finishes_and_leaks_nothing(replay):
    run, idle, after, procs = need(replay, "console run", "freepages idle",
                                   "freepages after", "procs after")
    brk = need(replay, "brk")
    assert re.search(r"^pid \d+ \(sbrkdemo\): store page fault at va 0x0*%x .*killed$" % brk,
                     run, re.M) \
        and "status -1" in run, "the child was not killed:\n%s" % run
    count = lambda o: int(re.search(r"(\d+) pages walked", o).group(1))  # noqa: E731
    assert count(after) == count(idle), \
        "free pages before sbrkdemo %d, after %d" % (count(idle), count(after))
    assert "sbrkdemo" not in procs, "sbrkdemo still in the table:\n%s" % procs


def test_helpers_work_when_stopped_in_user_mode(replay):
    stop, priv, satp, kern, user, procs = need(
        replay, "stop user", "priv user", "satp user", "pagetable kernel mode",
        "pagetable user mode", "procs user mode")
    assert re.search(r"= 0$", priv), "not stopped in user mode ($priv):\n%s\n%s" % (stop, priv)
    assert not satp.endswith("87fff"), "satp is still the kernel's: %s" % satp
    assert pagetable_lines(user) == pagetable_lines(kern) or \
        set(pagetable_lines(user)) == set(pagetable_lines(kern)), \
        "pagetable differs between kernel and user mode:\n%s\n%s" % (kern, user)
    assert re.search(r"RUNNING .* sbrkdemo", procs), procs


# ---- backtraces with names ---------------------------------------------

def check_named_frames(lines_text):
    """Each `0xADDR name+0xOFF` line of a backtrace names the function
    addr2line names for ADDR-1 (outermost of any inlining), and ADDR-OFF
    is that function's address in nm.  Returns the names."""
    addr2line, nm = toolchain("addr2line"), toolchain("nm")
    assert addr2line and nm, "no cross addr2line/nm"
    symbols = {}
    for line in subprocess.run([nm, KERNEL], stdout=subprocess.PIPE, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            symbols.setdefault(parts[2], int(parts[0], 16))
    names = []
    for m in re.finditer(r"^  (0x[0-9a-f]{16}) (\w+)\+0x([0-9a-f]+)$", lines_text, re.M):
        ra, name, off = int(m.group(1), 16), m.group(2), int(m.group(3), 16)
        out = subprocess.run([addr2line, "-f", "-i", "-e", KERNEL, "0x%x" % (ra - 1)],
                             stdout=subprocess.PIPE, text=True).stdout.split("\n")
        outer = out[-3] if len(out) >= 3 else "?"
        assert outer == name, "backtrace says %s for 0x%x, addr2line says %s" % (name, ra, outer)
        assert symbols.get(name) == ra - off, \
            "%s+0x%x: %s is at 0x%x in nm, not 0x%x" % (name, off, name, symbols.get(name, 0), ra - off)
        names.append(name)
    return names


def test_backtrace_names_the_frames_gdb_sees(replay):
    bt, out = need(replay, "bt in uvmalloc", "backtrace call")
    names = check_named_frames(out)
    assert names[:5] == ["growproc", "sys_sbrk", "syscall", "usertrap"][:len(names[:5])] \
        and len(names) >= 4, "backtrace from uvmalloc named %s:\n%s" % (names, out)
    # The same return addresses gdb's own bt shows, frame #1 on.
    gdb_pcs = [int(a, 16) for a in re.findall(r"^#[1-9]\d*\s+(0x[0-9a-f]+) in \w+", bt, re.M)]
    ours = [int(a, 16) for a in re.findall(r"^  (0x[0-9a-f]{16}) \w+\+", out, re.M)]
    assert ours == gdb_pcs[:len(ours)], \
        "backtrace addresses %s differ from gdb's %s" % ([hex(a) for a in ours], [hex(a) for a in gdb_pcs])


def test_panic_names_hart_process_and_functions(replay):
    out = need(replay, "panic")
    assert re.search(r"^panic: sbrkdemo$", out, re.M), "no panic line:\n%s" % out
    assert re.search(r"^  hart 0, process \d+ \(sbrkdemo\)$", out, re.M), \
        "panic should name the hart and the process:\n%s" % out
    names = check_named_frames(out)
    assert names == ["panic", "growproc", "sys_sbrk", "syscall", "usertrap"], \
        "the panic's backtrace (called from uvmalloc) named %s:\n%s" % (names, out)


if __name__ == "__main__":
    workdir = tempfile.mkdtemp(prefix="gdb-transcript.")
    s = Session(workdir)
    try:
        play(s, {})
    finally:
        s.close()
        shutil.rmtree(workdir, ignore_errors=True)
        for line, out in s.transcript:
            if line.startswith("#"):
                print(line)
            else:
                print("(gdb) " + line)
            if out:
                print(out)
        print("---- console ----")
        print(s.console_log.replace("\r", ""))
