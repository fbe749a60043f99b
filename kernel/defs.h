// Functions shared between kernel files, grouped by the file that
// defines them.
#ifndef KERNEL_DEFS_H
#define KERNEL_DEFS_H

struct buf;
struct context;
struct file;
struct inode;
struct pipe;
struct proc;
struct spinlock;
struct sleeplock;
struct stat;
struct superblock;

// lab traps: begin
// alarm.c
void            alarm_tick(struct proc*);
// lab traps: end

// bio.c
void            binit(void);
struct buf*     bread(uint, uint);
void            brelse(struct buf*);
void            bwrite(struct buf*);
void            bpin(struct buf*);
void            bunpin(struct buf*);

// console.c
void            consoleinit(void);
void            consoleintr(int);
void            consputc(int);
int             consoleroom(void);

// exec.c
int             exec(char*, char**);

// file.c
struct file*    filealloc(void);
void            fileclose(struct file*);
struct file*    filedup(struct file*);
void            fileinit(void);
int             fileread(struct file*, uint64, int n);
int             filestat(struct file*, uint64 addr);
int             filewrite(struct file*, uint64, int n);

// fs.c
void            fsinit(int);
int             dirlink(struct inode*, char*, uint);
struct inode*   dirlookup(struct inode*, char*, uint*);
struct inode*   ialloc(uint, short);
struct inode*   idup(struct inode*);
void            iinit(void);
void            ilock(struct inode*);
void            iput(struct inode*);
void            iunlock(struct inode*);
void            iunlockput(struct inode*);
void            iupdate(struct inode*);
int             namecmp(const char*, const char*);
struct inode*   namei(char*);
struct inode*   nameiparent(char*, char*);
int             readi(struct inode*, int, uint64, uint, uint);
void            stati(struct inode*, struct stat*);
int             writei(struct inode*, int, uint64, uint, uint);
void            itrunc(struct inode*);

// kalloc.c
void*           kalloc(void);
void            kfree(void *);
void            kinit(void);
uint64          kfreecount(void);
void            kalloc_fail_after(int);
// lab cow: begin
void            kref_inc(void *);
int             kref_count(void *);
// lab cow: end
// lab pgtbl: begin
int             superpage_reserve(void);
void*           superalloc(void);
void            superfree(void *);
void            superpage_split(void *);
// lab pgtbl: end

// log.c
void            initlog(int, struct superblock*);
void            log_write(struct buf*);
void            begin_op(void);
void            end_op(void);

// lab mmap: begin
// mmap.c
uint64          map_file(struct proc*, struct file*, uint64, int, int, uint64);
int             unmap_range(struct proc*, uint64, uint64);
void            munmap_all(struct proc*);
int             mmap_fault(pagetable_t, uint64, int);
void            mmap_prefault(uint64, uint64, int);
int             mmap_fork(struct proc*, struct proc*);
int             mmap_overlaps(struct proc*, uint64, uint64);
// lab mmap: end

// pipe.c
int             pipealloc(struct file**, struct file**);
void            pipeclose(struct pipe*, int);
int             piperead(struct pipe*, uint64, int);
int             pipewrite(struct pipe*, uint64, int);

// printf.c
int             printf(char*, ...) __attribute__ ((format (printf, 1, 2)));
void            panic(char*) __attribute__((noreturn));
void            printfinit(void);
void            print_stack(void);
// lab traps: begin
void            backtrace(void);
// lab traps: end
const char*     ksym_lookup(uint64, uint64*);

// proc.c
int             cpuid(void);
void            exit(int) __attribute__((noreturn));
int             fork(void);
int             growproc(int);
void            proc_mapstacks(pagetable_t);
pagetable_t     proc_pagetable(struct proc *);
void            proc_freepagetable(pagetable_t, uint64);
int             kill(int);
int             killed(struct proc*);
void            setkilled(struct proc*);
struct cpu*     mycpu(void);
struct proc*    myproc(void);
void            procinit(void);
void            scheduler(void) __attribute__((noreturn));
void            sched(void);
void            sleep(void*, struct spinlock*);
void            userinit(void);
int             wait(uint64);
void            wakeup(void*);
void            yield(void);
int             either_copyout(int user_dst, uint64 dst, void *src, uint64 len);
int             either_copyin(void *dst, int user_src, uint64 src, uint64 len);
void            procdump(void);
// lab syscall: begin
uint64          procs_in_use(void);
// lab syscall: end

