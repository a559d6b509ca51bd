// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot 2 information as GRUB builds it under BIOS and under UEFI:
 * the EFI memory map wins over the e820 one and is translated to e820
 * types (runtime services and NVS kept out of usable memory), unless it
 * cannot be read; the ACPI 2.0 RSDP wins over the 1.0 one; and a tag
 * running past the end stops the walk.
 */
#include "support.h"

#include <arch/bootinfo.h>
#include <arch/multiboot.h>
#include <kitten/memmap.h>
#include <string.h>

#define INFO_PA		0x10000	/* where the structure "is" */
#define DESC_SIZE	48	/* OVMF's: more than the structure's 40 */

static uint8_t buf[8192] __attribute__((aligned(8)));
static size_t len;
static struct boot_info bi;

static void begin(void)
{
	memset(buf, 0, sizeof(buf));
	len = sizeof(struct mb2_info);
	log_reset();
}

static void *add_tag(uint32_t type, uint32_t size)
{
	struct mb2_tag *t = (void *)(buf + len);

	t->type = type;
	t->size = size;
	len += (size + 7) & ~7u;
	return t;
}

static void parse(void)
{
	add_tag(MB2_TAG_END, 8);
	((struct mb2_info *)buf)->total_size = len;
	memset(&bi, 0, sizeof(bi));
	bootinfo_parse_mb2(buf, INFO_PA, &bi);
}

static void e820_map(void)
{
	struct mb2_tag_mmap *m = add_tag(MB2_TAG_MMAP, sizeof(*m) +
					 2 * sizeof(struct mb2_mmap_entry));

	m->entry_size = sizeof(struct mb2_mmap_entry);
	m->entries[0] = (struct mb2_mmap_entry){ 0, 0x9fc00, 1, 0 };
	m->entries[1] = (struct mb2_mmap_entry){ 0x100000, 0x1ff00000, 1, 0 };
}

struct desc { uint32_t type; uint64_t start, pages; };

static void efi_map(const struct desc *d, unsigned n)
{
	struct mb2_tag_efi_mmap *m = add_tag(MB2_TAG_EFI_MMAP,
					     sizeof(*m) + n * DESC_SIZE);
	uint8_t *p = (uint8_t *)(m + 1);

	m->desc_size = DESC_SIZE;
	m->desc_version = 1;
	for (unsigned i = 0; i < n; i++, p += DESC_SIZE) {
		struct efi_memory_desc *e = (void *)p;

		memset(p, 0xa5, DESC_SIZE);	/* padding the parser must skip */
		e->type = d[i].type;
		e->phys_start = d[i].start;
		e->num_pages = d[i].pages;
		e->attribute = 0xf;
	}
}

static void expect_region(unsigned i, uint64_t base, uint64_t len_,
			  uint32_t type)
{
	assert_true(i < bi.nr_regions);
	assert_int_equal(bi.regions[i].base, base);
	assert_int_equal(bi.regions[i].len, len_);
	assert_int_equal(bi.regions[i].type, type);
}

/* A map in the shape OVMF gives (pages of 4 KiB). */
static const struct desc ovmf[] = {
	{ EFI_BOOT_SERVICES_CODE, 0x0, 0xa0 },
	{ EFI_CONVENTIONAL, 0x100000, 0x700 },
	{ EFI_ACPI_NVS, 0x800000, 0x8 },
	{ EFI_LOADER_DATA, 0x808000, 0x3 },
	{ EFI_BOOT_SERVICES_DATA, 0x80b000, 0x5 },
	{ EFI_RUNTIME_SERVICES_CODE, 0x810000, 0x10 },
	{ EFI_RUNTIME_SERVICES_DATA, 0x820000, 0x10 },
	{ EFI_ACPI_RECLAIM, 0x830000, 0x1 },
	{ EFI_UNUSABLE, 0x831000, 0x1 },
	{ EFI_LOADER_CODE, 0x832000, 0x1ce },
	{ EFI_RESERVED, 0xa00000, 0x10 },
	{ EFI_MMIO, 0xffe00000, 0x200 },
};

