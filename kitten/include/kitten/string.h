/* SPDX-License-Identifier: GPL-2.0 */
/* The C library string and formatting functions the kernel provides itself. */
#ifndef KITTEN_STRING_H
#define KITTEN_STRING_H

#include <kitten/types.h>

#ifdef __KITTEN_HOST_TEST
#include <string.h>
#include <stdio.h>
/* glibc before 2.38 lacks strlcpy: tests/unit/support.c provides it. */
size_t strlcpy(char *dst, const char *src, size_t size);
#else
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#endif

#endif
