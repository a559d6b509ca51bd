// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's printf formatting against the C library's, which is the
 * reference for every conversion the kernel supports. (This file is built
 * with snprintf renamed to kernel_snprintf, so the C library's versions
 * are reached under other names below.)
 */
#include "support.h"

#include <stdio.h>
#include <string.h>

#undef snprintf
#undef vsnprintf

/* stdio.h declared these under the renamed names: the C library's own. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int kernel_snprintf(char *buf, size_t size, const char *fmt, ...);

/* The C library's snprintf, by a name the macro does not touch. */
static int libc_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define SAME(...)                                                          \
	do {                                                               \
		char want[256], got[256];                                  \
		int wn = libc_snprintf(want, sizeof(want), __VA_ARGS__);   \
		int gn = kernel_snprintf(got, sizeof(got), __VA_ARGS__);   \
		assert_string_equal(got, want);                            \
		assert_int_equal(gn, wn);                                  \
	} while (0)

static void integers(void **state)
{
	(void)state;
	static const long long values[] = {
		0, 1, -1, 42, -42, 127, -128, 255, 65535, -32768,
		2147483647LL, -2147483648LL, 4294967295LL,
		9223372036854775807LL, -9223372036854775807LL - 1,
	};

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		long long v = values[i];

		SAME("%d|%i|%u|%x|%X|%o", (int)v, (int)v, (unsigned)v,
		     (unsigned)v, (unsigned)v, (unsigned)v);
		SAME("%lld|%llu|%llx|%lo", v, (unsigned long long)v,
		     (unsigned long long)v, (unsigned long)v);
		SAME("%ld|%lu|%zu|%zd", (long)v, (unsigned long)v, (size_t)v,
		     (ssize_t)v);
		SAME("%hd|%hu|%hhd|%hhu|%hx", (short)v, (unsigned short)v,
		     (signed char)v, (unsigned char)v, (unsigned short)v);
	}
}

static void flags_width_precision(void **state)
{
	(void)state;
	static const int values[] = { 0, 7, -7, 123456, -123456 };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int v = values[i];

		SAME("[%8d][%-8d][%08d][%+d][% d][%+08d]", v, v, v, v, v, v);
		SAME("[%.3d][%8.3d][%-8.3d][%.0d]", v, v, v, v);
		SAME("[%#x][%#X][%#o][%#08x][%#.5x]", v, v, v, v, v);
		SAME("[%*d][%-*d][%.*d][%*d]", 6, v, 6, v, 4, v, -6, v);
	}
}

static void strings_chars_pointers(void **state)
{
	(void)state;
	SAME("[%s][%10s][%-10s][%.2s][%10.2s]", "kitten", "kitten", "kitten",
	     "kitten", "kitten");
	SAME("[%c][%3c][%-3c]", 'a', 'b', 'c');
	SAME("[%p][%20p]", (void *)0x1234, (void *)0xffffffff80000000UL);
	SAME("100%%");
}

static void truncation(void **state)
{
	char buf[8];
	(void)state;

	assert_int_equal(kernel_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(kernel_snprintf(buf, 1, "%d", 12345), 5);
	assert_string_equal(buf, "");
	/* Size 0 writes nothing at all and still returns the length. */
	buf[0] = 'x';
	assert_int_equal(kernel_snprintf(buf, 0, "abc"), 3);
	assert_int_equal(buf[0], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers),
		cmocka_unit_test(flags_width_precision),
		cmocka_unit_test(strings_chars_pointers),
		cmocka_unit_test(truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
