// SPDX-License-Identifier: GPL-2.0
/*
 * User values that the kernel puts into privileged state: the TLS base
 * (FS_BASE) from clone() and arch_prctl(), and the RIP and MXCSR that
 * rt_sigreturn() restores from a signal frame in user memory. On hardware
 * a non-canonical FS_BASE or RIP, or a reserved MXCSR bit, raises #GP in
 * kernel mode, so the kernel must refuse them first: QEMU's TCG does not
 * raise the #GP, so this checks the refusal itself. Linux answers the
 * same way, so the program also passes on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define ARCH_SET_FS 0x1002	/* asm/prctl.h, which musl lacks */
#define NON_CANONICAL 0x8000000000000000ULL
#define KERNEL_ADDR 0xffffffff80100000ULL

static int wrong;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("privregs: FAILED: %s\n", what);
		wrong++;
	}
}

static char stack[65536] __attribute__((aligned(16)));
static uint8_t fpstate[512] __attribute__((aligned(64)));

static void exit7(void)
{
	_exit(7);
}

/* Enter rt_sigreturn with uc as the frame the restorer would leave. */
static __attribute__((noreturn)) void sigreturn_to(ucontext_t *uc)
{
	__asm__ __volatile__("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall"
			     : : "r"(uc) : "memory");
	__builtin_unreachable();
}

/*
 * In a child: rt_sigreturn to rip with the given MXCSR (or no FPU state
 * when mxcsr is 0); returns how the child ended, as waitpid's status.
 */
static int child_sigreturn(uint64_t rip, uint32_t mxcsr)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		static ucontext_t uc;

		memset(&uc, 0, sizeof(uc));
		uc.uc_mcontext.gregs[REG_RIP] = rip;
		uc.uc_mcontext.gregs[REG_RSP] = (uint64_t)(stack + sizeof(stack) - 8);
		/* Linux's user CS and SS selectors, as a real frame has them. */
		uc.uc_mcontext.gregs[REG_CSGSFS] = 0x33 | 0x2bULL << 48;
		if (mxcsr) {
			memset(fpstate, 0, sizeof(fpstate));
			*(uint16_t *)fpstate = 0x37f;
			memcpy(fpstate + 24, &mxcsr, sizeof(mxcsr));
			uc.uc_mcontext.fpregs = (void *)fpstate;
		}
		sigreturn_to(&uc);
	}
	waitpid(pid, &status, 0);
	return status;
}

static int killed_by_segv(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static int exited_7(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 7;
}

/* clone(CLONE_SETTLS) with a bad TLS base must fail before any thread
 * exists; if it wrongly succeeded the child would run here on a stack
 * of its own and end at once. */
static long clone_with_tls(uint64_t tls)
{
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES |
			      CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
			      CLONE_SETTLS;
	long r;

	__asm__ __volatile__("mov %5, %%r10\n\t"
			     "mov %6, %%r8\n\t"
			     "syscall\n\t"
			     "test %%rax, %%rax\n\t"
			     "jnz 1f\n\t"
			     "mov $60, %%eax\n\t"	/* the child: exit(0) */
			     "xor %%edi, %%edi\n\t"
			     "syscall\n"
			     "1:"
			     : "=a"(r)
			     : "0"((long)SYS_clone), "D"(flags),
			       "S"(stack + sizeof(stack)), "d"(0L), "r"(0L),
			       "r"(tls)
			     : "rcx", "r11", "r10", "r8", "memory");
	return r;
}

int main(void)
{
	int checks = 0;

	/* The TLS base. */
	check(clone_with_tls(NON_CANONICAL) == -EPERM, "clone TLS non-canonical: EPERM"), checks++;
	check(clone_with_tls(KERNEL_ADDR) == -EPERM, "clone TLS kernel address: EPERM"), checks++;
	check(syscall(SYS_arch_prctl, ARCH_SET_FS, NON_CANONICAL) == -1 && errno == EPERM,
	      "arch_prctl(ARCH_SET_FS) non-canonical: EPERM"), checks++;

	/* rt_sigreturn: a good frame works, a bad RIP or MXCSR is SIGSEGV. */
	check(exited_7(child_sigreturn((uint64_t)exit7, 0)),
	      "rt_sigreturn to a good RIP runs there"), checks++;
	check(exited_7(child_sigreturn((uint64_t)exit7, 0x1f80)),
	      "rt_sigreturn with a good MXCSR runs"), checks++;
	check(killed_by_segv(child_sigreturn(NON_CANONICAL, 0)),
	      "rt_sigreturn to a non-canonical RIP: SIGSEGV"), checks++;
	check(killed_by_segv(child_sigreturn(KERNEL_ADDR, 0)),
	      "rt_sigreturn to a kernel RIP: SIGSEGV"), checks++;
	check(killed_by_segv(child_sigreturn((uint64_t)exit7, 0xffffffff)),
	      "rt_sigreturn with reserved MXCSR bits: SIGSEGV"), checks++;

	printf("privregs: %d checks, %d wrong\n", checks, wrong);
	return wrong != 0;
}
