# Build, run and test the kernel.  `make help` lists the targets.

K = kernel
U = user

# ---- Lab configuration -------------------------------------------------
# A lab tree names its lab in conf/lab.mk (a line LAB=NAME), as MIT's lab
# trees do; LAB=NAME on the command line does the same.  With a lab set,
# kernel and user code are compiled with -DLAB_NAME -DSOL_NAME (NAME in
# upper case), and kernel/param.h picks that lab's settings.
-include conf/lab.mk
ifdef LAB
LABUPPER := $(shell echo '$(LAB)' | tr a-z A-Z)
LABFLAGS = -DLAB_$(LABUPPER) -DSOL_$(LABUPPER)
endif

# ---- Toolchain ---------------------------------------------------------
# Use TOOLPREFIX= if given; otherwise the first cross-compiler found.
ifndef TOOLPREFIX
TOOLPREFIX := $(firstword $(foreach p,riscv64-unknown-elf- riscv64-linux-gnu- riscv64-elf-,\
	$(if $(shell command -v $(p)gcc 2>/dev/null),$(p))))
endif

CC = $(TOOLPREFIX)gcc
AS = $(TOOLPREFIX)gas
LD = $(TOOLPREFIX)ld
OBJCOPY = $(TOOLPREFIX)objcopy
OBJDUMP = $(TOOLPREFIX)objdump
QEMU = qemu-system-riscv64
PYTHON = /usr/bin/python3

CFLAGS = -std=gnu11 -Wall -Werror -O -fno-omit-frame-pointer -ggdb -gdwarf-2
CFLAGS += -MD -mcmodel=medany -ffreestanding -fno-common -nostdlib
CFLAGS += -fno-builtin-strncpy -fno-builtin-strncmp -fno-builtin-strlen -fno-builtin-memset
CFLAGS += -fno-builtin-memmove -fno-builtin-memcmp -fno-builtin-log -fno-builtin-bzero
CFLAGS += -fno-builtin-strchr -fno-builtin-exit -fno-builtin-malloc -fno-builtin-putc
CFLAGS += -fno-builtin-free -fno-builtin-memcpy -Wno-main
CFLAGS += -fno-builtin-printf -fno-builtin-fprintf -fno-builtin-vprintf
CFLAGS += -fno-stack-protector -fno-pie -no-pie -I.
CFLAGS += $(LABFLAGS)
ASFLAGS = $(CFLAGS)
# User programs are compiled as MIT's lab trees compile them: not
# freestanding, so `main` is C's main and one that falls off its end
# returns 0 instead of failing -Werror (-Wreturn-type).  The -fno-builtin
# flags above keep the compiler from treating printf, malloc and the
# like as the C library's, and -fno-tree-loop-distribute-patterns from
# turning ulib.c's memset loop into a call to memset (itself).
UCFLAGS = $(filter-out -ffreestanding,$(CFLAGS)) -fno-tree-loop-distribute-patterns
LDFLAGS = -z max-page-size=4096 --no-warn-rwx-segments
HOSTCC = gcc
HOSTCFLAGS = -std=gnu11 -Wall -Werror -O2 -g -I. $(LABFLAGS)

# Everything compiled depends on $(BUILDFLAGS), which holds the flags in
# use and is rewritten only when they change (a lab named or dropped, a
# CFLAGS edit), so that such a change rebuilds everything.
BUILDFLAGS = .build-flags
ALLFLAGS = $(CFLAGS) / $(UCFLAGS) / $(HOSTCFLAGS)
$(shell echo '$(ALLFLAGS)' | cmp -s - $(BUILDFLAGS) || echo '$(ALLFLAGS)' > $(BUILDFLAGS))

