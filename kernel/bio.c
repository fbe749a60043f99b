// The buffer cache: NBUF in-memory copies of disk blocks.
//
// It does two jobs.  It keeps recently used blocks in memory, so that
// reading them again costs no disk access; and it makes sure that at most
// one copy of any block exists in memory, and that only one process at a
// time uses it (each buf has a sleeplock).
//
// The interface:
//   bread(dev, blockno) returns a locked buf holding the block;
//   bwrite(b) writes a locked buf's data to the disk;
//   brelse(b) unlocks it and gives it back to the cache;
//   bpin(b) / bunpin(b) keep a buf in the cache (for the log) even while
//   nobody holds it.
// A process must not keep a buf longer than it needs it.
//
// All bufs sit on one circular, doubly linked list with a dummy head,
// ordered from most recently released (head.next) to least (head.prev).
// A buf with refcnt 0 may be reused for another block; the least recently
// released such buf is the first to go.

#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "riscv.h"
#include "defs.h"
#include "fs.h"
#include "buf.h"

static struct {
  struct spinlock lock;   // guards the list, refcnt, dev and blockno
  struct buf buf[NBUF];
  struct buf head;        // list sentinel: head.next is the most recent
} bcache;

// Remove b from the list.
static void
list_remove(struct buf *b)
{
  b->prev->next = b->next;
  b->next->prev = b->prev;
}

// Put b at the most-recently-used end of the list.
static void
list_push_front(struct buf *b)
{
  b->next = bcache.head.next;
  b->prev = &bcache.head;
  bcache.head.next->prev = b;
  bcache.head.next = b;
}

// Set up the cache: every buf empty, all on the list.  Called once at boot.
void
binit(void)
{
  initlock(&bcache.lock, "bcache");
  bcache.head.next = &bcache.head;
  bcache.head.prev = &bcache.head;
  for(struct buf *b = bcache.buf; b < bcache.buf + NBUF; b++){
    initsleeplock(&b->lock, "buffer");
    b->refcnt = 0;
    b->valid = 0;
    b->disk = 0;
    list_push_front(b);
  }
}

// Return the buf for block blockno of dev, locked, with refcnt counting
// the caller.  Its data are valid only if b->valid says so.  Panics when
// every buf is in use: callers never hold more than a few at once, so
// that would be a leak.
static struct buf *
bget(uint dev, uint blockno)
{
  struct buf *b;

  acquire(&bcache.lock);

  // Already cached?
  for(b = bcache.head.next; b != &bcache.head; b = b->next){
    if(b->dev == dev && b->blockno == blockno){
      b->refcnt++;
      release(&bcache.lock);
      acquiresleep(&b->lock);
      return b;
    }
  }

  // No: take the least recently released buf nobody is using.  Its
  // identity changes under bcache.lock, so no one else can look this
  // block up and get a second copy.
  for(b = bcache.head.prev; b != &bcache.head; b = b->prev){
    if(b->refcnt == 0){
      b->dev = dev;
      b->blockno = blockno;
      b->valid = 0;
      b->refcnt = 1;
      release(&bcache.lock);
      acquiresleep(&b->lock);
      return b;
    }
  }
  panic("bget: every buffer is in use");
}

// Return a locked buf holding the current contents of block blockno.
struct buf *
bread(uint dev, uint blockno)
{
  struct buf *b = bget(dev, blockno);

  if(!b->valid){
    virtio_disk_rw(b, 0);
    b->valid = 1;
  }
  return b;
}

// Write b's data to its block on the disk.  The caller holds b->lock.
void
bwrite(struct buf *b)
{
  if(!holdingsleep(&b->lock))
    panic("bwrite: buffer not locked by the caller");
  virtio_disk_rw(b, 1);
}

// Unlock b and drop the caller's reference.  Once nobody refers to it,
// it becomes the most recently used candidate for reuse.
void
brelse(struct buf *b)
{
  if(!holdingsleep(&b->lock))
    panic("brelse: buffer not locked by the caller");
  releasesleep(&b->lock);

  acquire(&bcache.lock);
  if(b->refcnt == 0)
    panic("brelse: refcnt already 0");
  b->refcnt--;
  if(b->refcnt == 0){
    list_remove(b);
    list_push_front(b);
  }
  release(&bcache.lock);
}

// Keep b in the cache even when no process holds it: the log does this
// for blocks whose new contents exist only in memory until installed.
void
bpin(struct buf *b)
{
  acquire(&bcache.lock);
  b->refcnt++;
  release(&bcache.lock);
}

// Undo one bpin(b).
void
bunpin(struct buf *b)
{
  acquire(&bcache.lock);
  if(b->refcnt == 0)
    panic("bunpin: refcnt already 0");
  b->refcnt--;
  release(&bcache.lock);
}
