// SPDX-License-Identifier: GPL-2.0
/* ACPI table parsing, on tables built in a fake physical memory. */
#include "support.h"
#include "firmware.h"

#include <stdio.h>
#include <kitten/errno.h>

#define RSDP_AT	0xe0000
#define RSDT_AT	0x10000
#define XSDT_AT	0x11000
#define MADT_AT	0x12000
#define HPET_AT	0x13000
#define SRAT_AT	0x14000
#define SLIT_AT	0x15000

static struct platform plat;
static size_t madt_len;

static void header(paddr_t at, const char *sig, uint32_t len)
{
	memcpy(fake_mem + at, sig, 4);
	put32(at + 4, len);
	put8(at + 8, 1);
	memcpy(fake_mem + at + 10, "KITTEN", 6);
	fix_checksum(at, len, at + 9);
}

static void rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	memcpy(fake_mem + RSDP_AT, "RSD PTR ", 8);
	put8(RSDP_AT + 15, revision);
	put32(RSDP_AT + 16, rsdt);
	put32(RSDP_AT + 20, 36);
	put64(RSDP_AT + 24, xsdt);
	fix_checksum(RSDP_AT, 20, RSDP_AT + 8);
	if (revision >= 2)
		fix_checksum(RSDP_AT, 36, RSDP_AT + 32);
}

static void rsdt(const uint32_t *tables, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put32(RSDT_AT + 36 + 4 * i, tables[i]);
	header(RSDT_AT, "RSDT", 36 + 4 * n);
}

static void xsdt(const uint64_t *tables, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put64(XSDT_AT + 36 + 8 * i, tables[i]);
	header(XSDT_AT, "XSDT", 36 + 8 * n);
}

/* MADT entries are appended, then madt_finish() writes the header. */
static void madt_begin(void)
{
	put32(MADT_AT + 36, 0xfee00000);
	put32(MADT_AT + 40, 1);		/* PCAT_COMPAT */
	madt_len = 44;
}

static void madt_entry(const uint8_t *e, uint8_t len)
{
	memcpy(fake_mem + MADT_AT + madt_len, e, len);
	madt_len += len;
}

static void madt_lapic(uint8_t uid, uint8_t apic_id, uint32_t flags)
{
	uint8_t e[8] = { 0, 8, uid, apic_id };

	memcpy(e + 4, &flags, 4);
	madt_entry(e, 8);
}

static void madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	uint8_t e[12] = { 1, 12, id, 0 };

	memcpy(e + 4, &addr, 4);
	memcpy(e + 8, &gsi_base, 4);
	madt_entry(e, 12);
}

static void madt_override(uint8_t irq, uint32_t gsi, uint16_t flags)
{
	uint8_t e[10] = { 2, 10, 0, irq };

	memcpy(e + 4, &gsi, 4);
	memcpy(e + 8, &flags, 2);
	madt_entry(e, 10);
}

static void madt_x2apic(uint32_t apic_id, uint32_t flags, uint32_t uid)
{
	uint8_t e[16] = { 9, 16 };

	memcpy(e + 4, &apic_id, 4);
	memcpy(e + 8, &flags, 4);
	memcpy(e + 12, &uid, 4);
	madt_entry(e, 16);
}

static void madt_finish(void)
{
	header(MADT_AT, "APIC", madt_len);
}

/* Point an RSDT (revision 0 RSDP) at the MADT alone. */
static void publish_madt_only(void)
{
	uint32_t t[] = { MADT_AT };

	rsdt(t, 1);
	rsdp(0, RSDT_AT, 0);
}

/* A QEMU-like machine: n CPUs, one IOAPIC, IRQ 0 on GSI 2, an HPET. */
static void qemu_tables(unsigned n, bool use_xsdt)
{
	memset(fake_mem, 0, sizeof(fake_mem));
	madt_begin();
	for (unsigned i = 0; i < n; i++)
		madt_lapic(i, i, 1);
	madt_ioapic(0, 0xfec00000, 0);
	madt_override(0, 2, 0);
	madt_override(9, 9, 0xd);
	madt_finish();
	put64(HPET_AT + 44, 0xfed00000);
	header(HPET_AT, "HPET", 56);
	uint32_t t32[] = { MADT_AT, HPET_AT };
	uint64_t t64[] = { MADT_AT, HPET_AT };

	rsdt(t32, 2);
	if (use_xsdt) {
		xsdt(t64, 2);
		rsdp(2, RSDT_AT, XSDT_AT);
	} else {
		rsdp(0, RSDT_AT, 0);
	}
	log_reset();
}

