// SPDX-License-Identifier: GPL-2.0
/*
 * Where a VM's RAM lies in guest-physical memory (v3_mem_layout): all
 * from 0 up to 3 GiB, then the rest from 4 GiB, the device window
 * between never RAM, and the sizes always adding up.
 */
#include "support.h"

#include <palacios/host.h>
#include <palacios/mem.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void test_small_guest_is_one_range(void **state)
{
	struct v3_ram_range r[2];

	(void)state;
	assert_int_equal(v3_mem_layout(512 * MiB, r), 1);
	assert_true(r[0].start == 0 && r[0].end == 512 * MiB);
	assert_int_equal(v3_mem_layout(3 * GiB, r), 1);
	assert_true(r[0].end == V3_LOW_RAM_TOP);
}

static void test_big_guest_skips_the_window(void **state)
{
	struct v3_ram_range r[2];

	(void)state;
	assert_int_equal(v3_mem_layout(3 * GiB + 4096, r), 2);
	assert_true(r[0].start == 0 && r[0].end == 3 * GiB);
	assert_true(r[1].start == 4 * GiB && r[1].end == 4 * GiB + 4096);
	assert_int_equal(v3_mem_layout(8 * GiB, r), 2);
	assert_true(r[1].start == 4 * GiB && r[1].end == 9 * GiB);
}

/* Every page-multiple size: the ranges add up, start 1 GiB aligned, and
 * none touches [3 GiB, 4 GiB), where the PCI BARs, the IOAPIC and the
 * local APICs are. */
static void test_every_size_adds_up(void **state)
{
	struct v3_ram_range r[2];

	(void)state;
	for (uint64_t size = 4096; size <= 64 * GiB; size = size * 3 / 2 + 4096) {
		unsigned n = v3_mem_layout(size & ~4095ULL, r);
		uint64_t total = 0;

		for (unsigned i = 0; i < n; i++) {
			total += r[i].end - r[i].start;
			assert_int_equal(r[i].start % GiB, 0);
			assert_false(r[i].start < 4 * GiB && r[i].end > 3 * GiB);
		}
		assert_int_equal(total, size & ~4095ULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_guest_is_one_range),
		cmocka_unit_test(test_big_guest_skips_the_window),
		cmocka_unit_test(test_every_size_adds_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
