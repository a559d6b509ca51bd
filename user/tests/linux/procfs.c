// SPDX-License-Identifier: GPL-2.0
/*
 * /proc as programs read it, each answer checked against what the
 * program knows of itself:
 *   - /proc/self is a link to /proc/<getpid()>; /proc/self/exe reads as
 *     the program's path; /proc/self/cmdline is argv;
 *   - /proc/self/status and stat: Pid, PPid, Uid, Threads (1, then 3
 *     with two threads running), memory (VmRSS within VmSize), the CPUs
 *     (Cpus_allowed_list as sched_getaffinity);
 *   - /proc/self/fd lists exactly the open descriptors, each a link to
 *     what it names: a path, "pipe:[N]" (both ends the same N);
 *   - /proc/self/maps has the stack (holding a local variable) and the
 *     code (holding main);
 *   - /proc/<pid> of a forked child says who its parent is, /proc lists
 *     it while it lives and not after it has been waited for;
 *   - /proc/meminfo, /proc/stat, /proc/uptime agree with sysinfo.
 * Argument: the job's CPU count. Prints "procfs: N checks, 0 wrong".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int checks, failures;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok) {
		printf("procfs: FAIL %s (errno %d)\n", what, errno);
		failures++;
	}
}

static char text[65536];

static const char *slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	text[0] = '\0';
	if (fd < 0)
		return NULL;
	while ((n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return text;
}

/* The number after "Key:\t" in /proc/<who>/status, or -1. */
static long status_field(const char *who, const char *key)
{
	char path[64];
	const char *at;

	snprintf(path, sizeof(path), "/proc/%s/status", who);
	if (!slurp(path) || !(at = strstr(text, key)))
		return -1;
	return strtol(at + strlen(key), NULL, 10);
}