static void qemu_rsdt_four_cpus(void **state)
{
	paddr_t at;
	(void)state;

	qemu_tables(4, false);
	assert_int_equal(acpi_find_rsdp(&fake, 0, &at), 0);
	assert_int_equal(at, RSDP_AT);
	assert_int_equal(acpi_parse(&fake, at, &plat), 0);
	assert_string_equal(plat.source, "ACPI");
	assert_int_equal(plat.nr_cpus, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(plat.cpus[i].apic_id, i);
		assert_true(plat.cpus[i].enabled);
	}
	assert_int_equal(plat.lapic_address, 0xfee00000);
	assert_true(plat.pcat_compat);
	assert_int_equal(plat.nr_ioapics, 1);
	assert_int_equal(plat.ioapics[0].address, 0xfec00000);
	assert_int_equal(plat.nr_overrides, 2);
	assert_int_equal(plat.overrides[0].irq, 0);
	assert_int_equal(plat.overrides[0].gsi, 2);
	assert_int_equal(plat.overrides[1].flags, 0xd);
	assert_int_equal(plat.hpet_address, 0xfed00000);
	assert_int_equal(plat.nr_nodes, 1);
}

static void xsdt_preferred_when_revision_2(void **state)
{
	(void)state;
	qemu_tables(1, true);
	/* Break the RSDT: with a valid XSDT it must not matter. */
	put32(RSDT_AT + 36, 0xdead000);
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_int_equal(plat.nr_cpus, 1);
}

static void bad_xsdt_falls_back_to_rsdt(void **state)
{
	(void)state;
	qemu_tables(2, true);
	fake_mem[XSDT_AT + 20] ^= 0xff;		/* checksum now wrong */
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_true(log_contains("XSDT at 0x11000: bad checksum"));
	assert_int_equal(plat.nr_cpus, 2);
}

static void many_cpus_capacity(void **state)
{
	char msg[32];
	(void)state;
	qemu_tables(CONFIG_NR_CPUS + 6, false);
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_int_equal(plat.nr_cpus, CONFIG_NR_CPUS);
	snprintf(msg, sizeof(msg), "more than %d CPUs", CONFIG_NR_CPUS);
	assert_true(log_contains(msg));
}

static void disabled_and_x2apic_cpus(void **state)
{
	(void)state;
	memset(fake_mem, 0, sizeof(fake_mem));
	madt_begin();
	madt_lapic(0, 0, 1);
	madt_lapic(1, 1, 0);		/* absent */
	madt_lapic(2, 2, 2);		/* online capable, not enabled */
	madt_x2apic(300, 1, 3);		/* an APIC id above 255 */
	madt_finish();
	publish_madt_only();
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_int_equal(plat.nr_cpus, 3);
	assert_false(plat.cpus[1].enabled);
	assert_int_equal(plat.cpus[2].apic_id, 300);
	assert_int_equal(plat.cpus[2].acpi_uid, 3);
}

static void bad_rsdp_checksum(void **state)
{
	paddr_t at;
	(void)state;

	qemu_tables(1, false);
	fake_mem[RSDP_AT + 9] ^= 1;
	assert_int_equal(acpi_find_rsdp(&fake, 0, &at), -ENOENT);
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), -EINVAL);
	assert_true(log_contains("no valid RSDP"));
}

static void rsdp_in_ebda_and_from_hint(void **state)
{
	paddr_t at;
	(void)state;

	qemu_tables(1, false);
	memmove(fake_mem + 0x9fc00, fake_mem + RSDP_AT, 20);
	memset(fake_mem + RSDP_AT, 0, 36);
	put16(0x40e, 0x9fc0);
	assert_int_equal(acpi_find_rsdp(&fake, 0, &at), 0);
	assert_int_equal(at, 0x9fc00);
	/* A good hint wins; a bad one is reported and the search goes on. */
	assert_int_equal(acpi_find_rsdp(&fake, 0x9fc00, &at), 0);
	assert_int_equal(acpi_find_rsdp(&fake, 0x5000, &at), 0);
	assert_int_equal(at, 0x9fc00);
	assert_true(log_contains("invalid; searching"));
}

static void madt_bad_checksum_means_no_cpus(void **state)
{
	(void)state;
	qemu_tables(2, false);
	fake_mem[MADT_AT + 50] ^= 0x40;
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), -ENOENT);
	assert_true(log_contains("APIC at 0x12000: bad checksum"));
	assert_true(log_contains("no usable MADT"));
}

static void madt_zero_length_entry_stops(void **state)
{
	(void)state;
	memset(fake_mem, 0, sizeof(fake_mem));
	madt_begin();
	madt_lapic(0, 0, 1);
	uint8_t bad[4] = { 0, 0, 0, 0 };	/* length 0: would loop forever */
	madt_entry(bad, 4);
	madt_lapic(1, 1, 1);
	madt_finish();
	publish_madt_only();
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_int_equal(plat.nr_cpus, 1);
	assert_true(log_contains("bad length 0"));
}

static void madt_entry_past_end(void **state)
{
	(void)state;
	memset(fake_mem, 0, sizeof(fake_mem));
	madt_begin();
	madt_lapic(0, 0, 1);
	madt_lapic(1, 1, 1);
	madt_len -= 3;			/* the last entry sticks out */
	madt_finish();
	publish_madt_only();
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_int_equal(plat.nr_cpus, 1);
	assert_true(log_contains("bad length 8"));
}

