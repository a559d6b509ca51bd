// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's life: created from a configuration image (memory, devices,
 * paging, vCPUs, the guest loaded), started with one host thread per vCPU
 * (core/vcpu.c), stopped by the host or by the guest itself (debug exit,
 * triple fault, a fatal exit), and freed once every vCPU thread is done.
 *
 * vm->lock guards the state, the stop reason and the console ring.
 * Creation unwinds through vm_destroy(), which frees whatever exists, so
 * a half-made VM and a finished one are torn down the same way.
 */
#include <palacios/arch.h>
#include <palacios/device.h>
#include <palacios/devices_legacy.h>
#include <palacios/paging.h>
#include <palacios/vmm.h>

static unsigned next_vm_id;

/* Every VM is the same PC; devices without what they need (a disk)
 * decline with -ENODEV and are left out. */
static const char *const default_devices[] = {
	"debugcon", "debug-exit", "testdev", "acpi-pm", "pic", "pit", "rtc",
	"i8042", "lapic", "ioapic", "uart", "pci", "virtio-blk", "virtio-net",
	"passthrough", "fw_cfg",
};

int v3_cr_init(struct v3_vm *vm);
int v3_msr_init(struct v3_vm *vm);
int v3_hypercall_init(struct v3_vm *vm);
void v3_vcpu_thread(void *arg);

static void vm_destroy(struct v3_vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct v3_vcpu *v = vm->vcpus[i];

		if (!v)
			continue;
		if (v->arch)
			v3_arch->vcpu_free(v);
		v3_shadow_free(v);
		v3_free(v);
	}
	v3_npt_free(vm);
	v3_devices_free(vm);
	if (vm->disk)
		v3_host->free_pages(v3_host->virt_to_phys(vm->disk),
				    (vm->disk_size + V3_PAGE_SIZE - 1) / V3_PAGE_SIZE);
	if (vm->ram_hpa)
		v3_host->free_pages(vm->ram_hpa, vm->ram_pages);
	if (vm->bios_hpa)
		v3_host->free_pages(vm->bios_hpa, vm->bios_pages);
	if (vm->lock)
		v3_host->lock_free(vm->lock);
	v3_free(vm);
}

/*
 * Guest RAM is one host extent (docs/guest-memory.md): 1 GiB aligned
 * when the host has such a run, so that nested paging maps it with
 * 1 GiB pages, else 2 MiB aligned. It is laid out in guest-physical
 * memory below 3 GiB and from 4 GiB (v3_mem_layout); the offset of each
 * range in the extent is a multiple of 1 GiB, which keeps the alignment.
 */
static int add_ram(struct v3_vm *vm)
{
	struct v3_ram_range r[2];
	unsigned n = v3_mem_layout(vm->mem_size, r);
	uint64_t offset = 0;
	int ret;

	vm->ram_pages = vm->mem_size / V3_PAGE_SIZE;
	if (vm->mem_size >= V3_HUGE_PAGE)
		vm->ram_hpa = v3_host->alloc_pages(vm->ram_pages, V3_HUGE_PAGE);
	if (!vm->ram_hpa)
		vm->ram_hpa = v3_host->alloc_pages(vm->ram_pages, V3_LARGE_PAGE);
	if (!vm->ram_hpa)
		return -V3_ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		ret = v3_mem_add_ram(&vm->mem, r[i].start, r[i].end - r[i].start,
				     vm->ram_hpa + offset);
		if (ret)
			return ret;
		offset += r[i].end - r[i].start;
	}
	return 0;
}

/* The disk image, copied: the guest writes to it. */
static int add_disk(struct v3_vm *vm, const struct v3_vm_config *cfg)
{
	uint64_t pages = (cfg->disk_size + V3_PAGE_SIZE - 1) / V3_PAGE_SIZE;
	uint64_t pa;

	if (!cfg->disk)
		return 0;
	pa = v3_host->alloc_pages(pages, V3_PAGE_SIZE);
	if (!pa)
		return -V3_ENOMEM;
	vm->disk = v3_host->phys_to_virt(pa);
	vm->disk_size = cfg->disk_size;
	vm->disk_offset = cfg->disk_offset;
	v3_memcpy(vm->disk, cfg->disk, cfg->disk_size);
	return 0;
}

/* vCPU structures first: devices attach to them (timers, sources). */
static int alloc_vcpus(struct v3_vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct v3_vcpu *v = v3_zalloc(sizeof(*v));

		if (!v)
			return -V3_ENOMEM;
		vm->vcpus[i] = v;
		v->vm = vm;
		v->id = i;
		v->runnable = i == 0;	/* the others wait for INIT/SIPI */
		v->sipi_vector = -1;
	}
	return 0;
}

