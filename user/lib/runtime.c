// SPDX-License-Identifier: GPL-2.0
/* System call wrappers, start-up and printf for user/lib programs. */
#include "kitten.h"

/* The kernel's list of system calls gives the numbers (SYS_<name>). */
#define SYSCALL(nr, name) SYS_##name = (nr),
enum {
#include <kitten/syscall_list.h>
};
#undef SYSCALL

int __argc;
char **__argv;

int main(int argc, char **argv);

long syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			       "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}

#define SC(nr, a0, a1, a2) syscall6((nr), (long)(a0), (long)(a1), (long)(a2), 0, 0, 0)

long write(int fd, const void *buf, size_t len) { return SC(SYS_write, fd, buf, len); }
long read(int fd, void *buf, size_t len) { return SC(SYS_read, fd, buf, len); }
int open(const char *path, int flags) { return SC(SYS_open, path, flags, 0); }
int close(int fd) { return SC(SYS_close, fd, 0, 0); }
int getpid(void) { return SC(SYS_getpid, 0, 0, 0); }

uint64_t now_ns(void)
{
	int64_t ts[2];

	SC(SYS_clock_gettime, 1, ts, 0);
	return ts[0] * 1000000000ULL + ts[1];
}

long file_size(int fd)
{
	uint64_t st[18];	/* struct stat: st_size is the 7th word */
	long err = SC(SYS_fstat, fd, st, 0);

	return err ? err : (long)st[6];
}

void exit(int status)
{
	for (;;)
		SC(SYS_exit_group, status, 0, 0);
}

void __start_main(uint64_t *sp)
{
	__argc = sp[0];
	__argv = (char **)(sp + 1);
	exit(main(__argc, __argv));
}

int printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write(1, buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
	return n;
}

int pmem_query(struct kitten_pmem_info *info) { return SC(SYS_kitten_pmem_query, info, 0, 0); }
int pmem_alloc(uint64_t size, uint64_t align, uint64_t *phys) { return SC(SYS_kitten_pmem_alloc, size, align, phys); }
int pmem_free(uint64_t phys) { return SC(SYS_kitten_pmem_free, phys, 0, 0); }
int aspace_create(uint32_t *id) { return SC(SYS_kitten_aspace_create, id, 0, 0); }
int aspace_destroy(uint32_t id) { return SC(SYS_kitten_aspace_destroy, id, 0, 0); }

int aspace_add_region(uint32_t id, uint64_t start, uint64_t size,
		      unsigned perms, const char *name)
{
	return syscall6(SYS_kitten_aspace_add_region, id, start, size, perms, (long)name, 0);
}

int aspace_map_pmem(uint32_t id, uint64_t va, uint64_t phys, uint64_t size)
{
	return syscall6(SYS_kitten_aspace_map_pmem, id, va, phys, size, 0, 0);
}

int aspace_unmap(uint32_t id, uint64_t va, uint64_t size) { return SC(SYS_kitten_aspace_unmap, id, va, size); }
int aspace_query(uint32_t id, uint64_t va, struct kitten_mapping *m) { return SC(SYS_kitten_aspace_query, id, va, m); }
int task_create(const struct kitten_task_spec *spec) { return SC(SYS_kitten_task_create, spec, 0, 0); }
int task_wait(int id, int *status) { return SC(SYS_kitten_task_wait, id, status, 0); }
int smartmap_attach(uint32_t id, unsigned rank, uint32_t target) { return SC(SYS_kitten_smartmap_attach, id, rank, target); }
int aspace_set_brk(uint32_t id, uint64_t start, uint64_t limit) { return SC(SYS_kitten_aspace_set_brk, id, start, limit); }
int aspace_set_cpus(uint32_t id, uint64_t mask) { return SC(SYS_kitten_aspace_set_cpus, id, mask, 0); }
int aspace_set_cred(uint32_t id, const struct kitten_cred *cred) { return SC(SYS_kitten_aspace_set_cred, id, cred, 0); }

int vm_create(const void *image, size_t len, char *err, size_t errlen)
{
	return syscall6(SYS_kitten_vm_create, (long)image, len, (long)err, errlen, 0, 0);
}
int vm_launch(int id, const unsigned *cpus, unsigned ncpus) { return SC(SYS_kitten_vm_launch, id, cpus, ncpus); }
int vm_stop(int id) { return SC(SYS_kitten_vm_stop, id, 0, 0); }
long vm_console_read(int id, char *buf, size_t len, uint64_t timeout_ns)
{
	return syscall6(SYS_kitten_vm_console_read, id, (long)buf, len, timeout_ns, 0, 0);
}
int vm_status(int id, struct kitten_vm_status *st) { return SC(SYS_kitten_vm_status, id, st, 0); }
int vm_free(int id) { return SC(SYS_kitten_vm_free, id, 0, 0); }

void *heap_alloc(size_t size)
{
	static uint64_t brk_end;
	uint64_t start, want;

	if (!brk_end)
		brk_end = SC(SYS_brk, 0, 0, 0);
	start = (brk_end + 63) & ~63ull;
	want = start + size;
	if ((uint64_t)SC(SYS_brk, want, 0, 0) != want)
		return NULL;
	brk_end = want;
	return (void *)start;
}
