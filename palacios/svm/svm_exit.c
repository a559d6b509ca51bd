// SPDX-License-Identifier: GPL-2.0
/*
 * #VMEXIT dispatch: one flat switch on the exit code, each case handing
 * the exit to the generic handler of its subsystem (core/exits.c, the
 * pagers) after translating SVM's exit information.
 *
 * QEMU's SVM and older AMD parts have no next-RIP save or decode assists,
 * so the length of an intercepted instruction comes from the instruction
 * itself: the fixed-length ones (CPUID, RDMSR/WRMSR, HLT, VMMCALL) are
 * advanced here, I/O gives its next RIP in EXITINFO2, and CR moves and
 * INVLPG are decoded by the generic core.
 */
#include <palacios/vmm.h>

#include "svm.h"

/* Handlers return 0 (done), V3_FAULTED (an exception is injected, the
 * instruction did not complete) or a negative value (VM stopped). */
static int complete(struct v3_vcpu *v, int ret, unsigned len)
{
	if (ret == 0)
		v->rip += len;
	return ret < 0 ? ret : 0;
}

static int io_exit(struct v3_vcpu *v, const struct vmcb *c)
{
	uint64_t info = c->exitinfo1;
	struct v3_io_exit io = {
		.port = info >> 16,
		.in = info & SVM_IOIO_IN,
		.string = info & SVM_IOIO_STR,
		.rep = info & SVM_IOIO_REP,
		.seg = (info >> SVM_IOIO_SEG_SHIFT) & 7,
		.next_rip = c->exitinfo2,
	};
	unsigned sz = (info >> SVM_IOIO_SZ_SHIFT) & 7;
	unsigned a = (info >> SVM_IOIO_A_SHIFT) & 7;

	io.size = sz & 1 ? 1 : sz & 2 ? 2 : 4;
	io.addr_size = a & 1 ? 2 : a & 2 ? 4 : 8;
	if (io.string && !io.in && io.seg == 0)
		io.seg = V3_SEG_DS_;	/* no decode assist: OUTS reads DS */
	return v3_handle_io(v, &io);
}

static int count(struct v3_vcpu *v, enum v3_exit_reason r)
{
	v->exits[r]++;
	return 0;
}

int svm_handle_exit(struct v3_vcpu *v, struct svm_vcpu *s)
{
	const struct vmcb *c = s->vmcb;
	uint64_t code = c->exitcode;

	switch (code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
		/* The host takes the interrupt as the world switch returns. */
		return count(v, V3_EXIT_INTR);
	case SVM_EXIT_VINTR:
		count(v, V3_EXIT_VINTR);
		svm_clear_vintr(s);
		return 0;
	case SVM_EXIT_IOIO:
		count(v, V3_EXIT_IO);
		return io_exit(v, c);
	case SVM_EXIT_MSR:
		count(v, V3_EXIT_MSR);
		return complete(v, v3_handle_msr(v, c->exitinfo1 == 1), 2);
	case SVM_EXIT_CPUID:
		count(v, V3_EXIT_CPUID);
		return complete(v, v3_handle_cpuid(v), 2);
	case SVM_EXIT_HLT:
		count(v, V3_EXIT_HLT);
		v->rip += 1;
		return v3_handle_hlt(v);
	case SVM_EXIT_VMMCALL:
		count(v, V3_EXIT_HYPERCALL);
		return complete(v, v3_handle_hypercall(v), 3);
	case SVM_EXIT_NPF:
		count(v, V3_EXIT_NPF);
		return v3_handle_npf(v, c->exitinfo2, c->exitinfo1);
	case SVM_EXIT_EXCP_BASE + 14:
		count(v, V3_EXIT_SHADOW_PF);
		return v3_handle_shadow_pf(v, c->exitinfo2, c->exitinfo1);
	case SVM_EXIT_CR0_READ ... SVM_EXIT_CR15_WRITE:
		count(v, V3_EXIT_CR);
		return v3_handle_cr_access(v);
	case SVM_EXIT_INVLPG:
		count(v, V3_EXIT_INVLPG);
		return v3_handle_invlpg(v);
	case SVM_EXIT_SHUTDOWN:
		count(v, V3_EXIT_SHUTDOWN);
		v3_vm_stop_fmt(v->vm, "triple fault (shutdown) at rip 0x%llx",
			       (unsigned long long)v->rip);
		return -V3_EIO;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
		/* No nested virtualization: the guest sees no SVM. */
		count(v, V3_EXIT_EXCEPTION);
		v3_raise_exception(v, 6, false, 0);
		return 0;
	case SVM_EXIT_INVALID:
	case SVM_EXIT_INVALID_32:
		v3_vm_stop_fmt(v->vm,
			       "VMRUN refused the guest state (cr0 0x%llx cr4 0x%llx efer 0x%llx rip 0x%llx)",
			       (unsigned long long)c->cr0,
			       (unsigned long long)c->cr4,
			       (unsigned long long)c->efer,
			       (unsigned long long)c->rip);
		return -V3_EIO;
	default:
		count(v, V3_EXIT_OTHER);
		v3_vm_stop_fmt(v->vm, "unhandled SVM exit 0x%llx (info 0x%llx 0x%llx)",
			       (unsigned long long)code,
			       (unsigned long long)c->exitinfo1,
			       (unsigned long long)c->exitinfo2);
		return -V3_EIO;
	}
}
