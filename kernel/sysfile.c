// File-system system calls.
//
// Each sys_X fetches and checks its arguments from the caller's
// registers (syscall.c's argint/argaddr/argstr) and then calls into
// file.c, fs.c or pipe.c.  Nothing a user passes may panic the kernel:
// bad descriptors, negative lengths, bad pointers and bad paths make the
// call return -1.  Calls that may change the disk run inside
// begin_op/end_op.

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

// Fetch argument n as a file descriptor of the calling process.  Returns
// 0 and sets *pfd and *pf (either may be 0), or -1 if it is not an open
// descriptor.
static int
argfd(int n, int *pfd, struct file **pf)
{
  int fd;
  struct file *f;

  argint(n, &fd);
  if(fd < 0 || fd >= NOFILE || (f = myproc()->ofile[fd]) == 0)
    return -1;
  if(pfd)
    *pfd = fd;
  if(pf)
    *pf = f;
  return 0;
}

// Give f the lowest free descriptor of the calling process (the reference
// passes from the caller to the descriptor).  Returns it, or -1 if all
// NOFILE are taken.
static int
fdalloc(struct file *f)
{
  struct proc *p = myproc();

  for(int fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd] == 0){
      p->ofile[fd] = f;
      return fd;
    }
  }
  return -1;
}

// dup(fd): a second descriptor for the same open file.
uint64
sys_dup(void)
{
  struct file *f;
  int fd;

  if(argfd(0, 0, &f) < 0)
    return -1;
  if((fd = fdalloc(f)) < 0)
    return -1;
  filedup(f);
  return fd;
}

// read(fd, buf, n): bytes read, 0 at end of file, or -1.
uint64
sys_read(void)
{
  struct file *f;
  uint64 buf;
  int n;

  argaddr(1, &buf);
  argint(2, &n);
  if(argfd(0, 0, &f) < 0 || n < 0)
    return -1;
  return fileread(f, buf, n);
}

// write(fd, buf, n): n, or -1.
uint64
sys_write(void)
{
  struct file *f;
  uint64 buf;
  int n;

  argaddr(1, &buf);
  argint(2, &n);
  if(argfd(0, 0, &f) < 0 || n < 0)
    return -1;
  return filewrite(f, buf, n);
}

// close(fd): 0, or -1 if fd is not open.
uint64
sys_close(void)
{
  struct file *f;
  int fd;

  if(argfd(0, &fd, &f) < 0)
    return -1;
  myproc()->ofile[fd] = 0;
  fileclose(f);
  return 0;
}

// fstat(fd, st): fill the user's struct stat; 0 or -1.
uint64
sys_fstat(void)
{
  struct file *f;
  uint64 st;

  argaddr(1, &st);
  if(argfd(0, 0, &f) < 0)
    return -1;
  return filestat(f, st);
}

