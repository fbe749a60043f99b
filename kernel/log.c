// The write-ahead log, which makes file-system calls atomic across a
// crash or a power cut.
//
// A system call that changes the disk brackets its work:
//
//   begin_op();
//   ...  bp = bread(...); change bp->data; log_write(bp); brelse(bp); ...
//   end_op();
//
// log_write() writes nothing: it adds the block to the open transaction
// and pins its buf in the cache.  Operations that overlap in time share
// one transaction, which is committed when the last of them calls
// end_op() ("group commit"):
//   1. each block of the transaction is copied into the log area;
//   2. the log header is written with their count and home addresses:
//      this single-block write is the moment the transaction happens;
//   3. each block is written to its home location;
//   4. the header is written again with a count of 0.
// A crash before step 2 loses the whole transaction; one after step 2 is
// repaired at the next boot, when initlog() redoes step 3 from the log.
// Either way the disk never holds half of a system call.
//
// On-disk layout, from sb.logstart: the header block, then the logged
// blocks in the order the header lists them.
//
// Admission: an operation may log up to MAXOPBLOCKS distinct blocks, so
// begin_op() lets a new one in only while the log could hold that many
// more from every operation in progress.  While a commit runs, no
// operation may begin.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "buf.h"

// Where the log lives.  Set by initlog, then constant.
static struct {
  int dev;
  uint header;      // block number of the header; the log blocks follow
  int capacity;     // most blocks one transaction may hold
  uint fssize;      // blocks in the file system, to vet the header
} logarea;

// The open transaction and the operations writing it.
static struct {
  struct spinlock lock;
  int active;           // operations between begin_op and end_op
  int committing;       // end_op is writing the transaction out
  int nblocks;          // blocks logged so far
  uint home[LOGSIZE];   // their home block numbers, in log order
} log;

// ---- The disk side: the header, and copying blocks ---------------------

// The header block as it is on disk: a transaction's block count (0 when
// there is none to install) and the home block number of each.
struct logheader {
  int n;
  int block[LOGSIZE];
};

// Read the header into log.home and return its block count.  Panics on a
// header no kernel could have written.
static int
read_header(void)
{
  struct buf *bp = bread(logarea.dev, logarea.header);
  struct logheader *h = (struct logheader *)bp->data;
  int n = h->n;

  if(n < 0 || n > logarea.capacity)
    panic("read_header: log header has an impossible count");
  for(int i = 0; i < n; i++){
    if(h->block[i] <= 1 || h->block[i] >= logarea.fssize)
      panic("read_header: log header names a block outside the file system");
    log.home[i] = h->block[i];
  }
  brelse(bp);
  return n;
}

// Write a header listing the first n blocks of log.home.  With n > 0 this
// commits that transaction; with n == 0 it retires it.
static void
write_header(int n)
{
  struct buf *bp = bread(logarea.dev, logarea.header);
  struct logheader *h = (struct logheader *)bp->data;

  h->n = n;
  for(int i = 0; i < n; i++)
    h->block[i] = log.home[i];
  bwrite(bp);
  brelse(bp);
}

// Copy block `from` to block `to` on the log's device, writing `to` to
// the disk at once.
static void
copy_block(uint from, uint to)
{
  struct buf *src = bread(logarea.dev, from);
  struct buf *dst = bread(logarea.dev, to);

  memmove(dst->data, src->data, BSIZE);
  bwrite(dst);
  brelse(src);
  brelse(dst);
}

// Finish whatever transaction the disk says was committed.  Running it
// twice (a crash during recovery) does no harm: it rewrites the same data.
static void
recover(void)
{
  int n = read_header();

  if(n == 0)
    return;
  printf("log: replaying %d blocks of a committed transaction\n", n);
  for(int i = 0; i < n; i++)
    copy_block(logarea.header + 1 + i, log.home[i]);
  write_header(0);
}

// Set up the log for the file system described by sb on dev and replay a
// committed transaction left over from before a crash.  Called once from
// fsinit(), in process context.
void
initlog(int dev, struct superblock *sb)
{
  if(sizeof(struct logheader) > BSIZE)
    panic("initlog: the log header does not fit in a block");

  initlock(&log.lock, "log");
  logarea.dev = dev;
  logarea.header = sb->logstart;
  logarea.fssize = sb->size;
  // The header takes one of the nlog blocks.
  logarea.capacity = sb->nlog - 1 < LOGSIZE ? sb->nlog - 1 : LOGSIZE;
  if(logarea.capacity < MAXOPBLOCKS)
    panic("initlog: log area smaller than one operation");
  recover();
}

// ---- Transactions ------------------------------------------------------

// Write the open transaction to the disk (steps 1 to 4 at the top of the
// file).  Called by end_op with log.committing set and no operation
// active, so nothing else touches log.nblocks or log.home meanwhile.
static void
commit(void)
{
  int n = log.nblocks;

  if(n == 0)
    return;
  for(int i = 0; i < n; i++)
    copy_block(log.home[i], logarea.header + 1 + i);
  write_header(n);              // the commit point

  // Install from the cache, where log_write pinned each block.
  for(int i = 0; i < n; i++){
    struct buf *bp = bread(logarea.dev, log.home[i]);
    bwrite(bp);
    bunpin(bp);
    brelse(bp);
  }
  write_header(0);
}

// Start a file-system operation.  Waits while a commit runs, or while
// the open transaction could not take MAXOPBLOCKS more blocks from every
// operation in progress and this one.  (The blocks that operations in
// progress have logged already are counted twice, which errs on the safe
// side.)
void
begin_op(void)
{
  acquire(&log.lock);
  while(log.committing ||
        log.nblocks + (log.active + 1) * MAXOPBLOCKS > logarea.capacity)
    sleep(&log, &log.lock);
  log.active++;
  release(&log.lock);
}

// End a file-system operation.  The last operation of a transaction to
// end commits it, for all of them; the others return at once.
void
end_op(void)
{
  acquire(&log.lock);
  if(log.active < 1)
    panic("end_op: no operation in progress");
  if(log.committing)
    panic("end_op: called during a commit");
  log.active--;
  if(log.active > 0){
    // This operation's reservation is freed: a waiting begin_op may fit.
    wakeup(&log);
    release(&log.lock);
    return;
  }
  log.committing = 1;
  release(&log.lock);

  // Without log.lock, since commit sleeps in bwrite; log.committing keeps
  // every other operation out meanwhile.
  commit();

  acquire(&log.lock);
  log.nblocks = 0;
  log.committing = 0;
  wakeup(&log);
  release(&log.lock);
}

// Is block blockno in the open transaction?  The caller holds log.lock.
static int
in_transaction(uint blockno)
{
  for(int i = 0; i < log.nblocks; i++){
    if(log.home[i] == blockno)
      return 1;
  }
  return 0;
}

// Add b, which the caller has changed and still holds locked, to the open
// transaction, and pin it in the cache until it is installed.  A block
// logged again takes no new slot ("absorption").  Panics outside
// begin_op/end_op, or when operations wrote more than they reserved.
void
log_write(struct buf *b)
{
  acquire(&log.lock);
  if(log.active < 1)
    panic("log_write: outside of a transaction");
  if(!in_transaction(b->blockno)){
    if(log.nblocks >= logarea.capacity)
      panic("log_write: transaction too big for the log");
    log.home[log.nblocks++] = b->blockno;
    bpin(b);
  }
  release(&log.lock);
}
