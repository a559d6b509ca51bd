/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel command line: words separated by spaces, each `key=value` or
 * a bare `flag`. Double quotes group a value with spaces in it
 * (init="/bin/sh -c x"). A word `--` ends the kernel's arguments; the rest
 * belongs to the init task. When a key appears twice the last one wins.
 */
#ifndef KITTEN_CMDLINE_H
#define KITTEN_CMDLINE_H

#include <kitten/types.h>

/*
 * Find key; copy its value (without quotes; "" for a bare flag) into val.
 * val may be NULL to test for presence only. Returns false when the key
 * is absent or its value does not fit in len bytes (which is logged).
 */
bool cmdline_get(const char *cmdline, const char *key, char *val, size_t len);

/* key=<number>: decimal or 0x hex. 0, -ENOENT, -EINVAL or -ERANGE. */
int cmdline_get_uint(const char *cmdline, const char *key, uint64_t *out);
/* key=<size>: a number with an optional K, M, G or T suffix. */
int cmdline_get_size(const char *cmdline, const char *key, uint64_t *out);

/* Parse "512M", "0x1000", "4g"; 0, -EINVAL or -ERANGE. */
int parse_size(const char *s, uint64_t *out);

/* What follows the "--" word, or "" when there is none. */
const char *cmdline_init_args(const char *cmdline);

#endif