static void madt_short_entry_skipped(void **state)
{
	(void)state;
	memset(fake_mem, 0, sizeof(fake_mem));
	madt_begin();
	uint8_t shortio[6] = { 1, 6, 0, 0, 0, 0 };	/* IOAPIC needs 12 */
	madt_entry(shortio, 6);
	madt_lapic(0, 0, 1);
	madt_finish();
	publish_madt_only();
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_int_equal(plat.nr_ioapics, 0);
	assert_int_equal(plat.nr_cpus, 1);
	assert_true(log_contains("type 1 entry too short"));
}

static void truncated_table_lengths(void **state)
{
	(void)state;
	qemu_tables(2, false);
	header(HPET_AT, "HPET", 20);		/* shorter than a header */
	put32(MADT_AT + 4, 40);			/* shorter than the MADT fields */
	fix_checksum(MADT_AT, 40, MADT_AT + 9);
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), -ENOENT);
	assert_true(log_contains("HPET at 0x13000: bad length 20"));
	assert_true(log_contains("MADT: too short"));
	assert_int_equal(plat.hpet_address, 0);
}

static void huge_length_and_unmapped(void **state)
{
	(void)state;
	qemu_tables(1, false);
	put32(HPET_AT + 4, 0x7fffffff);
	uint32_t t[] = { MADT_AT, HPET_AT, 0x7000000 };	/* last: no memory */
	rsdt(t, 3);
	rsdp(0, RSDT_AT, 0);
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_true(log_contains("bad length 2147483647"));
	assert_true(log_contains("table at 0x7000000 is outside memory"));
	assert_int_equal(plat.nr_cpus, 1);
}

static void rsdt_outside_memory(void **state)
{
	(void)state;
	qemu_tables(1, false);
	rsdp(0, 0x3000000, 0);
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), -ENOENT);
	assert_true(log_contains("outside memory"));
}

static void numa_srat_and_slit(void **state)
{
	(void)state;
	qemu_tables(4, false);
	/* SRAT: CPUs 0,1 on node 0, 2,3 on node 1; two memory ranges. */
	size_t off = 48;
	for (unsigned cpu = 0; cpu < 4; cpu++, off += 16) {
		put8(SRAT_AT + off, 0);
		put8(SRAT_AT + off + 1, 16);
		put8(SRAT_AT + off + 2, cpu / 2);
		put8(SRAT_AT + off + 3, cpu);
		put32(SRAT_AT + off + 4, 1);
	}
	for (unsigned node = 0; node < 2; node++, off += 40) {
		put8(SRAT_AT + off, 1);
		put8(SRAT_AT + off + 1, 40);
		put32(SRAT_AT + off + 2, node);
		put64(SRAT_AT + off + 8, node * 0x10000000ULL);
		put64(SRAT_AT + off + 16, 0x10000000ULL);
		put32(SRAT_AT + off + 28, 1);
	}
	header(SRAT_AT, "SRAT", off);
	put64(SLIT_AT + 36, 2);
	uint8_t dist[4] = { 10, 21, 21, 10 };
	memcpy(fake_mem + SLIT_AT + 44, dist, 4);
	header(SLIT_AT, "SLIT", 48);
	uint32_t t[] = { SLIT_AT, SRAT_AT, MADT_AT };	/* NUMA before MADT */
	rsdt(t, 3);
	rsdp(0, RSDT_AT, 0);

	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_int_equal(plat.nr_nodes, 2);
	assert_int_equal(plat.cpus[1].node, 0);
	assert_int_equal(plat.cpus[2].node, 1);
	assert_int_equal(plat.nr_mem, 2);
	assert_int_equal(plat.mem[1].base, 0x10000000);
	assert_int_equal(plat.distance[0][1], 21);
	assert_int_equal(plat.distance[1][1], 10);
}

static void slit_too_big_for_its_table(void **state)
{
	(void)state;
	qemu_tables(1, false);
	put64(SLIT_AT + 36, 200);	/* 40000 bytes of matrix in 48 */
	header(SLIT_AT, "SLIT", 48);
	uint32_t t[] = { MADT_AT, SLIT_AT };
	rsdt(t, 2);
	rsdp(0, RSDT_AT, 0);
	assert_int_equal(acpi_parse(&fake, RSDP_AT, &plat), 0);
	assert_true(log_contains("SLIT: 200 localities do not fit"));
	assert_int_equal(plat.distance[0][0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_rsdt_four_cpus),
		cmocka_unit_test(xsdt_preferred_when_revision_2),
		cmocka_unit_test(bad_xsdt_falls_back_to_rsdt),
		cmocka_unit_test(many_cpus_capacity),
		cmocka_unit_test(disabled_and_x2apic_cpus),
		cmocka_unit_test(bad_rsdp_checksum),
		cmocka_unit_test(rsdp_in_ebda_and_from_hint),
		cmocka_unit_test(madt_bad_checksum_means_no_cpus),
		cmocka_unit_test(madt_zero_length_entry_stops),
		cmocka_unit_test(madt_entry_past_end),
		cmocka_unit_test(madt_short_entry_skipped),
		cmocka_unit_test(truncated_table_lengths),
		cmocka_unit_test(huge_length_and_unmapped),
		cmocka_unit_test(rsdt_outside_memory),
		cmocka_unit_test(numa_srat_and_slit),
		cmocka_unit_test(slit_too_big_for_its_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