/* Paging and the backend's state, once the memory map is final. */
static int init_vcpus(struct v3_vm *vm)
{
	int ret;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct v3_vcpu *v = vm->vcpus[i];

		if (vm->paging == V3_PAGING_SHADOW) {
			ret = v3_shadow_init(v);
			if (ret)
				return ret;
		}
		ret = v3_arch->vcpu_init(v);
		if (ret)
			return ret;
	}
	return 0;
}

#define FAIL(...)                                         \
	do {                                              \
		v3_snprintf(err, errlen, __VA_ARGS__);    \
		goto fail;                                \
	} while (0)

struct v3_vm *v3_vm_create(const struct v3_image *hdr, const void *image,
			   size_t size, void *host_vm_data, char *err,
			   size_t errlen)
{
	struct v3_vm_config cfg;
	struct v3_vm *vm;
	uint64_t rsdp;
	int ret;

	if (!v3_arch) {
		v3_snprintf(err, errlen, "no VMM: %s", v3_init_error());
		return NULL;
	}
	if (v3_image_parse(hdr, image, size, &cfg, err, errlen))
		return NULL;
	if (cfg.paging == V3_PAGING_NESTED && !v3_arch->nested_paging_supported()) {
		v3_snprintf(err, errlen, "the CPU has no nested paging; use shadow paging");
		goto release;
	}
	if (cfg.vcpus > v3_host->num_cpus()) {
		v3_snprintf(err, errlen, "%u vCPUs but the host has %u CPUs",
			    cfg.vcpus, v3_host->num_cpus());
		goto release;
	}

	vm = v3_zalloc(sizeof(*vm));
	if (!vm) {
		v3_snprintf(err, errlen, "out of memory");
		goto release;
	}
	vm->id = __atomic_add_fetch(&next_vm_id, 1, __ATOMIC_RELAXED);
	vm->host_data = host_vm_data;
	vm->mem_size = cfg.mem_size;
	vm->nr_vcpus = cfg.vcpus;
	vm->paging = cfg.paging;
	vm->irq0_on_pin2 = cfg.boot == V3_BOOT_BIOS;
	vm->passthrough_io_first = cfg.passthrough_io_first;
	vm->passthrough_io_last = cfg.passthrough_io_last;
	vm->passthrough_irq = cfg.passthrough_irq;
	vm->passthrough_mem_base = cfg.passthrough_mem_base;
	vm->passthrough_mem_size = cfg.passthrough_mem_size;
	vm->state = V3_VM_CREATED;
	vm->exit_status = -1;
	vm->lock = v3_host->lock_create("v3_vm", V3_LOCK_VM);
	if (!vm->lock)
		FAIL("out of memory");

	if (add_ram(vm)) {
		uint64_t largest, free = v3_host->free_memory(V3_LARGE_PAGE, &largest);

		FAIL("cannot allocate %llu MiB of contiguous memory for the guest: "
		     "the host has %llu MiB free, %llu MiB of it in one piece",
		     (unsigned long long)(cfg.mem_size >> 20),
		     (unsigned long long)(free >> 20),
		     (unsigned long long)(largest >> 20));
	}
	if (alloc_vcpus(vm))
		FAIL("out of memory");
	if (add_disk(vm, &cfg))
		FAIL("cannot allocate %llu MiB for the disk image",
		     (unsigned long long)(cfg.disk_size >> 20));
	if (vm->passthrough_irq && (V3_EMULATED_IRQ_LINES >> vm->passthrough_irq) & 1)
		FAIL("passthrough IRQ %u is the line of an emulated device",
		     vm->passthrough_irq);
	if (vm->passthrough_mem_size &&
	    !v3_host->is_device_memory(vm->passthrough_mem_base,
				       vm->passthrough_mem_size))
		FAIL("passthrough memory 0x%llx-0x%llx: the host has RAM or its own devices there",
		     (unsigned long long)vm->passthrough_mem_base,
		     (unsigned long long)(vm->passthrough_mem_base +
					  vm->passthrough_mem_size - 1));
	for (unsigned i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
		ret = v3_device_create(vm, default_devices[i]);
		if (ret && ret != -V3_ENODEV)
			FAIL("cannot create device %s", default_devices[i]);
	}
	if (vm->passthrough_io_last &&
	    v3_io_hooked(&vm->hooks, vm->passthrough_io_first,
			 vm->passthrough_io_last))
		FAIL("passthrough ports 0x%x-0x%x overlap an emulated device",
		     vm->passthrough_io_first, vm->passthrough_io_last);
	if (v3_device_find(vm, "rtc"))
		v3_rtc_set_memory(v3_device_find(vm, "rtc"), vm->mem_size);
	if (v3_cr_init(vm) || v3_msr_init(vm) || v3_hypercall_init(vm))
		FAIL("cannot install the VMM's own hooks");
	/* A BIOS maps itself below 4 GiB: before the nested tables are made.
	 * It writes its own firmware tables. */
	if (cfg.boot == V3_BOOT_BIOS && v3_boot_bios(vm, &cfg, err, errlen))
		goto fail;
	if (vm->paging == V3_PAGING_NESTED && v3_npt_build(vm))
		FAIL("out of memory for nested page tables");
	ret = init_vcpus(vm);
	if (ret)
		FAIL("cannot set up the vCPUs (%d)", ret);
	if (cfg.boot != V3_BOOT_BIOS) {
		rsdp = v3_acpi_build(vm);
		if (!rsdp || v3_smbios_build(vm))
			FAIL("guest memory too small for the firmware tables");
		if (cfg.boot == V3_BOOT_LINUX)
			ret = v3_boot_linux(vm, &cfg, rsdp, err, errlen);
		else
			ret = v3_boot_multiboot(vm, &cfg, err, errlen);
	}
	if (ret)
		goto fail;

	VM_INFO(vm, "created: %llu MiB, %u vCPU%s, %s paging",
		(unsigned long long)(vm->mem_size >> 20), vm->nr_vcpus,
		vm->nr_vcpus == 1 ? "" : "s",
		vm->paging == V3_PAGING_NESTED ? "nested" : "shadow");
	v3_image_release(&cfg);
	return vm;
fail:
	vm_destroy(vm);
release:
	v3_image_release(&cfg);
	return NULL;
}

