/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a program the LWK way, for the kernel's own two uses: the init
 * task at boot and execve(). The image and its heap are one physically
 * contiguous extent, the stack another, both mapped with large pages.
 */
#ifndef KITTEN_EXEC_H
#define KITTEN_EXEC_H

#include <kitten/types.h>

struct aspace;
struct inode;

struct exec_image {
	struct aspace *as;	/* the new address space (one reference) */
	uint64_t entry;
	uint64_t sp;
	bool pie;
};

/*
 * Load the static ELF program in file into a new address space with
 * argv and envp on its stack and heap bytes after the image. Its memory
 * belongs to owner, or to the new address space itself (freed with it)
 * when owner is 0. 0, or -ENOEXEC with *why set, or another -errno.
 */
int exec_load(const struct inode *file, const char *const *argv, int argc,
	      const char *const *envp, int envc, uint64_t heap,
	      unsigned owner, struct exec_image *out, const char **why);

/* The vDSO (kernel/vdso.c): set up at boot, after the clock; mapped into
 * every new address space; vdso_region tells its regions apart (fork
 * does not copy them). */
void vdso_init(void);
int vdso_map(struct aspace *as);
bool vdso_region(vaddr_t start);

#endif
