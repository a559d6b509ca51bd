// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI table parsing: RSDP, RSDT/XSDT, and the tables a lightweight
 * kernel needs to lay itself out on the machine: MADT (CPUs, IOAPICs,
 * interrupt overrides), HPET, SRAT and SLIT (NUMA).
 *
 * Firmware tables are input like any other: every header is checked
 * (signature, length, checksum) before its body is read, every entry's
 * length is checked against what its type needs and against the end of
 * its table, and a bad table is reported and skipped, never trusted.
 */
#define pr_fmt(fmt) "acpi: " fmt

#include <kitten/errno.h>
#include <kitten/platform.h>
#include <kitten/printk.h>
#include <kitten/string.h>

#define MAX_TABLE_LEN	(1U << 20)	/* nothing we read is anywhere near */
#define EBDA_SEG_PTR	0x40e
#define BIOS_AREA	0xe0000
#define BIOS_AREA_END	0x100000

struct rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;	/* revision 2 and later from here on */
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __packed;

struct sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;

_Static_assert(sizeof(struct rsdp) == 36, "RSDP layout");
_Static_assert(sizeof(struct sdt_header) == 36, "SDT header layout");

static const struct rsdp *valid_rsdp(const struct platform_mem *mem,
				     paddr_t pa)
{
	const struct rsdp *r = mem->map(mem->ctx, pa, 20);

	if (!r || memcmp(r->signature, "RSD PTR ", 8) || platform_checksum(r, 20))
		return NULL;
	if (r->revision < 2)
		return r;
	r = mem->map(mem->ctx, pa, sizeof(*r));
	if (!r || r->length < sizeof(*r) || r->length > 4096)
		return NULL;
	r = mem->map(mem->ctx, pa, r->length);
	return r && platform_checksum(r, r->length) == 0 ? r : NULL;
}

static int scan(const struct platform_mem *mem, paddr_t start, paddr_t end,
		paddr_t *found)
{
	for (paddr_t pa = start; pa + 20 <= end; pa += 16)
		if (valid_rsdp(mem, pa)) {
			*found = pa;
			return 0;
		}
	return -ENOENT;
}

int acpi_find_rsdp(const struct platform_mem *mem, paddr_t hint, paddr_t *rsdp)
{
	const uint16_t *seg;

	if (hint) {
		if (valid_rsdp(mem, hint)) {
			*rsdp = hint;
			return 0;
		}
		pr_warn("RSDP from the boot loader at %#lx is invalid; searching\n",
			hint);
	}
	seg = mem->map(mem->ctx, EBDA_SEG_PTR, 2);
	if (seg && *seg && scan(mem, (paddr_t)*seg << 4, ((paddr_t)*seg << 4) + 1024,
				 rsdp) == 0)
		return 0;
	return scan(mem, BIOS_AREA, BIOS_AREA_END, rsdp);
}

/* Map a whole table after checking its header; NULL (reported) if bad. */
static const struct sdt_header *map_table(const struct platform_mem *mem,
					  paddr_t pa, const char *expect)
{
	const struct sdt_header *h = mem->map(mem->ctx, pa, sizeof(*h));
	char sig[5] = "????";

	if (!h) {
		pr_err("table at %#lx is outside memory; skipped\n", pa);
		return NULL;
	}
	memcpy(sig, h->signature, 4);
	if (expect && memcmp(h->signature, expect, 4)) {
		pr_err("table at %#lx: expected %s, found '%s'; skipped\n", pa,
		       expect, sig);
		return NULL;
	}
	if (h->length < sizeof(*h) || h->length > MAX_TABLE_LEN) {
		pr_err("%s at %#lx: bad length %u; skipped\n", sig, pa, h->length);
		return NULL;
	}
	h = mem->map(mem->ctx, pa, h->length);
	if (!h) {
		pr_err("%s at %#lx: runs outside memory; skipped\n", sig, pa);
		return NULL;
	}
	if (platform_checksum(h, h->length)) {
		pr_err("%s at %#lx: bad checksum; skipped\n", sig, pa);
		return NULL;
	}
	return h;
}

/* --- MADT ------------------------------------------------------------- */

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_OVERRIDE		2
#define MADT_LAPIC_NMI		4
#define MADT_LAPIC_ADDRESS	5
#define MADT_X2APIC		9
#define MADT_X2APIC_NMI		10

