"""Booting: every hart starts, with any number of harts from 1 to 8."""
import pytest

from conftest import Machine


@pytest.mark.parametrize("cpus", [1, 3, 8])
def test_every_hart_starts_and_the_shell_prompts(image_copy, cpus):
    m = Machine(image_copy, cpus=cpus)
    try:
        m.boot(timeout=60)
        log = m.output()
        for hart in range(cpus):
            assert "hart %d starting" % hart in log, \
                "hart %d did not report with CPUS=%d:\n%s" % (hart, cpus, log)
        assert "hart %d starting" % cpus not in log, "a hart too many started"
        assert m.run("echo up") == "up", "the shell does not run commands"
    finally:
        m.kill()


def test_halt_powers_off_with_status_zero(machine):
    assert machine.halt() == 0, "QEMU did not exit 0 after halt"
