// In-kernel tests.  Built only into the kernel `make ktest` makes.
//
// A test is a function declared with KTEST(name) in any kernel/ktest*.c
// file; the linker gathers them all into the .ktests section, and
// ktest_run() (ktest.c) runs each in turn, from inside the first process
// (so tests may use myproc(), growproc() and a real user page table),
// printing one line per test and the closing count.
//
//   KTEST(kalloc_pages_are_aligned)
//   {
//     char *p = kalloc();
//     CHECK(p != 0, "kalloc returned 0 with memory free");
//     CHECK(((uint64)p % PGSIZE) == 0, "page %p is not aligned", p);
//     kfree(p);
//   }
//
// CHECK(cond, fmt, ...) records a failure with the message and returns
// from the test when cond is false.
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

struct ktest {
  const char *name;
  void (*fn)(void);
};

// Set by CHECK when the running test fails.
extern int ktest_failed;

// A test that leaves pages allocated on purpose (say, a new image for
// the test process) sets this to how many; the runner expects the free
// count to have gone down by exactly that much.
extern long ktest_pages_kept;

#define KTEST(tname) \
  static void ktest_fn_##tname(void); \
  static const struct ktest ktest_rec_##tname \
    __attribute__((used, section(".ktests"), aligned(8))) = \
    { #tname, ktest_fn_##tname }; \
  static void ktest_fn_##tname(void)

#define CHECK(cond, ...) do { \
    if(!(cond)){ \
      printf("ktest:   %s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      printf(__VA_ARGS__); \
      printf("\n"); \
      ktest_failed = 1; \
      return; \
    } \
  } while(0)

#endif
