"""A user program written for xv6 builds and runs here unmodified.

Two small programs, one in the style of the 2022 xv6 user API (sbrk,
sleep, exit) and one in the 2025 style (sbrklazy, pause, SBRK_ERROR,
returning from main, kernel headers for page sizes), are dropped into
user/ of a copy of the built tree; `make fs.img` must pick them up with
no Makefile edit and -Werror, and both must run in QEMU.
"""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, Machine

STYLE_2022 = r'''
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  char *old = sbrk(0);
  char *p = sbrk(8192);
  if(p != old){
    printf("style2022: sbrk returned %p, break was %p\n", p, old);
    exit(1);
  }
  p[0] = 'a';
  p[8191] = 'b';
  sleep(1);
  if(sbrk(-8192) != old + 8192){
    printf("style2022: shrinking returned the wrong break\n");
    exit(1);
  }
  int fds[2];
  if(pipe(fds) < 0){
    printf("style2022: pipe failed\n");
    exit(1);
  }
  if(fork() == 0){
    write(fds[1], "x", 1);
    exit(0);
  }
  char c;
  read(fds[0], &c, 1);
  wait(0);
  printf("style2022: ok %c\n", c);
  exit(0);
}
'''

STYLE_2025 = r'''
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  char *p = sbrklazy(64 * PGSIZE);
  if(p == SBRK_ERROR){
    printf("style2025: sbrklazy failed\n");
    return 1;
  }
  p[40 * PGSIZE] = 7;
  if(sys_sbrk(PGSIZE, SBRK_EAGER) == SBRK_ERROR){
    printf("style2025: sys_sbrk failed\n");
    return 1;
  }
  pause(1);
  uint64 sp = r_sp();
  if(sp >= TRAPFRAME || (uint64)p + 64 * PGSIZE > MAXVA){
    printf("style2025: addresses make no sense\n");
    return 1;
  }
  int fd = open("style2025.out", O_CREATE | O_RDWR);
  if(fd < 0 || write(fd, "hi", 2) != 2){
    printf("style2025: file write failed\n");
    return 1;
  }
  close(fd);
  unlink("style2025.out");
  printf("style2025: ok %d\n", p[40 * PGSIZE]);
  return 0;
}
'''


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the built tree with the two programs added and fs.img
    remade there."""
    dst = str(tmp_path_factory.mktemp("xv6progs") / "tree")
    shutil.copytree(ROOT, dst, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "__pycache__"))
    for name, text in (("style2022", STYLE_2022), ("style2025", STYLE_2025)):
        with open(os.path.join(dst, "user", name + ".c"), "w") as f:
            f.write(text)
    r = subprocess.run(["make", "-s", "fs.img"], cwd=dst, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, "the xv6-style programs did not build:\n" + r.stdout
    return dst


@pytest.mark.parametrize("name", ["style2022", "style2025"])
def test_xv6_style_program_builds_and_runs(tree, name):
    assert os.path.exists(os.path.join(tree, "user", "_" + name)), \
        "user/%s.c did not become user/_%s" % (name, name)
    m = Machine(os.path.join(tree, "fs.img"), kernel=os.path.join(tree, "kernel", "kernel"))
    try:
        m.boot()
        out = m.run(name, timeout=30)
        assert out.strip().startswith("%s: ok" % name), \
            "%s did not run correctly:\n%s" % (name, out)
    finally:
        m.kill()
