// The file system: blocks, inodes, directories and path names.
//
// It is built in layers, each using the ones below it:
//   - blocks:      balloc/bfree hand out data blocks using the free bitmap;
//   - inodes:      an in-memory cache of inodes (iget/idup/iput), their
//                  locks (ilock/iunlock), and their content as a sequence
//                  of bytes stored in blocks (readi/writei/itrunc);
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

static void free_orphans(uint dev);

// Mount the file system on dev: read the superblock, recover the log and
// free the inodes a crash left allocated but unnamed.  Called by the first
// process (it sleeps for disk I/O); panics if dev holds no file system.
void
fsinit(int dev)
{
  struct buf *bp = bread(dev, 1);
  memmove(&sb, bp->data, sizeof(sb));
  brelse(bp);

  if(sb.magic != FSMAGIC)
    panic("fsinit: superblock has the wrong magic number; not our file system");
  if(sb.ninodes < 2 || sb.size < 2)
    panic("fsinit: superblock describes an impossible file system");
  initlog(dev, &sb);
  free_orphans(dev);
}

// ---- Blocks ------------------------------------------------------------
//
// The free bitmap holds one bit per block of the disk, set while the block
// is in use.  Block b's bit is bit b % 8 of byte (b % BPB) / 8 of bitmap
// block BBLOCK(b, sb).  mkfs marks the metadata blocks in use.

// The index of the lowest clear bit among the first nbits of map, or -1
// if every one is set.
static int
first_clear_bit(uchar *map, uint nbits)
{
  for(uint byte = 0; byte * 8 < nbits; byte++){
    if(map[byte] == 0xff)
      continue;               // eight blocks in use: skip them at once
    for(uint bit = byte * 8; bit < nbits && bit < byte * 8 + 8; bit++){
      if((map[byte] & (1 << (bit % 8))) == 0)
        return bit;
    }
  }
  return -1;
}

// Overwrite block blockno with zeros, through the log.
static void
zero_block(uint dev, uint blockno)
{
  struct buf *bp = bread(dev, blockno);
  memset(bp->data, 0, BSIZE);
  log_write(bp);
  brelse(bp);
}

// Allocate a free block of dev, mark it used and fill it with zeros.
// Returns its number, or 0 when the disk is full.  In a transaction.
static uint
balloc(uint dev)
{
  for(uint first = 0; first < sb.size; first += BPB){
    uint span = sb.size - first < BPB ? sb.size - first : BPB;
    struct buf *map = bread(dev, BBLOCK(first, sb));
    int bit = first_clear_bit(map->data, span);
    if(bit < 0){
      brelse(map);
      continue;
    }
    map->data[bit / 8] |= 1 << (bit % 8);
    log_write(map);
    brelse(map);
    // No one else can take the block now that its bit is set.
    zero_block(dev, first + bit);
    return first + bit;
  }
  printf("balloc: out of blocks\n");
  return 0;
}

// Give block b of dev back to the bitmap.  In a transaction.  Panics if
// it is already free or beyond the disk: the caller's list of blocks is
// corrupt.
static void
bfree(uint dev, uint b)
{
  if(b >= sb.size)
    panic("bfree: block number beyond the end of the file system");
  struct buf *map = bread(dev, BBLOCK(b, sb));
  uchar *byte = &map->data[(b % BPB) / 8];
  uchar mask = 1 << (b % 8);
  if(!(*byte & mask))
    panic("bfree: block is already free");
  *byte &= ~mask;
  log_write(map);
  brelse(map);
}

// ---- The inode cache ---------------------------------------------------
//
// An inode describes one file or directory: its type, size, link count
// and the blocks holding its content.  On disk, inodes sit in an array of
// struct dinode starting at block sb.inodestart; an inode's number is its
// index there (0 is never used).
//
// In memory, the cache holds at most NINODE struct inodes.  A slot is in
// use while its ref > 0: that many pointers to it exist (open files,
// current directories, functions at work).  iget() and idup() add a
// reference, iput() drops one.  The fields copied from the dinode are
// loaded lazily, by the first ilock(); ip->valid says whether they are.
//
// Locking: icache.lock guards dev, inum and ref of every slot.  An
// inode's own sleeplock guards everything else of it, and is held to read
// or change its fields or content.  Holding a reference and holding the
// lock are separate so that a path walk can keep a directory without
// locking it, which avoids deadlocks.
//
// The usual sequence:
//   ip = namei(path);   (or iget, dirlookup, ialloc: a reference)
//   ilock(ip);  ... use ip->xxx, readi, writei ...;  iunlock(ip);
//   iput(ip);
// The iput that drops the last reference to an inode with no links left
// deletes the file on disk.

