// SPDX-License-Identifier: GPL-2.0
/*
 * Job descriptions: one `key=value` per line, `#` starts a comment.
 *
 *   program=/bin/app     the static ELF to run (required)
 *   args=a b c           its arguments, split at spaces
 *   arg=any text         one more argument, taken whole (may repeat)
 *   ranks=4              processes (default 1)
 *   cpus=0,1,2,3         rank r runs on cpus[r % count] (default: rank r on CPU r)
 *   heap=64M             heap per rank after the image (default 16M)
 *   repeat=200           run it this many times (default 1)
 *   env=KEY=VALUE        add to the environment (may repeat)
 *   cwd=/home/u/proj     the ranks' working directory (default /)
 *   verbose=1            report each rank's exit status
 *   stats=1              print the job's kernel entries at its end
 *                        (/proc/kitten/stats, docs/noise.md)
 *   uid=1000             run as this user (default 0, root)
 *   gid=1000             with this group (default: 0, or uid when uid= given)
 *   cap=NAME             grant a capability to a job that is not root:
 *                        setuid, setgid, kill, vm_passthrough, raw_io,
 *                        sys_time, sys_ptrace
 *                        (may repeat)
 */
#include "kitten.h"
#include "job.h"

static const char *parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	switch (*s) {
	case 'K': case 'k': v <<= 10; s++; break;
	case 'M': case 'm': v <<= 20; s++; break;
	case 'G': case 'g': v <<= 30; s++; break;
	}
	*out = v;
	return s;
}