// link(old, new): give the file old a second name new (not for
// directories, and only within one device).  0 or -1.
uint64
sys_link(void)
{
  char oldpath[MAXPATH], newpath[MAXPATH], name[DIRSIZ];
  struct inode *ip, *dp;

  if(argstr(0, oldpath, MAXPATH) < 0 || argstr(1, newpath, MAXPATH) < 0)
    return -1;

  begin_op();
  if((ip = namei(oldpath)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);
  // Directory cycles would break "..", and short is the limit of nlink.
  if(ip->type == T_DIR || ip->nlink >= 0x7fff){
    iunlockput(ip);
    end_op();
    return -1;
  }
  // Count the new name before adding it.  Between here and dirlink
  // another process may unlink oldpath; were the count ever below the
  // number of names, that unlink could let the inode be freed while the
  // new name still points at it.
  ip->nlink++;
  iupdate(ip);
  iunlock(ip);

  if((dp = nameiparent(newpath, name)) == 0)
    goto undo;
  ilock(dp);
  if(dp->dev != ip->dev || dirlink(dp, name, ip->inum) < 0){
    iunlockput(dp);
    goto undo;
  }
  iunlockput(dp);
  iput(ip);
  end_op();
  return 0;

undo:
  ilock(ip);
  ip->nlink--;
  iupdate(ip);
  iunlockput(ip);
  end_op();
  return -1;
}

// Does directory dp hold nothing but "." and ".."?  The caller holds
// dp->lock.
static int
dir_is_empty(struct inode *dp)
{
  struct dirent de;

  for(uint off = 0; off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      panic("dir_is_empty: cannot read a directory entry");
    if(de.inum == 0)
      continue;
    if(namecmp(de.name, ".") != 0 && namecmp(de.name, "..") != 0)
      return 0;
  }
  return 1;
}

// Remove the directory entry path; the file goes when its last link and
// last open descriptor are gone.  Refuses "." and ".." and directories
// that are not empty.  0 or -1.  The caller is in a transaction.  (The
// in-kernel tests use it too.)
int
unlinkpath(char *path)
{
  char name[DIRSIZ];
  struct inode *dp, *ip;
  struct dirent de;
  uint off;

  if((dp = nameiparent(path, name)) == 0)
    return -1;
  ilock(dp);

  if(namecmp(name, ".") == 0 || namecmp(name, "..") == 0)
    goto fail;
  if((ip = dirlookup(dp, name, &off)) == 0)
    goto fail;
  // Parent before child: the order every path walk locks in.
  ilock(ip);
  if(ip->nlink < 1)
    panic("unlinkpath: a named inode has no links");
  if(ip->type == T_DIR && !dir_is_empty(ip)){
    iunlockput(ip);
    goto fail;
  }

  memset(&de, 0, sizeof(de));
  if(writei(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
    panic("unlinkpath: cannot clear the directory entry");
  if(ip->type == T_DIR){
    // The child's ".." no longer refers to dp.
    dp->nlink--;
    iupdate(dp);
  }
  iunlockput(dp);

  ip->nlink--;
  iupdate(ip);
  iunlockput(ip);
  return 0;

fail:
  iunlockput(dp);
  return -1;
}

// unlink(path): see unlinkpath.  0 or -1.
uint64
sys_unlink(void)
{
  char path[MAXPATH];

  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  int r = unlinkpath(path);
  end_op();
  return r;
}

// Make a new inode of type named path (its parent must exist) and return
// it locked; for type T_FILE an existing file or device of that name is
// returned instead.  Returns 0 if the name exists otherwise, the parent
// is missing, or the disk is full.  The caller is in a transaction.
//
// Link counts follow xv6: a new inode starts with nlink 1 (its name in
// the parent); a new directory's "." is not counted, its ".." adds one
// to the parent's nlink.  (The in-kernel tests use it too.)
struct inode *
create(char *path, short type, short major, short minor)
{
  char name[DIRSIZ];
  struct inode *dp, *ip;

  if((dp = nameiparent(path, name)) == 0)
    return 0;
  ilock(dp);

  if((ip = dirlookup(dp, name, 0)) != 0){
    iunlockput(dp);
    ilock(ip);
    if(type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
      return ip;
    iunlockput(ip);
    return 0;
  }

  if((ip = ialloc(dp->dev, type)) == 0){
    iunlockput(dp);
    return 0;
  }
  ilock(ip);
  ip->major = major;
  ip->minor = minor;
  ip->nlink = 1;
  iupdate(ip);

  if(type == T_DIR){
    if(dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0)
      goto fail;
  }
  if(dirlink(dp, name, ip->inum) < 0)
    goto fail;
  if(type == T_DIR){
    dp->nlink++;
    iupdate(dp);
  }
  iunlockput(dp);
  return ip;

fail:
  // Unnamed now: the iput below frees the inode and any blocks.
  ip->nlink = 0;
  iupdate(ip);
  iunlockput(ip);
  iunlockput(dp);
  return 0;
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
  struct file *f;
  int omode, fd;

  argint(1, &omode);
  if(argstr(0, path, MAXPATH) < 0)
    return -1;

  begin_op();
  if(omode & O_CREATE){
    if((ip = create(path, T_FILE, 0, 0)) == 0){
      end_op();
      return -1;
    }
  } else {
    if((ip = namei(path)) == 0){
      end_op();
      return -1;
    }
    ilock(ip);
    if(ip->type == T_DIR && omode != O_RDONLY){
      iunlockput(ip);
      end_op();
      return -1;
    }
  }

  if(ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV)){
    iunlockput(ip);
    end_op();
    return -1;
  }

  if((f = filealloc()) == 0 || (fd = fdalloc(f)) < 0){
    if(f)
      fileclose(f);   // still FD_NONE: touches no inode
    iunlockput(ip);
    end_op();
    return -1;
  }

  if(ip->type == T_DEVICE){
    f->type = FD_DEVICE;
    f->major = ip->major;
  } else {
    f->type = FD_INODE;
    f->off = 0;
  }
  f->ip = ip;
  f->readable = !(omode & O_WRONLY);
  f->writable = (omode & O_WRONLY) || (omode & O_RDWR);

  if((omode & O_TRUNC) && ip->type == T_FILE)
    itrunc(ip);

  iunlock(ip);
  end_op();
  return fd;
}

// mkdir(path): a new, empty directory.  0 or -1.
uint64
sys_mkdir(void)
{
  char path[MAXPATH];
  struct inode *ip;

  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  if((ip = create(path, T_DIR, 0, 0)) == 0){
    end_op();
    return -1;
  }
  iunlockput(ip);
  end_op();
  return 0;
}

// mknod(path, major, minor): a device file.  major must name a slot of
// devsw (0 <= major < NDEV); minor must fit the on-disk short.  0 or -1.
uint64
sys_mknod(void)
{
  char path[MAXPATH];
  struct inode *ip;
  int major, minor;

  argint(1, &major);
  argint(2, &minor);
  if(major < 0 || major >= NDEV || minor < 0 || minor > 0x7fff)
    return -1;
  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  if((ip = create(path, T_DEVICE, major, minor)) == 0){
    end_op();
    return -1;
  }
  iunlockput(ip);
  end_op();
  return 0;
}

// chdir(path): make the directory path the current directory.  0 or -1.
uint64
sys_chdir(void)
{
  char path[MAXPATH];
  struct inode *ip;
  struct proc *p = myproc();

  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  if((ip = namei(path)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);
  if(ip->type != T_DIR){
    iunlockput(ip);
    end_op();
    return -1;
  }
  iunlock(ip);
  iput(p->cwd);
  end_op();
  p->cwd = ip;
  return 0;
}

// exec(path, argv): replace the calling program.  argv is a user array
// of string pointers ending with 0, fewer than MAXARG strings; each string
// is copied into a page of its own (so at most PGSIZE bytes with its
// NUL) before exec() reads them.  Does not return on success; -1 on any
// bad argument or if exec fails.
uint64
sys_exec(void)
{
  char path[MAXPATH];
  char *argv[MAXARG];
  uint64 uargv, uarg;
  int i, ret = -1;

  argaddr(1, &uargv);
  if(argstr(0, path, MAXPATH) < 0)
    return -1;

  memset(argv, 0, sizeof(argv));
  for(i = 0; ; i++){
    if(i >= NELEM(argv))
      goto out;                 // no terminating 0 within MAXARG
    if(fetchaddr(uargv + i * sizeof(uint64), &uarg) < 0)
      goto out;
    if(uarg == 0)
      break;
    if((argv[i] = kalloc()) == 0)
      goto out;
    if(fetchstr(uarg, argv[i], PGSIZE) < 0)
      goto out;
  }
  ret = exec(path, argv);

out:
  for(i = 0; i < NELEM(argv) && argv[i] != 0; i++)
    kfree(argv[i]);
  return ret;
}

// pipe(fds): make a pipe; fds[0] reads, fds[1] writes.  0 or -1.
uint64
sys_pipe(void)
{
  uint64 fdarray;
  struct file *rf, *wf;
  int fds[2] = { -1, -1 };
  struct proc *p = myproc();

  argaddr(0, &fdarray);
  if(pipealloc(&rf, &wf) < 0)
    return -1;
  if((fds[0] = fdalloc(rf)) < 0 || (fds[1] = fdalloc(wf)) < 0)
    goto fail;
  if(copyout(p->pagetable, fdarray, (char *)fds, sizeof(fds)) < 0)
    goto fail;
  return 0;

fail:
  if(fds[0] >= 0)
    p->ofile[fds[0]] = 0;
  if(fds[1] >= 0)
    p->ofile[fds[1]] = 0;
  fileclose(rf);
  fileclose(wf);
  return -1;
}
