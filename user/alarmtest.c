// alarmtest: tests of sigalarm(interval, handler) and sigreturn(), the
// traps lab's alarm (docs/labs/traps.md).
//
//   alarmtest              every test, one after the other
//   alarmtest NAME ...     only these: repeat, registers, a0, reentry, stop
//
// Each test runs in a child process of its own, so it starts with no
// alarm, and a crash is that test's failure only.  It prints
// `alarmtest NAME: OK`, or `alarmtest NAME: FAILED: ...` saying what it
// saw and what it expected.  The last line is `alarmtest: all N passed`
// or `alarmtest: N of M failed`; the exit status is 0 only if all pass.
//
// The program is given out with the lab, before sigalarm and sigreturn
// exist.  Until kernel/syscall.h defines SYS_sigalarm it only says so,
// so that the student's tree builds.
// lab traps: handout
#include "kernel/types.h"
#include "kernel/syscall.h"
#include "user/user.h"

#ifndef SYS_sigalarm

int
main(void)
{
  fprintf(2, "alarmtest: there is no SYS_sigalarm in kernel/syscall.h yet: "
          "add the system calls sigalarm and sigreturn first\n");
  exit(1);
}

#else

#define STR(x) #x
#define XSTR(x) STR(x)

// How long a test waits for the handler, in ticks (100 a second), and
// how many times hold_registers' loop may run, before it gives up.
#define PATIENCE 1000
#define BUDGET 1000000000

// What the handlers and the test share.  The assembly below uses it
// too: calls at offset 0, budget at offset 4.
struct tally {
  int calls;     // calls of the handler so far
  int budget;    // turns of hold_registers' loop still allowed
};
volatile struct tally tally;

char *testname;   // of the test running, for its messages

// ---- Spinning ---------------------------------------------------------

// Spin in user mode until *what reaches want, or until limit ticks have
// passed.  Returns how many turns the loop took, a measure of the CPU
// time used; 0 if it gave up.  uptime() is a system call, so it is
// asked only now and then: the ticks must find the program in user mode
// to count.
static uint64
spin_until(volatile int *what, int want, int limit)
{
  int start = uptime();
  uint64 i;

  for(i = 1; *what < want; i++){
    if(i % 20000 == 0 && uptime() - start > limit)
      return 0;
  }
  return i;
}

// Spin in user mode for n ticks.
static void
spin_ticks(int n)
{
  int start = uptime();

  for(uint64 i = 1; ; i++){
    if(i % 20000 == 0 && uptime() - start >= n)
      return;
  }
}

// ---- Handlers -----------------------------------------------------------

// The plain handler: count the call, return.
static void
counting_handler(void)
{
  tally.calls++;
  sigreturn();
}

// A handler that turns the alarm off before it returns.
static void
stopping_handler(void)
{
  tally.calls++;
  sigalarm(0, 0);
  sigreturn();
}

// A handler that takes a while (five intervals of a one-tick alarm),
// and fails the test if it is entered again before it returns.
volatile int inside;

static void
slow_handler(void)
{
  if(inside){
    printf("alarmtest reentry: FAILED: saw the handler called again while it was "
           "still running (call %d); expected no call before its sigreturn\n",
           tally.calls + 1);
    exit(1);
  }
  inside = 1;
  tally.calls++;
  spin_ticks(5);
  inside = 0;
  sigreturn();
}

// hold_registers(in, out, &tally, want): load every register but sp and
// t6 from in[] (register xN from in[N]); spin until tally.calls reaches
// want or tally.budget runs out; then store every register into out[]
// the same way.  The loop uses a2 and a3, loaded from in[12] and
// in[13], so those must be &tally and want.  out[0] gets sp as it was
// before the loop, out[2] sp as it was after.
//
// scrambling_handler: counts the call in tally.calls, then puts junk in
// every register, sp included, and makes the sigreturn system call.
// Only a kernel that restores every register lets hold_registers find
// its values unchanged.
void hold_registers(uint64 *in, uint64 *out, volatile struct tally *t, int want);
void scrambling_handler(void);