static void efi_map_wins_and_is_translated(void **state)
{
	(void)state;
	begin();
	e820_map();
	efi_map(ovmf, 12);
	parse();
	assert_true(bi.efi);
	assert_int_equal(bi.nr_efi_descs, 12);
	expect_region(0, 0x0, 0xa0000, MEMMAP_USABLE);
	expect_region(1, 0x100000, 0x700000, MEMMAP_USABLE);
	expect_region(2, 0x800000, 0x8000, MEMMAP_NVS);
	/* Loader and boot services data, once exited: one usable range. */
	expect_region(3, 0x808000, 0x8000, MEMMAP_USABLE);
	/* Runtime services code and data: the firmware's, always. */
	expect_region(4, 0x810000, 0x20000, MEMMAP_RESERVED);
	expect_region(5, 0x830000, 0x1000, MEMMAP_ACPI);
	expect_region(6, 0x831000, 0x1000, MEMMAP_BAD);
	expect_region(7, 0x832000, 0x1ce000, MEMMAP_USABLE);
	expect_region(8, 0xa00000, 0x10000, MEMMAP_RESERVED);
	expect_region(9, 0xffe00000, 0x200000, MEMMAP_RESERVED);
	assert_int_equal(bi.nr_regions, 10);
	assert_true(log_contains("memory map from UEFI: 12 descriptors, "
				 "boot services exited"));
}

/* With boot services still running (tag 18), their memory is theirs. */
static void boot_services_memory_kept_while_running(void **state)
{
	(void)state;
	begin();
	add_tag(MB2_TAG_EFI_BS, 8);
	efi_map(ovmf, 12);
	parse();
	expect_region(0, 0x0, 0xa0000, MEMMAP_RESERVED);
	expect_region(3, 0x808000, 0x3000, MEMMAP_USABLE);
	expect_region(4, 0x80b000, 0x25000, MEMMAP_RESERVED);
	assert_true(log_contains("boot services running"));
}

static void bios_map_when_no_efi_map(void **state)
{
	(void)state;
	begin();
	e820_map();
	parse();
	assert_false(bi.efi);
	assert_int_equal(bi.nr_regions, 2);
	expect_region(1, 0x100000, 0x1ff00000, MEMMAP_USABLE);
	assert_false(log_contains("UEFI"));
}

static void acpi_new_rsdp_wins(void **state)
{
	uint8_t *new_tag, *old_tag;

	(void)state;
	begin();
	new_tag = add_tag(MB2_TAG_ACPI_NEW, 8 + 36);
	old_tag = add_tag(MB2_TAG_ACPI_OLD, 8 + 20);
	parse();
	assert_int_equal(bi.acpi_rsdp, INFO_PA + (new_tag - buf) + 8);

	begin();
	old_tag = add_tag(MB2_TAG_ACPI_OLD, 8 + 20);
	parse();
	assert_int_equal(bi.acpi_rsdp, INFO_PA + (old_tag - buf) + 8);
}

/* A tag whose size runs past the structure ends the walk there. */
static void oversized_tag_stops_the_walk(void **state)
{
	uint32_t cut = sizeof(struct mb2_info) + 16 + 2 * DESC_SIZE;

	(void)state;
	begin();
	efi_map(ovmf, 12);
	parse();
	assert_int_equal(bi.nr_regions, 10);

	/* The same bytes, but the structure ends two descriptors in. */
	((struct mb2_info *)buf)->total_size = cut;
	memset(&bi, 0, sizeof(bi));
	bootinfo_parse_mb2(buf, INFO_PA, &bi);
	assert_int_equal(bi.nr_regions, 0);
	assert_false(bi.efi);
	assert_int_equal(bi.info_end, INFO_PA + cut);
}

/* A map with descriptors smaller than the structure: GRUB's e820 one. */
static void unreadable_efi_map_falls_back(void **state)
{
	struct mb2_tag_efi_mmap *m;

	(void)state;
	begin();
	e820_map();
	m = add_tag(MB2_TAG_EFI_MMAP, sizeof(*m) + 2 * 24);
	m->desc_size = 24;
	parse();
	assert_false(bi.efi);
	assert_int_equal(bi.nr_regions, 2);
	expect_region(0, 0, 0x9fc00, MEMMAP_USABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(efi_map_wins_and_is_translated),
		cmocka_unit_test(boot_services_memory_kept_while_running),
		cmocka_unit_test(bios_map_when_no_efi_map),
		cmocka_unit_test(acpi_new_rsdp_wins),
		cmocka_unit_test(oversized_tag_stops_the_walk),
		cmocka_unit_test(unreadable_efi_map_falls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
