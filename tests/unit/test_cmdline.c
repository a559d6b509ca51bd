// SPDX-License-Identifier: GPL-2.0
/* Kernel command-line parsing. */
#include "support.h"

#include <string.h>
#include <kitten/cmdline.h>
#include <kitten/errno.h>

static void key_value_and_flags(void **state)
{
	const char *cl = "/boot/kitten console=ttyS1 loglevel=7 quiet ktest=all";
	char v[32];
	(void)state;

	assert_true(cmdline_get(cl, "console", v, sizeof(v)));
	assert_string_equal(v, "ttyS1");
	assert_true(cmdline_get(cl, "quiet", v, sizeof(v)));
	assert_string_equal(v, "");
	assert_true(cmdline_get(cl, "ktest", NULL, 0));
	assert_false(cmdline_get(cl, "init", v, sizeof(v)));
}

static void whole_words_only(void **state)
{
	const char *cl = "xmem=1G memx=2G mem_size=3 mem";
	char v[8];
	uint64_t n;
	(void)state;

	assert_true(cmdline_get(cl, "mem", v, sizeof(v)));
	assert_string_equal(v, "");		/* the bare flag, not xmem */
	assert_int_equal(cmdline_get_size(cl, "mem", &n), -ENOENT);
	assert_false(cmdline_get(cl, "me", v, sizeof(v)));
}

static void quotes_group_values(void **state)
{
	const char *cl = "init=\"/bin/sh -c 'echo mem=1G'\" mem=2G";
	char v[64];
	uint64_t n;
	(void)state;

	assert_true(cmdline_get(cl, "init", v, sizeof(v)));
	assert_string_equal(v, "/bin/sh -c 'echo mem=1G'");
	assert_int_equal(cmdline_get_size(cl, "mem", &n), 0);
	assert_int_equal(n, 2ULL << 30);	/* not the quoted one */
}

static void last_occurrence_wins(void **state)
{
	uint64_t n;
	(void)state;

	assert_int_equal(cmdline_get_uint("loglevel=3 loglevel=5", "loglevel", &n), 0);
	assert_int_equal(n, 5);
}

static void double_dash_ends_kernel_args(void **state)
{
	const char *cl = "mem=1G -- mem=2G --verbose x";
	uint64_t n;
	(void)state;

	assert_int_equal(cmdline_get_size(cl, "mem", &n), 0);
	assert_int_equal(n, 1ULL << 30);
	assert_string_equal(cmdline_init_args(cl), "mem=2G --verbose x");
	assert_string_equal(cmdline_init_args("a b"), "");
	assert_false(cmdline_get(cl, "--verbose", NULL, 0));
}

static void sizes(void **state)
{
	uint64_t n;
	(void)state;

	assert_int_equal(parse_size("512M", &n), 0);
	assert_int_equal(n, 512ULL << 20);
	assert_int_equal(parse_size("4g", &n), 0);
	assert_int_equal(n, 4ULL << 30);
	assert_int_equal(parse_size("64k", &n), 0);
	assert_int_equal(n, 64 << 10);
	assert_int_equal(parse_size("2T", &n), 0);
	assert_int_equal(n, 2ULL << 40);
	assert_int_equal(parse_size("0x1000", &n), 0);
	assert_int_equal(n, 0x1000);
	assert_int_equal(parse_size("123", &n), 0);
	assert_int_equal(n, 123);
}

static void bad_sizes_rejected(void **state)
{
	uint64_t n = 77;
	(void)state;

	assert_int_equal(parse_size("", &n), -EINVAL);
	assert_int_equal(parse_size("M", &n), -EINVAL);
	assert_int_equal(parse_size("12Q", &n), -EINVAL);
	assert_int_equal(parse_size("12MB", &n), -EINVAL);
	assert_int_equal(parse_size("0x", &n), -EINVAL);
	assert_int_equal(parse_size("-5", &n), -EINVAL);
	assert_int_equal(parse_size("18446744073709551616", &n), -ERANGE);
	assert_int_equal(parse_size("17179869184G", &n), -ERANGE);	/* 2^64 */
	assert_int_equal(n, 77);	/* untouched on error */
	log_reset();
	assert_int_equal(cmdline_get_size("mem=lots", "mem", &n), -EINVAL);
	assert_true(log_contains("mem=lots: not a valid size"));
}

static void numbers(void **state)
{
	uint64_t n;
	(void)state;

	assert_int_equal(cmdline_get_uint("cpus=8", "cpus", &n), 0);
	assert_int_equal(n, 8);
	assert_int_equal(cmdline_get_uint("cpus=0x10", "cpus", &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(cmdline_get_uint("cpus=8k", "cpus", &n), -EINVAL);
	assert_int_equal(cmdline_get_uint("cpus", "cpus", &n), -ENOENT);
}

static void value_too_long_is_reported(void **state)
{
	char v[4];
	(void)state;

	log_reset();
	assert_false(cmdline_get("init=/sbin/init", "init", v, sizeof(v)));
	assert_true(log_contains("longer than 3 bytes"));
	assert_true(cmdline_get("init=/ab", "init", v, sizeof(v)));
	assert_string_equal(v, "/ab");
}

static void whitespace_and_empty(void **state)
{
	char v[8];
	(void)state;

	assert_false(cmdline_get("", "a", v, sizeof(v)));
	assert_true(cmdline_get("  \t a=1 \n ", "a", v, sizeof(v)));
	assert_string_equal(v, "1");
	assert_true(cmdline_get("a=", "a", v, sizeof(v)));
	assert_string_equal(v, "");
	/* An unterminated quote runs to the end of the line. */
	assert_true(cmdline_get("a=\"x y", "a", v, sizeof(v)));
	assert_string_equal(v, "x y");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_value_and_flags),
		cmocka_unit_test(whole_words_only),
		cmocka_unit_test(quotes_group_values),
		cmocka_unit_test(last_occurrence_wins),
		cmocka_unit_test(double_dash_ends_kernel_args),
		cmocka_unit_test(sizes),
		cmocka_unit_test(bad_sizes_rejected),
		cmocka_unit_test(numbers),
		cmocka_unit_test(value_too_long_is_reported),
		cmocka_unit_test(whitespace_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
