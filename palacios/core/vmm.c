// SPDX-License-Identifier: GPL-2.0
/*
 * Palacios's entry point and the services every other file uses: the
 * host's operations (checked once here, then called without NULL checks),
 * the backend, logging and memory.
 */
#include <palacios/arch.h>
#include <palacios/vmm.h>

const struct v3_host_ops *v3_host;
const struct v3_arch_ops *v3_arch;
static const char *init_error = "v3_init() was not called";

/* The operations Palacios calls; all must be present. */
static bool host_ops_complete(const struct v3_host_ops *h)
{
	return h->alloc_pages && h->free_pages && h->free_memory &&
	       h->malloc && h->free &&
	       h->phys_to_virt && h->virt_to_phys && h->vsnprintf && h->print &&
	       h->num_cpus && h->cpu_id && h->cpu_khz && h->time_ns &&
	       h->start_thread && h->join_thread && h->yield && h->sleep_ns && h->kick_thread &&
	       h->timer_create && h->timer_arm && h->timer_cancel &&
	       h->timer_free && h->hook_irq && h->unhook_irq &&
	       h->is_device_memory && h->lock_create &&
	       h->lock_free && h->lock && h->unlock && h->vm_event;
}

int v3_init(const struct v3_host_ops *ops)
{
	const char *why;

	if (!ops || ops->version != V3_HOST_OPS_VERSION ||
	    ops->size != sizeof(*ops)) {
		init_error = "host interface version or size mismatch";
		return -V3_EINVAL;
	}
	if (!host_ops_complete(ops)) {
		init_error = "host interface incomplete";
		return -V3_EINVAL;
	}
	v3_host = ops;
	if (!v3_svm_ops.supported(&why)) {
		init_error = why;
		return -V3_ENODEV;
	}
	v3_arch = &v3_svm_ops;
	init_error = NULL;
	V3_INFO("%s backend, nested paging %s", v3_arch->name,
		v3_arch->nested_paging_supported() ? "available" : "not available");
	return 0;
}

const char *v3_init_error(void)
{
	return init_error;
}

int v3_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = v3_host->vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void v3_log(const struct v3_vm *vm, int vcpu, const char *fmt, ...)
{
	char line[256];
	int n;
	va_list ap;

	if (!vm)
		n = v3_snprintf(line, sizeof(line), "palacios: ");
	else if (vcpu < 0)
		n = v3_snprintf(line, sizeof(line), "palacios: vm%u: ", vm->id);
	else
		n = v3_snprintf(line, sizeof(line), "palacios: vm%u.%d: ",
				vm->id, vcpu);
	va_start(ap, fmt);
	v3_host->vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	v3_host->print(line);
}

void *v3_zalloc(size_t size)
{
	return v3_host->malloc(size);
}

void v3_free(void *p)
{
	if (p)
		v3_host->free(p);
}

const char *v3_exit_reason_name(enum v3_exit_reason r)
{
	static const char *const names[V3_EXIT_NR] = {
		[V3_EXIT_IO] = "io",
		[V3_EXIT_MSR] = "msr",
		[V3_EXIT_CPUID] = "cpuid",
		[V3_EXIT_HLT] = "hlt",
		[V3_EXIT_INTR] = "intr",
		[V3_EXIT_VINTR] = "vintr",
		[V3_EXIT_NPF] = "npf",
		[V3_EXIT_SHADOW_PF] = "shadow_pf",
		[V3_EXIT_CR] = "cr",
		[V3_EXIT_INVLPG] = "invlpg",
		[V3_EXIT_HYPERCALL] = "hypercall",
		[V3_EXIT_EXCEPTION] = "exception",
		[V3_EXIT_SHUTDOWN] = "shutdown",
		[V3_EXIT_OTHER] = "other",
	};

	return (unsigned)r < V3_EXIT_NR ? names[r] : "?";
}
