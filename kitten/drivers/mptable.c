// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel MultiProcessor Specification table: the fallback for machines
 * (or firmware) without a usable ACPI MADT. The floating pointer is
 * searched where the specification says; the configuration table is
 * checksummed and its entries walked by type, stopping at the first type
 * we do not know, since we could not know its length.
 */
#define pr_fmt(fmt) "mptable: " fmt

#include <kitten/errno.h>
#include <kitten/platform.h>
#include <kitten/printk.h>
#include <kitten/string.h>

#define MP_PROCESSOR	0
#define MP_BUS		1
#define MP_IOAPIC	2
#define MP_IO_INTERRUPT	3
#define MP_LOCAL_INT	4

#define CPU_ENABLED	(1 << 0)
#define CPU_BSP		(1 << 1)
#define IOAPIC_ENABLED	(1 << 0)
#define IOAPIC_PINS	24	/* the MP table does not say; the common count */
#define MAX_BUSES	256

struct mp_floating {
	char signature[4];
	uint32_t config;
	uint8_t length;		/* in 16-byte units */
	uint8_t revision;
	uint8_t checksum;
	uint8_t features[5];
} __packed;

struct mp_config {
	char signature[4];
	uint16_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[8];
	char product[12];
	uint32_t oem_table;
	uint16_t oem_table_size;
	uint16_t entry_count;
	uint32_t lapic;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __packed;

_Static_assert(sizeof(struct mp_floating) == 16, "MP floating pointer layout");
_Static_assert(sizeof(struct mp_config) == 44, "MP config header layout");

static const struct mp_floating *scan(const struct platform_mem *mem,
				      paddr_t start, paddr_t len)
{
	for (paddr_t pa = start; pa + 16 <= start + len; pa += 16) {
		const struct mp_floating *f = mem->map(mem->ctx, pa, 16);

		if (f && !memcmp(f->signature, "_MP_", 4) && f->length == 1 &&
		    platform_checksum(f, 16) == 0)
			return f;
	}
	return NULL;
}

static const struct mp_floating *find_floating(const struct platform_mem *mem)
{
	const uint16_t *seg = mem->map(mem->ctx, 0x40e, 2);
	const struct mp_floating *f = NULL;

	if (seg && *seg)
		f = scan(mem, (paddr_t)*seg << 4, 1024);
	if (!f)
		f = scan(mem, 639 * 1024, 1024);
	if (!f)
		f = scan(mem, 0xf0000, 0x10000);
	return f;
}

static uint8_t entry_length(uint8_t type)
{
	return type == MP_PROCESSOR ? 20 : 8;
}

int mptable_parse(const struct platform_mem *mem, struct platform *p)
{
	const struct mp_floating *f = find_floating(mem);
	const struct mp_config *c;
	const uint8_t *e, *end;
	bool isa_bus[MAX_BUSES] = { false };

	if (!f)
		return -ENOENT;
	c = f->config ? mem->map(mem->ctx, f->config, sizeof(*c)) : NULL;
	if (!c || memcmp(c->signature, "PCMP", 4) || c->length < sizeof(*c)) {
		pr_err("floating pointer without a configuration table\n");
		return -EINVAL;
	}
	c = mem->map(mem->ctx, f->config, c->length);
	if (!c || platform_checksum(c, c->length)) {
		pr_err("configuration table: bad checksum or outside memory\n");
		return -EINVAL;
	}

	memset(p, 0, sizeof(*p));
	p->source = "MP table";
	p->lapic_address = c->lapic;
	p->pcat_compat = true;
	p->nr_nodes = 1;
	e = (const uint8_t *)(c + 1);
	end = (const uint8_t *)c + c->length;
	for (unsigned i = 0; i < c->entry_count && e < end; i++) {
		if (e[0] > MP_LOCAL_INT) {
			pr_warn("unknown entry type %u; ignoring the rest\n", e[0]);
			break;
		}
		if (e + entry_length(e[0]) > end) {
			pr_err("entry %u runs past the table; ignoring the rest\n", i);
			break;
		}
		switch (e[0]) {
		case MP_PROCESSOR:
			if (!(e[3] & CPU_ENABLED))
				break;
			if (p->nr_cpus == CONFIG_NR_CPUS) {
				pr_warn("more than %d CPUs\n", CONFIG_NR_CPUS);
				break;
			}
			p->cpus[p->nr_cpus++] = (struct platform_cpu){
				.apic_id = e[1], .acpi_uid = e[1], .enabled = true,
				.bsp = e[3] & CPU_BSP,
			};
			break;
		case MP_BUS:
			isa_bus[e[1]] = !memcmp(e + 2, "ISA", 3);
			break;
		case MP_IOAPIC:
			if (!(e[3] & IOAPIC_ENABLED) ||
			    p->nr_ioapics == PLATFORM_MAX_IOAPICS)
				break;
			p->ioapics[p->nr_ioapics] = (struct platform_ioapic){
				.id = e[1],
				.address = e[4] | e[5] << 8 | e[6] << 16 |
					   (uint32_t)e[7] << 24,
				.gsi_base = p->nr_ioapics * IOAPIC_PINS,
			};
			p->nr_ioapics++;
			break;
		case MP_IO_INTERRUPT:
			/* An ISA IRQ wired to another IOAPIC input: an override. */
			if (e[1] != 0 || !isa_bus[e[4]] ||
			    p->nr_overrides == PLATFORM_MAX_OVERRIDES)
				break;
			for (unsigned a = 0; a < p->nr_ioapics; a++)
				if (p->ioapics[a].id == e[6] &&
				    p->ioapics[a].gsi_base + e[7] != e[5])
					p->overrides[p->nr_overrides++] =
						(struct platform_override){
							.irq = e[5],
							.gsi = p->ioapics[a].gsi_base + e[7],
							.flags = e[2] | e[3] << 8,
						};
			break;
		}
		e += entry_length(e[0]);
	}
	if (!p->nr_cpus) {
		pr_err("no enabled processor entries\n");
		return -EINVAL;
	}
	return 0;
}