int v3_vm_start(struct v3_vm *vm, const unsigned *cpus, unsigned ncpus)
{
	unsigned long flags;

	if (ncpus != vm->nr_vcpus)
		return -V3_EINVAL;
	for (unsigned i = 0; i < ncpus; i++)
		if (cpus[i] >= v3_host->num_cpus())
			return -V3_EINVAL;
	flags = v3_host->lock(vm->lock);
	if (vm->state != V3_VM_CREATED) {
		v3_host->unlock(vm->lock, flags);
		return -V3_EBUSY;
	}
	vm->state = V3_VM_RUNNING;
	vm->running_vcpus = ncpus;
	v3_host->unlock(vm->lock, flags);

	for (unsigned i = 0; i < ncpus; i++) {
		struct v3_vcpu *v = vm->vcpus[i];
		char name[16];

		v->host_cpu = cpus[i];
		v3_snprintf(name, sizeof(name), "vm%u.%u", vm->id, i);
		v->thread = v3_host->start_thread(v3_vcpu_thread, v, name, cpus[i]);
		if (!v->thread) {
			/* The vCPUs already started see the stop and end. */
			flags = v3_host->lock(vm->lock);
			vm->running_vcpus -= ncpus - i;
			v3_host->unlock(vm->lock, flags);
			v3_vm_stop_fmt(vm, "cannot start a thread on CPU %u", cpus[i]);
			return -V3_ENOMEM;
		}
	}
	return 0;
}

void v3_vm_stop_fmt(struct v3_vm *vm, const char *fmt, ...)
{
	unsigned long flags = v3_host->lock(vm->lock);
	bool first = !vm->stop_requested;
	va_list ap;

	if (first) {
		va_start(ap, fmt);
		v3_host->vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
		va_end(ap);
		__atomic_store_n(&vm->stop_requested, true, __ATOMIC_SEQ_CST);
		if (vm->state == V3_VM_CREATED)
			vm->state = V3_VM_STOPPED;
	}
	v3_host->unlock(vm->lock, flags);
	if (!first)
		return;
	VM_INFO(vm, "stopping: %s", vm->stop_reason);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct v3_vcpu *v = vm->vcpus[i];

		if (v->thread)
			v3_host->kick_thread(v->thread);
	}
	v3_host->vm_event(vm->host_data);
}

int v3_vm_stop(struct v3_vm *vm, const char *reason)
{
	v3_vm_stop_fmt(vm, "%s", reason);
	return 0;
}

