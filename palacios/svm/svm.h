/* SPDX-License-Identifier: GPL-2.0 */
/* The SVM backend's private state, shared by its files. */
#ifndef PALACIOS_SVM_SVM_H
#define PALACIOS_SVM_SVM_H

#include <stdint.h>

#include "vmcb.h"

struct v3_gprs;
struct v3_vcpu;

struct svm_vcpu {
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	uint64_t iopm_pa, msrpm_pa;
	uint64_t reinject;	/* EXITINTINFO to deliver on the next entry */
};

/* svm_entry.S: run the guest until the next #VMEXIT; call with GIF clear. */
void svm_world_switch(uint64_t vmcb_pa, struct v3_gprs *regs,
		      uint64_t host_vmsave_pa);

int svm_handle_exit(struct v3_vcpu *v, struct svm_vcpu *s);
void svm_clear_vintr(struct svm_vcpu *s);
void svm_vcpu_free(struct v3_vcpu *v);

#endif
