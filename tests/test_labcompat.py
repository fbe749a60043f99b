"""What MIT's lab tooling (gradelib.py, the grade-lab-NAME scripts and
the handouts) relies on in this tree; ../shared/labs.md lists it.

- `make print-gdbport` prints the port alone; `make qemu-gdb` boots
  halted with the console on make's stdin and stdout, and a gdb
  remote-protocol client (our own, small, doing what gradelib does) can
  connect, set breakpoints at addresses from kernel/kernel.sym, and
  continue; QEMUEXTRA reaches QEMU.  A sleep stops at both sys_pause and
  sys_sleep.
- conf/lab.mk's LAB reaches kernel, user and host code as -DLAB_NAME
  -DSOL_NAME, and param.h then takes that lab's settings; mkfs builds
  the fs lab's big image and the kernel runs on it.
- UPROGS lines in a handout's style are harmless, and data files dropped
  into user/ land in fs.img; a main that falls off its end compiles.
- The shell's "exec NAME failed", the image's README, grep's 1023-byte
  reads, and the split of scripts/install-deps.sh.
"""
import hashlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import time

import pytest

from conftest import ROOT, FS_IMG, KERNEL, MKFS, FSCK, Machine, free_port, run_fsck
from fsimage import Image, ROOTINO

MAKE = ["make", "-s", "--no-print-directory"]


def make(args, cwd=ROOT, timeout=600):
    return subprocess.run(MAKE + list(args), cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)



