"""Tests of the cow lab (docs/labs/cow.md): copy-on-write fork.  Run them
with `make grade` (LAB=cow).

Most tests run one of usertests' fork tests, which any correct kernel
passes, copying or sharing; `cowcheck` is the one that tells the two
apart: after a copy-on-write fork, a big heap costs the child almost no
pages until it writes."""
import re

from grader import check, expect_lines, expect_no_line, test, usertests

KILLED = r"pid \d+ \(.*\): .*killed$"


def cowcheck(m):
    """Run cowcheck; return its figures as a dict."""
    out = m.run("cowcheck", 120, "cowcheck")
    figures = {}
    for key, pattern in [("heap", r"^heap: (\d+) pages$"),
                         ("fork", r"^fork took (-?\d+) pages$"),
                         ("first", r"^child's first write took (-?\d+) pages$"),
                         ("all", r"^child's writes to every page took (-?\d+) pages$")]:
        found = re.search(pattern, out, re.M)
        check(found is not None, "cowcheck printed:\n%s" % out,
              "a line matching %s" % pattern)
        figures[key] = int(found.group(1))
    expect_lines(out, [r"^parent's heap intact: yes$"], "cowcheck")
    return figures


@test(20, "fork shares the heap instead of copying it")
def fork_shares(m):
    f = cowcheck(m)
    check(f["fork"] < f["heap"] // 20,
          "a fork of a %d-page heap took %d free pages" % (f["heap"], f["fork"]),
          "fewer than %d: page tables and the like, not the heap's pages"
          % (f["heap"] // 20))


@test(10, "a store to a shared page copies that page only")
def store_copies_one_page(m):
    f = cowcheck(m)
    check(1 <= f["first"] <= 2,
          "the child's first store to the shared heap took %d free pages" % f["first"],
          "1 page (its own copy of the page; 2 if the parent copied its stack meanwhile)")
    check(f["heap"] - 2 <= f["all"] <= f["heap"] + 4,
          "the child's stores to all %d heap pages took %d free pages" % (f["heap"], f["all"]),
          "about one page per heap page: each one copied once")


@test(10, "parent and child see only their own writes")
def isolation(m):
    usertests(m, ["fork-isolation", "fork-copy"])


@test(10, "many forks of a big heap")
def big_heap(m):
    usertests(m, ["fork-big-heap", "forkfork", "forkforkfork"])


@test(10, "fork then exec")
def fork_exec(m):
    usertests(m, ["fork-exec", "exec-frees-image"])


@test(10, "copyout into a shared page")
def copyout(m):
    usertests(m, ["fork-copyout", "copyout", "copyin"])


@test(10, "out of memory at a copy-on-write fault kills, never panics")
def out_of_memory(m):
    out = usertests(m, ["fork-oom"], 600)
    expect_lines(out, [KILLED], "usertests fork-oom (the kernel's line for the killed child)")
    # The machine goes on: a fork of a big heap still works afterwards.
    cowcheck(m)


@test(5, "pipes between forked processes")
def pipes(m):
    usertests(m, ["fork-pipe", "pipe-many-writers"])


@test(5, "a store to a read-only page still kills the process")
def read_only(m):
    out = usertests(m, ["text-write", "textwrite"])
    expect_no_line(out, r"^panic", "usertests text-write")


@test(10, "usertests -q")
def usertests_quick(m):
    usertests(m)
