// Pipes: a bounded byte queue in kernel memory with a read end and a
// write end, each an open file.
//
// The queue is a ring buffer with an explicit count: the bytes waiting
// are data[head], data[head+1], ... count of them, indices taken modulo
// PIPESIZE.  Readers wait while it is empty and see end of file (0) once
// it is empty and the write end is closed.  Writers wait while it is full
// and fail (-1) once the read end is closed.  The pipe is freed when both
// ends are closed.
//
// Each end is also a sleep channel: readers sleep on &open[RD] until
// bytes arrive (or the writer goes), writers on &open[WR] until there is
// room (or the reader goes).

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "fs.h"
#include "sleeplock.h"
#include "file.h"

#define PIPESIZE 2048
#define RD 0   // the ends, as indices of open[]
#define WR 1

struct pipe {
  struct spinlock lock;  // guards everything below
  int open[2];           // open[RD], open[WR]: that end has an open file
  uint head;             // index of the oldest byte waiting
  uint count;            // bytes waiting
  char data[PIPESIZE];
};

_Static_assert(sizeof(struct pipe) <= PGSIZE, "a pipe must fit in the page kalloc gives");

// The longest stretch of the ring that starts at index `at` and does not
// wrap around its end, holding at most `avail` bytes and at most `want`.
static uint
stretch(uint at, uint avail, uint want)
{
  uint n = PIPESIZE - at;

  if(n > avail)
    n = avail;
  if(n > want)
    n = want;
  return n;
}

// Make f the given end (RD or WR) of pi.
static void
attach(struct file *f, struct pipe *pi, int end)
{
  f->type = FD_PIPE;
  f->pipe = pi;
  f->readable = end == RD;
  f->writable = end == WR;
}

// Make a pipe and two open files for it: *rf reads, *wf writes.
// Returns 0, or -1 (with *rf and *wf 0 and nothing allocated) when out of
// files or memory.
int
pipealloc(struct file **rf, struct file **wf)
{
  struct pipe *pi = (struct pipe *)kalloc();
  struct file *r = filealloc();
  struct file *w = filealloc();

  *rf = *wf = 0;
  if(pi == 0 || r == 0 || w == 0){
    // An entry still of type FD_NONE closes without touching any pipe.
    if(r)
      fileclose(r);
    if(w)
      fileclose(w);
    if(pi)
      kfree((char *)pi);
    return -1;
  }

  initlock(&pi->lock, "pipe");
  pi->open[RD] = pi->open[WR] = 1;
  pi->head = 0;
  pi->count = 0;
  attach(r, pi, RD);
  attach(w, pi, WR);
  *rf = r;
  *wf = w;
  return 0;
}

// Close one end of pi (the write end if writable), waking whoever waits
// at the other; free the pipe once neither end is open.
void
pipeclose(struct pipe *pi, int writable)
{
  int end = writable ? WR : RD;
  int other = writable ? RD : WR;

  acquire(&pi->lock);
  pi->open[end] = 0;
  wakeup(&pi->open[other]);   // a reader sees end of file, a writer fails
  int unused = !pi->open[RD] && !pi->open[WR];
  release(&pi->lock);

  if(unused)
    kfree((char *)pi);
}

// Write n bytes from user address addr into pi, waiting for room as
// needed.  Returns n; fewer if addr went bad part way; -1 if nothing was
// written because addr is bad, or whenever the read end is closed or the
// caller is killed.
int
pipewrite(struct pipe *pi, uint64 addr, int n)
{
  struct proc *me = myproc();
  int sent = 0;

  acquire(&pi->lock);
  while(sent < n){
    if(!pi->open[RD] || killed(me)){
      sent = -1;
      break;
    }
    if(pi->count == PIPESIZE){
      wakeup(&pi->open[RD]);
      sleep(&pi->open[WR], &pi->lock);
      continue;
    }
    uint tail = (pi->head + pi->count) % PIPESIZE;
    uint chunk = stretch(tail, PIPESIZE - pi->count, n - sent);
    if(copyin(me->pagetable, &pi->data[tail], addr + sent, chunk) < 0){
      if(sent == 0)
        sent = -1;
      break;
    }
    pi->count += chunk;
    sent += chunk;
  }
  wakeup(&pi->open[RD]);
  release(&pi->lock);
  return sent;
}

// Read up to n bytes from pi into user address addr, waiting while the
// pipe is empty and its write end open.  Returns the bytes read, 0 at end
// of file, or -1 if the caller is killed or addr is bad.  A read of 0
// bytes returns 0 at once: there is nothing to wait for.
int
piperead(struct pipe *pi, uint64 addr, int n)
{
  struct proc *me = myproc();
  int got = 0;

  if(n == 0)
    return 0;

  acquire(&pi->lock);
  while(pi->count == 0 && pi->open[WR]){
    if(killed(me)){
      release(&pi->lock);
      return -1;
    }
    sleep(&pi->open[RD], &pi->lock);
  }
  while(got < n && pi->count > 0){
    uint chunk = stretch(pi->head, pi->count, n - got);
    if(copyout(me->pagetable, addr + got, &pi->data[pi->head], chunk) < 0){
      if(got == 0)
        got = -1;
      break;
    }
    pi->head = (pi->head + chunk) % PIPESIZE;
    pi->count -= chunk;
    got += chunk;
  }
  wakeup(&pi->open[WR]);
  release(&pi->lock);
  return got;
}
