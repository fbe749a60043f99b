// The file system: blocks, inodes, directories and path names.
//
// It is built in layers, each using the ones below it:
//   - blocks:      balloc/bfree hand out data blocks using the free bitmap;
//   - inodes:      ialloc/iget/ilock/iput/readi/writei manage files as
//                  sequences of bytes stored in blocks;
//   - directories: dirlookup/dirlink treat an inode of type T_DIR as a
//                  table of struct dirent;
//   - path names:  namei/nameiparent walk "/a/b/c" through directories.
// Below all of it are the buffer cache (bio.c) and the log (log.c): any
// function here that changes the disk must run inside begin_op/end_op.
//
// The on-disk layout is in fs.h; mkfs/mkfs.c writes the initial image.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "stat.h"
#include "spinlock.h"
#include "proc.h"
#include "sleeplock.h"
#include "fs.h"
#include "buf.h"
#include "file.h"

// The superblock of the one file system, read by fsinit().
struct superblock sb;

static void reclaim_orphans(int dev);

// Copy the superblock of dev into *s.
static void
readsb(int dev, struct superblock *s)
{
  struct buf *bp = bread(dev, 1);
  memmove(s, bp->data, sizeof(*s));
  brelse(bp);
}

// Mount the file system on dev: read the superblock, recover the log and
// free the inodes a crash left allocated but unnamed.  Called by the first
// process (it sleeps for disk I/O); panics if dev holds no file system.
void
fsinit(int dev)
{
  readsb(dev, &sb);
  if(sb.magic != FSMAGIC)
    panic("fsinit: superblock has the wrong magic number; not our file system");
  if(sb.ninodes < 2 || sb.size < 2)
    panic("fsinit: superblock describes an impossible file system");
  initlog(dev, &sb);
  reclaim_orphans(dev);
}

// ---- Blocks ------------------------------------------------------------

// Fill block blockno with zeros, through the log.
static void
zero_block(int dev, uint blockno)
{
  struct buf *bp = bread(dev, blockno);
  memset(bp->data, 0, BSIZE);
  log_write(bp);
  brelse(bp);
}

// Allocate a free block of dev, zeroed; mark it used in the bitmap.
// Returns its number, or 0 when the disk is full.  In a transaction.
static uint
balloc(uint dev)
{
  for(uint base = 0; base < sb.size; base += BPB){
    struct buf *bp = bread(dev, BBLOCK(base, sb));
    for(uint bit = 0; bit < BPB && base + bit < sb.size; bit++){
      uchar mask = 1 << (bit % 8);
      if(bp->data[bit / 8] == 0xff){
        bit += 7;               // a full byte: skip its eight blocks
        continue;
      }
      if((bp->data[bit / 8] & mask) == 0){
        bp->data[bit / 8] |= mask;
        log_write(bp);
        brelse(bp);
        zero_block(dev, base + bit);
        return base + bit;
      }
    }
    brelse(bp);
  }
  printf("balloc: out of blocks\n");
  return 0;
}

// Mark block b of dev free in the bitmap.  In a transaction.  Panics if
// it is already free or outside the disk: the caller's block list is
// corrupt.
static void
bfree(int dev, uint b)
{
  if(b >= sb.size)
    panic("bfree: block number beyond the end of the file system");
  struct buf *bp = bread(dev, BBLOCK(b, sb));
  uint bit = b % BPB;
  uchar mask = 1 << (bit % 8);
  if((bp->data[bit / 8] & mask) == 0)
    panic("bfree: block is already free");
  bp->data[bit / 8] &= ~mask;
  log_write(bp);
  brelse(bp);
}

