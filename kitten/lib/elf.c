// SPDX-License-Identifier: GPL-2.0
/*
 * ELF64 validation (see elf.h). Every offset and size from the file is
 * checked against the file's length and for overflow before it is used:
 * the input may be truncated, corrupt or built to attack the loader.
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
		REFUSE("not an executable (ET_EXEC or static-PIE ET_DYN)");
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

int elf_parse(const void *file, size_t size, struct elf_image *img,
	      const char **why)
{
	const struct elf64_ehdr *h = file;
	const struct elf64_phdr *ph;
	int err;

	memset(img, 0, sizeof(*img));
	err = check_header(h, size, why);
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
			REFUSE("dynamically linked (PT_INTERP): only static programs run on Kitten");
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
