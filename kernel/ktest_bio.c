// In-kernel tests of the buffer cache's capacity (issue 10, fault 1):
// whatever the log pins, MAXOPBLOCKS more blocks can be held at once, so
// the calls of a transaction and a commit always find a buf (the
// reasoning is above bget).  The waiting itself, with many processes,
// is tested from user space: usertests cache-storm and
// tests/test_cache.py.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/defs.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/ktest.h"

extern struct superblock sb;   // fs.c

static struct buf *held[MAXOPBLOCKS];

// With LOGSIZE blocks pinned (as a full log pins them) and released by
// their readers, MAXOPBLOCKS other blocks can still be read and held at
// the same time, each in a buf of its own; the pinned ones stay cached.
KTEST(bio_has_room_beyond_a_full_log)
{
  // The last blocks of the disk: read only, never written.
  uint first = sb.size - LOGSIZE - MAXOPBLOCKS;

  for(int i = 0; i < LOGSIZE; i++){
    struct buf *b = bread(ROOTDEV, first + i);
    bpin(b);
    brelse(b);
  }
  int distinct = 1, right = 1;
  for(int i = 0; i < MAXOPBLOCKS; i++){
    held[i] = bread(ROOTDEV, first + LOGSIZE + i);
    right &= held[i]->blockno == first + LOGSIZE + i && held[i]->valid;
    for(int j = 0; j < i; j++)
      distinct &= held[j] != held[i];
  }
  for(int i = 0; i < MAXOPBLOCKS; i++)
    brelse(held[i]);

  int still_cached = 1;
  for(int i = 0; i < LOGSIZE; i++){
    struct buf *b = bread(ROOTDEV, first + i);
    still_cached &= b->refcnt == 2;   // our hold and the pin
    bunpin(b);
    brelse(b);
  }

  CHECK(distinct, "two of the %d blocks held at once shared a buf", MAXOPBLOCKS);
  CHECK(right, "a held buf is not the block asked for, or not read");
  CHECK(still_cached, "a pinned block was not found in its pinned buf");
}
