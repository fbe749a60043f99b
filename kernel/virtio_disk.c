// Driver for the virtio block device QEMU attaches at VIRTIO0, spoken to
// through the modern (version 2) virtio-mmio register interface.
//
// QEMU is run with
//   -global virtio-mmio.force-legacy=false
//   -drive file=fs.img,if=none,format=raw,id=x0
//   -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
//
// The driver and the device share one split virtqueue (virtio 1.1, 2.6):
//   - a table of descriptors, each naming one piece of memory;
//   - the available ring, where the driver posts the first descriptor of
//     each new request;
//   - the used ring, where the device posts the first descriptor of each
//     finished request, and then raises an interrupt.
// A block request is a chain of three descriptors: a header saying what
// to do, the data, and a status byte the device fills in.
//
// Several processes may have requests in flight at once; each sleeps on
// its buf until virtio_disk_intr() sees the request in the used ring.

#include "types.h"
#include "riscv.h"
#include "defs.h"
#include "param.h"
#include "memlayout.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "buf.h"

// virtio-mmio registers, as byte offsets from VIRTIO0 (all 32 bits wide).
#define VIO_MAGIC             0x000  // reads 0x74726976 ("virt")
#define VIO_VERSION           0x004  // 2 for the modern interface
#define VIO_DEVICE_ID         0x008  // 2 for a block device
#define VIO_VENDOR_ID         0x00c
#define VIO_DEVICE_FEATURES   0x010  // 32 feature bits, chosen by ..._SEL
#define VIO_DEVICE_FEAT_SEL   0x014
#define VIO_DRIVER_FEATURES   0x020
#define VIO_DRIVER_FEAT_SEL   0x024
#define VIO_QUEUE_SEL         0x030
#define VIO_QUEUE_NUM_MAX     0x034
#define VIO_QUEUE_NUM         0x038
#define VIO_QUEUE_READY       0x044
#define VIO_QUEUE_NOTIFY      0x050
#define VIO_INTERRUPT_STATUS  0x060
#define VIO_INTERRUPT_ACK     0x064
#define VIO_STATUS            0x070
#define VIO_QUEUE_DESC_LOW    0x080
#define VIO_QUEUE_DESC_HIGH   0x084
#define VIO_QUEUE_DRIVER_LOW  0x090  // the available ring
#define VIO_QUEUE_DRIVER_HIGH 0x094
#define VIO_QUEUE_DEVICE_LOW  0x0a0  // the used ring
#define VIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIO_CONFIG            0x100  // block: 64-bit capacity in sectors

// Bits of the Status register.
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER      2
#define STATUS_DRIVER_OK   4
#define STATUS_FEATURES_OK 8

// Feature bits this simple driver turns down.
#define FEAT_BLK_RO          5
#define FEAT_BLK_SCSI        7
#define FEAT_BLK_CONFIG_WCE 11
#define FEAT_BLK_MQ         12
#define FEAT_ANY_LAYOUT     27
#define FEAT_INDIRECT_DESC  28
#define FEAT_EVENT_IDX      29
// The one feature of the upper word we accept: "I speak virtio 1.0+",
// which a driver of the modern interface must acknowledge.
#define FEAT_VERSION_1      32

// Descriptor flags.
#define DESC_NEXT  1   // the chain continues at .next
#define DESC_WRITE 2   // the device writes this memory (else it reads it)

// Request types in the header.
#define BLK_T_IN  0    // read from the disk
#define BLK_T_OUT 1    // write to the disk

// Descriptors in the queue: a power of two, and a multiple of three
// descriptors per request leaves a few over.  Five requests fit at once.
#define NDESC 16

#define SECTOR_SIZE 512

// The shared structures, laid out as virtio 1.1, 2.6, defines them.
struct vdesc {
  uint64 addr;
  uint32 len;
  uint16 flags;
  uint16 next;
};

struct vavail {
  uint16 flags;
  uint16 idx;           // where the driver will put the next entry
  uint16 ring[NDESC];
  uint16 unused;        // used_event, only with EVENT_IDX
};

struct vused_elem {
  uint32 id;            // first descriptor of the finished chain
  uint32 len;
};

struct vused {
  uint16 flags;
  uint16 idx;           // where the device will put the next entry
  struct vused_elem ring[NDESC];
  uint16 unused;        // avail_event, only with EVENT_IDX
};

struct blk_header {
  uint32 type;          // BLK_T_IN or BLK_T_OUT
  uint32 reserved;
  uint64 sector;
};

static struct {
  struct spinlock lock;   // guards everything here and the rings

  // Each ring lives in a page of its own, from kalloc.
  struct vdesc *desc;
  struct vavail *avail;
  volatile struct vused *used;

  char isfree[NDESC];     // descriptor i is unused
  int nfree;              // how many are
  uint16 used_seen;       // used-ring entries already handled

  // What the request whose chain starts at descriptor i is about.
  // The header and status must stay put while the device uses them.
  struct {
    struct buf *b;
    uchar status;
    struct blk_header hdr;
  } req[NDESC];

