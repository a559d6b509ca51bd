// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of page rights on real page tables: aspace_protect splits a
 * 2 MiB page over the same physical memory and puts it back (giving the
 * table back to the allocator), copies rights to another address space,
 * and a user copy that meets a page it may not write fails with a count
 * instead of a kernel panic.
 */
#include <arch/irqflags.h>
#include <arch/layout.h>
#include <arch/usercopy.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/ktest.h>
#include <kitten/mm.h>
#include <kitten/string.h>

#define VA	0x40000000ULL		/* 1 GiB: 2 MiB aligned */
#define SIZE	(4ULL << 20)

/* An address space with 4 MiB of RW memory at VA, in 2 MiB pages. */
static struct aspace *make(struct ktest *t, paddr_t *pa)
{
	struct aspace *as;

	if (aspace_create(0, &as)) {
		ktest_fail(t, __FILE__, __LINE__, "aspace_create failed");
		return NULL;
	}
	KTEST_EXPECT_EQ(t, page_alloc_exact(SIZE, LARGE_PAGE_SIZE, pa), 0);
	KTEST_EXPECT_EQ(t, aspace_add_region(as, VA, SIZE,
					     ASPACE_R | ASPACE_W, "test"), 0);
	KTEST_EXPECT_EQ(t, aspace_map_pmem(as, VA, *pa, SIZE), 0);
	return as;
}

static void check_page(struct ktest *t, struct aspace *as, vaddr_t va,
		       paddr_t want, uint64_t want_size)
{
	paddr_t pa = 0;
	uint64_t size = 0;

	KTEST_EXPECT_EQ(t, aspace_virt_to_phys(as, va, &pa, &size), 0);
	KTEST_EXPECT_EQ(t, pa, want);
	KTEST_EXPECT_EQ(t, size, want_size);
}

static void split_and_merge(struct ktest *t)
{
	vaddr_t page = VA + 0x5000;
	struct aspace *as;
	paddr_t pa;

	as = make(t, &pa);
	if (!as)
		return;
	uint64_t mapped = mm_free_bytes();

	KTEST_EXPECT(t, aspace_range_ok(as, page, PAGE_SIZE, ASPACE_W));
	KTEST_EXPECT_EQ(t, aspace_protect(as, page, PAGE_SIZE, ASPACE_R), 0);
	KTEST_EXPECT(t, !aspace_range_ok(as, page, PAGE_SIZE, ASPACE_W));
	KTEST_EXPECT(t, aspace_range_ok(as, page, PAGE_SIZE, ASPACE_R));
	KTEST_EXPECT(t, aspace_range_ok(as, page - PAGE_SIZE, PAGE_SIZE, ASPACE_W));
	/* The 2 MiB page became 512 small ones over the same memory. */
	check_page(t, as, page, pa + 0x5000, PAGE_SIZE);
	check_page(t, as, VA + 0x1ff000, pa + 0x1ff000, PAGE_SIZE);
	check_page(t, as, VA + 0x200000, pa + 0x200000, LARGE_PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm_free_bytes(), mapped - PAGE_SIZE);

	KTEST_EXPECT_EQ(t, aspace_protect(as, page, PAGE_SIZE, 0), 0);
	KTEST_EXPECT(t, !aspace_range_ok(as, page, PAGE_SIZE, ASPACE_R));
	KTEST_EXPECT(t, aspace_range_ok(as, page, PAGE_SIZE, 0));

	/* Uniform again: a 2 MiB page, and the table is freed. */
	KTEST_EXPECT_EQ(t, aspace_protect(as, page, PAGE_SIZE,
					  ASPACE_R | ASPACE_W), 0);
	check_page(t, as, page, pa + 0x5000, LARGE_PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm_free_bytes(), mapped);

	/* More than the region allows, and outside it. */
	KTEST_EXPECT_EQ(t, aspace_protect(as, page, PAGE_SIZE, ASPACE_X), -EACCES);
	KTEST_EXPECT_EQ(t, aspace_protect(as, VA + SIZE, PAGE_SIZE, ASPACE_R),
			-ENOENT);
	KTEST_EXPECT_EQ(t, aspace_protect(as, page + 1, PAGE_SIZE, ASPACE_R),
			-EINVAL);
	aspace_put(as);
	page_free_range(pa, SIZE);
}

