// SPDX-License-Identifier: GPL-2.0
/*
 * ELF64 validation and the initial stack (see elf.h). Every offset and
 * size from the file is checked against the file's length and for
 * overflow before it is used: the input may be truncated, corrupt or
 * built to attack the loader. What the parser reads (headers, the
 * interpreter path) must lie in the part of the file it was given; the
 * segments, which a loader reads later, only in the file.
 */
#include <kitten/compiler.h>
#include <kitten/elf.h>
#include <kitten/errno.h>
#include <kitten/string.h>

#define EI_NIDENT	16
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551
#define PAGE		4096ULL

struct elf64_ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((packed));

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
} __attribute__((packed));

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF header layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "program header layout");

#define REFUSE(msg)            \
	do {                   \
		*why = (msg);  \
		return -ENOEXEC; \
	} while (0)

static int check_header(const struct elf64_ehdr *h, size_t size,
			const char **why)
{
	if (size < 4 || memcmp(h->ident, "\177ELF", 4))
		REFUSE("not an ELF file (bad magic)");
	if (size < sizeof(*h))
		REFUSE("truncated ELF header");
	if (h->ident[4] != ELFCLASS64)
		REFUSE("not a 64-bit ELF file");
	if (h->ident[5] != ELFDATA2LSB)
		REFUSE("not little-endian");
	if (h->ident[6] != EV_CURRENT || h->version != EV_CURRENT)
		REFUSE("unknown ELF version");
	if (h->machine != EM_X86_64)
		REFUSE("not an x86_64 program");
	if (h->type != ET_EXEC && h->type != ET_DYN)
		REFUSE("not an executable (ET_EXEC or ET_DYN)");
	if (h->phentsize != sizeof(struct elf64_phdr))
		REFUSE("unexpected program header size");
	if (h->phnum == 0)
		REFUSE("no program headers");
	if (h->phoff > size || (uint64_t)h->phnum * sizeof(struct elf64_phdr) >
				       size - h->phoff)
		REFUSE("truncated program headers");
	return 0;
}

static int add_load(struct elf_image *img, const struct elf64_phdr *ph,
		    size_t size, const char **why)
{
	struct elf_segment *s;

	if (ph->memsz == 0)
		return 0;
	if (img->nr_segs == ELF_MAX_SEGMENTS)
		REFUSE("too many loadable segments");
	if (ph->filesz > ph->memsz)
		REFUSE("segment with more file bytes than memory bytes");
	if (ph->offset > size || ph->filesz > size - ph->offset)
		REFUSE("segment data beyond the end of the file (truncated?)");
	if (ph->memsz > ELF_MAX_SEGMENT)
		REFUSE("segment too large");
	if (ph->vaddr >= ELF_USER_LIMIT || ph->memsz > ELF_USER_LIMIT - ph->vaddr)
		REFUSE("segment outside the user address range");
	if ((ph->vaddr - ph->offset) % PAGE)
		REFUSE("segment address and file offset not congruent modulo 4 KiB");
	s = &img->segs[img->nr_segs++];
	*s = (struct elf_segment){ ph->vaddr, ph->memsz, ph->offset,
				   ph->filesz, ph->flags & 7 };
	return 0;
}

/*
 * No byte may belong to two segments. Two segments may share a page,
 * though (small static binaries do); the loader gives such a page the
 * permissions of both.
 */
static int check_overlaps(struct elf_image *img, const char **why)
{
	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *a = &img->segs[i];

		for (unsigned j = i + 1; j < img->nr_segs; j++) {
			const struct elf_segment *b = &img->segs[j];

			if (a->vaddr < b->vaddr + b->memsz &&
			    b->vaddr < a->vaddr + a->memsz)
				REFUSE("overlapping segments");
		}
		uint64_t lo = a->vaddr & ~(PAGE - 1);
		uint64_t hi = (a->vaddr + a->memsz + PAGE - 1) & ~(PAGE - 1);

		img->lowest = i ? MIN(img->lowest, lo) : lo;
		img->highest = i ? MAX(img->highest, hi) : hi;
	}
	return 0;
}