static struct {
  struct spinlock lock;
  struct inode slot[NINODE];
} icache;

// Set up the inode cache.  Called once at boot.
void
iinit(void)
{
  initlock(&icache.lock, "icache");
  for(struct inode *ip = icache.slot; ip < &icache.slot[NINODE]; ip++)
    initsleeplock(&ip->lock, "inode");
}

// The slot caching inode inum of dev, or else the first unused slot, or
// else 0.  The caller holds icache.lock.
static struct inode *
icache_slot(uint dev, uint inum)
{
  struct inode *spare = 0;

  for(struct inode *ip = icache.slot; ip < &icache.slot[NINODE]; ip++){
    if(ip->ref == 0){
      if(spare == 0)
        spare = ip;
    } else if(ip->dev == dev && ip->inum == inum){
      return ip;
    }
  }
  return spare;
}

// Add a reference to ip and return it (so that `p = idup(q)` reads well).
struct inode *
idup(struct inode *ip)
{
  acquire(&icache.lock);
  ip->ref++;
  release(&icache.lock);
  return ip;
}

// A referenced pointer to inode inum of dev, taking an unused slot if the
// inode is not cached yet.  Neither locks it nor reads the disk.  Returns
// 0 if all NINODE slots are in use.
static struct inode *
iget(uint dev, uint inum)
{
  acquire(&icache.lock);
  struct inode *ip = icache_slot(dev, inum);
  if(ip == 0){
    release(&icache.lock);
    printf("iget: inode table full\n");
    return 0;
  }
  if(ip->ref == 0){
    // A fresh slot: bind it to the inode; the first ilock loads it.
    ip->dev = dev;
    ip->inum = inum;
    ip->valid = 0;
  }
  ip->ref++;
  release(&icache.lock);
  return ip;
}

// ---- Inodes on disk ----------------------------------------------------

// Read the block holding ip's dinode and point *dip at the dinode in it.
// The caller releases the block.
static struct buf *
read_dinode(struct inode *ip, struct dinode **dip)
{
  struct buf *bp = bread(ip->dev, IBLOCK(ip->inum, sb));
  *dip = (struct dinode *)bp->data + ip->inum % IPB;
  return bp;
}

// Load ip's disk fields from its dinode.  Panics if the dinode is free:
// whatever led here (a directory entry) points at nothing, so the disk
// is corrupt.  The caller holds ip->lock.
static void
iload(struct inode *ip)
{
  struct dinode *dip;
  struct buf *bp = read_dinode(ip, &dip);
  struct dinode d = *dip;
  brelse(bp);

  if(d.type == 0)
    panic("ilock: inode is free on disk");
  ip->type = d.type;
  ip->major = d.major;
  ip->minor = d.minor;
  ip->nlink = d.nlink;
  ip->size = d.size;
  memmove(ip->addrs, d.addrs, sizeof(ip->addrs));
  ip->valid = 1;
}

// Write ip's fields to its dinode.  Call after every change to a field
// that lives on disk.  The caller holds ip->lock and is in a transaction.
void
iupdate(struct inode *ip)
{
  struct dinode *dip;
  struct buf *bp = read_dinode(ip, &dip);

  *dip = (struct dinode){
    .type = ip->type, .major = ip->major, .minor = ip->minor,
    .nlink = ip->nlink, .size = ip->size,
  };
  memmove(dip->addrs, ip->addrs, sizeof(dip->addrs));
  log_write(bp);
  brelse(bp);
}

// Describe ip in *st.  Every byte of *st is set, padding included, since
// it is bound for user space.  The caller holds ip->lock.
void
stati(struct inode *ip, struct stat *st)
{
  memset(st, 0, sizeof(*st));
  st->dev = ip->dev;
  st->ino = ip->inum;
  st->type = ip->type;
  st->nlink = ip->nlink;
  st->size = ip->size;
}

// Allocate a free on-disk inode of dev, give it type, and return it
// referenced but unlocked.  Returns 0 if the disk has no free inode or
// the cache no free slot.  In a transaction.
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
      // Take the cache slot first, while bp's lock keeps every other
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

// ---- Locking, and the end of an inode's life ---------------------------

// Lock ip, loading its fields from disk the first time.  Panics if the
// caller holds no reference, or (iload) if the dinode is free.
void
ilock(struct inode *ip)
{
  if(ip == 0 || ip->ref < 1)
    panic("ilock: inode not referenced");
  acquiresleep(&ip->lock);
  if(!ip->valid)
    iload(ip);
}

