// mkfs: build an xv6-format file system image on the host.
//
//   mkfs/mkfs fs.img FILE...
//
// The image is FSSIZE blocks of BSIZE bytes, laid out as kernel/fs.h
// describes and with the same geometry xv6's own mkfs chooses, so either
// kernel boots it:
//
//   block 0            unused (boot block)
//   block 1            superblock
//   blocks 2..         LOGSIZE log blocks (the first is the log header)
//   then               NINODES/IPB + 1 inode blocks
//   then               FSSIZE/BPB + 1 free-bitmap blocks
//   then               data blocks, handed out in order from the first
//
// Inode 1 is the root directory, holding "." and ".." (both itself) and
// one entry per FILE, named after the file's last path component with a
// leading '_' dropped (user/_cat becomes /cat).  Every inode starts with
// nlink 1.  Blocks are allocated in exactly the order xv6's mkfs
// allocates them, so the two tools produce the same image.
//
// The image is built in memory and only written once every FILE has been
// added; it goes to a temporary file next to the target and is renamed
// into place, so a failure never leaves a half-written image behind nor
// harms an existing one.

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

#define NINODES 200   // inodes in the image, as in xv6

// The geometry, fixed by the parameters above.
enum {
  NBITMAP = FSSIZE / BPB + 1,
  NINODEBLOCKS = NINODES / IPB + 1,
  NLOG = LOGSIZE,
  NMETA = 2 + NLOG + NINODEBLOCKS + NBITMAP,   // first data block
  NDATA = FSSIZE - NMETA,
};

static uchar image[FSSIZE][BSIZE];   // the image being built
static struct superblock sb;         // host byte order
static uint nextinum = ROOTINO;      // next inode to hand out
static uint nextblock = NMETA;       // next data block to hand out
static const char *adding;           // the FILE being added, for errors

// A name already in the root directory, and the FILE it came from.
static struct {
  char name[DIRSIZ + 1];
  const char *path;
} names[NINODES];
static int nnames;

static const char *progname = "mkfs/mkfs";

// Print "mkfs: MESSAGE" and exit 1.  Nothing has been written yet when
// this is called, so there is nothing to undo.
static void
fail(const char *fmt, ...)
{
  va_list ap;

  fprintf(stderr, "mkfs: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n");
  exit(1);
}

// Copy inode inum out of the image into *ip, in host byte order.
static void
rinode(uint inum, struct dinode *ip)
{
  struct dinode raw;

  memcpy(&raw, image[IBLOCK(inum, sb)] + (inum % IPB) * sizeof(raw), sizeof(raw));
  ip->type = le16toh(raw.type);
  ip->major = le16toh(raw.major);
  ip->minor = le16toh(raw.minor);
  ip->nlink = le16toh(raw.nlink);
  ip->size = le32toh(raw.size);
  for(int i = 0; i < NDIRECT + 1; i++)
    ip->addrs[i] = le32toh(raw.addrs[i]);
}

// Store *ip (host byte order) as inode inum in the image.
static void
winode(uint inum, const struct dinode *ip)
{
  struct dinode raw;

  raw.type = htole16(ip->type);
  raw.major = htole16(ip->major);
  raw.minor = htole16(ip->minor);
  raw.nlink = htole16(ip->nlink);
  raw.size = htole32(ip->size);
  for(int i = 0; i < NDIRECT + 1; i++)
    raw.addrs[i] = htole32(ip->addrs[i]);
  memcpy(image[IBLOCK(inum, sb)] + (inum % IPB) * sizeof(raw), &raw, sizeof(raw));
}

// Hand out the next free inode as an empty inode of the given type with
// one link.  Fails when the inode table is full.
static uint
ialloc(short type)
{
  struct dinode din;
  uint inum;

  if(nextinum >= NINODES)
    fail("too many files (inodes): no inode left for %s (%d inodes)", adding, NINODES);
  inum = nextinum++;
  memset(&din, 0, sizeof(din));
  din.type = type;
  din.nlink = 1;
  winode(inum, &din);
  return inum;
}

