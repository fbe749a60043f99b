// In-kernel tests of the disk driver, buffer cache, log, inode layer,
// directories, path names and pipes.
//
// They run in the first process after fsinit(), on the real disk image,
// so each one creates its own files (named /kt_*) and removes them again,
// and checks that the free-block count is back where it started.  Work
// that needs a transaction is finished (end_op) before any CHECK, since a
// CHECK returns from the test and a transaction left open would hang
// every test after it.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/proc.h"
#include "kernel/defs.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/file.h"
#include "kernel/stat.h"
#include "kernel/ktest.h"

extern struct superblock sb;   // fs.c

// Test data too big for a kernel stack.
static uchar pattern[3 * BSIZE];
static uchar readback[3 * BSIZE];
static struct buf rawbuf;      // outside the cache: reads the disk itself

// The byte a test file holds at offset off, for test number seed.
static uchar
byte_at(uint off, int seed)
{
  return (off * 7 + off / 251 + seed * 13 + 1) & 0xff;
}

// Fill dst with the n bytes a test file of pattern seed holds from off.
static void
fill(uchar *dst, uint off, uint n, int seed)
{
  for(uint i = 0; i < n; i++)
    dst[i] = byte_at(off + i, seed);
}

// Bytes of src that differ from what offset off should hold.
static int
mismatches(uchar *src, uint off, uint n, int seed)
{
  int bad = 0;
  for(uint i = 0; i < n; i++)
    if(src[i] != byte_at(off + i, seed))
      bad++;
  return bad;
}

// Read block blockno straight from the disk into rawbuf.data.
static void
raw_read(uint blockno)
{
  rawbuf.dev = ROOTDEV;
  rawbuf.blockno = blockno;
  virtio_disk_rw(&rawbuf, 0);
}

// Free blocks according to the bitmap.
static int
count_free_blocks(void)
{
  struct buf *bp = 0;
  int nfree = 0;

  for(uint b = 0; b < sb.size; b++){
    if(bp == 0 || b % BPB == 0){
      if(bp)
        brelse(bp);
      bp = bread(ROOTDEV, BBLOCK(b, sb));
    }
    uint bit = b % BPB;
    if((bp->data[bit / 8] & (1 << (bit % 8))) == 0)
      nfree++;
  }
  if(bp)
    brelse(bp);
  return nfree;
}

// The type of inode inum on disk (0: free).
static int
disk_type(uint inum)
{
  struct buf *bp = bread(ROOTDEV, IBLOCK(inum, sb));
  int type = ((struct dinode *)bp->data + inum % IPB)->type;
  brelse(bp);
  return type;
}

// Create path as a file holding one block of pattern seed; return it
// referenced and unlocked (0 on failure) and its block in *blockno.
static struct inode *
kt_one_block_file(char *path, int seed, uint *blockno)
{
  struct inode *ip;
  int n = -1;

  fill(pattern, 0, BSIZE, seed);
  begin_op();
  ip = create(path, T_FILE, 0, 0);
  if(ip){
    n = writei(ip, 0, (uint64)pattern, 0, BSIZE);
    *blockno = ip->addrs[0];
    iunlock(ip);
  }
  end_op();
  if(ip && (n != BSIZE || *blockno == 0)){
    begin_op();
    unlinkpath(path);
    iput(ip);
    end_op();
    return 0;
  }
  return ip;
}

// Undo kt_one_block_file.
static void
kt_remove(char *path, struct inode *ip)
{
  begin_op();
  unlinkpath(path);
  iput(ip);
  end_op();
}

// bwrite puts the data on the disk itself (read back around the cache),
// and bread afterwards serves the same data from the cache.
KTEST(bio_bwrite_reaches_disk_and_bread_sees_it)
{
  int nfree = count_free_blocks();
  uint blk = 0;
  struct inode *ip = kt_one_block_file("/kt_bio", 1, &blk);
  CHECK(ip != 0, "could not create /kt_bio with one data block");

  struct buf *b = bread(ROOTDEV, blk);
  int cached_first = mismatches(b->data, 0, BSIZE, 1);
  fill(b->data, 0, BSIZE, 2);
  bwrite(b);
  brelse(b);

  memset(rawbuf.data, 0, BSIZE);
  raw_read(blk);
  int on_disk = mismatches(rawbuf.data, 0, BSIZE, 2);

  b = bread(ROOTDEV, blk);
  int cached = mismatches(b->data, 0, BSIZE, 2);
  brelse(b);

  kt_remove("/kt_bio", ip);

  CHECK(cached_first == 0, "bread of block %d: %d bytes differ from what writei wrote",
        blk, cached_first);
  CHECK(on_disk == 0, "block %d on disk: %d bytes differ from what bwrite wrote",
        blk, on_disk);
  CHECK(cached == 0, "bread after bwrite: %d bytes differ", cached);
  CHECK(count_free_blocks() == nfree, "free blocks %d before, %d after removing the file",
        nfree, count_free_blocks());
}

