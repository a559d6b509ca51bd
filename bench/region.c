// SPDX-License-Identifier: GPL-2.0
/*
 * The region markers (region.h). They live in a file of their own so that
 * no caller sees their bodies; noipa also stops GCC from inlining them,
 * cloning them under another symbol name, or folding the two identical
 * bodies into one (-fipa-icf), any of which would hide one marker from
 * valgrind. The empty asm with a "memory" clobber keeps the compiler from
 * moving loads and stores of the timed work across a marker.
 */
#include "region.h"

__attribute__((noipa)) void bench_region_begin(void)
{
	__asm__ volatile("" ::: "memory");
}

__attribute__((noipa)) void bench_region_end(void)
{
	__asm__ volatile("" ::: "memory");
}
