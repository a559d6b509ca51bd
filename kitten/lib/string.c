// SPDX-License-Identifier: GPL-2.0
/*
 * The string functions the kernel needs. GCC may emit calls to memcpy,
 * memset, memmove and memcmp on its own (struct copies, zeroing), so
 * these four must exist even if no code calls them by name.
 */
#include <kitten/string.h>

/*
 * Eight bytes a step, then the tail byte by byte: without the ERMS
 * feature (QEMU's qemu64 has none) "rep movsb" moves one byte per step,
 * and under TCG each step is an instruction, so a fork's copy of a 64 MiB
 * heap took 64 M of them.
 */
void *memset(void *dst, int c, size_t n)
{
	uint64_t pattern = 0x0101010101010101ULL * (unsigned char)c;
	size_t words = n / 8, tail = n % 8;
	void *ret = dst;

	__asm__ __volatile__("rep stosq\n\t"
			     "mov %[tail], %%rcx\n\t"
			     "rep stosb"
			     : "+D"(dst), "+c"(words)
			     : "a"(pattern), [tail] "r"(tail)
			     : "memory");
	return ret;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	size_t words = n / 8, tail = n % 8;
	void *ret = dst;

	__asm__ __volatile__("rep movsq\n\t"
			     "mov %[tail], %%rcx\n\t"
			     "rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(words)
			     : [tail] "r"(tail)
			     : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
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
