// Open files: the system-wide file table, and reading, writing and
// stat-ing whatever an open file refers to (a pipe, an inode, a device).
//
// A struct file is what a file descriptor points at.  dup() and fork()
// make several descriptors share one struct file (and so its offset);
// f->ref counts them.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "fs.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "file.h"
#include "stat.h"
#include "proc.h"

// Read and write functions of each device, by major number.  Drivers
// fill in their entry at boot (console.c sets devsw[CONSOLE]).
struct devsw devsw[NDEV];

static struct {
  struct spinlock lock;   // guards ref and type of every entry
  struct file file[NFILE];
} ftable;

// Set up the file table.  Called once at boot.
void
fileinit(void)
{
  initlock(&ftable.lock, "ftable");
}

// Return an unused file table entry with ref 1 (type still FD_NONE), or 0
// if all NFILE are in use.
struct file *
filealloc(void)
{
  acquire(&ftable.lock);
  for(struct file *f = ftable.file; f < ftable.file + NFILE; f++){
    if(f->ref == 0){
      f->ref = 1;
      release(&ftable.lock);
      return f;
    }
  }
  release(&ftable.lock);
  return 0;
}

// Add a reference to f and return it.
struct file *
filedup(struct file *f)
{
  acquire(&ftable.lock);
  if(f->ref < 1)
    panic("filedup: file not open");
  f->ref++;
  release(&ftable.lock);
  return f;
}

// Drop a reference to f; with the last one, close the pipe end or release
// the inode it refers to.
void
fileclose(struct file *f)
{
  struct file old;

  acquire(&ftable.lock);
  if(f->ref < 1)
    panic("fileclose: file not open");
  if(--f->ref > 0){
    release(&ftable.lock);
    return;
  }
  // Last reference: take a copy and free the entry before doing the
  // slow part (iput may write the disk), which needs no table lock.
  old = *f;
  f->ref = 0;
  f->type = FD_NONE;
  release(&ftable.lock);

  if(old.type == FD_PIPE){
    pipeclose(old.pipe, old.writable);
  } else if(old.type == FD_INODE || old.type == FD_DEVICE){
    begin_op();
    iput(old.ip);
    end_op();
  }
}

// Copy the metadata of f's inode to the struct stat at user address addr.
// Returns 0, or -1 if f is a pipe or addr is bad.  Every byte the user
// gets is set here, the padding between nlink and size included: st
// lives on the kernel stack, and whatever an earlier call left there
// must not reach the user.
int
filestat(struct file *f, uint64 addr)
{
  struct stat st;

  if(f->type != FD_INODE && f->type != FD_DEVICE)
    return -1;
  memset(&st, 0, sizeof(st));
  ilock(f->ip);
  stati(f->ip, &st);
  iunlock(f->ip);
  if(copyout(myproc()->pagetable, addr, (char *)&st, sizeof(st)) < 0)
    return -1;
  return 0;
}

// Read up to n bytes from f into user address addr.  Returns the bytes
// read (0 at end of file), or -1.
int
fileread(struct file *f, uint64 addr, int n)
{
  int r;

  if(!f->readable || n < 0)
    return -1;

  switch(f->type){
  case FD_PIPE:
    return piperead(f->pipe, addr, n);
  case FD_DEVICE:
    if(f->major < 0 || f->major >= NDEV || devsw[f->major].read == 0)
      return -1;
    return devsw[f->major].read(1, addr, n);
  case FD_INODE:
    ilock(f->ip);
    r = readi(f->ip, 1, addr, f->off, n);
    if(r > 0)
      f->off += r;
    iunlock(f->ip);
    return r;
  default:
    panic("fileread: file of unknown type");
  }
}

// Write n bytes from user address addr to f.  Returns n, or -1 if not all
// of it could be written.
int
filewrite(struct file *f, uint64 addr, int n)
{
  if(!f->writable || n < 0)
    return -1;

  switch(f->type){
  case FD_PIPE:
    return pipewrite(f->pipe, addr, n);
  case FD_DEVICE:
    if(f->major < 0 || f->major >= NDEV || devsw[f->major].write == 0)
      return -1;
    // A driver stops short when the user buffer goes bad (the console
    // returns the bytes it sent, 0 for a bad address); our callers are
    // promised all n bytes or -1.
    if(devsw[f->major].write(1, addr, n) != n)
      return -1;
    return n;
  case FD_INODE:
    break;
  default:
    panic("filewrite: file of unknown type");
  }

  // An inode: write in pieces, one transaction each, so that no piece
  // logs more than MAXOPBLOCKS blocks.  Besides its data blocks, a piece
  // may log the inode, the indirect block and two bitmap blocks (new
  // blocks can straddle a bitmap block boundary): 4 blocks.  Half of the
  // remaining 6 is 3 blocks of data, which an unaligned piece spreads
  // over 4 blocks at most: 8 in all, within MAXOPBLOCKS.  A failed piece
  // ends the write.
  int maxpiece = ((MAXOPBLOCKS - 1 - 1 - 2) / 2) * BSIZE;
  int done = 0;

  while(done < n){
    int piece = n - done;
    if(piece > maxpiece)
      piece = maxpiece;

    begin_op();
    ilock(f->ip);
    int r = writei(f->ip, 1, addr + done, f->off, piece);
    if(r > 0)
      f->off += r;
    iunlock(f->ip);
    end_op();

    if(r != piece)
      break;
    done += r;
  }
  return done == n ? n : -1;
}
