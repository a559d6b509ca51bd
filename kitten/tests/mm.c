// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of physical memory on the real machine: the amount the
 * allocator holds matches the memory map, every free page can be
 * allocated, written and given back, and large contiguous blocks exist.
 *
 * ktest.mem=SIZE tells the suite how much RAM the test gave the machine
 * (QEMU -m, or mem=), so it can check the firmware map against it, under
 * BIOS and UEFI alike.
 */
#include <arch/bootinfo.h>
#include <arch/layout.h>
#include <arch/usercopy.h>
#include <kitten/cmdline.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/ktest.h>
#include <kitten/memmap.h>
#include <kitten/mm.h>
#include <kitten/string.h>

/*
 * RAM a firmware map may leave out altogether: the legacy hole (640 KiB -
 * 1 MiB), and under BIOS PXE the memory iPXE hides from the e820 map while
 * it stays resident for GRUB's PXE driver (about 700 KiB).
 */
#define UNDESCRIBED_SLACK MiB(2)

/* Bytes of [base, base + len) inside [lo, hi). */
static uint64_t overlap(uint64_t base, uint64_t len, uint64_t lo, uint64_t hi)
{
	uint64_t a = MAX(base, lo), b = MIN(base + len, hi);

	return b > a ? b - a : 0;
}

/* Bytes of [lo, hi) the firmware's map calls usable. */
static uint64_t firmware_usable(uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < boot_info.nr_regions; i++)
		if (boot_info.regions[i].type == MEMMAP_USABLE)
			n += overlap(boot_info.regions[i].base,
				     boot_info.regions[i].len, lo, hi);
	return n;
}

/*
 * The memory map the firmware gave describes the RAM the test gave the
 * machine (ktest.mem=, or mem=), and the kernel holds all of what it
 * calls usable. The firmware keeps part of the RAM for itself: under
 * BIOS a few KiB below 1 MiB and at the top of low memory; under UEFI
 * megabytes of runtime services, ACPI NVS and reserved ranges scattered
 * through RAM. So the configured size is compared with the usable ranges
 * plus the firmware's own ranges below that size, not with the usable
 * ones alone. The kernel's RAM is the usable ranges less what it keeps
 * out of them: the first MiB, and above it only the loader's information
 * structure (which GRUB may also put in a gap of the kernel's image).
 */
static void memory_size_as_configured(struct ktest *t)
{
	const struct memmap *mm = mm_memmap();
	const struct boot_info *bi = &boot_info;
	uint64_t expect, limit = ~0ULL, ram = 0, usable, kept = 0;
	uint64_t low, withheld = 0;

	if (cmdline_get_size(bi->cmdline, "ktest.mem", &expect)) {
		ktest_fail(t, __FILE__, __LINE__, "no ktest.mem= argument");
		return;
	}
	cmdline_get_size(bi->cmdline, "mem", &limit);
	usable = firmware_usable(0, limit);
	low = firmware_usable(0, MIN(MiB(1), limit));
	for (unsigned i = 0; i < bi->nr_regions; i++)
		if (bi->regions[i].type != MEMMAP_USABLE)
			kept += overlap(bi->regions[i].base, bi->regions[i].len,
					0, expect);

	/* Everything we track that is RAM: usable plus what we reserved. */
	for (unsigned i = 0; i < mm->nr; i++) {
		const struct memmap_entry *e = &mm->entries[i];

		if (e->type == MEMMAP_USABLE || e->type == MEMMAP_KERNEL ||
		    e->type == MEMMAP_MODULE)
			ram += e->size;
		else if (e->base + e->size > MiB(1))
			withheld += firmware_usable(MAX(e->base, MiB(1)),
						    MIN(e->base + e->size, limit));
	}

	KTEST_EXPECT(t, usable <= expect);
	if (usable + kept + UNDESCRIBED_SLACK < expect)
		ktest_fail(t, __FILE__, __LINE__,
			   "the map describes %lu KiB usable + %lu KiB the "
			   "firmware's of the %lu KiB configured",
			   usable >> 10, kept >> 10, expect >> 10);
	KTEST_EXPECT(t, withheld <= ALIGN_UP(bi->info_end, PAGE_SIZE) -
				     ALIGN_DOWN(bi->info_start, PAGE_SIZE));
	KTEST_EXPECT_EQ(t, ram, usable - low - withheld);
}

/*
 * Every usable byte of the map is in the allocator, and all of it is free
 * except what the kernel allocated since (heap, stacks, per-CPU data).
 */
static void allocator_holds_all_usable_memory(struct ktest *t)
{
	uint64_t usable = memmap_total(mm_memmap(), MEMMAP_USABLE);

	KTEST_EXPECT_EQ(t, mm_managed_bytes(), usable);
	KTEST_EXPECT(t, mm_free_bytes() <= usable);
	KTEST_EXPECT(t, usable - mm_free_bytes() < MiB(8));
}

