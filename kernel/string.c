// The few string and memory routines the kernel needs.
#include "kernel/types.h"

void*
memset(void *dst, int c, uint n)
{
  uchar *d = dst;
  // Whole words at a time where alignment allows: zeroing and junk-filling
  // pages is one of the kernel's hottest loops.
  if((((uint64)d | n) & 7) == 0){
    uint64 w = (uchar)c;
    w |= w << 8;
    w |= w << 16;
    w |= w << 32;
    uint64 *dw = (uint64 *)d;
    for(uint i = 0; i < n / 8; i++)
      dw[i] = w;
    return dst;
  }
  for(uint i = 0; i < n; i++)
    d[i] = c;
  return dst;
}

int
memcmp(const void *v1, const void *v2, uint n)
{
  const uchar *a = v1, *b = v2;
  for(uint i = 0; i < n; i++){
    if(a[i] != b[i])
      return a[i] - b[i];
  }
  return 0;
}

// Copy n bytes; the ranges may overlap.
void*
memmove(void *dst, const void *src, uint n)
{
  const char *s = src;
  char *d = dst;

  if(n == 0)
    return dst;
  if(s < d && s + n > d){
    // Overlap with dst above src: copy from the end backwards.
    while(n-- > 0)
      d[n] = s[n];
  } else if((((uint64)s | (uint64)d | n) & 7) == 0){
    const uint64 *sw = (const uint64 *)s;
    uint64 *dw = (uint64 *)d;
    for(uint i = 0; i < n / 8; i++)
      dw[i] = sw[i];
  } else {
    for(uint i = 0; i < n; i++)
      d[i] = s[i];
  }
  return dst;
}

// The compiler may emit calls to memcpy; it is memmove here.
void*
memcpy(void *dst, const void *src, uint n)
{
  return memmove(dst, src, n);
}

int
strncmp(const char *p, const char *q, uint n)
{
  for(; n > 0; n--, p++, q++){
    if(*p != *q)
      return (uchar)*p - (uchar)*q;
    if(*p == 0)
      return 0;
  }
  return 0;
}

// Copy at most n bytes; pads with NULs like the C library's strncpy.
char*
strncpy(char *s, const char *t, int n)
{
  char *d = s;
  while(n > 0 && *t){
    *d++ = *t++;
    n--;
  }
  while(n-- > 0)
    *d++ = 0;
  return s;
}

// Like strncpy, but always NUL-terminates (when n > 0).
char*
safestrcpy(char *s, const char *t, int n)
{
  if(n <= 0)
    return s;
  int i;
  for(i = 0; i < n - 1 && t[i]; i++)
    s[i] = t[i];
  s[i] = 0;
  return s;
}

int
strlen(const char *s)
{
  int n = 0;
  while(s[n])
    n++;
  return n;
}
