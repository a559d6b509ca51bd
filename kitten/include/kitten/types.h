/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic types. The freestanding C headers (stdint, stddef, stdbool, stdarg)
 * come with the compiler, so kernel code that only needs them also compiles
 * unchanged on the host, which is how the pure-logic parts are unit-tested.
 */
#ifndef KITTEN_TYPES_H
#define KITTEN_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;	/* a physical address */
typedef uint64_t vaddr_t;	/* a virtual address */

#ifndef __KITTEN_HOST_TEST
typedef int64_t ssize_t;
#endif

#endif
