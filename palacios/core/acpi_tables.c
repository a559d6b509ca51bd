// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables for the guest (ACPI 1.0 forms, which every OS reads): the
 * RSDP where a PC BIOS leaves it (0xE0000, found by scanning or through
 * boot_params), an RSDT listing a FADT and a MADT, the FACS and a DSDT
 * with two objects: \_S5, so the guest can power off through the PM1a
 * control register (devices/acpi_pm.c), and the PCI root bridge
 * \_SB.PCI0, whose _PRT tells the guest which IOAPIC input each slot's
 * INTx pins drive (the wiring of devices/pci.c). The AML is assembled
 * here byte by byte (ACPI spec, chapter 20).
 *
 * The MADT is how the guest finds its CPUs and interrupt controllers:
 * one local APIC per vCPU (APIC id = vCPU number), one IOAPIC with GSIs
 * 0-23 identity-mapped to the ISA IRQs (no overrides are needed for
 * that), and the dual 8259s present (PCAT_COMPAT).
 */
#include <palacios/pci.h>
#include <palacios/vmm.h>

#define ACPI_BASE	0xe0000
#define RSDP_AT		(ACPI_BASE + 0x000)
#define RSDT_AT		(ACPI_BASE + 0x040)
#define FADT_AT		(ACPI_BASE + 0x080)
#define FACS_AT		(ACPI_BASE + 0x100)	/* 64-byte aligned */
#define DSDT_AT		(ACPI_BASE + 0x140)
#define MADT_AT		(ACPI_BASE + 0x400)	/* after the DSDT's ~500 bytes */

/* The PM block devices/acpi_pm.c emulates. */
#define PM1A_EVT	0x600
#define PM1A_CNT	0x604
#define PM_TMR		0x608
#define SCI_IRQ		9

#define IOAPIC_ADDR	0xfec00000u
#define LAPIC_ADDR	0xfee00000u

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

static uint8_t checksum(const void *p, unsigned len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return -sum;
}

/* Fill a table header; the checksum is set by finish(). */
static void header(struct acpi_header *h, const char *sig, uint32_t len,
		   uint8_t rev)
{
	v3_memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	v3_memcpy(h->oem_id, "PALCIO", 6);
	v3_memcpy(h->oem_table_id, "V3 VMM  ", 8);
	h->oem_revision = 1;
	v3_memcpy(h->creator_id, "V3VM", 4);
	h->creator_revision = 1;
}

static void finish(struct acpi_header *h)
{
	h->checksum = 0;
	h->checksum = checksum(h, h->length);
}

/* Offsets in the 116-byte ACPI 1.0 FADT. */
enum {
	FADT_FACS = 36, FADT_DSDT = 40, FADT_SCI_INT = 46, FADT_PM1A_EVT = 56,
	FADT_PM1A_CNT = 64, FADT_PM_TMR = 76, FADT_PM1_EVT_LEN = 88,
	FADT_PM1_CNT_LEN = 89, FADT_PM_TMR_LEN = 91, FADT_P_LVL2_LAT = 96,
	FADT_P_LVL3_LAT = 98, FADT_CENTURY = 108, FADT_BOOT_ARCH = 109,
	FADT_FLAGS = 112, FADT_SIZE = 116,
};

static void put16(uint8_t *p, unsigned off, uint16_t v) { v3_memcpy(p + off, &v, 2); }
static void put32(uint8_t *p, unsigned off, uint32_t v) { v3_memcpy(p + off, &v, 4); }

static void build_fadt(uint8_t *t)
{
	header((void *)t, "FACP", FADT_SIZE, 1);
	put32(t, FADT_FACS, FACS_AT);
	put32(t, FADT_DSDT, DSDT_AT);
	put16(t, FADT_SCI_INT, SCI_IRQ);
	/* SMI_CMD 0: the machine is always in ACPI mode. */
	put32(t, FADT_PM1A_EVT, PM1A_EVT);
	put32(t, FADT_PM1A_CNT, PM1A_CNT);
	put32(t, FADT_PM_TMR, PM_TMR);
	t[FADT_PM1_EVT_LEN] = 4;
	t[FADT_PM1_CNT_LEN] = 2;
	t[FADT_PM_TMR_LEN] = 4;
	put16(t, FADT_P_LVL2_LAT, 101);		/* no C2 */
	put16(t, FADT_P_LVL3_LAT, 1001);	/* no C3 */
	t[FADT_CENTURY] = 0x32;			/* the RTC's century byte */
	put16(t, FADT_BOOT_ARCH, 0x3);		/* legacy devices, 8042 */
	/* WBINVD works, C1 supported, power and sleep buttons absent. */
	put32(t, FADT_FLAGS, (1 << 0) | (1 << 2) | (1 << 4) | (1 << 5));
	finish((void *)t);
}

