/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A checksum of the kernel's code, so that a test can tell that nothing
 * (a VMM bug, a stray DMA) wrote into it: /proc/kitten/text_sum.
 */
#ifndef KITTEN_TEXTSUM_H
#define KITTEN_TEXTSUM_H

#include <kitten/types.h>

/* FNV-1a over [_stext, _etext). */
uint64_t kernel_text_sum(void);
/* The same as one line of text, for devfs: "<16 hex digits> <bytes>\n". */
size_t kernel_text_sum_text(char *out, size_t cap);

#endif
