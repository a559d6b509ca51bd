/* SPDX-License-Identifier: GPL-2.0 */
/* Random bytes for getrandom and /dev/urandom (random.c). */
#ifndef KITTEN_RANDOM_H
#define KITTEN_RANDOM_H

#include <kitten/types.h>

/* Fill buf with len random bytes: from the CPU's RDRAND where it has one,
 * else from a TSC-seeded generator that is not fit for cryptography. */
void random_fill(void *buf, size_t len);
/* Whether random_fill draws on RDRAND. */
bool random_is_hardware(void);

#endif
