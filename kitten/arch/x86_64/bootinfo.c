// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot 1 (QEMU -kernel) and multiboot 2 (GRUB) information parsing.
 * The loader's structures are read through the boot page tables' direct
 * map of the first 4 GiB, where both specifications place them.
 *
 * Under BIOS the memory map is the e820 one. Under UEFI, GRUB also passes
 * the firmware's own map (EFI descriptors), which is used instead and
 * translated to e820 types here, so the rest of the kernel sees one kind
 * of map whatever the firmware (docs/boot.md).
 */
#define pr_fmt(fmt) "boot: " fmt

#include <arch/bootinfo.h>
#include <arch/layout.h>
#include <arch/multiboot.h>
#include <kitten/errno.h>
#include <kitten/memmap.h>
#include <kitten/printk.h>
#include <kitten/string.h>

struct boot_info boot_info;

/*
 * A region that continues the previous one with the same type extends it:
 * UEFI firmware describes memory in many small pieces (one per allocation
 * made before ExitBootServices), most of them usable once converted.
 */
static void add_region(struct boot_info *bi, uint64_t base, uint64_t len,
		       uint32_t type)
{
	struct boot_region *last =
		bi->nr_regions ? &bi->regions[bi->nr_regions - 1] : NULL;

	if (last && last->type == type && last->base + last->len == base) {
		last->len += len;
		return;
	}
	if (bi->nr_regions == BOOT_MAX_REGIONS) {
		pr_warn("memory map has more than %d entries; ignoring the rest\n",
			BOOT_MAX_REGIONS);
		return;
	}
	bi->regions[bi->nr_regions++] = (struct boot_region){ base, len, type };
}

static void add_module(struct boot_info *bi, paddr_t start, paddr_t end,
		       const char *name)
{
	struct boot_module *m;

	if (bi->nr_modules == BOOT_MAX_MODULES) {
		pr_warn("more than %d boot modules; ignoring %s\n",
			BOOT_MAX_MODULES, name);
		return;
	}
	m = &bi->modules[bi->nr_modules++];
	m->start = start;
	m->end = end;
	strlcpy(m->name, name, sizeof(m->name));
}

static void parse_mb1(paddr_t pa, struct boot_info *bi)
{
	const struct mb1_info *info = __va(pa);

	bi->protocol = "multiboot";
	bi->info_start = pa;
	bi->info_end = pa + sizeof(*info);
	if (info->flags & MB1_INFO_CMDLINE)
		strlcpy(bi->cmdline, __va(info->cmdline), sizeof(bi->cmdline));
	if (info->flags & MB1_INFO_LOADER_NAME)
		strlcpy(bi->loader, __va(info->boot_loader_name),
			sizeof(bi->loader));

	if (info->flags & MB1_INFO_MMAP) {
		paddr_t p = info->mmap_addr, end = p + info->mmap_length;

		while (p + sizeof(struct mb1_mmap_entry) <= end) {
			const struct mb1_mmap_entry *e = __va(p);

			add_region(bi, e->addr, e->len, e->type);
			p += e->size + sizeof(e->size);
		}
	} else if (info->flags & MB1_INFO_MEMORY) {
		/* Old loaders: just the sizes below 1 MiB and above it. */
		add_region(bi, 0, (uint64_t)info->mem_lower << 10, 1);
		add_region(bi, 0x100000, (uint64_t)info->mem_upper << 10, 1);
	}

	if (info->flags & MB1_INFO_MODS) {
		const struct mb1_module *mods = __va(info->mods_addr);

		for (uint32_t i = 0; i < info->mods_count; i++)
			add_module(bi, mods[i].mod_start, mods[i].mod_end,
				   mods[i].string ? __va(mods[i].string) : "");
	}
}

/*
 * A UEFI memory type as an e820 one. GRUB calls ExitBootServices before
 * entering Kitten (our header does not ask it to keep them, so no tag
 * 18), and then the loader's and the boot services' memory is free RAM.
 * Runtime services code and data belong to the firmware for as long as
 * the machine runs, as do ACPI NVS, reserved and MMIO ranges: they become
 * reserved. ACPI tables stay ACPI data: the kernel reads them after this.
 */
static uint32_t efi_to_e820(uint32_t type, bool boot_services_running)
{
	switch (type) {
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
		return boot_services_running ? MEMMAP_RESERVED : MEMMAP_USABLE;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_CONVENTIONAL:
		return MEMMAP_USABLE;
	case EFI_ACPI_RECLAIM:
		return MEMMAP_ACPI;
	case EFI_ACPI_NVS:
		return MEMMAP_NVS;
	case EFI_UNUSABLE:
		return MEMMAP_BAD;
	default:	/* reserved, runtime services, MMIO, PAL, persistent */
		return MEMMAP_RESERVED;
	}
}

