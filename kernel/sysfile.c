// File-system system calls.
//
// Each sys_X fetches its arguments (syscall.c's argint, argaddr and
// argstr, and argfd and argpath here), checks them, and hands the work
// to file.c, fs.c, pipe.c or exec.c.  Nothing a user passes may panic
// the kernel: a descriptor that is not open, a negative length, a bad
// pointer, a missing or overlong path all make the call return -1.
//
// The file is in three parts: descriptors (dup, read, write, close,
// fstat, pipe); names in directories (create, unlinkpath and link, all
// built on one helper, slot_open); and the calls that take a path (open,
// mkdir, mknod, chdir, link, unlink, exec).  Calls that may write the
// disk run inside begin_op/end_op.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "stat.h"
#include "spinlock.h"
#include "proc.h"
#include "fs.h"
#include "sleeplock.h"
#include "file.h"
#include "fcntl.h"

// ---- Descriptors --------------------------------------------------------

// argfd(n, &fd, &f): argument n as an open descriptor of the calling
// process.  Returns 0 and sets *pfd to the descriptor and *pf to its open
// file (pass 0 for either one not wanted), or -1 if the descriptor is
// out of range or not open.
static int
argfd(int n, int *pfd, struct file **pf)
{
  struct file *f = 0;
  int fd;

  argint(n, &fd);
  if(fd >= 0 && fd < NOFILE)
    f = myproc()->ofile[fd];
  if(f == 0)
    return -1;
  if(pfd != 0)
    *pfd = fd;
  if(pf != 0)
    *pf = f;
  return 0;
}

// Put f in the calling process's lowest free descriptor slot, which
// takes over the caller's reference to f.  Returns the descriptor, or
// -1 (the reference stays the caller's) if all NOFILE are in use.
static int
fdalloc(struct file *f)
{
  struct file **ofile = myproc()->ofile;
  int fd = 0;

  while(fd < NOFILE && ofile[fd] != 0)
    fd++;
  if(fd == NOFILE)
    return -1;
  ofile[fd] = f;
  return fd;
}

// Empty the calling process's descriptor slot fd and return the file it
// held; the slot's reference passes to the caller.
static struct file *
fdtake(int fd)
{
  struct file **ofile = myproc()->ofile;
  struct file *f = ofile[fd];

  ofile[fd] = 0;
  return f;
}

// dup(fd): the lowest free descriptor, now naming fd's open file too
// (they share its offset).  The new descriptor, or -1.
uint64
sys_dup(void)
{
  struct file *f;
  int newfd;

  if(argfd(0, 0, &f) < 0)
    return -1;
  newfd = fdalloc(f);
  if(newfd >= 0)
    filedup(f);   // the new slot's reference
  return newfd;
}

// read and write take the same arguments (fd, buf, n) and differ only
// in the direction: n bytes between the open file fd and user memory at
// buf.  What fileread or filewrite returns, or -1 if fd is not open or
// n is negative.  buf is checked by the copy to or from user memory.
static uint64
readwrite(int write)
{
  struct file *f;
  uint64 buf;
  int n;

  if(argfd(0, 0, &f) < 0)
    return -1;
  argaddr(1, &buf);
  argint(2, &n);
  if(n < 0)
    return -1;
  return write ? filewrite(f, buf, n) : fileread(f, buf, n);
}

// read(fd, buf, n): the number of bytes read, 0 at end of file, or -1.
uint64
sys_read(void)
{
  return readwrite(0);
}

// write(fd, buf, n): n, or -1.
uint64
sys_write(void)
{
  return readwrite(1);
}

// close(fd): free the descriptor; the open file goes with its last
// descriptor.  0, or -1 if fd is not open.
uint64
sys_close(void)
{
  int fd;

  if(argfd(0, &fd, 0) < 0)
    return -1;
  fileclose(fdtake(fd));
  return 0;
}

// fstat(fd, st): copy the file's metadata to the struct stat at user
// address st.  0, or -1 (also for a pipe or a bad st).
uint64
sys_fstat(void)
{
  struct file *f;
  uint64 st;

  if(argfd(0, 0, &f) < 0)
    return -1;
  argaddr(1, &st);
  return filestat(f, st);
}

// pipe(fds): make a pipe and store its read descriptor in fds[0] and
// its write descriptor in fds[1] (user memory).  0, or -1 with nothing
// left open.
uint64
sys_pipe(void)
{
  struct file *rf, *wf;
  uint64 ufds;
  int fds[2];

  argaddr(0, &ufds);
  if(pipealloc(&rf, &wf) < 0)
    return -1;
  fds[0] = fdalloc(rf);
  fds[1] = fds[0] < 0 ? -1 : fdalloc(wf);
  if(fds[1] >= 0 &&
     copyout(myproc()->pagetable, ufds, (char *)fds, sizeof(fds)) == 0)
    return 0;

  // Give back the slots that were filled; the two references are ours
  // again either way, and closing them frees the pipe.
  for(int i = 0; i < 2; i++){
    if(fds[i] >= 0)
      fdtake(fds[i]);
  }
  fileclose(rf);
  fileclose(wf);
  return -1;
}

