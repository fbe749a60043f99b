// secret: keep a secret word in memory for a moment, then exit.  The
// victim of the syscall lab's attack exercise (docs/labs/syscall.md);
// attacktest runs it with a word of its choosing.
//
//   secret WORD
//
// It grows its heap by HEAP_PAGES pages and writes, on page WORD_PAGE
// of them, a label at offset 8 and the word after it at offset 32.
// (The first 8 bytes of a free page hold the allocator's link to the
// next free page, so nothing is kept there.)  When it exits, its pages
// go back to the kernel; what is in them then is the exercise.
// lab syscall: handout

#include "kernel/types.h"
#include "kernel/riscv.h"
#include "user/user.h"

#define HEAP_PAGES 32
#define WORD_PAGE  6
#define LABEL_AT   8
#define WORD_AT    32

int
main(int argc, char *argv[])
{
  if(argc != 2 || strlen(argv[1]) >= PGSIZE - WORD_AT){
    fprintf(2, "usage: secret word\n");
    exit(1);
  }
  char *heap = sbrk(HEAP_PAGES * PGSIZE);
  if(heap == SBRK_ERROR){
    fprintf(2, "secret: no memory\n");
    exit(1);
  }
  char *page = heap + WORD_PAGE * PGSIZE;
  strcpy(page + LABEL_AT, "the secret word:");
  strcpy(page + WORD_AT, argv[1]);
  exit(0);
}
