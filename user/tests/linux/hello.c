// SPDX-License-Identifier: GPL-2.0
/*
 * An ordinary C program, built with the C library's own static linking
 * (glibc or musl): prints its arguments, then exits with the status its
 * first argument names, or aborts on "abort".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("hello from %s with %d argument(s):", argv[0], argc - 1);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "abort") == 0)
		abort();
	return argc > 1 ? atoi(argv[1]) : 0;
}