// A committed transaction is installed at the block's home on the disk
// and the on-disk log header is reset to 0 blocks; logging one block many
// more times than the log holds takes one slot (absorption), not many.
KTEST(log_commit_installs_block_and_clears_header)
{
  uint blk = 0;
  struct inode *ip = kt_one_block_file("/kt_log", 3, &blk);
  CHECK(ip != 0, "could not create /kt_log with one data block");

  begin_op();
  struct buf *b = bread(ROOTDEV, blk);
  fill(b->data, 0, BSIZE, 4);
  for(int i = 0; i < 3 * LOGSIZE; i++)
    log_write(b);    // would panic "transaction too big" without absorption
  brelse(b);
  end_op();

  raw_read(blk);
  int home = mismatches(rawbuf.data, 0, BSIZE, 4);
  raw_read(sb.logstart);
  int header_n = *(int *)rawbuf.data;

  kt_remove("/kt_log", ip);

  CHECK(home == 0, "after end_op, block %d on disk has %d bytes not yet installed",
        blk, home);
  CHECK(header_n == 0, "after the commit the log header still says n = %d", header_n);
}

// A transaction left committed in the log (as if the power went right
// after the commit point) is replayed by initlog and then retired.
KTEST(log_recovery_replays_committed_transaction)
{
  uint blk = 0;
  struct inode *ip = kt_one_block_file("/kt_recover", 5, &blk);
  CHECK(ip != 0, "could not create /kt_recover with one data block");

  // Forge the log by hand, through the cache so that initlog sees it:
  // new contents in the first log block, then a header naming blk.
  struct buf *b = bread(ROOTDEV, sb.logstart + 1);
  fill(b->data, 0, BSIZE, 6);
  bwrite(b);
  brelse(b);
  b = bread(ROOTDEV, sb.logstart);
  int *header = (int *)b->data;    // { int n; int block[LOGSIZE]; }
  header[0] = 1;
  header[1] = blk;
  bwrite(b);
  brelse(b);

  initlog(ROOTDEV, &sb);

  raw_read(blk);
  int home = mismatches(rawbuf.data, 0, BSIZE, 6);
  raw_read(sb.logstart);
  int header_n = *(int *)rawbuf.data;
  b = bread(ROOTDEV, blk);
  int cached = mismatches(b->data, 0, BSIZE, 6);
  brelse(b);

  kt_remove("/kt_recover", ip);

  CHECK(home == 0, "recovery left %d bytes of block %d unreplayed on disk", home, blk);
  CHECK(cached == 0, "recovery left %d bytes stale in the cached block", cached);
  CHECK(header_n == 0, "after recovery the log header still says n = %d", header_n);
}