// Hand out the next free data block (already zero).  Fails when the data
// area is used up.
static uint
balloc(void)
{
  if(nextblock >= FSSIZE)
    fail("out of data blocks adding %s (%d data blocks)", adding, NDATA);
  return nextblock++;
}

// Return the block holding block fbn of the file *ip, allocating it (and
// the indirect block, the first time it is needed) if it has none yet.
static uint
bmap(struct dinode *ip, uint fbn)
{
  uint indirect[NINDIRECT];
  uint *slot;

  if(fbn >= MAXFILE)
    fail("file %s too big (max %d blocks)", adding, (int)MAXFILE);
  if(fbn < NDIRECT){
    if(ip->addrs[fbn] == 0)
      ip->addrs[fbn] = balloc();
    return ip->addrs[fbn];
  }

  if(ip->addrs[NDIRECT] == 0)
    ip->addrs[NDIRECT] = balloc();
  memcpy(indirect, image[ip->addrs[NDIRECT]], BSIZE);
  slot = &indirect[fbn - NDIRECT];
  if(*slot == 0){
    *slot = htole32(balloc());
    memcpy(image[ip->addrs[NDIRECT]], indirect, BSIZE);
  }
  return le32toh(*slot);
}

// Append n bytes to the end of inode inum's content.
static void
iappend(uint inum, const void *data, uint n)
{
  const char *src = data;
  struct dinode din;

  rinode(inum, &din);
  while(n > 0){
    uint off = din.size;
    uint b = bmap(&din, off / BSIZE);
    uint chunk = BSIZE - off % BSIZE;
    if(chunk > n)
      chunk = n;
    memcpy(image[b] + off % BSIZE, src, chunk);
    din.size += chunk;
    src += chunk;
    n -= chunk;
  }
  winode(inum, &din);
}

// Append the entry (name, inum) to directory dir.
static void
dirappend(uint dir, const char *name, uint inum)
{
  struct dirent de;

  memset(&de, 0, sizeof(de));
  de.inum = htole16(inum);
  // The name fills the field with no NUL when exactly DIRSIZ long.
  memcpy(de.name, name, strnlen(name, DIRSIZ));
  iappend(dir, &de, sizeof(de));
}

