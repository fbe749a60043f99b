"""The shell and the basic user programs, driven through the console of
one booted machine.

Every test here shares a single boot (the `sh` fixture, on a private copy
of fs.img) to keep the file fast; the tests run in file order and the last
one powers the machine off with `halt`.  Each test leaves the shell in /
and uses file names of its own, so one test's leftovers do not disturb
another's."""
import time

import pytest

from conftest import Machine


@pytest.fixture(scope="module")
def sh(tmp_path_factory):
    """One machine at the shell prompt, shared by the whole module."""
    import shutil
    from conftest import FS_IMG
    image = tmp_path_factory.mktemp("shell") / "fs.img"
    shutil.copyfile(FS_IMG, image)
    m = Machine(str(image)).boot()
    yield m
    m.kill()


def lines(out):
    """Output lines with trailing blanks (and \\r) removed."""
    return [l.rstrip() for l in out.splitlines()]


def alive(sh):
    """The shell still takes commands."""
    out = sh.run("echo still-alive")
    assert lines(out) == ["still-alive"], \
        "the shell did not answer after the previous command: %r" % out


def test_wc_counts_a_pipeline(sh):
    out = sh.run("echo hello world | wc")
    assert lines(out) == ["1 2 12"], \
        "`echo hello world | wc` should print '1 2 12', got %r" % out


def test_redirect_out_then_in_round_trips(sh):
    sh.run("echo round trip > t_rt")
    out = sh.run("cat < t_rt")
    assert lines(out) == ["round trip"], \
        "`cat < file` did not read back what `echo > file` wrote: %r" % out
    # `>` truncates: a shorter write leaves no tail of the longer one.
    sh.run("echo x > t_rt")
    out = sh.run("cat t_rt")
    assert lines(out) == ["x"], "`>` did not truncate the file: %r" % out


def test_three_stage_pipeline(sh):
    out = sh.run("echo one two three | cat | wc")
    assert lines(out) == ["1 3 14"], \
        "a 3-stage pipeline gave the wrong count: %r" % out


def test_semicolon_runs_commands_in_order(sh):
    out = sh.run("echo first ; echo second ; echo third")
    assert lines(out) == ["first", "second", "third"], \
        "`;` did not run the commands in order: %r" % out


def test_background_job_output_appears(sh):
    out = sh.run("echo bg-job-output &")
    # The job may print before or after the next prompt.
    time.sleep(1)
    out += "\n" + sh.run("echo sync")
    assert "bg-job-output" in out, \
        "the output of a background job never appeared: %r" % out
    assert "sync" in lines(out), \
        "the shell did not run the command after a background job: %r" % out


def test_parentheses_group_commands(sh):
    out = sh.run("(echo a ; echo b) | wc")
    assert lines(out) == ["2 2 4"], \
        "a parenthesised list did not feed both lines to the pipe: %r" % out
    sh.run("(echo grouped) > t_group")
    out = sh.run("cat t_group")
    assert lines(out) == ["grouped"], \
        "redirecting a group's output failed: %r" % out


def test_cd_and_relative_paths(sh):
    sh.run("mkdir t_dir")
    sh.run("cd t_dir")
    sh.run("echo inside > f")
    out = sh.run("cat f")
    assert lines(out) == ["inside"], \
        "a relative path in the new directory did not work: %r" % out
    out = sh.run("ls")
    names = [l.split()[0] for l in lines(out) if l.split()]
    assert "f" in names and "." in names, \
        "ls in the new directory should list '.' and 'f': %r" % out
    sh.run("cd ..")
    out = sh.run("cat t_dir/f")
    assert lines(out) == ["inside"], \
        "after `cd ..`, t_dir/f is not reachable: %r" % out
    out = sh.run("cd no_such_dir")
    assert "cd" in out, "cd to a missing directory printed no error: %r" % out


def test_ls_shows_readme_and_cat(sh):
    out = sh.run("ls")
    entries = {}
    for l in lines(out):
        f = l.split()
        if len(f) == 4:
            entries[f[0]] = f[1:]
    assert "README" in entries and "cat" in entries, \
        "ls / should list README and cat: %r" % out
    assert entries["README"][0] == "2" and entries["."][0] == "1", \
        "ls shows the wrong types (file 2, directory 1): %r" % out
    out = sh.run("ls README")
    f = lines(out)[0].split() if lines(out) else []
    assert f and f[0] == "README" and f[1] == "2", \
        "ls of a file should show just that file: %r" % out


def test_grep_patterns(sh):
    sh.run("echo apple pie > t_fruit")
    sh.run("echo banana >> t_fruit")
    sh.run("echo cherry > t_more ; cat t_fruit t_more > t_all")
    cases = [
        ("banana", ["banana"]),
        ("^a", ["apple pie"]),
        ("e$", ["apple pie"]),
        ("b.n", ["banana"]),
        ("ch*erry", ["cherry"]),
        ("^c.*y$", ["cherry"]),
        ("a", ["apple pie", "banana"]),
    ]
    for pattern, want in cases:
        out = sh.run("grep '%s' t_all" % pattern)
        assert lines(out) == want, \
            "grep %r should print %r, got %r" % (pattern, want, out)
    out = sh.run("grep zebra t_all")
    assert lines(out) == [], "grep printed lines that do not match: %r" % out


@pytest.mark.parametrize("line,near", [
    ("echo a |", "end of line"),
    ("| echo a", "|"),
    (")", ")"),
    ("(echo a", ")"),
    ("echo a ; ; echo b", ";"),
    ("echo >", "end of line"),
    ("()", ")"),
])
def test_syntax_error_is_reported_and_shell_survives(sh, line, near):
    out = sh.run(line)
    assert "syntax error" in out and near in out, \
        "%r should give a syntax error naming %r, got %r" % (line, near, out)
    alive(sh)


def test_empty_and_blank_lines(sh):
    assert sh.run("") == "", "an empty line printed something"
    assert sh.run("    ") == "", "a blank line printed something"
    alive(sh)


def test_overlong_line_is_rejected(sh):
    # Typed in small pieces: the console holds only a short line buffer
    # and drops what arrives while it is full, so sending everything at
    # once could lose the newline.  Some characters may still be dropped,
    # hence far more than the shell's limit of 511.
    sh.child.send("echo ")
    for _ in range(40):
        sh.child.send("y" * 25)
        time.sleep(0.03)
    time.sleep(0.5)
    out = sh.run("")
    assert "too long" in out, \
        "a line of about 1000 characters was not rejected: %r" % out[-200:]
    alive(sh)


def test_missing_program_is_reported(sh):
    out = sh.run("no_such_program")
    assert "no_such_program" in out, \
        "running a missing program printed no error: %r" % out
    alive(sh)


def test_halt_powers_off_cleanly(sh):
    assert sh.halt() == 0, "halt did not end QEMU with exit status 0"
