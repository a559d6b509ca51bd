// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD SVM backend: enabling SVM on a host CPU, a VMCB per vCPU, and
 * the run step: load the guest's state into the VMCB, inject a pending
 * event, world-switch (svm_entry.S), copy the state back and dispatch the
 * exit (svm_exit.c).
 *
 * The generic core keeps the guest's registers in struct v3_vcpu; the
 * VMCB is a cache of them that only this file touches. Under nested
 * paging the guest's CR0/CR3/CR4/EFER live in the VMCB as they are; under
 * shadow paging the VMCB holds what the hardware must use (shadow CR3,
 * paging forced on) and the guest's own values stay in v3_vcpu.
 *
 * Host physical interrupts always exit the guest (INTR intercept, virtual
 * interrupt masking): the world switch runs with GIF clear and RFLAGS.IF
 * set, and the host takes the interrupt after GIF is set again.
 */
#include <palacios/arch.h>
#include <palacios/paging.h>
#include <palacios/vmm.h>

#include "svm.h"

#define MSR_EFER		0xc0000080
#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define EFER_SVME		(1ull << 12)
#define VM_CR_SVMDIS		(1ull << 4)

#define IOPM_PAGES	3
#define MSRPM_PAGES	2
#define MAX_HOST_CPUS	256

/* Per physical CPU: VMRUN's host save area and our VMSAVE area. */
static uint64_t host_save_pa[MAX_HOST_CPUS];
static uint64_t host_vmsave_pa[MAX_HOST_CPUS];

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)val),
		     "d"((uint32_t)(val >> 32)));
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(0));
}

static bool svm_supported(const char **why)
{
	uint32_t r[4];

	cpuid(0x80000000, r);
	if (r[0] < 0x8000000a) {
		*why = "no extended CPUID leaf 0x8000000a";
		return false;
	}
	cpuid(0x80000001, r);
	if (!(r[2] & (1u << 2))) {
		*why = "the CPU has no SVM (AMD-V)";
		return false;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		*why = "SVM is disabled by the firmware (VM_CR.SVMDIS)";
		return false;
	}
	return true;
}

static bool svm_npt_supported(void)
{
	uint32_t r[4];

	cpuid(0x8000000a, r);
	return r[3] & 1;
}

static int svm_cpu_enable(void)
{
	unsigned cpu = v3_host->cpu_id();

	if (cpu >= MAX_HOST_CPUS)
		return -V3_EINVAL;
	if (!host_save_pa[cpu]) {
		host_save_pa[cpu] = v3_host->alloc_pages(1, V3_PAGE_SIZE);
		host_vmsave_pa[cpu] = v3_host->alloc_pages(1, V3_PAGE_SIZE);
		if (!host_save_pa[cpu] || !host_vmsave_pa[cpu])
			return -V3_ENOMEM;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, host_save_pa[cpu]);
	return 0;
}

/* Intercept MSR accesses, except those the VMCB switches by itself. */
static void init_msrpm(uint8_t *pm)
{
	static const uint32_t switched[] = {
		0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, /* STAR... */
		0xc0000100, 0xc0000101, 0xc0000102,	/* FS, GS, kernel GS */
		0x174, 0x175, 0x176,			/* SYSENTER */
	};

	v3_memset(pm, 0xff, MSRPM_PAGES * V3_PAGE_SIZE);
	for (unsigned i = 0; i < sizeof(switched) / sizeof(switched[0]); i++) {
		uint32_t msr = switched[i];
		unsigned base = msr >= 0xc0000000 ? 0x800 * 8 : 0;
		unsigned bit = base + (msr & 0x1fff) * 2;

		pm[bit / 8] &= ~(3u << (bit % 8));
	}
}

static void seg_to_vmcb(struct vmcb_seg *d, const struct v3_segment *s)
{
	d->selector = s->selector;
	d->attrib = s->attrib;
	d->limit = s->limit;
	d->base = s->base;
}

static void seg_from_vmcb(struct v3_segment *d, const struct vmcb_seg *s)
{
	d->selector = s->selector;
	d->attrib = s->attrib;
	d->limit = s->limit;
	d->base = s->base;
}

