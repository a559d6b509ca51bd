/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own symbol table, generated at build time from a first link
 * (tools/mksyms), used to print backtraces with function names.
 */
#ifndef KITTEN_KSYMS_H
#define KITTEN_KSYMS_H

#include <kitten/types.h>

struct ksym {
	uint64_t addr;
	const char *name;
};

/*
 * Find the function containing addr. Returns its name and sets *offset and
 * *size, or returns NULL if addr is not in kernel text.
 */
const char *ksym_lookup(uint64_t addr, uint64_t *offset, uint64_t *size);

#endif
