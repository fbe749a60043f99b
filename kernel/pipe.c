// Pipes: a bounded byte queue in kernel memory with a read end and a
// write end, each an open file.
//
// Readers wait while the pipe is empty and see end of file (0) once it is
// empty and no write end is open any more.  Writers wait while it is full
// and fail (-1) once no read end is open.

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

struct pipe {
  struct spinlock lock;
  char data[PIPESIZE];  // a ring: byte k lives at data[k % PIPESIZE]
  uint nread;           // bytes ever read
  uint nwrite;          // bytes ever written; nwrite - nread are queued
  int readopen;         // the read end is still open
  int writeopen;        // the write end is still open
};

// Make a pipe and two open files for it: *f0 reads, *f1 writes.
// Returns 0, or -1 (having allocated nothing) when out of files or memory.
int
pipealloc(struct file **f0, struct file **f1)
{
  struct pipe *pi = 0;

  *f0 = *f1 = 0;
  if((*f0 = filealloc()) == 0 || (*f1 = filealloc()) == 0)
    goto fail;
  if((pi = (struct pipe *)kalloc()) == 0)
    goto fail;

  initlock(&pi->lock, "pipe");
  pi->nread = 0;
  pi->nwrite = 0;
  pi->readopen = 1;
  pi->writeopen = 1;

  (*f0)->type = FD_PIPE;
  (*f0)->readable = 1;
  (*f0)->writable = 0;
  (*f0)->pipe = pi;
  (*f1)->type = FD_PIPE;
  (*f1)->readable = 0;
  (*f1)->writable = 1;
  (*f1)->pipe = pi;
  return 0;

fail:
  // An entry still of type FD_NONE closes without touching any pipe.
  if(*f0)
    fileclose(*f0);
  if(*f1)
    fileclose(*f1);
  *f0 = *f1 = 0;
  return -1;
}

// Close one end of pi (the write end if writable), waking whoever waits
// on the other; free the pipe when both ends are closed.
void
pipeclose(struct pipe *pi, int writable)
{
  acquire(&pi->lock);
  if(writable){
    pi->writeopen = 0;
    wakeup(&pi->nread);     // readers now see end of file
  } else {
    pi->readopen = 0;
    wakeup(&pi->nwrite);    // writers now fail
  }
  if(pi->readopen || pi->writeopen){
    release(&pi->lock);
    return;
  }
  release(&pi->lock);
  kfree((char *)pi);
}

// Write n bytes from user address addr into pi, waiting for room as
// needed.  Returns n; fewer if addr went bad part way; -1 if nothing was
// written because addr is bad, or whenever the read end is closed or the
// caller is killed.
int
pipewrite(struct pipe *pi, uint64 addr, int n)
{
  struct proc *pr = myproc();
  int done = 0;

  acquire(&pi->lock);
  while(done < n){
    if(!pi->readopen || killed(pr)){
      release(&pi->lock);
      return -1;
    }
    uint queued = pi->nwrite - pi->nread;
    if(queued == PIPESIZE){
      wakeup(&pi->nread);
      sleep(&pi->nwrite, &pi->lock);
      continue;
    }
    // Copy as much as fits before the ring wraps.
    uint pos = pi->nwrite % PIPESIZE;
    uint chunk = PIPESIZE - queued;
    if(chunk > PIPESIZE - pos)
      chunk = PIPESIZE - pos;
    if(chunk > n - done)
      chunk = n - done;
    if(copyin(pr->pagetable, &pi->data[pos], addr + done, chunk) < 0){
      if(done == 0)
        done = -1;
      break;
    }
    pi->nwrite += chunk;
    done += chunk;
  }
  wakeup(&pi->nread);
  release(&pi->lock);
  return done;
}

// Read up to n bytes from pi into user address addr, waiting while the
// pipe is empty and a writer exists.  Returns the bytes read, 0 at end of
// file, or -1 if the caller is killed or addr is bad.  A read of 0 bytes
// returns 0 at once: there is nothing to wait for.
int
piperead(struct pipe *pi, uint64 addr, int n)
{
  struct proc *pr = myproc();
  int done = 0;

  if(n == 0)
    return 0;
  acquire(&pi->lock);
  while(pi->nread == pi->nwrite && pi->writeopen){
    if(killed(pr)){
      release(&pi->lock);
      return -1;
    }
    sleep(&pi->nread, &pi->lock);
  }

  while(done < n && pi->nread != pi->nwrite){
    uint pos = pi->nread % PIPESIZE;
    uint chunk = pi->nwrite - pi->nread;
    if(chunk > PIPESIZE - pos)
      chunk = PIPESIZE - pos;
    if(chunk > n - done)
      chunk = n - done;
    if(copyout(pr->pagetable, addr + done, &pi->data[pos], chunk) < 0){
      if(done == 0)
        done = -1;
      break;
    }
    pi->nread += chunk;
    done += chunk;
  }
  wakeup(&pi->nwrite);
  release(&pi->lock);
  return done;
}
