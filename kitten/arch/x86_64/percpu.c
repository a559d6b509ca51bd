// SPDX-License-Identifier: GPL-2.0
/* The table of CPUs and the GS-base link from each CPU to its own entry. */
#include <arch/percpu.h>
#include <arch/x86.h>

_Static_assert(__builtin_offsetof(struct cpu, kernel_rsp) == CPU_KERNEL_RSP,
	       "entry.S expects kernel_rsp here");
_Static_assert(__builtin_offsetof(struct cpu, user_rsp) == CPU_USER_RSP,
	       "entry.S expects user_rsp here");

struct cpu *cpus[CONFIG_NR_CPUS];
unsigned nr_cpus_online;
static bool ready;

void percpu_install(struct cpu *cpu)
{
	cpu->self = cpu;
	cpus[cpu->id] = cpu;
	wrmsr(MSR_GS_BASE, (uint64_t)cpu);
	/* swapgs on entry from user mode exchanges these two. */
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	ready = true;
}

bool percpu_ready(void)
{
	return ready;
}
