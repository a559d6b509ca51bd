/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a hardware-virtualization backend provides to the generic core.
 * The backend is chosen once, in v3_init(), and reached only through this
 * table, so generic code never tests for a vendor. SVM (svm/) is the one
 * backend; docs/palacios-vmx.md says what a VMX backend would add.
 */
#ifndef PALACIOS_ARCH_H
#define PALACIOS_ARCH_H

#include <stdbool.h>

struct v3_vm;
struct v3_vcpu;

struct v3_arch_ops {
	const char *name;
	/* Whether this CPU can run guests; *why says why not. */
	bool (*supported)(const char **why);
	bool (*nested_paging_supported)(void);
	/* Enable virtualization on the calling host CPU (idempotent). */
	int (*cpu_enable)(void);

	int (*vcpu_init)(struct v3_vcpu *v);
	void (*vcpu_free)(struct v3_vcpu *v);
	/*
	 * Enter the guest once and handle the exit. Returns 0 to go on,
	 * or a negative value after stopping the VM with a reason. The
	 * backend holds host interrupts off (SVM: GIF clear), calls
	 * v3_vcpu_before_entry(), picks the event to inject and enters the
	 * guest, all without taking a host interrupt: one that arrives in
	 * between (the vCPU's timer, a kick from another vCPU) must make the
	 * guest exit at once rather than be spent in the host, or the guest
	 * could run on with a deadline passed and nothing left to end it.
	 */
	int (*vcpu_run)(struct v3_vcpu *v);
	/* The guest's paging state changed: flush its TLB on next entry. */
	void (*flush_tlb)(struct v3_vcpu *v);
	/* The guest's CR0/CR3/CR4/EFER (v->cr*) changed under the VMM. */
	void (*paging_changed)(struct v3_vcpu *v);
};

/* The core's last word before an entry (host interrupts held off). */
void v3_vcpu_before_entry(struct v3_vcpu *v);

extern const struct v3_arch_ops v3_svm_ops;
extern const struct v3_arch_ops *v3_arch;

#endif