/* Name (_S5, Package () { 5, 5, 0, 0 }): S5 is SLP_TYP 5. */
static const uint8_t aml_s5[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
};

#define PRT_SLOTS 8	/* bus-0 slots described: 1 .. PRT_SLOTS - 1 */

struct aml {
	uint8_t *p;
	unsigned len;
};

static void emit(struct aml *a, const void *bytes, unsigned n)
{
	v3_memcpy(a->p + a->len, bytes, n);
	a->len += n;
}

static void emit_byte(struct aml *a, uint8_t b)
{
	emit(a, &b, 1);
}

/* A PkgLength (it counts itself) for a body of n bytes; 1 or 2 bytes. */
static void emit_pkglen(struct aml *a, unsigned n)
{
	if (n + 1 < 0x40) {
		emit_byte(a, n + 1);
	} else {
		n += 2;
		emit_byte(a, 0x40 | (n & 0xf));
		emit_byte(a, n >> 4);
	}
}

/* An integer: ZeroOp, OneOp, BytePrefix or DWordPrefix form. */
static void emit_int(struct aml *a, uint32_t v)
{
	if (v <= 1) {
		emit_byte(a, v);
	} else if (v <= 0xff) {
		emit_byte(a, 0x0a);
		emit_byte(a, v);
	} else {
		emit_byte(a, 0x0c);
		emit(a, &v, 4);
	}
}

/* Package () { 0xSSSSFFFF, pin, 0, GSI }: one _PRT entry (pin 0 = INTA). */
static void emit_prt_entry(struct aml *a, unsigned slot, unsigned pin)
{
	uint8_t body[16];
	struct aml e = { body, 0 };

	emit_byte(&e, 4);
	emit_int(&e, slot << 16 | 0xffff);
	emit_int(&e, pin);
	emit_int(&e, 0);
	emit_int(&e, v3_pci_intx_line(slot, pin + 1));
	emit_byte(a, 0x12);		/* PackageOp */
	emit_pkglen(a, e.len);
	emit(a, body, e.len);
}

/* A word address-space descriptor (type 0 memory, 1 I/O, 2 bus). */
static void emit_word_space(struct aml *a, uint8_t type, uint8_t type_flags,
			    uint16_t min, uint16_t max)
{
	uint16_t w[5] = { 0, min, max, 0, (uint16_t)(max - min + 1) };

	emit(a, (const uint8_t[]){ 0x88, 0x0d, 0x00, type, 0x0c, type_flags }, 6);
	emit(a, w, sizeof(w));
}

/*
 * Name (_CRS, ResourceTemplate () { ... }): the root bridge decodes bus
 * numbers 0-255, the configuration ports, I/O outside them, and the
 * memory window devices/pci.c assigns BARs from.
 */
static void emit_pci0_crs(struct aml *a)
{
	uint8_t rt[128];
	struct aml r = { rt, 0 };
	uint32_t mem[5] = { 0, V3_PCI_MEM_BASE, V3_PCI_MEM_LIMIT - 1, 0,
			    V3_PCI_MEM_LIMIT - V3_PCI_MEM_BASE };

	emit_word_space(&r, 2, 0, 0x00, 0xff);
	emit(&r, (const uint8_t[]){ 0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08 }, 8);
	emit_word_space(&r, 1, 0x03, 0x0000, 0x0cf7);
	emit_word_space(&r, 1, 0x03, 0x0d00, 0xffff);
	emit(&r, (const uint8_t[]){ 0x87, 0x17, 0x00, 0x00, 0x0c, 0x01 }, 6);
	emit(&r, mem, sizeof(mem));
	emit(&r, (const uint8_t[]){ 0x79, 0x00 }, 2);	/* end tag */

	emit(a, (const uint8_t[]){ 0x08, '_', 'C', 'R', 'S', 0x11 }, 6);
	emit_pkglen(a, 2 + r.len);
	emit(a, (const uint8_t[]){ 0x0a, r.len }, 2);	/* BufferSize */
	emit(a, rt, r.len);
}

/*
 * Scope (\_SB) { Device (PCI0) { Name (_HID, EisaId ("PNP0A03"))
 *   Name (_ADR, 0)  Name (_UID, 0)  Name (_CRS, ...)
 *   Name (_PRT, Package () { ... }) } }
 */
