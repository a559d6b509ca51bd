// SPDX-License-Identifier: GPL-2.0
/*
 * Events for the guest. External interrupts are a 256-bit pending set
 * that any thread may raise into (a device, a hypercall, a host IRQ
 * handler for passthrough); the vCPU delivers the highest vector when the
 * guest can take it (svm.c's inject_event). An exception is a single slot
 * filled only by the vCPU's own thread while it handles an exit.
 */
#include <palacios/arch.h>
#include <palacios/vmm.h>

void v3_raise_irq(struct v3_vcpu *v, uint8_t vector)
{
	__atomic_or_fetch(&v->irq_pending[vector / 64], 1ull << (vector % 64),
			  __ATOMIC_SEQ_CST);
	/* A halted vCPU sleeps; a running one must exit to see it. */
	if (v->thread)
		v3_host->kick_thread(v->thread);
}

int v3_pending_irq(struct v3_vcpu *v)
{
	for (int i = 3; i >= 0; i--) {
		uint64_t w = __atomic_load_n(&v->irq_pending[i], __ATOMIC_SEQ_CST);

		if (w)
			return i * 64 + 63 - __builtin_clzll(w);
	}
	return -1;
}

void v3_ack_irq(struct v3_vcpu *v, uint8_t vector)
{
	__atomic_and_fetch(&v->irq_pending[vector / 64],
			   ~(1ull << (vector % 64)), __ATOMIC_SEQ_CST);
}

/*
 * A second exception while one waits is what the CPU would turn into a
 * double fault; a fault while delivering a double fault is a triple
 * fault, which stops the VM.
 */
void v3_raise_exception(struct v3_vcpu *v, uint8_t vector, bool has_error,
			uint32_t error)
{
	if (v->exception.valid) {
		if (v->exception.vector == 8) {
			v3_vm_stop_fmt(v->vm, "triple fault: exception %u while delivering a double fault",
				       vector);
			return;
		}
		vector = 8, has_error = true, error = 0;
	}
	v->exception = (struct v3_event){
		.valid = true, .vector = vector, .has_error = has_error,
		.error = error,
	};
}

void v3_raise_page_fault(struct v3_vcpu *v, uint64_t addr, uint32_t error)
{
	v->cr2 = addr;
	v3_raise_exception(v, 14, true, error);
}
