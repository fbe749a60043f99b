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

// ---- The file table ----------------------------------------------------
//
// An entry is free while its ref is 0.  ftable.lock guards the ref and
// type of every entry.  The other fields are set by the call that opens
// the file, before any other reference exists; from then on only off
// changes, under the inode's lock.

static struct {
  struct spinlock lock;
  struct file entry[NFILE];
} ftable;

// Return a free file table entry, zeroed (so its type is FD_NONE) but
// for a ref of 1; or 0 if all NFILE are in use.
struct file *
filealloc(void)
{
  struct file *f = 0;

  acquire(&ftable.lock);
  for(int i = 0; i < NFILE && f == 0; i++){
    if(ftable.entry[i].ref == 0)
      f = &ftable.entry[i];
  }
  if(f != 0){
    memset(f, 0, sizeof(*f));
    f->ref = 1;
  }
  release(&ftable.lock);
  return f;
}

// Set up the file table.  Called once at boot.
void
fileinit(void)
{
  initlock(&ftable.lock, "ftable");
}

// Add delta (1 or -1) to the reference count of f and return the new
// count.  When it reaches 0 the entry is free again from then on, so a
// copy of it is first left in *last for the caller to finish with.
// Panics if f was not open.
static int
adjust_ref(struct file *f, int delta, struct file *last)
{
  acquire(&ftable.lock);
  if(f->ref < 1)
    panic("file table: reference to a file that is not open");
  f->ref += delta;
  int left = f->ref;
  if(left == 0){
    *last = *f;
    f->type = FD_NONE;
  }
  release(&ftable.lock);
  return left;
}

// Add a reference to f and return it.
struct file *
filedup(struct file *f)
{
  adjust_ref(f, 1, 0);
  return f;
}

// Let go of what a closed file held: its end of a pipe, or its inode.
// f is a copy of the table entry, which may already be in use again.
static void
release_object(struct file *f)
{
  switch(f->type){
  case FD_PIPE:
    pipeclose(f->pipe, f->writable);
    break;
  case FD_INODE:
  case FD_DEVICE:
    begin_op();         // iput may free the inode on disk
    iput(f->ip);
    end_op();
    break;
  default:
    break;
  }
}

// Drop a reference to f; with the last one, close the pipe end or release
// the inode it refers to.
void
fileclose(struct file *f)
{
  struct file last;

  // The slow part (iput may write the disk) runs after the entry is
  // free, without the table lock.
  if(adjust_ref(f, -1, &last) == 0)
    release_object(&last);
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

// ---- Reading and writing -----------------------------------------------

// The driver of device file f, or 0 if its major number has none.
static struct devsw *
driver_of(struct file *f)
{
  if(f->major < 0 || f->major >= NDEV)
    return 0;
  return &devsw[f->major];
}

// Read (write == 0) or write n bytes between user address addr and f's
// inode at f's offset, and move the offset past the bytes moved.  Returns
// what readi or writei returned.  A write must be in a transaction.
static int
at_offset(struct file *f, int write, uint64 addr, int n)
{
  int r;

  ilock(f->ip);
  if(write)
    r = writei(f->ip, 1, addr, f->off, n);
  else
    r = readi(f->ip, 1, addr, f->off, n);
  if(r > 0)
    f->off += r;
  iunlock(f->ip);
  return r;
}

// The most bytes that one transaction of a file write carries.  Besides
// its data, a piece may log the inode, the indirect block and two bitmap
// blocks (new blocks can straddle a bitmap block boundary): 4 blocks.
// Half of the remaining MAXOPBLOCKS - 4 is 3 blocks of data, which an
// unaligned piece spreads over 4 blocks at most: 8 in all, within
// MAXOPBLOCKS.
#define WRITE_PIECE (((MAXOPBLOCKS - 4) / 2) * BSIZE)

// Write n bytes from user address addr to f's inode at f's offset, one
// transaction per WRITE_PIECE bytes.  Returns n, or -1 if a piece fell
// short (the disk filled up or addr went bad); the pieces before it stay
// written.
static int
inode_write(struct file *f, uint64 addr, int n)
{
  for(int done = 0; done < n; ){
    int piece = n - done < WRITE_PIECE ? n - done : WRITE_PIECE;
    begin_op();
    int r = at_offset(f, 1, addr + done, piece);
    end_op();
    if(r != piece)
      return -1;
    done += piece;
  }
  return n;
}

// Read up to n bytes from f into user address addr.  Returns the bytes
// read (0 at end of file), or -1.
int
fileread(struct file *f, uint64 addr, int n)
{
  struct devsw *dev;

  if(!f->readable || n < 0)
    return -1;
  // lab mmap: begin
  mmap_prefault(addr, n, 1);   // the copy below runs holding locks: no reading in then
  // lab mmap: end
  switch(f->type){
  case FD_PIPE:
    return piperead(f->pipe, addr, n);
  case FD_INODE:
    return at_offset(f, 0, addr, n);
  case FD_DEVICE:
    dev = driver_of(f);
    if(dev == 0 || dev->read == 0)
      return -1;
    return dev->read(1, addr, n);
  default:
    panic("fileread: file of unknown type");
  }
}

// Write n bytes from user address addr to f.  Returns n, or -1 if not all
// of it could be written.
int
filewrite(struct file *f, uint64 addr, int n)
{
  struct devsw *dev;

  if(!f->writable || n < 0)
    return -1;
  // lab mmap: begin
  mmap_prefault(addr, n, 0);   // the copy below runs holding locks: no reading in then
  // lab mmap: end
  switch(f->type){
  case FD_PIPE:
    return pipewrite(f->pipe, addr, n);
  case FD_INODE:
    return inode_write(f, addr, n);
  case FD_DEVICE:
    dev = driver_of(f);
    if(dev == 0 || dev->write == 0)
      return -1;
    // A driver stops short when the user buffer goes bad (the console
    // returns the bytes it sent, 0 for a bad address); our callers are
    // promised all n bytes or -1.
    return dev->write(1, addr, n) == n ? n : -1;
  default:
    panic("filewrite: file of unknown type");
  }
}
