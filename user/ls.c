// ls: list directories and files.  Each line shows a name, its type
// (1 directory, 2 file, 3 device), its inode number and its size, as
// xv6's ls does.  A directory argument lists its entries; a file argument
// shows that file.  With no arguments, lists the current directory.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fs.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "user/user.h"

// Print one line for the file at path, shown under the name `name`
// (padded to DIRSIZ so the columns line up).
static void
show(const char *name, struct stat *st)
{
  char padded[DIRSIZ + 1];
  int n = strlen(name);

  if(n > DIRSIZ)
    n = DIRSIZ;
  memmove(padded, name, n);
  memset(padded + n, ' ', DIRSIZ - n);
  padded[DIRSIZ] = 0;
  printf("%s %d %u %lu\n", padded, st->type, st->ino, st->size);
}

// The part of path after its last '/'.
static const char*
basename(const char *path)
{
  const char *p = path + strlen(path);

  while(p > path && p[-1] != '/')
    p--;
  return *p ? p : path;
}

// List the directory open on fd, whose path is dir.  Returns 0, or -1
// if something could not be read.
static int
listdir(int fd, const char *dir)
{
  char path[MAXPATH];
  char name[DIRSIZ + 1];
  struct dirent de;
  struct stat st;
  int len = strlen(dir), status = 0;

  // Room for dir, '/', a name and the NUL.
  if(len + 1 + DIRSIZ + 1 > (int)sizeof(path)){
    fprintf(2, "ls: path too long: %s\n", dir);
    return -1;
  }
  strcpy(path, dir);
  path[len++] = '/';

  while(read(fd, &de, sizeof(de)) == sizeof(de)){
    if(de.inum == 0)
      continue;   // an unused slot
    memmove(name, de.name, DIRSIZ);
    name[DIRSIZ] = 0;   // names of exactly DIRSIZ bytes carry no NUL
    strcpy(path + len, name);
    if(stat(path, &st) < 0){
      fprintf(2, "ls: cannot stat %s\n", path);
      status = -1;
      continue;
    }
    show(name, &st);
  }
  return status;
}

// List one command-line argument.  Returns 0 or -1.
static int
ls(const char *path)
{
  struct stat st;
  int fd, r = 0;

  if((fd = open(path, O_RDONLY)) < 0){
    fprintf(2, "ls: cannot open %s\n", path);
    return -1;
  }
  if(fstat(fd, &st) < 0){
    fprintf(2, "ls: cannot stat %s\n", path);
    close(fd);
    return -1;
  }
  if(st.type == T_DIR)
    r = listdir(fd, path);
  else
    show(basename(path), &st);
  close(fd);
  return r;
}

int
main(int argc, char *argv[])
{
  int status = 0;

  if(argc < 2)
    exit(ls(".") < 0);
  for(int i = 1; i < argc; i++){
    if(ls(argv[i]) < 0)
      status = 1;
  }
  exit(status);
}
