// SPDX-License-Identifier: GPL-2.0
/* The hardware-less VM for device tests (v3_fixture.h). */
#include "support.h"
#include "v3_fixture.h"

#include <kitten/printk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t fx_now;
const struct v3_host_ops *v3_host;

#define FX_RAM (16u << 20)

static uint64_t fake_alloc_pages(uint64_t pages, uint64_t align)
{
	void *p = aligned_alloc(align < 4096 ? 4096 : align, pages * 4096);

	if (p)
		memset(p, 0, pages * 4096);
	return (uint64_t)(uintptr_t)p;
}

static void fake_free_pages(uint64_t pa, uint64_t pages)
{
	(void)pages;
	free((void *)(uintptr_t)pa);
}

static void *fake_malloc(size_t size) { return calloc(1, size); }
static void *fake_p2v(uint64_t pa) { return (void *)(uintptr_t)pa; }
static uint64_t fake_v2p(const void *va) { return (uint64_t)(uintptr_t)va; }
static void fake_print(const char *line) { printk("%s\n", line); }
static unsigned fake_num_cpus(void) { return 64; }
static unsigned fake_cpu_id(void) { return 0; }
static uint64_t fake_khz(void) { return 1000000; }
static uint64_t fake_time(void) { return fx_now; }
static void fake_kick(void *t) { (void)t; }
static void *fake_lock_create(const char *n, unsigned l) { (void)n, (void)l; return calloc(1, 1); }
static unsigned long fake_lock(void *l) { (void)l; return 0; }
static void fake_unlock(void *l, unsigned long f) { (void)l, (void)f; }
static void fake_event(void *d) { (void)d; }

static const struct v3_host_ops fake_host = {
	.version = V3_HOST_OPS_VERSION,
	.size = sizeof(struct v3_host_ops),
	.alloc_pages = fake_alloc_pages,
	.free_pages = fake_free_pages,
	.malloc = fake_malloc,
	.free = free,
	.phys_to_virt = fake_p2v,
	.virt_to_phys = fake_v2p,
	.vsnprintf = vsnprintf,
	.print = fake_print,
	.num_cpus = fake_num_cpus,
	.cpu_id = fake_cpu_id,
	.cpu_khz = fake_khz,
	.time_ns = fake_time,
	.kick_thread = fake_kick,
	.lock_create = fake_lock_create,
	.lock_free = free,
	.lock = fake_lock,
	.unlock = fake_unlock,
	.vm_event = fake_event,
};

/* What core/vmm.c and core/vm.c provide in the real library. */
int v3_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void v3_log(const struct v3_vm *vm, int vcpu, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	(void)vm, (void)vcpu;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printk("palacios: %s\n", line);
}

void *v3_zalloc(size_t size) { return calloc(1, size); }
void v3_free(void *p) { free(p); }

void v3_vm_stop_fmt(struct v3_vm *vm, const char *fmt, ...)
{
	va_list ap;

	if (vm->stop_requested)
		return;
	va_start(ap, fmt);
	vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	vm->stop_requested = true;
}

void v3_console_write(struct v3_vm *vm, const char *buf, size_t len)
{
	struct v3_console *c = &vm->console;

	for (size_t i = 0; i < len && c->head - c->tail < sizeof(c->buf) - 1; i++)
		c->buf[c->head++ % sizeof(c->buf)] = buf[i];
}

const char *fx_console(struct v3_vm *vm)
{
	struct v3_console *c = &vm->console;

	c->buf[c->head % sizeof(c->buf)] = '\0';
	return c->buf;
}

struct v3_vm *fx_vm_create(unsigned nr_vcpus)
{
	struct v3_vm *vm = calloc(1, sizeof(*vm));

	v3_host = &fake_host;
	assert_non_null(vm);
	vm->nr_vcpus = nr_vcpus;
	vm->mem_size = FX_RAM;
	vm->ram_pages = FX_RAM / 4096;
	vm->ram_hpa = fake_alloc_pages(vm->ram_pages, 4096);
	assert_int_equal(v3_mem_add_ram(&vm->mem, 0, FX_RAM, vm->ram_hpa), 0);
	for (unsigned i = 0; i < nr_vcpus; i++) {
		struct v3_vcpu *v = calloc(1, sizeof(*v));

		assert_non_null(v);
		v->vm = vm;
		v->id = i;
		v->runnable = true;
		v->sipi_vector = -1;
		vm->vcpus[i] = v;
	}
	return vm;
}

void fx_vm_free(struct v3_vm *vm)
{
	v3_devices_free(vm);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		free(vm->vcpus[i]);
	fake_free_pages(vm->ram_hpa, vm->ram_pages);
	free(vm);
}

void *fx_device(struct v3_vm *vm, const struct v3_device_type *type)
{
	struct v3_device *dev = calloc(1, sizeof(*dev));

	assert_non_null(dev);
	dev->type = type;
	assert_int_equal(type->create(vm, &dev->priv), 0);
	dev->next = vm->devices;
	vm->devices = dev;
	return dev->priv;
}

/* v3_device_create() lives in core/device.c, whose table names every
 * device; tests link one device, so they free through this. */
void v3_devices_free(struct v3_vm *vm)
{
	while (vm->devices) {
		struct v3_device *dev = vm->devices;

		vm->devices = dev->next;
		if (dev->type->free)
			dev->type->free(dev->priv);
		free(dev);
	}
}

const char *fx_stop_reason(struct v3_vm *vm)
{
	return vm->stop_requested ? vm->stop_reason : "";
}

uint32_t fx_in(struct v3_vm *vm, uint16_t port, unsigned size)
{
	const struct v3_io_hook *h = v3_find_io_hook(&vm->hooks, port);
	uint32_t val = 0;

	if (!h)
		fail_msg("no device on port 0x%x", port);
	assert_true(h->in(vm->vcpus[0], port, &val, size, h->priv) >= 0);
	return val;
}

void fx_out(struct v3_vm *vm, uint16_t port, uint32_t val, unsigned size)
{
	const struct v3_io_hook *h = v3_find_io_hook(&vm->hooks, port);

	if (!h)
		fail_msg("no device on port 0x%x", port);
	h->out(vm->vcpus[0], port, &val, size, h->priv);
}

uint64_t fx_mmio_read(struct v3_vm *vm, uint64_t gpa, unsigned size)
{
	const struct v3_mem_region *r = v3_mem_find(&vm->mem, gpa);
	uint64_t val = 0;

	if (!r || !r->ops)
		fail_msg("no device at 0x%llx", (unsigned long long)gpa);
	assert_true(r->ops->read(vm->vcpus[0], gpa, &val, size, r->priv) >= 0);
	return val;
}

void fx_mmio_write(struct v3_vm *vm, uint64_t gpa, uint64_t val, unsigned size)
{
	const struct v3_mem_region *r = v3_mem_find(&vm->mem, gpa);

	if (!r || !r->ops)
		fail_msg("no device at 0x%llx", (unsigned long long)gpa);
	r->ops->write(vm->vcpus[0], gpa, &val, size, r->priv);
}

int fx_pending_vector(struct v3_vm *vm, unsigned vcpu)
{
	return v3_pending_irq(vm->vcpus[vcpu]);
}

int fx_take_vector(struct v3_vm *vm, unsigned vcpu)
{
	int vec = v3_pending_irq(vm->vcpus[vcpu]);

	if (vec >= 0)
		v3_ack_irq(vm->vcpus[vcpu], vec);
	return vec;
}

uint64_t fx_run_timers(struct v3_vm *vm, unsigned vcpu)
{
	return v3_run_timers(vm->vcpus[vcpu], fx_now);
}
