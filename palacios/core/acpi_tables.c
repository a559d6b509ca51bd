// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables for the guest (ACPI 1.0 forms, which every OS reads): the
 * RSDP where a PC BIOS leaves it (0xE0000, found by scanning or through
 * boot_params), an RSDT listing a FADT and a MADT, the FACS and a DSDT
 * whose only object is \_S5, so the guest can power off through the
 * PM1a control register (devices/acpi_pm.c).
 *
 * The MADT is how the guest finds its CPUs and interrupt controllers:
 * one local APIC per vCPU (APIC id = vCPU number), one IOAPIC with GSIs
 * 0-23 identity-mapped to the ISA IRQs (no overrides are needed for
 * that), and the dual 8259s present (PCAT_COMPAT).
 */
#include <palacios/vmm.h>

#define ACPI_BASE	0xe0000
#define RSDP_AT		(ACPI_BASE + 0x000)
#define RSDT_AT		(ACPI_BASE + 0x040)
#define FADT_AT		(ACPI_BASE + 0x080)
#define FACS_AT		(ACPI_BASE + 0x100)	/* 64-byte aligned */
#define DSDT_AT		(ACPI_BASE + 0x140)
#define MADT_AT		(ACPI_BASE + 0x200)

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
static const uint8_t dsdt_aml[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
};

static void build_dsdt(uint8_t *t)
{
	unsigned len = sizeof(struct acpi_header) + sizeof(dsdt_aml);

	header((void *)t, "DSDT", len, 1);
	v3_memcpy(t + sizeof(struct acpi_header), dsdt_aml, sizeof(dsdt_aml));
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
