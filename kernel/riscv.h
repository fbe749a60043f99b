// RISC-V definitions: control and status registers, Sv39 page-table
// entries, and page arithmetic.  User programs include this file too;
// they may use the page macros and the register readers r_sp(), r_s0(),
// r_ra(), nothing that needs a privileged mode.
#ifndef KERNEL_RISCV_H
#define KERNEL_RISCV_H

#ifndef __ASSEMBLER__

// Read a CSR (control and status register) by name, or write one.
#define csr_read(name) ({ uint64 _v; \
    asm volatile("csrr %0, " #name : "=r" (_v)); _v; })
#define csr_write(name, v) \
    asm volatile("csrw " #name ", %0" : : "r" ((uint64)(v)))

// Registers any mode can read.
static inline uint64 r_sp(void) { uint64 x; asm volatile("mv %0, sp" : "=r" (x)); return x; }
// s0 is also the frame pointer: with -fno-omit-frame-pointer every
// function points it at the top of its own stack frame.
static inline uint64 r_s0(void) { uint64 x; asm volatile("mv %0, s0" : "=r" (x)); return x; }
// lab traps: begin
// The frame pointer, by its ABI name fp (the same register as s0).
static inline uint64 r_fp(void) { uint64 x; asm volatile("mv %0, s0" : "=r" (x)); return x; }
// lab traps: end
static inline uint64 r_ra(void) { uint64 x; asm volatile("mv %0, ra" : "=r" (x)); return x; }
static inline uint64 r_tp(void) { uint64 x; asm volatile("mv %0, tp" : "=r" (x)); return x; }
static inline void   w_tp(uint64 x) { asm volatile("mv tp, %0" : : "r" (x)); }

// The time CSR counts at 10 MHz on QEMU virt.
static inline uint64 r_time(void) { return csr_read(time); }

#ifdef KERNEL_PRIVILEGED_CSRS
// ---- Machine mode (used only by start.c) ----
#define MSTATUS_MPP_MASK (3L << 11)
#define MSTATUS_MPP_S    (1L << 11)
#define MSTATUS_MIE      (1L << 3)

static inline uint64 r_mhartid(void) { return csr_read(mhartid); }
static inline uint64 r_mstatus(void) { return csr_read(mstatus); }
static inline void   w_mstatus(uint64 x) { csr_write(mstatus, x); }
static inline void   w_mepc(uint64 x) { csr_write(mepc, x); }
static inline void   w_medeleg(uint64 x) { csr_write(medeleg, x); }
static inline void   w_mideleg(uint64 x) { csr_write(mideleg, x); }
static inline uint64 r_mie(void) { return csr_read(mie); }
static inline void   w_mie(uint64 x) { csr_write(mie, x); }
static inline void   w_pmpaddr0(uint64 x) { csr_write(pmpaddr0, x); }
static inline void   w_pmpcfg0(uint64 x) { csr_write(pmpcfg0, x); }
static inline uint64 r_menvcfg(void) { return csr_read(0x30a); }
static inline void   w_menvcfg(uint64 x) { csr_write(0x30a, x); }
static inline uint64 r_mcounteren(void) { return csr_read(mcounteren); }
static inline void   w_mcounteren(uint64 x) { csr_write(mcounteren, x); }
#endif

// ---- Supervisor mode ----
#define SSTATUS_SPP  (1L << 8)   // previous mode: 1 = S, 0 = U
#define SSTATUS_SPIE (1L << 5)   // interrupts enabled before the trap
#define SSTATUS_SIE  (1L << 1)   // interrupts enabled now
#define SSTATUS_SUM  (1L << 18)  // S-mode may touch PTE_U pages

#define SIE_SEIE (1L << 9)   // external interrupts
#define SIE_STIE (1L << 5)   // timer interrupts
#define SIE_SSIE (1L << 1)   // software interrupts

static inline uint64 r_sstatus(void) { return csr_read(sstatus); }
static inline void   w_sstatus(uint64 x) { csr_write(sstatus, x); }
static inline uint64 r_sip(void) { return csr_read(sip); }
static inline void   w_sip(uint64 x) { csr_write(sip, x); }
static inline uint64 r_sie(void) { return csr_read(sie); }
static inline void   w_sie(uint64 x) { csr_write(sie, x); }
static inline uint64 r_sepc(void) { return csr_read(sepc); }
static inline void   w_sepc(uint64 x) { csr_write(sepc, x); }
static inline uint64 r_scause(void) { return csr_read(scause); }
static inline uint64 r_stval(void) { return csr_read(stval); }
static inline uint64 r_stvec(void) { return csr_read(stvec); }
static inline void   w_stvec(uint64 x) { csr_write(stvec, x); }
static inline uint64 r_satp(void) { return csr_read(satp); }
static inline void   w_satp(uint64 x) { csr_write(satp, x); }
static inline void   w_stimecmp(uint64 x) { csr_write(0x14d, x); }

// Turn this hart's interrupts on or off, or ask whether they are on.
static inline void intr_on(void)  { w_sstatus(r_sstatus() | SSTATUS_SIE); }
static inline void intr_off(void) { w_sstatus(r_sstatus() & ~SSTATUS_SIE); }
static inline int  intr_get(void) { return (r_sstatus() & SSTATUS_SIE) != 0; }

// Forget every cached translation on this hart.
static inline void sfence_vma(void) { asm volatile("sfence.vma zero, zero"); }

// satp value that turns Sv39 on with the given root table.
#define SATP_SV39 (8L << 60)
#define MAKE_SATP(pagetable) (SATP_SV39 | (((uint64)(pagetable)) >> 12))

typedef uint64 pte_t;
typedef uint64 *pagetable_t;  // a page of 512 PTEs

#endif // __ASSEMBLER__

#define PGSIZE  4096   // bytes per page
#define PGSHIFT 12     // bits of offset within a page

#define PGROUNDUP(sz)  (((sz)+PGSIZE-1) & ~(PGSIZE-1))
#define PGROUNDDOWN(a) (((a)) & ~(PGSIZE-1))

// A superpage: one level-1 leaf maps 2 MiB (512 pages).  Only the pgtbl
// lab's tree makes them (SUPERPAGES in param.h); the names and values
// are those of MIT's pgtbl lab, whose tests use them.
#define SUPERPGSIZE (2L * 1024 * 1024)
#define SUPERPGROUNDUP(sz) (((sz)+SUPERPGSIZE-1) & ~(SUPERPGSIZE-1))

#define PTE_V (1L << 0)  // valid
#define PTE_R (1L << 1)  // readable
#define PTE_W (1L << 2)  // writable
#define PTE_X (1L << 3)  // executable
#define PTE_U (1L << 4)  // user mode may use it
#define PTE_A (1L << 6)  // accessed (set by hardware)
#define PTE_D (1L << 7)  // dirty (set by hardware)
// lab cow: begin
// Bits 8-9 (RSW) are the kernel's own; the hardware ignores them.
#define PTE_COW (1L << 8)  // shared copy-on-write: a store copies the page
// lab cow: end

// Physical address <-> PTE: the page number sits at bit 10 of a PTE.
#define PA2PTE(pa) ((((uint64)(pa)) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte) & 0x3FF)

// The 9-bit index into the page table of the given level (2 = root).
#define PXMASK          0x1FF
#define PXSHIFT(level)  (PGSHIFT + (9*(level)))
#define PX(level, va) ((((uint64) (va)) >> PXSHIFT(level)) & PXMASK)

// One past the highest usable virtual address.  Sv39 allows 2^39, but
// addresses with bit 38 set would have to be sign-extended, so we stop
// one bit short, as xv6 does.
#define MAXVA (1L << (9 + 9 + 9 + 12 - 1))

#endif
