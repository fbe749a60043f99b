// sbrkdemo: watch sbrk grow and shrink a process, one step at a time.
//
// The picture to keep in mind (docs/sbrk.md in the repository, or
// docs/labs/sbrk.md in the sbrk lab, tells the whole story):
// the kernel is a housing office and each process a tenant.  The
// tenant's memory is a row of rooms numbered from address 0; the
// "break" is where its last room ends.  The office keeps one ledger per
// tenant, the page table, listing which real room (physical page) stands
// behind each room number.  sbrk(n) is the tenant asking for n more
// bytes of rooms, or handing rooms back when n is negative:
//   - to grow, the office takes a page from its storeroom (kalloc) and
//     writes it into the ledger (mappages);
//   - to shrink, it looks each room up in the ledger (walk), puts the
//     page back in the storeroom (kfree) and strikes out the line.
// The ledger is the only record of what the tenant holds, so once a line
// is struck out, the room is gone: touching it is a page fault, and the
// kernel kills the process that did it.
//
// Every step prints the break and freemem(), the storeroom's count of
// free pages, so the effect of each call can be seen.  Run it twice: the
// numbers come out the same, because everything taken is given back.
//
// Only steps 1 and 7 ask the kernel for the break (sbrk(0)); in between
// it follows from what sbrk returned, so that sys_sbrk runs exactly once
// per step and a gdb breakpoint on it stops at each step in turn (the
// sessions of docs/sbrk.md and docs/labs/sbrk.md rely on this).

#include "kernel/types.h"
#include "kernel/riscv.h"
#include "user/user.h"

// Stop the demo with a message: something the demo relies on broke.
static void
fail(char *what)
{
  printf("sbrkdemo: FAILED: %s\n", what);
  exit(1);
}

int
main(void)
{
  printf("sbrkdemo: the kernel hands out memory a page at a time\n");

  // Step 1: where does this process's memory end now?  sbrk(0) moves
  // nothing and returns the break.  After exec the break is page
  // aligned; if it is not (a library call grew it), round it up so the
  // next page is a whole new room.
  char *brk = sbrk(0);
  if((uint64)brk % PGSIZE != 0){
    int pad = PGSIZE - (uint64)brk % PGSIZE;
    sbrk(pad);
    brk += pad;
  }
  int free0 = freemem();
  printf("step 1: break is %p; free pages %d\n", brk, free0);

  // Step 2: ask for one more page.  sbrk returns the OLD break, which
  // is the first byte of the new room.
  char *room = sbrk(PGSIZE);
  if(room == SBRK_ERROR)
    fail("sbrk(4096) returned SBRK_ERROR");
  if(room != brk)
    fail("sbrk(4096) did not return the old break");
  int free1 = freemem();
  printf("step 2: sbrk(4096) returned %p; break is %p; free pages %d (%d taken from the storeroom)\n",
         room, room + PGSIZE, free1, free0 - free1);

  // Step 3: the new room is ours: write into it and read it back.  The
  // kernel zeroed it first, so no one else's old data shows through.
  int zero = 1;
  for(int i = 0; i < PGSIZE; i++){
    if(room[i] != 0)
      zero = 0;
  }
  strcpy(room, "hello from the new page");
  room[PGSIZE - 1] = 'z';
  printf("step 3: new page was %s; wrote and read back \"%s\" at %p, last byte '%c'\n",
         zero ? "all zeros" : "NOT ZEROED", room, room, room[PGSIZE - 1]);

  // Step 4: give the page back.  The kernel finds it in the ledger,
  // returns it to the storeroom and strikes out the entry.
  if(sbrk(-PGSIZE) == SBRK_ERROR)
    fail("sbrk(-4096) returned SBRK_ERROR");
  int free2 = freemem();
  printf("step 4: sbrk(-4096); break is %p; free pages %d (%d returned to the storeroom)\n",
         room, free2, free2 - free1);

  // Step 5: the room is gone from the ledger.  A child (a copy of this
  // process, with the same ledger) touches it: the hardware finds no
  // entry, traps, and the kernel kills the child.  The parent carries on.
  printf("step 5: a child touches %p, the page just given back...\n", room);
  int pid = fork();
  if(pid < 0)
    fail("fork failed");
  if(pid == 0){
    room[0] = 'x';   // a store page fault: this child is killed here
    printf("step 5: child: the store went through; the page was NOT released\n");
    exit(0);
  }
  int status = 0;
  if(wait(&status) != pid)
    fail("wait did not return the child");
  printf("step 5: child %d exited with status %d (%s)\n", pid, status,
         status == -1 ? "killed by the kernel: the page is gone" : "NOT killed");

  // Step 6: the lazy way.  sbrklazy only moves the break; no page is
  // taken until the first touch, when the page-fault handler fetches
  // one from the storeroom and writes it into the ledger.
  char *lazy = sbrklazy(PGSIZE);
  if(lazy == SBRK_ERROR)
    fail("sbrklazy(4096) returned SBRK_ERROR");
  int free3 = freemem();
  printf("step 6: sbrklazy(4096) returned %p; break is %p; free pages %d (%d taken)\n",
         lazy, lazy + PGSIZE, free3, free2 - free3);
  lazy[0] = 'L';   // page fault: the kernel maps a zeroed page, then retries
  int free4 = freemem();
  printf("step 6: touched %p (read back '%c'); free pages %d (%d taken by the page fault)\n",
         lazy, lazy[0], free4, free3 - free4);
  if(sbrk(-PGSIZE) == SBRK_ERROR)
    fail("sbrk(-4096) after sbrklazy returned SBRK_ERROR");

  // Step 7: everything taken has been given back.
  char *end = sbrk(0);
  int free5 = freemem();
  printf("step 7: parent goes on; break is %p%s; free pages %d (%s)\n", end,
         end == brk ? " as at step 1" : " NOT as at step 1", free5,
         free5 == free0 ? "as at step 1" : "NOT as at step 1");
  printf("sbrkdemo: done\n");
  exit(0);
}
