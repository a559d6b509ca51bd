// SPDX-License-Identifier: GPL-2.0
/*
 * Removing port and memory hooks at run time (v3_unhook_io,
 * v3_mem_unhook), as the PCI bus does when the guest moves a BAR: the
 * range is free again, only an exact match is removed, other hooks keep
 * working, and a full table reuses removed slots.
 */
#include "support.h"
#include "v3_fixture.h"

static int io_in(struct v3_vcpu *v, uint16_t port, void *data, unsigned size,
		 void *priv)
{
	(void)v, (void)port, (void)size;
	*(uint8_t *)data = (uint8_t)(uintptr_t)priv;
	return 0;
}

static int io_out(struct v3_vcpu *v, uint16_t port, const void *data,
		  unsigned size, void *priv)
{
	(void)v, (void)port, (void)data, (void)size, (void)priv;
	return 0;
}

static int mm_read(struct v3_vcpu *v, uint64_t gpa, void *buf, unsigned len,
		   void *priv)
{
	(void)v, (void)gpa, (void)len;
	*(uint8_t *)buf = (uint8_t)(uintptr_t)priv;
	return 0;
}

static int mm_write(struct v3_vcpu *v, uint64_t gpa, const void *buf,
		    unsigned len, void *priv)
{
	(void)v, (void)gpa, (void)buf, (void)len, (void)priv;
	return 0;
}

static const struct v3_mmio_ops mm_ops = { mm_read, mm_write };

#define TAG(n) ((void *)(uintptr_t)(n))

static void test_unhook_io(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);

	(void)state;
	assert_int_equal(v3_hook_io(vm, 0x100, 0x10f, io_in, io_out, TAG(1)), 0);
	assert_int_equal(v3_hook_io(vm, 0x200, 0x203, io_in, io_out, TAG(2)), 0);
	/* Only the exact range is removed. */
	assert_int_equal(v3_unhook_io(vm, 0x100, 0x107), -V3_ENOENT);
	assert_int_equal(v3_unhook_io(vm, 0x300, 0x300), -V3_ENOENT);
	assert_int_equal(v3_unhook_io(vm, 0x100, 0x10f), 0);
	assert_null(v3_find_io_hook(&vm->hooks, 0x100));
	assert_null(v3_find_io_hook(&vm->hooks, 0x10f));
	assert_int_equal(v3_unhook_io(vm, 0x100, 0x10f), -V3_ENOENT);
	assert_int_equal(fx_inb(vm, 0x201), 2);

	/* The range is free again, also for an overlapping hook. */
	assert_int_equal(v3_hook_io(vm, 0x108, 0x117, io_in, io_out, TAG(3)), 0);
	assert_int_equal(fx_inb(vm, 0x110), 3);
	assert_null(v3_find_io_hook(&vm->hooks, 0x100));
	/* A removed hook over the whole space must not block anything. */
	assert_int_equal(v3_unhook_io(vm, 0x108, 0x117), 0);
	assert_int_equal(v3_hook_io(vm, 0xffff, 0xffff, io_in, io_out, TAG(4)), 0);
	assert_int_equal(v3_unhook_io(vm, 0xffff, 0xffff), 0);
	assert_null(v3_find_io_hook(&vm->hooks, 0xffff));
	assert_null(v3_find_io_hook(&vm->hooks, 0));
	fx_vm_free(vm);
}

