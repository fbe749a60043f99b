// xargs: run a command once for each line of standard input, with the
// line's words (separated by spaces or tabs) after the command's own
// arguments.  Blank lines run nothing.
//
//   $ echo hello too | xargs echo bye
//   bye hello too
//   $ (echo 1 ; echo 2) | xargs echo
//   1
//   2
//
// lab util: solution

#include "kernel/types.h"
#include "kernel/param.h"
#include "user/user.h"

#define MAXLINE 512

static char *args[MAXARG + 1];  // the command's arguments, then the line's
static int nfixed;              // how many are the command's own
static int status;

// Split line into words after the fixed arguments, and run the command.
static void
run(char *line)
{
  int n = nfixed;
  char *p = line;

  for(;;){
    while(*p == ' ' || *p == '\t')
      *p++ = 0;
    if(*p == 0)
      break;
    if(n == MAXARG){
      fprintf(2, "xargs: more than %d arguments\n", MAXARG);
      status = 1;
      return;
    }
    args[n++] = p;
    while(*p && *p != ' ' && *p != '\t')
      p++;
  }
  if(n == nfixed)
    return;   // a blank line
  args[n] = 0;

  int pid = fork();
  if(pid < 0){
    fprintf(2, "xargs: fork failed\n");
    status = 1;
    return;
  }
  if(pid == 0){
    exec(args[0], args);
    fprintf(2, "xargs: cannot run %s\n", args[0]);
    exit(1);
  }
  int code;
  wait(&code);
  if(code != 0)
    status = 1;
}

int
main(int argc, char *argv[])
{
  char line[MAXLINE];
  int len = 0, toolong = 0;
  char c;

  if(argc < 2){
    fprintf(2, "usage: xargs command [arg ...]\n");
    exit(1);
  }
  if(argc - 1 > MAXARG){
    fprintf(2, "xargs: more than %d arguments\n", MAXARG);
    exit(1);
  }
  for(nfixed = 0; nfixed < argc - 1; nfixed++)
    args[nfixed] = argv[nfixed + 1];

  // One byte at a time: a read must not take bytes meant for a command
  // that runs later and reads the same input.
  for(;;){
    int got = read(0, &c, 1);
    if(got < 0){
      fprintf(2, "xargs: read error\n");
      exit(1);
    }
    if(got == 0 || c == '\n'){
      if(toolong){
        fprintf(2, "xargs: line longer than %d bytes left out\n", MAXLINE - 1);
        status = 1;
      } else if(len > 0){
        line[len] = 0;
        run(line);
      }
      len = 0;
      toolong = 0;
      if(got == 0)
        break;
    } else if(len < MAXLINE - 1){
      line[len++] = c;
    } else {
      toolong = 1;
    }
  }
  exit(status);
}
