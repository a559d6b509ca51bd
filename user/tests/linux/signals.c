// SPDX-License-Identifier: GPL-2.0
/*
 * Signals as programs use them: a SIGSEGV handler that recovers with
 * siglongjmp(), a SIGFPE from a division by zero, a handler run by
 * raise() that returns normally (rt_sigreturn), and a blocked signal
 * that waits until it is unblocked.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf recover;
static volatile sig_atomic_t got;
static volatile void *fault_addr;

static void on_fault(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	got = sig;
	fault_addr = info->si_addr;
	siglongjmp(recover, 1);
}

static void on_usr1(int sig)
{
	got = sig;
}

int main(void)
{
	struct sigaction sa;
	volatile int zero = 0, ok = 1;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);

	if (!sigsetjmp(recover, 1))
		*(volatile int *)0x42 = 1;
	ok &= got == SIGSEGV && fault_addr == (void *)0x42;
	printf("signals: SIGSEGV handled at %p, recovered\n", fault_addr);

	got = 0;
	if (!sigsetjmp(recover, 1))
		printf("%d\n", 10 / zero);
	ok &= got == SIGFPE;
	printf("signals: SIGFPE %s\n", got == SIGFPE ? "handled" : "MISSED");

	signal(SIGUSR1, on_usr1);
	got = 0;
	raise(SIGUSR1);
	ok &= got == SIGUSR1;
	printf("signals: raise(SIGUSR1) ran the handler and returned\n");

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	got = 0;
	raise(SIGUSR1);
	ok &= got == 0;		/* blocked: still pending */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	ok &= got == SIGUSR1;
	printf("signals: blocked SIGUSR1 arrived when unblocked: %s\n",
	       ok ? "all ok" : "FAILED");
	return !ok;
}