  uint64 capacity;        // disk size, in sectors
} disk;

// The device register at byte offset off (the kernel maps VIRTIO0 one
// to one).  volatile: every access must reach the device.
static volatile uint32 *
vreg(int off)
{
  return (volatile uint32 *)(VIRTIO0 + off);
}

// Find the device, agree on features, hand it the queue and say the
// driver is ready.  Called once, on hart 0, before any process runs.
// Panics if the device is missing or refuses us.
void
virtio_disk_init(void)
{
  uint32 status = 0;
  uint32 lo, hi;

  initlock(&disk.lock, "virtio_disk");

  if(*vreg(VIO_MAGIC) != 0x74726976)
    panic("virtio_disk_init: no virtio device at VIRTIO0");
  if(*vreg(VIO_VERSION) != 2)
    panic("virtio_disk_init: not the modern interface (need force-legacy=false)");
  if(*vreg(VIO_DEVICE_ID) != 2)
    panic("virtio_disk_init: the device at VIRTIO0 is not a disk");

  // The start-up dance of virtio 1.1, 3.1.1, step by step.
  *vreg(VIO_STATUS) = status;                 // reset
  status |= STATUS_ACKNOWLEDGE;
  *vreg(VIO_STATUS) = status;                 // we have seen it
  status |= STATUS_DRIVER;
  *vreg(VIO_STATUS) = status;                 // and can drive it

  *vreg(VIO_DEVICE_FEAT_SEL) = 0;
  lo = *vreg(VIO_DEVICE_FEATURES);
  *vreg(VIO_DEVICE_FEAT_SEL) = 1;
  hi = *vreg(VIO_DEVICE_FEATURES);

  lo &= ~(1u << FEAT_BLK_RO);
  lo &= ~(1u << FEAT_BLK_SCSI);
  lo &= ~(1u << FEAT_BLK_CONFIG_WCE);
  lo &= ~(1u << FEAT_BLK_MQ);
  lo &= ~(1u << FEAT_ANY_LAYOUT);
  lo &= ~(1u << FEAT_INDIRECT_DESC);
  lo &= ~(1u << FEAT_EVENT_IDX);
  hi &= 1u << (FEAT_VERSION_1 - 32);

  *vreg(VIO_DRIVER_FEAT_SEL) = 0;
  *vreg(VIO_DRIVER_FEATURES) = lo;
  *vreg(VIO_DRIVER_FEAT_SEL) = 1;
  *vreg(VIO_DRIVER_FEATURES) = hi;

  status |= STATUS_FEATURES_OK;
  *vreg(VIO_STATUS) = status;
  // The device clears FEATURES_OK again if it cannot live with our choice.
  if((*vreg(VIO_STATUS) & STATUS_FEATURES_OK) == 0)
    panic("virtio_disk_init: device refused our features");

  // Queue 0 is the only queue of a block device.
  *vreg(VIO_QUEUE_SEL) = 0;
  if(*vreg(VIO_QUEUE_READY))
    panic("virtio_disk_init: queue 0 already in use");
  if(*vreg(VIO_QUEUE_NUM_MAX) < NDESC)
    panic("virtio_disk_init: queue 0 too short");

  disk.desc = kalloc();
  disk.avail = kalloc();
  disk.used = kalloc();
  if(disk.desc == 0 || disk.avail == 0 || disk.used == 0)
    panic("virtio_disk_init: out of memory for the queue");
  memset(disk.desc, 0, PGSIZE);
  memset(disk.avail, 0, PGSIZE);
  memset((void *)disk.used, 0, PGSIZE);

  // The kernel maps RAM one to one, so these addresses are physical.
  *vreg(VIO_QUEUE_NUM) = NDESC;
  *vreg(VIO_QUEUE_DESC_LOW) = (uint64)disk.desc;
  *vreg(VIO_QUEUE_DESC_HIGH) = (uint64)disk.desc >> 32;
  *vreg(VIO_QUEUE_DRIVER_LOW) = (uint64)disk.avail;
  *vreg(VIO_QUEUE_DRIVER_HIGH) = (uint64)disk.avail >> 32;
  *vreg(VIO_QUEUE_DEVICE_LOW) = (uint64)disk.used;
  *vreg(VIO_QUEUE_DEVICE_HIGH) = (uint64)disk.used >> 32;
  *vreg(VIO_QUEUE_READY) = 1;

  for(int i = 0; i < NDESC; i++)
    disk.isfree[i] = 1;
  disk.nfree = NDESC;
  disk.used_seen = 0;

  // The capacity is one 64-bit field; read it as two halves.
  disk.capacity = *vreg(VIO_CONFIG) | ((uint64)*vreg(VIO_CONFIG + 4) << 32);

  status |= STATUS_DRIVER_OK;
  *vreg(VIO_STATUS) = status;

  // VIRTIO0_IRQ reaches virtio_disk_intr() through the PLIC (plic.c).
}

