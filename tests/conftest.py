"""Shared helpers for the host-side tests.

The `Machine` class boots the kernel in QEMU (headless, through pexpect)
on a private copy of a disk image, so tests never change the tree's
fs.img and can run in any order.

    def test_echo(machine):
        out = machine.run("echo hi")
        assert out == "hi"
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile

import pexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "kernel", "kernel")
KERNEL_KTEST = os.path.join(ROOT, "kernel", "kernel-ktest")
FS_IMG = os.path.join(ROOT, "fs.img")
MKFS = os.path.join(ROOT, "mkfs", "mkfs")
FSCK = os.path.join(ROOT, "mkfs", "fsck")
PROMPT = "$ "
CPUS = int(os.environ.get("CPUS", "3"))
LATE_HART_SECONDS = 10   # how long boot() waits for a hart's line after the prompt


def qemu_command(kernel, image, cpus=CPUS, extra=()):
    cmd = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none",
           "-kernel", kernel, "-m", "128M", "-smp", str(cpus), "-nographic",
           "-global", "virtio-mmio.force-legacy=false"]
    if image is not None:
        cmd += ["-drive", "file=%s,if=none,format=raw,id=x0" % image,
                "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]
    return cmd + list(extra)


class Machine:
    """One QEMU running our kernel, driven through its console."""

    def __init__(self, image, kernel=KERNEL, cpus=CPUS, extra=(), timeout=60):
        self.image = image
        self.cpus = cpus
        cmd = qemu_command(kernel, image, cpus, extra)
        self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=timeout)
        self.cpus = cpus
        self.log = []

    def boot(self, timeout=60):
        """Wait for the first shell prompt, then give any hart that has
        not yet said `hart N starting` a few seconds to say it.  Nothing
        makes the harts report before the prompt: on a loaded host a
        hart's thread may run late, and its line would land in the
        output of the first command.  (test_boot checks that every hart
        reports; here a missing line is only waited for.)"""
        seen = self.expect_prompt(timeout)
        waiting = ["hart %d starting\r\n" % h for h in range(self.cpus)
                   if "hart %d starting" % h not in seen]
        while waiting:
            # On a timeout pexpect has consumed whatever came meanwhile,
            # such as a line cut in two by the prompt.
            i = self.child.expect_exact(waiting + [pexpect.TIMEOUT], timeout=LATE_HART_SECONDS)
            self.log.append(self.child.before + (self.child.after if i < len(waiting) else ""))
            if i == len(waiting):
                break
            waiting.pop(i)
        return self

    def expect_prompt(self, timeout=60):
        self.child.expect_exact(PROMPT, timeout=timeout)
        self.log.append(self.child.before)
        return self.child.before

    def run(self, command, timeout=60, what=None):
        """Type a command line, wait for the next prompt, return what it
        printed (without the echoed command line), lines joined by \\n.

        A kernel panic, QEMU exiting or a timeout fails the calling test
        with an AssertionError that quotes the end of the console output;
        `what` (say, the test's seed) goes at the front of that message."""
        self.child.sendline(command)
        i = self.child.expect_exact([PROMPT, "panic: ", pexpect.EOF, pexpect.TIMEOUT],
                                    timeout=timeout)
        out = self.child.before.replace("\r", "")
        if i == 1:
            # Let the rest of the panic message (hart, process, backtrace)
            # arrive, to quote it.
            try:
                self.child.expect(pexpect.TIMEOUT, timeout=1)
            except pexpect.EOF:
                pass
            out += "panic: " + self.child.before.replace("\r", "")
        self.log.append(out)
        if i != 0:
            problem = ["", "kernel panic", "QEMU exited", "timeout"][i]
            raise AssertionError("%s%s while running %r:\n%s" % (
                what + ": " if what else "", problem, command, out[-4000:]))
        lines = out.split("\n")
        # The console echoes what we typed as the first line.
        if lines and lines[0].strip() == command.strip():
            lines = lines[1:]
        return "\n".join(lines).strip("\n")

    def halt(self, timeout=30):
        """Power off with the halt program and wait for QEMU to exit."""
        self.child.sendline("halt")
        self.child.expect(pexpect.EOF, timeout=timeout)
        self.child.close()
        return self.child.exitstatus

    def kill(self):
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close()

    def output(self):
        return "".join(self.log)


@pytest.fixture
def image_copy(tmp_path):
    """A private copy of fs.img; returns its path."""
    dst = tmp_path / "fs.img"
    shutil.copyfile(FS_IMG, dst)
    return str(dst)


@pytest.fixture
def machine(image_copy):
    """A booted machine at the shell prompt, on a private image copy."""
    m = Machine(image_copy).boot()
    yield m
    m.kill()


def run_fsck(image):
    """Run mkfs/fsck on an image; returns (exit code, output)."""
    r = subprocess.run([FSCK, image], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout


def usertest_verdict(lines, name):
    """What usertests said about test NAME, from its output lines:
    (verdict, between).  The runner prints `test NAME: ` before the test
    and the verdict (`OK`, `FAILED (why)`) after it, as xv6's does, so
    whatever the kernel prints meanwhile (kill messages, trace output)
    lands between the two, and the verdict starts a later line.
    verdict is None if there is no line for NAME or no verdict after it;
    between holds what came between, line by line."""
    prefix = "test %s: " % name
    for i, line in enumerate(lines):
        if not line.startswith(prefix):
            continue
        between = []
        for j, text in enumerate([line[len(prefix):]] + lines[i + 1:]):
            if text == "OK" or text.startswith("FAILED"):
                return text, between
            if j > 0 and text.startswith("test "):
                break   # the next test's line: this one has no verdict
            between.append(text)
        return None, between
    return None, []


def free_pages(m, what):
    """The free-page count that the `free` program prints on machine m."""
    out = m.run("free", 30, what)
    found = re.search(r"free pages: (\d+)", out)
    assert found, "%s: `free` printed no count: %r" % (what, out)
    return int(found.group(1))


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
