// SPDX-License-Identifier: GPL-2.0
/*
 * What every VM offers its guest to find and talk to the VMM: the
 * hypervisor CPUID leaf with Palacios's signature, and the built-in
 * hypercalls (docs/palacios-test-guests.md): echo, and raising an
 * interrupt or an exception, which the test guests use to check event
 * injection.
 */
#include <palacios/vmm.h>

#define HC_ECHO			0x1000
#define HC_RAISE_IRQ		0x1001
#define HC_RAISE_EXCEPTION	0x1002

static int hypervisor_leaf(struct v3_vcpu *v, uint32_t leaf, uint32_t subleaf,
			   uint32_t r[4], void *priv)
{
	static const char sig[12] = "Palacios3VMM";

	(void)v, (void)leaf, (void)subleaf, (void)priv;
	r[0] = 0x40000000;
	v3_memcpy(&r[1], sig, 4);
	v3_memcpy(&r[2], sig + 4, 4);
	v3_memcpy(&r[3], sig + 8, 4);
	return 0;
}

static int hc_echo(struct v3_vcpu *v, uint64_t nr, void *priv)
{
	(void)nr, (void)priv;
	v->regs.rax = v->regs.rbx + v->regs.rcx;
	return 0;
}

static int hc_raise_irq(struct v3_vcpu *v, uint64_t nr, void *priv)
{
	(void)nr, (void)priv;
	if (v->regs.rbx < 32 || v->regs.rbx > 255) {
		v->regs.rax = ~0ull;
		return 0;
	}
	v3_raise_irq(v, v->regs.rbx);
	v->regs.rax = 0;
	return 0;
}

/*
 * Delivered after the VMMCALL completes, as if the next instruction
 * faulted: the handler sees RIP past the hypercall. Only vectors that
 * are exceptions: SVM refuses to enter a guest with NMI (2) injected as
 * an exception (VMRUN fails), 15 and 22-31 are reserved, and 21 (#CP)
 * would need an error code this interface does not define.
 */
static int hc_raise_exception(struct v3_vcpu *v, uint64_t nr, void *priv)
{
	uint64_t vec = v->regs.rbx;
	bool has_error = vec == 8 || (vec >= 10 && vec <= 14) || vec == 17;

	(void)nr, (void)priv;
	if (vec > 20 || vec == 2 || vec == 15) {
		v->regs.rax = ~0ull;
		return 0;
	}
	v->regs.rax = 0;
	if (vec == 14)
		v->cr2 = v->regs.rdx;
	v3_raise_exception(v, vec, has_error, v->regs.rcx);
	return 0;
}

int v3_hypercall_init(struct v3_vm *vm)
{
	int ret;

	ret = v3_hook_cpuid(vm, 0x40000000, hypervisor_leaf, NULL);
	if (!ret)
		ret = v3_register_hypercall(vm, HC_ECHO, hc_echo, NULL);
	if (!ret)
		ret = v3_register_hypercall(vm, HC_RAISE_IRQ, hc_raise_irq, NULL);
	if (!ret)
		ret = v3_register_hypercall(vm, HC_RAISE_EXCEPTION,
					    hc_raise_exception, NULL);
	return ret;
}