/* The interpreter's path: inside head, NUL-terminated, one string. */
static int get_interp(struct elf_image *img, const struct elf64_phdr *ph,
		      const uint8_t *head, size_t head_len, const char **why)
{
	if (img->interp[0])
		REFUSE("more than one interpreter (PT_INTERP)");
	if (ph->offset > head_len || ph->filesz > head_len - ph->offset)
		REFUSE("interpreter path (PT_INTERP) beyond the file's headers");
	if (ph->filesz < 2 || ph->filesz > ELF_INTERP_MAX ||
	    head[ph->offset + ph->filesz - 1] != '\0' ||
	    strlen((const char *)head + ph->offset) != ph->filesz - 1)
		REFUSE("bad interpreter path (PT_INTERP)");
	memcpy(img->interp, head + ph->offset, ph->filesz);
	return 0;
}

int elf_parse(const void *file, size_t size, struct elf_image *img,
	      const char **why)
{
	return elf_parse_head(file, size, size, img, why);
}

int elf_parse_head(const void *file, size_t head_len, uint64_t size,
		   struct elf_image *img, const char **why)
{
	const struct elf64_ehdr *h = file;
	const struct elf64_phdr *ph;
	int err;

	memset(img, 0, sizeof(*img));
	if (head_len > size)
		REFUSE("header longer than the file");
	err = check_header(h, head_len, why);
	if (err)
		return err;
	ph = (const struct elf64_phdr *)((const uint8_t *)file + h->phoff);
	img->pie = h->type == ET_DYN;
	img->entry = h->entry;
	img->phnum = h->phnum;
	img->phentsize = h->phentsize;
	img->stack_flags = ELF_PF_R | ELF_PF_W | ELF_PF_X;

	for (unsigned i = 0; i < h->phnum; i++) {
		switch (ph[i].type) {
		case PT_INTERP:
			err = get_interp(img, &ph[i], file, head_len, why);
			if (err)
				return err;
			break;
		case PT_LOAD:
			err = add_load(img, &ph[i], size, why);
			if (err)
				return err;
			if (h->phoff >= ph[i].offset &&
			    h->phoff - ph[i].offset < ph[i].filesz)
				img->phdr_vaddr = ph[i].vaddr + (h->phoff - ph[i].offset);
			break;
		case PT_PHDR:
			img->phdr_vaddr = ph[i].vaddr;
			break;
		case PT_GNU_STACK:
			img->stack_flags = ph[i].flags & 7;
			break;
		case PT_TLS:
			if (ph[i].offset > size || ph[i].filesz > size - ph[i].offset ||
			    ph[i].filesz > ph[i].memsz)
				REFUSE("bad thread-local storage segment");
			img->tls = (struct elf_segment){ ph[i].vaddr, ph[i].memsz,
							 ph[i].offset, ph[i].filesz,
							 ph[i].flags & 7 };
			img->tls_align = ph[i].align ? ph[i].align : 1;
			break;
		}
	}
	if (img->nr_segs == 0)
		REFUSE("no loadable segments");
	err = check_overlaps(img, why);
	if (err)
		return err;
	if (img->entry < img->lowest || img->entry >= img->highest)
		REFUSE("entry point outside the program");
	return 0;
}

uint32_t elf_page_flags(const struct elf_image *img, uint64_t va)
{
	uint32_t flags = 0;

	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *s = &img->segs[i];

		if (s->memsz && s->vaddr < va + PAGE && va < s->vaddr + s->memsz)
			flags |= s->flags & 7;
	}
	return flags;
}