/*
 * Take every free page, largest blocks first, chaining the blocks through
 * their first word; write each page; check and free them all.
 */
static void allocate_all_memory(struct ktest *t)
{
	uint64_t before = mm_free_bytes(), got = 0, pages = 0;
	paddr_t head = 0, pa;
	const uint64_t marker = 0x6b697474656e0000ULL;	/* "kitten" */

	for (int order = CONFIG_BUDDY_MAX_ORDER; order >= 0; order--) {
		while (page_alloc(order, &pa) == 0) {
			uint64_t *block = __va(pa);

			KTEST_EXPECT(t, IS_ALIGNED(pa, PAGE_SIZE << order));
			for (uint64_t p = 0; p < (1ULL << order); p++)
				block[p * PAGE_SIZE / 8 + 1] = marker + pages + p;
			block[0] = head;
			block[2] = order;
			head = pa;
			got += PAGE_SIZE << order;
			pages += 1ULL << order;
		}
	}
	KTEST_EXPECT_EQ(t, got, before);
	KTEST_EXPECT_EQ(t, mm_free_bytes(), 0);

	/* Walk back in reverse order of allocation, checking the markers. */
	while (head) {
		uint64_t *block = __va(head);
		uint64_t order = block[2], n = 1ULL << order;
		paddr_t next = block[0];

		pages -= n;
		for (uint64_t p = 0; p < n; p++)
			if (block[p * PAGE_SIZE / 8 + 1] != marker + pages + p) {
				ktest_fail(t, __FILE__, __LINE__,
					   "page %#lx lost its marker",
					   head + p * PAGE_SIZE);
				break;
			}
		KTEST_EXPECT_EQ(t, page_free(head), 0);
		head = next;
	}
	KTEST_EXPECT_EQ(t, mm_free_bytes(), before);
}

static void bad_free_is_refused(struct ktest *t)
{
	uint64_t before = mm_free_bytes();
	paddr_t pa;

	KTEST_EXPECT_EQ(t, page_alloc(1, &pa), 0);
	KTEST_EXPECT_EQ(t, page_free(pa + PAGE_SIZE), -EINVAL);	/* interior */
	KTEST_EXPECT_EQ(t, page_free(pa), 0);
	KTEST_EXPECT_EQ(t, page_free(pa), -EINVAL);		/* double */
	KTEST_EXPECT_EQ(t, mm_free_bytes(), before);
}

static void large_contiguous_block(struct ktest *t)
{
	uint64_t expect = 0;
	unsigned order = 21 - PAGE_SHIFT + 5;	/* 64 MiB */
	paddr_t pa;

	cmdline_get_size(boot_info.cmdline, "ktest.mem", &expect);
	if (expect < MiB(256))
		order = 21 - PAGE_SHIFT + 3;	/* 16 MiB on small machines */
	KTEST_EXPECT_EQ(t, page_alloc(order, &pa), 0);
	KTEST_EXPECT(t, IS_ALIGNED(pa, PAGE_SIZE << order));
	page_free(pa);
}

static void kernel_heap(struct ktest *t)
{
	void *p[64];

	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		size_t size = 1 + i * 97;

		p[i] = kmem_alloc(size);
		KTEST_EXPECT(t, p[i] != NULL);
		if (p[i]) {
			KTEST_EXPECT(t, IS_ALIGNED((uintptr_t)p[i], 16));
			memset(p[i], i, size);
		}
	}
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		uint8_t *b = p[i];

		if (b)
			KTEST_EXPECT(t, b[0] == i && b[i * 97] == i);
		kmem_free(p[i]);
	}
}

/*
 * The user copy faulting on a user address (as when another thread
 * unmaps a buffer after it was checked) returns what it could not copy,
 * not a panic.
 * Kernel threads run on the kernel's page tables, which map nothing in
 * the user half.
 */
static void user_copy_fault_is_efault(struct ktest *t)
{
	uint8_t *unmapped = (uint8_t *)0x700000000000ULL;
	uint8_t buf[16] = { 1 }, src[16];

	KTEST_EXPECT_EQ(t, user_copy(buf, unmapped, sizeof(buf)), sizeof(buf));
	KTEST_EXPECT_EQ(t, user_copy(unmapped + 8, buf, sizeof(buf)), sizeof(buf));
	memset(src, 7, sizeof(src));
	KTEST_EXPECT_EQ(t, user_copy(buf, src, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, buf[15], 7);
}

static const struct ktest_case mm_cases[] = {
	KTEST_CASE(memory_size_as_configured),
	KTEST_CASE(allocator_holds_all_usable_memory),
	KTEST_CASE(allocate_all_memory),
	KTEST_CASE(bad_free_is_refused),
	KTEST_CASE(large_contiguous_block),
	KTEST_CASE(kernel_heap),
	KTEST_CASE(user_copy_fault_is_efault),
};
KTEST_SUITE(mm, mm_cases);