// A file made with ialloc/dirlink is found by name, reads back what was
// written, and after unlink and the last iput is gone: no name, inode free
// on disk, its blocks back in the bitmap.
KTEST(inode_create_write_read_unlink)
{
  int nfree = count_free_blocks();
  uint inum = 0;
  int wrote = -1, got = -1, found_same = 0, nlink = -1, type = -1;
  struct stat st;

  fill(pattern, 0, 1500, 7);
  begin_op();
  struct inode *ip = create("/kt_file", T_FILE, 0, 0);
  if(ip){
    inum = ip->inum;
    wrote = writei(ip, 0, (uint64)pattern, 0, 1500);
    iunlock(ip);
  }
  end_op();
  CHECK(ip != 0, "could not create /kt_file");

  begin_op();
  struct inode *again = namei("/kt_file");
  if(again){
    found_same = again == ip;
    iput(again);
  }
  end_op();

  ilock(ip);
  memset(readback, 0, sizeof(readback));
  got = readi(ip, 0, (uint64)readback, 0, sizeof(readback));
  int past_end = readi(ip, 0, (uint64)readback + 2000, 1500, 10);
  int tail = readi(ip, 0, (uint64)readback + 2000, 1495, 10);
  stati(ip, &st);
  nlink = ip->nlink;
  type = ip->type;
  iunlock(ip);
  int bad = mismatches(readback, 0, 1500, 7);

  begin_op();
  int unlinked = unlinkpath("/kt_file");
  iput(ip);
  struct inode *gone = namei("/kt_file");
  if(gone)
    iput(gone);
  end_op();

  CHECK(wrote == 1500, "writei wrote %d of 1500 bytes", wrote);
  CHECK(found_same, "namei(\"/kt_file\") did not return the inode just created");
  CHECK(type == T_FILE && nlink == 1, "new file has type %d nlink %d, want %d and 1",
        type, nlink, T_FILE);
  CHECK(st.ino == inum && st.size == 1500 && st.type == T_FILE,
        "stati says ino %d size %d type %d, want %d 1500 %d",
        st.ino, (int)st.size, st.type, inum, T_FILE);
  CHECK(got == 1500, "readi of a 1500-byte file returned %d", got);
  CHECK(bad == 0, "readi returned %d bytes different from those written", bad);
  CHECK(past_end == 0, "readi at the end of the file returned %d, want 0", past_end);
  CHECK(tail == 5, "readi of 10 bytes 5 before the end returned %d, want 5", tail);
  CHECK(unlinked == 0, "could not unlink /kt_file");
  CHECK(gone == 0, "namei still finds /kt_file after unlink");
  CHECK(disk_type(inum) == 0, "inode %d still allocated on disk after the last iput", inum);
  CHECK(count_free_blocks() == nfree, "free blocks %d before, %d after: blocks leaked",
        nfree, count_free_blocks());
}

// Directory entries and path names: dirlink refuses a duplicate name;
// absolute and relative paths, ".", ".." and repeated slashes resolve;
// nameiparent splits off the last element; link counts follow xv6.
KTEST(directory_link_and_path_lookup)
{
  char name[DIRSIZ];
  int nfree = count_free_blocks();
  struct inode *root, *d, *f;

  begin_op();
  root = namei("/");
  end_op();
  CHECK(root != 0 && root->inum == ROOTINO, "namei(\"/\") is not inode %d", ROOTINO);
  ilock(root);
  int root_nlink = root->nlink;
  iunlock(root);

  begin_op();
  d = create("/kt_dir", T_DIR, 0, 0);
  if(d)
    iunlock(d);
  end_op();
  begin_op();
  f = create("/kt_dir/file", T_FILE, 0, 0);
  if(f)
    iunlock(f);
  end_op();
  CHECK(d != 0 && f != 0, "could not create /kt_dir and /kt_dir/file");

  begin_op();
  ilock(d);
  int dup = dirlink(d, "file", f->inum);
  int alias = dirlink(d, "alias", f->inum);
  iunlock(d);
  if(alias == 0){
    ilock(f);
    f->nlink++;
    iupdate(f);
    iunlock(f);
  }
  end_op();

  begin_op();
  struct inode *by_alias = namei("/kt_dir/alias");
  struct inode *by_dot = namei("//kt_dir/./file");
  struct inode *by_dotdot = namei("/kt_dir/..");
  struct inode *by_relative = namei("kt_dir//file");   // cwd is "/"
  struct inode *dir_dot = namei("/kt_dir/.");
  struct inode *parent = nameiparent("/kt_dir/file", name);
  struct inode *no_parent = nameiparent("/", name);
  struct inode *missing = namei("/kt_dir/nothere");
  struct inode *through_file = namei("/kt_dir/file/x");
  end_op();

  int alias_ok = by_alias == f;
  int dot_ok = by_dot == f;
  int dotdot_ok = by_dotdot == root;
  int relative_ok = by_relative == f;
  int dir_dot_ok = dir_dot == d;
  int parent_ok = parent == d && namecmp(name, "file") == 0;

  ilock(d);
  int d_nlink = d->nlink;
  iunlock(d);
  ilock(f);
  int f_nlink = f->nlink;
  iunlock(f);
  ilock(root);
  int root_nlink_with_dir = root->nlink;
  iunlock(root);

  begin_op();
  struct inode *refs[] = { by_alias, by_dot, by_dotdot, by_relative, dir_dot,
                           parent, no_parent, missing, through_file };
  for(int i = 0; i < NELEM(refs); i++)
    if(refs[i])
      iput(refs[i]);
  end_op();

  begin_op();
  unlinkpath("/kt_dir/alias");
  end_op();
  begin_op();
  unlinkpath("/kt_dir/file");
  iput(f);
  end_op();
  begin_op();
  unlinkpath("/kt_dir");
  iput(d);
  end_op();

  ilock(root);
  int root_nlink_after = root->nlink;
  iunlock(root);
  begin_op();
  iput(root);
  end_op();

  CHECK(dup == -1, "dirlink accepted a second entry named \"file\"");
  CHECK(alias == 0, "dirlink could not add \"alias\"");
  CHECK(alias_ok, "/kt_dir/alias does not lead to the file");
  CHECK(dot_ok, "//kt_dir/./file does not lead to the file");
  CHECK(dotdot_ok, "/kt_dir/.. is not the root");
  CHECK(relative_ok, "relative kt_dir//file (cwd /) does not lead to the file");
  CHECK(dir_dot_ok, "/kt_dir/. is not /kt_dir");
  CHECK(parent_ok, "nameiparent(\"/kt_dir/file\") is not (/kt_dir, \"file\")");
  CHECK(no_parent == 0, "nameiparent(\"/\") returned an inode");
  CHECK(missing == 0, "namei found /kt_dir/nothere");
  CHECK(through_file == 0, "namei walked through a file: /kt_dir/file/x");
  CHECK(d_nlink == 1, "new directory has nlink %d, want 1", d_nlink);
  CHECK(f_nlink == 2, "file with two names has nlink %d, want 2", f_nlink);
  CHECK(root_nlink_with_dir == root_nlink + 1,
        "root nlink %d with a subdirectory, %d without: want one more",
        root_nlink_with_dir, root_nlink);
  CHECK(root_nlink_after == root_nlink, "root nlink %d after removing /kt_dir, want %d",
        root_nlink_after, root_nlink);
  CHECK(count_free_blocks() == nfree, "free blocks %d before, %d after: blocks leaked",
        nfree, count_free_blocks());
}