// ---- Names in directories ---------------------------------------------
//
// create, unlinkpath and link each change one entry of one directory:
// the last element of a path, in the directory that holds it.  They all
// start with slot_open, which finds that directory, locks it and looks
// the name up, and end with slot_close.

// One name in one directory, while it is made or removed.
struct slot {
  struct inode *dir;    // the directory, locked
  char name[DIRSIZ];    // the path's last element (no NUL if DIRSIZ long)
  struct inode *ip;     // the inode name refers to, referenced and not
                        // locked; 0 if dir has no such entry
  uint off;             // byte offset of name's entry in dir, if ip != 0
};

// Fill *s for path: find the directory holding path's last element,
// lock it, and look the element up in it.  Returns 0, or -1 (holding
// nothing) if a directory on the way is missing, path has no last
// element ("/"), or that element is "." or "..", which no call may
// create or remove.  The caller is in a transaction; slot_close undoes
// this.
static int
slot_open(char *path, struct slot *s)
{
  s->dir = nameiparent(path, s->name);
  if(s->dir == 0)
    return -1;
  if(namecmp(s->name, ".") == 0 || namecmp(s->name, "..") == 0){
    iput(s->dir);
    return -1;
  }
  ilock(s->dir);
  s->ip = dirlookup(s->dir, s->name, &s->off);
  return 0;
}

// Unlock and let go of s's directory, then of s->ip, unless the caller
// has taken that reference over (and set s->ip to 0).
static void
slot_close(struct slot *s)
{
  iunlockput(s->dir);
  if(s->ip != 0)
    iput(s->ip);
}

// Allocate an inode of type and enter it in s->dir as s->name; a new
// directory also gets its "." and ".." entries.  Returns the inode
// locked, or 0, with nothing left allocated, if the disk or the inode
// table is full.
//
// Link counts: the new inode starts with one link, its entry in s->dir
// (a directory's own "." is not counted); a new directory's ".." adds
// one link to s->dir.
static struct inode *
new_entry(struct slot *s, short type, short major, short minor)
{
  struct inode *dp = s->dir;
  struct inode *ip = ialloc(dp->dev, type);
  int linked = 1;

  if(ip == 0)
    return 0;
  ilock(ip);
  ip->major = major;
  ip->minor = minor;
  ip->nlink = 1;

  if(type == T_DIR)
    linked = dirlink(ip, ".", ip->inum) == 0 && dirlink(ip, "..", dp->inum) == 0;
  if(linked)
    linked = dirlink(dp, s->name, ip->inum) == 0;
  if(!linked){
    // Nameless, it is freed with its blocks by the last iput.
    ip->nlink = 0;
    iunlockput(ip);
    return 0;
  }
  iupdate(ip);
  if(type == T_DIR){
    dp->nlink++;
    iupdate(dp);
  }
  return ip;
}

// create(path, type, major, minor): make a new inode of type at path,
// whose parent directory must exist, and return it locked and
// referenced.  When type is T_FILE (open with O_CREATE) and path names
// a file or a device already, that inode is returned instead.  Returns
// 0 if path exists otherwise, its directory is missing, or the disk or
// the inode table is full.  The caller is in a transaction.  (The
// in-kernel tests use it too.)
struct inode *
create(char *path, short type, short major, short minor)
{
  struct slot s;
  struct inode *ip;

  if(slot_open(path, &s) < 0)
    return 0;
  if(s.ip == 0){
    ip = new_entry(&s, type, major, minor);
    slot_close(&s);
    return ip;
  }

  // The name exists.  Release the directory before locking what it
  // names, as a path walk does.
  ip = s.ip;
  s.ip = 0;
  slot_close(&s);
  ilock(ip);
  int reusable = type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE);
  if(!reusable){
    iunlockput(ip);
    ip = 0;
  }
  return ip;
}

// Does directory dp hold no entry besides "." and ".."?  The caller
// holds dp's lock.
static int
dir_is_empty(struct inode *dp)
{
  struct dirent de;

  for(uint off = 0; off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      panic("dir_is_empty: cannot read a directory entry");
    if(de.inum != 0 && namecmp(de.name, ".") != 0 && namecmp(de.name, "..") != 0)
      return 0;
  }
  return 1;
}

