// SPDX-License-Identifier: GPL-2.0
/*
 * The guest-physical memory map: RAM regions, passed-through device
 * memory, hooks over RAM and over holes, and every refusal (overlap,
 * misalignment, full table).
 */
#include "support.h"

#include <palacios/host.h>
#include <palacios/mem.h>

static int rd(struct v3_vcpu *v, uint64_t gpa, void *buf, unsigned len, void *p)
{
	(void)v, (void)gpa, (void)buf, (void)len, (void)p;
	return 0;
}

static int wr(struct v3_vcpu *v, uint64_t gpa, const void *buf, unsigned len,
	      void *p)
{
	(void)v, (void)gpa, (void)buf, (void)len, (void)p;
	return 0;
}

static const struct v3_mmio_ops ops = { rd, wr };

static void test_ram_and_hooks(void **state)
{
	struct v3_mem_map map = { 0 };
	const struct v3_mem_region *r;
	uint64_t hpa;

	(void)state;
	assert_int_equal(v3_mem_add_ram(&map, 0, 16 << 20, 0x40000000), 0);
	assert_int_equal(v3_mem_hook(&map, 0xa0000, 0x20000, &ops, NULL), 0);
	assert_int_equal(v3_mem_hook(&map, 0xd0000000, 4096, &ops, &map), 0);

	assert_true(v3_mem_ram_hpa(&map, 0x1000, 8, &hpa));
	assert_int_equal(hpa, 0x40001000);
	/* Hooked RAM is not RAM to the VMM. */
	assert_false(v3_mem_ram_hpa(&map, 0xa0000, 1, &hpa));
	assert_false(v3_mem_ram_hpa(&map, 0x9ffff, 2, &hpa));
	/* Past the end of RAM, or straddling it. */
	assert_false(v3_mem_ram_hpa(&map, 16 << 20, 1, &hpa));
	assert_false(v3_mem_ram_hpa(&map, (16 << 20) - 4, 8, &hpa));

	r = v3_mem_find(&map, 0xb0000);
	assert_non_null(r);
	assert_ptr_equal(r->ops, &ops);
	r = v3_mem_find(&map, 0xd0000fff);
	assert_ptr_equal(r->priv, &map);
	assert_null(v3_mem_find(&map, 0xd0001000));
	r = v3_mem_find(&map, 0x100000);
	assert_null(r->ops);
	assert_true(v3_mem_hooked(&map, 0x9f000, 0x2000));
	assert_false(v3_mem_hooked(&map, 0x9f000, 0x1000));
}

/* Device memory backs page tables like RAM, but the VMM never touches it. */
static void test_device_memory(void **state)
{
	struct v3_mem_map map = { 0 };
	uint64_t hpa;
	bool device;

	(void)state;
	assert_int_equal(v3_mem_add_ram(&map, 0, 16 << 20, 0x40000000), 0);
	assert_int_equal(v3_mem_add_device(&map, 0xff000000, 0x10000, 0xff000000), 0);
	assert_int_equal(v3_mem_add_device(&map, 0xff00f000, 0x1000, 0), -V3_EEXIST);

	assert_true(v3_mem_backing(&map, 0xff001008, 8, &hpa, &device));
	assert_int_equal(hpa, 0xff001008);
	assert_true(device);
	assert_true(v3_mem_backing(&map, 0x2000, 8, &hpa, &device));
	assert_int_equal(hpa, 0x40002000);
	assert_false(device);
	assert_false(v3_mem_ram_hpa(&map, 0xff001008, 8, &hpa));
	assert_false(v3_mem_backing(&map, 0xff00fffc, 8, &hpa, &device));
	assert_false(v3_mem_backing(&map, 0xff010000, 1, &hpa, &device));

	/* A hook over it wins, as over RAM. */
	assert_int_equal(v3_mem_hook(&map, 0xff002000, 0x1000, &ops, NULL), 0);
	assert_false(v3_mem_backing(&map, 0xff002000, 4, &hpa, &device));
}

static void test_refusals(void **state)
{
	struct v3_mem_map map = { 0 };

	(void)state;
	assert_int_equal(v3_mem_add_ram(&map, 0x1001, 4096, 0), -V3_EINVAL);
	assert_int_equal(v3_mem_add_ram(&map, 0, 4097, 0), -V3_EINVAL);
	assert_int_equal(v3_mem_add_ram(&map, 0, 4096, 0x10), -V3_EINVAL);
	assert_int_equal(v3_mem_add_ram(&map, 0, 0, 0), -V3_EINVAL);
	assert_int_equal(v3_mem_add_ram(&map, ~0xfffull, 0x2000, 0), -V3_EINVAL);
	assert_int_equal(v3_mem_add_ram(&map, 0x100000, 0x100000, 0), 0);
	assert_int_equal(v3_mem_add_ram(&map, 0x1ff000, 0x2000, 0), -V3_EEXIST);
	assert_int_equal(v3_mem_hook(&map, 0x1000, 0x1000, NULL, NULL), -V3_EINVAL);
	assert_int_equal(v3_mem_hook(&map, 0x1000, 0x2000, &ops, NULL), 0);
	assert_int_equal(v3_mem_hook(&map, 0x2000, 0x1000, &ops, NULL), -V3_EEXIST);
	for (unsigned i = map.nr_hooks; i < V3_MEM_MAX_REGIONS; i++)
		assert_int_equal(v3_mem_hook(&map, 0x10000000 + i * 0x1000ull,
					     0x1000, &ops, NULL), 0);
	assert_int_equal(v3_mem_hook(&map, 0x20000000, 0x1000, &ops, NULL),
			 -V3_ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ram_and_hooks),
		cmocka_unit_test(test_device_memory),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
