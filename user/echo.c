// echo: print the arguments, separated by single spaces, then a newline.

#include "kernel/types.h"
#include "user/user.h"

#define CHUNK 512

static char buf[CHUNK];
static int len;

// Append s to the output, writing out each full chunk.
static void
emit(const char *s)
{
  for(; *s; s++){
    buf[len++] = *s;
    if(len == CHUNK){
      write(1, buf, len);
      len = 0;
    }
  }
}

int
main(int argc, char *argv[])
{
  for(int i = 1; i < argc; i++){
    emit(argv[i]);
    emit(i + 1 < argc ? " " : "");
  }
  emit("\n");
  if(len > 0 && write(1, buf, len) != len){
    fprintf(2, "echo: write error\n");
    exit(1);
  }
  exit(0);
}
