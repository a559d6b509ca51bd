// SPDX-License-Identifier: GPL-2.0
/*
 * The guest page-table walker against hand-built tables in all three
 * paging modes: translations, large pages, combined permissions, the
 * page-fault error codes the CPU would report, and accessed/dirty bits.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#include <palacios/host.h>
#include <palacios/paging.h>

#define MEM_SIZE (8u << 20)
static uint8_t *mem;

static int mem_read(void *ctx, uint64_t gpa, uint64_t *val, unsigned size)
{
	(void)ctx;
	if (gpa + size > MEM_SIZE)
		return -V3_EINVAL;
	*val = 0;
	memcpy(val, mem + gpa, size);
	return 0;
}

static int mem_write(void *ctx, uint64_t gpa, uint64_t val, unsigned size)
{
	(void)ctx;
	if (gpa + size > MEM_SIZE)
		return -V3_EINVAL;
	memcpy(mem + gpa, &val, size);
	return 0;
}

static const struct v3_gpt_mem gmem = { NULL, mem_read, mem_write };

static void put32(uint64_t gpa, uint32_t v) { memcpy(mem + gpa, &v, 4); }
static void put64(uint64_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }
static uint64_t get64(uint64_t gpa) { uint64_t v; memcpy(&v, mem + gpa, 8); return v; }
static uint32_t get32(uint64_t gpa) { uint32_t v; memcpy(&v, mem + gpa, 4); return v; }

static int setup(void **state)
{
	(void)state;
	mem = calloc(1, MEM_SIZE);
	return mem ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static int walk(struct v3_gpt_request rq, uint64_t gva, struct v3_gpt_result *r)
{
	return v3_gpt_walk(&gmem, &rq, gva, r);
}

/* 32-bit: PD at 0x1000, PT at 0x2000; 0x00400000 -> 0x5000 (4 KiB),
 * 0x00800000 -> a 4 MiB page at 0x400000 with PSE. */
static void test_32bit(void **state)
{
	struct v3_gpt_request rq = { .mode = V3_GPT_32, .cr3 = 0x1000, .pse = true,
				     .wp = true };
	struct v3_gpt_result r;

	(void)state;
	memset(mem, 0, MEM_SIZE);
	put32(0x1000 + 1 * 4, 0x2000 | PTE_P | PTE_W | PTE_U);
	put32(0x2000 + 0 * 4, 0x5000 | PTE_P | PTE_W);
	put32(0x1000 + 2 * 4, 0x400000 | PTE_P | PTE_PS);

	assert_int_equal(walk(rq, 0x00400123, &r), 0);
	assert_int_equal(r.gpa, 0x5123);
	assert_int_equal(r.page_size, 4096);
	assert_true(r.writable);
	assert_false(r.user);		/* the PTE has no U bit */

	assert_int_equal(walk(rq, 0x00812345, &r), 0);
	assert_int_equal(r.gpa, 0x412345);
	assert_int_equal(r.page_size, 4u << 20);
	assert_false(r.writable);

	/* Without PSE, the PS bit is ignored: the entry is a table. */
	rq.pse = false;
	put32(0x400000 + 0x12 * 4, 0x9000 | PTE_P);
	assert_int_equal(walk(rq, 0x00812345, &r), 0);
	assert_int_equal(r.page_size, 4096);
	assert_int_equal(r.gpa, 0x9345);
	rq.pse = true;

	/* Not present: error code P=0, with W and U as accessed. */
	rq.write = true;
	rq.user = true;
	assert_int_equal(walk(rq, 0x00c00000, &r), V3_GPT_FAULT);
	assert_int_equal(r.pf_error, PF_W | PF_U);
	/* A user read of a supervisor page: P=1, U. */
	rq.write = false;
	assert_int_equal(walk(rq, 0x00400000, &r), V3_GPT_FAULT);
	assert_int_equal(r.pf_error, PF_P | PF_U);
}

static void test_32bit_write_protect(void **state)
{
	struct v3_gpt_request rq = { .mode = V3_GPT_32, .cr3 = 0x1000, .pse = true,
				     .write = true };
	struct v3_gpt_result r;

	(void)state;
	memset(mem, 0, MEM_SIZE);
	put32(0x1000 + 2 * 4, 0x400000 | PTE_P | PTE_PS);	/* read-only */
	/* CR0.WP clear: the kernel may write a read-only page. */
	assert_int_equal(walk(rq, 0x00800000, &r), 0);
	rq.wp = true;
	assert_int_equal(walk(rq, 0x00800000, &r), V3_GPT_FAULT);
	assert_int_equal(r.pf_error, PF_P | PF_W);
}

