// wc: count lines, words and bytes in each named file, or in standard
// input if none.  Prints "lines words bytes name" per input; the name is
// empty for standard input.

#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[1024];

// Whitespace separates words.
static int
whitespace(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Count what fd holds and print one line naming it.  Returns 0, or -1 on
// a read error.
static int
count(int fd, const char *name)
{
  int n, lines = 0, words = 0, bytes = 0, inword = 0;

  while((n = read(fd, buf, sizeof(buf))) > 0){
    for(int i = 0; i < n; i++){
      if(buf[i] == '\n')
        lines++;
      if(whitespace(buf[i])){
        inword = 0;
      } else if(!inword){
        inword = 1;
        words++;
      }
    }
    bytes += n;
  }
  if(n < 0){
    fprintf(2, "wc: read error\n");
    return -1;
  }
  printf("%d %d %d %s\n", lines, words, bytes, name);
  return 0;
}

int
main(int argc, char *argv[])
{
  int fd, status = 0;

  if(argc < 2)
    exit(count(0, "") < 0);

  for(int i = 1; i < argc; i++){
    if((fd = open(argv[i], O_RDONLY)) < 0){
      fprintf(2, "wc: cannot open %s\n", argv[i]);
      status = 1;
      continue;
    }
    if(count(fd, argv[i]) < 0)
      status = 1;
    close(fd);
  }
  exit(status);
}
