// SPDX-License-Identifier: GPL-2.0
/*
 * /proc's text (kitten/fs/procfs_text.c): CPU lists as Linux writes
 * them, the status and stat layouts that ps and Python parse, and the
 * path rules for /proc/self and /proc/<pid>.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kitten/errno.h>
#include <kitten/procfs.h>

static void cpulist(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(procfs_cpulist(0x1, out, sizeof(out)), 1);
	assert_string_equal(out, "0");
	procfs_cpulist(0xf, out, sizeof(out));
	assert_string_equal(out, "0-3");
	procfs_cpulist(0x2d, out, sizeof(out));	/* 0, 2-3, 5 */
	assert_string_equal(out, "0,2-3,5");
	procfs_cpulist(1ULL << 63 | 1ULL << 62 | 1, out, sizeof(out));
	assert_string_equal(out, "0,62-63");
	procfs_cpulist(0, out, sizeof(out));
	assert_string_equal(out, "");
	assert_int_equal(procfs_cpulist(0xf, out, 3), 3);	/* truncated, bounded */
}

static const uint32_t groups[] = { 10, 20 };

static const struct procfs_process proc = {
	.name = "python3", .state = 'S', .pid = 42, .ppid = 7, .pgid = 7,
	.sid = 3, .threads = 4, .uid = { 1000, 1001, 1002, 1003 },
	.gid = { 100, 101, 102, 103 }, .ngroups = 2, .groups = groups,
	.fd_size = 256, .vm_size = 64 << 20, .vm_rss = 48 << 20,
	.vm_stack = 2 << 20, .vm_data = 32 << 20, .sig_pending = 0x100,
	.sig_blocked = 0x4000, .cpus = 0x6, .utime_ticks = 1234, .cpu = 2,
	.brk_start = 0x600000,
};

/* The value of "Key:" in status text, tabs and all. */
static const char *field(const char *text, const char *key, char *out)
{
	const char *at = strstr(text, key);
	size_t n;

	assert_non_null(at);
	at += strlen(key);
	n = strcspn(at, "\n");
	memcpy(out, at, n);
	out[n] = '\0';
	return out;
}

static void status_text(void **state)
{
	char text[4096], v[128];
	size_t len = procfs_status_text(&proc, text, sizeof(text));

	(void)state;
	assert_int_equal(len, strlen(text));
	assert_string_equal(field(text, "Name:", v), "\tpython3");
	assert_string_equal(field(text, "State:", v), "\tS (sleeping)");
	assert_string_equal(field(text, "Tgid:", v), "\t42");
	assert_string_equal(field(text, "\nPid:", v), "\t42");
	assert_string_equal(field(text, "PPid:", v), "\t7");
	assert_string_equal(field(text, "Uid:", v), "\t1000\t1001\t1002\t1003");
	assert_string_equal(field(text, "Gid:", v), "\t100\t101\t102\t103");
	assert_string_equal(field(text, "Groups:", v), "\t10 20 ");
	assert_string_equal(field(text, "VmSize:", v), "\t   65536 kB");
	assert_string_equal(field(text, "VmRSS:", v), "\t   49152 kB");
	assert_string_equal(field(text, "VmStk:", v), "\t    2048 kB");
	assert_string_equal(field(text, "Threads:", v), "\t4");
	assert_string_equal(field(text, "SigPnd:", v), "\t0000000000000100");
	assert_string_equal(field(text, "SigBlk:", v), "\t0000000000004000");
	assert_string_equal(field(text, "Cpus_allowed:", v), "\t6");
	assert_string_equal(field(text, "Cpus_allowed_list:", v), "\t1-2");
	assert_int_equal(text[len - 1], '\n');
	/* Cut short, it stays within the buffer and terminated. */
	len = procfs_status_text(&proc, text, 40);
	assert_true(len <= 40);
	assert_true(strlen(text) < 40);
}

