// SPDX-License-Identifier: GPL-2.0
/*
 * Program loading (see exec.h). The initial stack follows the System V
 * x86_64 ABI (argc, argv, envp, auxiliary vector), so the same static
 * binary runs here and on Linux.
 */
#define pr_fmt(fmt) "exec: " fmt

#include <arch/layout.h>
#include <arch/x86.h>
#include <kitten/aspace.h>
#include <kitten/elf.h>
#include <kitten/errno.h>
#include <kitten/exec.h>
#include <kitten/pmem.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/vdso.h>

#define PIE_BASE	0x400000ULL		/* where a static-PIE goes */
#define STACK_SIZE	(2ULL << 20)
#define STACK_TOP	(USER_SLOT_SIZE - (2ULL << 20))	/* a guard above */

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_SYSINFO_EHDR	33
#define NR_AUXV		9	/* pairs, AT_NULL included */

static unsigned perms_of(uint32_t elf_flags)
{
	return (elf_flags & ELF_PF_R ? ASPACE_R : 0) |
	       (elf_flags & ELF_PF_W ? ASPACE_W : 0) |
	       (elf_flags & ELF_PF_X ? ASPACE_X : 0);
}

/*
 * Each page of the image gets the rights of its segments (text RX,
 * read-only data R, data RW, nothing between segments) and the heap
 * after it RW, so no page is both writable and executable.
 */
static int protect_image(struct aspace *as, const struct elf_image *img,
			 uint64_t bias, uint64_t size)
{
	uint64_t end, heap_end = img->lowest + size;
	uint32_t flags;
	int err = 0;

	for (uint64_t va = img->lowest; va < img->highest && !err; va = end) {
		end = elf_flags_run(img, va, &flags);
		err = aspace_protect(as, va + bias, end - va, perms_of(flags));
	}
	if (!err && heap_end > img->highest)
		err = aspace_protect(as, img->highest + bias,
				     heap_end - img->highest,
				     ASPACE_R | ASPACE_W);
	return err;
}

/*
 * One region for the image plus the heap, with the rights of all its
 * segments; the pages then get their own (protect_image).
 */
static int load_image(struct aspace *as, const struct inode *file,
		      const struct elf_image *img, uint64_t bias, uint64_t heap)
{
	uint64_t span = img->highest - img->lowest + heap;
	uint64_t size = ALIGN_UP(span, LARGE_PAGE_SIZE);
	unsigned perms = 0;
	paddr_t pa;
	int err;

	err = pmem_alloc(as->owner, size, LARGE_PAGE_SIZE, &pa);
	if (err)
		return err;
	memset(__va(pa), 0, size);
	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *s = &img->segs[i];

		memcpy((char *)__va(pa) + (s->vaddr - img->lowest),
		       (const char *)file->data + s->offset, s->filesz);
		perms |= perms_of(s->flags);
	}
	/* The most any page may get: the heap must be writable. */
	err = aspace_add_region(as, img->lowest + bias, size, perms | ASPACE_W,
				"image");
	if (!err)
		err = aspace_map_pmem(as, img->lowest + bias, pa, size);
	if (!err)
		err = protect_image(as, img, bias, size);
	/* brk() grows up from the image's end, mmap() down from the top. */
	as->brk_start = as->brk = img->highest + bias;
	as->brk_limit = as->mmap_low = img->lowest + bias + size;
	return err;
}

/* Copy a string to the top of the stack; returns its user address. */
static uint64_t push_string(char **k, uint64_t *u, const char *s)
{
	size_t len = strlen(s) + 1;

	*k -= len;
	*u -= len;
	memcpy(*k, s, len);
	return *u;
}

