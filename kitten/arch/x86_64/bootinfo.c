// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot 1 (QEMU -kernel) and multiboot 2 (GRUB) information parsing.
 * The loader's structures are read through the boot page tables' direct
 * map of the first 4 GiB, where both specifications place them.
 */
#define pr_fmt(fmt) "boot: " fmt

#include <arch/bootinfo.h>
#include <arch/layout.h>
#include <arch/multiboot.h>
#include <kitten/errno.h>
#include <kitten/printk.h>
#include <kitten/string.h>

struct boot_info boot_info;


static void add_region(struct boot_info *bi, uint64_t base, uint64_t len,
		       uint32_t type)
{
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

static void parse_mb2(paddr_t pa, struct boot_info *bi)
{
	const struct mb2_info *info = __va(pa);
	paddr_t p = pa + sizeof(*info), end = pa + info->total_size;

	bi->protocol = "multiboot2";
	bi->info_start = pa;
	bi->info_end = end;
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *tag = __va(p);

		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag))
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
		case MB2_TAG_MMAP: {
			const struct mb2_tag_mmap *mm = (const void *)tag;
			paddr_t e = p + sizeof(*mm);

			if (mm->entry_size < sizeof(struct mb2_mmap_entry))
				break;
			for (; e + mm->entry_size <= p + tag->size;
			     e += mm->entry_size) {
				const struct mb2_mmap_entry *r = __va(e);

				add_region(bi, r->addr, r->len, r->type);
			}
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			bi->acpi_rsdp = __pa(tag + 1);
			break;
		}
		p += ALIGN_UP((uint64_t)tag->size, 8);
	}
}

int bootinfo_parse(uint32_t magic, paddr_t info, struct boot_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	if (magic == MB1_BOOT_MAGIC)
		parse_mb1(info, bi);
	else if (magic == MB2_BOOT_MAGIC)
		parse_mb2(info, bi);
	else
		return -EINVAL;
	return 0;
}
