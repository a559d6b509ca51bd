// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's code never changes after boot (nothing patches it), so a
 * checksum of it taken before and after a hostile workload (a guest
 * fuzzer, DMA tests) shows whether anything wrote where it must not. The
 * range comes from the linker script; the sum is FNV-1a, cheap enough to
 * compute on every read of /proc/kitten/text_sum.
 */
#include <kitten/compiler.h>
#include <kitten/string.h>
#include <kitten/textsum.h>

extern const char _stext[], _etext[];

uint64_t kernel_text_sum(void)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const volatile unsigned char *p = (const void *)_stext;
	     p < (const unsigned char *)_etext; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

size_t kernel_text_sum_text(char *out, size_t cap)
{
	int n = snprintf(out, cap, "%016llx %lu\n",
			 (unsigned long long)kernel_text_sum(),
			 (unsigned long)(_etext - _stext));

	return n < 0 ? 0 : MIN((size_t)n, cap);
}