/* Returns false for a map it cannot read (descriptors too small). */
static bool parse_efi_mmap(const struct mb2_tag_efi_mmap *tag,
			   bool boot_services_running, struct boot_info *bi)
{
	const uint8_t *d = (const uint8_t *)(tag + 1);
	const uint8_t *end = (const uint8_t *)tag + tag->tag.size;

	if (tag->desc_size < sizeof(struct efi_memory_desc))
		return false;
	for (; d + tag->desc_size <= end; d += tag->desc_size) {
		const struct efi_memory_desc *e = (const void *)d;

		add_region(bi, e->phys_start, e->num_pages << 12,
			   efi_to_e820(e->type, boot_services_running));
		bi->nr_efi_descs++;
	}
	bi->efi = true;
	return true;
}

static void parse_mmap(const struct mb2_tag_mmap *mm, struct boot_info *bi)
{
	const uint8_t *e = (const uint8_t *)(mm + 1);
	const uint8_t *end = (const uint8_t *)mm + mm->tag.size;

	if (mm->entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (; e + mm->entry_size <= end; e += mm->entry_size) {
		const struct mb2_mmap_entry *r = (const void *)e;

		add_region(bi, r->addr, r->len, r->type);
	}
}

/*
 * Under UEFI, GRUB passes two maps: its e820-style translation (tag 6),
 * made before ExitBootServices, and the firmware's own final map (tag
 * 17). The EFI map wins: it is the later one and says which ranges are
 * runtime services. Likewise the ACPI 2.0 RSDP (with the XSDT) wins over
 * the 1.0 one; UEFI has no RSDP in the BIOS area to find by scanning.
 */
void bootinfo_parse_mb2(const void *info_va, paddr_t pa, struct boot_info *bi)
{
	const struct mb2_info *info = info_va;
	const uint8_t *base = info_va;
	const uint8_t *p = base + sizeof(*info), *end = base + info->total_size;
	const struct mb2_tag_mmap *mmap = NULL;
	const struct mb2_tag_efi_mmap *efi_mmap = NULL;
	paddr_t rsdp_old = 0, rsdp_new = 0;
	bool boot_services_running = false;

	bi->protocol = "multiboot2";
	bi->info_start = pa;
	bi->info_end = pa + info->total_size;
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *tag = (const void *)p;

		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag) ||
		    tag->size > (uint64_t)(end - p))
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			strlcpy(bi->cmdline,
				((const struct mb2_tag_string *)tag)->string,
				sizeof(bi->cmdline));
			break;
		case MB2_TAG_LOADER_NAME:
			strlcpy(bi->loader,
				((const struct mb2_tag_string *)tag)->string,
				sizeof(bi->loader));
			break;
		case MB2_TAG_MODULE: {
			const struct mb2_tag_module *m = (const void *)tag;

			add_module(bi, m->mod_start, m->mod_end, m->string);
			break;
		}
		case MB2_TAG_MMAP:
			mmap = (const void *)tag;
			break;
		case MB2_TAG_EFI_MMAP:
			efi_mmap = (const void *)tag;
			break;
		case MB2_TAG_EFI_BS:
			boot_services_running = true;
			break;
		case MB2_TAG_ACPI_OLD:
			rsdp_old = pa + (p - base) + sizeof(*tag);
			break;
		case MB2_TAG_ACPI_NEW:
			rsdp_new = pa + (p - base) + sizeof(*tag);
			break;
		}
		p += ALIGN_UP((uint64_t)tag->size, 8);
	}

	if (efi_mmap && parse_efi_mmap(efi_mmap, boot_services_running, bi))
		pr_info("memory map from UEFI: %u descriptors, boot services %s\n",
			bi->nr_efi_descs,
			boot_services_running ? "running" : "exited");
	else if (mmap)
		parse_mmap(mmap, bi);
	bi->acpi_rsdp = rsdp_new ? rsdp_new : rsdp_old;
}

int bootinfo_parse(uint32_t magic, paddr_t info, struct boot_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	if (magic == MB1_BOOT_MAGIC)
		parse_mb1(info, bi);
	else if (magic == MB2_BOOT_MAGIC)
		bootinfo_parse_mb2(__va(info), info, bi);
	else
		return -EINVAL;
	return 0;
}
