// SPDX-License-Identifier: GPL-2.0
/* The machine description shared by the ACPI and MP table parsers. */
#define pr_fmt(fmt) "platform: " fmt

#include <kitten/platform.h>
#include <kitten/printk.h>
#include <kitten/string.h>

void platform_default(struct platform *p)
{
	memset(p, 0, sizeof(*p));
	p->source = "defaults";
	p->nr_nodes = 1;
}

void platform_print(const struct platform *p)
{
	char ids[CONFIG_NR_CPUS * 12 + 1] = "";
	size_t len = 0;

	for (unsigned i = 0; i < p->nr_cpus && len < sizeof(ids); i++)
		len += snprintf(ids + len, sizeof(ids) - len, " %u%s(node %u)",
				p->cpus[i].apic_id,
				p->cpus[i].enabled ? "" : "-off",
				p->cpus[i].node);
	pr_info("from %s: %u CPUs, APIC ids:%s\n", p->source, p->nr_cpus, ids);
	for (unsigned i = 0; i < p->nr_ioapics; i++)
		pr_info("IOAPIC %u at %#lx, GSI base %u\n", p->ioapics[i].id,
			p->ioapics[i].address, p->ioapics[i].gsi_base);
	for (unsigned i = 0; i < p->nr_overrides; i++)
		pr_info("ISA IRQ %u -> GSI %u (flags %#x)\n", p->overrides[i].irq,
			p->overrides[i].gsi, p->overrides[i].flags);
	if (p->hpet_address)
		pr_info("HPET at %#lx\n", p->hpet_address);
	pr_info("%u NUMA node(s)\n", p->nr_nodes);
	for (unsigned i = 0; i < p->nr_mem; i++)
		pr_info("  node %u: [mem %#lx-%#lx]\n", p->mem[i].node,
			p->mem[i].base, p->mem[i].base + p->mem[i].size - 1);
	for (unsigned i = 0; i < p->nr_nodes && i < PLATFORM_MAX_NODES; i++) {
		char row[PLATFORM_MAX_NODES * 4 + 1] = "";
		size_t n = 0;

		if (!p->distance[i][i])
			break;	/* no SLIT */
		for (unsigned j = 0; j < p->nr_nodes && j < PLATFORM_MAX_NODES; j++)
			n += snprintf(row + n, sizeof(row) - n, " %3u",
				      p->distance[i][j]);
		pr_info("  distances from node %u:%s\n", i, row);
	}
}
