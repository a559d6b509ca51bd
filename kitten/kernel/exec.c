// SPDX-License-Identifier: GPL-2.0
/*
 * Program loading (see exec.h), static and dynamic alike. The program is
 * read through its file's operations table (copy_at), so it may live in
 * any file system. A dynamically linked program names its interpreter
 * (PT_INTERP, ld-linux-x86-64.so.2); the interpreter is loaded the same
 * way as a second image at ELF_INTERP_BASE, and the program starts at
 * the interpreter's entry with the auxiliary vector telling it where the
 * program is (AT_PHDR, AT_ENTRY) and where it is itself (AT_BASE). It
 * then maps the libraries with mmap(), from the program's heap.
 *
 * Each image is one physically contiguous extent mapped with 2 MiB pages
 * (the program's with its heap after it); the initial stack follows the
 * System V x86_64 ABI (elf_build_stack), so the same binary runs here and
 * on Linux.
 */
#define pr_fmt(fmt) "exec: " fmt

#include <arch/cpufeature.h>
#include <arch/layout.h>
#include <arch/x86.h>
#include <kitten/aspace.h>
#include <kitten/cred.h>
#include <kitten/elf.h>
#include <kitten/errno.h>
#include <kitten/exec.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/pmem.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/vdso.h>

#define STACK_SIZE	(2ULL << 20)
#define STACK_TOP	(USER_SLOT_SIZE - (2ULL << 20))	/* a guard above */
#define HEAD_MAX	4096	/* headers and PT_INTERP are read from here */
/* Room for a signal frame and its FXSAVE area below a red zone. */
#define MINSIGSTKSZ	2048

static unsigned perms_of(uint32_t elf_flags)
{
	return (elf_flags & ELF_PF_R ? ASPACE_R : 0) |
	       (elf_flags & ELF_PF_W ? ASPACE_W : 0) |
	       (elf_flags & ELF_PF_X ? ASPACE_X : 0);
}

/* Exactly len bytes of f at off into kernel memory dst. */
static int read_exact(struct file *f, void *dst, uint64_t len, uint64_t off)
{
	long n;

	if (!len)
		return 0;
	n = f->ops->copy_at ? f->ops->copy_at(f, dst, len, off) : -EACCES;
	return n < 0 ? (int)n : (uint64_t)n == len ? 0 : -EIO;
}

int exec_open(const char *path, struct file **out)
{
	struct inode *n = lookup_path(path);

	if (!n)
		return -ENOENT;
	*out = file_open_inode(n, O_RDONLY);
	inode_put(n);
	return *out ? 0 : -ENOMEM;
}

/* Check f is a regular ELF file Kitten runs, and describe it. */
static int read_elf(struct file *f, struct elf_image *img, const char **why)
{
	struct kstat st = { 0 };
	uint64_t len;
	char *head;
	int err;

	f->ops->stat(f, &st);
	if ((st.mode & 0170000) != 0100000) {
		*why = "not a regular file";
		return -EACCES;
	}
	len = MIN(st.size, (uint64_t)HEAD_MAX);
	head = kmem_alloc(HEAD_MAX);
	if (!head)
		return -ENOMEM;
	err = read_exact(f, head, len, 0);
	if (err)
		*why = "cannot read the file";
	else
		err = elf_parse_head(head, len, st.size, img, why);
	kmem_free(head);
	return err;
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
 * One region for the image plus heap bytes after it, with the rights of
 * all its segments; the pages then get their own (protect_image). The
 * program's image (heap != 0 or a static program) sets the break.
 */
static int load_image(struct aspace *as, struct file *file,
		      const struct elf_image *img, uint64_t bias,
		      uint64_t heap, const char *name, bool program)
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
	for (unsigned i = 0; i < img->nr_segs && !err; i++) {
		const struct elf_segment *s = &img->segs[i];

		err = read_exact(file, (char *)__va(pa) + (s->vaddr - img->lowest),
				 s->filesz, s->offset);
		perms |= perms_of(s->flags);
	}
	if (err)
		return err;
	/* The most any page may get: the heap must be writable. */
	err = aspace_add_region(as, img->lowest + bias, size, perms | ASPACE_W,
				name);
	if (!err)
		err = aspace_map_pmem(as, img->lowest + bias, pa, size);
	if (!err)
		err = protect_image(as, img, bias, size);
	if (program) {
		/* brk() grows up from the image's end, mmap() down from the top. */
		as->brk_start = as->brk = img->highest + bias;
		as->brk_limit = as->mmap_low = img->lowest + bias + size;
	}
	return err;
}

