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
 * Pointers from the caller's map function are kept for the whole parse,
 * so it must return memory that stays valid (the kernel's direct map).
 *
 * NUMA nodes are the SRAT's proximity domains renumbered densely in
 * ascending order, so the usual domains 0..n-1 keep their numbers while
 * sparse ones still fit the fixed node arrays; the SLIT, which is indexed
 * by domain, is translated through the same table.
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
#define RSDP_V1_LEN	20

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

/* What one acpi_parse() call needs besides its output. */
struct parse {
	struct platform *p;
	unsigned cpus_dropped;		/* beyond CONFIG_NR_CPUS */
	unsigned srat_dropped;		/* in domains beyond the node arrays */
	unsigned nr_domains;
	uint32_t domain[PLATFORM_MAX_NODES];	/* node n's domain, ascending */
};

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

/* --- RSDP ------------------------------------------------------------- */

/* Problems a scan passes over quietly: most of the BIOS area is neither. */
static const char no_signature[] = "no signature";
static const char not_mapped[] = "outside memory";

/* NULL and *out set if a valid RSDP is at pa, else what is wrong with it. */
static const char *check_rsdp(const struct platform_mem *mem, paddr_t pa,
			      const struct rsdp **out)
{
	const struct rsdp *r = mem->map(mem->ctx, pa, RSDP_V1_LEN);

	if (!r)
		return not_mapped;
	if (memcmp(r->signature, "RSD PTR ", 8))
		return no_signature;
	if (platform_checksum(r, RSDP_V1_LEN))
		return "bad checksum";
	if (r->revision >= 2) {
		r = mem->map(mem->ctx, pa, sizeof(*r));
		if (!r)
			return not_mapped;
		if (r->length < sizeof(*r) || r->length > 4096)
			return "bad length";
		if (!mem->map(mem->ctx, pa, r->length))
			return not_mapped;
		if (platform_checksum(r, r->length))
			return "bad extended checksum";
	}
	*out = r;
	return NULL;
}

static int scan(const struct platform_mem *mem, paddr_t start, paddr_t end,
		paddr_t *found)
{
	const struct rsdp *r;

	for (paddr_t pa = start; pa + RSDP_V1_LEN <= end; pa += 16) {
		const char *why = check_rsdp(mem, pa, &r);

		if (!why) {
			*found = pa;
			return 0;
		}
		if (why != no_signature && why != not_mapped)
			pr_warn("RSDP at %#lx: %s; ignored\n", pa, why);
	}
	return -ENOENT;
}

int acpi_find_rsdp(const struct platform_mem *mem, paddr_t hint, paddr_t *rsdp)
{
	const struct rsdp *r;
	const uint16_t *seg;
	const char *why;

	if (hint) {
		why = check_rsdp(mem, hint, &r);
		if (!why) {
			*rsdp = hint;
			return 0;
		}
		pr_warn("RSDP from the boot loader at %#lx: %s; searching\n",
			hint, why);
	}
	seg = mem->map(mem->ctx, EBDA_SEG_PTR, 2);
	if (seg && *seg && scan(mem, (paddr_t)*seg << 4,
				((paddr_t)*seg << 4) + 1024, rsdp) == 0)
		return 0;
	if (scan(mem, BIOS_AREA, BIOS_AREA_END, rsdp) == 0)
		return 0;
	pr_warn("no RSDP in the EBDA or the BIOS area\n");
	return -ENOENT;
}

/* Map a whole table after checking its header; NULL (reported) if bad. */
static const struct sdt_header *map_table(const struct platform_mem *mem,
					  paddr_t pa, const char *expect)
{
	const struct sdt_header *h = mem->map(mem->ctx, pa, sizeof(*h));
	char sig[5] = "";

	if (!h) {
		pr_err("table at %#lx is outside memory; skipped\n", pa);
		return NULL;
	}
	/* The signature goes into messages: keep garbage off the console. */
	for (int i = 0; i < 4; i++)
		sig[i] = h->signature[i] >= ' ' && h->signature[i] <= '~' ?
			 h->signature[i] : '?';
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

/*
 * Walk the variable-length entries (type, length, ...) from offset first.
 * A length that cannot be right ends the walk, since nothing after it can
 * be found; an entry shorter than min[type] is skipped (types beyond min
 * are not read, so any length will do). Only a walk with report set logs,
 * so a table walked twice is reported once.
 */
static void walk(const struct sdt_header *h, const char *name, size_t first,
		 const uint8_t *min, size_t nr_min, bool report, struct parse *ps,
		 void (*fn)(struct parse *ps, const uint8_t *e))
{
	const uint8_t *t = (const uint8_t *)h;
	size_t off = first;

	while (off + 2 <= h->length) {
		const uint8_t *e = t + off;

		if (e[1] < 2 || e[1] > h->length - off) {
			if (report)
				pr_err("%s: entry at offset %zu has bad length %u; "
				       "ignoring the rest\n", name, off, e[1]);
			break;
		}
		if (e[0] >= nr_min || e[1] >= min[e[0]])
			fn(ps, e);
		else if (report)
			pr_err("%s: type %u entry too short (%u bytes); skipped\n",
			       name, e[0], e[1]);
		off += e[1];
	}
}

/* --- MADT ------------------------------------------------------------- */

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_OVERRIDE		2
#define MADT_LAPIC_NMI		4
#define MADT_LAPIC_ADDRESS	5
#define MADT_X2APIC		9

#define LAPIC_ENABLED		(1 << 0)
#define LAPIC_ONLINE_CAPABLE	(1 << 1)
#define MADT_PCAT_COMPAT	(1 << 0)
#define MADT_FIXED		(sizeof(struct sdt_header) + 8)

/* Smallest length of each MADT entry type we read. */
static const uint8_t madt_min[] = {
	[MADT_LAPIC] = 8, [MADT_IOAPIC] = 12, [MADT_OVERRIDE] = 10,
	[MADT_LAPIC_NMI] = 6, [MADT_LAPIC_ADDRESS] = 12, [MADT_X2APIC] = 16,
};

static void add_cpu(struct parse *ps, uint32_t apic_id, uint32_t uid,
		    uint32_t flags)
{
	struct platform *p = ps->p;

	if (!(flags & (LAPIC_ENABLED | LAPIC_ONLINE_CAPABLE)))
		return;		/* not present at all */
	/* Starting one CPU twice would wedge SMP bring-up. */
	for (unsigned i = 0; i < p->nr_cpus; i++)
		if (p->cpus[i].apic_id == apic_id) {
			pr_warn("MADT: APIC id %u listed twice; ignored\n",
				apic_id);
			return;
		}
	if (p->nr_cpus == CONFIG_NR_CPUS) {
		ps->cpus_dropped++;
		return;
	}
	p->cpus[p->nr_cpus++] = (struct platform_cpu){
		.apic_id = apic_id,
		.acpi_uid = uid,
		.enabled = flags & LAPIC_ENABLED,
	};
}

static void madt_entry(struct parse *ps, const uint8_t *e)
{
	struct platform *p = ps->p;

	switch (e[0]) {
	case MADT_LAPIC:
		add_cpu(ps, e[3], e[2], get32(e + 4));
		break;
	case MADT_X2APIC:
		add_cpu(ps, get32(e + 4), get32(e + 12), get32(e + 8));
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

static int parse_madt(const struct sdt_header *h, struct parse *ps)
{
	const uint8_t *t = (const uint8_t *)h;

	if (h->length < MADT_FIXED) {
		pr_err("MADT: too short (%u bytes); skipped\n", h->length);
		return -EINVAL;
	}
	ps->p->lapic_address = get32(t + sizeof(*h));
	ps->p->pcat_compat = get32(t + sizeof(*h) + 4) & MADT_PCAT_COMPAT;
	walk(h, "MADT", MADT_FIXED, madt_min, ARRAY_SIZE(madt_min), true, ps, madt_entry);
	if (ps->cpus_dropped)
		pr_warn("MADT lists more than %d CPUs; %u ignored\n",
			CONFIG_NR_CPUS, ps->cpus_dropped);
	return 0;
}

/* --- HPET ------------------------------------------------------------- */

#define HPET_LEN	(sizeof(struct sdt_header) + 20)
#define GAS_MEMORY	0	/* generic address space: system memory */

static void parse_hpet(const struct sdt_header *h, struct platform *p)
{
	const uint8_t *body = (const uint8_t *)(h + 1);

	if (h->length < HPET_LEN) {
		pr_err("HPET: too short (%u bytes); skipped\n", h->length);
		return;
	}
	if (p->hpet_address)
		return;		/* the first timer block is the one we use */
	/* Event timer block id, then a generic address structure. */
	if (body[4] != GAS_MEMORY || !get64(body + 8)) {
		pr_err("HPET: not in memory (space %u, address %#lx); skipped\n",
		       body[4], get64(body + 8));
		return;
	}
	p->hpet_address = get64(body + 8);
}

/* --- SRAT ------------------------------------------------------------- */

#define SRAT_CPU	0
#define SRAT_MEMORY	1
#define SRAT_X2APIC	2
#define SRAT_ENABLED	(1 << 0)
#define SRAT_FIXED	(sizeof(struct sdt_header) + 12)

static const uint8_t srat_min[] = {
	[SRAT_CPU] = 16, [SRAT_MEMORY] = 40, [SRAT_X2APIC] = 24,
};

/* The proximity domain of an enabled CPU or memory entry; false if none. */
static bool srat_domain(const uint8_t *e, uint32_t *domain)
{
	switch (e[0]) {
	case SRAT_CPU:
		*domain = e[2] | (e[9] << 8) | (e[10] << 16) |
			  ((uint32_t)e[11] << 24);
		return get32(e + 4) & SRAT_ENABLED;
	case SRAT_X2APIC:
		*domain = get32(e + 4);
		return get32(e + 12) & SRAT_ENABLED;
	case SRAT_MEMORY:
		*domain = get32(e + 2);
		return get32(e + 28) & SRAT_ENABLED;
	default:
		return false;
	}
}

/* First pass: keep the smallest distinct domains, in ascending order. */
static void srat_collect(struct parse *ps, const uint8_t *e)
{
	uint32_t d;
	unsigned i;

	if (!srat_domain(e, &d))
		return;
	for (i = 0; i < ps->nr_domains && ps->domain[i] < d; i++)
		;
	if (i == PLATFORM_MAX_NODES || (i < ps->nr_domains && ps->domain[i] == d))
		return;
	if (ps->nr_domains < PLATFORM_MAX_NODES)
		ps->nr_domains++;
	memmove(&ps->domain[i + 1], &ps->domain[i],
		(ps->nr_domains - 1 - i) * sizeof(ps->domain[0]));
	ps->domain[i] = d;
}

/* Second pass: put CPUs and memory ranges on their nodes. */
static void srat_assign(struct parse *ps, const uint8_t *e)
{
	struct platform *p = ps->p;
	uint32_t d, apic_id, node;
	uint64_t base, size;

	if (!srat_domain(e, &d))
		return;
	for (node = 0; node < ps->nr_domains && ps->domain[node] != d; node++)
		;
	if (node == ps->nr_domains) {
		ps->srat_dropped++;
		return;
	}
	if (e[0] == SRAT_MEMORY) {
		base = get64(e + 8);
		size = get64(e + 16);
		if (!size)
			return;
		if (base + size < base) {
			pr_err("SRAT: memory range %#lx+%#lx wraps; skipped\n",
			       base, size);
		} else if (p->nr_mem == PLATFORM_MAX_MEM_RANGES) {
			pr_warn("SRAT: more than %d memory ranges; %#lx ignored\n",
				PLATFORM_MAX_MEM_RANGES, base);
		} else {
			p->mem[p->nr_mem++] =
				(struct platform_mem_range){ base, size, node };
		}
		return;
	}
	apic_id = e[0] == SRAT_CPU ? e[3] : get32(e + 8);
	for (unsigned i = 0; i < p->nr_cpus; i++)
		if (p->cpus[i].apic_id == apic_id)
			p->cpus[i].node = node;
}

static void parse_srat(const struct sdt_header *h, struct parse *ps)
{
	if (h->length < SRAT_FIXED) {
		pr_err("SRAT: too short (%u bytes); skipped\n", h->length);
		return;
	}
	walk(h, "SRAT", SRAT_FIXED, srat_min, ARRAY_SIZE(srat_min), true, ps, srat_collect);
	walk(h, "SRAT", SRAT_FIXED, srat_min, ARRAY_SIZE(srat_min), false, ps, srat_assign);
	if (ps->srat_dropped)
		pr_warn("SRAT: %u entries in proximity domains beyond the %d "
			"supported nodes ignored\n", ps->srat_dropped,
			PLATFORM_MAX_NODES);
}

/* --- SLIT ------------------------------------------------------------- */

#define SLIT_FIXED	(sizeof(struct sdt_header) + 8)
#define SLIT_LOCAL	10	/* a locality's distance to itself */

static void parse_slit(const struct sdt_header *h, struct parse *ps)
{
	const uint8_t *m = (const uint8_t *)h + SLIT_FIXED;
	unsigned nd = ps->nr_domains;
	uint64_t n;

	if (h->length < SLIT_FIXED) {
		pr_err("SLIT: too short (%u bytes); skipped\n", h->length);
		return;
	}
	n = get64((const uint8_t *)(h + 1));
	if (n > 256 || SLIT_FIXED + n * n > h->length) {
		pr_err("SLIT: %lu localities do not fit in %u bytes; skipped\n",
		       n, h->length);
		return;
	}
	if (!nd) {
		pr_warn("SLIT: no SRAT names its localities; ignored\n");
		return;
	}
	if (ps->domain[nd - 1] >= n) {
		pr_err("SLIT: %lu localities, but the SRAT has domain %u; "
		       "skipped\n", n, ps->domain[nd - 1]);
		return;
	}
	/* Check every distance we will use before writing any. */
	for (unsigned i = 0; i < nd; i++)
		for (unsigned j = 0; j < nd; j++) {
			uint8_t v = m[ps->domain[i] * n + ps->domain[j]];

			if (i == j ? v != SLIT_LOCAL : v < SLIT_LOCAL) {
				pr_err("SLIT: distance %u from domain %u to %u "
				       "is invalid; skipped\n", v,
				       ps->domain[i], ps->domain[j]);
				return;
			}
		}
	for (unsigned i = 0; i < nd; i++)
		for (unsigned j = 0; j < nd; j++)
			ps->p->distance[i][j] =
				m[ps->domain[i] * n + ps->domain[j]];
}

/* --- the root ----------------------------------------------------------- */

int acpi_parse(const struct platform_mem *mem, paddr_t rsdp_pa,
	       struct platform *p)
{
	const struct rsdp *rsdp;
	const char *why = check_rsdp(mem, rsdp_pa, &rsdp);
	const struct sdt_header *root = NULL, *h;
	const struct sdt_header *srat = NULL, *slit = NULL;
	struct parse ps = { .p = p };
	unsigned width = 4, n;
	bool have_madt = false;

	if (why) {
		pr_err("RSDP at %#lx: %s\n", rsdp_pa, why);
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	p->source = "ACPI";
	if (rsdp->revision >= 2 && rsdp->xsdt) {
		root = map_table(mem, rsdp->xsdt, "XSDT");
		width = 8;
		if (!root)
			pr_warn("falling back to the RSDT\n");
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
			have_madt = parse_madt(h, &ps) == 0;
		else if (!memcmp(h->signature, "HPET", 4))
			parse_hpet(h, p);
		else if (!memcmp(h->signature, "SRAT", 4))
			srat = h;
		else if (!memcmp(h->signature, "SLIT", 4))
			slit = h;
	}
	if (!have_madt) {
		pr_err("no usable MADT: CPUs unknown\n");
		return -ENOENT;
	}
	if (!p->nr_cpus) {
		pr_err("MADT lists no present CPUs\n");
		return -ENOENT;
	}
	/* NUMA needs the CPU list, so it comes after the MADT. */
	if (srat)
		parse_srat(srat, &ps);
	if (slit)
		parse_slit(slit, &ps);
	p->nr_nodes = ps.nr_domains ? ps.nr_domains : 1;
	return 0;
}
