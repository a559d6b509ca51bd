// SPDX-License-Identifier: GPL-2.0
/*
 * Platform set-up: read the firmware's description of the machine (ACPI,
 * else the MP table, else one CPU on defaults) and program the boot CPU's
 * interrupt hardware from it. The description is kept in `platform` for
 * later users (the CPU and NUMA files under /sys).
 */
#define pr_fmt(fmt) "platform: " fmt

#include <arch/apic.h>
#include <arch/bootinfo.h>
#include <arch/ioapic.h>
#include <arch/irq.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/platform.h>
#include <arch/smp.h>
#include <kitten/cmdline.h>
#include <kitten/memmap.h>
#include <kitten/mm.h>
#include <kitten/platform.h>
#include <kitten/printk.h>

struct platform platform;

/* Firmware tables live in RAM the direct map covers (below 4 GiB). */
static const void *map_phys(void *ctx, paddr_t pa, size_t len)
{
	(void)ctx;
	if (pa + len < pa || !paging_kernel_mapped((vaddr_t)__va(pa), len))
		return NULL;
	return __va(pa);
}

static const struct platform_mem phys_mem = { .map = map_phys };

static void discover(const struct boot_info *bi)
{
	paddr_t rsdp;

	if (!cmdline_get(bi->cmdline, "noacpi", NULL, 0) &&
	    acpi_find_rsdp(&phys_mem, bi->acpi_rsdp, &rsdp) == 0 &&
	    acpi_parse(&phys_mem, rsdp, &platform) == 0)
		return;
	pr_warn("no usable ACPI tables; trying the MP table\n");
	if (mptable_parse(&phys_mem, &platform) == 0)
		return;
	pr_warn("no MP table either: running on the boot CPU alone\n");
	platform_default(&platform);
}

void platform_init(const struct boot_info *bi)
{
	discover(bi);
	platform_print(&platform);

	irq_init_isa_routes();
	for (unsigned i = 0; i < platform.nr_overrides; i++) {
		const struct platform_override *o = &platform.overrides[i];

		irq_set_isa_override(o->irq, o->gsi,
				     ((o->flags & 3) == 3 ? IOAPIC_ACTIVE_LOW : 0) |
				     (((o->flags >> 2) & 3) == 3 ? IOAPIC_LEVEL : 0));
	}
	pic_disable();
	apic_init(platform.lapic_address,
		  !cmdline_get(bi->cmdline, "nox2apic", NULL, 0),
		  !cmdline_get(bi->cmdline, "notscdeadline", NULL, 0));
	for (unsigned i = 0; i < platform.nr_ioapics; i++)
		ioapic_add(platform.ioapics[i].id, platform.ioapics[i].address,
			   platform.ioapics[i].gsi_base);
	smp_init_ipis();
}

void platform_start_cpus(void)
{
	uint32_t ids[CONFIG_NR_CPUS];
	unsigned n = 0;
	struct cpu *c;

	for (unsigned i = 0; i < platform.nr_cpus; i++)
		if (platform.cpus[i].enabled)
			ids[n++] = platform.cpus[i].apic_id;
	smp_boot_cpus(ids, n);

	/* Each CPU learns its NUMA node from the table entry of its APIC. */
	for_each_online_cpu(c)
		for (unsigned i = 0; i < platform.nr_cpus; i++)
			if (platform.cpus[i].apic_id == c->apic_id)
				c->numa_node = platform.cpus[i].node;
}

static bool overlap(paddr_t a, uint64_t asize, paddr_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

bool platform_unclaimed_device_memory(paddr_t pa, uint64_t size)
{
	const struct memmap *mm = mm_memmap();
	bool claimed = overlap(pa, size, platform.lapic_address, PAGE_SIZE) ||
		       (platform.hpet_address &&
			overlap(pa, size, platform.hpet_address, PAGE_SIZE));

	for (unsigned i = 0; i < platform.nr_ioapics; i++)
		claimed |= overlap(pa, size, platform.ioapics[i].address, PAGE_SIZE);
	for (unsigned i = 0; i < mm->nr; i++)
		claimed |= overlap(pa, size, mm->entries[i].base, mm->entries[i].size);
	return size && pa + size > pa && !claimed;
}
