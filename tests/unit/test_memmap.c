// SPDX-License-Identifier: GPL-2.0
/* The physical memory map: firmware maps as QEMU gives them, and worse. */
#include "support.h"

#include <kitten/errno.h>
#include <kitten/memmap.h>

static struct memmap mm;

#define E(b, s, t) ((struct memmap_entry){ (b), (s), (t) })

static void expect(const struct memmap_entry *want, unsigned n)
{
	assert_int_equal(mm.nr, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(mm.entries[i].base, want[i].base);
		assert_int_equal(mm.entries[i].size, want[i].size);
		assert_int_equal(mm.entries[i].type, want[i].type);
	}
}

/* What QEMU's SeaBIOS reports for -m <ram>, pc machine. */
static void qemu_map(uint64_t ram)
{
	uint64_t low = ram >= 0xe0000000ULL ? 0xc0000000ULL : ram;

	memmap_init(&mm);
	memmap_add(&mm, 0, 0x9fc00, MEMMAP_USABLE);
	memmap_add(&mm, 0x9fc00, 0x400, MEMMAP_RESERVED);
	memmap_add(&mm, 0xf0000, 0x10000, MEMMAP_RESERVED);
	memmap_add(&mm, 0x100000, low - 0x100000 - 0x20000, MEMMAP_USABLE);
	memmap_add(&mm, low - 0x20000, 0x20000, MEMMAP_RESERVED);
	memmap_add(&mm, 0xfffc0000, 0x40000, MEMMAP_RESERVED);
	if (ram > low)
		memmap_add(&mm, 0x100000000ULL, ram - low, MEMMAP_USABLE);
	assert_int_equal(memmap_sanitize(&mm), 0);
	log_reset();
}

static void qemu_64m(void **state)
{
	(void)state;
	qemu_map(64 << 20);
	assert_int_equal(memmap_total(&mm, MEMMAP_USABLE),
			 0x9fc00 + (64 << 20) - 0x100000 - 0x20000);
	assert_int_equal(mm.nr, 6);
}

static void qemu_4g_has_memory_above_4g(void **state)
{
	(void)state;
	qemu_map(4ULL << 30);
	assert_int_equal(memmap_total(&mm, MEMMAP_USABLE),
			 0x9fc00 + 0xc0000000ULL - 0x100000 - 0x20000 + (1ULL << 30));
	assert_int_equal(mm.entries[mm.nr - 1].base, 0x100000000ULL);
	assert_int_equal(mm.entries[mm.nr - 1].type, MEMMAP_USABLE);
}

static void unsorted_overlapping_duplicates(void **state)
{
	(void)state;
	memmap_init(&mm);
	memmap_add(&mm, 0x300000, 0x100000, MEMMAP_USABLE);
	memmap_add(&mm, 0x100000, 0x300000, MEMMAP_USABLE);	/* overlaps */
	memmap_add(&mm, 0x100000, 0x300000, MEMMAP_USABLE);	/* duplicate */
	memmap_add(&mm, 0x200000, 0x1000, MEMMAP_RESERVED);	/* inside */
	memmap_add(&mm, 0x500000, 0, MEMMAP_RESERVED);		/* empty */
	assert_int_equal(memmap_sanitize(&mm), 0);
	const struct memmap_entry want[] = {
		E(0x100000, 0x100000, MEMMAP_USABLE),
		E(0x200000, 0x1000, MEMMAP_RESERVED),
		E(0x201000, 0x1ff000, MEMMAP_USABLE),
	};
	expect(want, 3);
}

static void restrictive_type_wins(void **state)
{
	(void)state;
	memmap_init(&mm);
	memmap_add(&mm, 0, 0x10000, MEMMAP_USABLE);
	memmap_add(&mm, 0x4000, 0x1000, MEMMAP_ACPI);
	memmap_add(&mm, 0x4800, 0x1000, MEMMAP_BAD);
	memmap_add(&mm, 0x8000, 0x1000, 99);	/* unknown: reserved */
	assert_int_equal(memmap_sanitize(&mm), 0);
	const struct memmap_entry want[] = {
		E(0, 0x4000, MEMMAP_USABLE),
		E(0x4000, 0x800, MEMMAP_ACPI),
		E(0x4800, 0x1000, MEMMAP_BAD),
		E(0x5800, 0x2800, MEMMAP_USABLE),
		E(0x8000, 0x1000, 99),
		E(0x9000, 0x7000, MEMMAP_USABLE),
	};
	expect(want, 6);
	assert_int_equal(memmap_total(&mm, MEMMAP_USABLE), 0x4000 + 0x2800 + 0x7000);
}

