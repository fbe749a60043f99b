"""The buffer cache when it runs dry (issue 10, fault 1).

`usertests cache-storm` has 44 processes read 6 blocks each of files of
their own that nobody has cached, all released at the same moment, while
two others write (so the log pins blocks): more buffers are wanted at
once than the cache has.  The kernel used to panic ("bget: every buffer
is in use"); it must make the readers wait their turn instead, without
deadlocking, and each reader must read its own file's bytes.

Run with one hart and with three, three storms per boot; afterwards the
free-page count must be what it was before, and the file system clean.
"""

import pytest

from conftest import Machine, free_pages, run_fsck

STORMS = 3


@pytest.mark.slow
@pytest.mark.parametrize("cpus", [1, 3])
def test_readers_storming_the_cache_wait_instead_of_panicking(image_copy, cpus):
    m = Machine(image_copy, cpus=cpus, timeout=300)
    try:
        m.boot()
        before = free_pages(m, "CPUS=%d, before" % cpus)
        for storm in range(1, STORMS + 1):
            what = "CPUS=%d, storm %d of %d" % (cpus, storm, STORMS)
            out = m.run("usertests cache-storm", 300, what)
            assert "test cache-storm: OK" in out, "%s failed:\n%s" % (what, out[-2000:])
        after = free_pages(m, "CPUS=%d, after" % cpus)
        assert after == before, "CPUS=%d: %d free pages before the storms, %d after" % (
            cpus, before, after)
        assert m.halt() == 0, "CPUS=%d: QEMU did not exit 0 on halt" % cpus
    finally:
        m.kill()
    code, out = run_fsck(image_copy)
    assert code == 0, "CPUS=%d: the file system is not clean after the storms:\n%s" % (cpus, out)
