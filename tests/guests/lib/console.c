/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output to the debug console, one OUT per byte, and a printf with just
 * what the tests print: %d %i %u %x %c %s %%, the l and ll length
 * modifiers, a field width and the 0 flag. Decimal conversion divides
 * unsigned long, never 64 bits on a 32-bit guest, so no libgcc is needed;
 * %llx works in both modes because hexadecimal only shifts.
 */
#include "guest.h"

static void con_write(const char *s, size_t n)
{
	while (n--)
		outb(PORT_CONSOLE, *s++);
}

static int put_padded(const char *digits, int len, int width, char pad)
{
	int n = 0;

	for (; width > len; width--, n++)
		con_write(&pad, 1);
	con_write(digits, len);
	return n + len;
}

static int put_hex(unsigned long long v, int width, char pad)
{
	char buf[16];
	int i = sizeof(buf);

	do {
		buf[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	return put_padded(buf + i, sizeof(buf) - i, width, pad);
}

static int put_dec(unsigned long v, bool neg, int width, char pad)
{
	char buf[21];
	int i = sizeof(buf);

	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	if (neg)
		buf[--i] = '-';
	return put_padded(buf + i, sizeof(buf) - i, width, pad);
}

int vprintf(const char *fmt, va_list ap)
{
	int n = 0;

	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		char pad = ' ';
		long sv;

		if (*fmt != '%') {
			con_write(fmt, 1);
			n++;
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			sv = longs ? va_arg(ap, long) : va_arg(ap, int);
			n += put_dec(sv < 0 ? -(unsigned long)sv
					    : (unsigned long)sv,
				     sv < 0, width, pad);
			break;
		case 'u':
			n += put_dec(longs ? va_arg(ap, unsigned long)
					   : va_arg(ap, unsigned int),
				     false, width, pad);
			break;
		case 'x':
			if (longs == 2)
				n += put_hex(va_arg(ap, unsigned long long),
					     width, pad);
			else if (longs == 1)
				n += put_hex(va_arg(ap, unsigned long), width,
					     pad);
			else
				n += put_hex(va_arg(ap, unsigned int), width,
					     pad);
			break;
		case 'c': {
			char c = va_arg(ap, int);

			n += put_padded(&c, 1, width, pad);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;

			while (s[len])
				len++;
			n += put_padded(s, len, width, ' ');
			break;
		}
		case '%':
			con_write("%", 1);
			n++;
			break;
		default:
			/* Unknown: show it rather than guess its argument. */
			con_write("%?", 2);
			n += 2;
			if (!*fmt)
				return n;
		}
	}
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
