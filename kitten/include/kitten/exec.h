/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a program the LWK way, for the kernel's own two uses: the init
 * task at boot and execve(). The image and its heap are one physically
 * contiguous extent, the stack another, and a dynamically linked
 * program's interpreter (ld.so) a third, all mapped with large pages.
 * Files are read through their operations table (copy_at), so a program
 * and its interpreter may come from any file system.
 */
#ifndef KITTEN_EXEC_H
#define KITTEN_EXEC_H

#include <kitten/types.h>

struct aspace;
struct cred;
struct file;

struct exec_image {
	struct aspace *as;	/* the new address space (one reference) */
	uint64_t entry;		/* the program's, or its interpreter's */
	uint64_t sp;
	bool pie;
	bool dynamic;		/* started in its interpreter */
};

struct exec_args {
	const char *path;	/* as the program was named (AT_EXECFN) */
	const char *const *argv;
	int argc;
	const char *const *envp;
	int envc;
	uint64_t heap;		/* bytes of heap after the image */
	/* Who owns the memory; 0: the new address space (freed with it). */
	unsigned owner;
	const struct cred *cred;	/* AT_UID and co.; NULL: root */
};

/* Open path (relative to the current directory) for reading a program. */
int exec_open(const char *path, struct file **out);

/*
 * Load the ELF program in file (and its interpreter, if it names one)
 * into a new address space with argv and envp on its stack. 0, or
 * -ENOEXEC (not a program Kitten runs), -ELIBBAD (a bad interpreter),
 * -ENOENT (no interpreter), or another -errno, with *why set.
 */
int exec_load(struct file *file, const struct exec_args *args,
	      struct exec_image *out, const char **why);

/* The vDSO (kernel/vdso.c): set up at boot, after the clock; mapped into
 * every new address space; vdso_region tells its regions apart (fork
 * does not copy them). */
void vdso_init(void);
int vdso_map(struct aspace *as);
bool vdso_region(vaddr_t start);

#endif
