// attacktest: plant a secret with `secret`, then see whether `attack`
// finds it: the syscall lab's attack exercise (docs/labs/syscall.md).
//
//   $ attacktest
//   attacktest: OK: attack found the secret ...
//
// The word is new each run.  attack must write it (a NUL or a newline
// may follow) to its file descriptor 2, which is a pipe back to here.
// lab syscall: handout

#include "kernel/types.h"
#include "user/user.h"

#define WORDLEN 10

static char word[WORDLEN + 1];
static char heard[128];

// A word of WORDLEN letters that depends on the time and the pid.
static void
make_word(void)
{
  uint x = uptime() * 2654435761u + getpid() * 40503u + 12345;
  for(int i = 0; i < WORDLEN; i++){
    x = x * 1103515245u + 12345;
    word[i] = 'a' + (x >> 16) % 26;
  }
  word[WORDLEN] = 0;
}

// Run argv[0] in a child whose file descriptor 2 is out (if out >= 0),
// and wait for it.  Returns its exit status, or -1 if it did not run.
static int
run(char **argv, int out)
{
  int pid = fork();
  if(pid < 0)
    return -1;
  if(pid == 0){
    if(out >= 0){
      close(2);
      dup(out);
      close(out);
    }
    exec(argv[0], argv);
    printf("attacktest: cannot run %s\n", argv[0]);
    exit(1);
  }
  if(out >= 0)
    close(out);
  int status;
  wait(&status);
  return status;
}

int
main(void)
{
  make_word();
  char *plant[] = { "secret", word, 0 };
  if(run(plant, -1) != 0){
    printf("attacktest: FAIL: secret did not run\n");
    exit(1);
  }

  // attack's fd 2 is the write end of a pipe.  The pipe holds more
  // than attack may write, so reading it after attack is done is safe.
  int fds[2];
  if(pipe(fds) < 0){
    printf("attacktest: FAIL: no pipe\n");
    exit(1);
  }
  char *attack[] = { "attack", 0 };
  run(attack, fds[1]);
  int n = 0, got;
  while(n < sizeof(heard) - 1 && (got = read(fds[0], heard + n, sizeof(heard) - 1 - n)) > 0)
    n += got;
  close(fds[0]);
  heard[n] = 0;
  char *nl = strchr(heard, '\n');
  if(nl)
    *nl = 0;

  if(strcmp(heard, word) == 0){
    printf("attacktest: OK: attack found the secret %s\n", word);
    exit(0);
  }
  printf("attacktest: FAIL: attack wrote \"%s\"; the secret was %s\n", heard, word);
  exit(1);
}
