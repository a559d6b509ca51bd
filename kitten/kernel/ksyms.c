// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol lookup over the table the build generates (build/ksyms.c, sorted
 * by address). The table is weak: the first link, from which the table is
 * made, has none, and lookups then simply find nothing.
 */
#include <kitten/ksyms.h>

extern const struct ksym ksyms_table[] __attribute__((weak));
extern const uint64_t ksyms_count __attribute__((weak));
extern const char _etext[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset, uint64_t *size)
{
	size_t lo = 0, hi;

	if (!&ksyms_count || ksyms_count == 0 || addr >= (uint64_t)_etext ||
	    addr < ksyms_table[0].addr)
		return NULL;

	/* The last symbol whose address is <= addr. */
	hi = ksyms_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_table[lo].addr;
	*size = (lo + 1 < ksyms_count ? ksyms_table[lo + 1].addr
				      : (uint64_t)_etext) - ksyms_table[lo].addr;
	return ksyms_table[lo].name;
}