static void adjacent_same_type_merges(void **state)
{
	(void)state;
	memmap_init(&mm);
	memmap_add(&mm, 0x2000, 0x1000, MEMMAP_USABLE);
	memmap_add(&mm, 0x1000, 0x1000, MEMMAP_USABLE);
	memmap_add(&mm, 0x3000, 0x1000, MEMMAP_USABLE);
	assert_int_equal(memmap_sanitize(&mm), 0);
	const struct memmap_entry want[] = { E(0x1000, 0x3000, MEMMAP_USABLE) };
	expect(want, 1);
}

static void entry_running_past_2_to_64(void **state)
{
	(void)state;
	memmap_init(&mm);
	memmap_add(&mm, 0xfffffffffff00000ULL, 0x200000, MEMMAP_RESERVED);
	memmap_add(&mm, 0x1000, 0x1000, MEMMAP_USABLE);
	assert_int_equal(memmap_sanitize(&mm), 0);
	assert_int_equal(mm.nr, 2);
	assert_int_equal(mm.entries[1].base + mm.entries[1].size, UINT64_MAX);
}

static void reserve_splits_usable(void **state)
{
	(void)state;
	qemu_map(512 << 20);
	uint64_t before = memmap_total(&mm, MEMMAP_USABLE);

	assert_int_equal(memmap_reserve(&mm, 0x100000, 0x30000, MEMMAP_KERNEL), 0);
	assert_int_equal(memmap_reserve(&mm, 0x1000000, 0x5000, MEMMAP_MODULE), 0);
	assert_int_equal(memmap_total(&mm, MEMMAP_USABLE), before - 0x35000);
	assert_int_equal(memmap_total(&mm, MEMMAP_KERNEL), 0x30000);
	assert_int_equal(memmap_total(&mm, MEMMAP_MODULE), 0x5000);
	/* Reserving inside firmware-reserved space changes no usable byte. */
	assert_int_equal(memmap_reserve(&mm, 0xfffc0000, 0x1000, MEMMAP_KERNEL), 0);
	assert_int_equal(memmap_total(&mm, MEMMAP_USABLE), before - 0x35000);
}

static void clip_for_mem_argument(void **state)
{
	(void)state;
	qemu_map(4ULL << 30);
	memmap_clip(&mm, 96 << 20);
	assert_int_equal(memmap_total(&mm, MEMMAP_USABLE),
			 0x9fc00 + (96 << 20) - 0x100000);
	for (unsigned i = 0; i < mm.nr; i++)
		if (mm.entries[i].type == MEMMAP_USABLE)
			assert_true(mm.entries[i].base + mm.entries[i].size <=
				    (96 << 20));
	/* Firmware ranges above the limit are still known. */
	assert_int_equal(memmap_total(&mm, MEMMAP_RESERVED) > 0, 1);
}

static void capacity_overflow_is_refused(void **state)
{
	(void)state;
	memmap_init(&mm);
	for (int i = 0; i < MEMMAP_MAX_ENTRIES; i++)
		assert_int_equal(memmap_add(&mm, i * 0x2000ULL, 0x1000,
					    MEMMAP_USABLE), 0);
	assert_int_equal(memmap_add(&mm, 0x10000000, 0x1000, MEMMAP_USABLE),
			 -ENOSPC);
	assert_true(log_contains("more than"));
	assert_int_equal(memmap_sanitize(&mm), 0);
	assert_int_equal(mm.nr, MEMMAP_MAX_ENTRIES);
	/* A reservation that would need one more entry fails cleanly. */
	log_reset();
	assert_int_equal(memmap_reserve(&mm, 0x1800, 0x800, MEMMAP_KERNEL),
			 -ENOSPC);
	assert_int_equal(mm.nr, MEMMAP_MAX_ENTRIES);
	assert_int_equal(memmap_total(&mm, MEMMAP_USABLE),
			 MEMMAP_MAX_ENTRIES * 0x1000ULL);
}

static void type_names(void **state)
{
	(void)state;
	assert_string_equal(memmap_type_name(MEMMAP_USABLE), "usable");
	assert_string_equal(memmap_type_name(MEMMAP_KERNEL), "kernel");
	assert_string_equal(memmap_type_name(1234), "reserved (unknown type)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_64m),
		cmocka_unit_test(qemu_4g_has_memory_above_4g),
		cmocka_unit_test(unsorted_overlapping_duplicates),
		cmocka_unit_test(restrictive_type_wins),
		cmocka_unit_test(adjacent_same_type_merges),
		cmocka_unit_test(entry_running_past_2_to_64),
		cmocka_unit_test(reserve_splits_usable),
		cmocka_unit_test(clip_for_mem_argument),
		cmocka_unit_test(capacity_overflow_is_refused),
		cmocka_unit_test(type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