uint64_t elf_flags_run(const struct elf_image *img, uint64_t va,
		       uint32_t *flags)
{
	*flags = elf_page_flags(img, va);
	do
		va += PAGE;
	while (va < img->highest && elf_page_flags(img, va) == *flags);
	return va;
}

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_HWCAP2	26
#define AT_EXECFN	31
#define AT_SYSINFO_EHDR	33
#define AT_MINSIGSTKSZ	51
#define NR_AUXV		21	/* pairs, AT_NULL included */

/* Copy len bytes to *k (seen by the program at *u); advance both. */
static uint64_t put(char **k, uint64_t *u, const void *s, size_t len)
{
	uint64_t at = *u;

	memcpy(*k, s, len);
	*k += len;
	*u += len;
	return at;
}

uint64_t elf_build_stack(char *top, uint64_t top_user, uint64_t room,
			 const char *const *argv, int argc,
			 const char *const *envp, int envc,
			 const struct elf_auxv *aux)
{
	static const char platform[] = "x86_64";
	uint64_t strings = 16 + sizeof(platform) + strlen(aux->execfn) + 1;
	uint64_t words = 1 + argc + 1 + envc + 1 + 2 * NR_AUXV;
	uint64_t u, sp_user, random, plat, execfn, *sp;
	unsigned i = 0;
	char *k;

	for (int n = 0; n < argc; n++)
		strings += strlen(argv[n]) + 1;
	for (int n = 0; n < envc; n++)
		strings += strlen(envp[n]) + 1;
	if (strings + words * 8 + 16 > room)
		return 0;
	/* Strings at the top, in order; the vectors below them. */
	u = top_user - strings;
	k = top - strings;
	sp_user = (u - words * 8) & ~15ULL;	/* rsp 16-byte aligned at entry */
	sp = (uint64_t *)(top - (top_user - sp_user));
	sp[i++] = argc;
	for (int n = 0; n < argc; n++)
		sp[i++] = put(&k, &u, argv[n], strlen(argv[n]) + 1);
	sp[i++] = 0;
	for (int n = 0; n < envc; n++)
		sp[i++] = put(&k, &u, envp[n], strlen(envp[n]) + 1);
	sp[i++] = 0;
	random = put(&k, &u, aux->random, 16);	/* seeds stack canaries */
	plat = put(&k, &u, platform, sizeof(platform));
	execfn = put(&k, &u, aux->execfn, strlen(aux->execfn) + 1);

	sp[i++] = AT_SYSINFO_EHDR;	sp[i++] = aux->sysinfo_ehdr;
	sp[i++] = AT_MINSIGSTKSZ;	sp[i++] = aux->minsigstksz;
	sp[i++] = AT_HWCAP;		sp[i++] = aux->hwcap;
	sp[i++] = AT_PAGESZ;		sp[i++] = PAGE;
	sp[i++] = AT_CLKTCK;		sp[i++] = 100;
	sp[i++] = AT_PHDR;		sp[i++] = aux->phdr;
	sp[i++] = AT_PHENT;		sp[i++] = aux->phent;
	sp[i++] = AT_PHNUM;		sp[i++] = aux->phnum;
	sp[i++] = AT_BASE;		sp[i++] = aux->base;
	sp[i++] = AT_FLAGS;		sp[i++] = 0;
	sp[i++] = AT_ENTRY;		sp[i++] = aux->entry;
	sp[i++] = AT_UID;		sp[i++] = aux->uid;
	sp[i++] = AT_EUID;		sp[i++] = aux->euid;
	sp[i++] = AT_GID;		sp[i++] = aux->gid;
	sp[i++] = AT_EGID;		sp[i++] = aux->egid;
	sp[i++] = AT_SECURE;		sp[i++] = aux->secure;
	sp[i++] = AT_RANDOM;		sp[i++] = random;
	sp[i++] = AT_HWCAP2;		sp[i++] = aux->hwcap2;
	sp[i++] = AT_EXECFN;		sp[i++] = execfn;
	sp[i++] = AT_PLATFORM;		sp[i++] = plat;
	sp[i++] = AT_NULL;		sp[i++] = 0;
	return sp_user;
}