static void test_unhook_io_full_table(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);

	(void)state;
	for (unsigned i = 0; i < V3_MAX_IO_HOOKS; i++)
		assert_int_equal(v3_hook_io(vm, 0x1000 + 4 * i, 0x1003 + 4 * i,
					    io_in, io_out, TAG(i)), 0);
	assert_int_equal(v3_hook_io(vm, 0x2000, 0x2000, io_in, io_out, TAG(0)),
			 -V3_ENOSPC);
	assert_int_equal(v3_unhook_io(vm, 0x1010, 0x1013), 0);
	assert_int_equal(v3_unhook_io(vm, 0x1020, 0x1023), 0);
	/* Removed slots are reused once the table is full. */
	assert_int_equal(v3_hook_io(vm, 0x2000, 0x2000, io_in, io_out, TAG(0xaa)), 0);
	assert_int_equal(v3_hook_io(vm, 0x3000, 0x3000, io_in, io_out, TAG(0xbb)), 0);
	assert_int_equal(v3_hook_io(vm, 0x4000, 0x4000, io_in, io_out, TAG(0)),
			 -V3_ENOSPC);
	assert_int_equal(fx_inb(vm, 0x2000), 0xaa);
	assert_int_equal(fx_inb(vm, 0x3000), 0xbb);
	assert_int_equal(fx_inb(vm, 0x1014), 5);
	assert_null(v3_find_io_hook(&vm->hooks, 0x1010));
	assert_int_equal(vm->hooks.nr_io, V3_MAX_IO_HOOKS);
	fx_vm_free(vm);
}

static void test_mem_unhook(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	struct v3_mem_map *map = &vm->mem;
	uint64_t hpa;

	(void)state;
	assert_int_equal(v3_mem_hook(map, 0xe0000000, 0x2000, &mm_ops, TAG(1)), 0);
	/* A hook over RAM hides it; removing the hook gives it back. */
	assert_int_equal(v3_mem_hook(map, 0x10000, 0x1000, &mm_ops, TAG(2)), 0);
	assert_false(v3_mem_ram_hpa(map, 0x10000, 4, &hpa));
	assert_int_equal(v3_mem_unhook(map, 0x10000, 0x2000), -V3_ENOENT);
	assert_int_equal(v3_mem_unhook(map, 0x10000, 0x1000), 0);
	assert_true(v3_mem_ram_hpa(map, 0x10000, 4, &hpa));
	assert_null(v3_mem_find(map, 0x10000)->ops);

	assert_int_equal(v3_mem_unhook(map, 0xe0001000, 0x1000), -V3_ENOENT);
	assert_int_equal(v3_mem_unhook(map, 0xe0000000, 0x2000), 0);
	assert_null(v3_mem_find(map, 0xe0000000));
	assert_false(v3_mem_hooked(map, 0xe0000000, 0x2000));
	assert_int_equal(v3_mem_unhook(map, 0xe0000000, 0x2000), -V3_ENOENT);
	/* Free for a new hook that overlaps the old one. */
	assert_int_equal(v3_mem_hook(map, 0xe0001000, 0x1000, &mm_ops, TAG(3)), 0);
	assert_int_equal(fx_mmio_read(vm, 0xe0001000, 1), 3);
	fx_vm_free(vm);
}

static void test_mem_unhook_full_table(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	struct v3_mem_map *map = &vm->mem;

	(void)state;
	for (unsigned i = 0; i < V3_MEM_MAX_REGIONS; i++)
		assert_int_equal(v3_mem_hook(map, 0xe0000000 + 0x1000ull * i,
					     0x1000, &mm_ops, TAG(i)), 0);
	assert_int_equal(v3_mem_hook(map, 0xf0000000, 0x1000, &mm_ops, TAG(0)),
			 -V3_ENOSPC);
	assert_int_equal(v3_mem_unhook(map, 0xe0003000, 0x1000), 0);
	assert_int_equal(v3_mem_hook(map, 0xf0000000, 0x1000, &mm_ops, TAG(0xcc)), 0);
	assert_int_equal(v3_mem_hook(map, 0xf0001000, 0x1000, &mm_ops, TAG(0)),
			 -V3_ENOSPC);
	assert_int_equal(fx_mmio_read(vm, 0xf0000000, 1), 0xcc);
	assert_int_equal(fx_mmio_read(vm, 0xe0004000, 1), 4);
	assert_null(v3_mem_find(map, 0xe0003000));
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unhook_io),
		cmocka_unit_test(test_unhook_io_full_table),
		cmocka_unit_test(test_mem_unhook),
		cmocka_unit_test(test_mem_unhook_full_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