// Unlock ip, which the caller has locked.
void
iunlock(struct inode *ip)
{
  if(ip == 0 || ip->ref < 1 || !holdingsleep(&ip->lock))
    panic("iunlock: inode not locked by the caller");
  releasesleep(&ip->lock);
}

// Unlock ip and drop the caller's reference: iunlock(ip), then iput(ip).
void
iunlockput(struct inode *ip)
{
  iunlock(ip);
  iput(ip);
}

// Is the caller's reference to ip the only one, to an inode that no
// directory names any more?  Then nothing else can reach ip while that
// reference is held: no path leads to it, and ialloc passes it by while
// its dinode is in use.  The caller holds icache.lock, not ip->lock;
// reading ip's fields is safe all the same, since when ref == 1 no one
// else can hold ip->lock.
static int
unreachable(struct inode *ip)
{
  return ip->ref == 1 && ip->valid && ip->nlink == 0;
}

// Free the blocks and the dinode of ip, which is unreachable() but for
// the caller's reference.  In a transaction.
static void
delete_file(struct inode *ip)
{
  acquiresleep(&ip->lock);    // never waits: no one else can reach ip
  itrunc(ip);
  ip->type = 0;               // the dinode is free once this commits
  iupdate(ip);
  // Once ip is unlocked, ialloc may reuse the dinode and iget this very
  // slot; the new owner's ilock must load the new inode, not keep ours.
  ip->valid = 0;
  releasesleep(&ip->lock);
}

// Drop a reference to ip.  If it was the last and no directory names the
// inode any more, delete the file: free its blocks and its dinode.  Must
// be called in a transaction, since it may write.
void
iput(struct inode *ip)
{
  acquire(&icache.lock);
  if(ip->ref < 1)
    panic("iput: inode not referenced");
  if(unreachable(ip)){
    // Deleting sleeps on the disk, so not under the spinlock.  The
    // reference stays counted meanwhile and so the slot stays bound to
    // this inode: an ialloc that reuses the dinode finds this slot (and
    // waits for its lock) instead of caching the inode a second time.
    release(&icache.lock);
    delete_file(ip);
    acquire(&icache.lock);
  }
  ip->ref--;
  release(&icache.lock);
}

// At mount time: free every inode that is allocated but has no links.
// Such inodes were unlinked while still open, and the power went before
// the last close could free them.
static void
free_orphans(uint dev)
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
      panic("free_orphans: inode table full at boot");
    ilock(ip);          // loads it, so iput sees nlink == 0 and frees it
    iunlockput(ip);
    end_op();
  }
}

// ---- Inode content -----------------------------------------------------
//
// An inode's content is a sequence of blocks.  Block bn (bytes bn*BSIZE
// on) lives at disk block ip->addrs[bn] for the first NDIRECT, and for
// the next NINDIRECT at entry bn - NDIRECT of the indirect block, whose
// number is ip->addrs[NDIRECT].  An address of 0 means "not allocated".

// The block number in *slot; if the slot is empty, first allocate a block
// and store its number there.  Returns 0 (the slot stays empty) when the
// disk is full.  The caller makes the change to *slot durable.
static uint
fill_slot(uint dev, uint *slot)
{
  if(*slot == 0)
    *slot = balloc(dev);
  return *slot;
}

// The disk block holding block bn of ip's content, allocated (with the
// indirect block) if needed.  Returns 0 when the disk is full.  The caller
// holds ip->lock, is in a transaction if blocks may be allocated, and
// calls iupdate afterwards, since ip->addrs may change.
static uint
bmap(struct inode *ip, uint bn)
{
  if(bn < NDIRECT)
    return fill_slot(ip->dev, &ip->addrs[bn]);

  bn -= NDIRECT;
  if(bn >= NINDIRECT)
    panic("bmap: block index beyond the largest file");
  uint table = fill_slot(ip->dev, &ip->addrs[NDIRECT]);
  if(table == 0)
    return 0;
  struct buf *bp = bread(ip->dev, table);
  uint *slot = (uint *)bp->data + bn;
  uint before = *slot;
  uint addr = fill_slot(ip->dev, slot);
  if(addr != before)
    log_write(bp);
  brelse(bp);
  return addr;
}

// Free disk block b and, if it is an indirect block (depth 1), first
// every block it lists.  b == 0 (nothing allocated) is passed over.  In a
// transaction.
static void
free_tree(uint dev, uint b, int depth)
{
  if(b == 0)
    return;
  if(depth > 0){
    struct buf *bp = bread(dev, b);
    uint *entry = (uint *)bp->data;
    for(int i = 0; i < NINDIRECT; i++)
      free_tree(dev, entry[i], depth - 1);
    brelse(bp);
  }
  bfree(dev, b);
}

