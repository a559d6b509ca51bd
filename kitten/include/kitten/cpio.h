/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cpio "newc" archive format (what Linux initramfs images use):
 * iteration over the entries of an archive in memory, with every header
 * field and length checked against the archive's size.
 */
#ifndef KITTEN_CPIO_H
#define KITTEN_CPIO_H

#include <kitten/types.h>

struct cpio_entry {
	const char *name;	/* NUL-terminated, inside the archive */
	uint32_t mode;		/* file type and permission bits */
	const void *data;
	uint64_t size;
};

struct cpio_reader {
	const uint8_t *base;
	size_t size;
	size_t pos;
};

void cpio_open(struct cpio_reader *r, const void *archive, size_t size);
/*
 * The next entry: 1 when one was read, 0 at the end (the TRAILER!!!
 * entry, or the end of data), -EINVAL with *why set for a corrupt archive.
 */
int cpio_next(struct cpio_reader *r, struct cpio_entry *e, const char **why);

#define CPIO_S_IFMT	0170000
#define CPIO_S_IFDIR	0040000
#define CPIO_S_IFREG	0100000
#define CPIO_S_IFLNK	0120000

#endif
