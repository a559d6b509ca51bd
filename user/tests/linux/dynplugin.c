// SPDX-License-Identifier: GPL-2.0
/*
 * The plugin dyndlopen loads: a shared object with data, bss, a
 * constructor and a function calling back into libc.
 */
#include <stdio.h>
#include <string.h>

static int constructed;
static char scratch[64 << 10];		/* bss past the file's end */
int plugin_data = 1234;

__attribute__((constructor)) static void init(void)
{
	constructed = 1;
}

int plugin_answer(const char *who, char *out, size_t len)
{
	memset(scratch, 'x', sizeof(scratch));
	snprintf(out, len, "plugin says hello to %s", who);
	return constructed && scratch[sizeof(scratch) - 1] == 'x' ? 42 : -1;
}