// swtch.S
void            swtch(struct context*, struct context*);

// spinlock.c
void            acquire(struct spinlock*);
int             holding(struct spinlock*);
void            initlock(struct spinlock*, char*);
void            release(struct spinlock*);
void            push_off(void);
void            pop_off(void);

// sleeplock.c
void            acquiresleep(struct sleeplock*);
void            releasesleep(struct sleeplock*);
int             holdingsleep(struct sleeplock*);
void            initsleeplock(struct sleeplock*, char*);

// string.c
int             memcmp(const void*, const void*, uint);
void*           memmove(void*, const void*, uint);
void*           memset(void*, int, uint);
void*           memcpy(void*, const void*, uint);
char*           safestrcpy(char*, const char*, int);
int             strlen(const char*);
int             strncmp(const char*, const char*, uint);
char*           strncpy(char*, const char*, int);

// sysfile.c
struct inode*   create(char*, short, short, short);
int             unlinkpath(char*);

// syscall.c
void            argint(int, int*);
void            argaddr(int, uint64 *);
int             argstr(int, char*, int);
int             fetchstr(uint64, char*, int);
int             fetchaddr(uint64, uint64*);
void            syscall(void);

// trap.c
extern uint     ticks;
extern struct spinlock tickslock;
void            trapinit(void);
void            trapinithart(void);
void            usertrapret(void);
int             handle_page_fault(struct proc*, uint64 va, uint64 scause);

// uart.c
void            uartinit(void);
void            uartintr(void);
void            uartputc(int);
void            uartputc_sync(int);
int             uartgetc(void);
void            uartrxstop(void);
void            uartrxresume(void);

// vm.c
void            kvminit(void);
void            kvminithart(void);
void            kvmmap(pagetable_t, uint64, uint64, uint64, int);
int             mappages(pagetable_t, uint64, uint64, uint64, int);
pagetable_t     uvmcreate(void);
uint64          uvmalloc(pagetable_t, uint64, uint64, int);
int             mapfresh(pagetable_t, uint64, int);
uint64          uvmdealloc(pagetable_t, uint64, uint64);
int             uvmcopy(pagetable_t, pagetable_t, uint64);
// lab cow: begin
int             cow_fault(pagetable_t, uint64);
// lab cow: end
void            uvmfree(pagetable_t, uint64);
void            uvmunmap(pagetable_t, uint64, uint64, int);
void            uvmclear(pagetable_t, uint64);
pte_t *         walk(pagetable_t, uint64, int);
uint64          walkaddr(pagetable_t, uint64);
int             copyout(pagetable_t, uint64, char *, uint64);
int             copyin(pagetable_t, char *, uint64, uint64);
int             copyinstr(pagetable_t, char *, uint64, uint64);
// lab lazy: begin
uint64          vmfault(pagetable_t, uint64, int);
// lab lazy: end
int             ismapped(pagetable_t, uint64);
void            vmprint(pagetable_t);
pte_t *         pgpte(pagetable_t, uint64);
int             pgaccess(pagetable_t, uint64, int, uint64);
// lab pgtbl: begin
void            vmwalk(pagetable_t, void (*)(int, int, pte_t));
// lab pgtbl: end

// lab pgtbl: begin
// superpage.c
pte_t *         superpage_leaf(pagetable_t, uint64);
uint64          superpage_offset(pagetable_t, uint64);
int             superpage_alloc(pagetable_t, uint64, int);
int             superpage_grow(pagetable_t, uint64, uint64, int);
uint64          superpage_unmap(pagetable_t, uint64, uint64, int);
int             superpage_copy(pagetable_t, pagetable_t, uint64);
// lab pgtbl: end

// plic.c
void            plicinit(void);
void            plicinithart(void);
int             plic_claim(void);
void            plic_complete(int);

// virtio_disk.c
void            virtio_disk_init(void);
void            virtio_disk_rw(struct buf *, int);
void            virtio_disk_intr(void);

// power.c
void            poweroff(int status) __attribute__((noreturn));

// ktest.c (only in the kernel built by `make ktest`)
void            ktest_run(void) __attribute__((noreturn));

// number of elements in fixed-size array
#define NELEM(x) (sizeof(x)/sizeof((x)[0]))

#endif
