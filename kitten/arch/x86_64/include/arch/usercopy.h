/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fault-tolerant user-memory copy (usercopy.S): returns the number of
 * bytes it could not copy, 0 on success. Only a page fault on
 * a user address is caught (user_access_fault); the range must have been
 * checked to be user memory before.
 */
#ifndef ARCH_USERCOPY_H
#define ARCH_USERCOPY_H

#include <kitten/types.h>

struct trap_frame;

uint64_t user_copy(void *dst, const void *src, uint64_t len);

/*
 * A kernel-mode page fault at addr: if user_copy caused it
 * on user memory, make it return early and say so (true).
 */
bool user_access_fault(struct trap_frame *f, uint64_t addr);

#endif
