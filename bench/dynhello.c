// SPDX-License-Identifier: GPL-2.0
/* A dynamically linked hello world, for bench/spawn.c to start. */
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
