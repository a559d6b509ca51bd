// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel MultiProcessor Specification table: the fallback for machines
 * (or firmware) without a usable ACPI MADT. The floating pointer is
 * searched where the specification says; the configuration table is
 * checksummed and its entries walked by type, stopping at the first type
 * we do not know, since we could not know its length. It fills the same
 * struct platform as ACPI; ISA interrupts the table routes to another
 * IOAPIC input, or with other polarity or trigger, become overrides.
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
#define BDA_EBDA_SEG	0x40e	/* BIOS data area: EBDA segment */
#define BDA_BASE_KIB	0x413	/* BIOS data area: base memory in KiB */

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
	const uint16_t *seg = mem->map(mem->ctx, BDA_EBDA_SEG, 2);
	const uint16_t *kib = mem->map(mem->ctx, BDA_BASE_KIB, 2);
	paddr_t top = kib && *kib >= 512 && *kib <= 640 ? *kib : 640;
	const struct mp_floating *f = NULL;

	if (seg && *seg)
		f = scan(mem, (paddr_t)*seg << 4, 1024);
	if (!f)
		f = scan(mem, (top - 1) * 1024, 1024);
	if (!f)
		f = scan(mem, 0xf0000, 0x10000);
	return f;
}

static uint8_t entry_length(uint8_t type)
{
	return type == MP_PROCESSOR ? 20 : 8;
}

/* What one mptable_parse() call needs besides its output. */
struct mp_parse {
	struct platform *p;
	unsigned cpus_dropped;		/* beyond CONFIG_NR_CPUS */
	bool isa_bus[MAX_BUSES];
};

static void add_cpu(struct mp_parse *mp, const uint8_t *e)
{
	struct platform *p = mp->p;

	if (!(e[3] & CPU_ENABLED))
		return;
	for (unsigned i = 0; i < p->nr_cpus; i++)
		if (p->cpus[i].apic_id == e[1]) {
			pr_warn("APIC id %u listed twice; ignored\n", e[1]);
			return;
		}
	if (p->nr_cpus == CONFIG_NR_CPUS) {
		mp->cpus_dropped++;
		return;
	}
	p->cpus[p->nr_cpus++] = (struct platform_cpu){
		.apic_id = e[1], .acpi_uid = e[1], .enabled = true,
		.bsp = e[3] & CPU_BSP,
	};
}

/* An ISA IRQ wired to another input, or not edge/high: an override. */
static void add_io_interrupt(struct mp_parse *mp, const uint8_t *e)
{
	struct platform *p = mp->p;
	uint16_t flags = e[2] | e[3] << 8;
	const struct platform_ioapic *io = NULL;

	if (e[1] != 0 || !mp->isa_bus[e[4]])
		return;		/* not a vectored ISA interrupt */
	for (unsigned a = 0; a < p->nr_ioapics && !io; a++)
		if (p->ioapics[a].id == e[6])
			io = &p->ioapics[a];
	if (!io || (io->gsi_base + e[7] == e[5] && !flags))
		return;
	if (p->nr_overrides == PLATFORM_MAX_OVERRIDES) {
		pr_warn("more than %d interrupt overrides; IRQ %u ignored\n",
			PLATFORM_MAX_OVERRIDES, e[5]);
		return;
	}
	p->overrides[p->nr_overrides++] = (struct platform_override){
		.irq = e[5], .gsi = io->gsi_base + e[7], .flags = flags,
	};
}

static void mp_entry(struct mp_parse *mp, const uint8_t *e)
{
	struct platform *p = mp->p;

	switch (e[0]) {
	case MP_PROCESSOR:
		add_cpu(mp, e);
		break;
	case MP_BUS:
		mp->isa_bus[e[1]] = !memcmp(e + 2, "ISA", 3);
		break;
	case MP_IOAPIC:
		if (!(e[3] & IOAPIC_ENABLED))
			break;
		if (p->nr_ioapics == PLATFORM_MAX_IOAPICS) {
			pr_warn("more than %d IOAPICs; id %u ignored\n",
				PLATFORM_MAX_IOAPICS, e[1]);
			break;
		}
		p->ioapics[p->nr_ioapics] = (struct platform_ioapic){
			.id = e[1],
			.address = e[4] | e[5] << 8 | e[6] << 16 |
				   (uint32_t)e[7] << 24,
			.gsi_base = p->nr_ioapics * IOAPIC_PINS,
		};
		p->nr_ioapics++;
		break;
	case MP_IO_INTERRUPT:
		add_io_interrupt(mp, e);
		break;
	}
}

int mptable_parse(const struct platform_mem *mem, struct platform *p)
{
	const struct mp_floating *f = find_floating(mem);
	const struct mp_config *c;
	const uint8_t *e, *end;
	struct mp_parse mp = { .p = p };
	unsigned i;

	if (!f)
		return -ENOENT;
	if (!f->config) {
		pr_err("default configuration %u is not supported\n",
		       f->features[0]);
		return -EINVAL;
	}
	c = mem->map(mem->ctx, f->config, sizeof(*c));
	if (!c || memcmp(c->signature, "PCMP", 4) || c->length < sizeof(*c)) {
		pr_err("no configuration table at %#x\n", f->config);
		return -EINVAL;
	}
	c = mem->map(mem->ctx, f->config, c->length);
	if (!c) {
		pr_err("configuration table runs outside memory\n");
		return -EINVAL;
	}
	if (platform_checksum(c, c->length)) {
		pr_err("configuration table: bad checksum\n");
		return -EINVAL;
	}

	memset(p, 0, sizeof(*p));
	p->source = "MP table";
	p->lapic_address = c->lapic;
	p->pcat_compat = true;
	p->nr_nodes = 1;
	e = (const uint8_t *)(c + 1);
	end = (const uint8_t *)c + c->length;
	for (i = 0; i < c->entry_count && e < end; i++) {
		if (e[0] > MP_LOCAL_INT) {
			pr_warn("unknown entry type %u; ignoring the rest\n", e[0]);
			break;
		}
		if (entry_length(e[0]) > end - e) {
			pr_err("entry %u runs past the table; ignoring the rest\n", i);
			break;
		}
		mp_entry(&mp, e);
		e += entry_length(e[0]);
	}
	if (i < c->entry_count && e == end)
		pr_warn("table ends after %u of its %u entries\n", i,
			c->entry_count);
	if (mp.cpus_dropped)
		pr_warn("more than %d CPUs; %u ignored\n", CONFIG_NR_CPUS,
			mp.cpus_dropped);
	if (!p->nr_cpus) {
		pr_err("no enabled processor entries\n");
		return -EINVAL;
	}
	return 0;
}