/* A uid or gid: a decimal number below 2^32 - 1 (-1 means "unchanged"). */
static int parse_id(const char *v, size_t len, uint32_t *out)
{
	uint64_t n = 0;

	if (!len || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	if (n >= 0xffffffffULL)
		return -1;
	*out = n;
	return 0;
}

static const struct {
	const char *name;
	uint64_t bit;
} cap_names[] = {
	{ "setuid", KITTEN_CAP_SETUID },
	{ "setgid", KITTEN_CAP_SETGID },
	{ "kill", KITTEN_CAP_KILL },
	{ "vm_passthrough", KITTEN_CAP_VM_PASSTHROUGH },
	{ "raw_io", KITTEN_CAP_RAW_IO },
	{ "sys_time", KITTEN_CAP_SYS_TIME },
	{ "sys_ptrace", KITTEN_CAP_SYS_PTRACE },
};

static int parse_cap(const char *v, size_t len, uint64_t *caps)
{
	for (unsigned i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (strlen(cap_names[i].name) == len &&
		    !strncmp(v, cap_names[i].name, len)) {
			*caps |= cap_names[i].bit;
			return 0;
		}
	return -1;
}

static const char *find_in(const char *s, char c, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == c)
			return s + i;
	return NULL;
}

static int fail(struct job *job, const char *why)
{
	job->error = why;
	return -1;
}

/* Copy the value (up to end of line) into job->text; NULL if full. */
static char *keep(struct job *job, size_t *used, const char *v, size_t len)
{
	char *dst = job->text + *used;

	if (*used + len + 1 > sizeof(job->text))
		return NULL;
	memcpy(dst, v, len);
	dst[len] = '\0';
	*used += len + 1;
	return dst;
}

int job_parse(const char *text, struct job *job)
{
	size_t used = 0;
	char *args = NULL;
	bool gid_given = false;

	memset(job, 0, sizeof(*job));
	job->ranks = 1;
	job->heap = 16ULL << 20;
	job->repeat = 1;
	while (*text) {
		const char *eol = strchr(text, '\n'), *eq, *v;
		size_t len = eol ? (size_t)(eol - text) : strlen(text);
		uint64_t n;

		eq = find_in(text, '=', len);
		if (len && text[0] != '#' && eq) {
			size_t klen = eq - text, vlen = len - klen - 1;

			v = eq + 1;
			if (klen == 7 && !strncmp(text, "program", 7)) {
				job->argv[0] = keep(job, &used, v, vlen);
			} else if (klen == 4 && !strncmp(text, "args", 4)) {
				args = keep(job, &used, v, vlen);
			} else if (klen == 3 && !strncmp(text, "arg", 3)) {
				if (job->nr_whole == JOB_MAX_ARGS)
					return fail(job, "too many arg= lines");
				job->whole[job->nr_whole] = keep(job, &used, v, vlen);
				if (!job->whole[job->nr_whole++])
					return fail(job, "description too long");
			} else if (klen == 5 && !strncmp(text, "ranks", 5)) {
				if (!parse_size(v, &n) || n < 1 || n > JOB_MAX_RANKS)
					return fail(job, "ranks must be 1 to 64");
				job->ranks = n;
			} else if (klen == 4 && !strncmp(text, "heap", 4)) {
				if (!parse_size(v, &job->heap))
					return fail(job, "bad heap size");
			} else if (klen == 6 && !strncmp(text, "repeat", 6)) {
				if (!parse_size(v, &n) || n < 1)
					return fail(job, "bad repeat count");
				job->repeat = n;
			} else if (klen == 3 && !strncmp(text, "env", 3)) {
				if (job->nr_env == JOB_MAX_ENV)
					return fail(job, "too many env= lines");
				job->env[job->nr_env] = keep(job, &used, v, vlen);
				if (!job->env[job->nr_env++])
					return fail(job, "description too long");
			} else if (klen == 3 && !strncmp(text, "cwd", 3)) {
				job->cwd = keep(job, &used, v, vlen);
				if (!job->cwd)
					return fail(job, "description too long");
				if (job->cwd[0] != '/')
					return fail(job, "cwd must be an absolute path");
			} else if (klen == 3 && !strncmp(text, "uid", 3)) {
				if (parse_id(v, vlen, &job->uid))
					return fail(job, "uid must be a number below 4294967295");
			} else if (klen == 3 && !strncmp(text, "gid", 3)) {
				if (parse_id(v, vlen, &job->gid))
					return fail(job, "gid must be a number below 4294967295");
				gid_given = true;
			} else if (klen == 3 && !strncmp(text, "cap", 3)) {
				if (parse_cap(v, vlen, &job->caps))
					return fail(job, "unknown capability (setuid, setgid, kill, vm_passthrough, raw_io, sys_time, sys_ptrace)");
			} else if (klen == 7 && !strncmp(text, "verbose", 7)) {
				job->verbose = v[0] == '1';
			} else if (klen == 5 && !strncmp(text, "stats", 5)) {
				job->stats = v[0] == '1';
			} else if (klen == 4 && !strncmp(text, "cpus", 4)) {
				const char *p = v;

				while (p < v + vlen && job->nr_cpus < JOB_MAX_CPUS) {
					p = parse_size(p, &n);
					if (!p)
						return fail(job, "bad cpu list");
					/* A job's CPU set is a 64-bit mask. */
					if (n >= 64)
						return fail(job, "cpus: only CPUs 0-63 can be named");
					job->cpus[job->nr_cpus++] = n;
					if (*p == ',')
						p++;
				}
			} else {
				return fail(job, "unknown key");
			}
		} else if (len && text[0] != '#') {
			return fail(job, "line without '='");
		}
		text += len + (eol ? 1 : 0);
	}
	if (!job->argv[0])
		return fail(job, "no program= line");
	if (!gid_given)
		job->gid = job->uid;	/* a user's own group, as useradd makes */
	job->argc = 1;
	for (char *p = args; p && *p && job->argc < JOB_MAX_ARGS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p)
			job->argv[job->argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	for (int i = 0; i < job->nr_whole && job->argc < JOB_MAX_ARGS; i++)
		job->argv[job->argc++] = job->whole[i];
	if (!job->nr_cpus)
		for (unsigned r = 0; r < job->ranks; r++)
			job->cpus[job->nr_cpus++] = r;
	return 0;
}