/* argc, argv, envp and the auxiliary vector below the strings. */
static uint64_t build_stack(char *top, const char *const *argv, int argc,
			    const char *const *envp, int envc,
			    const struct elf_image *img, uint64_t bias)
{
	uint64_t u = STACK_TOP, random, *sp, words;
	char *k = top;
	uint64_t ptr[argc + envc + 1];
	unsigned i = 0;

	for (int a = argc - 1; a >= 0; a--)
		ptr[a] = push_string(&k, &u, argv[a]);
	for (int e = envc - 1; e >= 0; e--)
		ptr[argc + e] = push_string(&k, &u, envp[e]);
	k -= 16;
	u -= 16;
	for (int b = 0; b < 16; b++)	/* AT_RANDOM: seeds stack canaries */
		k[b] = (char)(rdtsc() >> (b % 8));
	random = u;

	words = 1 + argc + 1 + envc + 1 + 2 * NR_AUXV;
	u = (u - words * 8) & ~15ULL;	/* rsp 16-byte aligned at entry */
	sp = (uint64_t *)(top - (STACK_TOP - u));
	sp[i++] = argc;
	for (int a = 0; a < argc; a++)
		sp[i++] = ptr[a];
	sp[i++] = 0;
	for (int e = 0; e < envc; e++)
		sp[i++] = ptr[argc + e];
	sp[i++] = 0;
	sp[i++] = AT_PHDR;	sp[i++] = img->phdr_vaddr + bias;
	sp[i++] = AT_PHENT;	sp[i++] = img->phentsize;
	sp[i++] = AT_PHNUM;	sp[i++] = img->phnum;
	sp[i++] = AT_PAGESZ;	sp[i++] = PAGE_SIZE;
	sp[i++] = AT_ENTRY;	sp[i++] = img->entry + bias;
	sp[i++] = AT_CLKTCK;	sp[i++] = 100;
	sp[i++] = AT_RANDOM;	sp[i++] = random;
	sp[i++] = AT_SYSINFO_EHDR; sp[i++] = VDSO_TEXT_VA;
	sp[i++] = AT_NULL;	sp[i++] = 0;
	return u;
}

int exec_load(const struct inode *file, const char *const *argv, int argc,
	      const char *const *envp, int envc, uint64_t heap,
	      unsigned owner, struct exec_image *out, const char **why)
{
	struct elf_image img;
	struct aspace *as;
	uint64_t bias, strings = 0;
	paddr_t stack;
	int err;

	if ((file->mode & 0170000) != 0100000) {
		*why = "not a regular file";
		return -EACCES;
	}
	err = elf_parse(file->data, file->size, &img, why);
	if (err)
		return err;
	for (int i = 0; i < argc; i++)
		strings += strlen(argv[i]) + 1 + 8;
	for (int i = 0; i < envc; i++)
		strings += strlen(envp[i]) + 1 + 8;
	if (strings > STACK_SIZE / 4) {
		*why = "arguments too long";
		return -E2BIG;
	}
	err = aspace_create(owner, &as);
	if (err)
		return err;
	if (!owner) {		/* its memory dies with it */
		as->owner = as->id;
		as->owns_memory = true;
	}
	bias = img.pie ? PIE_BASE - img.lowest : 0;
	err = load_image(as, file, &img, bias, heap);
	if (!err)
		err = pmem_alloc(as->owner, STACK_SIZE, LARGE_PAGE_SIZE, &stack);
	if (!err)
		err = aspace_add_region(as, STACK_TOP - STACK_SIZE, STACK_SIZE,
					perms_of(img.stack_flags) | ASPACE_R |
						ASPACE_W,
					"stack");
	if (!err)
		err = aspace_map_pmem(as, STACK_TOP - STACK_SIZE, stack, STACK_SIZE);
	if (err) {
		*why = err == -ENOMEM ? "not enough memory" : "cannot map memory";
		aspace_put(as);	/* an owner's extents stay the owner's to free */
		return err;
	}
	memset(__va(stack), 0, STACK_SIZE);
	out->as = as;
	out->entry = img.entry + bias;
	out->pie = img.pie;
	out->sp = build_stack((char *)__va(stack) + STACK_SIZE, argv, argc,
			      envp, envc, &img, bias);
	return 0;
}
