// malloc and free for user programs.
//
// Memory is handed out in units of one header (16 bytes).  Every block,
// free or allocated, starts with a header giving its size in units; the
// caller's bytes follow it.  Free blocks are kept on a singly linked list
// in address order, so free() can merge a block with the free neighbours
// it touches and the heap does not crumble into small pieces.  When no
// free block is big enough, malloc asks sbrk for more, at least GROWUNITS
// units at a time, because each sbrk is a system call.

#include "kernel/types.h"
#include "user/user.h"

struct header {
  struct header *next;  // next free block, by address (free blocks only)
  uint64 units;         // size of the block in units, this header included
};

#define UNIT       sizeof(struct header)
#define GROWUNITS  4096   // smallest growth: 4096 units = 64 KiB

static struct header *freelist;   // lowest-addressed free block, or 0

// Return the block at p (from malloc) to the free list, merging it with
// the free blocks just before and after it.  free(0) does nothing.
void
free(void *p)
{
  struct header *h, *prev, *cur;

  if(p == 0)
    return;
  h = (struct header*)p - 1;

  // Find the free blocks on either side: prev < h < cur.
  prev = 0;
  for(cur = freelist; cur != 0 && cur < h; cur = cur->next)
    prev = cur;
  if(cur == h || (prev != 0 && prev + prev->units > h))
    return;   // already free: a double free; ignoring it is safest

  // Merge with the following block if they touch.
  if(cur != 0 && h + h->units == cur){
    h->units += cur->units;
    h->next = cur->next;
  } else {
    h->next = cur;
  }

  // Merge with the preceding block if they touch.
  if(prev == 0){
    freelist = h;
  } else if(prev + prev->units == h){
    prev->units += h->units;
    prev->next = h->next;
  } else {
    prev->next = h;
  }
}

// Ask the kernel for room for at least `units` units and put it on the
// free list.  Returns 1, or 0 if sbrk refuses.
static int
grow(uint64 units)
{
  uint64 want, pad, bytes;
  char *p;

  // Someone may have moved the break by an odd amount with sbrk; pad up
  // to a whole unit so headers stay aligned.
  p = sbrk(0);
  if(p == SBRK_ERROR)
    return 0;
  pad = (UNIT - (uint64)p % UNIT) % UNIT;

  // Ask for GROWUNITS if we can get it, else just what is needed.
  for(want = units < GROWUNITS ? GROWUNITS : units; ; want = units){
    bytes = pad + want * UNIT;
    if(bytes <= 0x7fffffff && (p = sbrk(bytes)) != SBRK_ERROR)
      break;
    if(want == units)
      return 0;
  }

  struct header *h = (struct header*)(p + pad);
  h->units = want;
  free(h + 1);
  return 1;
}

// Allocate nbytes bytes, aligned to 16.  Returns 0 if no memory is left.
void*
malloc(uint nbytes)
{
  struct header *prev, *cur;
  uint64 units;

  // One unit for the header plus enough for the caller's bytes.
  units = 1 + ((uint64)nbytes + UNIT - 1) / UNIT;

  for(;;){
    // First fit.
    prev = 0;
    for(cur = freelist; cur != 0; prev = cur, cur = cur->next){
      if(cur->units < units)
        continue;
      if(cur->units == units){
        if(prev)
          prev->next = cur->next;
        else
          freelist = cur->next;
      } else {
        // Hand out the tail, so the free block stays where it is on
        // the list and only shrinks.
        cur->units -= units;
        cur += cur->units;
        cur->units = units;
      }
      cur->next = 0;
      return cur + 1;
    }
    if(!grow(units))
      return 0;
  }
}