#define LAPIC_ENABLED		(1 << 0)
#define LAPIC_ONLINE_CAPABLE	(1 << 1)
#define MADT_PCAT_COMPAT	(1 << 0)

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Smallest length of each MADT entry type we read; 0 for others. */
static uint8_t madt_entry_min(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC: return 8;
	case MADT_IOAPIC: return 12;
	case MADT_OVERRIDE: return 10;
	case MADT_LAPIC_NMI: return 6;
	case MADT_LAPIC_ADDRESS: return 12;
	case MADT_X2APIC: return 16;
	default: return 2;
	}
}

static void add_cpu(struct platform *p, uint32_t apic_id, uint32_t uid,
		    uint32_t flags)
{
	if (!(flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE)))
		return;		/* not present at all */
	if (p->nr_cpus == CONFIG_NR_CPUS) {
		pr_warn("more than %d CPUs; APIC id %u ignored\n",
			CONFIG_NR_CPUS, apic_id);
		return;
	}
	p->cpus[p->nr_cpus++] = (struct platform_cpu){
		.apic_id = apic_id,
		.acpi_uid = uid,
		.enabled = flags & LAPIC_ENABLED,
	};
}

static void madt_entry(struct platform *p, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		add_cpu(p, e[3], e[2], get32(e + 4));
		break;
	case MADT_X2APIC:
		add_cpu(p, get32(e + 4), get32(e + 12), get32(e + 8));
		break;
	case MADT_IOAPIC:
		if (p->nr_ioapics == PLATFORM_MAX_IOAPICS) {
			pr_warn("more than %d IOAPICs; id %u ignored\n",
				PLATFORM_MAX_IOAPICS, e[2]);
			break;
		}
		p->ioapics[p->nr_ioapics++] = (struct platform_ioapic){
			e[2], get32(e + 4), get32(e + 8)
		};
		break;
	case MADT_OVERRIDE:
		if (p->nr_overrides == PLATFORM_MAX_OVERRIDES) {
			pr_warn("more than %d interrupt overrides; IRQ %u ignored\n",
				PLATFORM_MAX_OVERRIDES, e[3]);
			break;
		}
		p->overrides[p->nr_overrides++] = (struct platform_override){
			.irq = e[3],
			.gsi = get32(e + 4),
			.flags = e[8] | (e[9] << 8),
		};
		break;
	case MADT_LAPIC_ADDRESS:
		p->lapic_address = get64(e + 4);
		break;
	}
}

static int parse_madt(const struct sdt_header *h, struct platform *p)
{
	const uint8_t *t = (const uint8_t *)h, *end = t + h->length;
	const uint8_t *e = t + sizeof(*h) + 8;

	if (h->length < sizeof(*h) + 8) {
		pr_err("MADT: too short (%u bytes); skipped\n", h->length);
		return -EINVAL;
	}
	p->lapic_address = get32(t + sizeof(*h));
	p->pcat_compat = get32(t + sizeof(*h) + 4) & MADT_PCAT_COMPAT;
	while (e + 2 <= end) {
		if (e[1] < 2 || e + e[1] > end) {
			pr_err("MADT: entry at offset %ld has bad length %u; "
			       "ignoring the rest\n", (long)(e - t), e[1]);
			break;
		}
		if (e[1] < madt_entry_min(e[0]))
			pr_err("MADT: type %u entry too short (%u bytes); skipped\n",
			       e[0], e[1]);
		else
			madt_entry(p, e);
		e += e[1];
	}
	return 0;
}

/* --- HPET, SRAT, SLIT ------------------------------------------------------ */

static void parse_hpet(const struct sdt_header *h, struct platform *p)
{
	if (h->length < sizeof(*h) + 20) {
		pr_err("HPET: too short (%u bytes); skipped\n", h->length);
		return;
	}
	/* Event timer block id, then a generic address whose address is at +4. */
	p->hpet_address = get64((const uint8_t *)h + sizeof(*h) + 8);
}

#define SRAT_CPU	0
#define SRAT_MEMORY	1
#define SRAT_X2APIC	2
#define SRAT_ENABLED	(1 << 0)

static struct platform_cpu *cpu_by_apic(struct platform *p, uint32_t apic_id)
{
	for (unsigned i = 0; i < p->nr_cpus; i++)
		if (p->cpus[i].apic_id == apic_id)
			return &p->cpus[i];
	return NULL;
}

static void note_node(struct platform *p, uint32_t node)
{
	if (node >= PLATFORM_MAX_NODES) {
		pr_warn("SRAT: node %u beyond the %d supported\n", node,
			PLATFORM_MAX_NODES);
		return;
	}
	if (node + 1 > p->nr_nodes)
		p->nr_nodes = node + 1;
}

