// fsck: check an xv6-format file system image on the host.
//
//   mkfs/fsck IMAGE
//
// Prints one line per problem found and exits 1, or prints
// "fsck: IMAGE: clean" and exits 0.  A usage error (no such file, not
// readable, too small to hold a superblock) prints one line and exits 2.
//
// The checks, in order:
//   1. the superblock: magic, size against the file's length, and regions
//      [log | inodes | bitmap | data] that fit and do not overlap;
//   2. every inode: a known type; a size no larger than MAXFILE blocks and
//      backed by blocks; every block pointer (direct, indirect, and those
//      in the indirect block) inside the data area; no block owned twice;
//   3. the free bitmap: marks exactly the metadata blocks and the blocks
//      some inode owns;
//   4. the directory tree, walked from the root: entries name allocated
//      inodes; '.' names the directory itself and '..' its parent (the
//      root is its own parent); no directory has two parents; link counts
//      are right; no allocated inode is unreachable.
//
// The link-count rule, as xv6's mkfs and kernel keep it: every inode
// starts with nlink 1 (mkfs gives the root 1, and create() gives a new
// file or directory 1 for the entry naming it), and making a directory
// adds 1 to its parent's nlink for the child's '..' (unlink takes it back).
// So the expected nlink of inode X is
//     the entries naming X in reachable directories, other than '.' and
//     '..' entries,
//   + the subdirectories whose parent is X,
//   + 1 if X is the root (its '..' names itself; nothing else names it).
// Equivalently: every entry naming X except '.' entries, when every '..'
// is right.  Counting parents from the tree rather than from the '..'
// entries keeps a single wrong '..' from being reported three times.

#include <errno.h>
#include <endian.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/types.h"
#include "kernel/fs.h"
#include "kernel/param.h"
// The host's <sys/stat.h> already owns the name `struct stat`.
#define stat xv6_stat
#include "kernel/stat.h"
#undef stat

// What pass 2 learned about an inode.
enum { IFREE, IGOOD, IBAD };   // type 0; a known type; an unknown type

static const char *imagepath;
static uchar *image;          // the whole image file
static size_t imagelen;
static struct superblock sb;  // host byte order
static uint datastart;        // first data block: size - nblocks
static int problems;

static uint *owner;           // per block: the inode owning it, or 0
static uchar *istate;         // per inode: IFREE, IGOOD or IBAD
static uint *nlinks;          // per inode: links found by the tree walk
static uint *parent;          // per directory: its parent, or 0 if unseen

// Report one problem on a line of its own.
static void
problem(const char *fmt, ...)
{
  va_list ap;

  printf("fsck: ");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  problems++;
}

// Report a usage error (the image cannot be checked at all) and exit 2.
static void
usage_error(const char *fmt, ...)
{
  va_list ap;

  fprintf(stderr, "fsck: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n");
  exit(2);
}

// Allocate n zeroed elements of size sz, or exit 2.
static void *
zalloc(size_t n, size_t sz)
{
  void *p = calloc(n ? n : 1, sz);

  if(p == 0)
    usage_error("%s: out of memory", imagepath);
  return p;
}

// Read the whole image file into memory.
static void
loadimage(void)
{
  struct stat st;
  size_t done = 0;
  int fd;

  fd = open(imagepath, O_RDONLY);
  if(fd < 0)
    usage_error("%s: %s", imagepath, strerror(errno));
  if(fstat(fd, &st) < 0)
    usage_error("%s: %s", imagepath, strerror(errno));
  if(!S_ISREG(st.st_mode))
    usage_error("%s: not a regular file", imagepath);
  if(st.st_size < 2 * BSIZE)
    usage_error("%s: too small to hold a file system (%lld bytes, need at least %d)",
                imagepath, (long long)st.st_size, 2 * BSIZE);
  imagelen = st.st_size;
  image = zalloc(imagelen, 1);
  while(done < imagelen){
    ssize_t n = read(fd, image + done, imagelen - done);
    if(n < 0)
      usage_error("%s: %s", imagepath, strerror(errno));
    if(n == 0)
      usage_error("%s: file shrank while being read", imagepath);
    done += n;
  }
  close(fd);
}

// Return block b of the image, which must lie inside the file.
static uchar *
block(uint b)
{
  return image + (size_t)b * BSIZE;
}

static uint
get32(const uchar *p)
{
  uint v;

  memcpy(&v, p, sizeof(v));
  return le32toh(v);
}