// Clear s's entry and count the link gone, in s->ip (locked by the
// caller) and, when a directory goes, in s->dir, which its ".." named.
static void
remove_entry(struct slot *s)
{
  struct dirent empty;

  memset(&empty, 0, sizeof(empty));
  if(writei(s->dir, 0, (uint64)&empty, s->off, sizeof(empty)) != sizeof(empty))
    panic("unlinkpath: cannot clear a directory entry");
  if(s->ip->type == T_DIR){
    s->dir->nlink--;
    iupdate(s->dir);
  }
  s->ip->nlink--;
  iupdate(s->ip);
}

// unlinkpath(path): remove the directory entry path.  The inode goes
// when its last link and its last reference (an open file, a working
// directory) are gone.  Refuses "." and "..", and directories that are
// not empty.  0 or -1.  The caller is in a transaction.  (The in-kernel
// tests use it too.)
int
unlinkpath(char *path)
{
  struct slot s;
  int r = -1;

  if(slot_open(path, &s) < 0)
    return -1;
  if(s.ip != 0){
    // Directory before the inode it names: the order every path walk
    // locks in.
    ilock(s.ip);
    if(s.ip->nlink < 1)
      panic("unlinkpath: an inode with a name has no links");
    if(s.ip->type != T_DIR || dir_is_empty(s.ip)){
      remove_entry(&s);
      r = 0;
    }
    iunlock(s.ip);
  }
  slot_close(&s);   // the last iput of an unnamed inode frees it
  return r;
}

// Add delta (1 or -1) to ip's link count, taking ip's lock to do it.
// Refuses (-1) to add a link to a directory (its ".." can name one
// parent only) or past what the on-disk short holds.  0 or -1.
static int
change_links(struct inode *ip, int delta)
{
  int r = -1;

  ilock(ip);
  if(delta < 0 || (ip->type != T_DIR && ip->nlink < 0x7fff)){
    ip->nlink += delta;
    iupdate(ip);
    r = 0;
  }
  iunlock(ip);
  return r;
}

// Give the inode named old the further name new, which must not exist
// yet and must be on the same device.  0 or -1.  The caller is in a
// transaction.
static int
linkpath(char *old, char *new)
{
  struct inode *ip = namei(old);
  struct slot s;
  int r = -1;

  if(ip == 0)
    return -1;
  // Count the new name before it exists.  Between here and the dirlink
  // another process may unlink old; were the count ever below the
  // number of names, that unlink could free the inode while new still
  // named it.
  if(change_links(ip, 1) < 0){
    iput(ip);
    return -1;
  }
  if(slot_open(new, &s) == 0){
    if(s.ip == 0 && s.dir->dev == ip->dev && dirlink(s.dir, s.name, ip->inum) == 0)
      r = 0;
    slot_close(&s);
  }
  if(r < 0)
    change_links(ip, -1);
  iput(ip);
  return r;
}

// ---- Calls that take a path --------------------------------------------

// Fetch argument n, a path, into path (MAXPATH bytes).  0, or -1 if it
// is unreadable or has no NUL within MAXPATH bytes.
static int
argpath(int n, char *path)
{
  return argstr(n, path, MAXPATH) < 0 ? -1 : 0;
}

// The inode open(path, omode) is to open, locked: found, or made by
// create if omode has O_CREATE.  0 if there is none, or it is a
// directory opened for writing, or a device whose major number names
// no devsw slot.  The caller is in a transaction.
static struct inode *
open_inode(char *path, int omode)
{
  struct inode *ip;

  if(omode & O_CREATE){
    ip = create(path, T_FILE, 0, 0);
  } else {
    ip = namei(path);
    if(ip != 0)
      ilock(ip);
  }
  if(ip == 0)
    return 0;

  if((ip->type == T_DIR && omode != O_RDONLY) ||
     (ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV))){
    iunlockput(ip);
    return 0;
  }
  return ip;
}

// Make an open file for the locked inode ip, with the access omode asks
// for, and give it a descriptor; O_TRUNC empties a regular file.  The
// open file takes over the caller's reference to ip.  Returns the
// descriptor, or -1 (ip and its reference still the caller's) if the
// file table or the process's descriptors are full.
static int
open_fd(struct inode *ip, int omode)
{
  struct file *f = filealloc();
  int fd;

  if(f == 0)
    return -1;
  if((fd = fdalloc(f)) < 0){
    fileclose(f);   // still FD_NONE: touches no inode
    return -1;
  }
  f->type = ip->type == T_DEVICE ? FD_DEVICE : FD_INODE;
  f->ip = ip;
  f->major = ip->major;
  f->off = 0;
  f->readable = (omode & O_WRONLY) == 0;
  f->writable = (omode & (O_WRONLY | O_RDWR)) != 0;
  if((omode & O_TRUNC) && ip->type == T_FILE)
    itrunc(ip);
  return fd;
}