static void emit_pci0(struct aml *a)
{
	static const uint8_t names[] = {
		0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03,
		0x08, '_', 'A', 'D', 'R', 0x00,
		0x08, '_', 'U', 'I', 'D', 0x00,
	};
	uint8_t prt[(PRT_SLOTS - 1) * 4 * 16], dev[sizeof(prt) + 200];
	struct aml p = { prt, 0 }, d = { dev, 0 };
	unsigned entries = 0;

	for (unsigned slot = 1; slot < PRT_SLOTS; slot++)
		for (unsigned pin = 0; pin < 4; pin++, entries++)
			emit_prt_entry(&p, slot, pin);

	emit(&d, "PCI0", 4);
	emit(&d, names, sizeof(names));
	emit_pci0_crs(&d);
	emit(&d, (const uint8_t[]){ 0x08, '_', 'P', 'R', 'T', 0x12 }, 6);
	emit_pkglen(&d, p.len + 1);
	emit_byte(&d, entries);
	emit(&d, prt, p.len);

	emit_byte(a, 0x10);		/* ScopeOp */
	emit_pkglen(a, 5 + 2 + (d.len + 1 < 0x40 ? 1 : 2) + d.len);
	emit(a, "\\_SB_", 5);
	emit(a, (const uint8_t[]){ 0x5b, 0x82 }, 2);	/* DeviceOp */
	emit_pkglen(a, d.len);
	emit(a, dev, d.len);
}

static void build_dsdt(uint8_t *t)
{
	struct aml a = { t + sizeof(struct acpi_header), 0 };

	emit(&a, aml_s5, sizeof(aml_s5));
	emit_pci0(&a);
	header((void *)t, "DSDT", sizeof(struct acpi_header) + a.len, 1);
	finish((void *)t);
}

static void build_facs(uint8_t *t)
{
	v3_memcpy(t, "FACS", 4);
	put32(t, 4, 64);
}

static unsigned build_madt(uint8_t *t, unsigned nr_vcpus)
{
	unsigned len = sizeof(struct acpi_header) + 8;

	put32(t, 36, LAPIC_ADDR);
	put32(t, 40, 1);			/* PCAT_COMPAT: 8259s present */
	for (unsigned i = 0; i < nr_vcpus; i++, len += 8) {
		uint8_t lapic[8] = { 0, 8, i, i, 1, 0, 0, 0 };

		v3_memcpy(t + len, lapic, 8);
	}
	{
		uint8_t ioapic[12] = { 1, 12, nr_vcpus, 0 };

		v3_memcpy(ioapic + 4, &(uint32_t){ IOAPIC_ADDR }, 4);
		v3_memcpy(t + len, ioapic, 12);
		len += 12;
	}
	{
		/* The SCI: ISA IRQ 9, level-triggered, active high. */
		uint8_t iso[10] = { 2, 10, 0, SCI_IRQ, SCI_IRQ, 0, 0, 0, 0x0d, 0 };

		v3_memcpy(t + len, iso, 10);
		len += 10;
	}
	header((void *)t, "APIC", len, 1);
	finish((void *)t);
	return len;
}

uint64_t v3_acpi_build(struct v3_vm *vm)
{
	uint8_t *base = v3_gpa_to_hva(vm, ACPI_BASE, 0x1000);
	uint8_t *rsdp, *rsdt;

	if (!base || vm->nr_vcpus > 64)
		return 0;
	v3_memset(base, 0, 0x1000);

	rsdp = base + (RSDP_AT - ACPI_BASE);
	v3_memcpy(rsdp, "RSD PTR ", 8);
	v3_memcpy(rsdp + 9, "PALCIO", 6);
	put32(rsdp, 16, RSDT_AT);		/* revision 0: ACPI 1.0 */
	rsdp[8] = checksum(rsdp, 20);

	rsdt = base + (RSDT_AT - ACPI_BASE);
	header((void *)rsdt, "RSDT", sizeof(struct acpi_header) + 8, 1);
	put32(rsdt, 36, FADT_AT);
	put32(rsdt, 40, MADT_AT);
	finish((void *)rsdt);

	build_fadt(base + (FADT_AT - ACPI_BASE));
	build_facs(base + (FACS_AT - ACPI_BASE));
	build_dsdt(base + (DSDT_AT - ACPI_BASE));
	build_madt(base + (MADT_AT - ACPI_BASE), vm->nr_vcpus);
	return RSDP_AT;
}
