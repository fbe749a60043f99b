#!/bin/sh
# Make sure what the build needs is installed, and with --test what the
# tests need as well; install what is missing from Debian's packages
# (apt-get as root, or through sudo), or say exactly what to run.  Quiet
# when everything is there.
#
#   sh scripts/install-deps.sh          building and booting (make qemu,
#                                       make qemu-gdb, make ktest)
#   sh scripts/install-deps.sh --test   and testing (make test, quick, bench)
#
# Building and booting need a RISC-V cross gcc, the host's gcc (for mkfs),
# python3 (as /usr/bin/python3; the kernel's symbol table is made with it)
# and QEMU (qemu-system-riscv64) 7.1 or newer.  The tests also need
# gdb-multiarch, and pytest and pexpect for /usr/bin/python3.

QEMU_MIN_MAJOR=7
QEMU_MIN_MINOR=1

case "$1" in
  "") tests="" ;;
  --test) tests=1 ;;
  *) echo "usage: sh scripts/install-deps.sh [--test]" >&2; exit 2 ;;
esac

missing=""
have_cross=""
for p in riscv64-unknown-elf- riscv64-linux-gnu- riscv64-elf-; do
  command -v "${p}gcc" >/dev/null 2>&1 && have_cross=1
done
[ -n "$TOOLPREFIX" ] && command -v "${TOOLPREFIX}gcc" >/dev/null 2>&1 && have_cross=1
[ -n "$have_cross" ] || missing="$missing gcc-riscv64-unknown-elf"
command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
command -v qemu-system-riscv64 >/dev/null 2>&1 || missing="$missing qemu-system-misc"
[ -x /usr/bin/python3 ] || missing="$missing python3"
if [ -n "$tests" ]; then
  command -v gdb-multiarch >/dev/null 2>&1 || missing="$missing gdb-multiarch"
  /usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 || missing="$missing python3-pytest"
  /usr/bin/python3 -c 'import pexpect' >/dev/null 2>&1 || missing="$missing python3-pexpect"
fi

if [ -n "$missing" ]; then
  echo "install-deps: installing:$missing"
  if [ "$(id -u)" = 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "install-deps: missing packages; run: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq$missing; } >/tmp/install-deps.$$.log 2>&1; then
    tail -20 /tmp/install-deps.$$.log >&2
    echo "install-deps: apt-get failed; run: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
  fi
  rm -f /tmp/install-deps.$$.log
fi

# QEMU must be new enough for Sstc (the supervisor timer) and the modern
# virtio-mmio interface.
ver=$(qemu-system-riscv64 --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p' | head -1)
set -- $ver
if [ -z "$1" ]; then
  echo "install-deps: cannot tell the version of qemu-system-riscv64" >&2
  exit 1
fi
if [ "$1" -lt $QEMU_MIN_MAJOR ] || { [ "$1" -eq $QEMU_MIN_MAJOR ] && [ "$2" -lt $QEMU_MIN_MINOR ]; }; then
  echo "install-deps: qemu-system-riscv64 is version $1.$2; this kernel needs $QEMU_MIN_MAJOR.$QEMU_MIN_MINOR or newer (Debian 12's 7.2 works)" >&2
  exit 1
fi
exit 0