// Take one free descriptor; the caller holds disk.lock and has checked
// that disk.nfree is large enough.
static int
desc_take(void)
{
  for(int i = 0; i < NDESC; i++){
    if(disk.isfree[i]){
      disk.isfree[i] = 0;
      disk.nfree--;
      return i;
    }
  }
  panic("desc_take: nfree says there is one, but none is free");
}

// Give back the chain of descriptors starting at first, and wake
// processes waiting for descriptors.  The caller holds disk.lock.
static void
desc_give_chain(int first)
{
  int i = first;

  for(;;){
    int flags = disk.desc[i].flags;
    int next = disk.desc[i].next;

    if(disk.isfree[i])
      panic("desc_give_chain: descriptor already free");
    memset(&disk.desc[i], 0, sizeof(disk.desc[i]));
    disk.isfree[i] = 1;
    disk.nfree++;
    if((flags & DESC_NEXT) == 0)
      break;
    i = next;
  }
  wakeup(&disk.nfree);
}

// Read (write == 0) or write (write == 1) block b->blockno of the disk
// into or out of b->data, and return when the device is done.  The
// caller holds b->lock.  Sleeps; must be called by a process.
void
virtio_disk_rw(struct buf *b, int write)
{
  uint64 sector = (uint64)b->blockno * (BSIZE / SECTOR_SIZE);
  int d[3];

  if(sector + BSIZE / SECTOR_SIZE > disk.capacity)
    panic("virtio_disk_rw: block beyond the end of the disk");

  acquire(&disk.lock);

  // All three descriptors or none: taking them one at a time could
  // leave several processes each holding a part of a chain, forever.
  while(disk.nfree < 3)
    sleep(&disk.nfree, &disk.lock);
  for(int i = 0; i < 3; i++)
    d[i] = desc_take();

  disk.req[d[0]].hdr.type = write ? BLK_T_OUT : BLK_T_IN;
  disk.req[d[0]].hdr.reserved = 0;
  disk.req[d[0]].hdr.sector = sector;
  disk.req[d[0]].status = 0xff;   // the device sets 0 on success
  disk.req[d[0]].b = b;

  disk.desc[d[0]].addr = (uint64)&disk.req[d[0]].hdr;
  disk.desc[d[0]].len = sizeof(struct blk_header);
  disk.desc[d[0]].flags = DESC_NEXT;
  disk.desc[d[0]].next = d[1];

  disk.desc[d[1]].addr = (uint64)b->data;
  disk.desc[d[1]].len = BSIZE;
  disk.desc[d[1]].flags = DESC_NEXT | (write ? 0 : DESC_WRITE);
  disk.desc[d[1]].next = d[2];

  disk.desc[d[2]].addr = (uint64)&disk.req[d[0]].status;
  disk.desc[d[2]].len = 1;
  disk.desc[d[2]].flags = DESC_WRITE;
  disk.desc[d[2]].next = 0;

  b->disk = 1;

  // Publish the chain: the ring entry first, then (after a fence, so the
  // device never sees the new index before the entry) the index.
  disk.avail->ring[disk.avail->idx % NDESC] = d[0];
  __sync_synchronize();
  disk.avail->idx += 1;
  __sync_synchronize();

  // Tell the device without holding the lock: the write traps into
  // QEMU, and a hart preempted there (more harts than host cores) would
  // otherwise keep the interrupt handler spinning on disk.lock.  A
  // completion that comes in between is not lost: the loop below looks
  // at b->disk under the lock before sleeping.
  release(&disk.lock);
  *vreg(VIO_QUEUE_NOTIFY) = 0;
  acquire(&disk.lock);

  // virtio_disk_intr() clears b->disk when the device has finished.
  while(b->disk == 1)
    sleep(b, &disk.lock);

  disk.req[d[0]].b = 0;
  desc_give_chain(d[0]);

  release(&disk.lock);
}

// The disk's interrupt: acknowledge it, then wake the owner of every
// request the device has finished since the last time.
void
virtio_disk_intr(void)
{
  acquire(&disk.lock);

  // Acknowledge before looking at the ring: a request finishing while
  // we walk it raises a new interrupt rather than going unnoticed.
  *vreg(VIO_INTERRUPT_ACK) = *vreg(VIO_INTERRUPT_STATUS) & 0x3;
  __sync_synchronize();

  while(disk.used_seen != disk.used->idx){
    // Read the entry only after seeing the index that covers it.
    __sync_synchronize();
    int id = disk.used->ring[disk.used_seen % NDESC].id;
    struct buf *b;

    if(id < 0 || id >= NDESC || (b = disk.req[id].b) == 0)
      panic("virtio_disk_intr: device finished a request we never made");
    if(disk.req[id].status != 0)
      panic("virtio_disk_intr: the disk reported an I/O error");
    b->disk = 0;
    wakeup(b);
    disk.used_seen++;
  }

  release(&disk.lock);
}