static int svm_vcpu_init(struct v3_vcpu *v)
{
	struct svm_vcpu *s = v3_zalloc(sizeof(*s));
	struct vmcb *c;

	if (!s)
		return -V3_ENOMEM;
	s->vmcb_pa = v3_host->alloc_pages(1, V3_PAGE_SIZE);
	s->iopm_pa = v3_host->alloc_pages(IOPM_PAGES, V3_PAGE_SIZE);
	s->msrpm_pa = v3_host->alloc_pages(MSRPM_PAGES, V3_PAGE_SIZE);
	if (!s->vmcb_pa || !s->iopm_pa || !s->msrpm_pa) {
		v->arch = s;
		svm_vcpu_free(v);
		return -V3_ENOMEM;
	}
	s->vmcb = v3_host->phys_to_virt(s->vmcb_pa);
	v->arch = s;
	c = s->vmcb;

	/* Every port exits (an unhooked one is reported), except the host
	 * ports the VM passes through, which the guest reaches directly. */
	v3_memset(v3_host->phys_to_virt(s->iopm_pa), 0xff,
		  IOPM_PAGES * V3_PAGE_SIZE);
	for (unsigned port = v->vm->passthrough_io_first;
	     v->vm->passthrough_io_last && port <= v->vm->passthrough_io_last;
	     port++)
		((uint8_t *)v3_host->phys_to_virt(s->iopm_pa))[port / 8] &=
			~(1u << (port % 8));
	init_msrpm(v3_host->phys_to_virt(s->msrpm_pa));
	c->iopm_base_pa = s->iopm_pa;
	c->msrpm_base_pa = s->msrpm_pa;

	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI |
			     SVM_INTERCEPT_SMI | SVM_INTERCEPT_CPUID |
			     SVM_INTERCEPT_HLT | SVM_INTERCEPT_INVLPGA |
			     SVM_INTERCEPT_IOIO | SVM_INTERCEPT_MSR |
			     SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			     SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			     SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT;
	c->vintr = SVM_V_INTR_MASKING;
	c->guest_asid = 1 + v->vm->id % 63;
	c->tlb_control = 1;
	c->g_pat = 0x0007040600070406ull;	/* the reset value */
	c->dr6 = 0xffff0ff0;
	c->dr7 = 0x400;
	/* No TSS or LDT yet; VMRUN wants the TR to look like a busy TSS. */
	c->tr.attrib = 0x8b;
	c->tr.limit = 0xffff;
	c->gdtr.limit = c->idtr.limit = 0xffff;

	if (v->vm->paging == V3_PAGING_NESTED) {
		c->np_enable = 1;
		c->n_cr3 = v->vm->npt_root;
	} else {
		/* CR0, CR3, CR4 reads and writes; #PF; INVLPG. */
		c->intercept_cr = 0x0019 | (0x0019 << 16);
		c->intercept_exceptions = 1u << 14;
		c->intercept_misc1 |= SVM_INTERCEPT_INVLPG;
	}
	return 0;
}

void svm_vcpu_free(struct v3_vcpu *v)
{
	struct svm_vcpu *s = v->arch;

	if (!s)
		return;
	if (s->vmcb_pa)
		v3_host->free_pages(s->vmcb_pa, 1);
	if (s->iopm_pa)
		v3_host->free_pages(s->iopm_pa, IOPM_PAGES);
	if (s->msrpm_pa)
		v3_host->free_pages(s->msrpm_pa, MSRPM_PAGES);
	v3_free(s);
	v->arch = NULL;
}

static void svm_flush_tlb(struct v3_vcpu *v)
{
	struct svm_vcpu *s = v->arch;

	s->vmcb->tlb_control = 1;
}

/* The control registers the hardware runs the guest with. */
static void load_paging_state(struct v3_vcpu *v, struct vmcb *c)
{
	if (v->vm->paging == V3_PAGING_NESTED) {
		c->cr0 = v->cr0;
		c->cr3 = v->cr3;
		c->cr4 = v->cr4;
		c->efer = v->efer | EFER_SVME;
	} else {
		struct v3_shadow_hw hw;

		v3_shadow_hw_state(v, &hw);
		c->cr0 = hw.cr0;
		c->cr3 = hw.cr3;
		c->cr4 = hw.cr4;
		c->efer = hw.efer | EFER_SVME;
	}
}

static void svm_paging_changed(struct v3_vcpu *v)
{
	struct svm_vcpu *s = v->arch;

	load_paging_state(v, s->vmcb);
	s->vmcb->tlb_control = 1;
}

static void load_state(struct v3_vcpu *v, struct vmcb *c)
{
	c->rip = v->rip;
	c->rflags = v->rflags;
	c->rsp = v->regs.rsp;
	c->rax = v->regs.rax;
	c->cr2 = v->cr2;
	c->cpl = v->cpl;
	seg_to_vmcb(&c->es, &v->seg[V3_SEG_ES_]);
	seg_to_vmcb(&c->cs, &v->seg[V3_SEG_CS_]);
	seg_to_vmcb(&c->ss, &v->seg[V3_SEG_SS_]);
	seg_to_vmcb(&c->ds, &v->seg[V3_SEG_DS_]);
	seg_to_vmcb(&c->fs, &v->seg[V3_SEG_FS_]);
	seg_to_vmcb(&c->gs, &v->seg[V3_SEG_GS_]);
	c->interrupt_shadow = v->interrupt_shadow;
	load_paging_state(v, c);
}

