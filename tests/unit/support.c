// SPDX-License-Identifier: GPL-2.0
/* Host stand-ins for the few kernel services that pure code calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support.h"

#include <kitten/printk.h>
#include <kitten/string.h>

static char log_buf[64 * 1024];
static size_t log_len;

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	const char *text = line;
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (text[0] == KERN_SOH[0] && text[1])
		text += 2;
	size_t len = strlen(text);
	if (log_len + len >= sizeof(log_buf))
		log_len = 0;	/* a test that logs 64 KiB only needs the tail */
	memcpy(log_buf + log_len, text, len + 1);
	log_len += len;
	if (getenv("UNIT_VERBOSE"))
		fputs(text, stderr);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

const char *log_text(void)
{
	return log_buf;
}

void log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

int log_contains(const char *needle)
{
	return strstr(log_buf, needle) != NULL;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