// ---- Inodes ------------------------------------------------------------
//
// An inode describes one file or directory: its type, size, link count
// and the blocks holding its content.  On disk, inodes sit in an array of
// struct dinode starting at block sb.inodestart; an inode's number is its
// index there (0 is never used).
//
// In memory, itable keeps at most NINODE struct inodes.  An entry is in
// use while ip->ref > 0 (pointers to it exist: open files, current
// directories, functions at work); iget() and iput() count them.  The
// copy of the disk fields is loaded lazily, by ilock(), and ip->valid
// says whether it has been.
//
// Locking: itable.lock guards ref, dev and inum of every entry; an
// inode's sleeplock guards everything else of it, and must be held to
// read or write the inode's fields or content.  Keeping a reference
// (iget) and locking (ilock) are separate so that a path lookup can hold
// a directory without locking it, which avoids deadlocks.
//
// The usual sequence:
//   ip = iget(dev, inum) (or namei/dirlookup/ialloc);
//   ilock(ip);  ... read or change ip->xxx, readi, writei ...;  iunlock(ip);
//   iput(ip);
// An inode whose link count is 0 is freed on disk by the iput that drops
// its last reference.

static struct {
  struct spinlock lock;
  struct inode inode[NINODE];
} itable;

static struct inode *iget(uint dev, uint inum);

// Set up the in-memory inode table.  Called once at boot.
void
iinit(void)
{
  initlock(&itable.lock, "itable");
  for(int i = 0; i < NINODE; i++)
    initsleeplock(&itable.inode[i].lock, "inode");
}

// Allocate a free on-disk inode of dev, give it type, and return it
// referenced but unlocked.  Returns 0 if the disk has no free inode or
// the table no free entry.  In a transaction.
struct inode *
ialloc(uint dev, short type)
{
  uint first = 1;   // inode 0 does not exist

  for(uint blk = IBLOCK(first, sb); first < sb.ninodes; blk++){
    struct buf *bp = bread(dev, blk);
    struct dinode *dips = (struct dinode *)bp->data;
    uint last = (blk - sb.inodestart + 1) * IPB;   // one past this block's

    for(uint inum = first; inum < last && inum < sb.ninodes; inum++){
      struct dinode *dip = &dips[inum % IPB];
      if(dip->type != 0)
        continue;
      // Take the table entry first, while bp's lock keeps every other
      // ialloc away from this dinode; then claim it on disk.
      struct inode *ip = iget(dev, inum);
      if(ip == 0){
        brelse(bp);
        return 0;
      }
      memset(dip, 0, sizeof(*dip));
      dip->type = type;
      log_write(bp);
      brelse(bp);
      return ip;
    }
    brelse(bp);
    first = last;
  }
  printf("ialloc: no free inodes\n");
  return 0;
}

// Write ip's fields to its dinode.  Call after every change to a field
// that lives on disk.  The caller holds ip->lock and is in a transaction.
void
iupdate(struct inode *ip)
{
  struct buf *bp = bread(ip->dev, IBLOCK(ip->inum, sb));
  struct dinode *dip = (struct dinode *)bp->data + ip->inum % IPB;

  dip->type = ip->type;
  dip->major = ip->major;
  dip->minor = ip->minor;
  dip->nlink = ip->nlink;
  dip->size = ip->size;
  memmove(dip->addrs, ip->addrs, sizeof(ip->addrs));
  log_write(bp);
  brelse(bp);
}

// Return the table entry for inode inum of dev with one more reference,
// taking a free entry if it is not there yet.  Neither locks it nor reads
// the disk.  Returns 0 if the table is full.
static struct inode *
iget(uint dev, uint inum)
{
  struct inode *ip, *unused = 0;

  acquire(&itable.lock);
  for(ip = itable.inode; ip < itable.inode + NINODE; ip++){
    if(ip->ref > 0 && ip->dev == dev && ip->inum == inum){
      ip->ref++;
      release(&itable.lock);
      return ip;
    }
    if(ip->ref == 0 && unused == 0)
      unused = ip;
  }
  if(unused == 0){
    release(&itable.lock);
    printf("iget: inode table full\n");
    return 0;
  }
  unused->dev = dev;
  unused->inum = inum;
  unused->ref = 1;
  unused->valid = 0;
  release(&itable.lock);
  return unused;
}

// Add a reference to ip and return it (so that `p = idup(q)` reads well).
struct inode *
idup(struct inode *ip)
{
  acquire(&itable.lock);
  ip->ref++;
  release(&itable.lock);
  return ip;
}

