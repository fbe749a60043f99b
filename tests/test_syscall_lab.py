"""The syscall lab's features in the full kernel (docs/labs/syscall.md):
trace and sysinfo, and pages scrubbed as they change hands, so that the
lab's attack finds nothing outside the lab's tree.  (In the lab's tree,
LAB=syscall, labs/syscall/grade.py tests them, the attack included, and
tests/test_labs.py runs it.)

One boot runs every command (the module-scoped `session` fixture); the
first command runs with pid 3, as in a grader's fresh boot.
"""
# lab syscall: solution
import os
import re
import shutil

import pexpect
import pytest

from conftest import FS_IMG, ROOT, Machine

README_SIZE = os.path.getsize(os.path.join(ROOT, "user", "README"))

COMMANDS = [
    "trace 2 usertests forkforkfork",       # first: pid 3, as MIT's test has it
    "trace 32 grep hello README",
    "trace 0 grep hello README",
    "echo '( echo a | cat )' > tracescript",
    "trace 2 sh tracescript",
    "sh tracescript",
    "trace 32768 cat nosuchfile",
    "sysinfotest",
    "sysinfotest show",
    "attacktest",
]


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """{command: output} for COMMANDS, run in order on one machine."""
    image = str(tmp_path_factory.mktemp("syscall-lab") / "fs.img")
    shutil.copyfile(FS_IMG, image)
    outputs = {}
    m = Machine(image)
    try:
        m.boot()
        for cmd in COMMANDS:
            outputs[cmd] = m.run(cmd, 300, cmd)
        m.halt()
    except (pexpect.ExceptionPexpect, AssertionError) as e:
        outputs["error"] = str(e)[-3000:]
    finally:
        m.kill()
    return outputs


def output(session, cmd):
    if cmd not in session:
        pytest.fail("%r did not run: %s" % (cmd, session.get("error", "?")))
    return session[cmd]


def lines(text):
    return [l.strip() for l in text.split("\n")]


def test_trace_reads_of_grep(session):
    out = lines(output(session, "trace 32 grep hello README"))
    reads = [re.match(r"^(\d+): syscall read -> (\d+)$", l) for l in out]
    assert all(reads) and len({r.group(1) for r in reads}) == 1, \
        "trace 32 grep hello README printed other lines than one pid's reads:\n%s" % "\n".join(out)
    sizes = [int(r.group(2)) for r in reads]
    assert sizes[-1] == 0 and all(0 < s <= 1023 for s in sizes[:-1]) \
        and sum(sizes) == README_SIZE and len(sizes) >= 4, \
        "read results %s; expected reads of at most 1023 bytes adding up to README's %d, " \
        "at least three of them, then 0" % (sizes, README_SIZE)


def test_trace_forkforkfork_as_mit_checks_it(session):
    """MIT's 2024 trace test, in our words: with usertests as pid 3, its
    first fork (the watchdog, pid 4) on a line of its own, the test's
    process (5) and the bomb (6) forking, forks failing once the table
    is full, and the verdict at the start of a line."""
    out = lines(output(session, "trace 2 usertests forkforkfork"))
    for pat in [r"^3: syscall fork -> 4$", r"^5: syscall fork -> \d+$",
                r"^6: syscall fork -> \d+$", r"^\d+: syscall fork -> -1$", r"^OK$"]:
        assert any(re.match(pat, l) for l in out), \
            "no line matches %r in:\n%s" % (pat, "\n".join(out[:40]))


def test_trace_follows_children(session):
    out = lines(output(session, "trace 2 sh tracescript"))
    forks = [re.match(r"^(\d+): syscall fork -> (\d+)$", l) for l in out]
    forks = [(int(f.group(1)), int(f.group(2))) for f in forks if f]
    assert len(forks) == 3 and "a" in out, \
        "trace 2 sh tracescript (`( echo a | cat )`) printed:\n%s\nexpected 3 forks and a" \
        % "\n".join(out)
    parents = [p for p, _ in forks]
    shell = [f for f in forks if parents.count(f[0]) == 1]
    assert len(shell) == 1 and parents.count(shell[0][1]) == 2, \
        "forks %s: expected the shell to fork the subshell, and the subshell (traced by " \
        "inheritance) to fork twice" % forks


def test_no_mask_no_reports(session):
    for cmd in ["trace 0 grep hello README", "sh tracescript"]:
        out = output(session, cmd)
        assert "syscall" not in out, "%r reported calls:\n%s" % (cmd, out)


def test_trace_reports_failure_as_minus_one(session):
    out = lines(output(session, "trace 32768 cat nosuchfile"))
    assert re.match(r"^\d+: syscall open -> -1$", out[0] if out else ""), \
        "trace 32768 cat nosuchfile printed:\n%s\nexpected first `PID: syscall open -> -1`" \
        % "\n".join(out)


def test_sysinfotest_passes(session):
    out = lines(output(session, "sysinfotest"))
    for part in ["bad pointers", "free memory", "processes"]:
        assert "sysinfotest: %s OK" % part in out, "sysinfotest printed:\n%s" % "\n".join(out)
    assert out[-1] == "sysinfotest: OK", "sysinfotest printed:\n%s" % "\n".join(out)


def test_sysinfo_counts_processes_at_the_shell(session):
    out = output(session, "sysinfotest show")
    assert re.match(r"^freemem \d+ nproc 3$", out.strip()), \
        "sysinfotest show printed %r; expected nproc 3 (init, sh, sysinfotest)" % out


def test_pages_are_scrubbed_so_the_attack_fails(session):
    """Outside the lab's tree kfree and kalloc fill pages with junk and
    user pages are zeroed: the dead process's secret is gone."""
    out = output(session, "attacktest")
    assert "attacktest: FAIL: attack wrote \"\"" in out, \
        "attacktest in the normal kernel printed:\n%s\nexpected attack to find nothing" % out


def test_every_call_has_a_name():
    """trace prints names from callnames[]; a call added to syscalls[]
    without a name there would be reported as `?`."""
    with open(os.path.join(ROOT, "kernel", "syscall.c")) as f:
        text = f.read()

    def keys(table):
        start = text.index(table)
        body = text[start:text.index("};", start)]
        return set(re.findall(r"\[(SYS_\w+)\]", body))

    handlers, names = keys("(*syscalls[])(void) = {"), keys("*callnames[] = {")
    assert handlers == names, \
        "calls without a name: %s; names without a call: %s" \
        % (sorted(handlers - names), sorted(names - handlers))
