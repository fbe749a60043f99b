// cowcheck: does fork share memory instead of copying it?  The cow
// lab's grader runs it; so can you.
//
//   $ cowcheck
//   heap: 8000 pages
//   fork took 18 pages
//   child's first write took 1 pages
//   child's writes to every page took 8000 pages
//   parent's heap intact: yes
//
// A fork that copies takes about as many pages as the heap has; one that
// shares takes only page tables and the like (a few dozen pages).  The
// child's first write to a shared page costs one page: its own copy.
// lab cow: handout

#include "kernel/types.h"
#include "kernel/riscv.h"
#include "user/user.h"

int
main(void)
{
  int npages = freemem() / 4;
  char *heap = sbrk(npages * PGSIZE);
  if(heap == (char *)-1){
    printf("cowcheck: sbrk of %d pages failed\n", npages);
    exit(1);
  }
  for(int i = 0; i < npages; i++)
    heap[i * PGSIZE] = (char)i;
  printf("heap: %d pages\n", npages);

  int report[2];
  if(pipe(report) < 0){
    printf("cowcheck: pipe failed\n");
    exit(1);
  }
  int before = freemem();
  int pid = fork();
  if(pid < 0){
    printf("cowcheck: fork failed\n");
    exit(1);
  }
  if(pid == 0){
    // Measured in the child, before the parent runs on (and writes to
    // its stack).  The figures go to the parent, which prints them.
    int counts[3];
    counts[0] = before - freemem();
    int f = freemem();
    heap[0] = 1;
    counts[1] = f - freemem();
    f = freemem();
    for(int i = 1; i < npages; i++)
      heap[i * PGSIZE] = 1;
    counts[2] = f - freemem() + counts[1];
    write(report[1], counts, sizeof(counts));
    exit(0);
  }
  int counts[3];
  int n = read(report[0], counts, sizeof(counts));
  int status;
  wait(&status);
  if(n != sizeof(counts) || status != 0){
    printf("cowcheck: the child failed (status %d)\n", status);
    exit(1);
  }
  printf("fork took %d pages\n", counts[0]);
  printf("child's first write took %d pages\n", counts[1]);
  printf("child's writes to every page took %d pages\n", counts[2]);
  int intact = 1;
  for(int i = 0; i < npages; i++)
    if(heap[i * PGSIZE] != (char)i)
      intact = 0;
  printf("parent's heap intact: %s\n", intact ? "yes" : "no");
  exit(0);
}
