/* SPDX-License-Identifier: GPL-2.0 */
/* Compiler attributes and helpers used across the kernel. */
#ifndef KITTEN_COMPILER_H
#define KITTEN_COMPILER_H

#define __packed      __attribute__((packed))
#define __aligned(n)  __attribute__((aligned(n)))
#define __noreturn    __attribute__((noreturn))
#define __unused      __attribute__((unused))
#define __section(s)  __attribute__((section(s)))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __used        __attribute__((used))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()        __asm__ __volatile__("" ::: "memory")

#endif