static void set_paused(struct v3_vm *vm, bool pause)
{
	unsigned long flags = v3_host->lock(vm->lock);

	__atomic_store_n(&vm->pause_requested, pause, __ATOMIC_SEQ_CST);
	if (vm->state == V3_VM_RUNNING || vm->state == V3_VM_PAUSED)
		vm->state = pause ? V3_VM_PAUSED : V3_VM_RUNNING;
	v3_host->unlock(vm->lock, flags);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i]->thread)
			v3_host->kick_thread(vm->vcpus[i]->thread);
}

int v3_vm_pause(struct v3_vm *vm)
{
	set_paused(vm, true);
	return 0;
}

int v3_vm_resume(struct v3_vm *vm)
{
	set_paused(vm, false);
	return 0;
}

/* A vCPU thread is done with the guest; the last one ends the VM. */
void v3_vm_vcpu_done(struct v3_vm *vm)
{
	unsigned long flags = v3_host->lock(vm->lock);

	if (--vm->running_vcpus == 0)
		vm->state = V3_VM_STOPPED;
	v3_host->unlock(vm->lock, flags);
	v3_host->vm_event(vm->host_data);
}

int v3_vm_free(struct v3_vm *vm)
{
	unsigned long flags = v3_host->lock(vm->lock);
	bool stopped = vm->state == V3_VM_STOPPED || vm->state == V3_VM_CREATED;

	v3_host->unlock(vm->lock, flags);
	if (!stopped)
		return -V3_EBUSY;
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->thread)
			v3_host->join_thread(vm->vcpus[i]->thread);
	vm_destroy(vm);
	return 0;
}

int v3_vm_disk_write_back(struct v3_vm *vm, void *image, size_t size)
{
	struct v3_image h;	/* read once: the image may change meanwhile */
	unsigned long flags = v3_host->lock(vm->lock);
	bool stopped = vm->state == V3_VM_STOPPED || vm->state == V3_VM_CREATED;

	v3_host->unlock(vm->lock, flags);
	if (!stopped)
		return -V3_EBUSY;
	if (!vm->disk)
		return 0;
	if (size < sizeof(h))
		return -V3_EINVAL;
	v3_memcpy(&h, image, sizeof(h));
	if (h.disk.offset != vm->disk_offset || h.disk.size != vm->disk_size ||
	    vm->disk_offset > size || vm->disk_size > size - vm->disk_offset)
		return -V3_EINVAL;
	v3_memcpy((uint8_t *)image + vm->disk_offset, vm->disk, vm->disk_size);
	return 0;
}

void v3_console_write(struct v3_vm *vm, const char *buf, size_t len)
{
	struct v3_console *c = &vm->console;
	unsigned long flags = v3_host->lock(vm->lock);

	for (size_t i = 0; i < len; i++) {
		/* Full: wait for the host to read rather than lose output. */
		while (c->head - c->tail == sizeof(c->buf) && !vm->stop_requested) {
			v3_host->unlock(vm->lock, flags);
			v3_host->vm_event(vm->host_data);
			v3_host->sleep_ns(1000 * 1000);
			flags = v3_host->lock(vm->lock);
		}
		if (c->head - c->tail == sizeof(c->buf))
			break;
		c->buf[c->head++ % sizeof(c->buf)] = buf[i];
	}
	v3_host->unlock(vm->lock, flags);
	v3_host->vm_event(vm->host_data);
}

size_t v3_vm_console_read(struct v3_vm *vm, char *buf, size_t len)
{
	struct v3_console *c = &vm->console;
	unsigned long flags = v3_host->lock(vm->lock);
	size_t n = 0;

	while (n < len && c->tail != c->head)
		buf[n++] = c->buf[c->tail++ % sizeof(c->buf)];
	v3_host->unlock(vm->lock, flags);
	return n;
}

void v3_vm_status(struct v3_vm *vm, struct v3_vm_status *st)
{
	unsigned long flags = v3_host->lock(vm->lock);

	v3_memset(st, 0, sizeof(*st));
	st->state = vm->state;
	st->exit_status = vm->exit_status;
	v3_memcpy(st->stop_reason, vm->stop_reason, sizeof(st->stop_reason));
	st->guest_mem_bytes = vm->mem_size;
	st->vcpus = vm->nr_vcpus;
	v3_host->unlock(vm->lock, flags);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		for (unsigned r = 0; r < V3_EXIT_NR; r++)
			st->exits[r] += vm->vcpus[i]->exits[r];
}
