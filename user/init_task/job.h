/* SPDX-License-Identifier: GPL-2.0 */
/* The job description the init task reads (docs/native-api.md). */
#ifndef USER_INIT_JOB_H
#define USER_INIT_JOB_H

#include <stdint.h>

#define JOB_MAX_RANKS	64
#define JOB_MAX_ARGS	16
#define JOB_MAX_CPUS	64
#define JOB_MAX_ENV	16

struct job {
	char text[4096];		/* argument strings live here */
	const char *argv[JOB_MAX_ARGS];	/* argv[0] is the program path */
	int argc;
	const char *whole[JOB_MAX_ARGS];	/* arg= lines, in order */
	int nr_whole;
	const char *env[JOB_MAX_ENV];	/* extra environment, KEY=VALUE */
	const char *cwd;		/* working directory (NULL: /) */
	int nr_env;
	unsigned ranks;
	unsigned cpus[JOB_MAX_CPUS];
	unsigned nr_cpus;
	uint64_t heap;			/* bytes of heap per rank */
	uint32_t uid, gid;		/* credentials (default 0: root) */
	uint64_t caps;			/* KITTEN_CAP_* bits from cap= lines */
	unsigned repeat;		/* run the job this many times */
	int verbose;
	int stats;			/* print its kernel entries at the end */
	const char *error;		/* set when parsing fails */
};

/* Parse the description in text (NUL-terminated); 0 or -1 with error set. */
int job_parse(const char *text, struct job *job);

#endif