asm(
  ".text\n"
  ".globl hold_registers\n"
  "hold_registers:\n"
  "  addi sp, sp, -128\n"                 // save what the caller expects kept
  "  sd ra, 0(sp)\n"
  "  sd gp, 8(sp)\n"
  "  sd tp, 16(sp)\n"
  "  sd s0, 24(sp)\n"
  "  sd s1, 32(sp)\n"
  "  .irp n, 18,19,20,21,22,23,24,25,26,27\n"
  "  sd x\\n, (\\n*8-104)(sp)\n"          // s2..s11 at 40..112
  "  .endr\n"
  "  sd a1, 120(sp)\n"                    // out
  "  sd sp, 0(a1)\n"
  "  mv t6, a0\n"
  "  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
  "  ld x\\n, (\\n*8)(t6)\n"
  "  .endr\n"
  "1:\n"
  "  lw t6, 0(a2)\n"                      // while(t->calls < want
  "  bge t6, a3, 2f\n"
  "  lw t6, 4(a2)\n"                      //       && --t->budget != 0)
  "  addi t6, t6, -1\n"
  "  sw t6, 4(a2)\n"
  "  bnez t6, 1b\n"
  "2:\n"
  "  ld t6, 120(sp)\n"
  "  .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
  "  sd x\\n, (\\n*8)(t6)\n"
  "  .endr\n"
  "  ld ra, 0(sp)\n"
  "  ld gp, 8(sp)\n"
  "  ld tp, 16(sp)\n"
  "  ld s0, 24(sp)\n"
  "  ld s1, 32(sp)\n"
  "  .irp n, 18,19,20,21,22,23,24,25,26,27\n"
  "  ld x\\n, (\\n*8-104)(sp)\n"
  "  .endr\n"
  "  addi sp, sp, 128\n"
  "  ret\n"
  "\n"
  ".globl scrambling_handler\n"
  "scrambling_handler:\n"
  "  la t0, tally\n"
  "  lw t1, 0(t0)\n"
  "  addi t1, t1, 1\n"
  "  sw t1, 0(t0)\n"
  "  .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
  "  li x\\n, 0x5a5a5a5a5a5a5a00 + \\n\n"
  "  .endr\n"
  "  li a7, " XSTR(SYS_sigreturn) "\n"
  "  ecall\n"
  "  unimp\n"                             // sigreturn failed: die here
);

static char *regname[32] = {
  "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
  "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
  "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
  "t3", "t4", "t5", "t6",
};

// Run hold_registers with a value of its own in each register and an
// alarm every tick calling handler, until it has been called want
// times.  Fills in[] and out[].  Returns 0, or -1 (after saying so) if
// the handler was not called that often.
static int
run_held(void (*handler)(), int want, uint64 *in, uint64 *out)
{
  uint64 seed = uptime() + 1;

  for(int n = 0; n < 32; n++){
    in[n] = (0x9e3779b97f4a7c15ULL * (seed * 32 + n)) ^ ((uint64)n << 56);
    out[n] = 0;
  }
  in[12] = (uint64)&tally;
  in[13] = want;
  tally.calls = 0;
  tally.budget = BUDGET;
  if(sigalarm(1, handler) != 0){
    printf("alarmtest %s: FAILED: sigalarm(1, handler) returned -1, expected 0\n", testname);
    return -1;
  }
  hold_registers(in, out, &tally, want);
  sigalarm(0, 0);
  if(tally.calls < want){
    printf("alarmtest %s: FAILED: saw the handler called %d times in %d turns of a "
           "loop; expected %d calls, one every tick\n", testname, tally.calls, BUDGET, want);
    return -1;
  }
  return 0;
}

// ---- The tests ------------------------------------------------------------

// The handler is called again and again, about once every interval
// ticks of CPU time.  The loop's turns between calls measure that time:
// with an interval of 6 they are several times those with 1 (not the
// same, as they would be if the handler came at every tick).  The two
// intervals take turns, so that a change in the host's load touches
// both alike.
static int
test_repeat(void)
{
  if(sigalarm(2, counting_handler) != 0){
    printf("alarmtest repeat: FAILED: sigalarm(2, handler) returned -1, expected 0\n");
    return -1;
  }
  if(spin_until(&tally.calls, 10, PATIENCE) == 0){
    printf("alarmtest repeat: FAILED: saw %d calls of the handler in %d ticks; "
           "expected at least 10, one every 2 ticks of CPU time\n", tally.calls, PATIENCE);
    return -1;
  }

  int interval[2] = { 1, 6 };
  uint64 turns[2] = { 0, 0 };
  for(int round = 0; round < 4; round++){
    for(int k = 0; k < 2; k++){
      sigalarm(0, 0);
      tally.calls = 0;
      sigalarm(interval[k], counting_handler);
      uint64 took = spin_until(&tally.calls, 3, PATIENCE);
      if(took == 0){
        printf("alarmtest repeat: FAILED: saw %d calls in %d ticks with sigalarm(%d, ...); "
               "expected 3\n", tally.calls, PATIENCE, interval[k]);
        return -1;
      }
      turns[k] += took;
    }
  }
  sigalarm(0, 0);
  if(turns[1] < 2 * turns[0]){
    printf("alarmtest repeat: FAILED: saw 12 calls take %ld turns of a loop with an "
           "interval of %d ticks and %ld with %d; expected about %d times as many with "
           "%d: one call every interval ticks\n", turns[1], interval[1], turns[0],
           interval[0], interval[1] / interval[0], interval[1]);
    return -1;
  }
  return 0;
}

