// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's fw_cfg device model through the fixture: the items firmware
 * reads by port (signature, ID, CPU count, RAM size, the file directory
 * and etc/e820), zeros for unknown keys (logged once), the DMA interface
 * (select, read, skip, write refused, the error bit for any address that
 * is not guest RAM, and host memory never touched then), the Linux boot
 * items, and seeded random accesses.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/fw_cfg.h>
#include <stdlib.h>
#include <string.h>

#define RAM_SIZE (16u << 20)	/* the fixture's */
#define ACCESS 0x1000		/* a DMA access structure */
#define BUF 0x2000		/* where DMA puts data */
#define LOW_ONLY 0x4000		/* an access structure, its low half only */

static struct v3_vm *setup(unsigned vcpus, void **dev)
{
	struct v3_vm *vm = fx_vm_create(vcpus);

	*dev = fx_device(vm, &v3_dev_fw_cfg);
	log_reset();
	return vm;
}

static uint8_t *ram(struct v3_vm *vm)
{
	return (uint8_t *)(uintptr_t)vm->ram_hpa;
}

static void sel(struct v3_vm *vm, uint16_t key)
{
	fx_out(vm, FW_CFG_PORT_SEL, key, 2);
}

/* n bytes of the selected item, little-endian, by the data port. */
static uint64_t data(struct v3_vm *vm, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)fx_inb(vm, FW_CFG_PORT_DATA) << (8 * i);
	return v;
}

static void read_bytes(struct v3_vm *vm, uint16_t key, void *buf, unsigned n)
{
	sel(vm, key);
	for (unsigned i = 0; i < n; i++)
		((uint8_t *)buf)[i] = fx_inb(vm, FW_CFG_PORT_DATA);
}

static void put_be(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = v >> (8 * (n - 1 - i));
}

static uint64_t get_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* One DMA request with its access structure at gpa `at`; the control
 * word it leaves (0, or the error bit). */
static uint32_t dma_at(struct v3_vm *vm, uint64_t at, uint32_t control,
		       uint32_t length, uint64_t address)
{
	uint8_t *a = ram(vm) + at;

	put_be(a, control, 4);
	put_be(a + 4, length, 4);
	put_be(a + 8, address, 8);
	fx_out(vm, FW_CFG_PORT_DMA, __builtin_bswap32(at >> 32), 4);
	fx_out(vm, FW_CFG_PORT_DMA + 4, __builtin_bswap32((uint32_t)at), 4);
	return get_be(a, 4);
}

static uint32_t dma(struct v3_vm *vm, uint32_t control, uint32_t length,
		    uint64_t address)
{
	return dma_at(vm, ACCESS, control, length, address);
}

static void test_items_by_port(void **state)
{
	void *dev;
	struct v3_vm *vm = setup(4, &dev);
	char sig[5] = { 0 };

	(void)state;
	read_bytes(vm, FW_CFG_SIGNATURE, sig, 4);
	assert_string_equal(sig, "QEMU");
	assert_int_equal(fx_inb(vm, FW_CFG_PORT_DATA), 0);	/* past the end */
	sel(vm, FW_CFG_ID);
	assert_int_equal(data(vm, 4), FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA);
	sel(vm, FW_CFG_NB_CPUS);
	assert_int_equal(data(vm, 2), 4);
	sel(vm, FW_CFG_MAX_CPUS);
	assert_int_equal(data(vm, 2), 4);
	sel(vm, FW_CFG_RAM_SIZE);
	assert_int_equal(data(vm, 8), RAM_SIZE);
	/* Selecting again starts over; bit 14 (write mode) is the same item. */
	sel(vm, FW_CFG_SIGNATURE | 0x4000);
	assert_int_equal(data(vm, 1), 'Q');
	/* The DMA register reads as its signature. */
	assert_int_equal(fx_in(vm, FW_CFG_PORT_DMA, 4), 0x554d4551);	/* "QEMU" */
	assert_int_equal(fx_in(vm, FW_CFG_PORT_DMA + 4, 4), 0x47464320);	/* " CFG" */
	assert_false(log_contains("no item"));
	fx_vm_free(vm);
}

static void test_file_dir_and_e820(void **state)
{
	void *dev;
	struct v3_vm *vm = setup(1, &dev);
	uint8_t dir[4 + 64], e820[24];
	uint64_t addr, len;
	uint32_t type;

	(void)state;
	read_bytes(vm, FW_CFG_FILE_DIR, dir, sizeof(dir));
	assert_int_equal(get_be(dir, 4), 1);
	assert_int_equal(get_be(dir + 4, 4), 20);		/* size */
	assert_int_equal(get_be(dir + 8, 2), FW_CFG_FILE_FIRST);
	assert_string_equal((char *)dir + 12, "etc/e820");
	read_bytes(vm, FW_CFG_FILE_FIRST, e820, sizeof(e820));
	memcpy(&addr, e820, 8);
	memcpy(&len, e820 + 8, 8);
	memcpy(&type, e820 + 16, 4);
	assert_int_equal(addr, 0);
	assert_int_equal(len, RAM_SIZE);
	assert_int_equal(type, 1);
	assert_int_equal(get_be(e820 + 20, 4), 0);		/* past the end */
	fx_vm_free(vm);
}

