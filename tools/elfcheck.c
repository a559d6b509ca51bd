// SPDX-License-Identifier: GPL-2.0
/*
 * elfcheck FILE: can Kitten run this program? The same checker the
 * kernel and the init task use, on the host, so `kitten run` refuses a
 * bad program with the same reason before anything boots.
 * Exit status 0 with "static", "static-pie", "pie" or "dynamic" (the
 * last two name their interpreter: "dynamic /lib64/ld-linux-x86-64.so.2"),
 * 1 with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <kitten/elf.h>

int main(int argc, char **argv)
{
	struct elf_image img;
	const char *why;
	FILE *f;
	long size;
	char *data;

	if (argc != 2) {
		fprintf(stderr, "usage: elfcheck FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != (size_t)size) {
		fprintf(stderr, "%s: cannot read\n", argv[1]);
		return 1;
	}
	fclose(f);
	if (elf_parse(data, size, &img, &why)) {
		printf("%s\n", why);
		return 1;
	}
	if (img.interp[0])
		printf("%s %s\n", img.pie ? "pie" : "dynamic", img.interp);
	else
		printf("%s\n", img.pie ? "static-pie" : "static");
	free(data);
	return 0;
}
