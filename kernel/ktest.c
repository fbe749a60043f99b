// The in-kernel test runner (only in the kernel `make ktest` builds).
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"
#include "kernel/ktest.h"

extern const struct ktest __ktests_start[], __ktests_end[];

int ktest_failed;
long ktest_pages_kept;

// Run every KTEST in link order, from inside the first process, then
// power off: status 0 if all passed, 1 if any failed.  Each test must
// leave the free-page count as it found it, less the pages it says it
// kept on purpose (ktest_pages_kept); the runner checks that too.
// Output, one line per test, then the count:
//   ktest: PASS kalloc_every_page_once
//   ktest: FAIL walk_creates_exact_tables
//   ktest: 14 passed, 1 failed
void
ktest_run(void)
{
  int passed = 0, failed = 0;

  printf("ktest: running %d tests\n", (int)(__ktests_end - __ktests_start));
  for(const struct ktest *t = __ktests_start; t < __ktests_end; t++){
    uint64 before = kfreecount();
    ktest_failed = 0;
    ktest_pages_kept = 0;
    t->fn();
    kalloc_fail_after(-1);
    uint64 after = kfreecount();
    if(!ktest_failed && (long)(before - after) != ktest_pages_kept){
      printf("ktest:   free pages %lu before, %lu after (%ld kept on purpose): "
             "the test leaked or over-freed\n", before, after, ktest_pages_kept);
      ktest_failed = 1;
    }
    if(ktest_failed){
      failed++;
      printf("ktest: FAIL %s\n", t->name);
    } else {
      passed++;
      printf("ktest: PASS %s\n", t->name);
    }
  }
  printf("ktest: %d passed, %d failed\n", passed, failed);
  poweroff(failed ? 1 : 0);
}