static void save_state(struct v3_vcpu *v, const struct vmcb *c)
{
	v->rip = c->rip;
	v->rflags = c->rflags;
	v->regs.rsp = c->rsp;
	v->regs.rax = c->rax;
	v->cr2 = c->cr2;
	v->cpl = c->cpl;
	seg_from_vmcb(&v->seg[V3_SEG_ES_], &c->es);
	seg_from_vmcb(&v->seg[V3_SEG_CS_], &c->cs);
	seg_from_vmcb(&v->seg[V3_SEG_SS_], &c->ss);
	seg_from_vmcb(&v->seg[V3_SEG_DS_], &c->ds);
	seg_from_vmcb(&v->seg[V3_SEG_FS_], &c->fs);
	seg_from_vmcb(&v->seg[V3_SEG_GS_], &c->gs);
	v->interrupt_shadow = c->interrupt_shadow & 1;
	if (v->vm->paging == V3_PAGING_NESTED) {
		v->cr0 = c->cr0;
		v->cr3 = c->cr3;
		v->cr4 = c->cr4;
		v->efer = c->efer & ~EFER_SVME;
	}
}

static uint64_t event_bits(const struct v3_event *e, uint64_t type)
{
	uint64_t bits = SVM_EVT_VALID | type | e->vector;

	if (e->has_error)
		bits |= SVM_EVT_ERR_VALID | ((uint64_t)e->error << 32);
	return bits;
}

/*
 * Choose the one event to inject on this entry, by priority: an event an
 * exit interrupted (it must be delivered first, unchanged), then an
 * exception, then an external interrupt if the guest accepts one now;
 * otherwise ask for an exit when it opens its interrupt window.
 */
static void inject_event(struct v3_vcpu *v, struct svm_vcpu *s)
{
	struct vmcb *c = s->vmcb;
	int vector;

	c->eventinj = 0;
	if (s->reinject & SVM_EVT_VALID) {
		c->eventinj = s->reinject;
		s->reinject = 0;
		return;
	}
	if (v->exception.valid) {
		c->eventinj = event_bits(&v->exception, SVM_EVT_TYPE_EXCEPTION);
		v->exception.valid = false;
		return;
	}
	vector = v3_pending_irq(v);
	if (vector < 0 && !v->want_window)
		return;
	if (vector >= 0 && (v->rflags & (1 << 9)) && !v->interrupt_shadow) {
		struct v3_event e = { .valid = true, .vector = vector };

		c->eventinj = event_bits(&e, SVM_EVT_TYPE_INTR);
		v3_ack_irq(v, vector);
		return;
	}
	/* A virtual interrupt makes the CPU exit once the guest can take one
	 * (to deliver the vector, or to look at timers: want_window). */
	c->vintr |= SVM_V_IRQ | SVM_V_IGN_TPR;
	c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
}

static int svm_vcpu_run(struct v3_vcpu *v)
{
	struct svm_vcpu *s = v->arch;
	struct vmcb *c = s->vmcb;
	unsigned cpu = v3_host->cpu_id();

	__asm__ volatile("clgi" ::: "memory");	/* see v3_arch_ops.vcpu_run */
	v3_vcpu_before_entry(v);
	load_state(v, c);
	inject_event(v, s);
	svm_world_switch(s->vmcb_pa, &v->regs, host_vmsave_pa[cpu]);
	c->tlb_control = 0;
	save_state(v, c);

	/* An event whose delivery the exit interrupted is delivered again. */
	s->reinject = c->exitintinfo & SVM_EVT_VALID ? c->exitintinfo : 0;
	if ((s->reinject & SVM_EVT_TYPE_MASK) == SVM_EVT_TYPE_SOFT)
		s->reinject = 0;	/* INTn restarts by itself */
	return svm_handle_exit(v, s);
}

/* Stop asking for interrupt-window exits (the window is open). */
void svm_clear_vintr(struct svm_vcpu *s)
{
	s->vmcb->vintr &= ~(SVM_V_IRQ | SVM_V_IGN_TPR);
	s->vmcb->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
}

const struct v3_arch_ops v3_svm_ops = {
	.name = "svm",
	.supported = svm_supported,
	.nested_paging_supported = svm_npt_supported,
	.cpu_enable = svm_cpu_enable,
	.vcpu_init = svm_vcpu_init,
	.vcpu_free = svm_vcpu_free,
	.vcpu_run = svm_vcpu_run,
	.flush_tlb = svm_flush_tlb,
	.paging_changed = svm_paging_changed,
};
