/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static ELF64 executables: validation and the facts a loader needs.
 *
 * One parser serves everyone who loads programs: the kernel (for the
 * init task), the init task (for jobs), the host tools (to refuse a bad
 * program before anything boots) and the unit tests. It accepts x86_64
 * ET_EXEC and static-PIE ET_DYN files and refuses, with a reason, what a
 * lightweight kernel cannot run: dynamically linked programs (PT_INTERP),
 * other machines, and malformed or hostile headers.
 */
#ifndef KITTEN_ELF_H
#define KITTEN_ELF_H

#include <kitten/types.h>

#define ELF_MAX_SEGMENTS	16
/* Largest address a program may occupy (the user half, minus SMARTMAP). */
#define ELF_USER_LIMIT		(1ULL << 39)
/* Largest single segment we agree to load. */
#define ELF_MAX_SEGMENT		(64ULL << 30)

#define ELF_PF_X	1
#define ELF_PF_W	2
#define ELF_PF_R	4

struct elf_segment {
	uint64_t vaddr;		/* where it goes (before any PIE bias) */
	uint64_t memsz;
	uint64_t offset;	/* in the file */
	uint64_t filesz;
	uint32_t flags;		/* ELF_PF_* */
};

struct elf_image {
	bool pie;			/* ET_DYN: may be placed anywhere */
	uint64_t entry;
	uint64_t lowest, highest;	/* page-aligned span of all segments */
	struct elf_segment segs[ELF_MAX_SEGMENTS];
	unsigned nr_segs;
	uint64_t phdr_vaddr;		/* for AT_PHDR; 0 if not loaded */
	uint16_t phnum, phentsize;
	struct elf_segment tls;		/* memsz 0: no thread-local data */
	uint64_t tls_align;
	/* PT_GNU_STACK's ELF_PF_*; without one, R|W|X as Linux gives. */
	uint32_t stack_flags;
};

/*
 * Check the file and describe it. Returns 0, or -ENOEXEC with *why set to
 * a one-line reason ("dynamically linked (PT_INTERP)", "truncated ...").
 */
int elf_parse(const void *file, size_t size, struct elf_image *img,
	      const char **why);

/*
 * The rights (ELF_PF_*) a loader gives the page at va, a page address
 * in [lowest, highest) before any PIE bias: the flags of the segments on
 * it, both segments' where two share the page; 0 between segments.
 */
uint32_t elf_page_flags(const struct elf_image *img, uint64_t va);
/*
 * The end of the run of pages from va (page aligned) with the same
 * elf_page_flags, at most highest; *flags gets the flags. A loader gives
 * the image its rights one run at a time.
 */
uint64_t elf_flags_run(const struct elf_image *img, uint64_t va,
		       uint32_t *flags);

#endif
