/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel self-tests, reported in KTAP (the Linux kernel's test output
 * format) on the console. A suite is a named array of cases; it registers
 * itself with KTEST_SUITE() and runs when the ktest= argument names it
 * (ktest=all runs every suite but those KTEST_SUITE_NAMED_ONLY() marks).
 * Checks do not stop a case: each failed check prints a diagnostic line,
 * and the case fails if any check did.
 */
#ifndef KITTEN_KTEST_H
#define KITTEN_KTEST_H

#include <kitten/compiler.h>
#include <kitten/types.h>

struct ktest {
	const char *case_name;
	unsigned failures;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	size_t nr_cases;
	bool named_only;	/* not under ktest=all: see below */
};

#define KTEST_CASE(fn) { #fn, fn }

#define KTEST_SUITE(sname, case_array)                                   \
	static const struct ktest_suite __ktest_suite_##sname __used       \
		__section(".ktest_suites") __aligned(8) = {                \
		.name = #sname,                                           \
		.cases = case_array,                                      \
		.nr_cases = ARRAY_SIZE(case_array),                       \
	}

/*
 * A suite that needs something the boot must provide (a device, files on
 * the host) runs only when ktest= names it; ktest=all leaves it out, so
 * it is neither skipped nor failed on a machine not set up for it.
 */
#define KTEST_SUITE_NAMED_ONLY(sname, case_array)                        \
	static const struct ktest_suite __ktest_suite_##sname __used       \
		__section(".ktest_suites") __aligned(8) = {                \
		.name = #sname,                                           \
		.cases = case_array,                                      \
		.nr_cases = ARRAY_SIZE(case_array),                       \
		.named_only = true,                                       \
	}

__printf(4, 5) void ktest_fail(struct ktest *t, const char *file, int line,
			       const char *fmt, ...);

#define KTEST_EXPECT(t, cond)                                             \
	do {                                                              \
		if (!(cond))                                              \
			ktest_fail(t, __FILE__, __LINE__,                 \
				   "expected %s", #cond);                 \
	} while (0)

#define KTEST_EXPECT_EQ(t, a, b)                                          \
	do {                                                              \
		uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);        \
		if (__a != __b)                                           \
			ktest_fail(t, __FILE__, __LINE__,                 \
				   "expected %s == %s, got %#lx and %#lx", \
				   #a, #b, __a, __b);                     \
	} while (0)

/*
 * Run the suites named in the comma-separated list ("all" for every one).
 * Returns the number of failed cases.
 */
unsigned ktest_run(const char *selection);

#endif
