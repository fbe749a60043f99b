// sixfive: print every number in the given files that is a multiple of
// 5 or 6, one a line.  A number is a run of decimal digits with, on each
// side, one of the separators " -\r\t\n./," or the start or end of the
// file: "xv6" holds no number, "/6," holds 6.  A number is printed
// without leading zeros (06 prints as 6); one of more than MAXDIGITS
// digits is left out.
//
//   $ echo 5 xv6 13/30,7-18 > f
//   $ sixfive f
//   5
//   30
//   18
//
// lab util: solution

#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define MAXDIGITS 64

static const char *separators = " -\r\t\n./,";

// The word read so far since the last separator.
static char digits[MAXDIGITS + 1];  // its digits, leading zeros left out
static int ndigits;
static int rest;          // its value modulo 30, which 5 and 6 divide
static int isnumber;      // 1 while the word is all digits
static int toolong;

// A separator or the end of the file ends the word: print it if it is
// a number that 5 or 6 divides.
static void
endword(void)
{
  if(isnumber && !toolong && (rest % 5 == 0 || rest % 6 == 0)){
    digits[ndigits] = 0;
    printf("%s\n", ndigits ? digits : "0");
  }
  ndigits = 0;
  rest = 0;
  isnumber = 0;
  toolong = 0;
}

// Take one character of a word.
static void
addchar(char c, int first)
{
  if(first)
    isnumber = 1;
  if(c < '0' || c > '9'){
    isnumber = 0;
    return;
  }
  rest = (rest * 10 + (c - '0')) % 30;
  if(ndigits == 0 && c == '0')
    return;
  if(ndigits == MAXDIGITS)
    toolong = 1;
  else
    digits[ndigits++] = c;
}

static int
sixfive(int fd)
{
  char buf[512];
  int n, inword = 0;

  while((n = read(fd, buf, sizeof(buf))) > 0){
    for(int i = 0; i < n; i++){
      if(buf[i] != 0 && strchr(separators, buf[i])){
        if(inword)
          endword();
        inword = 0;
      } else {
        addchar(buf[i], !inword);
        inword = 1;
      }
    }
  }
  if(inword)
    endword();
  return n;
}

int
main(int argc, char *argv[])
{
  int status = 0;

  if(argc < 2){
    fprintf(2, "usage: sixfive file ...\n");
    exit(1);
  }
  for(int i = 1; i < argc; i++){
    int fd = open(argv[i], O_RDONLY);
    if(fd < 0){
      fprintf(2, "sixfive: cannot open %s\n", argv[i]);
      status = 1;
      continue;
    }
    if(sixfive(fd) < 0){
      fprintf(2, "sixfive: cannot read %s\n", argv[i]);
      status = 1;
    }
    close(fd);
  }
  exit(status);
}
