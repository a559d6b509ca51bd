/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiprocessor support: starting the application processors, and
 * cross-CPU calls (function calls, TLB shootdowns) over IPIs.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

/* Physical page where APs start; below 1 MiB, reserved from the allocator. */
#define TRAMPOLINE_PHYS	0x8000

#ifndef __ASSEMBLY__
#include <kitten/types.h>

/*
 * Start the CPUs with these APIC ids (the boot CPU's own id is skipped),
 * numbering them in order; returns how many CPUs run afterwards.
 */
unsigned smp_boot_cpus(const uint32_t *apic_ids, unsigned nr);
void smp_init_ipis(void);

/* Run fn(arg) on cpu in interrupt context; wait for it to finish. */
int smp_call_function(unsigned cpu, void (*fn)(void *arg), void *arg);
/* Flush the TLB (non-global entries) of every other online CPU, and wait. */
void smp_tlb_shootdown(void);
#endif

#endif
