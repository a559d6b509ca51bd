// SPDX-License-Identifier: GPL-2.0
/*
 * Passthrough of a host device's memory and interrupt to the guest, the
 * paper's passthrough I/O (its ports are passed in the backend's I/O
 * permission map instead: svm.c). The image names them (image.h), and
 * v3_vm_create has checked them before this device is made:
 *
 *   - device memory [base, base + size) is mapped at the same
 *     guest-physical address, uncached, by the nested or shadow page
 *     tables, so the guest's loads and stores reach the device with no
 *     exit;
 *   - a host ISA IRQ is hooked, and each time it fires the guest's line
 *     of the same number pulses, reaching the guest through its PIC and
 *     IOAPIC like an emulated device's.
 *
 * ISA interrupts are edge-triggered, so the host can acknowledge one as
 * soon as it is forwarded. A level-triggered (PCI INTx) line would have
 * to stay masked on the host until the guest's EOI; the image cannot ask
 * for one.
 */
#include <palacios/device.h>
#include <palacios/devices_legacy.h>
#include <palacios/intr.h>
#include <palacios/vmm.h>

struct passthrough {
	struct v3_vm *vm;
	unsigned irq;		/* hooked host IRQ, or 0 */
	uint64_t forwarded;	/* interrupts passed to the guest */
};

/* In the host's interrupt handler, on whatever CPU it runs. */
static void forward_irq(unsigned irq, void *arg)
{
	struct passthrough *p = arg;

	__atomic_add_fetch(&p->forwarded, 1, __ATOMIC_RELAXED);
	v3_irq_pulse(p->vm, irq);
}

static void passthrough_free(void *priv)
{
	struct passthrough *p = priv;

	if (p->irq) {
		v3_host->unhook_irq(p->irq);
		VM_INFO(p->vm, "passthrough: %llu interrupts forwarded from host IRQ %u",
			(unsigned long long)p->forwarded, p->irq);
	}
	v3_free(p);
}

static int passthrough_create(struct v3_vm *vm, void **priv)
{
	struct passthrough *p;
	int ret;

	if (!vm->passthrough_irq && !vm->passthrough_mem_size)
		return -V3_ENODEV;
	p = v3_zalloc(sizeof(*p));
	if (!p)
		return -V3_ENOMEM;
	p->vm = vm;
	*priv = p;
	if (vm->passthrough_mem_size) {
		ret = v3_mem_add_device(&vm->mem, vm->passthrough_mem_base,
					vm->passthrough_mem_size,
					vm->passthrough_mem_base);
		if (ret)
			goto fail;
	}
	if (vm->passthrough_irq) {
		ret = v3_host->hook_irq(vm->passthrough_irq, forward_irq, p);
		if (ret)
			goto fail;
		p->irq = vm->passthrough_irq;
	}
	return 0;
fail:
	v3_free(p);
	return ret;
}

const struct v3_device_type v3_dev_passthrough = {
	.name = "passthrough",
	.create = passthrough_create,
	.free = passthrough_free,
};