// Lock ip, reading its fields from disk the first time.  Panics if the
// caller has no reference or the dinode is free (a directory entry that
// points at nothing means the disk is corrupt).
void
ilock(struct inode *ip)
{
  if(ip == 0 || ip->ref < 1)
    panic("ilock: inode not referenced");

  acquiresleep(&ip->lock);
  if(!ip->valid){
    struct buf *bp = bread(ip->dev, IBLOCK(ip->inum, sb));
    struct dinode *dip = (struct dinode *)bp->data + ip->inum % IPB;
    ip->type = dip->type;
    ip->major = dip->major;
    ip->minor = dip->minor;
    ip->nlink = dip->nlink;
    ip->size = dip->size;
    memmove(ip->addrs, dip->addrs, sizeof(ip->addrs));
    brelse(bp);
    ip->valid = 1;
    if(ip->type == 0)
      panic("ilock: inode is free on disk");
  }
}

// Unlock ip, which the caller has locked.
void
iunlock(struct inode *ip)
{
  if(ip == 0 || !holdingsleep(&ip->lock) || ip->ref < 1)
    panic("iunlock: inode not locked by the caller");
  releasesleep(&ip->lock);
}

// Drop a reference to ip.  If it was the last and no directory names
// the inode any more, free its blocks and the inode itself on disk.
// Must be called in a transaction, since it may write.
void
iput(struct inode *ip)
{
  acquire(&itable.lock);
  if(ip->ref < 1)
    panic("iput: inode not referenced");

  if(ip->ref == 1 && ip->valid && ip->nlink == 0){
    // No other reference exists and none can appear (no directory entry
    // leads here), so this acquiresleep never waits, and itable.lock may
    // be dropped while the disk is written.
    acquiresleep(&ip->lock);
    release(&itable.lock);

    itrunc(ip);
    ip->type = 0;
    iupdate(ip);
    ip->valid = 0;

    releasesleep(&ip->lock);
    acquire(&itable.lock);
  }

  ip->ref--;
  release(&itable.lock);
}

// iunlock(ip), then iput(ip).
void
iunlockput(struct inode *ip)
{
  iunlock(ip);
  iput(ip);
}

// At mount time: free every inode that is allocated but has no links.
// Such inodes were unlinked while still open, and the power went before
// the last close could free them.
static void
reclaim_orphans(int dev)
{
  for(uint inum = 1; inum < sb.ninodes; inum++){
    struct buf *bp = bread(dev, IBLOCK(inum, sb));
    struct dinode *dip = (struct dinode *)bp->data + inum % IPB;
    int orphan = dip->type != 0 && dip->nlink == 0;
    brelse(bp);
    if(!orphan)
      continue;

    printf("fsinit: freeing inode %d, unlinked but still open at the crash\n",
           inum);
    begin_op();
    struct inode *ip = iget(dev, inum);
    if(ip == 0)
      panic("reclaim_orphans: inode table full at boot");
    ilock(ip);          // loads it, so iput sees nlink == 0 and frees it
    iunlockput(ip);
    end_op();
  }
}

// ---- Inode content -----------------------------------------------------
//
// An inode's content is a list of blocks: the first NDIRECT block numbers
// are in ip->addrs[0..NDIRECT-1]; the next NINDIRECT are in the block
// ip->addrs[NDIRECT] (the indirect block).  A 0 means "not allocated".

// Return the disk block holding block bn of ip's content, allocating it
// (and the indirect block) if needed.  Returns 0 when the disk is full.
// The caller holds ip->lock; allocation needs a transaction.
static uint
bmap(struct inode *ip, uint bn)
{
  uint addr;

  if(bn < NDIRECT){
    addr = ip->addrs[bn];
    if(addr == 0){
      addr = balloc(ip->dev);
      ip->addrs[bn] = addr;
    }
    return addr;
  }

  bn -= NDIRECT;
  if(bn >= NINDIRECT)
    panic("bmap: block index beyond the largest file");

  uint indirect = ip->addrs[NDIRECT];
  if(indirect == 0){
    indirect = balloc(ip->dev);
    if(indirect == 0)
      return 0;
    ip->addrs[NDIRECT] = indirect;
  }
  struct buf *bp = bread(ip->dev, indirect);
  uint *table = (uint *)bp->data;
  addr = table[bn];
  if(addr == 0){
    addr = balloc(ip->dev);
    if(addr != 0){
      table[bn] = addr;
      log_write(bp);
    }
  }
  brelse(bp);
  return addr;
}

