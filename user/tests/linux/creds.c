// SPDX-License-Identifier: GPL-2.0
/*
 * Credentials and signals between processes, as Linux defines them:
 * `creds UID GID` checks that the job runs as UID/GID (the job
 * description's uid=/gid=), then
 *
 *   - the get*id calls agree and there are no supplementary groups,
 *   - an unprivileged process cannot become root (setuid, setgid,
 *     setgroups give EPERM) but may set the ids it already has,
 *   - as root: setuid(1000) drops every id for good, setresuid swaps the
 *     real and effective uid and back through the saved one, setgroups
 *     works,
 *   - kill() of a forked child (default action, and a handler that
 *     finds the sender's pid and uid in its siginfo), of a
 *     process group (setpgid from the parent), of the caller's own group
 *     (pid 0), of everything it may signal (-1), tgkill() of another
 *     process's thread; EPERM for a process of another user (root makes
 *     one) and for the init task, ESRCH for no process,
 *   - setsid() in a child makes a session; the job's leader cannot,
 *   - threads share their process's credentials: setuid in one thread
 *     (which the C library broadcasts to every thread by a signal) while
 *     another waits on a condition variable changes both.
 *
 * Children report by exit status; only the parent prints: one line per
 * failure and one summary line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int checks, failures;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok) {
		failures++;
		printf("creds: FAILED: %s (errno %d)\n", what, errno);
	}
}

/* The call failed with exactly this errno. */
#define FAILS_WITH(call, err) ((call) == -1 && errno == (err))

