/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small C runtime for Kitten's own programs (the init task, native
 * test jobs): system calls, formatted output, and the native memory and
 * task API (docs/native-api.md). Not a libc: real applications bring
 * their own (glibc, musl) and use the Linux ABI.
 */
#ifndef USER_KITTEN_H
#define USER_KITTEN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kitten/kitten_abi.h>

long syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* Linux calls. */
long write(int fd, const void *buf, size_t len);
long read(int fd, void *buf, size_t len);
int open(const char *path, int flags);
int close(int fd);
long file_size(int fd);
__attribute__((noreturn)) void exit(int status);
int getpid(void);
/* Monotonic nanoseconds (clock_gettime(CLOCK_MONOTONIC)). */
uint64_t now_ns(void);

/* Output. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Strings and memory (the kernel's own implementations, shared). */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);

/* Kitten's native API; each returns 0 (or an id) or a negative errno. */
int pmem_query(struct kitten_pmem_info *info);
int pmem_alloc(uint64_t size, uint64_t align, uint64_t *phys);
int pmem_free(uint64_t phys);
int aspace_create(uint32_t *id);
int aspace_destroy(uint32_t id);
int aspace_add_region(uint32_t id, uint64_t start, uint64_t size,
		      unsigned perms, const char *name);
int aspace_map_pmem(uint32_t id, uint64_t va, uint64_t phys, uint64_t size);
int aspace_unmap(uint32_t id, uint64_t va, uint64_t size);
int aspace_query(uint32_t id, uint64_t va, struct kitten_mapping *m);
int smartmap_attach(uint32_t id, unsigned rank, uint32_t target);
int aspace_set_brk(uint32_t id, uint64_t start, uint64_t limit);
int aspace_set_cpus(uint32_t id, uint64_t mask);
int aspace_set_cred(uint32_t id, const struct kitten_cred *cred);
int task_create(const struct kitten_task_spec *spec);
int task_wait(int id, int *status);

/* Memory from the heap (brk); never freed. NULL when it is exhausted. */
void *heap_alloc(size_t size);

/* Virtual machines: ids, or negative errnos. */
int vm_create(const void *image, size_t len, char *err, size_t errlen);
int vm_launch(int id, const unsigned *cpus, unsigned ncpus);
int vm_stop(int id);
/* Console bytes; 0 when the VM stopped and all was read; -EAGAIN (-11)
 * when timeout_ns passed without output. */
long vm_console_read(int id, char *buf, size_t len, uint64_t timeout_ns);
int vm_status(int id, struct kitten_vm_status *st);
int vm_free(int id);

/* Program arguments, set up before main. */
extern int __argc;
extern char **__argv;

#endif
