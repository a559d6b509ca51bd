// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID for the guest: the host CPU's answer, less what the VM does not
 * give the guest, plus what each vCPU must see of itself. Removed: SVM
 * and VMX (no nested virtualization), x2APIC and the TSC-deadline timer
 * (the local APIC is an xAPIC), MONITOR/MWAIT (not intercepted: a guest
 * idling in MWAIT would hold its host CPU), performance counters and
 * the AMD extended APIC space. Machine checks stay: core/msr.c has banks
 * that never report an error, as QEMU's machine has. Set: the hypervisor bit, each
 * vCPU's initial APIC id (its number) and the VM's CPU count. Device or
 * VMM hooks (the hypervisor leaf) then replace leaves wholesale.
 */
#include <palacios/vmm.h>

#define L1_ECX_MONITOR		(1u << 3)
#define L1_ECX_VMX		(1u << 5)
#define L1_ECX_X2APIC		(1u << 21)
#define L1_ECX_TSC_DEADLINE	(1u << 24)
#define L1_ECX_HYPERVISOR	(1u << 31)
#define L1_EDX_HTT		(1u << 28)
#define E1_ECX_SVM		(1u << 2)
#define E1_ECX_EXTAPIC		(1u << 3)
#define E1_ECX_SKINIT		(1u << 12)
#define E1_ECX_TOPOEXT		(1u << 22)
#define E1_ECX_PERFCTR		(1u << 23)

static unsigned bits_for(unsigned n)
{
	unsigned b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

static void adjust(struct v3_vcpu *v, uint32_t leaf, uint32_t r[4])
{
	unsigned n = v->vm->nr_vcpus;

	switch (leaf) {
	case 1:
		r[1] = (r[1] & 0xffff) | n << 16 | v->id << 24;
		r[2] &= ~(L1_ECX_MONITOR | L1_ECX_VMX | L1_ECX_X2APIC |
			  L1_ECX_TSC_DEADLINE);
		r[2] |= L1_ECX_HYPERVISOR;
		r[3] &= ~L1_EDX_HTT;
		if (n > 1)
			r[3] |= L1_EDX_HTT;
		break;
	case 5:		/* MONITOR/MWAIT */
	case 0xa:	/* performance monitoring */
	case 0x8000000a:	/* SVM */
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	case 0x80000001:
		r[2] &= ~(E1_ECX_SVM | E1_ECX_EXTAPIC | E1_ECX_SKINIT |
			  E1_ECX_TOPOEXT | E1_ECX_PERFCTR);
		break;
	case 0x80000008:
		r[2] = (r[2] & ~0xf0ffu) | bits_for(n) << 12 | (n - 1);
		break;
	}
}

int v3_handle_cpuid(struct v3_vcpu *v)
{
	uint32_t leaf = v->regs.rax, subleaf = v->regs.rcx;
	const struct v3_cpuid_hook *h = v3_find_cpuid_hook(&v->vm->hooks, leaf);
	uint32_t r[4];
	int ret = 0;

	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(subleaf));
	adjust(v, leaf, r);
	if (h)
		ret = h->fn(v, leaf, subleaf, r, h->priv);
	v->regs.rax = r[0];
	v->regs.rbx = r[1];
	v->regs.rcx = r[2];
	v->regs.rdx = r[3];
	return ret;
}
