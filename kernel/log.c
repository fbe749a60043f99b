// The write-ahead log, which makes file-system calls atomic across a
// crash or a power cut.
//
// A system call that changes the disk brackets its work:
//
//   begin_op();
//   ...  bp = bread(...); change bp->data; log_write(bp); brelse(bp); ...
//   end_op();
//
// log_write() does not write anything: it notes the block number and pins
// the buf in the cache.  When the last outstanding operation calls end_op(),
// all the blocks noted since the previous commit are committed together
// ("group commit"):
//   1. each block is copied into the log area on the disk;
//   2. the log header is written with their count and home addresses --
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
// Every operation may write up to MAXOPBLOCKS distinct blocks; begin_op()
// admits a new operation only while the log has room for that many more
// from every operation in progress.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "buf.h"

// The header block's contents (and its copy in memory).
struct logheader {
  int n;                 // blocks in the committed transaction, or 0
  int block[LOGSIZE];    // home block number of each
};

static struct {
  struct spinlock lock;  // guards outstanding, committing and lh
  int dev;
  int start;             // block number of the header
  int capacity;          // most blocks one commit may hold
  uint fssize;           // blocks in the file system, for sanity checks
  int outstanding;       // operations between begin_op and end_op
  int committing;        // commit() is running: no new operations
  struct logheader lh;   // blocks logged since the last commit
} log;

static void recover(void);
static void commit(void);

// Set up the log for the file system described by sb on dev and replay a
// committed transaction left over from before a crash.  Called once from
// fsinit(), in process context.
void
initlog(int dev, struct superblock *sb)
{
  if(sizeof(struct logheader) > BSIZE)
    panic("initlog: the log header does not fit in a block");

  initlock(&log.lock, "log");
  log.dev = dev;
  log.start = sb->logstart;
  log.fssize = sb->size;
  // The header takes one of the nlog blocks.
  log.capacity = sb->nlog - 1;
  if(log.capacity > LOGSIZE)
    log.capacity = LOGSIZE;
  if(log.capacity < MAXOPBLOCKS)
    panic("initlog: log area smaller than one operation");
  recover();
}

// Copy the on-disk header into log.lh.  Panics on a header no kernel
// could have written.
static void
read_head(void)
{
  struct buf *b = bread(log.dev, log.start);
  struct logheader *disk_lh = (struct logheader *)b->data;

  if(disk_lh->n < 0 || disk_lh->n > log.capacity)
    panic("read_head: log header has an impossible count");
  log.lh.n = disk_lh->n;
  for(int i = 0; i < log.lh.n; i++){
    if(disk_lh->block[i] <= 1 || disk_lh->block[i] >= log.fssize)
      panic("read_head: log header names a block outside the file system");
    log.lh.block[i] = disk_lh->block[i];
  }
  brelse(b);
}

// Write log.lh to the header block.  With n > 0 this commits the
// transaction; with n == 0 it retires it.
static void
write_head(void)
{
  struct buf *b = bread(log.dev, log.start);
  struct logheader *disk_lh = (struct logheader *)b->data;

  disk_lh->n = log.lh.n;
  for(int i = 0; i < log.lh.n; i++)
    disk_lh->block[i] = log.lh.block[i];
  bwrite(b);
  brelse(b);
}

// Copy every block of the transaction from the cache into the log area.
static void
copy_to_log(void)
{
  for(int i = 0; i < log.lh.n; i++){
    struct buf *from = bread(log.dev, log.lh.block[i]);
    struct buf *to = bread(log.dev, log.start + 1 + i);
    memmove(to->data, from->data, BSIZE);
    bwrite(to);
    brelse(from);
    brelse(to);
  }
}

// After the commit point: write each block of the transaction to its home
// location from the cache, where log_write pinned it, and unpin it.
static void
install_from_cache(void)
{
  for(int i = 0; i < log.lh.n; i++){
    struct buf *b = bread(log.dev, log.lh.block[i]);
    bwrite(b);
    bunpin(b);
    brelse(b);
  }
}

// At boot: write each block of a committed transaction from the log area
// to its home location.
static void
install_from_log(void)
{
  for(int i = 0; i < log.lh.n; i++){
    struct buf *from = bread(log.dev, log.start + 1 + i);
    struct buf *to = bread(log.dev, log.lh.block[i]);
    memmove(to->data, from->data, BSIZE);
    bwrite(to);
    brelse(from);
    brelse(to);
  }
}

// Finish whatever transaction the disk says was committed.  Running it
// twice (a crash during recovery) does no harm: it rewrites the same data.
static void
recover(void)
{
  read_head();
  if(log.lh.n > 0)
    printf("log: replaying %d blocks of a committed transaction\n", log.lh.n);
  install_from_log();
  log.lh.n = 0;
  write_head();
}

// Start a file-system operation, waiting while a commit runs or while the
// log could not hold this operation's MAXOPBLOCKS blocks on top of what
// the operations in progress may still write.
void
begin_op(void)
{
  acquire(&log.lock);
  for(;;){
    if(log.committing){
      sleep(&log, &log.lock);
    } else if(log.lh.n + (log.outstanding + 1) * MAXOPBLOCKS > log.capacity){
      sleep(&log, &log.lock);
    } else {
      log.outstanding++;
      break;
    }
  }
  release(&log.lock);
}

// End a file-system operation; the last one to end commits for all.
void
end_op(void)
{
  int do_commit = 0;

  acquire(&log.lock);
  if(log.outstanding < 1)
    panic("end_op: no operation in progress");
  if(log.committing)
    panic("end_op: called during a commit");
  log.outstanding--;
  if(log.outstanding == 0){
    do_commit = 1;
    log.committing = 1;
  } else {
    // This operation's reservation is gone; a waiting begin_op may fit.
    wakeup(&log);
  }
  release(&log.lock);

  if(do_commit){
    // Sleeps in bwrite: must not hold log.lock.  committing keeps
    // everyone else out meanwhile.
    commit();
    acquire(&log.lock);
    log.committing = 0;
    wakeup(&log);
    release(&log.lock);
  }
}

// Commit the blocks logged since the last commit (see the top of file).
static void
commit(void)
{
  if(log.lh.n == 0)
    return;
  copy_to_log();
  write_head();          // the commit point
  install_from_cache();
  log.lh.n = 0;
  write_head();          // retire the transaction
}

// Record that b, modified by the caller (who holds b->lock), belongs to
// the current transaction, and keep it in the cache until it is
// installed.  A block logged twice takes one slot ("absorption").
// Panics outside begin_op/end_op or when an operation wrote more than it
// reserved.
void
log_write(struct buf *b)
{
  int i;

  acquire(&log.lock);
  if(log.outstanding < 1)
    panic("log_write: outside of a transaction");
  for(i = 0; i < log.lh.n; i++){
    if(log.lh.block[i] == b->blockno)
      break;
  }
  if(i == log.lh.n){
    if(log.lh.n >= log.capacity)
      panic("log_write: transaction too big for the log");
    log.lh.block[i] = b->blockno;
    log.lh.n++;
    bpin(b);
  }
  release(&log.lock);
}
