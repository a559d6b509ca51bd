// SPDX-License-Identifier: GPL-2.0
/*
 * cpio newc reading. A header is "070701" followed by thirteen 8-digit
 * hexadecimal fields; the name follows, padded to 4 bytes, then the data,
 * padded to 4 bytes. Concatenated archives are fine; zero padding between
 * them is skipped.
 */
#include <kitten/compiler.h>
#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/string.h>

#define HEADER_LEN	110
#define FIELD_MODE	1
#define FIELD_FILESIZE	6
#define FIELD_NAMESIZE	11

void cpio_open(struct cpio_reader *r, const void *archive, size_t size)
{
	r->base = archive;
	r->size = size;
	r->pos = 0;
}

static bool hex_field(const uint8_t *h, int field, uint32_t *out)
{
	const uint8_t *p = h + 6 + 8 * field;
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return false;
	}
	*out = v;
	return true;
}

int cpio_next(struct cpio_reader *r, struct cpio_entry *e, const char **why)
{
	const uint8_t *h;
	uint32_t mode, filesize, namesize;
	size_t name_at, data_at;

	/* Padding between concatenated archives. */
	while (r->pos < r->size && r->base[r->pos] == 0)
		r->pos++;
	if (r->pos >= r->size)
		return 0;
	if (r->size - r->pos < HEADER_LEN) {
		*why = "truncated header";
		return -EINVAL;
	}
	h = r->base + r->pos;
	if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6)) {
		*why = "not a newc cpio header";
		return -EINVAL;
	}
	if (!hex_field(h, FIELD_MODE, &mode) ||
	    !hex_field(h, FIELD_FILESIZE, &filesize) ||
	    !hex_field(h, FIELD_NAMESIZE, &namesize)) {
		*why = "bad hexadecimal field";
		return -EINVAL;
	}
	name_at = r->pos + HEADER_LEN;
	if (namesize == 0 || namesize > r->size - name_at) {
		*why = "name runs past the end";
		return -EINVAL;
	}
	if (r->base[name_at + namesize - 1] != '\0') {
		*why = "name not terminated";
		return -EINVAL;
	}
	data_at = ALIGN_UP(name_at + namesize, 4);
	if (data_at > r->size || filesize > r->size - data_at) {
		*why = "file data runs past the end";
		return -EINVAL;
	}
	e->name = (const char *)r->base + name_at;
	e->mode = mode;
	e->data = r->base + data_at;
	e->size = filesize;
	r->pos = ALIGN_UP(data_at + filesize, 4);
	if (strcmp(e->name, "TRAILER!!!") == 0)
		return cpio_next(r, e, why);	/* another archive may follow */
	return 1;
}
