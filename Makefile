# SPDX-License-Identifier: GPL-2.0
#
# Top-level build. Everything goes to $(BUILD); the source tree stays clean.
#
#   make            build the kernel images (ELF64, ELF32 wrapper for QEMU -kernel)
#   make iso        a GRUB multiboot2 ISO, as for real hardware (BIOS and UEFI)
#   make netboot    build/netboot: what a PXE server serves (docs/boot.md)
#   make run        boot Kitten in QEMU and show what it found
#   make check      every test: host unit tests, then whole-system tests
#   make unit       host unit tests only
#
# Dependencies are installed by tools/deps when missing (see README.md).

BUILD   ?= build
.DEFAULT_GOAL := all
CC      := gcc
LD      := ld
OBJCOPY := objcopy
NM      := nm

# --- the kernel -----------------------------------------------------------

KERNEL_DIRS := kitten/arch/x86_64 kitten/kernel kitten/mm kitten/lib kitten/drivers kitten/fs \
	kitten/vmm kitten/tests
KERNEL_SRCS := $(sort $(shell find $(KERNEL_DIRS) -name '*.c' -o -name '*.S'))
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS))

KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer \
	-fno-optimize-sibling-calls \
	-fno-strict-aliasing -fno-common \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Ikitten/include -Ikitten/arch/x86_64/include \
	-MMD -MP
KASFLAGS := $(filter-out -std=gnu11,$(KCFLAGS)) -D__ASSEMBLY__
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T kitten/arch/x86_64/kernel.ld

# Palacios: a library built on its own, with only its own headers, then
# linked into the kernel. Only the glue file sees its host interface.
PALACIOS_SRCS := $(sort $(shell find palacios -name '*.c' -o -name '*.S'))
PALACIOS_OBJS := $(patsubst %,$(BUILD)/%.o,$(PALACIOS_SRCS))
PALACIOS_LIB := $(BUILD)/libpalacios.a
PCFLAGS := $(filter-out -I%,$(KCFLAGS)) -Ipalacios/include
$(BUILD)/palacios/%.c.o: palacios/%.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(PCFLAGS) -c $< -o $@
$(BUILD)/palacios/%.S.o: palacios/%.S Makefile
	@mkdir -p $(dir $@)
	$(CC) $(PCFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(PALACIOS_LIB): $(PALACIOS_OBJS)
	rm -f $@
	$(AR) rcs $@ $^
$(BUILD)/kitten/vmm/palacios_glue.c.o: KCFLAGS += -Ipalacios/include
$(BUILD)/kitten/vmm/sys_vm.c.o: KCFLAGS += -Ipalacios/include
palacios: $(PALACIOS_LIB)

KERNEL  := $(BUILD)/kitten.elf
KERNEL32 := $(BUILD)/kitten32.elf

all: $(KERNEL) $(KERNEL32) user tools

$(BUILD)/%.c.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S Makefile
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -c $< -o $@

# The kernel symbolizes its own backtraces. The symbol table is made from a
# first link and put after the code, so adding it moves no function; the
# second link is checked against the first to prove that.
# Linux's system call names, for logging calls the kernel does not have.
$(BUILD)/syscall_names.c: tools/mksyscallnames
	@mkdir -p $(dir $@)
	tools/mksyscallnames > $@
$(BUILD)/syscall_names.o: $(BUILD)/syscall_names.c
	$(CC) $(KCFLAGS) -c $< -o $@
KERNEL_OBJS += $(BUILD)/syscall_names.o

# The vDSO: user code every process has mapped (kitten/vdso), built as a
# shared object and embedded in the kernel (kernel/vdso_image.S).
VDSO := $(BUILD)/vdso/vdso.so
VDSO_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -ffreestanding \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) -Ikitten/include
$(VDSO): kitten/vdso/vdso.c kitten/vdso/vdso.lds kitten/include/kitten/vdso.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(VDSO_CFLAGS) -shared -nostdlib -Wl,-T,kitten/vdso/vdso.lds \
		-Wl,--hash-style=both -Wl,-soname=linux-vdso.so.1 -Wl,--no-undefined \
		-Wl,-z,noexecstack -Wl,--build-id=none -o $@ kitten/vdso/vdso.c
$(BUILD)/kitten/kernel/vdso_image.S.o: $(VDSO)
$(BUILD)/kitten/kernel/vdso_image.S.o: KASFLAGS += -DVDSO_IMAGE='"$(VDSO)"'