// open(path, omode): a descriptor for the file, or -1.  omode is one of
// O_RDONLY, O_WRONLY, O_RDWR, plus O_CREATE (make a regular file if
// path does not exist) and O_TRUNC (empty a regular file).  Directories
// open read-only.
uint64
sys_open(void)
{
  char path[MAXPATH];
  struct inode *ip;
  int omode, fd = -1;

  if(argpath(0, path) < 0)
    return -1;
  argint(1, &omode);

  begin_op();
  if((ip = open_inode(path, omode)) != 0){
    fd = open_fd(ip, omode);
    if(fd < 0)
      iunlockput(ip);
    else
      iunlock(ip);
  }
  end_op();
  return fd;
}

// Make path a new inode of type (see create) and let go of it.  0 or -1.
static int
make_node(char *path, short type, short major, short minor)
{
  struct inode *ip;
  int made = 0;

  begin_op();
  if((ip = create(path, type, major, minor)) != 0){
    iunlockput(ip);
    made = 1;
  }
  end_op();
  return made ? 0 : -1;
}

// mkdir(path): a new, empty directory.  0 or -1.
uint64
sys_mkdir(void)
{
  char path[MAXPATH];

  if(argpath(0, path) < 0)
    return -1;
  return make_node(path, T_DIR, 0, 0);
}

// mknod(path, major, minor): a device file.  major must name a slot of
// devsw (0 <= major < NDEV); minor must fit the on-disk short.  0 or -1.
uint64
sys_mknod(void)
{
  char path[MAXPATH];
  int major, minor;

  argint(1, &major);
  argint(2, &minor);
  if(major < 0 || major >= NDEV || minor < 0 || minor > 0x7fff)
    return -1;
  if(argpath(0, path) < 0)
    return -1;
  return make_node(path, T_DEVICE, major, minor);
}

// chdir(path): make the directory path the calling process's current
// directory.  0, or -1 if path is missing or not a directory.
uint64
sys_chdir(void)
{
  char path[MAXPATH];
  struct proc *p = myproc();
  struct inode *ip, *drop;
  int isdir = 0;

  if(argpath(0, path) < 0)
    return -1;
  begin_op();
  if((ip = namei(path)) != 0){
    ilock(ip);
    isdir = ip->type == T_DIR;
    iunlock(ip);
  }
  // Let go of the old directory on success, of ip otherwise.
  drop = ip;
  if(isdir){
    drop = p->cwd;
    p->cwd = ip;
  }
  if(drop != 0)
    iput(drop);
  end_op();
  return isdir ? 0 : -1;
}

// link(old, new): give the file old the second name new (not for
// directories, and only within one device).  0 or -1.
uint64
sys_link(void)
{
  char old[MAXPATH], new[MAXPATH];
  int r;

  if(argpath(0, old) < 0 || argpath(1, new) < 0)
    return -1;
  begin_op();
  r = linkpath(old, new);
  end_op();
  return r;
}

// unlink(path): see unlinkpath.  0 or -1.
uint64
sys_unlink(void)
{
  char path[MAXPATH];
  int r;

  if(argpath(0, path) < 0)
    return -1;
  begin_op();
  r = unlinkpath(path);
  end_op();
  return r;
}

// Copy the user's argument list, the 0-terminated array of string
// pointers at user address uargv, into argv (MAXARG slots, all 0 on
// entry), each string into a page of its own.  So at most MAXARG - 1
// strings, each at most PGSIZE bytes with its NUL.  Returns 0, or -1 if
// the list or a string is unreadable or too long, or memory runs out.
// Either way the pages in argv are the caller's to free.
static int
fetch_args(uint64 uargv, char **argv)
{
  for(int i = 0; i < MAXARG; i++){
    uint64 uarg;
    if(fetchaddr(uargv + i * sizeof(uint64), &uarg) < 0)
      return -1;
    if(uarg == 0)
      return 0;   // argv[i] stays 0, ending the kernel's list too
    if((argv[i] = kalloc()) == 0)
      return -1;
    if(fetchstr(uarg, argv[i], PGSIZE) < 0)
      return -1;
  }
  return -1;   // no 0 within MAXARG entries
}

// exec(path, argv): replace the calling program (see exec.c).  argv is
// a user array of string pointers ending with 0 (see fetch_args for its
// limits).  On success the new program starts, with argc (this call's
// result) in a0; -1 on any bad argument or if exec refuses.
uint64
sys_exec(void)
{
  char path[MAXPATH];
  char *argv[MAXARG];
  uint64 uargv;
  int r = -1;

  if(argpath(0, path) < 0)
    return -1;
  argaddr(1, &uargv);
  memset(argv, 0, sizeof(argv));
  if(fetch_args(uargv, argv) == 0)
    r = exec(path, argv);
  for(int i = 0; i < MAXARG && argv[i] != 0; i++)
    kfree(argv[i]);
  return r;
}
