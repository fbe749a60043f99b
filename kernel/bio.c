// The buffer cache: in-memory copies of disk blocks.
//
// It keeps recently used blocks in memory, so that reading them again
// costs no disk access, and it makes sure that a block has at most one
// copy in memory, used by one process at a time (each buf has a
// sleeplock).
//
// The interface:
//   bread(dev, blockno) returns a locked buf holding the block;
//   bwrite(b) writes a locked buf's data to the disk;
//   brelse(b) unlocks it and gives it back to the cache;
//   bpin(b) / bunpin(b) keep a buf's block in the cache (for the log)
//   even while nobody holds it.
// A process must not keep a buf longer than it needs it.
//
// Every buf is either in use (refcnt > 0: holders, processes waiting for
// its lock, and the log's pins) or idle (refcnt == 0).  An idle buf keeps
// its block, so that bread can find it again, until a miss takes it for
// another block: the one idle longest goes first (least recently used).
// When no buf is idle, a miss waits its turn; see bget.

#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "riscv.h"
#include "defs.h"
#include "fs.h"
#include "buf.h"

// The pool: NBUF bufs, which the log's pins (at most LOGSIZE) may all
// take, and MAXOPBLOCKS more, which the log can never take (see bget).
#define NPOOL (NBUF + MAXOPBLOCKS)
_Static_assert(NBUF >= LOGSIZE, "the log's pins must fit in NBUF bufs");

static struct {
  struct spinlock lock;  // guards the fields below and every buf's dev,
                         // blockno, refcnt and idle_since
  struct buf pool[NPOOL];
  uint64 clock;          // counts bufs going idle; stamps idle_since
  uint next_ticket;      // misses waiting for an idle buf hold the
  uint now_serving;      //   tickets [now_serving, next_ticket)
} bcache;

// Set up the cache: every buf idle and holding no block.  Called once at
// boot.
void
binit(void)
{
  initlock(&bcache.lock, "bcache");
  for(struct buf *b = bcache.pool; b < bcache.pool + NPOOL; b++)
    initsleeplock(&b->lock, "buffer");
}

// The buf holding (or being filled with) block blockno of dev, or 0.  A
// buf that never held a block is idle and not valid, and matches nothing.
// Caller holds bcache.lock.
static struct buf *
lookup(uint dev, uint blockno)
{
  for(struct buf *b = bcache.pool; b < bcache.pool + NPOOL; b++){
    if(b->dev == dev && b->blockno == blockno && (b->refcnt > 0 || b->valid))
      return b;
  }
  return 0;
}

// The idle buf that has been idle longest, or 0 if every buf is in use.
// Caller holds bcache.lock.
static struct buf *
least_recently_used(void)
{
  struct buf *oldest = 0;

  for(struct buf *b = bcache.pool; b < bcache.pool + NPOOL; b++){
    if(b->refcnt == 0 && (oldest == 0 || b->idle_since < oldest->idle_since))
      oldest = b;
  }
  return oldest;
}