/* A child blocked reading a pipe nobody writes: ended only by a signal. */
static pid_t blocked_child(int *wfd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(3);	/* the parent closed the pipe: not killed */
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

/* Wait for pid; 1 if it was killed by sig. Closes its pipe. */
static int killed_by(pid_t pid, int wfd, int sig)
{
	int status;

	if (wfd >= 0)
		close(wfd);
	if (waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

static int exit_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void check_ids(uid_t uid, gid_t gid)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	check(getuid() == uid && geteuid() == uid, "getuid/geteuid");
	check(getgid() == gid && getegid() == gid, "getgid/getegid");
	check(getresuid(&r, &e, &s) == 0 && r == uid && e == uid && s == uid,
	      "getresuid");
	check(getresgid(&rg, &eg, &sg) == 0 && rg == gid && eg == gid &&
		      sg == gid, "getresgid");
	check(getgroups(0, NULL) == 0, "no supplementary groups");
}

static void check_unprivileged(uid_t uid, gid_t gid)
{
	gid_t zero = 0;

	check(FAILS_WITH(setuid(0), EPERM), "unprivileged setuid(0) is EPERM");
	check(FAILS_WITH(setgid(0), EPERM), "unprivileged setgid(0) is EPERM");
	check(FAILS_WITH(seteuid(0), EPERM), "unprivileged seteuid(0) is EPERM");
	check(FAILS_WITH(setresuid(-1, 0, -1), EPERM),
	      "unprivileged setresuid(-1, 0, -1) is EPERM");
	check(FAILS_WITH(setgroups(1, &zero), EPERM),
	      "unprivileged setgroups is EPERM");
	check(setuid(uid) == 0 && setgid(gid) == 0, "setuid/setgid to itself");
	check(setresuid(-1, -1, -1) == 0, "setresuid(-1, -1, -1)");
	check(getuid() == uid && geteuid() == uid, "ids unchanged");
}

/* Child of a root parent: 0 when every rule held, else the failing step. */
static int root_rules_child(void)
{
	uid_t r, e, s;
	gid_t groups[2] = { 10, 20 }, got[4];

	if (setgroups(2, groups) || getgroups(4, got) != 2 || got[1] != 20)
		return 10;
	/* Real 1000, effective 1000, saved 0: root can come back. */
	if (setresuid(1000, 1000, 0) || getresuid(&r, &e, &s) ||
	    r != 1000 || e != 1000 || s != 0)
		return 11;
	if (!FAILS_WITH(setgroups(0, NULL), EPERM))
		return 12;	/* effective uid 1000 is not privileged */
	if (setresuid(-1, 0, -1) || geteuid() != 0)
		return 13;	/* back through the saved uid */
	/* Swap real and effective: real 0, effective 1000, saved 1000. */
	if (setreuid(0, 1000) || getresuid(&r, &e, &s) || r != 0 ||
	    e != 1000 || s != 1000)
		return 14;
	if (setreuid(1000, 0) || getuid() != 1000 || geteuid() != 0)
		return 15;	/* and back: the real uid was 0 */
	/* Root's setuid sets all three: no way back. */
	if (setuid(1000) || getresuid(&r, &e, &s) || r != 1000 ||
	    e != 1000 || s != 1000)
		return 16;
	if (!FAILS_WITH(setuid(0), EPERM) || !FAILS_WITH(seteuid(0), EPERM))
		return 17;
	return 0;
}

static void check_root(void)
{
	pid_t victim, killer;
	int wfd;

	pid_t child = fork();

	if (child == 0)
		_exit(root_rules_child());
	check(exit_status(child) == 0, "root's setuid/setresuid/setreuid rules");

	/* A process of uid 2000, and one of uid 1000 that may not signal it. */
	victim = fork();
	if (victim == 0) {
		char c;
		int p[2];

		if (setresuid(2000, 2000, 2000) || pipe(p))
			_exit(4);
		read(p[0], &c, 1);	/* nobody writes: wait for a signal */
		_exit(3);
	}
	killer = fork();
	if (killer == 0) {
		if (setuid(1000))
			_exit(4);
		if (!FAILS_WITH(kill(victim, SIGTERM), EPERM))
			_exit(5);
		if (!FAILS_WITH(kill(victim, 0), EPERM))
			_exit(6);
		_exit(0);
	}
	check(exit_status(killer) == 0,
	      "uid 1000 may not signal uid 2000: EPERM");
	(void)wfd;
	check(kill(victim, SIGTERM) == 0, "root may signal uid 2000");
	check(killed_by(victim, -1, SIGTERM), "uid 2000 process killed by root");
}

static volatile sig_atomic_t got_usr2;
static volatile pid_t usr2_pid;
static volatile uid_t usr2_uid;
static volatile int usr2_code;

static void on_usr2(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	usr2_pid = info->si_pid;
	usr2_uid = info->si_uid;
	usr2_code = info->si_code;
	got_usr2 = sig;
}

static void check_kill(void)
{
	int wfd, wfd2, ready[2];
	pid_t a, b;
	char c;

	/* Default action: the child ends, killed by the signal. */
	a = blocked_child(&wfd);
	check(kill(a, 0) == 0, "kill(child, 0)");
	check(kill(a, SIGTERM) == 0, "kill(child, SIGTERM)");
	check(killed_by(a, wfd, SIGTERM), "child killed by SIGTERM");

	/* A handler in the child runs, learns who sent the signal, and the
	 * child goes on. */
	if (pipe(ready))
		check(0, "pipe");
	a = fork();
	if (a == 0) {
		struct sigaction sa = { .sa_sigaction = on_usr2,
					.sa_flags = SA_SIGINFO };

		sigaction(SIGUSR2, &sa, NULL);
		write(ready[1], "r", 1);
		while (!got_usr2)
			sched_yield();
		_exit(usr2_pid == getppid() && usr2_uid == getuid() &&
			      usr2_code == SI_USER ? 7 : 8);
	}
	read(ready[0], &c, 1);
	check(kill(a, SIGUSR2) == 0, "kill(child, SIGUSR2)");
	check(exit_status(a) == 7,
	      "child's SIGUSR2 handler ran with the sender's pid and uid");
	close(ready[0]);
	close(ready[1]);

	/*
	 * A child blocked in waitpid() for its own child is killed too. The
	 * grandchild says "ready": it runs once the child sleeps in waitpid
	 * (they share a CPU), then blocks until the child's end of its pipe
	 * closes, when the child is gone.
	 */
	if (pipe(ready))
		check(0, "pipe");
	a = fork();
	if (a == 0) {
		int p[2];
		pid_t g;

		if (pipe(p))
			_exit(4);
		g = fork();
		if (g == 0) {
			close(p[1]);
			write(ready[1], "r", 1);
			read(p[0], &c, 1);
			_exit(3);
		}
		waitpid(g, NULL, 0);
		_exit(9);
	}
	read(ready[0], &c, 1);
	check(kill(a, SIGTERM) == 0, "kill(child in waitpid, SIGTERM)");
	check(killed_by(a, -1, SIGTERM), "child waiting for its child killed");
	close(ready[0]);
	close(ready[1]);

	/* tgkill of another process's thread. */
	a = blocked_child(&wfd);
	check(syscall(SYS_tgkill, a, a, SIGTERM) == 0, "tgkill(child, child)");
	check(killed_by(a, wfd, SIGTERM), "child killed by tgkill");

	/* A process group made by the parent: both members end. */
	a = blocked_child(&wfd);
	b = blocked_child(&wfd2);
	check(setpgid(a, a) == 0, "setpgid(a, a)");
	check(setpgid(b, a) == 0, "setpgid(b, a): join a's group");
	check(getpgid(b) == a && getpgid(a) == a, "getpgid of both is a");
	check(getpgrp() != a, "the parent stays in its group");
	check(kill(-a, SIGTERM) == 0, "kill(-pgid, SIGTERM)");
	check(killed_by(a, wfd, SIGTERM) && killed_by(b, wfd2, SIGTERM),
	      "both members of the group killed");
	check(FAILS_WITH(kill(-a, 0), ESRCH), "the emptied group is gone");

	/* pid 0: the caller's own group; the caller ignores the signal. */
	a = blocked_child(&wfd);
	signal(SIGUSR1, SIG_IGN);
	check(kill(0, SIGUSR1) == 0, "kill(0, SIGUSR1)");
	check(killed_by(a, wfd, SIGUSR1), "child in the caller's group killed");
	signal(SIGUSR1, SIG_DFL);

	/* -1: every process the caller may signal, but not itself. */
	a = blocked_child(&wfd);
	check(kill(-1, SIGTERM) == 0, "kill(-1, SIGTERM)");
	check(killed_by(a, wfd, SIGTERM), "child killed by kill(-1)");

	check(FAILS_WITH(kill(999999, 0), ESRCH), "kill(no such pid) is ESRCH");
	check(FAILS_WITH(kill(getppid(), 0), EPERM),
	      "the init task cannot be signalled");

	/* Sessions: a child makes one; the job's leader leads its own. */
	a = fork();
	if (a == 0)
		_exit(setsid() == getpid() && getsid(0) == getpid() &&
			      getpgrp() == getpid() ? 0 : 1);
	check(exit_status(a) == 0, "setsid() in a child");
	check(FAILS_WITH(setsid(), EPERM), "a group leader cannot setsid()");
	check(getsid(0) == getpid(), "the job leads its session");
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int stage;

/* Waits until the main thread has changed its uid, then reports its own. */
static void *waiter(void *arg)
{
	pthread_mutex_lock(&lock);
	stage = 1;
	pthread_cond_broadcast(&cond);
	while (stage != 2)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	*(uid_t *)arg = geteuid();
	return NULL;
}

/* In a child: a second thread, blocked meanwhile, sees the new uid. */
static int threads_share(uid_t to)
{
	pthread_t t;
	uid_t seen = (uid_t)-1;

	if (pthread_create(&t, NULL, waiter, &seen))
		return 20;
	pthread_mutex_lock(&lock);
	while (stage != 1)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	if (setuid(to))		/* the waiter sleeps in the condition */
		return 21;
	pthread_mutex_lock(&lock);
	stage = 2;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	return seen == to && geteuid() == to ? 0 : 22;
}

static void check_threads(uid_t uid)
{
	uid_t to = uid ? uid : 1000;
	pid_t a = fork();

	if (a == 0)
		_exit(threads_share(to));
	check(exit_status(a) == 0, "threads share the process's credentials");
}

int main(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc != 3) {
		printf("usage: creds UID GID\n");
		return 2;
	}
	uid = atoi(argv[1]);
	gid = atoi(argv[2]);
	setvbuf(stdout, NULL, _IONBF, 0);
	check_ids(uid, gid);
	if (uid)
		check_unprivileged(uid, gid);
	else
		check_root();
	check_kill();
	check_threads(uid);
	printf("creds: uid %u gid %u: %d checks, %s\n", (unsigned)uid,
	       (unsigned)gid, checks, failures ? "FAILED" : "all ok");
	return failures != 0;
}