static void test_unknown_key_reads_zeros_logged_once(void **state)
{
	void *dev;
	struct v3_vm *vm = setup(1, &dev);

	(void)state;
	sel(vm, 0x1234);
	assert_int_equal(data(vm, 8), 0);
	assert_true(log_contains("no item 0x1234"));
	sel(vm, 0x8003);
	assert_int_equal(data(vm, 4), 0);
	assert_false(log_contains("no item 0x8003"));
	fx_vm_free(vm);
}

static void test_dma_select_read_skip(void **state)
{
	void *dev;
	struct v3_vm *vm = setup(2, &dev);
	uint8_t *buf = ram(vm) + BUF;

	(void)state;
	memset(buf, 0xaa, 16);
	assert_int_equal(dma(vm, FW_CFG_NB_CPUS << 16 | FW_CFG_DMA_SELECT |
			     FW_CFG_DMA_READ, 2, BUF), 0);
	assert_int_equal(buf[0] | buf[1] << 8, 2);
	assert_int_equal(buf[2], 0xaa);
	/* Skip 2 of "QEMU", read 2, then past the end: zeros. */
	assert_int_equal(dma(vm, FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_SELECT |
			     FW_CFG_DMA_SKIP, 2, 0), 0);
	assert_int_equal(dma(vm, FW_CFG_DMA_READ, 4, BUF), 0);
	assert_memory_equal(buf, "MU\0\0", 4);
	/* The port sees the same offset: the item is used up. */
	assert_int_equal(fx_inb(vm, FW_CFG_PORT_DATA), 0);
	/* Without select, read or skip: nothing but the status. */
	assert_int_equal(dma(vm, 0, 4, BUF), 0);
	/* Only the low half written, as SeaBIOS does: the high half is 0,
	 * not what the last request left. */
	put_be(ram(vm) + LOW_ONLY, FW_CFG_ID << 16 | FW_CFG_DMA_SELECT |
	       FW_CFG_DMA_READ, 4);
	put_be(ram(vm) + LOW_ONLY + 4, 4, 4);
	put_be(ram(vm) + LOW_ONLY + 8, BUF, 8);
	fx_out(vm, FW_CFG_PORT_DMA + 4, __builtin_bswap32(LOW_ONLY), 4);
	assert_int_equal(get_be(ram(vm) + LOW_ONLY, 4), 0);
	assert_int_equal(buf[0], FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA);
	/* An access structure at an odd address works the same. */
	assert_int_equal(dma_at(vm, LOW_ONLY + 0x101, FW_CFG_NB_CPUS << 16 |
				FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 2, BUF + 1), 0);
	assert_int_equal(buf[1], 2);
	fx_vm_free(vm);
}

/* Every address that is not guest RAM for the whole length is refused
 * with the error bit, and the bytes around stay as they were. */
static void test_dma_outside_ram_is_an_error(void **state)
{
	void *dev;
	struct v3_vm *vm = setup(1, &dev);
	uint8_t *top = ram(vm) + RAM_SIZE - 4;
	const uint64_t bad[] = { RAM_SIZE, RAM_SIZE - 4, 0xd0000000ull,
				 0xfee00000ull, 1ull << 52, ~0ull - 2 };

	(void)state;
	memset(top, 0x5c, 4);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(dma(vm, FW_CFG_FILE_DIR << 16 | FW_CFG_DMA_SELECT |
				     FW_CFG_DMA_READ, 68, bad[i]),
				 FW_CFG_DMA_ERROR);
	assert_memory_equal(top, "\x5c\x5c\x5c\x5c", 4);
	/* A write is refused: nothing is writable. */
	assert_int_equal(dma(vm, FW_CFG_DMA_SELECT | FW_CFG_DMA_WRITE, 4, BUF),
			 FW_CFG_DMA_ERROR);
	/* An access structure outside RAM: nothing to answer, logged once. */
	dma_at(vm, 0, 0, 0, 0);		/* a valid one first */
	fx_out(vm, FW_CFG_PORT_DMA, 0, 4);
	fx_out(vm, FW_CFG_PORT_DMA + 4, __builtin_bswap32(RAM_SIZE - 8), 4);
	assert_true(log_contains("is not guest RAM"));
	fx_vm_free(vm);
}