static void fill_auxv(struct elf_auxv *aux, const struct exec_args *a,
		      const struct elf_image *img, uint64_t bias,
		      uint64_t interp_bias)
{
	memset(aux, 0, sizeof(*aux));
	aux->phdr = img->phdr_vaddr + bias;
	aux->phent = img->phentsize;
	aux->phnum = img->phnum;
	aux->entry = img->entry + bias;
	aux->base = interp_bias;
	aux->sysinfo_ehdr = VDSO_TEXT_VA;
	aux->hwcap = boot_cpu_info.words[CPUID_1_EDX];
	aux->minsigstksz = MINSIGSTKSZ;
	if (a->cred) {
		aux->uid = a->cred->uid;
		aux->euid = a->cred->euid;
		aux->gid = a->cred->gid;
		aux->egid = a->cred->egid;
	}
	aux->execfn = a->path;
	for (int b = 0; b < 16; b++)
		aux->random[b] = (uint8_t)(rdtsc() >> (b % 8) ^ b * 131);
}

/* The interpreter the program names, checked; 0 and *out NULL if static. */
static int open_interp(const struct elf_image *img, struct file **out,
		       struct elf_image *ii, const char **why)
{
	int err;

	*out = NULL;
	if (!img->interp[0])
		return 0;
	err = exec_open(img->interp, out);
	if (err) {
		*why = "its interpreter (PT_INTERP) is not there";
		return err;
	}
	err = read_elf(*out, ii, why);
	if (!err && ii->interp[0]) {
		*why = "its interpreter is itself dynamically linked";
		err = -ELIBBAD;
	}
	if (err == -ENOEXEC)
		err = -ELIBBAD;		/* as Linux says of a bad ld.so */
	if (err) {
		file_put(*out);
		*out = NULL;
	}
	return err;
}

int exec_load(struct file *file, const struct exec_args *a,
	      struct exec_image *out, const char **why)
{
	struct elf_image *img = kmem_alloc(2 * sizeof(*img)), *ii = img + 1;
	uint64_t bias, ibias = 0, strings = 0;
	struct file *interp = NULL;
	struct elf_auxv aux;
	struct aspace *as;
	paddr_t stack;
	int err;

	if (!img)
		return -ENOMEM;
	err = read_elf(file, img, why);
	if (!err)
		err = open_interp(img, &interp, ii, why);
	if (err)
		goto out;
	for (int i = 0; i < a->argc; i++)
		strings += strlen(a->argv[i]) + 1 + 8;
	for (int i = 0; i < a->envc; i++)
		strings += strlen(a->envp[i]) + 1 + 8;
	if (strings > STACK_SIZE / 4) {
		*why = "arguments too long";
		err = -E2BIG;
		goto out;
	}
	err = aspace_create(a->owner, &as);
	if (err)
		goto out;
	if (!a->owner) {	/* its memory dies with it */
		as->owner = as->id;
		as->owns_memory = true;
	}
	bias = img->pie ? ELF_PIE_BASE - img->lowest : 0;
	err = load_image(as, file, img, bias, a->heap, "image", true);
	if (!err && interp) {
		ibias = ELF_INTERP_BASE - ii->lowest;
		err = load_image(as, interp, ii, ibias, 0, "interp", false);
	}
	if (!err)
		err = pmem_alloc(as->owner, STACK_SIZE, LARGE_PAGE_SIZE, &stack);
	if (!err)
		err = aspace_add_region(as, STACK_TOP - STACK_SIZE, STACK_SIZE,
					perms_of(img->stack_flags) | ASPACE_R |
						ASPACE_W,
					"stack");
	if (!err)
		err = aspace_map_pmem(as, STACK_TOP - STACK_SIZE, stack, STACK_SIZE);
	if (err) {
		*why = err == -ENOMEM ? "not enough memory" :
		       err == -EIO ? "cannot read the program" : "cannot map memory";
		aspace_put(as);	/* an owner's extents stay the owner's to free */
		goto out;
	}
	memset(__va(stack), 0, STACK_SIZE);
	fill_auxv(&aux, a, img, bias, interp ? ibias : 0);
	out->as = as;
	out->entry = interp ? ii->entry + ibias : img->entry + bias;
	out->pie = img->pie;
	out->dynamic = interp != NULL;
	out->sp = elf_build_stack((char *)__va(stack) + STACK_SIZE, STACK_TOP,
				  STACK_SIZE / 2, a->argv, a->argc, a->envp,
				  a->envc, &aux);
out:
	if (interp)
		file_put(interp);
	kmem_free(img);
	return err;
}
