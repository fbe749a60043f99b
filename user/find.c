// find: print the path of every file or directory below DIR whose name
// is NAME.  Paths start with DIR as it was given.  With -exec, run the
// command, with the path as its last argument, for each one found
// instead of printing it.
//
//   $ find . b
//   ./b
//   ./a/b
//   $ find . b -exec echo found
//   found ./b
//   found ./a/b
//
// lab util: solution

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

static char *target;        // the name looked for
static char **command;      // -exec's command, NULL-terminated; or NULL
static int ncommand;
static char path[MAXPATH];  // the path being looked at; grows and shrinks
static int status;          // the exit status: 1 after any trouble

static void
complain(const char *what)
{
  fprintf(2, "find: %s %s\n", what, path);
  status = 1;
}

// Report the path found: print it, or run the -exec command on it.
static void
found(void)
{
  char *argv[MAXARG + 1];
  int pid;

  if(!command){
    printf("%s\n", path);
    return;
  }
  for(int i = 0; i < ncommand; i++)
    argv[i] = command[i];
  argv[ncommand] = path;
  argv[ncommand + 1] = 0;
  pid = fork();
  if(pid < 0){
    complain("cannot fork to run the command on");
    return;
  }
  if(pid == 0){
    exec(argv[0], argv);
    fprintf(2, "find: cannot run %s\n", argv[0]);
    exit(1);
  }
  wait(0);
}

// The entries of the directory at path, read all at once so that no
// descriptor stays open while the tree below is searched.  Sets *n to
// their number; returns a malloc'd array, or 0.
static struct dirent*
entries(int *n)
{
  struct stat st;
  struct dirent *des;
  int fd, got;

  if((fd = open(path, O_RDONLY)) < 0){
    complain("cannot open");
    return 0;
  }
  if(fstat(fd, &st) < 0 || (des = malloc(st.size + 1)) == 0){
    complain("cannot read");
    close(fd);
    return 0;
  }
  got = read(fd, des, st.size);
  close(fd);
  if(got < 0){
    complain("cannot read");
    free(des);
    return 0;
  }
  *n = got / sizeof(struct dirent);
  return des;
}

// Look below the directory at path.
static void
walk(void)
{
  struct dirent *des;
  struct stat st;
  char name[DIRSIZ + 1];
  int n, len = strlen(path);

  if((des = entries(&n)) == 0)
    return;
  for(int i = 0; i < n; i++){
    if(des[i].inum == 0)
      continue;
    memmove(name, des[i].name, DIRSIZ);
    name[DIRSIZ] = 0;   // a name of exactly DIRSIZ bytes has no NUL
    if(strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    if(len + 1 + strlen(name) + 1 > sizeof(path)){
      complain("path too long below");
      continue;
    }
    path[len] = '/';
    strcpy(path + len + 1, name);
    if(strcmp(name, target) == 0)
      found();
    if(stat(path, &st) == 0 && st.type == T_DIR)
      walk();
    path[len] = 0;
  }
  free(des);
}

int
main(int argc, char *argv[])
{
  struct stat st;

  if(argc < 3 || (argc > 3 && (strcmp(argv[3], "-exec") != 0 || argc == 4))){
    fprintf(2, "usage: find dir name [-exec command [arg ...]]\n");
    exit(1);
  }
  if(argc > 4){
    command = argv + 4;
    ncommand = argc - 4;
    if(ncommand + 1 > MAXARG){
      fprintf(2, "find: too many arguments for -exec\n");
      exit(1);
    }
  }
  target = argv[2];
  if(strlen(argv[1]) + 1 > sizeof(path)){
    fprintf(2, "find: path too long: %s\n", argv[1]);
    exit(1);
  }
  strcpy(path, argv[1]);
  if(stat(path, &st) < 0){
    complain("cannot find");
    exit(1);
  }
  if(st.type == T_DIR){
    walk();
  } else {
    // A file given as DIR is found if its own name is NAME.
    char *base = path + strlen(path);
    while(base > path && base[-1] != '/')
      base--;
    if(strcmp(base, target) == 0)
      found();
  }
  exit(status);
}