// A file longer than NDIRECT blocks gets an indirect block; its bytes
// read back right at every offset, across the direct/indirect boundary;
// writes that would leave a hole are refused; truncation frees it all.
KTEST(file_grows_into_indirect_block)
{
  int nfree = count_free_blocks();
  const uint total = (NDIRECT + 4) * BSIZE + 100;
  const uint piece = sizeof(pattern);
  int short_write = 0, bad = 0, short_read = 0;

  begin_op();
  struct inode *ip = create("/kt_big", T_FILE, 0, 0);
  if(ip)
    iunlock(ip);
  end_op();
  CHECK(ip != 0, "could not create /kt_big");

  // Three blocks per transaction, as filewrite does.
  for(uint off = 0; off < total; off += piece){
    uint n = total - off < piece ? total - off : piece;
    fill(pattern, off, n, 8);
    begin_op();
    ilock(ip);
    if(writei(ip, 0, (uint64)pattern, off, n) != n)
      short_write = 1;
    iunlock(ip);
    end_op();
  }

  // Read in odd-sized pieces so that reads straddle block boundaries.
  ilock(ip);
  uint size = ip->size;
  uint indirect = ip->addrs[NDIRECT];
  for(uint off = 0; off < total; ){
    uint n = BSIZE + 17;
    int r = readi(ip, 0, (uint64)readback, off, n);
    if(r <= 0){
      short_read = 1;
      break;
    }
    bad += mismatches(readback, off, r, 8);
    off += r;
  }
  iunlock(ip);

  begin_op();
  ilock(ip);
  int hole = writei(ip, 0, (uint64)pattern, ip->size + 1, 1);
  iunlock(ip);
  end_op();

  begin_op();
  ilock(ip);
  itrunc(ip);
  uint size_after_trunc = ip->size;
  uint indirect_after_trunc = ip->addrs[NDIRECT];
  iunlock(ip);
  end_op();
  int nfree_after_trunc = count_free_blocks();

  begin_op();
  unlinkpath("/kt_big");
  iput(ip);
  end_op();

  CHECK(!short_write, "writei wrote less than asked while growing /kt_big");
  CHECK(size == total, "size %d after writing %d bytes", size, total);
  CHECK(indirect != 0, "a %d-block file has no indirect block", total / BSIZE + 1);
  CHECK(!short_read, "readi stopped early reading /kt_big back");
  CHECK(bad == 0, "%d bytes of /kt_big read back wrong", bad);
  CHECK(hole == -1, "writei one byte past the end returned %d, want -1", hole);
  CHECK(size_after_trunc == 0 && indirect_after_trunc == 0,
        "itrunc left size %d, indirect block %d", size_after_trunc, indirect_after_trunc);
  CHECK(nfree_after_trunc == nfree, "free blocks %d before, %d after itrunc",
        nfree, nfree_after_trunc);
}

