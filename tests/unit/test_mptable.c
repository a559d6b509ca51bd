// SPDX-License-Identifier: GPL-2.0
/* MP table parsing, on tables built in a fake physical memory. */
#include "support.h"
#include "firmware.h"

#include <kitten/errno.h>

#define FLOAT_AT  0xf5000
#define CONFIG_AT 0xf6000

static struct platform plat;
static size_t cfg_len;
static uint16_t cfg_entries;

static void entry(const uint8_t *e, size_t len)
{
	memcpy(fake_mem + CONFIG_AT + cfg_len, e, len);
	cfg_len += len;
	cfg_entries++;
}

static void cpu(uint8_t apic, uint8_t flags)
{
	uint8_t e[20] = { 0, apic, 0x14, flags };

	entry(e, 20);
}

static void finish(void)
{
	memcpy(fake_mem + CONFIG_AT, "PCMP", 4);
	put16(CONFIG_AT + 4, cfg_len);
	put8(CONFIG_AT + 6, 4);
	put16(CONFIG_AT + 34, cfg_entries);
	put32(CONFIG_AT + 36, 0xfee00000);
	fix_checksum(CONFIG_AT, cfg_len, CONFIG_AT + 7);

	memcpy(fake_mem + FLOAT_AT, "_MP_", 4);
	put32(FLOAT_AT + 4, CONFIG_AT);
	put8(FLOAT_AT + 8, 1);
	put8(FLOAT_AT + 9, 4);
	fix_checksum(FLOAT_AT, 16, FLOAT_AT + 10);
	log_reset();
}

/* Two CPUs, an ISA bus, one IOAPIC, ISA IRQ 0 wired to input 2. */
static void two_cpu_table(void)
{
	memset(fake_mem, 0, sizeof(fake_mem));
	cfg_len = 44;
	cfg_entries = 0;
	cpu(0, 3);
	cpu(1, 1);
	uint8_t bus[8] = { 1, 0, 'I', 'S', 'A', ' ', ' ', ' ' };
	entry(bus, 8);
	uint8_t io[8] = { 2, 4, 0x11, 1, 0x00, 0x00, 0xc0, 0xfe };
	entry(io, 8);
	uint8_t irq0[8] = { 3, 0, 0, 0, 0, 0, 4, 2 };	/* bus 0 IRQ 0 -> pin 2 */
	entry(irq0, 8);
	uint8_t irq1[8] = { 3, 0, 0, 0, 0, 1, 4, 1 };	/* identity: no override */
	entry(irq1, 8);
	finish();
}

static void valid_table(void **state)
{
	(void)state;
	two_cpu_table();
	assert_int_equal(mptable_parse(&fake, &plat), 0);
	assert_string_equal(plat.source, "MP table");
	assert_int_equal(plat.nr_cpus, 2);
	assert_true(plat.cpus[0].bsp);
	assert_false(plat.cpus[1].bsp);
	assert_int_equal(plat.lapic_address, 0xfee00000);
	assert_int_equal(plat.nr_ioapics, 1);
	assert_int_equal(plat.ioapics[0].id, 4);
	assert_int_equal(plat.ioapics[0].address, 0xfec00000);
	assert_int_equal(plat.nr_overrides, 1);
	assert_int_equal(plat.overrides[0].irq, 0);
	assert_int_equal(plat.overrides[0].gsi, 2);
}

static void disabled_cpu_not_listed(void **state)
{
	(void)state;
	memset(fake_mem, 0, sizeof(fake_mem));
	cfg_len = 44;
	cfg_entries = 0;
	cpu(0, 3);
	cpu(1, 0);
	finish();
	assert_int_equal(mptable_parse(&fake, &plat), 0);
	assert_int_equal(plat.nr_cpus, 1);
}

static void bad_config_checksum(void **state)
{
	(void)state;
	two_cpu_table();
	fake_mem[CONFIG_AT + 50] ^= 1;
	assert_int_equal(mptable_parse(&fake, &plat), -EINVAL);
	assert_true(log_contains("bad checksum"));
}

static void bad_floating_checksum_not_found(void **state)
{
	(void)state;
	two_cpu_table();
	fake_mem[FLOAT_AT + 12] ^= 1;
	assert_int_equal(mptable_parse(&fake, &plat), -ENOENT);
}

static void unknown_entry_type_stops(void **state)
{
	(void)state;
	memset(fake_mem, 0, sizeof(fake_mem));
	cfg_len = 44;
	cfg_entries = 0;
	cpu(0, 3);
	uint8_t weird[8] = { 0x80, 0, 0, 0, 0, 0, 0, 0 };
	entry(weird, 8);
	cpu(1, 1);
	finish();
	assert_int_equal(mptable_parse(&fake, &plat), 0);
	assert_int_equal(plat.nr_cpus, 1);
	assert_true(log_contains("unknown entry type 128"));
}

static void entry_count_beyond_length(void **state)
{
	(void)state;
	two_cpu_table();
	put16(CONFIG_AT + 34, 1000);	/* more entries than bytes */
	fix_checksum(CONFIG_AT, cfg_len, CONFIG_AT + 7);
	assert_int_equal(mptable_parse(&fake, &plat), 0);
	assert_int_equal(plat.nr_cpus, 2);
}

static void found_in_ebda(void **state)
{
	(void)state;
	two_cpu_table();
	memmove(fake_mem + 0x9fc00, fake_mem + FLOAT_AT, 16);
	memset(fake_mem + FLOAT_AT, 0, 16);
	put16(0x40e, 0x9fc0);
	assert_int_equal(mptable_parse(&fake, &plat), 0);
	assert_int_equal(plat.nr_cpus, 2);
}

static void not_found(void **state)
{
	(void)state;
	memset(fake_mem, 0, sizeof(fake_mem));
	assert_int_equal(mptable_parse(&fake, &plat), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_table),
		cmocka_unit_test(disabled_cpu_not_listed),
		cmocka_unit_test(bad_config_checksum),
		cmocka_unit_test(bad_floating_checksum_not_found),
		cmocka_unit_test(unknown_entry_type_stops),
		cmocka_unit_test(entry_count_beyond_length),
		cmocka_unit_test(found_in_ebda),
		cmocka_unit_test(not_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