// Copy inode inum out of the image into *ip, in host byte order.
static void
rinode(uint inum, struct dinode *ip)
{
  struct dinode raw;

  memcpy(&raw, block(IBLOCK(inum, sb)) + (inum % IPB) * sizeof(raw), sizeof(raw));
  ip->type = le16toh(raw.type);
  ip->major = le16toh(raw.major);
  ip->minor = le16toh(raw.minor);
  ip->nlink = le16toh(raw.nlink);
  ip->size = le32toh(raw.size);
  for(int i = 0; i < NDIRECT + 1; i++)
    ip->addrs[i] = le32toh(raw.addrs[i]);
}

// Is block b marked in use in the free bitmap?
static int
bitset(uint b)
{
  return (block(BBLOCK(b, sb))[(b % BPB) / 8] >> (b % 8)) & 1;
}

static int
indata(uint b)
{
  return b >= datastart && b < sb.size;
}

static uint
divup(uint n, uint d)
{
  return n / d + (n % d != 0);
}

// Pass 1: read and check the superblock.  Returns 0 if its regions are
// too broken to look any further.
static int
checksuper(void)
{
  const uchar *p = block(1);
  size_t fileblocks = imagelen / BSIZE;
  int usable = 1;

  sb.magic = get32(p + 0);
  sb.size = get32(p + 4);
  sb.nblocks = get32(p + 8);
  sb.ninodes = get32(p + 12);
  sb.nlog = get32(p + 16);
  sb.logstart = get32(p + 20);
  sb.inodestart = get32(p + 24);
  sb.bmapstart = get32(p + 28);

  if(sb.magic != FSMAGIC)
    problem("superblock: bad magic 0x%x (want 0x%x)", sb.magic, FSMAGIC);
  if(imagelen % BSIZE != 0 || sb.size != fileblocks){
    problem("superblock: size %u blocks, but the image file holds %zu bytes (%zu blocks)",
            sb.size, imagelen, fileblocks);
    if(sb.size > fileblocks)
      usable = 0;
  }
  if(sb.nblocks > sb.size){
    problem("superblock: %u data blocks in a %u-block file system", sb.nblocks, sb.size);
    return 0;
  }
  datastart = sb.size - sb.nblocks;
  if(sb.ninodes < ROOTINO + 1){
    problem("superblock: %u inodes, too few to hold the root", sb.ninodes);
    usable = 0;
  }
  // Each region must start where the one before it ends or later, and the
  // sums are done in 64 bits so huge values cannot wrap around.
  if(sb.logstart < 2){
    problem("superblock: log starts at block %u, inside the boot block or superblock",
            sb.logstart);
    usable = 0;
  }
  if((uint64)sb.logstart + sb.nlog > sb.inodestart){
    problem("superblock: log [%u, %llu) runs into the inodes at block %u",
            sb.logstart, (unsigned long long)sb.logstart + sb.nlog, sb.inodestart);
    usable = 0;
  }
  if((uint64)sb.inodestart + divup(sb.ninodes, IPB) > sb.bmapstart){
    problem("superblock: %u inodes from block %u run into the bitmap at block %u",
            sb.ninodes, sb.inodestart, sb.bmapstart);
    usable = 0;
  }
  if((uint64)sb.bmapstart + divup(sb.size, BPB) > datastart){
    problem("superblock: bitmap for %u blocks from block %u runs into the data at block %u",
            sb.size, sb.bmapstart, datastart);
    usable = 0;
  }
  return usable;
}

// Record that inode inum owns block b (already known to be in the data
// area); report b if another inode got there first.
static void
claim(uint b, uint inum, const char *what)
{
  if(owner[b] != 0)
    problem("block %u owned twice: by inode %u and by inode %u (%s)",
            b, owner[b], inum, what);
  else
    owner[b] = inum;
}

// Check block pointer b of inode inum: outside the data area it is
// reported and forgotten (returns 0); otherwise it is claimed.
static uint
checkptr(uint inum, uint b, const char *what, uint index)
{
  char desc[48];

  if(b == 0)
    return 0;
  snprintf(desc, sizeof(desc), "%s %u", what, index);
  if(!indata(b)){
    problem("inode %u: block %u (%s) outside the data area [%u, %u)",
            inum, b, desc, datastart, sb.size);
    return 0;
  }
  claim(b, inum, desc);
  return b;
}

