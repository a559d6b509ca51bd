// SPDX-License-Identifier: GPL-2.0
/*
 * The vDSO (kitten/vdso, layout in kitten/vdso.h). At boot its image is
 * copied into pages of its own, after a page with the clock's
 * parameters; every address space maps both, read-only, at the same
 * place, so a process reads the clock in user space wherever it was
 * loaded from (exec, fork, or a job the init task built).
 */
#include <arch/layout.h>
#include <arch/time.h>
#include <kitten/aspace.h>
#include <kitten/exec.h>
#include <kitten/mm.h>
#include <kitten/panic.h>
#include <kitten/string.h>
#include <kitten/vdso.h>

_Static_assert(VDSO_DATA_VA == USER_SLOT_SIZE - (1ULL << 20),
	       "the vDSO belongs in the guard above the stack");

extern const char vdso_image_start[], vdso_image_end[];

static paddr_t vdso_pages;	/* the data page, then the text */

void vdso_init(void)
{
	uint64_t size = vdso_image_end - vdso_image_start;
	char *pages;

	if (size > VDSO_TEXT_MAX)
		panic("vDSO image of %lu bytes: at most %u", size, VDSO_TEXT_MAX);
	if (page_alloc_exact(PAGE_SIZE + VDSO_TEXT_MAX, PAGE_SIZE, &vdso_pages))
		panic("no memory for the vDSO");
	pages = __va(vdso_pages);
	memset(pages, 0, PAGE_SIZE + VDSO_TEXT_MAX);
	time_vdso_fill((struct vdso_time *)pages);
	memcpy(pages + PAGE_SIZE, vdso_image_start, size);
}

bool vdso_region(vaddr_t start)
{
	return start == VDSO_DATA_VA || start == VDSO_TEXT_VA;
}

int vdso_map(struct aspace *as)
{
	int err;

	err = aspace_add_region(as, VDSO_DATA_VA, PAGE_SIZE, ASPACE_R, "vvar");
	if (!err)
		err = aspace_map_pmem(as, VDSO_DATA_VA, vdso_pages, PAGE_SIZE);
	if (!err)
		err = aspace_add_region(as, VDSO_TEXT_VA, VDSO_TEXT_MAX,
					ASPACE_R | ASPACE_X, "vdso");
	if (!err)
		err = aspace_map_pmem(as, VDSO_TEXT_VA, vdso_pages + PAGE_SIZE,
				      VDSO_TEXT_MAX);
	return err;
}