// After the handler's sigreturn, every register holds what it held
// when the alarm interrupted the program, sp and the pc included, even
// though the handler changed every one of them.
static int
test_registers(void)
{
  uint64 in[32], out[32];

  if(run_held(scrambling_handler, 5, in, out) != 0)
    return -1;
  if(out[2] != out[0]){
    printf("alarmtest registers: FAILED: saw sp %p after the alarms, expected %p\n",
           (void *)out[2], (void *)out[0]);
    return -1;
  }
  for(int n = 1; n < 31; n++){
    if(n == 2)
      continue;
    if(out[n] != in[n]){
      printf("alarmtest registers: FAILED: saw %s (x%d) = %p after %d alarms; expected "
             "%p, its value when the alarm came\n", regname[n], n, (void *)out[n],
             tally.calls, (void *)in[n]);
      return -1;
    }
  }
  return 0;
}

// sigreturn's own result does not replace the interrupted a0: a plain
// C handler calling sigreturn() leaves a0 as the program had it.
static int
test_a0(void)
{
  uint64 in[32], out[32];

  if(run_held(counting_handler, 3, in, out) != 0)
    return -1;
  if(out[10] != in[10]){
    printf("alarmtest a0: FAILED: saw a0 = %p after the handler's sigreturn; expected "
           "%p, its value when the alarm came (sigreturn must return it)\n",
           (void *)out[10], (void *)in[10]);
    return -1;
  }
  return 0;
}

// While the handler runs, the alarm does not call it again, however
// long it takes; once it has returned, the calls go on.
static int
test_reentry(void)
{
  int want = 3;

  sigalarm(1, slow_handler);
  int reached = spin_until(&tally.calls, want, PATIENCE);
  sigalarm(0, 0);
  if(!reached){
    printf("alarmtest reentry: FAILED: saw %d calls of a slow handler in %d ticks; "
           "expected %d, one after another\n", tally.calls, PATIENCE, want);
    return -1;
  }
  return 0;
}

// sigalarm(0, 0) stops the calls, from the program or from inside the
// handler.
static int
test_stop(void)
{
  sigalarm(2, counting_handler);
  if(!spin_until(&tally.calls, 2, PATIENCE)){
    printf("alarmtest stop: FAILED: saw %d calls in %d ticks; expected 2 before "
           "stopping the alarm\n", tally.calls, PATIENCE);
    return -1;
  }
  if(sigalarm(0, 0) != 0){
    printf("alarmtest stop: FAILED: sigalarm(0, 0) returned -1, expected 0\n");
    return -1;
  }
  int before = tally.calls;
  spin_ticks(20);
  if(tally.calls != before){
    printf("alarmtest stop: FAILED: saw %d more calls in the 20 ticks after "
           "sigalarm(0, 0); expected none\n", tally.calls - before);
    return -1;
  }

  tally.calls = 0;
  sigalarm(1, stopping_handler);
  if(!spin_until(&tally.calls, 1, PATIENCE)){
    printf("alarmtest stop: FAILED: saw no call in %d ticks; expected one\n", PATIENCE);
    return -1;
  }
  spin_ticks(20);
  if(tally.calls != 1){
    printf("alarmtest stop: FAILED: saw %d calls of a handler that calls sigalarm(0, 0); "
           "expected exactly 1\n", tally.calls);
    return -1;
  }
  return 0;
}

struct test {
  char *name;
  int (*run)(void);   // 0: passed; -1: failed, having said why
} tests[] = {
  { "repeat", test_repeat },
  { "registers", test_registers },
  { "a0", test_a0 },
  { "reentry", test_reentry },
  { "stop", test_stop },
};

// Run t in a child process and say how it went.  Returns 1 if it passed.
static int
run_test(struct test *t)
{
  int pid = fork();
  if(pid < 0){
    printf("alarmtest %s: FAILED: fork failed\n", t->name);
    return 0;
  }
  if(pid == 0){
    testname = t->name;
    exit(t->run() == 0 ? 0 : 1);
  }
  int status = -1;
  wait(&status);
  if(status == 0){
    printf("alarmtest %s: OK\n", t->name);
    return 1;
  }
  if(status != 1)
    printf("alarmtest %s: FAILED: the test process died (exit status %d); expected "
           "it to finish: see the kernel's message above\n", t->name, status);
  return 0;
}

int
main(int argc, char *argv[])
{
  int ntests = sizeof(tests) / sizeof(tests[0]);
  int ran = 0, passed = 0;

  for(int i = 1; i < argc; i++){
    int known = 0;
    for(int j = 0; j < ntests; j++)
      known |= strcmp(argv[i], tests[j].name) == 0;
    if(!known){
      fprintf(2, "alarmtest: no test %s (tests: repeat registers a0 reentry stop)\n", argv[i]);
      exit(2);
    }
  }
  for(int j = 0; j < ntests; j++){
    int chosen = argc < 2;
    for(int i = 1; i < argc; i++)
      chosen |= strcmp(argv[i], tests[j].name) == 0;
    if(chosen){
      ran++;
      passed += run_test(&tests[j]);
    }
  }
  if(passed == ran)
    printf("alarmtest: all %d passed\n", ran);
  else
    printf("alarmtest: %d of %d failed\n", ran - passed, ran);
  exit(passed == ran ? 0 : 1);
}

#endif
