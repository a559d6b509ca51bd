// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in devices through the fixture: the debug console, the debug
 * exit port and the test device (MMIO page, MSR, POST port).
 */
#include "support.h"
#include "v3_fixture.h"

static void test_debugcon_and_exit(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);

	(void)state;
	fx_device(vm, &v3_dev_debugcon);
	fx_device(vm, &v3_dev_debug_exit);
	assert_int_equal(fx_inb(vm, 0xe9), 0xe9);
	fx_outb(vm, 0xe9, 'o');
	fx_outb(vm, 0xe9, 'k');
	assert_string_equal(fx_console(vm), "ok");
	assert_string_equal(fx_stop_reason(vm), "");
	fx_out(vm, 0xf4, 3, 4);
	assert_string_equal(fx_stop_reason(vm), "guest exit, status 3");
	assert_int_equal(vm->exit_status, 3);
	fx_vm_free(vm);
}

static void test_testdev(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	const struct v3_msr_hook *msr;
	uint64_t val;

	(void)state;
	fx_device(vm, &v3_dev_testdev);
	assert_int_equal(fx_mmio_read(vm, 0xd0000000, 8), 0);
	fx_mmio_write(vm, 0xd0000ff8, 0x1122334455667788ull, 8);
	assert_int_equal(fx_mmio_read(vm, 0xd0000ffc, 4), 0x11223344);
	assert_int_equal(fx_mmio_read(vm, 0xd0000ff8, 1), 0x88);

	msr = v3_find_msr_hook(&vm->hooks, 0x40000100);
	assert_non_null(msr);
	assert_int_equal(msr->read(vm->vcpus[0], 0x40000100, &val, msr->priv), 0);
	assert_int_equal(val, 0x0123456789abcdefull);
	msr->write(vm->vcpus[0], 0x40000100, 42, msr->priv);
	msr->read(vm->vcpus[0], 0x40000100, &val, msr->priv);
	assert_int_equal(val, 42);

	fx_outb(vm, 0x80, 0x55);
	assert_int_equal(fx_inb(vm, 0x80), 0xff);
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debugcon_and_exit),
		cmocka_unit_test(test_testdev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
