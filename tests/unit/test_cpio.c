// SPDX-License-Identifier: GPL-2.0
/* cpio newc reading, on archives written here the way cpio(1) writes them. */
#include "support.h"

#include <stdio.h>
#include <string.h>
#include <kitten/cpio.h>
#include <kitten/errno.h>

static uint8_t ar[8192];
static size_t len;

static void pad4(void)
{
	while (len % 4)
		ar[len++] = 0;
}

static void add(const char *name, uint32_t mode, const char *data)
{
	size_t dlen = data ? strlen(data) : 0;

	len += snprintf((char *)ar + len, sizeof(ar) - len,
		       "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		       1, mode, 0, 0, 1, 0, dlen, 0, 0, 0, 0, strlen(name) + 1, 0);
	memcpy(ar + len, name, strlen(name) + 1);
	len += strlen(name) + 1;
	pad4();
	if (dlen)
		memcpy(ar + len, data, dlen);
	len += dlen;
	pad4();
}

static void trailer(void)
{
	add("TRAILER!!!", 0, NULL);
}

static int setup(void **state)
{
	(void)state;
	memset(ar, 0, sizeof(ar));
	len = 0;
	return 0;
}

static void reads_a_tree(void **state)
{
	struct cpio_reader r;
	struct cpio_entry e;
	const char *why;
	(void)state;

	add("bin", CPIO_S_IFDIR | 0755, NULL);
	add("bin/hello", CPIO_S_IFREG | 0755, "hello world\n");
	add("etc/job", CPIO_S_IFREG | 0644, "x");
	add("bin/sh", CPIO_S_IFLNK | 0777, "hello");
	trailer();
	cpio_open(&r, ar, len);
	assert_int_equal(cpio_next(&r, &e, &why), 1);
	assert_string_equal(e.name, "bin");
	assert_int_equal(e.mode & CPIO_S_IFMT, CPIO_S_IFDIR);
	assert_int_equal(cpio_next(&r, &e, &why), 1);
	assert_string_equal(e.name, "bin/hello");
	assert_int_equal(e.size, 12);
	assert_memory_equal(e.data, "hello world\n", 12);
	assert_int_equal(cpio_next(&r, &e, &why), 1);
	assert_int_equal(e.size, 1);
	assert_int_equal(cpio_next(&r, &e, &why), 1);
	assert_int_equal(e.mode & CPIO_S_IFMT, CPIO_S_IFLNK);
	assert_int_equal(cpio_next(&r, &e, &why), 0);
	assert_int_equal(cpio_next(&r, &e, &why), 0);
}

static void concatenated_archives(void **state)
{
	struct cpio_reader r;
	struct cpio_entry e;
	const char *why;
	(void)state;

	add("a", CPIO_S_IFREG | 0644, "1");
	trailer();
	len += 512;		/* zero padding as block writers leave it */
	add("b", CPIO_S_IFREG | 0644, "22");
	trailer();
	cpio_open(&r, ar, len);
	assert_int_equal(cpio_next(&r, &e, &why), 1);
	assert_string_equal(e.name, "a");
	assert_int_equal(cpio_next(&r, &e, &why), 1);
	assert_string_equal(e.name, "b");
	assert_int_equal(cpio_next(&r, &e, &why), 0);
}

static void empty_archive(void **state)
{
	struct cpio_reader r;
	struct cpio_entry e;
	const char *why;
	(void)state;

	cpio_open(&r, ar, 0);
	assert_int_equal(cpio_next(&r, &e, &why), 0);
}

static void expect_corrupt(const char *reason)
{
	struct cpio_reader r;
	struct cpio_entry e;
	const char *why = NULL;

	cpio_open(&r, ar, len);
	assert_int_equal(cpio_next(&r, &e, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void corrupt_archives(void **state)
{
	(void)state;
	add("file", CPIO_S_IFREG | 0644, "data");
	size_t full = len;

	len = 50;
	expect_corrupt("truncated header");
	len = full;
	ar[0] = '1';
	expect_corrupt("not a newc cpio header");
	ar[0] = '0';
	ar[6 + 8] = 'z';			/* mode field */
	expect_corrupt("bad hexadecimal field");
	ar[6 + 8] = '0';
	memcpy(ar + 6 + 8 * 11, "00001000", 8);	/* name size 4096 */
	expect_corrupt("name runs past the end");
	memcpy(ar + 6 + 8 * 11, "00000004", 8);	/* "file" without its NUL */
	expect_corrupt("name not terminated");
	memcpy(ar + 6 + 8 * 11, "00000005", 8);
	memcpy(ar + 6 + 8 * 6, "ffffffff", 8);	/* file size 4 GiB */
	expect_corrupt("file data runs past the end");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(reads_a_tree, setup),
		cmocka_unit_test_setup(concatenated_archives, setup),
		cmocka_unit_test_setup(empty_archive, setup),
		cmocka_unit_test_setup(corrupt_archives, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
