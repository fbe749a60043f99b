#ifndef KERNEL_FCNTL_H
#define KERNEL_FCNTL_H

#define O_RDONLY  0x000
#define O_WRONLY  0x001
#define O_RDWR    0x002
#define O_CREATE  0x200
#define O_TRUNC   0x400

// mmap's prot: how the mapped pages may be used (bits, or PROT_NONE).
#define PROT_NONE   0x0
#define PROT_READ   0x1
#define PROT_WRITE  0x2
#define PROT_EXEC   0x4   // refused here: mapped files are never executable

// mmap's flags: exactly one of these.
#define MAP_SHARED  0x01  // stores reach the file (at munmap and exit)
#define MAP_PRIVATE 0x02  // stores stay in this process's own copy

#endif
