// SPDX-License-Identifier: GPL-2.0
/*
 * printf-style formatting for the kernel: the conversions d i u x X o p s c
 * and %, flags - 0 + space #, width and precision (also as *), and the
 * length modifiers hh h l ll z t j. Like C's vsnprintf it returns the
 * length the full output would have, so callers can detect truncation.
 */
#include <kitten/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;		/* -1: none given */
};

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	int len;

	if (!s)
		s = "(null)";
	len = sp->prec >= 0 ? (int)strnlen(s, sp->prec) : (int)strlen(s);
	if (!sp->left)
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v,
		       bool negative, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, prefix_len = 0, zeros, total;
	const char *prefix = "";
	bool zero = v == 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;	/* "%.0d" of 0 prints nothing, as in C */

	if (negative)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	if (sp->alt && base == 16 && !zero)	/* C: no 0x before a zero */
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";
	prefix_len = strlen(prefix);

	zeros = sp->prec > n ? sp->prec - n : 0;
	total = prefix_len + zeros + n;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		pad(o, ' ', sp->width - total);
	for (int i = 0; i < prefix_len; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		struct spec sp = { .prec = -1 };
		int lng = 0;	/* 0 int, 1 long, 2 long long, -1 short, -2 char */
		uint64_t v;
		bool neg = false;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (;; fmt++) {
			char f = fmt[1];

			if (f == '-')
				sp.left = true;
			else if (f == '0')
				sp.zero = true;
			else if (f == '+')
				sp.plus = true;
			else if (f == ' ')
				sp.space = true;
			else if (f == '#')
				sp.alt = true;
			else
				break;
		}
		fmt++;
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*fmt == 'h')
				lng = lng == -1 ? -2 : -1;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 2;
			else
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t s = lng >= 1 ? va_arg(ap, int64_t) : va_arg(ap, int);

			if (lng == -1)
				s = (short)s;
			else if (lng == -2)
				s = (signed char)s;
			neg = s < 0;
			v = neg ? -(uint64_t)s : (uint64_t)s;
			put_number(&o, &sp, v, neg, 10, false);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			v = lng >= 1 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng == -2)
				v = (unsigned char)v;
			put_number(&o, &sp, v, false,
				   *fmt == 'o' ? 8 : *fmt == 'u' ? 10 : 16,
				   *fmt == 'X');
			break;
		case 'p':
			sp.alt = true;
			put_number(&o, &sp, (uintptr_t)va_arg(ap, void *), false,
				   16, false);
			break;
		case 's':
			put_string(&o, &sp, va_arg(ap, const char *));
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };

			sp.prec = 1;
			put_string(&o, &sp, c);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:	/* unknown conversion: show it rather than guess */
			put(&o, '%');
			if (!*fmt)
				goto done;
			put(&o, *fmt);
			break;
		}
	}
done:
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
