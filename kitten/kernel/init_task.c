// SPDX-License-Identifier: GPL-2.0
/*
 * Loading the init task. The kernel loads exactly one program itself, in
 * the LWK way: one physically contiguous extent for the image (plus a
 * heap), one for the stack, both mapped linearly with large pages. The
 * initial stack follows the System V x86_64 ABI (argc, argv, envp,
 * auxiliary vector), so the same program also runs on Linux.
 */
#define pr_fmt(fmt) "init: " fmt

#include <arch/bootinfo.h>
#include <arch/layout.h>
#include <kitten/aspace.h>
#include <kitten/elf.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/loader.h>
#include <kitten/pmem.h>
#include <kitten/printk.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/task.h>

#define PIE_BASE	0x400000ULL		/* where a static-PIE goes */
#define INIT_HEAP	(8ULL << 20)		/* after the image, for brk */
#define STACK_SIZE	(2ULL << 20)
#define STACK_TOP	(USER_SLOT_SIZE - (2ULL << 20))	/* a guard above */
#define MAX_ARGS	32

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_RANDOM	25

void initramfs_load(void)
{
	for (unsigned i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		int n = ramfs_unpack(__va(m->start), m->end - m->start);

		pr_info("initramfs %s: %d files\n", m->name[0] ? m->name : "(module)",
			n);
	}
}

static unsigned perms_of(uint32_t elf_flags)
{
	return (elf_flags & ELF_PF_R ? ASPACE_R : 0) |
	       (elf_flags & ELF_PF_W ? ASPACE_W : 0) |
	       (elf_flags & ELF_PF_X ? ASPACE_X : 0);
}

/* One region for the image (segments may share pages) plus the heap. */
static int load_image(struct aspace *as, const struct inode *file,
		      const struct elf_image *img, uint64_t bias)
{
	uint64_t span = img->highest - img->lowest + INIT_HEAP;
	uint64_t size = ALIGN_UP(span, LARGE_PAGE_SIZE);
	unsigned perms = 0;
	paddr_t pa;
	int err;

	err = pmem_alloc(KITTEN_INIT_OWNER, size, LARGE_PAGE_SIZE, &pa);
	if (err)
		return err;
	memset(__va(pa), 0, size);
	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *s = &img->segs[i];

		memcpy((char *)__va(pa) + (s->vaddr - img->lowest),
		       (const char *)file->data + s->offset, s->filesz);
		perms |= perms_of(s->flags);
	}
	/* The heap after the image must be writable, so the image is too. */
	err = aspace_add_region(as, img->lowest + bias, size, perms | ASPACE_W,
				"image");
	if (!err)
		err = aspace_map_pmem(as, img->lowest + bias, pa, size);
	/* brk() hands out what follows the image. */
	as->brk_start = as->brk = img->highest + bias;
	as->brk_limit = as->mmap_low = img->lowest + bias + size;
	return err;
}

/* Strings, then argv/envp/auxv pointers, 16-byte aligned: the ABI's stack. */
static uint64_t build_stack(void *top_va, uint64_t top, const char *argv[],
			    int argc, const struct elf_image *img, uint64_t bias)
{
	char *k = top_va;		/* kernel view of the stack top */
	uint64_t u = top, ptrs[MAX_ARGS];
	uint64_t *sp;
	unsigned n = 0;

	for (int i = argc - 1; i >= 0; i--) {
		size_t len = strlen(argv[i]) + 1;

		k -= len;
		u -= len;
		memcpy(k, argv[i], len);
		ptrs[i] = u;
	}
	k -= 16;
	u -= 16;
	memcpy(k, "kittenkittenkitt", 16);	/* AT_RANDOM bytes */
	uint64_t random = u;

	u &= ~15ULL;
	k = (char *)top_va - (top - u);
	/* argc, argv[], NULL, envp NULL, 6 auxv pairs, AT_NULL pair */
	n = 1 + argc + 1 + 1 + 2 * 6 + 2;
	if (n & 1)
		n++;			/* keep the final rsp 16-byte aligned */
	sp = (uint64_t *)k - n;
	u -= n * 8;
	unsigned i = 0;

	sp[i++] = argc;
	for (int a = 0; a < argc; a++)
		sp[i++] = ptrs[a];
	sp[i++] = 0;
	sp[i++] = 0;
	sp[i++] = AT_PHDR;	sp[i++] = img->phdr_vaddr + bias;
	sp[i++] = AT_PHENT;	sp[i++] = img->phentsize;
	sp[i++] = AT_PHNUM;	sp[i++] = img->phnum;
	sp[i++] = AT_PAGESZ;	sp[i++] = PAGE_SIZE;
	sp[i++] = AT_ENTRY;	sp[i++] = img->entry + bias;
	sp[i++] = AT_RANDOM;	sp[i++] = random;
	sp[i++] = AT_NULL;	sp[i++] = 0;
	return u;
}

struct task *init_task_start(const char *path, const char *args)
{
	const struct inode *file = ramfs_lookup(path);
	const char *argv[MAX_ARGS] = { path };
	char argbuf[CONFIG_CMDLINE_MAX];
	struct elf_image img;
	struct aspace *as = NULL;
	struct fdtable *files;
	struct task *t = NULL;
	const char *why;
	uint64_t bias, sp;
	paddr_t stack;
	int argc = 1, err;

	if (!file) {
		pr_err("%s: no such file in the initramfs\n", path);
		return NULL;
	}
	if (elf_parse(file->data, file->size, &img, &why)) {
		pr_err("%s: cannot run: %s\n", path, why);
		return NULL;
	}
	/* Split the arguments at spaces. */
	strlcpy(argbuf, args, sizeof(argbuf));
	for (char *p = argbuf; *p && argc < MAX_ARGS - 1;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p)
			argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}

	bias = img.pie ? PIE_BASE - img.lowest : 0;
	err = aspace_create(KITTEN_INIT_OWNER, &as);
	if (!err)
		err = load_image(as, file, &img, bias);
	if (!err)
		err = pmem_alloc(KITTEN_INIT_OWNER, STACK_SIZE, LARGE_PAGE_SIZE, &stack);
	if (!err)
		err = aspace_add_region(as, STACK_TOP - STACK_SIZE, STACK_SIZE,
					ASPACE_R | ASPACE_W, "stack");
	if (!err)
		err = aspace_map_pmem(as, STACK_TOP - STACK_SIZE, stack, STACK_SIZE);
	if (err) {
		pr_err("%s: cannot set up memory (error %d)\n", path, err);
		goto out;
	}
	memset(__va(stack), 0, STACK_SIZE);
	sp = build_stack((char *)__va(stack) + STACK_SIZE, STACK_TOP, argv, argc,
			 &img, bias);
	files = fdtable_create(true);
	if (files)
		t = task_create_user("init", as, 0, img.entry + bias, sp, 0, 0,
				     files);
	if (files)
		fdtable_put(files);
	if (t)
		pr_info("started %s (entry %#lx, %s)\n", path, img.entry + bias,
			img.pie ? "static-PIE" : "static");
out:
	if (as)
		aspace_put(as);	/* the task holds its own reference */
	return t;
}