static void stat_text(void **state)
{
	char text[1024], comm[32], st;
	unsigned long f[60];
	int pid, n = 0;
	char *p;

	(void)state;
	procfs_stat_text(&proc, text, sizeof(text));
	assert_int_equal(sscanf(text, "%d (%31[^)]) %c", &pid, comm, &st), 3);
	assert_int_equal(pid, 42);
	assert_string_equal(comm, "python3");
	assert_int_equal(st, 'S');
	p = strchr(text, ')') + 4;	/* after ") S " */
	while (*p && *p != '\n') {
		f[n++] = strtoul(p, &p, 10);
		while (*p == ' ')
			p++;
	}
	assert_int_equal(n + 3, 52);	/* proc(5): 52 fields */
	/* proc(5)'s field numbers, from 4 on: f[k - 4]. */
	assert_int_equal(f[4 - 4], 7);		/* ppid */
	assert_int_equal(f[5 - 4], 7);		/* pgrp */
	assert_int_equal(f[6 - 4], 3);		/* session */
	assert_int_equal(f[14 - 4], 1234);	/* utime */
	assert_int_equal(f[20 - 4], 4);		/* num_threads */
	assert_int_equal(f[23 - 4], 64 << 20);	/* vsize, bytes */
	assert_int_equal(f[24 - 4], (48 << 20) >> 12);	/* rss, pages */
	assert_int_equal(f[39 - 4], 2);		/* processor */
	assert_int_equal(f[47 - 4], 0x600000);	/* start_brk */
}

static void pid_paths(void **state)
{
	const char *rest;

	(void)state;
	assert_int_equal(procfs_pid_of("/proc/123", &rest), 123);
	assert_string_equal(rest, "");
	assert_int_equal(procfs_pid_of("/proc/7/fd/3", &rest), 7);
	assert_string_equal(rest, "/fd/3");
	assert_int_equal(procfs_pid_of("/proc/0", &rest), 0);
	assert_int_equal(procfs_pid_of("/proc/012", &rest), 0);
	assert_int_equal(procfs_pid_of("/proc/12x", &rest), 0);
	assert_int_equal(procfs_pid_of("/proc/self", &rest), 0);
	assert_int_equal(procfs_pid_of("/proc/", &rest), 0);
	assert_int_equal(procfs_pid_of("/procs/1", &rest), 0);
	assert_int_equal(procfs_pid_of("/proc/99999999999", &rest), 0);
}

static void rewrite_self(void **state)
{
	char p[64];

	(void)state;
	strcpy(p, "/proc/self/status");
	assert_int_equal(procfs_rewrite_self(p, sizeof(p), 4711, false), 1);
	assert_string_equal(p, "/proc/4711/status");
	strcpy(p, "/proc/self/");
	assert_int_equal(procfs_rewrite_self(p, sizeof(p), 5, false), 1);
	assert_string_equal(p, "/proc/5/");
	strcpy(p, "/proc/self");		/* the link itself stays */
	assert_int_equal(procfs_rewrite_self(p, sizeof(p), 5, false), 0);
	assert_string_equal(p, "/proc/self");
	assert_int_equal(procfs_rewrite_self(p, sizeof(p), 5, true), 1);
	assert_string_equal(p, "/proc/5");
	strcpy(p, "/proc/selfish/x");
	assert_int_equal(procfs_rewrite_self(p, sizeof(p), 5, true), 0);
	strcpy(p, "/tmp/proc/self/x");
	assert_int_equal(procfs_rewrite_self(p, sizeof(p), 5, true), 0);
	strcpy(p, "/proc/self/fd");		/* 13 bytes + NUL = 14 */
	assert_int_equal(procfs_rewrite_self(p, 14, 12345, false), -ENAMETOOLONG);
	assert_string_equal(p, "/proc/self/fd");
	assert_int_equal(procfs_rewrite_self(p, 14, 123, false), 1);
	assert_string_equal(p, "/proc/123/fd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpulist),
		cmocka_unit_test(status_text),
		cmocka_unit_test(stat_text),
		cmocka_unit_test(pid_paths),
		cmocka_unit_test(rewrite_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
