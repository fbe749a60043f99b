"""Locking and scheduling hold up with few and many harts: the quick
usertests pass with 1 hart and with 8 harts on a 2-core host."""
import pytest

from conftest import Machine


@pytest.mark.parametrize("cpus", [1, 8])
def test_quick_usertests_pass(image_copy, cpus):
    m = Machine(image_copy, cpus=cpus)
    try:
        m.boot(timeout=60)
        out = m.run("usertests -q", timeout=600)
        assert "panic" not in out, "kernel panic with CPUS=%d:\n%s" % (cpus, out[-3000:])
        last = out.strip().splitlines()[-1] if out.strip() else ""
        assert last == "ALL TESTS PASSED", \
            "usertests -q with CPUS=%d ended with %r:\n%s" % (cpus, last, out[-3000:])
    finally:
        m.kill()
