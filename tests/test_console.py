"""The console under fast input (issue 10, fault 4).

A reader (wc) takes typed input while the host types far faster than it
reads: thousands of bytes in flight against the console's 128-byte line
buffer, lines much longer than that buffer among short ones.  The
console then keeps turning the UART's reception off (buffer full) and on
(a read made room).  Every byte must reach wc -- its counts must be those
of the text typed -- and input must never stop for good: a stall shows
up as the echo no longer advancing.

The kernel once stalled here for good in two ways: a read that emptied
the buffer in the middle of a long line slept with reception still off
(it was turned on again only when the read returned), and, with several
harts, a stale "buffer full" from the interrupt handler could switch
reception off after a reader had switched it on.  The first failed this
test every time; the second is a narrow race that the many on/off
switches here give a chance to show, and that the in-kernel test
console_reception_follows_the_buffer checks as an invariant.
"""
import random
import re
import time

import pexpect
import pytest

from conftest import Machine

TOTAL_BYTES = 12000      # typed per run
AHEAD = 2048             # bytes typed beyond what the echo has shown
STALL_SECONDS = 30       # no echo progress for this long: input stopped


def typed_text(seed):
    """Lines of lower-case words, some far longer than the line buffer."""
    rng = random.Random(seed)
    out = []
    total = 0
    while total < TOTAL_BYTES:
        length = rng.randrange(300, 1500) if rng.randrange(4) == 0 else rng.randrange(0, 100)
        words = []
        size = 0
        while size < length:
            w = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(1, 12)))
            words.append(w)
            size += len(w) + 1
        line = " ".join(words)[:length].rstrip() + "\n"
        out.append(line)
        total += len(line)
    return "".join(out)


def wc_counts(text):
    lines = text.count("\n")
    words = len(text.split())
    return lines, words, len(text)


def letters(s):
    return sum(1 for ch in s if "a" <= ch <= "z")


@pytest.mark.parametrize("cpus", [1, 3])
def test_fast_typing_reaches_the_reader_intact(image_copy, cpus):
    seed = random.SystemRandom().randrange(10**6)
    text = typed_text(seed)
    want = wc_counts(text)
    what = "CPUS=%d, text seed %d" % (cpus, seed)
    m = Machine(image_copy, cpus=cpus)
    try:
        m.boot()
        m.child.sendline("wc")
        time.sleep(0.5)
        echoed = ""          # console output since wc started
        sent = 0
        sent_letters = 0
        last_progress = time.time()
        last_seen = 0
        while sent < len(text):
            if sent_letters - letters(echoed) < AHEAD:
                chunk = text[sent:sent + 256]
                m.child.send(chunk)
                sent += len(chunk)
                sent_letters += letters(chunk)
            try:
                echoed += m.child.read_nonblocking(65536, timeout=0.05)
            except pexpect.TIMEOUT:
                pass
            seen = letters(echoed)
            if seen != last_seen:
                last_seen = seen
                last_progress = time.time()
            assert time.time() - last_progress < STALL_SECONDS, (
                "%s: console input stopped: %d of %d typed letters echoed after %d s "
                "without progress" % (what, seen, sent_letters, STALL_SECONDS))
        m.child.sendcontrol("d")
        pattern = re.compile(r"(\d+) (\d+) (\d+) ?\r?\n")
        deadline = time.time() + STALL_SECONDS
        found = None
        while found is None:
            found = pattern.search(echoed)
            if found:
                break
            assert time.time() < deadline, (
                "%s: wc printed no counts: %d of %d typed letters echoed; input stopped" %
                (what, letters(echoed), sent_letters))
            try:
                echoed += m.child.read_nonblocking(65536, timeout=0.5)
            except pexpect.TIMEOUT:
                pass
        got = tuple(int(x) for x in found.groups())
        assert got == want, (
            "%s: wc counted (lines, words, bytes) %r, the text typed has %r: "
            "bytes were lost or added" % (what, got, want))
        if "$ " not in echoed[found.end():]:
            m.expect_prompt(60)
        assert m.run("echo alive", 60, what) == "alive", \
            "%s: the shell does not answer after the typing" % what
    finally:
        m.kill()


def test_concurrent_writes_reach_the_console_whole(machine):
    """Each write() to the console comes out in one piece, even when
    processes on several harts write at once.  (The shell's `$ ` prompt
    once came out split around a background job's output.)  Five
    background echoes of 90-character words: each word is one write and
    must appear unbroken."""
    words = [ch * 90 for ch in "ABCDE"]   # one command line: under 512 bytes
    # run() leaves out the echo of the typed command line, which holds
    # the words too.  The jobs' output comes before or after the prompt.
    out = machine.run(" ".join("echo %s &" % w for w in words), 60, "concurrent echoes")
    time.sleep(2)
    out += "\n" + machine.run("echo sync", 60, "after concurrent echoes")
    for w in words:
        assert w in out, (
            "the word of 90 %r written by one write() did not come out whole; "
            "the console showed:\n%s" % (w[0], out[-3000:]))