# ---- Kernel ------------------------------------------------------------
# Every kernel/*.c and *.S is part of the kernel; files named ktest*.c
# hold the in-kernel tests and go only into the `make ktest` kernel.
KSRCS = $(filter-out $K/ktest%.c,$(wildcard $K/*.c)) $(wildcard $K/*.S)
KOBJS = $(patsubst %.S,%.o,$(patsubst %.c,%.o,$(KSRCS)))
KTEST_SRCS = $(KSRCS) $(wildcard $K/ktest*.c)
KTEST_OBJS = $(patsubst $K/%,$K/ktest.obj/%,$(patsubst %.S,%.o,$(patsubst %.c,%.o,$(KTEST_SRCS))))

all: $K/kernel fs.img mkfs/fsck

# The kernel is linked twice, so that panic()'s backtrace can name the
# functions it passes through.  The first link gets a symbol table of
# zeros ($K/ksyms-empty.o); scripts/ksyms.py turns that kernel's `nm -n`
# into the real table, exactly as large, and the second link uses it in
# the same place: no address moves, as the `--same` step then checks.
# (The in-between files end in .o so that clean and .gitignore cover them.)
KSYMS = $(PYTHON) scripts/ksyms.py --nm $(TOOLPREFIX)nm --cc $(CC)

$K/ksyms-empty.o: scripts/ksyms.py
	$(KSYMS) --empty -o $@

$K/kernel: $(KOBJS) $K/kernel.ld $K/ksyms-empty.o
	$(LD) $(LDFLAGS) -T $K/kernel.ld -o $K/kernel-pass1.o $(KOBJS) $K/ksyms-empty.o
	$(KSYMS) -o $K/ksyms-kernel.o $K/kernel-pass1.o
	$(LD) $(LDFLAGS) -T $K/kernel.ld -o $@ $(KOBJS) $K/ksyms-kernel.o
	$(KSYMS) --same $K/kernel-pass1.o $@
	$(OBJDUMP) -S $@ > $K/kernel.asm
	$(OBJDUMP) -t $@ | sed '1,/SYMBOL TABLE/d; s/ .* / /; /^$$/d' > $K/kernel.sym

$K/%.o: $K/%.c $(BUILDFLAGS)
	$(CC) $(CFLAGS) -c -o $@ $<
$K/%.o: $K/%.S $(BUILDFLAGS)
	$(CC) $(ASFLAGS) -c -o $@ $<

$K/kernel-ktest: $(KTEST_OBJS) $K/kernel.ld $K/ksyms-empty.o
	$(LD) $(LDFLAGS) -T $K/kernel.ld -o $K/kernel-ktest-pass1.o $(KTEST_OBJS) $K/ksyms-empty.o
	$(KSYMS) -o $K/ksyms-ktest.o $K/kernel-ktest-pass1.o
	$(LD) $(LDFLAGS) -T $K/kernel.ld -o $@ $(KTEST_OBJS) $K/ksyms-ktest.o
	$(KSYMS) --same $K/kernel-ktest-pass1.o $@

$K/ktest.obj/%.o: $K/%.c $(BUILDFLAGS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DKERNEL_TESTS -fno-toplevel-reorder -c -o $@ $<
$K/ktest.obj/%.o: $K/%.S $(BUILDFLAGS)
	@mkdir -p $(@D)
	$(CC) $(ASFLAGS) -DKERNEL_TESTS -c -o $@ $<

# ---- User programs -----------------------------------------------------
# Every user/*.c except the library files is a program: user/NAME.c
# becomes user/_NAME and goes into fs.img.  Nothing to edit to add one.
#
# Programs named in the list below are added too, duplicates dropped, so
# a handout's "add $U/_NAME\ to UPROGS in the Makefile" can be followed
# as written (it changes nothing when user/NAME.c exists).
UPROGS=\

ULIB_SRCS = $U/ulib.c $U/printf.c $U/umalloc.c
ULIB = $(ULIB_SRCS:.c=.o) $U/usys.o
UPROGS := $(sort $(patsubst $U/%.c,$U/_%,$(filter-out $(ULIB_SRCS),$(wildcard $U/*.c))) $(UPROGS))

# Data files for the image, which MIT's labs add through UEXTRA (say,
# user/xargstest.sh): every user/*.sh and user/*.txt goes into fs.img
# under its own name, as do the files UEXTRA already names (conf/lab.mk
# may set it).
UEXTRA := $(sort $(wildcard $U/*.sh $U/*.txt) $(UEXTRA))

# The system-call stubs come from the one list there is: kernel/syscall.h.
# usys.sh refuses a list that gives one number to two calls; then no
# usys.S is left behind for the next make to take as up to date.
$U/usys.S: $K/syscall.h scripts/usys.sh
	sh scripts/usys.sh $K/syscall.h > $@.tmp || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

$U/%.o: $U/%.c $(BUILDFLAGS)
	$(CC) $(UCFLAGS) -c -o $@ $<
$U/usys.o: $U/usys.S $(BUILDFLAGS)
	$(CC) $(ASFLAGS) -c -o $@ $<

$U/_%: $U/%.o $(ULIB) $U/user.ld
	$(LD) $(LDFLAGS) -T $U/user.ld -o $@ $< $(ULIB)
	$(OBJDUMP) -S $@ > $U/$*.asm

# The first process's code, embedded in the kernel as bytes.
$K/initcode.h: $U/initcode.S $(BUILDFLAGS)
	$(CC) $(CFLAGS) -march=rv64g -nostdinc -I. -Ikernel -c $U/initcode.S -o $U/initcode.o
	$(LD) $(LDFLAGS) -N -e start -Ttext 0 -o $U/initcode.out $U/initcode.o
	$(OBJCOPY) -S -O binary $U/initcode.out $U/initcode
	(echo '// Generated from user/initcode.S by the Makefile.'; \
	 echo 'static const unsigned char initcode[] = {'; \
	 od -An -v -tx1 $U/initcode | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	 echo '};') > $@
$K/proc.o $K/ktest.obj/proc.o: $K/initcode.h

# ---- File system image and host tools ----------------------------------
mkfs/mkfs: mkfs/mkfs.c $K/fs.h $K/param.h $K/stat.h $(BUILDFLAGS)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ mkfs/mkfs.c
mkfs/fsck: mkfs/fsck.c $K/fs.h $K/param.h $K/stat.h $(BUILDFLAGS)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ mkfs/fsck.c

# fs.img holds copies of the programs without debug information (a file
# holds at most MAXFILE blocks); gdb reads the symbols from user/_NAME.
# Its README is user/README, plain text written for the image.
FSPROGS = $(patsubst $U/_%,$U/fs/_%,$(UPROGS))
$U/fs/_%: $U/_%
	@mkdir -p $(@D)
	$(OBJCOPY) --strip-debug $< $@

fs.img: mkfs/mkfs $U/README $(UEXTRA) $(FSPROGS)
	mkfs/mkfs fs.img $U/README $(UEXTRA) $(FSPROGS)

# Keep intermediate files make would otherwise delete.
.PRECIOUS: $U/%.o $K/%.o $K/ktest.obj/%.o $U/_%

-include $K/*.d $U/*.d $K/ktest.obj/*.d

# ---- Running -----------------------------------------------------------
CPUS ?= 3
export CPUS
QEMUOPTS = -machine virt -bios none -kernel $K/kernel -m 128M -smp $(CPUS) -nographic
QEMUOPTS += -global virtio-mmio.force-legacy=false
QEMUOPTS += -drive file=fs.img,if=none,format=raw,id=x0
QEMUOPTS += -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
# More options for QEMU, e.g. QEMUEXTRA=-snapshot (MIT's graders pass it).
QEMUOPTS += $(QEMUEXTRA)

# `make qemu` and `make test` first install what is missing, then run a
# fresh make, so that the compiler found after installing is the one used.
# Booting needs only the compilers, QEMU and python3 (deps); the tests
# also need gdb-multiarch, pytest and pexpect (testdeps), so a student
# without root can boot once the first few are there.
deps:
	@sh scripts/install-deps.sh

testdeps:
	@sh scripts/install-deps.sh --test

qemu: deps
	@$(MAKE) --no-print-directory run-qemu

run-qemu: $K/kernel fs.img
	$(QEMU) $(QEMUOPTS)

# A gdb port of one's own: two students on one machine do not collide.
GDBPORT = $(shell expr `id -u` % 5000 + 25000)
QEMUGDB = -S -gdb tcp::$(GDBPORT)

# The port alone, for scripts: MIT's gradelib asks for it this way.
print-gdbport:
	@echo $(GDBPORT)
# gdb-multiarch if there is one, else the cross toolchain's own gdb.
GDB = $(firstword $(foreach g,gdb-multiarch $(TOOLPREFIX)gdb,$(if $(shell command -v $(g) 2>/dev/null),$(g))))

# .gdbinit: the template with this user's port in place of 1234.  Made
# afresh every time (it costs nothing), so a GDBPORT=... given on the
# command line always reaches it.
.PHONY: .gdbinit
.gdbinit: .gdbinit.tmpl
	@sed "s/:1234/:$(GDBPORT)/" < .gdbinit.tmpl > $@

qemu-gdb: deps
	@$(MAKE) --no-print-directory run-qemu-gdb

# gdb does not read a .gdbinit in the current folder unless told to
# trust it, hence -x; -nx keeps other init files out of the way.
run-qemu-gdb: $K/kernel fs.img .gdbinit
	@echo "*** QEMU starts halted, waiting for gdb on port $(GDBPORT)."
	@echo "*** In a second terminal, in this folder, run:"
	@echo "***     $(if $(GDB),$(GDB),gdb-multiarch) -q -nx -x .gdbinit"
	@$(if $(GDB),:,echo "*** (no gdb found: sudo apt-get install gdb-multiarch)")
	@echo "*** Stepping is easiest on one hart: make qemu-gdb CPUS=1 (now CPUS=$(CPUS))."
	@echo "*** Leave QEMU with Ctrl-A x."
	$(QEMU) $(QEMUOPTS) $(QEMUGDB)

# ---- Tests -------------------------------------------------------------
# make ktest: boot the kernel with its in-kernel tests compiled in.
ktest: deps
	@$(MAKE) --no-print-directory run-ktest

run-ktest: $K/kernel-ktest fs.img
	$(PYTHON) scripts/run-ktest.py $K/kernel-ktest $(CPUS)

# make test: everything.  make quick: the fast subset, for iterating.
test: testdeps
	@$(MAKE) --no-print-directory run-tests

run-tests: all $K/kernel-ktest
	$(PYTHON) -m pytest -v tests

quick: testdeps
	@$(MAKE) --no-print-directory run-quick

run-quick: all $K/kernel-ktest
	$(PYTHON) -m pytest -v -m "not slow" tests

bench: testdeps
	@$(MAKE) --no-print-directory run-bench

# Options of make bench (scripts/bench.py says more):
#   ROUNDS=R       everything R times, fresh boots: medians and spreads
#   ICOUNT=N       QEMU's -icount shift=N: guest time counts
#                  instructions (2^N ns each) and benchmarks are timed on
#                  the guest clock, so their figures do not depend on how
#                  loaded the host is
#   BASELINE=DIR   also run the kernel built in tree DIR and compare,
#                  rounds alternating between the two
#   COMPARE=LAB    the same against lab LAB's handout, made and built in
#                  a temporary directory with this tree's settings
#                  (COMPARE=cow: this kernel without copy-on-write fork)
BENCHENV = ROUNDS="$(ROUNDS)" ICOUNT="$(ICOUNT)"

run-bench: all
	@if [ -z "$(COMPARE)" ]; then \
	  $(BENCHENV) BASELINE="$(BASELINE)" $(PYTHON) scripts/bench.py; \
	elif [ ! -f scripts/handout.py ]; then \
	  echo "bench: COMPARE needs the full repository (scripts/handout.py)"; \
	else \
	  dir=$$(mktemp -d "$${TMPDIR:-/tmp}/bench-$(COMPARE).XXXXXX"); \
	  if $(PYTHON) scripts/handout.py "$(COMPARE)" "$$dir/tree" >/dev/null && \
	     $(MAKE) --no-print-directory -C "$$dir/tree" LAB="$(LAB)" all >"$$dir/build.log" 2>&1 && \
	     $(BENCHENV) BASELINE="$$dir/tree" $(PYTHON) scripts/bench.py; then \
	    rm -rf "$$dir"; \
	  else \
	    echo "bench: the $(COMPARE) handout did not build or boot; see $$dir"; \
	  fi; \
	fi

# For editors (clangd and the like): every compile command, as `make -n`
# reports it, without building anything and without `bear`.
.PHONY: compile_commands.json
compile_commands.json:
	$(PYTHON) scripts/compile_commands.py --make $(MAKE) -o $@

clean:
	rm -f $K/*.o $K/*.d $K/kernel $K/kernel-ktest $K/kernel.asm $K/kernel.sym $K/initcode.h
	rm -rf $K/ktest.obj
	rm -f $U/*.o $U/*.d $U/*.asm $U/_* $U/usys.S $U/initcode $U/initcode.out
	rm -rf $U/fs
	rm -f mkfs/mkfs mkfs/fsck fs.img .gdbinit $(BUILDFLAGS)
	rm -rf tests/__pycache__ .pytest_cache

help:
	@echo "make qemu        boot to the shell (CPUS=$(CPUS)); leave with Ctrl-A then x"
	@echo "make qemu-gdb    the same, halted, waiting for gdb"
	@echo "make print-gdbport  the port make qemu-gdb listens on"
	@echo "make test        build and run every test (in-kernel, user, host)"
	@echo "make quick       the fast tests only"
	@echo "make ktest       the in-kernel tests only"
	@echo "make bench       benchmarks"
	@echo "make clean       remove everything built"

.PHONY: all deps testdeps qemu qemu-gdb print-gdbport ktest test quick bench clean help
.PHONY: run-qemu run-qemu-gdb run-ktest run-tests run-quick run-bench

include labs/labs.mk
