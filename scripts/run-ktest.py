#!/usr/bin/python3
"""Boot the in-kernel test kernel headless and report.

usage: run-ktest.py KERNEL [CPUS]

Prints the kernel's output as it comes, and exits with QEMU's status:
0 when every test passed.  Gives up (status 124) after a timeout, so a
hung kernel never hangs the caller.
"""
import subprocess
import sys

TIMEOUT = 300


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: run-ktest.py KERNEL [CPUS]")
    kernel = sys.argv[1]
    cpus = sys.argv[2] if len(sys.argv) > 2 else "3"
    cmd = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none",
           "-kernel", kernel, "-m", "128M", "-smp", cpus, "-nographic",
           "-global", "virtio-mmio.force-legacy=false",
           "-drive", "file=fs.img,if=none,format=raw,id=x0,snapshot=on",
           "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0"]
    try:
        r = subprocess.run(cmd, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print("run-ktest: no result after %d s; the kernel hung" % TIMEOUT)
        sys.exit(124)
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