static void srat_entry(struct platform *p, const uint8_t *e)
{
	struct platform_cpu *cpu;
	uint32_t node;

	switch (e[0]) {
	case SRAT_CPU:
		if (e[1] < 16 || !(get32(e + 4) & SRAT_ENABLED))
			return;
		node = e[2] | (e[9] << 8) | (e[10] << 16) | ((uint32_t)e[11] << 24);
		cpu = cpu_by_apic(p, e[3]);
		break;
	case SRAT_X2APIC:
		if (e[1] < 24 || !(get32(e + 12) & SRAT_ENABLED))
			return;
		node = get32(e + 4);
		cpu = cpu_by_apic(p, get32(e + 8));
		break;
	case SRAT_MEMORY:
		if (e[1] < 40 || !(get32(e + 28) & SRAT_ENABLED))
			return;
		node = get32(e + 2);
		note_node(p, node);
		if (p->nr_mem == PLATFORM_MAX_MEM_RANGES) {
			pr_warn("SRAT: more than %d memory ranges\n",
				PLATFORM_MAX_MEM_RANGES);
			return;
		}
		p->mem[p->nr_mem++] = (struct platform_mem_range){
			get64(e + 8), get64(e + 16), node
		};
		return;
	default:
		return;
	}
	note_node(p, node);
	if (cpu && node < PLATFORM_MAX_NODES)
		cpu->node = node;
}

static void parse_srat(const struct sdt_header *h, struct platform *p)
{
	const uint8_t *t = (const uint8_t *)h, *end = t + h->length;
	const uint8_t *e = t + sizeof(*h) + 12;

	while (e + 2 <= end) {
		if (e[1] < 2 || e + e[1] > end) {
			pr_err("SRAT: entry at offset %ld has bad length %u; "
			       "ignoring the rest\n", (long)(e - t), e[1]);
			break;
		}
		srat_entry(p, e);
		e += e[1];
	}
}

static void parse_slit(const struct sdt_header *h, struct platform *p)
{
	const uint8_t *t = (const uint8_t *)h;
	uint64_t n;

	if (h->length < sizeof(*h) + 8) {
		pr_err("SLIT: too short (%u bytes); skipped\n", h->length);
		return;
	}
	n = get64(t + sizeof(*h));
	if (n > 256 || sizeof(*h) + 8 + n * n > h->length) {
		pr_err("SLIT: %lu localities do not fit in %u bytes; skipped\n",
		       n, h->length);
		return;
	}
	for (uint64_t i = 0; i < n && i < PLATFORM_MAX_NODES; i++)
		for (uint64_t j = 0; j < n && j < PLATFORM_MAX_NODES; j++)
			p->distance[i][j] = t[sizeof(*h) + 8 + i * n + j];
}

/* --- the root ------------------------------------------------------------- */

int acpi_parse(const struct platform_mem *mem, paddr_t rsdp_pa,
	       struct platform *p)
{
	const struct rsdp *rsdp = valid_rsdp(mem, rsdp_pa);
	const struct sdt_header *root = NULL, *h;
	const struct sdt_header *srat = NULL, *slit = NULL;
	unsigned width = 4, n;
	bool have_madt = false;

	if (!rsdp) {
		pr_err("no valid RSDP at %#lx\n", rsdp_pa);
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	p->source = "ACPI";
	if (rsdp->revision >= 2 && rsdp->xsdt) {
		root = map_table(mem, rsdp->xsdt, "XSDT");
		width = 8;
	}
	if (!root) {
		root = map_table(mem, rsdp->rsdt, "RSDT");
		width = 4;
	}
	if (!root)
		return -ENOENT;

	n = (root->length - sizeof(*root)) / width;
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *slot = (const uint8_t *)(root + 1) + i * width;
		paddr_t pa = width == 8 ? get64(slot) : get32(slot);

		h = map_table(mem, pa, NULL);
		if (!h)
			continue;
		if (!memcmp(h->signature, "APIC", 4) && !have_madt)
			have_madt = parse_madt(h, p) == 0;
		else if (!memcmp(h->signature, "HPET", 4))
			parse_hpet(h, p);
		else if (!memcmp(h->signature, "SRAT", 4))
			srat = h;
		else if (!memcmp(h->signature, "SLIT", 4))
			slit = h;
	}
	if (!have_madt || p->nr_cpus == 0) {
		pr_err("no usable MADT: CPUs unknown\n");
		return -ENOENT;
	}
	/* NUMA needs the CPU list, so it comes after the MADT. */
	if (srat)
		parse_srat(srat, p);
	if (slit)
		parse_slit(slit, p);
	if (!p->nr_nodes)
		p->nr_nodes = 1;
	return 0;
}
