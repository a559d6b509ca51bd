# SPDX-License-Identifier: GPL-2.0
#
# The Palacios test guests: small multiboot kernels that check CPU, paging
# and instruction-emulation behaviour and report KTAP on port 0xE9
# (tests/guests/README.md). Included by the top-level Makefile, or used on
# its own from the top of the tree:
#
#   make -f tests/guests/guests.mk [BUILD=build]
#
# Each guest is one C file (plus its own helpers) linked with lib/ built
# for its mode. 64-bit guests are linked as x86-64 and copied to ELF32, the
# form multiboot loaders (QEMU -kernel, Palacios) take; their entry code
# is 32-bit, so the copy boots the same way.

BUILD ?= build

guests_saved_goal := $(.DEFAULT_GOAL)

GUEST_CC      ?= gcc
GUEST_LD      ?= ld
GUEST_OBJCOPY ?= objcopy

GUEST_SRC := tests/guests
GUEST_OUT := $(BUILD)/guests

GUESTS_32 := paging32 paging_pae wild_write triple_fault spin garbage passthrough \
	passthrough_dev
GUESTS_64 := basic mmio paging64 fuzz isolation memsize fwcfg
GUEST_ELFS := $(patsubst %,$(GUEST_OUT)/%.elf,$(GUESTS_32) $(GUESTS_64))

# Sources per guest, relative to $(GUEST_SRC); the default is <name>.c.
paging32_SRCS   := paging32.c paging.c
paging_pae_SRCS := paging_pae.c paging.c
paging64_SRCS   := paging64.c paging.c
mmio_SRCS       := mmio.c mmio_forms64.c mmio_forms32.c mmio_exec.S
garbage_SRCS    := garbage.c fuzz_dev.c
fuzz_SRCS       := fuzz.c fuzz_cpu.S fuzz_dev.c

GUEST_LIB_COMMON := lib/multiboot.S lib/boot.c lib/console.c lib/ktap.c \
	lib/trap.c lib/probe.c
GUEST_LIB_32 := $(GUEST_LIB_COMMON) lib/entry32.S lib/trap32.S
GUEST_LIB_64 := $(GUEST_LIB_COMMON) lib/entry64.S lib/trap64.S lib/pt64.c

# -fno-toplevel-reorder keeps mmio's forms in the order they are written.
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-toplevel-reorder \
	-mgeneral-regs-only -nostdinc \
	-isystem $(shell $(GUEST_CC) -print-file-name=include) \
	-I$(GUEST_SRC)/lib -MMD -MP
GUEST_CFLAGS_32 := $(GUEST_CFLAGS) -m32 -march=i686
GUEST_CFLAGS_64 := $(GUEST_CFLAGS) -m64 -mcmodel=small -mno-red-zone
GUEST_LDFLAGS := -nostdlib -static --build-id=none -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments -T $(GUEST_SRC)/lib/guest.ld

guest_srcs = $(or $($(1)_SRCS),$(1).c)
guest_objs = $(patsubst %,$(GUEST_OUT)/obj$(2)/%.o,$(call guest_srcs,$(1)) \
	$(GUEST_LIB_$(2)))

.PHONY: guests
guests: $(GUEST_ELFS)

$(GUEST_OUT)/obj32/%.c.o: $(GUEST_SRC)/%.c $(GUEST_SRC)/guests.mk
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS_32) -c $< -o $@

$(GUEST_OUT)/obj32/%.S.o: $(GUEST_SRC)/%.S $(GUEST_SRC)/guests.mk
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS_32) -c $< -o $@

$(GUEST_OUT)/obj64/%.c.o: $(GUEST_SRC)/%.c $(GUEST_SRC)/guests.mk
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS_64) -c $< -o $@

$(GUEST_OUT)/obj64/%.S.o: $(GUEST_SRC)/%.S $(GUEST_SRC)/guests.mk
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS_64) -c $< -o $@

define guest32_rule
$(GUEST_OUT)/$(1).elf: $(call guest_objs,$(1),32) $(GUEST_SRC)/lib/guest.ld
	$(GUEST_LD) -m elf_i386 $(GUEST_LDFLAGS) -o $$@ $(call guest_objs,$(1),32)
endef

define guest64_rule
$(GUEST_OUT)/$(1).elf64: $(call guest_objs,$(1),64) $(GUEST_SRC)/lib/guest.ld
	$(GUEST_LD) -m elf_x86_64 $(GUEST_LDFLAGS) -o $$@ $(call guest_objs,$(1),64)

$(GUEST_OUT)/$(1).elf: $(GUEST_OUT)/$(1).elf64
	$(GUEST_OBJCOPY) -O elf32-i386 $$< $$@
endef

$(foreach g,$(GUESTS_32),$(eval $(call guest32_rule,$(g))))
$(foreach g,$(GUESTS_64),$(eval $(call guest64_rule,$(g))))

-include $(shell find $(GUEST_OUT) -name '*.d' 2>/dev/null)

# Built on its own, "guests" is the default goal; included, the including
# Makefile keeps the one it had.
ifeq ($(notdir $(firstword $(MAKEFILE_LIST))),guests.mk)
.DEFAULT_GOAL := guests
else
.DEFAULT_GOAL := $(guests_saved_goal)
endif