// Bytes go through a pipe in order, also when the ring wraps; a reader
// sees end of file once the writer is closed; a writer fails once the
// reader is closed.  Uses one page of the process's user memory, since
// pipes copy to and from user addresses.
KTEST(pipe_transfers_bytes_and_sees_eof)
{
  struct proc *p = myproc();
  struct file *rf, *wf, *rf2, *wf2;
  uint64 va = p->sz;

  CHECK(pipealloc(&rf, &wf) == 0, "pipealloc failed");
  if(growproc(PGSIZE) < 0){
    fileclose(rf);
    fileclose(wf);
    CHECK(0, "growproc could not add a page to the first process");
  }

  fill(pattern, 0, 400, 9);
  copyout(p->pagetable, va, (char *)pattern, 400);
  int w1 = filewrite(wf, va, 400);
  int r1 = fileread(rf, va + 1024, 400);
  copyin(p->pagetable, (char *)readback, va + 1024, 400);
  int bad1 = mismatches(readback, 0, 400, 9);

  // The second write wraps around the end of a 512-byte ring.
  int w2 = filewrite(wf, va, 400);
  int r2 = fileread(rf, va + 1024, 1000);
  copyin(p->pagetable, (char *)readback, va + 1024, 400);
  int bad2 = mismatches(readback, 0, 400, 9);

  fileclose(wf);
  int eof = fileread(rf, va + 1024, 10);
  fileclose(rf);

  int reader_gone = -2;
  if(pipealloc(&rf2, &wf2) == 0){
    fileclose(rf2);
    reader_gone = filewrite(wf2, va, 10);
    fileclose(wf2);
  }

  growproc(-PGSIZE);

  CHECK(w1 == 400 && r1 == 400, "first write/read moved %d/%d of 400 bytes", w1, r1);
  CHECK(bad1 == 0, "%d bytes came out of the pipe wrong", bad1);
  CHECK(w2 == 400 && r2 == 400, "wrapping write/read moved %d/%d of 400 bytes", w2, r2);
  CHECK(bad2 == 0, "%d bytes came out wrong after the ring wrapped", bad2);
  CHECK(eof == 0, "read with no writer left returned %d, want 0 (end of file)", eof);
  CHECK(reader_gone == -1, "write with no reader returned %d, want -1", reader_gone);
}

// An inode with nlink 0 left allocated on disk (a file unlinked while
// open when the power went) is freed, with its blocks, at mount.
KTEST(orphan_inode_reclaimed_at_mount)
{
  int nfree = count_free_blocks();
  uint inum = 0;
  int wrote = -1;

  fill(pattern, 0, 2 * BSIZE, 10);
  begin_op();
  struct inode *ip = ialloc(ROOTDEV, T_FILE);   // nlink 0, in no directory
  if(ip){
    ilock(ip);
    inum = ip->inum;
    wrote = writei(ip, 0, (uint64)pattern, 0, 2 * BSIZE);
    iunlock(ip);
  }
  end_op();
  CHECK(ip != 0, "ialloc failed");

  // Drop the reference without the final iput freeing anything, as a
  // crash would: iput frees only inodes whose copy is valid.
  ilock(ip);
  ip->valid = 0;
  iunlock(ip);
  begin_op();
  iput(ip);
  end_op();
  int type_before = disk_type(inum);
  int nfree_before = count_free_blocks();

  fsinit(ROOTDEV);

  CHECK(wrote == 2 * BSIZE, "writei wrote %d of %d bytes", wrote, 2 * BSIZE);
  CHECK(type_before == T_FILE && nfree_before == nfree - 2,
        "could not set up the orphan (type %d, %d blocks used)",
        type_before, nfree - nfree_before);
  CHECK(disk_type(inum) == 0, "orphan inode %d still allocated after fsinit", inum);
  CHECK(count_free_blocks() == nfree, "free blocks %d before, %d after reclaiming",
        nfree, count_free_blocks());
}
