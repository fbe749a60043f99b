// What a user program may call: the system calls (stubs generated into
// user/usys.S by scripts/usys.sh) and the small C library in ulib.c,
// printf.c and umalloc.c.
//
// This is the union of the 2022 and 2025 xv6 user.h files, so programs
// written for either compile here unchanged.  Include it after
// kernel/types.h (and kernel/stat.h when using struct stat), as xv6
// programs do.
#ifndef USER_USER_H
#define USER_USER_H

struct stat;

// ---- System calls ----
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int*);
int pipe(int*);
int write(int, const void*, int);
int read(int, void*, int);
int close(int);
int kill(int);
int exec(const char*, char**);
int open(const char*, int);
int mknod(const char*, short, short);
int unlink(const char*);
int fstat(int fd, struct stat*);
int link(const char*, const char*);
int mkdir(const char*);
int chdir(const char*);
int dup(int);
int getpid(void);
char* sys_sbrk(int, int);   // grow (or shrink) by n bytes; how = SBRK_*
int sleep(int);             // wait n clock ticks (2022 name)
int pause(int);             // the same call (2025 name)
int uptime(void);
int halt(void);             // power the machine off; returns only on failure
int freemem(void);          // free physical pages
// lab syscall: begin
int trace(int);             // report the calls in mask (bit n: call n) as they return
struct sysinfo;
int sysinfo(struct sysinfo*);  // free memory (bytes) and number of processes
// lab syscall: end
// lab traps: begin
int sigalarm(int ticks, void (*handler)());  // call handler every ticks ticks of CPU time
int sigreturn(void);        // end an alarm handler: resume where it interrupted
// lab traps: end
// Map len bytes of the open file fd, from offset on, with prot PROT_* and
// flags MAP_* (kernel/fcntl.h); addr must be 0 (the kernel chooses).
// Returns the address of the mapping, or (void *)-1.
void* mmap(void *addr, uint64 len, int prot, int flags, int fd, uint64 offset);
int munmap(void *addr, uint64 len);  // 0, or -1

// How sys_sbrk grows memory, and what it returns on failure.
#define SBRK_EAGER  1       // allocate and map the pages now
#define SBRK_LAZY   2       // move the break; pages appear on first touch
#define SBRK_ERROR  ((char *)-1)

// ---- ulib.c ----
char* sbrk(int);
char* sbrklazy(int);
int stat(const char*, struct stat*);
char* strcpy(char*, const char*);
void *memmove(void*, const void*, int);
char* strchr(const char*, char c);
int strcmp(const char*, const char*);
char* gets(char*, int max);
uint strlen(const char*);
void* memset(void*, int, uint);
int atoi(const char*);
int memcmp(const void *, const void *, uint);
void *memcpy(void *, const void *, uint);

// ---- printf.c ----
// The format attribute lets the compiler check arguments against the
// format.  xv6 2022 had no such check, and its programs sometimes pass a
// pointer for %x and the like; reporting mismatches as warnings rather
// than errors lets those programs build under -Werror unmodified while
// still pointing at the mismatch.  (This holds from here to the end of
// the including file.)
#pragma GCC diagnostic warning "-Wformat"
void fprintf(int, const char*, ...) __attribute__ ((format (printf, 2, 3)));
void printf(const char*, ...) __attribute__ ((format (printf, 1, 2)));

// ---- umalloc.c ----
void* malloc(uint);
void free(void*);

#endif
