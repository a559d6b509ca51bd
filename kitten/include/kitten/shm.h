/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared memory the LWK way (docs/dynamic-elf.md): a shared object is one
 * physically contiguous extent, filled when it is made (from the file,
 * for MAP_SHARED of a file or of a /dev/shm object) and mapped whole
 * into every process that maps it, with 2 MiB pages where it is large
 * enough. Nothing is paged on demand. Each mapping (a region marked
 * with the object) holds a reference; the last one gives the memory
 * back. A file's object exists while some process maps the file; what
 * was written to it reaches the file at msync() and munmap().
 *
 * Shared mappings live in their own window of the address space, apart
 * from the heap (whose memory is the process's own), so fork() can tell
 * them apart and futexes in them are keyed by physical address.
 */
#ifndef KITTEN_SHM_H
#define KITTEN_SHM_H

#include <kitten/types.h>

#define SHM_BASE	0x6000000000ULL		/* the window: 384 GiB .. */
#define SHM_END		0x7f00000000ULL		/* .. ELF_INTERP_BASE */

struct aspace;
struct file;
struct shm_obj;

static inline bool shm_window(vaddr_t va)
{
	return va >= SHM_BASE && va < SHM_END;
}

/*
 * The object holding f's contents, made (and filled through copy_at) if
 * no process maps the file now; at least min_size bytes (-ENOMEM if a
 * live object is smaller: its pages cannot grow in place). Referenced.
 */
int shm_of_file(struct file *f, uint64_t min_size, struct shm_obj **out);
/* A new zeroed object of size bytes (anonymous MAP_SHARED, System V). */
int shm_create(uint64_t size, struct shm_obj **out);
void shm_get(struct shm_obj *o);
/* Drop a reference; the last frees the memory. Does not sleep. */
void shm_put(struct shm_obj *o);
/* References held now (mappings and holders), for shmctl(IPC_STAT). */
unsigned shm_refs(const struct shm_obj *o);

/*
 * Map [off, off+len) of o into the current process with rights perms
 * (ASPACE_*; maxperms the most mprotect may give later), at a free place
 * in the window; the address or -errno. The mapping takes its own
 * reference.
 */
long shm_map(struct aspace *as, struct shm_obj *o, uint64_t off,
	     uint64_t len, unsigned perms, unsigned maxperms);
/*
 * Unmap the shared pages in [va, va+len) of the current process (other
 * memory is left alone), writing a file's pages back first; 0 or -errno.
 */
int shm_unmap(struct aspace *as, vaddr_t va, uint64_t len);
/* msync(): write the file-backed shared pages in [va, va+len) back. */
int shm_sync(struct aspace *as, vaddr_t va, uint64_t len);
/* fork(): map every shared region of from into as, at the same place. */
int shm_copy(struct aspace *as, struct aspace *from);
/* Where the shared mapping at va starts and its length (shmdt), or -EINVAL. */
int shm_mapping_at(struct aspace *as, vaddr_t va, uint64_t *len);

#endif
