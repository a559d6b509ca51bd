// SPDX-License-Identifier: GPL-2.0
/*
 * Events for the guest (intr.h has the picture): IRQ lines to routers,
 * the APIC bus, and each vCPU's interrupt sources; plus the VMM's own
 * pending set, which hypercalls raise vectors into, and the single
 * exception slot the vCPU's exit handlers fill.
 *
 * Registration happens while the VM is created; afterwards the tables
 * are only read, from any thread.
 */
#include <palacios/arch.h>
#include <palacios/vmm.h>

#define SOURCE_VMM -1	/* the vector came from irq_pending */

int v3_register_irq_router(struct v3_vm *vm, const struct v3_irq_router_ops *ops,
			   void *priv)
{
	if (vm->nr_routers == sizeof(vm->routers) / sizeof(vm->routers[0]))
		return -V3_ENOSPC;
	vm->routers[vm->nr_routers].ops = ops;
	vm->routers[vm->nr_routers++].priv = priv;
	return 0;
}

void v3_irq_set_line(struct v3_vm *vm, unsigned irq, bool level)
{
	if (irq >= V3_IRQ_LINES)
		return;
	for (unsigned i = 0; i < vm->nr_routers; i++)
		vm->routers[i].ops->set_line(vm, irq, level, vm->routers[i].priv);
}

void v3_irq_pulse(struct v3_vm *vm, unsigned irq)
{
	v3_irq_set_line(vm, irq, true);
	v3_irq_set_line(vm, irq, false);
}

int v3_register_apic_bus(struct v3_vm *vm, const struct v3_apic_bus_ops *ops,
			 void *priv)
{
	if (vm->apic_bus)
		return -V3_EEXIST;
	vm->apic_bus = ops;
	vm->apic_bus_priv = priv;
	return 0;
}

int v3_register_eoi_listener(struct v3_vm *vm,
			     const struct v3_eoi_listener_ops *ops, void *priv)
{
	unsigned n = vm->nr_eoi_listeners;

	if (n == sizeof(vm->eoi_listeners) / sizeof(vm->eoi_listeners[0]))
		return -V3_ENOSPC;
	vm->eoi_listeners[n].ops = ops;
	vm->eoi_listeners[n].priv = priv;
	vm->nr_eoi_listeners = n + 1;
	return 0;
}

int v3_apic_send(struct v3_vm *vm, const struct v3_apic_msg *msg)
{
	if (!vm->apic_bus)
		return -V3_ENODEV;
	return vm->apic_bus->deliver(vm, msg, vm->apic_bus_priv);
}

void v3_apic_eoi_broadcast(struct v3_vm *vm, uint8_t vector)
{
	for (unsigned i = 0; i < vm->nr_eoi_listeners; i++)
		vm->eoi_listeners[i].ops->eoi(vm, vector,
					      vm->eoi_listeners[i].priv);
}

int v3_register_intr_source(struct v3_vcpu *v,
			    const struct v3_intr_source_ops *ops, void *priv)
{
	if (v->nr_sources == sizeof(v->sources) / sizeof(v->sources[0]))
		return -V3_ENOSPC;
	v->sources[v->nr_sources].ops = ops;
	v->sources[v->nr_sources++].priv = priv;
	return 0;
}

/* A halted vCPU sleeps; a running one must exit to look. */
void v3_intr_kick(struct v3_vcpu *v)
{
	if (v->thread && v3_host->cpu_id() != v->host_cpu)
		v3_host->kick_thread(v->thread);
}

void v3_raise_irq(struct v3_vcpu *v, uint8_t vector)
{
	__atomic_or_fetch(&v->irq_pending[vector / 64], 1ull << (vector % 64),
			  __ATOMIC_SEQ_CST);
	v3_intr_kick(v);
}

/*
 * The vector to inject next: the VMM's own first, then each controller
 * in turn. Only the vCPU's thread asks, and it acks what it injects
 * before asking again, so the source is remembered for the ack.
 */
int v3_pending_irq(struct v3_vcpu *v)
{
	for (int i = 3; i >= 0; i--) {
		uint64_t w = __atomic_load_n(&v->irq_pending[i], __ATOMIC_SEQ_CST);

		if (w) {
			v->acked_source = SOURCE_VMM;
			return i * 64 + 63 - __builtin_clzll(w);
		}
	}
	for (unsigned s = 0; s < v->nr_sources; s++) {
		int vec = v->sources[s].ops->pending(v, v->sources[s].priv);

		if (vec >= 0) {
			v->acked_source = s;
			return vec;
		}
	}
	return -1;
}

void v3_ack_irq(struct v3_vcpu *v, uint8_t vector)
{
	if (v->acked_source == SOURCE_VMM)
		__atomic_and_fetch(&v->irq_pending[vector / 64],
				   ~(1ull << (vector % 64)), __ATOMIC_SEQ_CST);
	else
		v->sources[v->acked_source].ops->ack(v, vector,
						     v->sources[v->acked_source].priv);
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

void v3_vcpu_init_signal(struct v3_vcpu *v)
{
	__atomic_store_n(&v->sipi_vector, -2, __ATOMIC_SEQ_CST);	/* awaiting SIPI */
	v3_intr_kick(v);
}

void v3_vcpu_startup(struct v3_vcpu *v, uint8_t vector)
{
	int expect = -2;

	/* A SIPI counts only after an INIT; a second one is ignored. */
	if (__atomic_compare_exchange_n(&v->sipi_vector, &expect, vector, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		v3_intr_kick(v);
}
