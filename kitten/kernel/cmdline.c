// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel command-line parsing (rules in cmdline.h). The line is scanned
 * word by word each time a key is asked for: it is short, asked for a
 * handful of times at boot, and never copied or modified.
 */
#define pr_fmt(fmt) "cmdline: " fmt

#include <kitten/cmdline.h>
#include <kitten/errno.h>
#include <kitten/printk.h>
#include <kitten/string.h>

struct word {
	const char *key;	/* start of the word */
	size_t key_len;		/* up to '=' or the end of the word */
	const char *val;	/* after '=', without the opening quote */
	size_t val_len;
	bool has_val;
};

/* Read the word at *p into w, advance *p past it; false at the end. */
static bool next_word(const char **p, struct word *w)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return false;
	w->key = s;
	while (*s && *s != '=' && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	w->key_len = s - w->key;
	w->has_val = *s == '=';
	w->val = s;
	w->val_len = 0;
	if (w->has_val) {
		s++;
		if (*s == '"') {
			w->val = ++s;
			while (*s && *s != '"')
				s++;
			w->val_len = s - w->val;
			if (*s == '"')
				s++;
		} else {
			w->val = s;
			while (*s && *s != ' ' && *s != '\t' && *s != '\n')
				s++;
			w->val_len = s - w->val;
		}
	}
	*p = s;
	return true;
}

static bool is_end_marker(const struct word *w)
{
	return !w->has_val && w->key_len == 2 && strncmp(w->key, "--", 2) == 0;
}

/* The last word whose key is key, before any "--". */
static bool find(const char *cmdline, const char *key, struct word *found)
{
	size_t key_len = strlen(key);
	const char *p = cmdline;
	struct word w;
	bool ok = false;

	while (next_word(&p, &w) && !is_end_marker(&w)) {
		if (w.key_len == key_len && strncmp(w.key, key, key_len) == 0) {
			*found = w;
			ok = true;
		}
	}
	return ok;
}

bool cmdline_get(const char *cmdline, const char *key, char *val, size_t len)
{
	struct word w;

	if (!find(cmdline, key, &w))
		return false;
	if (!val)
		return true;
	if (w.val_len >= len) {
		pr_err("%s=: value longer than %zu bytes, ignored\n", key, len - 1);
		return false;
	}
	memcpy(val, w.val, w.val_len);
	val[w.val_len] = '\0';
	return true;
}

static int parse_number(const char *s, size_t len, uint64_t *out,
			const char **rest)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = 0, digits = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < len; i++, digits++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	*out = v;
	*rest = s + i;
	return 0;
}

static int parse_size_n(const char *s, size_t len, uint64_t *out)
{
	const char *rest;
	unsigned shift = 0;
	uint64_t v;
	int err = parse_number(s, len, &v, &rest);

	if (err)
		return err;
	if (rest < s + len) {
		switch (*rest) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		case 't': case 'T': shift = 40; break;
		default: return -EINVAL;
		}
		if (++rest != s + len)
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	return parse_size_n(s, strlen(s), out);
}

static int get_number(const char *cmdline, const char *key, uint64_t *out,
		      bool sized)
{
	struct word w;
	const char *rest;
	int err;

	if (!find(cmdline, key, &w) || !w.has_val)
		return -ENOENT;
	if (sized) {
		err = parse_size_n(w.val, w.val_len, out);
	} else {
		err = parse_number(w.val, w.val_len, out, &rest);
		if (!err && rest != w.val + w.val_len)
			err = -EINVAL;
	}
	if (err)
		pr_err("%s=%.*s: not a valid %s\n", key, (int)w.val_len, w.val,
		       sized ? "size" : "number");
	return err;
}

int cmdline_get_uint(const char *cmdline, const char *key, uint64_t *out)
{
	return get_number(cmdline, key, out, false);
}

int cmdline_get_size(const char *cmdline, const char *key, uint64_t *out)
{
	return get_number(cmdline, key, out, true);
}

const char *cmdline_init_args(const char *cmdline)
{
	const char *p = cmdline;
	struct word w;

	while (next_word(&p, &w))
		if (is_end_marker(&w))
			return *p == ' ' ? p + 1 : p;
	return "";
}