static void test_linux_items(void **state)
{
	void *dev;
	struct v3_vm *vm = setup(1, &dev);
	static const uint8_t setup_bytes[1024] = { [0x1f1] = 1, [0x202] = 'H' };
	static const uint8_t kernel[3000] = { 1, 2, 3, [2999] = 9 };
	static const uint8_t initrd[100] = { 7, [99] = 8 };
	const struct v3_fw_cfg_linux l = {
		.setup = setup_bytes, .setup_size = sizeof(setup_bytes),
		.setup_addr = 0x90000, .kernel = kernel,
		.kernel_size = sizeof(kernel), .kernel_addr = 0x100000,
		.initrd = initrd, .initrd_size = sizeof(initrd),
		.initrd_addr = 0x7f00000, .cmdline = "console=ttyS0",
		.cmdline_addr = 0x20000,
	};
	uint8_t got[3000];

	(void)state;
	assert_int_equal(v3_fw_cfg_set_linux(dev, &l), 0);
	assert_int_equal(v3_fw_cfg_set_linux(dev, &l), -V3_EEXIST);
	sel(vm, FW_CFG_KERNEL_SIZE);
	assert_int_equal(data(vm, 4), sizeof(kernel));
	sel(vm, FW_CFG_KERNEL_ADDR);
	assert_int_equal(data(vm, 4), 0x100000);
	sel(vm, FW_CFG_INITRD_SIZE);
	assert_int_equal(data(vm, 4), sizeof(initrd));
	sel(vm, FW_CFG_INITRD_ADDR);
	assert_int_equal(data(vm, 4), 0x7f00000);
	sel(vm, FW_CFG_SETUP_SIZE);
	assert_int_equal(data(vm, 4), sizeof(setup_bytes));
	sel(vm, FW_CFG_CMDLINE_SIZE);
	assert_int_equal(data(vm, 4), sizeof("console=ttyS0"));
	read_bytes(vm, FW_CFG_CMDLINE_DATA, got, sizeof("console=ttyS0"));
	assert_string_equal((char *)got, "console=ttyS0");
	read_bytes(vm, FW_CFG_INITRD_DATA, got, sizeof(initrd));
	assert_memory_equal(got, initrd, sizeof(initrd));
	/* The kernel by DMA, as SeaBIOS's loader reads it. */
	assert_int_equal(dma(vm, FW_CFG_KERNEL_DATA << 16 | FW_CFG_DMA_SELECT |
			     FW_CFG_DMA_READ, sizeof(kernel), BUF), 0);
	assert_memory_equal(ram(vm) + BUF, kernel, sizeof(kernel));
	read_bytes(vm, FW_CFG_SETUP_DATA, got, sizeof(setup_bytes));
	assert_memory_equal(got, setup_bytes, sizeof(setup_bytes));
	fx_vm_free(vm);
}

/* Seeded random accesses to every port and DMA with random structures:
 * the device survives (ASan, UBSan), every DMA aimed outside RAM fails,
 * and it still answers afterwards. */
static void test_garbage(void **state)
{
	void *dev;
	struct v3_vm *vm = setup(3, &dev);
	char sig[5] = { 0 };

	(void)state;
	srand(0x510);
	for (unsigned i = 0; i < 20000; i++) {
		unsigned size = 1u << (rand() % 3);
		uint16_t port = FW_CFG_PORT_SEL + rand() % 12;
		uint32_t control = (uint32_t)rand() << 1 ^ rand(), length = rand() % 8192;
		uint64_t addr = rand() % 2 ? rand() % (RAM_SIZE + 8192) :
			       (uint64_t)rand() << 33 | rand();

		if (port == 0x512 || port == 0x513)
			continue;	/* not the device's */
		switch (rand() % 3) {
		case 0:
			fx_out(vm, port, (uint32_t)rand(), size);
			break;
		case 1:
			fx_in(vm, port, size);
			break;
		default:
			control &= ~FW_CFG_DMA_WRITE;
			if (dma(vm, control, length, addr) == 0 &&
			    (control & FW_CFG_DMA_READ) && length)
				assert_true(addr + length <= RAM_SIZE);
			break;
		}
	}
	read_bytes(vm, FW_CFG_SIGNATURE, sig, 4);
	assert_string_equal(sig, "QEMU");
	sel(vm, FW_CFG_NB_CPUS);
	assert_int_equal(data(vm, 2), 3);
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_by_port),
		cmocka_unit_test(test_file_dir_and_e820),
		cmocka_unit_test(test_unknown_key_reads_zeros_logged_once),
		cmocka_unit_test(test_dma_select_read_skip),
		cmocka_unit_test(test_dma_outside_ram_is_an_error),
		cmocka_unit_test(test_linux_items),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