def copy_tree(dst):
    """A copy of the built tree (objects included, so only what changes
    is rebuilt)."""
    shutil.copytree(ROOT, dst, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache"))
    return dst


def root_names(image):
    img = Image(image)
    return [n for inum, n in img.dirents(ROOTINO) if inum != 0]


def read_root_file(image, name):
    img = Image(image)
    return img.read_file(img.lookup(ROOTINO, name))


def symbols():
    """kernel/kernel.sym as {name: address}, checking every line has
    gradelib's form: 16 hex digits, a space, the name."""
    table = {}
    with open(os.path.join(ROOT, "kernel", "kernel.sym")) as f:
        for line in f:
            line = line.rstrip("\n")
            assert re.match(r"^[0-9a-f]{16} \S+$", line), \
                "kernel/kernel.sym line %r is not 'ADDRESS NAME'" % line
            table.setdefault(line[17:], int(line[:16], 16))
    return table


# ---- make print-gdbport, QEMUEXTRA -----------------------------------------

def test_print_gdbport_prints_the_port_alone():
    r = make(["print-gdbport"])
    assert r.returncode == 0, "make print-gdbport failed:\n" + r.stdout
    assert r.stdout == "%d\n" % (os.getuid() % 5000 + 25000), \
        "make print-gdbport printed %r, not the port derived from the uid alone" % r.stdout
    r = make(["print-gdbport", "GDBPORT=23456"])
    assert r.stdout == "23456\n", "GDBPORT=23456 gave %r" % r.stdout


def test_qemu_gdb_uses_that_port_and_qemuextra():
    r = make(["-n", "run-qemu-gdb", "GDBPORT=23456", "QEMUEXTRA+=-snapshot -name x"])
    qemu = [l for l in r.stdout.split("\n") if l.startswith("qemu-system-riscv64")]
    assert qemu, "make -n run-qemu-gdb shows no QEMU command:\n" + r.stdout
    assert "-gdb tcp::23456" in qemu[0] and " -S" in qemu[0], \
        "QEMU is not started halted on the port print-gdbport gives: " + qemu[0]
    assert "-snapshot -name x" in qemu[0], "QEMUEXTRA did not reach QEMU: " + qemu[0]
    r = make(["-n", "run-qemu", "QEMUEXTRA=-snapshot"])
    assert re.search(r"^qemu-system-riscv64 .* -snapshot$", r.stdout, re.M), \
        "QEMUEXTRA did not reach make qemu's QEMU:\n" + r.stdout


def test_kernel_sym_has_sys_sleep_and_sys_pause_as_functions():
    table = symbols()
    for name in ("sys_sleep", "sys_pause"):
        assert name in table, "kernel/kernel.sym has no %s" % name
    nm = None
    for prefix in ("riscv64-unknown-elf-", "riscv64-linux-gnu-", "riscv64-elf-"):
        nm = shutil.which(prefix + "nm") or nm
    out = subprocess.run([nm, KERNEL], stdout=subprocess.PIPE, text=True).stdout
    for name in ("sys_sleep", "sys_pause"):
        assert re.search(r"^[0-9a-f]+ [Tt] %s$" % name, out, re.M), \
            "%s is not a function in kernel/kernel" % name


# ---- a gradelib-style session ----------------------------------------------

class GdbStub:
    """A small client of QEMU's gdb stub (the remote serial protocol):
    hardware breakpoints, continue, stop replies, the pc."""

    def __init__(self, port, timeout):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.sock.settimeout(None)
        self.buf = b""

    def send(self, payload):
        data = payload.encode()
        self.sock.sendall(b"$%s#%02x" % (data, sum(data) % 256))

    def packet(self):
        """One complete packet from buf, or None (acks are dropped)."""
        m = re.search(rb"\$([^#]*)#[0-9a-fA-F]{2}", self.buf)
        if not m:
            return None
        self.buf = self.buf[m.end():]
        self.sock.sendall(b"+")
        return m.group(1).decode()

    def feed(self):
        data = self.sock.recv(4096)
        if not data:
            raise AssertionError("QEMU closed the gdb connection")
        self.buf += data

    def request(self, payload, timeout=20):
        self.send(payload)
        deadline = time.time() + timeout
        while True:
            p = self.packet()
            if p is not None:
                return p
            left = deadline - time.time()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                raise AssertionError("no reply from the gdb stub to %r" % payload)
            self.feed()

    def pc(self):
        """The pc of the hart that stopped: register 32 of the 'g' reply
        (x0..x31 come first, 8 bytes each, little-endian)."""
        reply = self.request("g")
        return int.from_bytes(bytes.fromhex(reply[32 * 16:33 * 16]), "little")


class Session:
    """`make qemu-gdb` run as gradelib runs it, with our GdbStub."""

    def __init__(self, port):
        self.port = port
        self.proc = subprocess.Popen(
            MAKE + ["qemu-gdb", "GDBPORT=%d" % port, "QEMUEXTRA+=-snapshot"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True)
        self.out = b""
        self.typed = []

    def read_console(self, timeout):
        if select.select([self.proc.stdout], [], [], timeout)[0]:
            data = os.read(self.proc.stdout.fileno(), 4096)
            if not data:
                raise AssertionError("make qemu-gdb ended; output:\n" + self.text())
            self.out += data

    def text(self):
        return self.out.decode("utf-8", "replace")[-4000:]

    def first_line(self, timeout=300):
        deadline = time.time() + timeout
        while b"\n" not in self.out:
            assert time.time() < deadline, "make qemu-gdb printed no line:\n" + self.text()
            self.read_console(deadline - time.time())

    def run_until_stop(self, gdb, command, timeout=180):
        """Continue; type command at the first prompt not yet used (as
        gradelib's shell_script does); return the stop reply."""
        gdb.send("c")
        deadline = time.time() + timeout
        while True:
            p = gdb.packet()
            if p is not None:
                assert p[:1] in ("T", "S"), "unexpected reply %r to continue" % p
                return p
            if command and b"$ " in self.out and command not in self.typed:
                self.proc.stdin.write(command.encode() + b"\n")
                self.proc.stdin.flush()
                self.typed.append(command)
            left = deadline - time.time()
            assert left > 0, "no breakpoint was reached; console:\n" + self.text()
            ready = select.select([gdb.sock, self.proc.stdout], [], [], left)[0]
            if gdb.sock in ready:
                gdb.feed()
            if self.proc.stdout in ready:
                self.read_console(0)

    def wait_console(self, what, timeout=180):
        deadline = time.time() + timeout
        while what not in self.out:
            assert time.time() < deadline, "%r never appeared:\n%s" % (what, self.text())
            self.read_console(deadline - time.time())

    def stop(self):
        """What gradelib does at the end of a test: terminate make."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
            return True
        except subprocess.TimeoutExpired:
            return False

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_gradelib_style_session_breaks_on_sys_pause_and_sys_sleep():
    """make qemu-gdb as gradelib drives it: connect when the first line
    appears, break at addresses from kernel/kernel.sym, continue, type a
    command at the prompt.  A sleep call stops at a breakpoint on
    sys_pause (2025 graders) and on sys_sleep (2022-24 graders): the two
    are one function under two names, so a backtrace taken inside the
    call has no extra frame.  Terminating make stops QEMU (the port is
    free again), and with QEMUEXTRA+=-snapshot fs.img is unchanged."""
    table = symbols()
    assert table["sys_pause"] == table["sys_sleep"], \
        "sys_pause (%#x) and sys_sleep (%#x) should be one function" % (
            table["sys_pause"], table["sys_sleep"])
    port = free_port()
    s = Session(port)
    gdb = None
    try:
        s.first_line()
        image_before = digest(FS_IMG)   # after make's (re)building, if any
        gdb = GdbStub(port, timeout=10)
        assert gdb.request("Z1,%x,1" % table["sys_pause"]) == "OK", \
            "QEMU refused a breakpoint at sys_pause"
        # usertests' watchdog process calls sleep() first thing.
        s.run_until_stop(gdb, "usertests sleep-uptime")
        pc = gdb.pc()
        assert pc == table["sys_pause"] == table["sys_sleep"], \
            "the stop is at %#x, not sys_pause/sys_sleep (%#x)" % (pc, table["sys_pause"])
        assert gdb.request("z1,%x,1" % table["sys_pause"]) == "OK"
        gdb.send("c")
        s.wait_console(b"ALL TESTS PASSED")
        assert b"test sleep-uptime: OK" in s.out, "usertests failed:\n" + s.text()
        assert s.stop(), "make qemu-gdb did not end when terminated"
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        if gdb:
            gdb.sock.close()
        s.kill()
    assert digest(FS_IMG) == image_before, \
        "fs.img changed: QEMUEXTRA+=-snapshot did not reach QEMU"


# ---- labs: conf/lab.mk, flags, param.h --------------------------------------

PARAM_PROBE = r'''
#include <stdio.h>
#include "kernel/param.h"
int main(void) {
  printf("%d %d %d\n", NPROC, FSSIZE, USERSTACK);
  return 0;
}
'''


@pytest.mark.parametrize("lab, want", [
    (None, (64, 2000, 1)),
    ("UTIL", (64, 2000, 2)),
    ("FS", (10, 200000, 1)),
    ("LOCK", (64, 10000, 1)),
    ("SYSCALL", (64, 2000, 1)),
])
def test_param_h_lab_settings(tmp_path, lab, want):
    """NPROC, FSSIZE and USERSTACK as MIT's lab trees set them."""
    src = tmp_path / "probe.c"
    src.write_text(PARAM_PROBE)
    exe = str(tmp_path / "probe")
    flags = ["-DLAB_%s" % lab, "-DSOL_%s" % lab] if lab else []
    subprocess.run(["gcc", "-I", ROOT] + flags + ["-o", exe, str(src)], check=True)
    got = tuple(int(x) for x in subprocess.run([exe], stdout=subprocess.PIPE,
                                               text=True).stdout.split())
    assert got == want, "with LAB_%s, (NPROC, FSSIZE, USERSTACK) is %r, not %r" % (lab, got, want)


def test_fs_lab_image_builds_and_the_kernel_uses_it(tmp_path):
    """mkfs compiled for the fs lab (FSSIZE 200000) makes a 200000-block
    image that fsck accepts; the kernel boots from it and writes to it."""
    mkfs = str(tmp_path / "mkfs")
    subprocess.run(["gcc", "-std=gnu11", "-Wall", "-Werror", "-O2", "-I", ROOT,
                    "-DLAB_FS", "-DSOL_FS", "-o", mkfs,
                    os.path.join(ROOT, "mkfs", "mkfs.c")], check=True)
    image = str(tmp_path / "fs.img")
    progs = [os.path.join(ROOT, "user", "fs", "_" + p)
             for p in ("init", "sh", "cat", "echo", "ls", "halt")]
    r = subprocess.run([mkfs, image, os.path.join(ROOT, "user", "README")] + progs,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, "mkfs for the fs lab failed:\n" + r.stdout
    assert os.path.getsize(image) == 200000 * 1024, "the image is not 200000 blocks"
    assert Image(image).superblock()["size"] == 200000, "the superblock size is not 200000"
    code, out = run_fsck(image)
    assert code == 0, "fsck rejects the fs lab's image:\n" + out
    m = Machine(image)
    try:
        m.boot()
        m.run("echo big disk > f")
        assert m.run("cat f") == "big disk", "a file on the big image does not read back"
        m.halt()
    finally:
        m.kill()
    code, out = run_fsck(image)
    assert code == 0, "fsck finds the big image damaged after use:\n" + out


LAB_PROBE = r'''
#include "kernel/types.h"
#include "kernel/param.h"
#include "user/user.h"

// Which lab flags this program was built with, and whether the stack
// has the pages the lab gives it (a 6000-byte local needs two).
int
main(int argc, char *argv[])
{
#if defined(LAB_UTIL) && defined(SOL_UTIL)
  volatile char big[6000];
  for(int i = 0; i < sizeof(big); i += 512)
    big[i] = i / 512;
  printf("labprobe: util USERSTACK=%d stack ok %d\n", USERSTACK, big[512]);
#else
  printf("labprobe: no lab USERSTACK=%d\n", USERSTACK);
#endif
}
'''


@pytest.mark.slow
def test_conf_lab_mk_flags_reach_kernel_user_and_mkfs(tmp_path):
    """With conf/lab.mk saying LAB=util, everything is rebuilt (the flags
    changed) with -DLAB_UTIL -DSOL_UTIL: kernel, user programs, mkfs; a
    user program sees the flags, and the kernel gives it 2 stack pages."""
    tree = copy_tree(str(tmp_path / "tree"))
    os.makedirs(os.path.join(tree, "conf"), exist_ok=True)
    with open(os.path.join(tree, "conf", "lab.mk"), "w") as f:
        f.write("LAB=util\n")
    with open(os.path.join(tree, "user", "labprobe.c"), "w") as f:
        f.write(LAB_PROBE)
    r = subprocess.run(["make", "--no-print-directory"], cwd=tree, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=1800)
    assert r.returncode == 0, "the util lab build failed:\n" + r.stdout[-4000:]
    compiles = [l for l in r.stdout.split("\n")
                if re.search(r"gcc .* -o \S+ (kernel|user|mkfs)/\w+\.[cS]$", l)]
    for part in ("kernel/main.c", "kernel/vm.c", "user/ulib.c", "user/sh.c", "mkfs/mkfs.c"):
        hit = [l for l in compiles if l.endswith(" " + part)]
        assert hit, "%s was not rebuilt after conf/lab.mk appeared" % part
        assert "-DLAB_UTIL -DSOL_UTIL" in hit[0], "%s was compiled without the lab flags: %s" % (
            part, hit[0])
    m = Machine(os.path.join(tree, "fs.img"), kernel=os.path.join(tree, "kernel", "kernel"))
    try:
        m.boot()
        out = m.run("labprobe")
        assert out == "labprobe: util USERSTACK=2 stack ok 1", \
            "the probe in the util lab tree printed %r" % out
    finally:
        m.kill()


# ---- programs and data files dropped into user/ ----------------------------

FALLOFF = r'''
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  printf("falloff ran\n");
}
'''

UPROGS_LINES = "UPROGS=\\\n\t$U/_echo\\\n\t$U/_falloff\\\n"
LONGLINE = b"a" * 3000   # one line, no newline: longer than grep's buffer


@pytest.fixture(scope="module")
def dropped(tmp_path_factory):
    """A copy of the built tree with, as a lab or a student would add
    them: data files user/labdata.txt, user/labscript.sh, user/long.txt;
    a program whose main falls off its end; the probe; and UPROGS lines
    for echo (which exists anyway) and falloff in the Makefile."""
    tree = copy_tree(str(tmp_path_factory.mktemp("dropped") / "tree"))
    user = os.path.join(tree, "user")
    files = {"labdata.txt": b"data for a lab\n", "labscript.sh": b"echo from a script\n",
             "long.txt": LONGLINE, "falloff.c": FALLOFF.encode(),
             "labprobe.c": LAB_PROBE.encode()}
    for name, data in files.items():
        with open(os.path.join(user, name), "wb") as f:
            f.write(data)
    mk = os.path.join(tree, "Makefile")
    with open(mk) as f:
        text = f.read()
    assert text.count("UPROGS=\\\n") == 1, "the Makefile has no `UPROGS=\\` list to add to"
    with open(mk, "w") as f:
        f.write(text.replace("UPROGS=\\\n", UPROGS_LINES))
    r = make(["fs.img"], cwd=tree)
    assert r.returncode == 0, "make fs.img with the dropped files failed:\n" + r.stdout
    return tree


def test_data_files_and_uprogs_land_in_fs_img(dropped):
    image = os.path.join(dropped, "fs.img")
    names = root_names(image)
    for name in ("labdata.txt", "labscript.sh", "long.txt", "falloff", "labprobe", "README"):
        assert name in names, "%s is not in fs.img (root holds %r)" % (name, names)
    assert names.count("echo") == 1, "echo, named in UPROGS too, is in fs.img %d times" % \
        names.count("echo")
    assert "usys.sh" not in names, "the stub generator usys.sh landed in fs.img"
    assert read_root_file(image, "labdata.txt") == b"data for a lab\n"
    assert read_root_file(image, "long.txt") == LONGLINE


def test_main_falling_off_its_end_builds_and_runs(dropped):
    assert os.path.exists(os.path.join(dropped, "user", "_falloff")), \
        "user/falloff.c (main falls off its end) did not build with -Werror"
    m = Machine(os.path.join(dropped, "fs.img"), kernel=os.path.join(dropped, "kernel", "kernel"))
    try:
        m.boot()
        out = m.run("falloff")
        assert out == "falloff ran", "falloff printed %r" % out
        out = m.run("labprobe")
        assert out == "labprobe: no lab USERSTACK=1", "without a lab the probe printed %r" % out
        assert m.run("cat labscript.sh") == "echo from a script"
    finally:
        m.kill()


def test_grep_reads_at_most_1023_bytes(dropped):
    """grep's buffer holds 1023 bytes of input: a 3000-byte line comes
    out in pieces of 1023, 1023 and 954 bytes (each piece matches)."""
    m = Machine(os.path.join(dropped, "fs.img"), kernel=os.path.join(dropped, "kernel", "kernel"))
    try:
        m.boot()
        out = m.run("grep a long.txt")
    finally:
        m.kill()
    pieces = [len(l) for l in out.split("\n")]
    assert pieces == [1023, 1023, 954], \
        "grep printed a 3000-byte line in pieces of %r bytes, not 1023, 1023, 954" % pieces


def test_grep_source_reads_1023():
    """The same, in the source: the buffer is 1024 bytes, one kept for
    the NUL."""
    with open(os.path.join(ROOT, "user", "grep.c")) as f:
        src = f.read()
    assert re.search(r"static char buf\[1024\];", src), "grep's buffer is not 1024 bytes"


# ---- the shell, README, install-deps ----------------------------------------

def test_shell_prints_exec_failed(machine):
    out = machine.run("nosuchprogram arg")
    assert out.strip() == "exec nosuchprogram failed", \
        "the shell printed %r for a program that does not exist" % out


def test_image_readme_is_plain_text_over_2k_without_prompts():
    """fs.img's README is user/README: plain text (ASCII, no Markdown),
    more than 2 KiB (so grep reads it in three pieces), and no "$ "
    anywhere, which MIT's shell_script would take for a prompt."""
    with open(os.path.join(ROOT, "user", "README"), "rb") as f:
        text = f.read()
    assert read_root_file(FS_IMG, "README") == text, "fs.img's README is not user/README"
    assert len(text) > 2048, "README is only %d bytes" % len(text)
    assert all(b == 10 or 32 <= b < 127 for b in text), "README is not plain ASCII text"
    assert b"$ " not in text, "README holds '$ ', which graders take for a prompt"
    for line in text.decode().split("\n"):
        assert not line.startswith(("#", "```", "|", "$ ")), \
            "README line %r looks like Markdown or a prompt" % line


def tool_dir(tmp_path, tools):
    """A directory of links to the given host tools, to use as PATH."""
    d = tmp_path / "bin"
    d.mkdir()
    for t in tools:
        path = shutil.which(t)
        assert path, "%s is not installed" % t
        os.symlink(path, d / t)
    return str(d)


def test_install_deps_boot_needs_no_test_tools(tmp_path):
    """With the cross compiler, gcc and QEMU on PATH but no gdb-multiarch,
    the build's dependency check passes quietly (it installs nothing),
    so a student without root can boot; the test tools are checked only
    with --test."""
    cross = [p + "gcc" for p in ("riscv64-unknown-elf-", "riscv64-linux-gnu-", "riscv64-elf-")
             if shutil.which(p + "gcc")][:1]
    path = tool_dir(tmp_path, cross + ["gcc", "qemu-system-riscv64", "sed", "head", "id"])
    env = dict(os.environ, PATH=path)
    env.pop("TOOLPREFIX", None)
    script = os.path.join(ROOT, "scripts", "install-deps.sh")
    r = subprocess.run(["/bin/sh", script], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0 and r.stdout == "", \
        "install-deps.sh without gdb-multiarch: exit %d, %r" % (r.returncode, r.stdout)
    r = subprocess.run(["/bin/sh", script, "--bogus"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 2 and "usage" in r.stdout
    # Which targets ask for which: only the test targets pass --test.
    for target, flag in (("qemu", False), ("qemu-gdb", False), ("ktest", False),
                         ("test", True), ("quick", True), ("bench", True)):
        out = make(["-n", target]).stdout
        lines = [l for l in out.split("\n") if "install-deps.sh" in l]
        assert lines, "make %s does not check its dependencies" % target
        assert ("--test" in lines[0]) == flag, \
            "make %s runs %r" % (target, lines[0])