static void copy_protection(struct ktest *t)
{
	struct aspace *a, *b;
	paddr_t pa, pb;

	a = make(t, &pa);
	b = make(t, &pb);
	if (!a || !b)
		goto out;
	KTEST_EXPECT_EQ(t, aspace_protect(a, VA + 0x3000, 0x2000, ASPACE_R), 0);
	KTEST_EXPECT_EQ(t, aspace_protect(a, VA + 0x200000, 0x200000, 0), 0);
	mutex_lock(&b->lock);
	KTEST_EXPECT_EQ(t, aspace_copy_protection(b, VA, a, VA, SIZE), 0);
	mutex_unlock(&b->lock);
	KTEST_EXPECT(t, aspace_range_ok(b, VA, 0x3000, ASPACE_W));
	KTEST_EXPECT(t, !aspace_range_ok(b, VA + 0x3000, 0x1000, ASPACE_W));
	KTEST_EXPECT(t, !aspace_range_ok(b, VA + 0x4000, 0x1000, ASPACE_W));
	KTEST_EXPECT(t, aspace_range_ok(b, VA + 0x3000, 0x2000, ASPACE_R));
	KTEST_EXPECT(t, aspace_range_ok(b, VA + 0x5000, 0x1000, ASPACE_W));
	KTEST_EXPECT(t, !aspace_range_ok(b, VA + 0x200000, 0x1000, ASPACE_R));
	check_page(t, b, VA + 0x200000, pb + 0x200000, LARGE_PAGE_SIZE);
out:
	if (a) {
		aspace_put(a);
		page_free_range(pa, SIZE);
	}
	if (b) {
		aspace_put(b);
		page_free_range(pb, SIZE);
	}
}

/*
 * A system call checks a buffer, then another thread takes the right to
 * write it away: the copy must stop with a count, not panic. Here the
 * check is skipped and the copy meets the read-only page at once.
 */
static void user_copy_survives_a_fault(struct ktest *t)
{
	char buf[64] = "kitten", back[64];
	struct aspace *as;
	unsigned long flags;
	uint64_t left_ro, left_rw, left_read;
	paddr_t pa;

	as = make(t, &pa);
	if (!as)
		return;
	KTEST_EXPECT_EQ(t, aspace_protect(as, VA + PAGE_SIZE, PAGE_SIZE,
					  ASPACE_R), 0);
	/* No task switch may load other tables while this CPU uses as's. */
	flags = irq_save();
	aspace_activate(as);
	left_rw = user_copy((void *)(VA + PAGE_SIZE - 16), buf, 16);
	left_ro = user_copy((void *)(VA + PAGE_SIZE - 16), buf, 32);
	left_read = user_copy(back, (void *)(VA + PAGE_SIZE - 16), 32);
	aspace_activate(NULL);
	irq_restore(flags);
	KTEST_EXPECT_EQ(t, left_rw, 0);
	KTEST_EXPECT_EQ(t, left_ro, 16);	/* stopped at the page */
	KTEST_EXPECT_EQ(t, left_read, 0);
	KTEST_EXPECT(t, memcmp(back, buf, 16) == 0);
	aspace_put(as);
	page_free_range(pa, SIZE);
}

/*
 * An unmap that runs past its region is refused and unmaps nothing: a
 * job's kitten_aspace_unmap(self, va, huge) wiped the kernel's mappings
 * from its page table, a triple fault (sysfuzz seed 1 as uid 1000).
 */
static void unmap_stays_in_its_region(struct ktest *t)
{
	vaddr_t next = VA + SIZE;
	struct aspace *as;
	paddr_t pa, pb;

	as = make(t, &pa);
	if (!as)
		return;
	KTEST_EXPECT_EQ(t, page_alloc_exact(SIZE, LARGE_PAGE_SIZE, &pb), 0);
	KTEST_EXPECT_EQ(t, aspace_add_region(as, next, SIZE,
					     ASPACE_R | ASPACE_W, "next"), 0);
	KTEST_EXPECT_EQ(t, aspace_map_pmem(as, next, pb, SIZE), 0);
	KTEST_EXPECT_EQ(t, aspace_unmap(as, next - LARGE_PAGE_SIZE,
					2 * LARGE_PAGE_SIZE), -EFAULT);
	KTEST_EXPECT_EQ(t, aspace_unmap(as, VA, -VA - PAGE_SIZE), -EFAULT);
	check_page(t, as, next - LARGE_PAGE_SIZE, pa + SIZE - LARGE_PAGE_SIZE,
		   LARGE_PAGE_SIZE);
	check_page(t, as, next, pb, LARGE_PAGE_SIZE);
	/* Inside the region it still works. */
	KTEST_EXPECT_EQ(t, aspace_unmap(as, next - LARGE_PAGE_SIZE,
					LARGE_PAGE_SIZE), 0);
	KTEST_EXPECT(t, !aspace_range_ok(as, next - PAGE_SIZE, PAGE_SIZE, 0));
	aspace_put(as);
	page_free_range(pa, SIZE);
	page_free_range(pb, SIZE);
}

static const struct ktest_case aspace_cases[] = {
	KTEST_CASE(unmap_stays_in_its_region),
	KTEST_CASE(split_and_merge),
	KTEST_CASE(copy_protection),
	KTEST_CASE(user_copy_survives_a_fault),
};
KTEST_SUITE(aspace, aspace_cases);