static int listed(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static ssize_t link_of(const char *path, char *buf, size_t size)
{
	ssize_t n = readlink(path, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void self_links(int argc, char **argv)
{
	char buf[256], want[32];
	const char *cmd;
	size_t at = 0;
	int ok = 1;

	snprintf(want, sizeof(want), "%d", getpid());
	check(link_of("/proc/self", buf, sizeof(buf)) > 0 && !strcmp(buf, want),
	      "/proc/self is /proc/<pid>");
	check(link_of("/proc/self/exe", buf, sizeof(buf)) > 0 && !strcmp(buf, argv[0]),
	      "/proc/self/exe is the program");
	cmd = slurp("/proc/self/cmdline");
	for (int i = 0; i < argc && cmd; i++) {
		ok &= !strcmp(cmd + at, argv[i]);
		at += strlen(argv[i]) + 1;
	}
	check(cmd && ok, "/proc/self/cmdline is argv");
	cmd = slurp("/proc/self/environ");
	ok = cmd != NULL;
	at = 0;
	for (char **e = environ; *e && cmd; e++) {
		ok &= !strcmp(cmd + at, *e);
		at += strlen(*e) + 1;
	}
	check(ok && at > 0, "/proc/self/environ is the environment");
	check(link_of("/proc/self/cwd", buf, sizeof(buf)) > 0 && buf[0] == '/',
	      "/proc/self/cwd");
	printf("procfs: /proc/self -> %s, exe %s\n", want, argv[0]);
}

static volatile int stop;

static void *idle_thread(void *arg)
{
	(void)arg;
	while (!stop)
		sched_yield();
	return NULL;
}

static void status(int cpus)
{
	char want[32];
	pthread_t th[2];
	long rss, size;
	cpu_set_t set;

	check(status_field("self", "Pid:\t") == getpid(), "status: Pid");
	check(status_field("self", "PPid:\t") == getppid(), "status: PPid");
	check(status_field("self", "Uid:\t") == (long)getuid(), "status: Uid");
	check(status_field("self", "Threads:\t") == 1, "status: 1 thread");
	rss = status_field("self", "VmRSS:\t");
	size = status_field("self", "VmSize:\t");
	check(rss > 0 && size >= rss, "status: VmRSS within VmSize");
	sched_getaffinity(0, sizeof(set), &set);
	if (cpus == 1)
		snprintf(want, sizeof(want), "Cpus_allowed_list:\t0\n");
	else
		snprintf(want, sizeof(want), "Cpus_allowed_list:\t0-%d\n", cpus - 1);
	check(CPU_COUNT(&set) == cpus && slurp("/proc/self/status") &&
	      strstr(text, want), "status: Cpus_allowed_list");
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, idle_thread, NULL);
	check(status_field("self", "Threads:\t") == 3, "status: 3 threads");
	{
		char comm[64];
		int pid, ppid, threads;
		char state;

		slurp("/proc/self/stat");
		check(sscanf(text, "%d (%63[^)]) %c %d %*d %*d %*d %*d %*u %*u %*u %*u "
			     "%*u %*u %*u %*d %*d %*d %*d %d", &pid, comm, &state,
			     &ppid, &threads) == 5 && pid == getpid() &&
		      ppid == getppid() && threads == 3 && state == 'R',
		      "stat: pid, state, ppid, threads");
	}
	stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("procfs: status and stat agree with getpid, getppid, threads, CPUs\n");
}

static void fds(void)
{
	char path[64], buf[256], end0[64];
	int null = open("/dev/null", O_RDONLY), p[2], before, tmp;

	before = count_entries("/proc/self/fd");
	pipe(p);
	tmp = open("/tmp/procfs-test", O_CREAT | O_RDWR, 0600);
	check(count_entries("/proc/self/fd") == before + 3, "fd lists what is open");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", null);
	check(link_of(path, buf, sizeof(buf)) > 0 && !strcmp(buf, "/dev/null"),
	      "fd: /dev/null");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", tmp);
	check(link_of(path, buf, sizeof(buf)) > 0 && !strcmp(buf, "/tmp/procfs-test"),
	      "fd: a file's path");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	link_of(path, end0, sizeof(end0));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
	link_of(path, buf, sizeof(buf));
	check(!strncmp(end0, "pipe:[", 6) && !strcmp(end0, buf),
	      "fd: both ends of a pipe are one pipe:[N]");
	{
		struct stat st;

		check(lstat(path, &st) == 0 && S_ISLNK(st.st_mode), "fd: lstat says link");
	}
	close(p[0]);
	close(p[1]);
	close(tmp);
	snprintf(buf, sizeof(buf), "%d", tmp);
	check(!listed("/proc/self/fd", buf) && count_entries("/proc/self/fd") == before,
	      "a closed descriptor is gone");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", tmp);
	check(readlink(path, buf, sizeof(buf)) == -1 && errno == ENOENT,
	      "readlink of a closed descriptor: ENOENT");
	unlink("/tmp/procfs-test");
	close(null);
	printf("procfs: /proc/self/fd: paths, pipe:[N], open and closed\n");
}

static void maps(void)
{
	int local = 0;
	char *line;
	int stack = 0, code = 0;

	slurp("/proc/self/maps");
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if (strstr(line, "[stack]") && (uintptr_t)&local >= lo &&
		    (uintptr_t)&local < hi)
			stack = 1;
		if (perms[2] == 'x' && (uintptr_t)maps >= lo && (uintptr_t)maps < hi)
			code = 1;
	}
	check(stack, "maps: [stack] holds a local variable");
	check(code, "maps: an executable region holds the code");
	printf("procfs: maps has the stack and the code\n");
}

static void child_process(void)
{
	int go[2], status;
	char dir[32], name[16], path[64];
	struct stat st;
	pid_t child;

	pipe(go);
	child = fork();
	if (child == 0) {
		char c;

		read(go[0], &c, 1);
		_exit(0);
	}
	snprintf(name, sizeof(name), "%d", child);
	snprintf(dir, sizeof(dir), "/proc/%d", child);
	check(listed("/proc", name), "/proc lists the child");
	snprintf(path, sizeof(path), "%d", child);
	check(status_field(path, "PPid:\t") == getpid(), "the child's PPid is us");
	snprintf(path, sizeof(path), "/proc/%d/exe", child);
	write(go[1], "x", 1);
	check(waitpid(child, &status, 0) == child, "the child ended");
	check(!listed("/proc", name), "/proc no longer lists it");
	check(stat(dir, &st) == -1 && errno == ENOENT, "its directory is gone");
	printf("procfs: /proc/<pid> of a child, while it lives\n");
}

static void machine(int cpus)
{
	struct sysinfo si;
	const char *at;
	int lines = 0;
	long btime = 0;

	sysinfo(&si);
	slurp("/proc/meminfo");
	at = strstr(text, "MemTotal:");
	check(at && strtoul(at + 9, NULL, 10) == si.totalram / 1024,
	      "meminfo MemTotal is sysinfo's");
	slurp("/proc/stat");
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
		lines += !strncmp(l, "cpu", 3) && l[3] >= '0' && l[3] <= '9';
		if (!strncmp(l, "btime ", 6))
			btime = strtol(l + 6, NULL, 10);
	}
	check(lines == cpus, "stat: a line per CPU");
	check(btime > 0 && btime <= time(NULL) && time(NULL) - btime <= si.uptime + 2,
	      "stat: btime is now minus the uptime");
	check(slurp("/proc/uptime") && strtod(text, NULL) >= 0, "uptime");
	printf("procfs: meminfo, stat, uptime agree with sysinfo\n");
}

int main(int argc, char **argv)
{
	int cpus = argc > 1 ? atoi(argv[1]) : 1;

	self_links(argc, argv);
	status(cpus);
	fds();
	maps();
	child_process();
	machine(cpus);
	printf("procfs: %d checks, %d wrong\n", checks, failures);
	return failures != 0;
}
