// SPDX-License-Identifier: GPL-2.0
/*
 * Markers around a benchmark's timed region.
 *
 * The physical limit of a benchmark is the number of user-mode
 * instructions its timed region executes, counted on the host by
 * valgrind's callgrind (bench/README.md, "The physical limit"). These two
 * functions mark where that region starts and ends: they do nothing, but
 * they are real calls that the compiler can neither inline, clone, merge
 * nor move memory accesses across, so a tool that watches function entry
 * sees them exactly where the source puts them. With callgrind:
 *
 *	--dump-before=bench_region_begin --dump-after=bench_region_end
 *
 * writes the region's counts as a dump of their own. (The primary method,
 * --toggle-collect on the function that holds the region, is described in
 * cg.c; the two are checked against each other in the README.)
 */
#ifndef BENCH_REGION_H
#define BENCH_REGION_H

void bench_region_begin(void);
void bench_region_end(void);

#endif /* BENCH_REGION_H */
