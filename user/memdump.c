// memdump: print memory the way a format string describes it.  Each
// character of the format takes the next bytes of the data and prints
// them on a line of their own:
//
//   i   4 bytes: an int, in decimal
//   h   2 bytes: a short, in decimal
//   c   1 byte: a character
//   p   8 bytes: a 64-bit value (a pointer, say), in hexadecimal
//   s   8 bytes: a pointer to a NUL-terminated string; prints the string
//   S   the data from here on: a NUL-terminated string; prints it
//
// With no arguments memdump prints a few examples.  With a format as its
// one argument it prints up to 512 bytes read from its standard input
// (zeros after the input's end):
//
//   $ echo abcdefgh | memdump iS
//   1684234849
//   efgh

#include "kernel/types.h"
#include "user/user.h"

#define MAXDATA 512

void memdump(char *fmt, char *data);

// A record to print whole: a struct's fields, one after another, are
// what a format of several characters describes.
struct record {
  char *label;      // 8 bytes
  int count;        // 4
  short delta;      // 2
  char grade;       // 1
  char code[9];     // 9: the struct is 24 bytes, with no padding
};

static void
examples(void)
{
  int years[3] = { 1969, 2006, -1 };
  char *word = "pointed to";
  struct record r;

  printf("three ints:\n");
  memdump("iii", (char *)years);

  printf("a string in place:\n");
  memdump("S", "in place");

  printf("a pointer to a string:\n");
  memdump("s", (char *)&word);

  r.label = "label";
  r.count = 100000;
  r.delta = -7;
  r.grade = 'A';
  strcpy(r.code, "riscv64");
  printf("a struct record:\n");
  memdump("sihcS", (char *)&r);

  printf("the same record, its first field as a number:\n");
  memdump("pihcS", (char *)&r);
}

int
main(int argc, char *argv[])
{
  static char data[MAXDATA + 1];   // one more: an S always finds a NUL
  int n = 0, got;

  if(argc == 1){
    examples();
    exit(0);
  }
  if(argc != 2){
    fprintf(2, "usage: memdump [format]\n");
    exit(1);
  }
  while(n < MAXDATA && (got = read(0, data + n, MAXDATA - n)) > 0)
    n += got;
  memdump(argv[1], data);
  exit(0);
}

// lab util: begin memdump.c
// Print the bytes at data as fmt describes (see the top of this file).
// The bytes need not be aligned for the types they hold, so each value
// is copied out before it is printed.
void
memdump(char *fmt, char *data)
{
  for(; *fmt; fmt++){
    switch(*fmt){
    case 'i': {
      int v;
      memmove(&v, data, sizeof(v));
      printf("%d\n", v);
      data += sizeof(v);
      break;
    }
    case 'h': {
      short v;
      memmove(&v, data, sizeof(v));
      printf("%d\n", v);
      data += sizeof(v);
      break;
    }
    case 'c':
      printf("%c\n", *data);
      data += 1;
      break;
    case 'p': {
      uint64 v;
      memmove(&v, data, sizeof(v));
      printf("%lx\n", v);
      data += sizeof(v);
      break;
    }
    case 's': {
      char *s;
      memmove(&s, data, sizeof(s));
      printf("%s\n", s);
      data += sizeof(s);
      break;
    }
    case 'S':
      printf("%s\n", data);
      data += strlen(data) + 1;
      break;
    default:
      fprintf(2, "memdump: %c is not a format character (i h c p s S)\n", *fmt);
      return;
    }
  }
}
// lab util: end
