/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the boot loader told us, in one loader-independent form. The
 * multiboot 1 and 2 parsers fill it in; the rest of the kernel reads only
 * this. Strings are copied, so the loader's memory can be reused.
 */
#ifndef ARCH_BOOTINFO_H
#define ARCH_BOOTINFO_H

#include <kitten/config.h>
#include <kitten/types.h>

#define BOOT_MAX_REGIONS	128
#define BOOT_MAX_MODULES	8
#define BOOT_NAME_MAX		64

struct boot_region {
	uint64_t base, len;
	uint32_t type;		/* e820 type: 1 usable, 2 reserved, ... */
};

struct boot_module {
	paddr_t start, end;
	char name[BOOT_NAME_MAX];
};

struct boot_info {
	const char *protocol;	/* "multiboot" or "multiboot2" */
	char loader[BOOT_NAME_MAX];
	char cmdline[CONFIG_CMDLINE_MAX];
	struct boot_region regions[BOOT_MAX_REGIONS];
	unsigned nr_regions;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned nr_modules;
	paddr_t info_start, info_end;	/* the loader's structure itself */
	paddr_t acpi_rsdp;		/* 0 when the loader gave none */
	/* UEFI: the map came from EFI descriptors (this many), or is e820. */
	bool efi;
	unsigned nr_efi_descs;
};

/* Filled in once at boot by kernel_main. */
extern struct boot_info boot_info;

/* Returns 0, or -EINVAL when the magic is not a multiboot one. */
int bootinfo_parse(uint32_t magic, paddr_t info, struct boot_info *bi);
/*
 * The multiboot 2 part, on the structure at info (physical address pa):
 * everything it describes is inside it, so the host unit tests can hand
 * it a buffer.
 */
void bootinfo_parse_mb2(const void *info, paddr_t pa, struct boot_info *bi);

#endif