// Return the buf for block blockno of dev, locked, with refcnt counting
// the caller.  Its data are the block's only if b->valid says so.
//
// A hit (the block is in a buf, in use or idle) is taken at once.  A
// miss needs an idle buf: misses take tickets and are served one at a
// time, in the order they came, each taking the least recently used idle
// buf; a miss that finds none sleeps until some buf goes idle.  bget
// never fails and never panics.
//
// Why the wait always ends (no deadlock, no starvation), for the worst
// case of log-pinned blocks, readers in flight and a commit that needs a
// buf of its own:
//  - The log pins a block from log_write until the commit has installed
//    it, and pins at most LOGSIZE (log_write refuses a block beyond the
//    log's capacity, which is at most LOGSIZE <= NBUF).  So at least
//    NPOOL - LOGSIZE = MAXOPBLOCKS = 10 bufs are never pinned.
//  - A process outside a transaction (read, exec, path lookup, fstat)
//    holds one buf at a time and asks for the next only after releasing
//    it; it lets go after one disk read at most.  Such readers (up to
//    NPROC of them) can hold every unpinned buf at once, but none of them
//    waits here while holding one.
//  - Inside a transaction a call may hold a buf while it asks for
//    another: today at most one (bmap and itrunc keep the indirect block
//    while they read the bitmap or a new block).  begin_op admits at most
//    LOGSIZE / MAXOPBLOCKS = 3 calls at once, so the processes waiting
//    here hold at most 3 bufs -- fewer than 10 even if each call held 3.
//  - A commit runs when no call is in a transaction, and holds at most
//    one buf it did not pin (a log block or the header) at a time: it
//    needs one idle buf, never more.  (Recovery at boot holds two, with
//    nothing else running.)
// So while misses wait, at least one unpinned buf is idle already or held
// by a process that does not wait here and releases it after a disk
// transfer.  A buf goes idle, the oldest miss takes it, and each miss
// becomes the oldest after finitely many others: a commit's request is
// served even while readers keep coming.
//
// With NBUF bufs only, the log could pin all of them (on an image whose
// log area is larger than LOGSIZE blocks it may pin LOGSIZE = NBUF), and
// a commit would wait for a buf that only the commit itself could free.
// With an ordinary image it could pin all but one, and whether the calls
// of a transaction could then be left waiting for each other would
// depend on exactly how many blocks each one logs and holds -- something
// a change in fs.c could break unnoticed.  The MAXOPBLOCKS extra bufs
// take both questions away.
static struct buf *
bget(uint dev, uint blockno)
{
  struct buf *b;

  acquire(&bcache.lock);
  if((b = lookup(dev, blockno)) == 0){
    uint ticket = bcache.next_ticket++;
    for(;;){
      if(ticket == bcache.now_serving){
        // Our turn.  Someone may have read the block in the meantime.
        if((b = lookup(dev, blockno)) != 0)
          break;
        if((b = least_recently_used()) != 0){
          // It changes blocks under bcache.lock, so no one else can look
          // this block up and get a second copy.
          b->dev = dev;
          b->blockno = blockno;
          b->valid = 0;
          break;
        }
      }
      sleep(&bcache.now_serving, &bcache.lock);
    }
    bcache.now_serving++;
    wakeup(&bcache.now_serving);   // the next miss may find an idle buf too
  }
  b->refcnt++;
  release(&bcache.lock);
  acquiresleep(&b->lock);
  return b;
}

// Move b's data between memory and the disk: to the disk if towrite,
// from it otherwise.  Either way, memory and disk agree afterwards.  The
// caller holds b->lock; `who` is the panic message if not.
static void
transfer(struct buf *b, int towrite, char *who)
{
  if(!holdingsleep(&b->lock))
    panic(who);
  virtio_disk_rw(b, towrite);
  b->valid = 1;
}

// Return a locked buf holding the current contents of block blockno.
struct buf *
bread(uint dev, uint blockno)
{
  struct buf *b = bget(dev, blockno);

  if(!b->valid)
    transfer(b, 0, "bread: buffer not locked");
  return b;
}

// Write b's data to its block on the disk.  The caller holds b->lock.
void
bwrite(struct buf *b)
{
  transfer(b, 1, "bwrite: buffer not locked by the caller");
}

// Drop one reference to b.  When it was the last, b goes idle: it is
// stamped for LRU and a waiting miss may take it.  Caller holds
// bcache.lock.
static void
unref(struct buf *b, char *who)
{
  if(b->refcnt == 0)
    panic(who);
  b->refcnt--;
  if(b->refcnt == 0){
    b->idle_since = ++bcache.clock;
    if(bcache.now_serving != bcache.next_ticket)
      wakeup(&bcache.now_serving);
  }
}

// Unlock b and drop the caller's reference.
void
brelse(struct buf *b)
{
  if(!holdingsleep(&b->lock))
    panic("brelse: buffer not locked by the caller");
  releasesleep(&b->lock);

  acquire(&bcache.lock);
  unref(b, "brelse: refcnt already 0");
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
  unref(b, "bunpin: refcnt already 0");
  release(&bcache.lock);
}
