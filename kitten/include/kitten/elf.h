/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF64 executables: validation and the facts a loader needs.
 *
 * One parser serves everyone who loads programs: the kernel (the init
 * task, execve), the init task (for jobs), the host tools (to refuse a
 * bad program before anything boots) and the unit tests. It accepts
 * x86_64 ET_EXEC and ET_DYN files (static, static-PIE, PIE and
 * dynamically linked: PT_INTERP names the program interpreter, which a
 * loader loads as a second image) and refuses, with a reason, other
 * machines and malformed or hostile headers.
 *
 * The initial stack (argc, argv, envp, the auxiliary vector) is laid out
 * here too, so the kernel and the init task give programs the same one.
 */
#ifndef KITTEN_ELF_H
#define KITTEN_ELF_H

#include <kitten/types.h>

#define ELF_MAX_SEGMENTS	16
/* Largest address a program may occupy (the user half, minus SMARTMAP). */
#define ELF_USER_LIMIT		(1ULL << 39)
/* Largest single segment we agree to load. */
#define ELF_MAX_SEGMENT		(64ULL << 30)

/* Where loaders put a PIE program and a program's interpreter (ld.so). */
#define ELF_PIE_BASE		0x400000ULL
#define ELF_INTERP_BASE		0x7f00000000ULL
/* Longest interpreter path accepted, NUL included. */
#define ELF_INTERP_MAX		256

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
	/* PT_INTERP: the interpreter's path, NUL-terminated; "" if static. */
	char interp[ELF_INTERP_MAX];
};

/*
 * Check the file and describe it. Returns 0, or -ENOEXEC with *why set to
 * a one-line reason ("dynamically linked (PT_INTERP)", "truncated ...").
 */
int elf_parse(const void *file, size_t size, struct elf_image *img,
	      const char **why);
/*
 * The same from the first head_len bytes of a file of file_size bytes,
 * for a loader that reads the file piece by piece: the ELF header, the
 * program headers and the interpreter path must lie in head (they do at
 * the start of every linker's output), segments are checked against
 * file_size.
 */
int elf_parse_head(const void *head, size_t head_len, uint64_t file_size,
		   struct elf_image *img, const char **why);

/* What the auxiliary vector tells a program (see elf_build_stack). */
struct elf_auxv {
	uint64_t phdr, phent, phnum;	/* the program's headers, in memory */
	uint64_t entry;			/* the program's entry (AT_ENTRY) */
	uint64_t base;			/* the interpreter's load address, or 0 */
	uint64_t sysinfo_ehdr;		/* the vDSO */
	uint64_t hwcap, hwcap2;
	uint64_t minsigstksz;
	uint32_t uid, euid, gid, egid;
	bool secure;
	const char *execfn;		/* the path the program was run by */
	uint8_t random[16];		/* AT_RANDOM's bytes */
};

/*
 * Lay out the System V x86_64 initial stack below top (kernel-visible
 * memory, room bytes of it) that the program will see at user address
 * top_user: strings, 16 random bytes, then argc, argv, envp and the
 * auxiliary vector (AT_PHDR ... AT_NULL). Returns the user stack pointer
 * (16-byte aligned), or 0 if room is too small.
 */
uint64_t elf_build_stack(char *top, uint64_t top_user, uint64_t room,
			 const char *const *argv, int argc,
			 const char *const *envp, int envc,
			 const struct elf_auxv *aux);

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
