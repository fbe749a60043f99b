"""Tests of the sbrk lab (docs/labs/sbrk.md): the memory path students
write, uvmunmap, uvmalloc, uvmdealloc and growproc.  Run them with
`make grade` (LAB=sbrk).

The backbone is the in-kernel tests of kernel/ktest_vm.c, which call the
four functions directly on real page tables and inject allocation
failures with kalloc_fail_after(); their messages name the page that
leaked or the PTE still valid.  The last tests run sbrk from user space:
sbrkdemo (the study's scenario) and usertests' memory tests."""
import re

from grader import check, expect_ktests, expect_lines, test, usertests

# The other labs build on this one: its solution stays in their
# handouts (scripts/handout.py).
FOUNDATION = True


@test(20, "uvmunmap frees what the page table lists and skips holes")
def uvmunmap_ledger(m):
    expect_ktests(["mappages_then_uvmunmap_gives_every_page_back",
                   "uvmunmap_skips_pages_never_mapped"])


@test(20, "uvmalloc grows; a failure half way gives back every page")
def uvmalloc_grows(m):
    expect_ktests(["uvmalloc_maps_zeroed_rw_pages_never_executable",
                   "uvmalloc_failure_at_each_kalloc_leaks_nothing"])


@test(10, "uvmdealloc frees exactly the whole pages above the new size")
def uvmdealloc_unaligned(m):
    expect_ktests(["uvmdealloc_unaligned_sizes_free_exactly_the_right_pages"])


@test(15, "growproc grows, shrinks, and a refusal changes nothing")
def growproc_both_ways(m):
    expect_ktests(["growproc_up_down_and_by_zero",
                   "growproc_refusals_change_nothing",
                   "growproc_refuses_to_pass_trapframe"])


@test(15, "sbrk(4096) then sbrk(-4096): one page taken, the same page given back")
def sbrkdemo_scenario(m):
    out = m.run("sbrkdemo", 60, "sbrkdemo")
    step1 = re.search(r"^step 1: break is (0x[0-9a-f]{16}); free pages (\d+)$", out, re.M)
    check(step1 is not None, "sbrkdemo printed:\n%s" % out, "a `step 1: break is ...` line")
    brk, free0 = int(step1.group(1), 16), int(step1.group(2))
    expect_lines(out, [
        r"^step 2: sbrk\(4096\) returned 0x%016x; break is 0x%016x; free pages %d "
        % (brk, brk + 4096, free0 - 1),
        r"^step 3: new page was all zeros",
        r"^step 4: sbrk\(-4096\); break is 0x%016x; free pages %d " % (brk, free0),
        r"^pid \d+ \(sbrkdemo\): store page fault at va 0x%016x " % brk,
        r"^step 5: .*status -1",
    ], "sbrkdemo")


# (Not sbrk-trapframe: only lazy growth, the lazy lab's, takes the break
# up to TRAPFRAME; the in-kernel tests check growproc's refusal there.)
MEMORY_TESTS = ["sbrk-zero", "sbrk-unaligned", "sbrk-shrink-touch", "sbrk-too-big",
                "sbrk-overshrink", "sbrk-concurrent",
                "exec-frees-image", "fork-isolation", "beyond-break"]


@test(20, "usertests: sbrk from user space, unaligned, refused, concurrent")
def usertests_memory(m):
    usertests(m, MEMORY_TESTS)