// Free all of ip's content blocks and set its size to 0.  The caller
// holds ip->lock and is in a transaction.
void
itrunc(struct inode *ip)
{
  for(int i = 0; i < NDIRECT + 1; i++){
    free_tree(ip->dev, ip->addrs[i], i < NDIRECT ? 0 : 1);
    ip->addrs[i] = 0;
  }
  ip->size = 0;
  iupdate(ip);
}

// Move up to n bytes between ip's content, from byte off, and the memory
// at addr (user memory if user): into the file if into_file, else out of
// it.  Stops early at a block that cannot be allocated (disk full) or at
// a copy that faults; *faulted tells which.  Returns the bytes moved.
// The caller holds ip->lock, has checked off and n against the file's
// size, and is in a transaction if into_file.
static uint
move_bytes(struct inode *ip, int into_file, int user, uint64 addr,
           uint off, uint n, int *faulted)
{
  uint moved = 0;

  *faulted = 0;
  while(moved < n){
    uint pos = off + moved;
    uint blockno = bmap(ip, pos / BSIZE);
    if(blockno == 0)
      break;
    uint skip = pos % BSIZE;
    uint len = BSIZE - skip;
    if(len > n - moved)
      len = n - moved;

    struct buf *bp = bread(ip->dev, blockno);
    uchar *p = bp->data + skip;
    int r = into_file ? either_copyin(p, user, addr + moved, len)
                      : either_copyout(user, addr + moved, p, len);
    // Even a failed copy in may have changed part of the block: log it
    // so that the cache and the disk agree.
    if(into_file)
      log_write(bp);
    brelse(bp);
    if(r < 0){
      *faulted = 1;
      break;
    }
    moved += len;
  }
  return moved;
}

// Copy up to n bytes of ip's content, starting at byte off, to dst (a
// user address if user_dst, else a kernel one).  Stops at the end of the
// file.  Returns the bytes copied, or -1 if the copy to dst failed.  The
// caller holds ip->lock.
int
readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n)
{
  int faulted;

  if(off >= ip->size)
    return 0;
  if(n > ip->size - off)
    n = ip->size - off;
  uint got = move_bytes(ip, 0, user_dst, dst, off, n, &faulted);
  return faulted ? -1 : got;
}

// Copy n bytes from src (a user address if user_src) into ip's content at
// byte off, growing the file if it ends beyond the old size.  Returns the
// bytes written: fewer than n if the disk filled up or src went bad part
// way; -1 if off is past the end or the result would exceed MAXFILE
// blocks.  The caller holds ip->lock and is in a transaction.
int
writei(struct inode *ip, int user_src, uint64 src, uint off, uint n)
{
  int faulted;

  if(off > ip->size || (uint64)off + n > (uint64)MAXFILE * BSIZE)
    return -1;
  uint put = move_bytes(ip, 1, user_src, src, off, n, &faulted);
  if(off + put > ip->size)
    ip->size = off + put;
  // Written back even when the size stays: bmap may have filled in
  // entries of ip->addrs.
  iupdate(ip);
  return put;
}

// ---- Directories -------------------------------------------------------
//
// A directory's content is an array of struct dirent; an entry with inum
// 0 is a free slot.  Its size is always a multiple of the entry size.

// Compare two directory entry names (at most DIRSIZ bytes matter).
int
namecmp(const char *s, const char *t)
{
  return strncmp(s, t, DIRSIZ);
}

// Search directory dp for name.  Returns the entry's inode number and
// sets *at to its byte offset; or returns 0 if there is no such entry.
// Either way *hole is set to the offset of the first free slot, or to
// dp->size if there is none.  The caller holds dp->lock.
static uint
dir_search(struct inode *dp, char *name, uint *at, uint *hole)
{
  struct dirent de;

  if(dp->type != T_DIR)
    panic("dir_search: not a directory");
  *hole = dp->size;
  for(uint off = 0; off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      panic("dir_search: cannot read a directory entry");
    if(de.inum == 0){
      if(*hole == dp->size)
        *hole = off;
    } else if(namecmp(name, de.name) == 0){
      *at = off;
      return de.inum;
    }
  }
  return 0;
}

// Look name up in directory dp.  Returns its inode, referenced and
// unlocked, and sets *poff (if poff != 0) to the entry's byte offset; or
// returns 0 if there is no such entry.  The caller holds dp->lock.
struct inode *
dirlookup(struct inode *dp, char *name, uint *poff)
{
  uint at, hole;
  uint inum = dir_search(dp, name, &at, &hole);

  if(inum == 0)
    return 0;
  if(poff)
    *poff = at;
  return iget(dp->dev, inum);
}