$(BUILD)/kitten.pass1.elf: $(KERNEL_OBJS) $(PALACIOS_LIB) kitten/arch/x86_64/kernel.ld
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(PALACIOS_LIB)

$(BUILD)/ksyms.c: $(BUILD)/kitten.pass1.elf tools/mksyms
	$(NM) -n --defined-only $< | tools/mksyms > $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.c
	$(CC) $(KCFLAGS) -c $< -o $@

$(KERNEL): $(BUILD)/kitten.pass1.elf $(BUILD)/ksyms.o
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o $(PALACIOS_LIB)
	@$(NM) -n $(BUILD)/kitten.pass1.elf | grep -i ' t ' > $(BUILD)/syms.pass1
	@$(NM) -n $@ | grep -i ' t ' > $(BUILD)/syms.pass2
	@cmp -s $(BUILD)/syms.pass1 $(BUILD)/syms.pass2 || \
		{ echo "ksyms: text moved between links"; rm -f $@; exit 1; }

# QEMU's multiboot loader takes only 32-bit ELF files; the boot code runs at
# physical addresses, so a 32-bit copy of the same image boots the same way.
$(KERNEL32): $(KERNEL)
	$(OBJCOPY) -O elf32-i386 $< $@

ISO := $(BUILD)/kitten.iso
iso: $(ISO)
# grub-mkrescue puts in every GRUB platform installed: i386-pc for BIOS,
# x86_64-efi for UEFI (tools/deps installs both).
$(ISO): $(KERNEL) tools/grub.cfg $(wildcard /usr/lib/grub/*/multiboot2.mod)
	@rm -rf $(BUILD)/isodir && mkdir -p $(BUILD)/isodir/boot/grub
	cp $(KERNEL) $(BUILD)/isodir/boot/kitten.elf
	cp tools/grub.cfg $(BUILD)/isodir/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/isodir 2>$(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# Network boot: GRUB's PXE images for BIOS and UEFI, its menu, the kernel
# and an initramfs with a job, as a TFTP server's root (tools/netboot).
NETBOOT_APPEND ?= exit_when_done panic=exit
netboot: $(KERNEL) $(BUILD)/user/init $(BUILD)/user/native_job tools/netboot
	tools/netboot $(BUILD)/netboot --append "$(NETBOOT_APPEND)"

# --- user space ---------------------------------------------------------------
#
# Kitten's own programs (the init task, native test jobs) on a small
# runtime in user/lib, which shares the kernel's string, printf and ELF
# code. They are static, and run unchanged on Linux too.

USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
	-fno-pic -fno-pie -fno-stack-protector -fno-builtin \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Iuser/lib -Ikitten/include -MMD -MP
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack
USER_LIB := user/lib/crt0.S user/lib/runtime.c kitten/lib/string.c \
	kitten/lib/vsnprintf.c
USER_OBJ = $(patsubst %,$(BUILD)/user-obj/%.o,$(1))

$(BUILD)/user-obj/%.c.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/user-obj/%.S.o: %.S Makefile
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

INIT_SRCS := user/init_task/main.c user/init_task/job.c kitten/lib/elf.c $(USER_LIB)
NATIVE_JOB_SRCS := user/tests/native_job.c $(USER_LIB)

$(BUILD)/user/init: $(call USER_OBJ,$(INIT_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(USER_LDFLAGS) -o $@ $^
$(BUILD)/user/native_job: $(call USER_OBJ,$(NATIVE_JOB_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(USER_LDFLAGS) -o $@ $^

VMRUN_SRCS := user/vm/vmrun.c $(USER_LIB)
$(BUILD)/user-obj/user/vm/vmrun.c.o: USER_CFLAGS += -Ipalacios/include
$(BUILD)/user/vmrun: $(call USER_OBJ,$(VMRUN_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(USER_LDFLAGS) -o $@ $^

USER_PROGS := $(BUILD)/user/init $(BUILD)/user/native_job $(BUILD)/user/vmrun
user: $(USER_PROGS)

# Linux test programs, built as users build them: static glibc and musl.
LINUX_TESTS := $(foreach t,hello threads signals files links badargs clock privregs threadstorm mprotect,$(BUILD)/linux/$(t)-glibc $(BUILD)/linux/$(t)-musl)
$(BUILD)/linux/%-glibc: user/tests/linux/%.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -static -pthread -o $@ $<
$(BUILD)/linux/%-musl: user/tests/linux/%.c
	@mkdir -p $(dir $@)
	musl-gcc -O2 -static -o $@ $<
$(BUILD)/linux/cxx-glibc: user/tests/linux/cxx.cpp
	@mkdir -p $(dir $@)
	g++ -O2 -static -pthread -o $@ $<
$(BUILD)/linux/openmp-glibc: user/tests/linux/openmp.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -static -fopenmp -o $@ $< 2>/dev/null	# libgomp warns about dlopen
$(BUILD)/linux/heat-demo: user/demo/heat.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -static -pthread -o $@ $< -lm
LINUX_TESTS += $(BUILD)/linux/cxx-glibc $(BUILD)/linux/openmp-glibc \
	$(BUILD)/linux/heat-demo
LINUX_TESTS += $(BUILD)/linux/creds-glibc $(BUILD)/linux/creds-musl
LINUX_TESTS += $(BUILD)/linux/entries-glibc	# tests/system/stats.sh
# The fuzzer, isolation and soak programs (docs/fuzzing.md).
LINUX_TESTS += $(BUILD)/linux/sysfuzz-glibc $(BUILD)/linux/isolation-glibc \
	$(BUILD)/linux/soak-glibc
LINUX_TESTS += $(BUILD)/linux/fsstress-glibc
# Process families: fork from threads, wait4/waitid, SIGCHLD, job end.
LINUX_TESTS += $(BUILD)/linux/family-glibc $(BUILD)/linux/family-musl
# The process and time calls (tests/system/proc.sh).
LINUX_TESTS += $(foreach t,walltime timers limits procfs,$(BUILD)/linux/$(t)-glibc)
# Dynamically linked programs (docs/dynamic-elf.md): they run with the
# host's ld.so and libraries, passed as --file (tests/system/ldd-files).
$(BUILD)/linux/dynhello: user/tests/linux/dynhello.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -no-pie -o $@ $<
$(BUILD)/linux/dynhello-pie: user/tests/linux/dynhello.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -fPIE -pie -o $@ $<
$(BUILD)/linux/dynplugin.so: user/tests/linux/dynplugin.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -shared -fPIC -o $@ $<
$(BUILD)/linux/dynrelro: user/tests/linux/dynrelro.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wl,-z,relro,-z,now -o $@ $<
$(BUILD)/linux/dyn%: user/tests/linux/dyn%.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<
LINUX_TESTS += $(addprefix $(BUILD)/linux/,dynhello dynhello-pie dynplugin.so \
	dyndlopen dynshm dynrelro)
# Descriptor calls: poll, epoll, eventfd, timerfd, signalfd, sockets, locks.
FDIO_TESTS := pollio epoll unixsock timersig locks
LINUX_TESTS += $(foreach t,$(FDIO_TESTS),$(BUILD)/linux/$(t)-glibc)
linux-tests: $(LINUX_TESTS)

# Host tools.
ELFCHECK := $(BUILD)/tools/elfcheck
$(ELFCHECK): tools/elfcheck.c kitten/lib/elf.c kitten/include/kitten/elf.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D__KITTEN_HOST_TEST \
		-Ikitten/include -o $@ tools/elfcheck.c kitten/lib/elf.c
MKVMIMAGE := $(BUILD)/tools/mkvmimage
$(MKVMIMAGE): tools/mkvmimage.c palacios/include/palacios/image.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -Ipalacios/include -o $@ $<
tools: $(ELFCHECK) $(MKVMIMAGE)

# --- test guests for Palacios (tests/guests/README.md) ----------------------

include tests/guests/guests.mk

# --- benchmarks (bench/README.md) ---------------------------------------------

include bench/bench.mk

# Every configuration, three runs each: bench/report.md, bench/results.csv.
bench: deps all bench-programs guests
	bench/run-bench

# --- the guest fuzzer at full length (tests/system/guest-fuzz.sh) ----------
# 10^6 exits under nested and under shadow paging; GUEST_FUZZ_SEED=S
# replays a run (the default is the time).
fuzz: fuzz-guest
fuzz-guest: deps all guests
	GUEST_FUZZ_EXITS=1000000 GUEST_FUZZ_SEED=$${GUEST_FUZZ_SEED:-$$(date +%s)} \
		tools/check vm-guest-fuzz
.PHONY: fuzz fuzz-guest

# --- kvm-unit-tests as Palacios guests (tools/kut) -------------------------
# Builds the suite into $(BUILD)/kut and runs a set of x86 tests in VMs
# (KUT_TESTS="a b" for others); one line per test and a summary.
kut: deps all
	tools/kut
.PHONY: kut

# --- benchmark guests -------------------------------------------------------

BENCH_GUESTS := $(BUILD)/bench/exit_cost.elf
$(BUILD)/bench/%.elf: bench/guests/%.asm
	@mkdir -p $(dir $@)
	nasm -f elf32 -o $(@:.elf=.o) $<
	ld -m elf_i386 -Ttext 0x100000 -e _start -o $@ $(@:.elf=.o)
bench-guests: $(BENCH_GUESTS)

# --- host unit tests ------------------------------------------------------
#
# tests/unit/unit.mk lists each test program and the kernel sources it
# links: test_foo_SRCS := kitten/mm/foo.c (and test_foo_CFLAGS if needed).

include tests/unit/unit.mk

HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -D__KITTEN_HOST_TEST \
	-fsanitize=address,undefined -fno-omit-frame-pointer \
	-Ikitten/include -Ikitten/arch/x86_64/include -Ipalacios/include -Itests/unit
UNIT_BINS := $(patsubst %,$(BUILD)/tests/unit/%,$(UNIT_TESTS))

.SECONDEXPANSION:
# Every header counts: a test compiles kernel sources that include them
# (a changed CONFIG_NR_CPUS left test_acpi stale and passing).
UNIT_HEADERS := $(wildcard tests/unit/*.h kitten/include/kitten/*.h \
	kitten/arch/x86_64/include/arch/*.h palacios/include/palacios/*.h)
$(BUILD)/tests/unit/%: tests/unit/%.c $$(%_SRCS) $$(%_DEPS) tests/unit/support.c $(UNIT_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $($*_CFLAGS) -o $@ $< $($*_SRCS) tests/unit/support.c -lcmocka $($*_LDLIBS)

# Real compiler output for the ELF loader's tests.
FIXTURES := $(BUILD)/tests/unit/fixtures
$(FIXTURES)/hello-static: tests/unit/fixtures/hello.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -static -o $@ $<
$(FIXTURES)/hello-static-pie: tests/unit/fixtures/hello.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -static-pie -o $@ $<
$(FIXTURES)/hello-dynamic: tests/unit/fixtures/hello.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

unit-build: $(UNIT_BINS)
unit: deps $(UNIT_BINS)
	tools/check --unit-only

# --- whole system -----------------------------------------------------------

deps:
	@tools/deps

# The demo: boot on 4 CPUs and show the boot log and interrupt counts;
# then run an unmodified, multi-threaded static glibc program as a job;
# then boot Debian's Linux kernel (fetched by apt) in a Palacios VM on
# Kitten, to a busybox shell that runs a command and powers off.
RUN_APPEND ?= irqstats exit_when_done
run: deps all linux-tests
	tools/qemu-run --show --smp 4 --append "$(RUN_APPEND)" -- $(QEMU_ARGS)
	@echo; echo '$$ tools/kitten run --cpus 4 build/linux/heat-demo'
	@tools/kitten run --cpus 4 $(BUILD)/linux/heat-demo; echo "exit status $$?"
	@tools/guest-linux initrd $(BUILD)/initrd/demo-linux.cpio tests/guests/linux/smoke.init
	@echo; echo '$$ tools/kitten vm --cpus 2 --kernel vmlinuz --initrd busybox.cpio --append "console=ttyS0 quiet"'
	@tools/kitten vm --cpus 2 --mem 256M --kernel $$(tools/guest-linux kernel) \
		--initrd $(BUILD)/initrd/demo-linux.cpio --append "console=ttyS0 quiet"; \
		echo "exit status $$?"

check: deps all iso linux-tests guests bench-guests $(UNIT_BINS)
	tools/check

# The system call fuzzer and the job soak at full length (docs/fuzzing.md):
# 10^6 calls for each of four seeds, then 1,000 jobs in a row.
fuzz: deps all linux-tests
	FUZZ_FULL=1 tools/check fuzz-
.PHONY: fuzz

clean:
	rm -rf $(BUILD)

.PHONY: all palacios bench bench-guests iso netboot user tools linux-tests unit unit-build deps run check clean
-include $(KERNEL_OBJS:.o=.d) $(PALACIOS_OBJS:.o=.d)
-include $(shell find $(BUILD)/user-obj -name '*.d' 2>/dev/null)