// Free all of ip's content blocks and set its size to 0.  The caller
// holds ip->lock and is in a transaction.
void
itrunc(struct inode *ip)
{
  for(int i = 0; i < NDIRECT; i++){
    if(ip->addrs[i]){
      bfree(ip->dev, ip->addrs[i]);
      ip->addrs[i] = 0;
    }
  }

  if(ip->addrs[NDIRECT]){
    struct buf *bp = bread(ip->dev, ip->addrs[NDIRECT]);
    uint *table = (uint *)bp->data;
    for(int i = 0; i < NINDIRECT; i++){
      if(table[i])
        bfree(ip->dev, table[i]);
    }
    brelse(bp);
    bfree(ip->dev, ip->addrs[NDIRECT]);
    ip->addrs[NDIRECT] = 0;
  }

  ip->size = 0;
  iupdate(ip);
}

// Fill *st from ip.  The caller holds ip->lock.
void
stati(struct inode *ip, struct stat *st)
{
  st->dev = ip->dev;
  st->ino = ip->inum;
  st->type = ip->type;
  st->nlink = ip->nlink;
  st->size = ip->size;
}

// Copy up to n bytes of ip's content, starting at byte off, to dst (a
// user address if user_dst, else a kernel one).  Stops at the end of the
// file.  Returns the bytes copied, or -1 if the copy to dst failed.  The
// caller holds ip->lock.
int
readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n)
{
  uint done;

  if(off > ip->size || off + n < off)
    return 0;
  if(off + n > ip->size)
    n = ip->size - off;

  for(done = 0; done < n; ){
    uint addr = bmap(ip, off / BSIZE);
    if(addr == 0)
      break;
    struct buf *bp = bread(ip->dev, addr);
    uint chunk = BSIZE - off % BSIZE;
    if(chunk > n - done)
      chunk = n - done;
    if(either_copyout(user_dst, dst, bp->data + off % BSIZE, chunk) < 0){
      brelse(bp);
      return -1;
    }
    brelse(bp);
    done += chunk;
    off += chunk;
    dst += chunk;
  }
  return done;
}

// Copy n bytes from src (a user address if user_src) into ip's content at
// byte off, growing the file if it ends beyond the old size.  Returns the
// bytes written: fewer than n if the disk filled up or src went bad part
// way; -1 if off is past the end or the result would exceed MAXFILE
// blocks.  The caller holds ip->lock and is in a transaction.
int
writei(struct inode *ip, int user_src, uint64 src, uint off, uint n)
{
  uint done;

  if(off > ip->size || off + n < off)
    return -1;
  if((uint64)off + n > (uint64)MAXFILE * BSIZE)
    return -1;

  for(done = 0; done < n; ){
    uint addr = bmap(ip, off / BSIZE);
    if(addr == 0)
      break;
    struct buf *bp = bread(ip->dev, addr);
    uint chunk = BSIZE - off % BSIZE;
    if(chunk > n - done)
      chunk = n - done;
    if(either_copyin(bp->data + off % BSIZE, user_src, src, chunk) < 0){
      brelse(bp);
      break;
    }
    log_write(bp);
    brelse(bp);
    done += chunk;
    off += chunk;
    src += chunk;
  }

  if(off > ip->size)
    ip->size = off;
  // Even without growth, bmap may have filled in ip->addrs.
  iupdate(ip);
  return done;
}

// ---- Directories -------------------------------------------------------

// Compare two directory entry names (at most DIRSIZ bytes matter).
int
namecmp(const char *s, const char *t)
{
  return strncmp(s, t, DIRSIZ);
}