// Add the entry (name, inum) to directory dp, in the first free slot or
// at the end.  Returns 0, or -1 if name is already there or the directory
// cannot grow.  The caller holds dp->lock and is in a transaction.
int
dirlink(struct inode *dp, char *name, uint inum)
{
  struct dirent de;
  uint at, hole;

  if(dir_search(dp, name, &at, &hole) != 0)
    return -1;
  memset(&de, 0, sizeof(de));
  de.inum = inum;
  strncpy(de.name, name, DIRSIZ);
  if(writei(dp, 0, (uint64)&de, hole, sizeof(de)) != sizeof(de))
    return -1;
  return 0;
}

// ---- Path names --------------------------------------------------------
//
// A path is a list of elements separated by slashes ("a/b", "/a//b/");
// one starting with '/' begins at the root, any other at the current
// directory.

// path, past any slashes it starts with.
static char *
skip_slashes(char *path)
{
  while(*path == '/')
    path++;
  return path;
}

// Split the first element off path: copy it to name (DIRSIZ bytes, like
// a dirent's name: NUL-padded when shorter, cut short when longer) and
// return what follows, without its leading slashes.  Returns 0 if path
// holds no element at all.
//
//   next_element("a/bb/c", name) = "bb/c", name = "a"
//   next_element("///a//bb", name) = "bb", name = "a"
//   next_element("a", name) = "", name = "a"
//   next_element("", name) = next_element("////", name) = 0
static char *
next_element(char *path, char *name)
{
  path = skip_slashes(path);
  if(*path == 0)
    return 0;

  uint len = 0;
  while(path[len] != '/' && path[len] != 0)
    len++;
  for(uint i = 0; i < DIRSIZ; i++)
    name[i] = i < len ? path[i] : 0;
  return skip_slashes(path + len);
}

// Can names be looked up, created or removed in ip (locked by the
// caller)?  Only in a directory that is still linked: a removed one may
// be some process's working directory, but it leads nowhere, and its ".."
// may name an inode since reused.
static int
searchable(struct inode *ip)
{
  return ip->type == T_DIR && ip->nlink > 0;
}

// One step of a walk: the inode that entry name of directory dir names,
// referenced and unlocked, or 0 if dir is not searchable or has no such
// entry.  Consumes the caller's reference to dir (which is unlocked).
static struct inode *
step(struct inode *dir, char *name)
{
  struct inode *next = 0;

  ilock(dir);
  if(searchable(dir))
    next = dirlookup(dir, name, 0);
  // dir is unlocked before anyone locks next: for "." they are the same
  // inode, and for ".." locking child then parent could deadlock against
  // a walk locking parent then child.
  iunlockput(dir);
  return next;
}

// ip, if it is a directory one may add entries to or remove them from;
// else 0, and the caller's reference to ip is dropped.
static struct inode *
usable_parent(struct inode *ip)
{
  ilock(ip);
  int ok = searchable(ip);
  iunlock(ip);
  if(ok)
    return ip;
  iput(ip);
  return 0;
}

// Walk path element by element.  Returns the inode it names; or, if
// to_parent is set, stops one step early and returns the directory that
// holds the last element, whose name is left in name (DIRSIZ bytes).
// Returns 0 if an element is missing or a step is not a searchable
// directory, and in to_parent mode for a path with no elements ("/").
// The result is referenced and unlocked.  In a transaction (iput).
static struct inode *
resolve(char *path, int to_parent, char *name)
{
  struct inode *ip;
  char *rest;

  ip = *path == '/' ? iget(ROOTDEV, ROOTINO) : idup(myproc()->cwd);
  while(ip != 0 && (rest = next_element(path, name)) != 0){
    if(to_parent && *rest == 0)
      return usable_parent(ip);
    ip = step(ip, name);
    path = rest;
  }

  if(to_parent && ip != 0){
    iput(ip);       // the path has no last element: "/" or ""
    ip = 0;
  }
  return ip;
}

// The directory holding path's last element, referenced and unlocked,
// with that element's name in name (room for DIRSIZ bytes); or 0.  See
// resolve.
struct inode *
nameiparent(char *path, char *name)
{
  return resolve(path, 1, name);
}

// The inode path names, referenced and unlocked, or 0.  See resolve.
struct inode *
namei(char *path)
{
  char last[DIRSIZ];
  return resolve(path, 0, last);
}
