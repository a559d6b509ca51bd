// SPDX-License-Identifier: GPL-2.0
/*
 * Model-specific registers the guest may write and read back but that
 * change nothing the VMM emulates: the MTRRs (memory types mean nothing
 * to guest RAM that the host maps write-back), PAT, and the AMD
 * configuration registers Linux looks at while it sets up a CPU, and
 * machine-check banks that never report an error. Each
 * vCPU keeps its own values, as each CPU has its own MSRs. Any MSR
 * neither here nor hooked by a device raises #GP, as a missing MSR does.
 */
#include <palacios/vmm.h>

struct stored_msr {
	uint32_t msr;
	uint64_t reset;
};

static const struct stored_msr stored[] = {
	{ 0xfe, 0x508 },		/* MTRRcap: WC, fixed ranges, 8 variable */
	{ 0x2ff, 0xc06 },		/* MTRRdefType: enabled, fixed on, write-back */
	{ 0x250, 0x0606060606060606ull },	/* fixed ranges: write-back */
	{ 0x258, 0x0606060606060606ull },
	{ 0x259, 0x0606060606060606ull },
	{ 0x268, 0x0606060606060606ull }, { 0x269, 0x0606060606060606ull },
	{ 0x26a, 0x0606060606060606ull }, { 0x26b, 0x0606060606060606ull },
	{ 0x26c, 0x0606060606060606ull }, { 0x26d, 0x0606060606060606ull },
	{ 0x26e, 0x0606060606060606ull }, { 0x26f, 0x0606060606060606ull },
	{ 0x200, 0 }, { 0x201, 0 }, { 0x202, 0 }, { 0x203, 0 },	/* variable */
	{ 0x204, 0 }, { 0x205, 0 }, { 0x206, 0 }, { 0x207, 0 },
	{ 0x208, 0 }, { 0x209, 0 }, { 0x20a, 0 }, { 0x20b, 0 },
	{ 0x20c, 0 }, { 0x20d, 0 }, { 0x20e, 0 }, { 0x20f, 0 },
	{ 0x277, 0x0007040600070406ull },	/* PAT, its reset value */
	{ 0x8b, 0 },			/* microcode patch level */
	{ 0xc0010010, 0 },		/* SYSCFG */
	{ 0xc0010015, 0 },		/* HWCR */
	{ 0xc001001f, 0 },		/* NB_CFG */
	{ 0xc0011029, 0 },		/* DE_CFG */
	{ 0xc0000103, 0 },		/* TSC_AUX */
	{ 0xc0010055, 0 },		/* interrupt pending message (C1E) */
	{ 0x179, 4 },			/* MCG_CAP: 4 banks, no MCG_CTL */
	{ 0x17a, 0 },			/* MCG_STATUS */
	{ 0x400, 0 }, { 0x401, 0 }, { 0x402, 0 }, { 0x403, 0 },	/* bank 0 */
	{ 0x404, 0 }, { 0x405, 0 }, { 0x406, 0 }, { 0x407, 0 },
	{ 0x408, 0 }, { 0x409, 0 }, { 0x40a, 0 }, { 0x40b, 0 },
	{ 0x40c, 0 }, { 0x40d, 0 }, { 0x40e, 0 }, { 0x40f, 0 },	/* bank 3 */
};

_Static_assert(sizeof(stored) / sizeof(stored[0]) <= V3_STORED_MSRS,
	       "raise V3_STORED_MSRS");

static int stored_read(struct v3_vcpu *v, uint32_t msr, uint64_t *val,
		       void *priv)
{
	(void)msr;
	*val = v->msrs[(uintptr_t)priv];
	return 0;
}

static int stored_write(struct v3_vcpu *v, uint32_t msr, uint64_t val,
			void *priv)
{
	(void)msr;
	v->msrs[(uintptr_t)priv] = val;
	return 0;
}

/* The TSC as an MSR reads the TSC the guest sees through RDTSC. */
static int tsc_read(struct v3_vcpu *v, uint32_t msr, uint64_t *val, void *priv)
{
	uint32_t lo, hi;

	(void)v, (void)msr, (void)priv;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	*val = (uint64_t)hi << 32 | lo;
	return 0;
}

/* Logged once per vCPU: a guest writing it in a loop must not flood the
 * host's log. */
static int tsc_write(struct v3_vcpu *v, uint32_t msr, uint64_t val, void *priv)
{
	(void)msr, (void)val, (void)priv;
	if (!v->reported_tsc_write) {
		v->reported_tsc_write = true;
		VCPU_INFO(v, "write to the TSC MSR ignored: the guest sees the host's TSC");
	}
	return 0;
}

/*
 * AMD's legacy performance counters (PerfEvtSel0-3, PerfCtr0-3) as QEMU's
 * TCG has them: writes are dropped and reads give 0. kvm-unit-tests
 * resets them at start-up; Linux writes one and reads it back, finds no
 * PMU ("not available due to virtualization") and never runs RDPMC.
 */
#define PERF_FIRST	0xc0010000
#define PERF_LAST	0xc0010007

static int perf_read(struct v3_vcpu *v, uint32_t msr, uint64_t *val, void *priv)
{
	(void)v, (void)msr, (void)priv;
	*val = 0;
	return 0;
}

static int perf_write(struct v3_vcpu *v, uint32_t msr, uint64_t val, void *priv)
{
	(void)v, (void)msr, (void)val, (void)priv;
	return 0;
}

int v3_msr_init(struct v3_vm *vm)
{
	unsigned n = sizeof(stored) / sizeof(stored[0]);
	int ret = v3_hook_msr(vm, 0x10, tsc_read, tsc_write, NULL);

	for (uint32_t msr = PERF_FIRST; msr <= PERF_LAST && !ret; msr++)
		ret = v3_hook_msr(vm, msr, perf_read, perf_write, NULL);

	for (unsigned i = 0; i < n && !ret; i++)
		ret = v3_hook_msr(vm, stored[i].msr, stored_read, stored_write,
				  (void *)(uintptr_t)i);
	for (unsigned c = 0; c < vm->nr_vcpus && !ret; c++)
		for (unsigned i = 0; i < n; i++)
			vm->vcpus[c]->msrs[i] = stored[i].reset;
	return ret;
}