// Pass 2, for one allocated inode: its size and block pointers.
//
// A block past the end of the content is allowed: xv6's writei can
// allocate a block and then fail to copy into it (a bad user pointer),
// leaving the block owned but the size unchanged.  A missing block inside
// the content is not: the kernel never makes holes.
static void
checkinode(uint inum, const struct dinode *ip)
{
  uint need, have = 0;

  if(ip->size > MAXFILE * BSIZE){
    problem("inode %u: size %u larger than the largest file (%u bytes, MAXFILE blocks)",
            inum, ip->size, (uint)(MAXFILE * BSIZE));
    need = MAXFILE;
  } else {
    need = divup(ip->size, BSIZE);
  }
  if(ip->type == T_DIR && ip->size % sizeof(struct dirent) != 0)
    problem("inode %u: directory size %u is not a whole number of entries",
            inum, ip->size);

  for(uint i = 0; i < NDIRECT; i++)
    if(checkptr(inum, ip->addrs[i], "direct", i) && i < need)
      have++;

  if(checkptr(inum, ip->addrs[NDIRECT], "indirect", 0)){
    const uchar *ind = block(ip->addrs[NDIRECT]);
    for(uint i = 0; i < NINDIRECT; i++)
      if(checkptr(inum, get32(ind + 4 * i), "in indirect block, slot", i)
         && NDIRECT + i < need)
        have++;
  }

  if(have < need && ip->size <= MAXFILE * BSIZE)
    problem("inode %u: size %u needs %u blocks, but only %u of them are allocated",
            inum, ip->size, need, have);
}

// Pass 2: every inode.  Inode 0 is never used by xv6.
static void
checkinodes(void)
{
  struct dinode din;

  for(uint inum = 0; inum < sb.ninodes; inum++){
    rinode(inum, &din);
    if(din.type == 0){
      istate[inum] = IFREE;
      continue;
    }
    if(inum == 0){
      problem("inode 0: in use (type %d), but inode 0 is never allocated", din.type);
      istate[inum] = IBAD;
      continue;
    }
    if(din.type != T_DIR && din.type != T_FILE && din.type != T_DEVICE){
      // Its fields cannot be trusted, so its blocks are not claimed.
      problem("inode %u: bad type %d (want 0, T_DIR, T_FILE or T_DEVICE)", inum, din.type);
      istate[inum] = IBAD;
      continue;
    }
    istate[inum] = IGOOD;
    checkinode(inum, &din);
  }
}

// Pass 3: the bitmap must mark the metadata and every owned block, and
// nothing else (also no bit past the end of the file system).
static void
checkbitmap(void)
{
  uint nbits = divup(sb.size, BPB) * BPB;

  for(uint b = 0; b < sb.size; b++){
    int used = b < datastart || owner[b] != 0;
    int marked = bitset(b);
    if(used && !marked){
      if(b < datastart)
        problem("block %u: metadata block free in the bitmap", b);
      else
        problem("block %u: in use by inode %u but free in the bitmap", b, owner[b]);
    } else if(!used && marked) {
      problem("block %u: marked in the bitmap but not in use", b);
    }
  }
  for(uint b = sb.size; b < nbits; b++)
    if(bitset(b))
      problem("block %u: marked in the bitmap but past the end of the file system", b);
}

// Return the block holding byte off of inode *ip's content, or 0 if it has
// none the checks above accepted.
static uint
fileblock(const struct dinode *ip, uint off)
{
  uint fbn = off / BSIZE;
  uint b;

  if(fbn < NDIRECT){
    b = ip->addrs[fbn];
  } else {
    if(fbn >= MAXFILE || !indata(ip->addrs[NDIRECT]))
      return 0;
    b = get32(block(ip->addrs[NDIRECT]) + 4 * (fbn - NDIRECT));
  }
  return indata(b) ? b : 0;
}

// Copy a directory entry's name into out (at least 4*DIRSIZ+1 bytes) fit
// for printing: a damaged name may hold any bytes, so those outside
// printable ASCII, and the backslash, are written as \xNN.
static void
printablename(const char *name, char *out)
{
  for(int i = 0; i < DIRSIZ && name[i] != '\0'; i++){
    uchar c = name[i];
    if(c >= ' ' && c < 0x7f && c != '\\')
      *out++ = c;
    else
      out += sprintf(out, "\\x%02x", c);
  }
  *out = '\0';
}

