/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How devices attach to a VM: I/O port ranges, MSRs, CPUID leaves and
 * hypercall numbers each map to a callback and an opaque pointer (the
 * device instance). Guest-physical memory hooks are in mem.h. Hooks are
 * registered while the VM is created and read-only afterwards, with one
 * exception: a PCI bus moves a device's I/O ports when the guest
 * reprograms a BAR (v3_unhook_io, then v3_hook_io), while other vCPUs
 * look ports up without a lock. So the tables never move an entry: a
 * removed one is emptied in place (first > last, which matches no port)
 * and reused only when the table is full, and a reused one is filled
 * before its range is published. A lookup sees the old hook or none.
 * Run-time changes must be serialized by the caller (the bus's lock).
 *
 * Callbacks return 0, or a negative value to stop the VM (the callback
 * logs why). A guest access nobody hooked is reported once and answered
 * as a PC answers an empty bus: reads of all ones, writes dropped (ports),
 * or #GP (MSRs).
 */
#ifndef PALACIOS_HOOKS_H
#define PALACIOS_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

struct v3_vcpu;
struct v3_vm;

typedef int (*v3_io_in_fn)(struct v3_vcpu *v, uint16_t port, void *data,
			   unsigned size, void *priv);
typedef int (*v3_io_out_fn)(struct v3_vcpu *v, uint16_t port,
			    const void *data, unsigned size, void *priv);
/* A read returning -V3_EINVAL makes the VMM inject #GP, as for a bad MSR. */
typedef int (*v3_msr_read_fn)(struct v3_vcpu *v, uint32_t msr, uint64_t *val,
			      void *priv);
typedef int (*v3_msr_write_fn)(struct v3_vcpu *v, uint32_t msr, uint64_t val,
			       void *priv);
/* regs: EAX EBX ECX EDX, filled by the host CPU's answer before the call. */
typedef int (*v3_cpuid_fn)(struct v3_vcpu *v, uint32_t leaf, uint32_t subleaf,
			   uint32_t regs[4], void *priv);
/* Arguments in RBX, RCX, RDX; the handler sets RAX. */
typedef int (*v3_hypercall_fn)(struct v3_vcpu *v, uint64_t nr, void *priv);

struct v3_io_hook {
	uint16_t first, last;
	v3_io_in_fn in;
	v3_io_out_fn out;
	void *priv;
};

struct v3_msr_hook {
	uint32_t msr;
	v3_msr_read_fn read;
	v3_msr_write_fn write;
	void *priv;
};

struct v3_cpuid_hook {
	uint32_t leaf;
	v3_cpuid_fn fn;
	void *priv;
};

struct v3_hypercall_hook {
	uint64_t nr;
	v3_hypercall_fn fn;
	void *priv;
};

#define V3_MAX_IO_HOOKS		64
#define V3_MAX_MSR_HOOKS	96
#define V3_MAX_CPUID_HOOKS	16
#define V3_MAX_HYPERCALLS	16

struct v3_hooks {
	struct v3_io_hook io[V3_MAX_IO_HOOKS];
	struct v3_msr_hook msr[V3_MAX_MSR_HOOKS];
	struct v3_cpuid_hook cpuid[V3_MAX_CPUID_HOOKS];
	struct v3_hypercall_hook hypercall[V3_MAX_HYPERCALLS];
	unsigned nr_io, nr_msr, nr_cpuid, nr_hypercall;
	/* Unhandled accesses already reported, so each is logged once. */
	uint64_t reported_ports[65536 / 64];
};

/* Registration: 0, or -EEXIST (overlap), -ENOSPC, -EINVAL. */
int v3_hook_io(struct v3_vm *vm, uint16_t first, uint16_t last,
	       v3_io_in_fn in, v3_io_out_fn out, void *priv);
int v3_hook_msr(struct v3_vm *vm, uint32_t msr, v3_msr_read_fn read,
		v3_msr_write_fn write, void *priv);
int v3_hook_cpuid(struct v3_vm *vm, uint32_t leaf, v3_cpuid_fn fn, void *priv);
int v3_register_hypercall(struct v3_vm *vm, uint64_t nr, v3_hypercall_fn fn,
			  void *priv);
/* Remove the port hook registered for exactly [first, last]: 0 or -ENOENT. */
int v3_unhook_io(struct v3_vm *vm, uint16_t first, uint16_t last);

const struct v3_io_hook *v3_find_io_hook(const struct v3_hooks *h,
					 uint16_t port);
/* True when any port in [first, last] is hooked. */
bool v3_io_hooked(const struct v3_hooks *h, uint16_t first, uint16_t last);
const struct v3_msr_hook *v3_find_msr_hook(const struct v3_hooks *h,
					   uint32_t msr);
const struct v3_cpuid_hook *v3_find_cpuid_hook(const struct v3_hooks *h,
					       uint32_t leaf);
const struct v3_hypercall_hook *v3_find_hypercall(const struct v3_hooks *h,
						  uint64_t nr);

#endif