// Work out the root-directory name for path: its last component, less a
// leading '_'.  Fails on an empty or over-long name, ".", ".." or a name
// already taken.  Returns a pointer into path.
static const char *
entryname(const char *path)
{
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;

  if(*name == '_')
    name++;
  if(*name == '\0')
    fail("%s: no file name left after dropping the directory and '_'", path);
  if(strlen(name) > DIRSIZ)
    fail("%s: name '%s' longer than %d (DIRSIZ)", path, name, DIRSIZ);
  if(strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    fail("%s: name '%s' is reserved", path, name);
  for(int i = 0; i < nnames; i++)
    if(strcmp(names[i].name, name) == 0)
      fail("%s: duplicate name '%s' (already added from %s)", path, name, names[i].path);
  return name;
}

// Add the host file at path to the root directory: a fresh inode, its
// directory entry, then its content.
static void
addfile(uint root, const char *path)
{
  char buf[BSIZE];
  const char *name;
  struct stat st;
  uint inum;
  ssize_t n;
  int fd;

  adding = path;
  name = entryname(path);
  fd = open(path, O_RDONLY);
  if(fd < 0)
    fail("%s: %s", path, strerror(errno));
  if(fstat(fd, &st) < 0)
    fail("%s: %s", path, strerror(errno));
  if(!S_ISREG(st.st_mode))
    fail("%s: not a regular file", path);
  if(st.st_size > (off_t)MAXFILE * BSIZE)
    fail("file %s too big (max %d blocks)", path, (int)MAXFILE);

  inum = ialloc(T_FILE);
  dirappend(root, name, inum);
  while((n = read(fd, buf, sizeof(buf))) > 0)
    iappend(inum, buf, n);
  if(n < 0)
    fail("%s: %s", path, strerror(errno));
  close(fd);

  if(nnames < NINODES){
    strcpy(names[nnames].name, name);
    names[nnames].path = path;
    nnames++;
  }
}

// Fill in and store the superblock.
static void
writesb(void)
{
  struct superblock raw;

  sb.magic = FSMAGIC;
  sb.size = FSSIZE;
  sb.nblocks = NDATA;
  sb.ninodes = NINODES;
  sb.nlog = NLOG;
  sb.logstart = 2;
  sb.inodestart = 2 + NLOG;
  sb.bmapstart = 2 + NLOG + NINODEBLOCKS;

  raw.magic = htole32(sb.magic);
  raw.size = htole32(sb.size);
  raw.nblocks = htole32(sb.nblocks);
  raw.ninodes = htole32(sb.ninodes);
  raw.nlog = htole32(sb.nlog);
  raw.logstart = htole32(sb.logstart);
  raw.inodestart = htole32(sb.inodestart);
  raw.bmapstart = htole32(sb.bmapstart);
  memcpy(image[1], &raw, sizeof(raw));
}

// Mark blocks 0 .. nextblock-1 (all metadata and every data block
// handed out) as in use in the free bitmap.
static void
writebitmap(void)
{
  for(uint b = 0; b < nextblock; b++)
    image[BBLOCK(b, sb)][(b % BPB) / 8] |= 1 << (b % 8);
}

// Write the image to a temporary file beside target, then rename it over
// target.  On any failure the temporary file is removed and target is
// left as it was.
static void
saveimage(const char *target)
{
  size_t len = strlen(target) + sizeof(".tmpXXXXXX");
  char *tmp = malloc(len);
  const char *what;
  mode_t mask;
  int fd;

  if(tmp == 0)
    fail("%s: out of memory", target);
  snprintf(tmp, len, "%s.tmpXXXXXX", target);
  fd = mkstemp(tmp);
  if(fd < 0)
    fail("%s: cannot create a temporary file beside it: %s", target, strerror(errno));

  // mkstemp makes the file 0600; give it the usual permissions.
  mask = umask(0);
  umask(mask);
  what = "cannot set permissions";
  if(fchmod(fd, 0666 & ~mask) < 0)
    goto bad;
  what = "cannot write";
  if(write(fd, image, sizeof(image)) != (ssize_t)sizeof(image))
    goto bad;
  if(close(fd) < 0){
    fd = -1;
    goto bad;
  }
  fd = -1;
  what = "cannot rename into place";
  if(rename(tmp, target) < 0)
    goto bad;
  free(tmp);
  return;

bad:
  // Report errno from the failing call before cleanup can change it.
  fprintf(stderr, "mkfs: %s: %s: %s\n", target, what,
          errno ? strerror(errno) : "short write");
  if(fd >= 0)
    close(fd);
  unlink(tmp);
  exit(1);
}

int
main(int argc, char *argv[])
{
  uint root;
  struct dinode din;

  if(argc > 0)
    progname = argv[0];
  if(argc < 2){
    fprintf(stderr, "usage: %s fs.img FILE...\n", progname);
    exit(1);
  }

  writesb();

  adding = "the root directory";
  root = ialloc(T_DIR);
  if(root != ROOTINO)
    fail("root directory got inode %u, not %d", root, ROOTINO);
  dirappend(root, ".", root);
  dirappend(root, "..", root);

  for(int i = 2; i < argc; i++)
    addfile(root, argv[i]);

  // Round the root directory up to whole blocks, as xv6's mkfs does.
  // (xv6 adds a block even when the size is already a multiple of BSIZE,
  // leaving a hole the kernel never makes; we round to the blocks held.)
  rinode(root, &din);
  din.size = (din.size + BSIZE - 1) / BSIZE * BSIZE;
  winode(root, &din);

  writebitmap();
  saveimage(argv[1]);
  return 0;
}