// Walk the entries of directory dir: check '.' and '..', count links, and
// queue each subdirectory not seen before.  Returns the new queue length.
static uint
walkdir(uint dir, uint *queue, uint qlen)
{
  struct dinode din, child;
  struct dirent de;
  char name[4 * DIRSIZ + 1];
  int ndot = 0, ndotdot = 0;

  rinode(dir, &din);
  uint size = din.size < MAXFILE * BSIZE ? din.size : MAXFILE * BSIZE;
  for(uint off = 0; off + sizeof(de) <= size; off += sizeof(de)){
    uint b = fileblock(&din, off);
    if(b == 0)
      continue;   // already reported as a missing or bad block
    memcpy(&de, block(b) + off % BSIZE, sizeof(de));
    uint inum = le16toh(de.inum);
    if(inum == 0)
      continue;
    printablename(de.name, name);

    if(inum >= sb.ninodes){
      problem("directory %u: entry '%s' names inode %u, past the last inode %u",
              dir, name, inum, sb.ninodes - 1);
      continue;
    }
    if(istate[inum] == IFREE){
      problem("directory %u: entry '%s' names free inode %u", dir, name, inum);
      continue;
    }
    if(strcmp(name, ".") == 0){
      ndot++;
      if(inum != dir)
        problem("directory %u: '.' names inode %u, not itself", dir, inum);
      continue;
    }
    if(strcmp(name, "..") == 0){
      ndotdot++;
      if(inum != parent[dir])
        problem("directory %u: '..' names inode %u, not its parent %u",
                dir, inum, parent[dir]);
      continue;
    }

    nlinks[inum]++;
    if(istate[inum] != IGOOD)
      continue;
    rinode(inum, &child);
    if(child.type != T_DIR)
      continue;
    if(parent[inum] != 0){
      problem("directory %u: entry '%s' names directory %u, which already has parent %u",
              dir, name, inum, parent[inum]);
    } else {
      parent[inum] = dir;
      nlinks[dir]++;   // for the child's '..'
      queue[qlen++] = inum;
    }
  }
  if(ndot != 1)
    problem("directory %u: %d '.' entries (want exactly 1)", dir, ndot);
  if(ndotdot != 1)
    problem("directory %u: %d '..' entries (want exactly 1)", dir, ndotdot);
  return qlen;
}

// Pass 4: walk the tree from the root, then compare link counts and look
// for allocated inodes the walk never reached.
static void
checktree(void)
{
  struct dinode din;
  uint *queue;
  uint qlen = 0;

  rinode(ROOTINO, &din);
  if(istate[ROOTINO] != IGOOD || din.type != T_DIR){
    problem("inode %u: the root is not a directory (type %d)", ROOTINO, din.type);
    return;
  }

  queue = zalloc(sb.ninodes, sizeof(uint));
  parent[ROOTINO] = ROOTINO;
  nlinks[ROOTINO]++;   // the root is its own parent
  queue[qlen++] = ROOTINO;
  for(uint head = 0; head < qlen; head++)
    qlen = walkdir(queue[head], queue, qlen);
  free(queue);

  for(uint inum = 1; inum < sb.ninodes; inum++){
    if(istate[inum] == IFREE)
      continue;
    rinode(inum, &din);
    if(nlinks[inum] == 0 && inum != ROOTINO){
      problem("inode %u: allocated (type %d, nlink %d) but unreachable from the root",
              inum, din.type, din.nlink);
      continue;
    }
    if(istate[inum] == IGOOD && din.nlink != (int)nlinks[inum])
      problem("inode %u: link count %d, should be %u (entries naming it plus subdirectories)",
              inum, din.nlink, nlinks[inum]);
  }
}

int
main(int argc, char *argv[])
{
  if(argc != 2){
    fprintf(stderr, "usage: %s IMAGE\n", argc > 0 ? argv[0] : "fsck");
    exit(2);
  }
  imagepath = argv[1];
  loadimage();

  if(!checksuper()){
    printf("fsck: %s: superblock unusable, nothing more checked\n", imagepath);
    printf("fsck: %s: %d problem%s\n", imagepath, problems, problems == 1 ? "" : "s");
    exit(1);
  }

  owner = zalloc(sb.size, sizeof(uint));
  istate = zalloc(sb.ninodes, 1);
  nlinks = zalloc(sb.ninodes, sizeof(uint));
  parent = zalloc(sb.ninodes, sizeof(uint));

  checkinodes();
  checkbitmap();
  checktree();

  if(problems > 0){
    printf("fsck: %s: %d problem%s\n", imagepath, problems, problems == 1 ? "" : "s");
    exit(1);
  }
  printf("fsck: %s: clean\n", imagepath);
  return 0;
}