static void test_accessed_dirty(void **state)
{
	struct v3_gpt_request rq = { .mode = V3_GPT_32, .cr3 = 0x1000, .wp = true,
				     .set_ad = true };
	struct v3_gpt_result r;

	(void)state;
	memset(mem, 0, MEM_SIZE);
	put32(0x1000 + 1 * 4, 0x2000 | PTE_P | PTE_W);
	put32(0x2000, 0x5000 | PTE_P | PTE_W);

	assert_int_equal(walk(rq, 0x00400000, &r), 0);
	assert_true(get32(0x1000 + 4) & PTE_A);
	assert_true(get32(0x2000) & PTE_A);
	assert_false(get32(0x2000) & PTE_D);
	assert_false(r.dirty);
	rq.write = true;
	assert_int_equal(walk(rq, 0x00400000, &r), 0);
	assert_true(get32(0x2000) & PTE_D);
	assert_false(get32(0x1000 + 4) & PTE_D);	/* only the leaf */
	assert_true(r.dirty);

	/* A faulting walk changes nothing. */
	put32(0x2004, 0x6000 | PTE_P);
	assert_int_equal(walk(rq, 0x00401000, &r), V3_GPT_FAULT);
	assert_int_equal(get32(0x2004), 0x6000 | PTE_P);
}

/* PAE: PDPT at 0x1000 (32-byte aligned CR3), PD at 0x2000, PT at 0x3000. */
static void test_pae(void **state)
{
	struct v3_gpt_request rq = { .mode = V3_GPT_PAE, .cr3 = 0x1000, .nxe = true,
				     .wp = true };
	struct v3_gpt_result r;

	(void)state;
	memset(mem, 0, MEM_SIZE);
	put64(0x1000 + 3 * 8, 0x2000 | PTE_P);		/* 0xc0000000 - */
	put64(0x2000 + 1 * 8, 0x3000 | PTE_P | PTE_W | PTE_U);
	put64(0x3000 + 5 * 8, 0x7000 | PTE_P | PTE_U | PTE_NX);
	put64(0x2000 + 2 * 8, 0x600000 | PTE_P | PTE_W | PTE_PS);

	assert_int_equal(walk(rq, 0xc0205abc, &r), 0);
	assert_int_equal(r.gpa, 0x7abc);
	assert_true(r.user);
	assert_true(r.nx);
	assert_false(r.writable);

	assert_int_equal(walk(rq, 0xc0412345, &r), 0);
	assert_int_equal(r.gpa, 0x612345);
	assert_int_equal(r.page_size, 2u << 20);

	/* Fetch from an NX page: P, I/D. */
	rq.fetch = true;
	assert_int_equal(walk(rq, 0xc0205000, &r), V3_GPT_FAULT);
	assert_int_equal(r.pf_error, PF_P | PF_I);
	/* NX ignored without EFER.NXE. */
	rq.nxe = false;
	assert_int_equal(walk(rq, 0xc0205000, &r), 0);
}

/* 64-bit: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000. */
static void test_long_mode(void **state)
{
	struct v3_gpt_request rq = { .mode = V3_GPT_64, .cr3 = 0x1000, .wp = true,
				     .set_ad = true };
	struct v3_gpt_result r;
	uint64_t va = 0xffff800000000000ull | (1ull << 30) | (3ull << 21) | (7ull << 12);

	(void)state;
	memset(mem, 0, MEM_SIZE);
	put64(0x1000 + 256 * 8, 0x2000 | PTE_P | PTE_W);
	put64(0x2000 + 1 * 8, 0x3000 | PTE_P | PTE_W);
	put64(0x3000 + 3 * 8, 0x4000 | PTE_P | PTE_W);
	put64(0x4000 + 7 * 8, 0x9000 | PTE_P | PTE_W);
	put64(0x2000 + 2 * 8, 0x40000000 | PTE_P | PTE_PS);	/* 1 GiB */
	put64(0x3000 + 4 * 8, 0x200000 | PTE_P | PTE_W | PTE_PS);

	assert_int_equal(walk(rq, va | 0x42, &r), 0);
	assert_int_equal(r.gpa, 0x9042);
	assert_true(get64(0x1000 + 256 * 8) & PTE_A);

	assert_int_equal(walk(rq, 0xffff800000000000ull | (2ull << 30) | 0x1234567, &r), 0);
	assert_int_equal(r.page_size, 1u << 30);
	assert_int_equal(r.gpa, 0x41234567);

	rq.write = true;
	assert_int_equal(walk(rq, 0xffff800000000000ull | (1ull << 30) | (4ull << 21) | 0x10, &r), 0);
	assert_int_equal(r.page_size, 2u << 20);
	assert_int_equal(r.gpa, 0x200010);
	assert_true(get64(0x3000 + 4 * 8) & PTE_D);

	/* A table outside guest memory is an error, not a guest fault. */
	put64(0x1000 + 0 * 8, 0x7ff000000ull | PTE_P);
	assert_true(walk(rq, 0x1000, &r) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_32bit),
		cmocka_unit_test(test_32bit_write_protect),
		cmocka_unit_test(test_accessed_dirty),
		cmocka_unit_test(test_pae),
		cmocka_unit_test(test_long_mode),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