// Look name up in directory dp.  Returns its inode, referenced and
// unlocked, and sets *poff (if poff != 0) to the entry's byte offset; or
// returns 0 if there is no such entry.  The caller holds dp->lock.
struct inode *
dirlookup(struct inode *dp, char *name, uint *poff)
{
  struct dirent de;

  if(dp->type != T_DIR)
    panic("dirlookup: not a directory");

  for(uint off = 0; off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      panic("dirlookup: cannot read a directory entry");
    if(de.inum == 0 || namecmp(name, de.name) != 0)
      continue;
    if(poff)
      *poff = off;
    return iget(dp->dev, de.inum);
  }
  return 0;
}

// Add the entry (name, inum) to directory dp, reusing an empty slot if
// there is one.  Returns 0, or -1 if name is already there or the
// directory cannot grow.  The caller holds dp->lock and is in a
// transaction.
int
dirlink(struct inode *dp, char *name, uint inum)
{
  struct dirent de;
  uint off, slot = dp->size;   // where the entry goes: the end, or a hole

  // Compare names here rather than with dirlookup, whose iget could fail
  // when the inode table is full and so hide an existing entry.
  for(off = 0; off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      panic("dirlink: cannot read a directory entry");
    if(de.inum == 0){
      if(slot == dp->size)
        slot = off;
    } else if(namecmp(name, de.name) == 0){
      return -1;
    }
  }

  memset(&de, 0, sizeof(de));
  strncpy(de.name, name, DIRSIZ);
  de.inum = inum;
  if(writei(dp, 0, (uint64)&de, slot, sizeof(de)) != sizeof(de))
    return -1;
  return 0;
}

// ---- Path names --------------------------------------------------------

// Split the first element off path: copy it to name (DIRSIZ bytes at
// most; NUL-terminated only when shorter, like a dirent's name; longer
// elements are cut short) and return what follows, without its leading
// slashes.  Returns 0 if path holds no element at all.
//
//   next_element("a/bb/c", name) = "bb/c", name = "a"
//   next_element("///a//bb", name) = "bb", name = "a"
//   next_element("a", name) = "", name = "a"
//   next_element("", name) = next_element("////", name) = 0
static char *
next_element(char *path, char *name)
{
  char *start;
  int len;

  while(*path == '/')
    path++;
  if(*path == 0)
    return 0;
  start = path;
  while(*path != '/' && *path != 0)
    path++;
  len = path - start;
  if(len >= DIRSIZ){
    memmove(name, start, DIRSIZ);
  } else {
    memmove(name, start, len);
    name[len] = 0;
  }
  while(*path == '/')
    path++;
  return path;
}

// Walk path from the root (if it starts with '/') or the current
// directory.  Returns the inode it names, or, if parent is set, the
// directory holding the last element, whose name is copied to name
// (DIRSIZ bytes).  Returns 0 if a step is missing or not a directory.
// The result is referenced, unlocked.  Must be in a transaction (iput).
static struct inode *
namex(char *path, int parent, char *name)
{
  struct inode *ip, *next;

  if(*path == '/')
    ip = iget(ROOTDEV, ROOTINO);
  else
    ip = idup(myproc()->cwd);
  if(ip == 0)
    return 0;

  while((path = next_element(path, name)) != 0){
    ilock(ip);
    // A directory that has been removed (nlink 0; a process may still
    // have it as its working directory) leads nowhere: nothing may be
    // created in it, and its ".." may name an inode since reused.
    if(ip->type != T_DIR || ip->nlink == 0){
      iunlockput(ip);
      return 0;
    }
    if(parent && *path == 0){
      iunlock(ip);
      return ip;
    }
    next = dirlookup(ip, name, 0);
    // Unlock ip before locking next: for "." they are the same inode, and
    // for ".." locking child then parent could deadlock against a walk
    // locking parent then child.
    iunlockput(ip);
    if(next == 0)
      return 0;
    ip = next;
  }

  if(parent){
    // path was "/" or empty: it has no last element to create or remove.
    iput(ip);
    return 0;
  }
  return ip;
}

// The inode path names, or 0.  See namex.
struct inode *
namei(char *path)
{
  char name[DIRSIZ];
  return namex(path, 0, name);
}

// The directory holding path's last element, whose name goes to name
// (room for DIRSIZ bytes); or 0.  See namex.
struct inode *
nameiparent(char *path, char *name)
{
  return namex(path, 1, name);
}
