/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot 1 and 2 boot information, as the specifications define it.
 * Multiboot 1 is what QEMU's -kernel speaks; multiboot 2 is GRUB's.
 */
#ifndef ARCH_MULTIBOOT_H
#define ARCH_MULTIBOOT_H

#define MB1_HEADER_MAGIC	0x1badb002
#define MB1_BOOT_MAGIC		0x2badb002
#define MB1_FLAG_PAGE_ALIGN	(1 << 0)	/* modules on page boundaries */
#define MB1_FLAG_MEMINFO	(1 << 1)	/* we want the memory map */

#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_BOOT_MAGIC		0x36d76289

#ifndef __ASSEMBLY__
#include <kitten/compiler.h>
#include <kitten/types.h>

/* Multiboot 1 information structure: fields valid per the flags bits. */
#define MB1_INFO_MEMORY		(1 << 0)
#define MB1_INFO_CMDLINE	(1 << 2)
#define MB1_INFO_MODS		(1 << 3)
#define MB1_INFO_MMAP		(1 << 6)
#define MB1_INFO_LOADER_NAME	(1 << 9)

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __packed;

struct mb1_module {
	uint32_t mod_start, mod_end;
	uint32_t string;
	uint32_t reserved;
} __packed;

/* Each entry is preceded by its size, which does not count itself. */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __packed;

/* Multiboot 2: a size-prefixed list of 8-byte aligned tags. */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14	/* copies of the RSDP, version 1 */
#define MB2_TAG_ACPI_NEW	15	/* and version 2 (with the XSDT) */
#define MB2_TAG_EFI_MMAP	17	/* the EFI memory map at ExitBootServices */
#define MB2_TAG_EFI_BS		18	/* boot services still running */

struct mb2_info {
	uint32_t total_size;
	uint32_t reserved;
} __packed;

struct mb2_tag {
	uint32_t type;
	uint32_t size;
} __packed;

struct mb2_tag_string {
	struct mb2_tag tag;
	char string[];
} __packed;

struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start, mod_end;
	char string[];
} __packed;

struct mb2_mmap_entry {
	uint64_t addr, len;
	uint32_t type;
	uint32_t reserved;
} __packed;

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size;
	uint32_t entry_version;
	struct mb2_mmap_entry entries[];
} __packed;

/*
 * GRUB copies the map ExitBootServices was given. Descriptors are
 * desc_size bytes apart, which firmware may make larger than the
 * structure below (OVMF: 48 bytes), so they are stepped by desc_size.
 */
struct mb2_tag_efi_mmap {
	struct mb2_tag tag;
	uint32_t desc_size;
	uint32_t desc_version;
} __packed;

/* UEFI 2.x, 7.2: EFI_MEMORY_DESCRIPTOR and its memory types. */
struct efi_memory_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t num_pages;	/* of 4 KiB, whatever the kernel's page size */
	uint64_t attribute;
} __packed;

enum efi_memory_type {
	EFI_RESERVED = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL = 7,
	EFI_UNUSABLE = 8,
	EFI_ACPI_RECLAIM = 9,
	EFI_ACPI_NVS = 10,
	EFI_MMIO = 11,
	EFI_MMIO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT = 14,
};
#endif

#endif
