// Formatted output for user programs: printf and fprintf.
//
// Conversions: %d %u %x %p %s %c %%, with l or ll before d, u or x for
// 64-bit values (%ld %lu %lx %lld %llu %llx).  A field width and the
// flags '-' (left-justify) and '0' (pad with zeros) are accepted too.
//
// Output is collected in a buffer and written with one write() per call
// (one per OUTBUF bytes for long output), so lines printed by processes
// running at the same time come out whole rather than interleaved
// character by character.

#include <stdarg.h>

#include "kernel/types.h"
#include "user/user.h"

#define OUTBUF 512

// Output in progress: where it goes and what is waiting to be written.
struct out {
  int fd;
  int len;
  char buf[OUTBUF];
};

// Write out whatever is buffered.
static void
flush(struct out *o)
{
  if(o->len > 0)
    write(o->fd, o->buf, o->len);
  o->len = 0;
}

// Append one character, flushing first if the buffer is full.
static void
put(struct out *o, char c)
{
  if(o->len == OUTBUF)
    flush(o);
  o->buf[o->len++] = c;
}

// Append s padded with pad to at least width characters; on the left
// unless left is set.
static void
putfield(struct out *o, const char *s, int width, int left, char pad)
{
  int n = strlen(s);

  if(!left){
    // Zero padding goes after a minus sign, not before it.
    if(pad == '0' && *s == '-'){
      put(o, *s++);
      width--;
      n--;
    }
    for(; width > n; width--)
      put(o, pad);
  }
  for(; *s; s++)
    put(o, *s);
  for(; left && width > n; width--)
    put(o, ' ');
}

// Format x in the given base into buf (at least 24 bytes), treating it as
// signed if sgn is set.  Returns buf.
static char*
itoa(char *buf, uint64 x, int base, int sgn)
{
  static const char digits[] = "0123456789abcdef";
  char tmp[24];
  int n = 0, neg = 0;
  char *p = buf;

  if(sgn && (long)x < 0){
    neg = 1;
    x = -x;   // well-defined in unsigned arithmetic, even for the minimum
  }
  do {
    tmp[n++] = digits[x % base];
    x /= base;
  } while(x != 0);
  if(neg)
    *p++ = '-';
  while(n > 0)
    *p++ = tmp[--n];
  *p = 0;
  return buf;
}

// Format fmt with the arguments in ap and write the result to fd.
static void
vfmt(int fd, const char *fmt, va_list ap)
{
  struct out o;
  char num[24];
  const char *s;
  int width, left, lng;
  char pad, c;

  o.fd = fd;
  o.len = 0;
  for(; *fmt; fmt++){
    if(*fmt != '%'){
      put(&o, *fmt);
      continue;
    }
    fmt++;
    left = 0;
    pad = ' ';
    for(; *fmt == '-' || *fmt == '0'; fmt++){
      if(*fmt == '-')
        left = 1;
      else
        pad = '0';
    }
    width = 0;
    for(; *fmt >= '0' && *fmt <= '9'; fmt++)
      width = width * 10 + (*fmt - '0');
    lng = 0;
    for(; *fmt == 'l'; fmt++)
      lng++;
    if(left)
      pad = ' ';

    switch((c = *fmt)){
    case 'd':
      if(lng)
        itoa(num, va_arg(ap, long), 10, 1);
      else
        itoa(num, (long)va_arg(ap, int), 10, 1);
      putfield(&o, num, width, left, pad);
      break;
    case 'u':
    case 'x':
      if(lng)
        itoa(num, va_arg(ap, uint64), c == 'u' ? 10 : 16, 0);
      else
        itoa(num, va_arg(ap, uint), c == 'u' ? 10 : 16, 0);
      putfield(&o, num, width, left, pad);
      break;
    case 'p':
      put(&o, '0');
      put(&o, 'x');
      s = itoa(num, (uint64)va_arg(ap, void*), 16, 0);
      // Pointers print at full width, as xv6 does.
      for(int n = strlen(s); n < 16; n++)
        put(&o, '0');
      putfield(&o, s, 0, 0, ' ');
      break;
    case 's':
      s = va_arg(ap, const char*);
      putfield(&o, s ? s : "(null)", width, left, ' ');
      break;
    case 'c':
      num[0] = va_arg(ap, int);
      num[1] = 0;
      if(num[0] == 0)
        put(&o, 0);   // putfield would see an empty string
      else
        putfield(&o, num, width, left, ' ');
      break;
    case '%':
      put(&o, '%');
      break;
    case 0:
      // A lone % at the end of the format: print it and stop.
      put(&o, '%');
      fmt--;
      break;
    default:
      // Unknown conversion: show it as written, so the mistake is visible.
      put(&o, '%');
      put(&o, c);
      break;
    }
  }
  flush(&o);
}

// Print to file descriptor fd.
void
fprintf(int fd, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vfmt(fd, fmt, ap);
  va_end(ap);
}

// Print to standard output (fd 1).
void
printf(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vfmt(1, fmt, ap);
  va_end(ap);
}
