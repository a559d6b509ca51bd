// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page tables for guest memory laid out as v3_mem_layout puts a
 * big guest: every range mapped with the largest page whose guest and
 * host addresses are both aligned (1 GiB where this CPU has such pages,
 * 2 MiB, 4 KiB), never over a hooked page, and each address translated
 * to its own host address. Host addresses are only numbers here: the
 * builder writes tables, never guest memory.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/paging.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

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

static void *identity(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

static const struct v3_pt_pages tables = { .to_virt = identity };

static bool cpu_has_1g(void)
{
	uint32_t a = 0x80000001, b, c = 0, d;

	__asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d & (1u << 26);
}

/* The host address and page size gpa is mapped with; 0 when unmapped. */
static uint64_t translate(struct v3_vm *vm, uint64_t gpa, uint64_t *size)
{
	uint64_t *e = v3_pt_lookup(&tables, vm->npt_root, 4, gpa, size);

	if (!e || !(*e & PTE_P))
		return 0;
	return (*e & 0x000ffffffffff000ull & ~(*size - 1)) + (gpa & (*size - 1));
}

/* A 6 GiB guest: [0, 3 GiB) at host 4 GiB, [4 GiB, 7 GiB) at host 7 GiB,
 * with the legacy VGA window hooked over its first MiB. */
static void test_big_guest(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	bool huge = cpu_has_1g();
	uint64_t size;

	(void)state;
	vm->mem = (struct v3_mem_map){ 0 };
	assert_int_equal(v3_mem_add_ram(&vm->mem, 0, 3 * GiB, 4 * GiB), 0);
	assert_int_equal(v3_mem_add_ram(&vm->mem, 4 * GiB, 3 * GiB, 7 * GiB), 0);
	assert_int_equal(v3_mem_hook(&vm->mem, 0xa0000, 0x20000, &ops, NULL), 0);
	assert_int_equal(v3_npt_build(vm), 0);

	/* [0, 2 MiB) in 4 KiB pages but the 32 hooked ones; 2 MiB pages to
	 * 1 GiB; then 1 GiB pages, or 2 MiB pages on a CPU without them. */
	assert_int_equal(vm->npt_pages[0], 512 - 32);
	if (huge) {
		assert_int_equal(vm->npt_pages[1], 511);
		assert_int_equal(vm->npt_pages[2], 2 + 3);
	} else {
		assert_int_equal(vm->npt_pages[1], 511 + (5 * GiB) / (2 * MiB));
		assert_int_equal(vm->npt_pages[2], 0);
	}
	assert_int_equal(translate(vm, 0xa0000, &size), 0);	/* hooked */
	assert_int_equal(translate(vm, 0x1000, &size), 4 * GiB + 0x1000);
	assert_int_equal(size, 4096);
	assert_int_equal(translate(vm, 3 * MiB + 5, &size), 4 * GiB + 3 * MiB + 5);
	assert_int_equal(size, 2 * MiB);
	assert_int_equal(translate(vm, 2 * GiB + 123, &size), 6 * GiB + 123);
	assert_int_equal(size, huge ? GiB : 2 * MiB);
	assert_int_equal(translate(vm, 3 * GiB + 4096, &size), 0);	/* the window */
	assert_int_equal(translate(vm, 7 * GiB - 8, &size), 10 * GiB - 8);
	assert_int_equal(translate(vm, 7 * GiB, &size), 0);	/* past the end */
	v3_npt_free(vm);
	fx_vm_free(vm);
}

/* Host and guest aligned differently: the largest page both allow. */
static void test_misaligned_host(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	uint64_t size;

	(void)state;
	vm->mem = (struct v3_mem_map){ 0 };
	/* 1 GiB + 2 MiB of host at 1 GiB + 2 MiB: 2 MiB pages only. */
	assert_int_equal(v3_mem_add_ram(&vm->mem, 0, GiB + 2 * MiB,
					GiB + 2 * MiB), 0);
	assert_int_equal(v3_npt_build(vm), 0);
	assert_int_equal(vm->npt_pages[2], 0);
	assert_int_equal(vm->npt_pages[1], 513);
	assert_int_equal(vm->npt_pages[0], 0);
	assert_int_equal(translate(vm, GiB, &size), 2 * GiB + 2 * MiB);
	v3_npt_free(vm);
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_guest),
		cmocka_unit_test(test_misaligned_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
