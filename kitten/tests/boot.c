// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the boot path: what the loader told us, the CPU state the
 * early code set up, the kernel page tables and the symbol table.
 */
#include <arch/bootinfo.h>
#include <arch/cpufeature.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/x86.h>
#include <kitten/ksyms.h>
#include <kitten/ktest.h>
#include <kitten/memmap.h>
#include <kitten/mm.h>
#include <kitten/string.h>

extern const char _kernel_start[], _kernel_end[], _etext[];
void kernel_main(uint32_t magic, uint32_t info);

static void bootinfo_complete(struct ktest *t)
{
	KTEST_EXPECT(t, boot_info.protocol != NULL);
	KTEST_EXPECT(t, boot_info.nr_regions > 0);
	/* We were started with ktest= on the command line, so we have one. */
	KTEST_EXPECT(t, strncmp(boot_info.cmdline, "ktest=", 6) == 0 ||
				strchr(boot_info.cmdline, ' ') != NULL);
}

static void long_mode_state(struct ktest *t)
{
	uint64_t efer = rdmsr(MSR_EFER);

	KTEST_EXPECT(t, boot_cpu_has(X86_FEATURE_LM));
	KTEST_EXPECT(t, efer & EFER_LME);
	KTEST_EXPECT(t, read_cr0() & CR0_WP);
	KTEST_EXPECT(t, read_cr4() & CR4_PGE);
	if (boot_cpu_has(X86_FEATURE_NX))
		KTEST_EXPECT(t, efer & EFER_NXE);
}

static void kernel_image_reserved(struct ktest *t)
{
	const struct memmap *mm = mm_memmap();
	paddr_t start = __pa(_kernel_start), end = __pa(_kernel_end);
	bool covered = false;

	for (unsigned i = 0; i < mm->nr; i++) {
		const struct memmap_entry *e = &mm->entries[i];

		if (e->type == MEMMAP_KERNEL && e->base <= start &&
		    e->base + e->size >= end)
			covered = true;
		/* No usable range may overlap the image. */
		if (e->type == MEMMAP_USABLE)
			KTEST_EXPECT(t, e->base >= end || e->base + e->size <= start);
	}
	KTEST_EXPECT(t, covered);
}

static void direct_map_covers_ram(struct ktest *t)
{
	const struct memmap *mm = mm_memmap();

	for (unsigned i = 0; i < mm->nr; i++) {
		const struct memmap_entry *e = &mm->entries[i];
		paddr_t pa;

		if (e->type != MEMMAP_USABLE)
			continue;
		/* First and last page of each range translate back exactly. */
		KTEST_EXPECT_EQ(t, pgtable_lookup(&kernel_pgtable,
						  (vaddr_t)__va(e->base), &pa,
						  NULL, NULL), 0);
		KTEST_EXPECT_EQ(t, pa, e->base);
		KTEST_EXPECT_EQ(t, pgtable_lookup(&kernel_pgtable,
						  (vaddr_t)__va(e->base + e->size - 1),
						  &pa, NULL, NULL), 0);
		KTEST_EXPECT_EQ(t, pa, e->base + e->size - 1);
	}
}

static void user_half_empty(struct ktest *t)
{
	/* The boot identity map is gone: low addresses belong to user space. */
	KTEST_EXPECT(t, pgtable_lookup(&kernel_pgtable, 0x100000, NULL, NULL,
				       NULL) != 0);
	KTEST_EXPECT(t, pgtable_lookup(&kernel_pgtable, 0, NULL, NULL, NULL) != 0);
	KTEST_EXPECT_EQ(t, read_cr3(), kernel_pgtable.root);
}

static void direct_map_large_pages(struct ktest *t)
{
	uint64_t size = 0;

	/* 2 MiB-aligned RAM is mapped with 2 MiB (or 1 GiB) pages. */
	KTEST_EXPECT_EQ(t, pgtable_lookup(&kernel_pgtable,
					  (vaddr_t)__va(MiB(2)), NULL, NULL,
					  &size), 0);
	KTEST_EXPECT(t, size >= LARGE_PAGE_SIZE);
}

static void symbol_lookup(struct ktest *t)
{
	uint64_t off = ~0ULL, size = 0;
	const char *name = ksym_lookup((uint64_t)kernel_main, &off, &size);

	KTEST_EXPECT(t, name && strcmp(name, "kernel_main") == 0);
	KTEST_EXPECT_EQ(t, off, 0);
	KTEST_EXPECT(t, size > 0 && size < 4096);
	name = ksym_lookup((uint64_t)kernel_main + 5, &off, &size);
	KTEST_EXPECT(t, name && strcmp(name, "kernel_main") == 0);
	KTEST_EXPECT_EQ(t, off, 5);
	KTEST_EXPECT(t, ksym_lookup((uint64_t)_etext + 16, &off, &size) == NULL);
}

static void formatting(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%5d|%-4x|%08lx|%s|%c|%%", -42, 0xab,
		 0x1234UL, "str", 'z');
	KTEST_EXPECT(t, strcmp(buf, "  -42|ab  |00001234|str|z|%") == 0);
	KTEST_EXPECT_EQ(t, snprintf(buf, 4, "%s", "truncated"), 9);
	KTEST_EXPECT(t, strcmp(buf, "tru") == 0);
}

static const struct ktest_case boot_cases[] = {
	KTEST_CASE(bootinfo_complete),
	KTEST_CASE(long_mode_state),
	KTEST_CASE(kernel_image_reserved),
	KTEST_CASE(direct_map_covers_ram),
	KTEST_CASE(user_half_empty),
	KTEST_CASE(direct_map_large_pages),
	KTEST_CASE(symbol_lookup),
	KTEST_CASE(formatting),
};
KTEST_SUITE(boot, boot_cases);
