// SPDX-License-Identifier: GPL-2.0
/*
 * Hook tables (see hooks.h): small arrays filled when devices are created.
 * Port lookups happen on every I/O exit, but a VM has a few dozen port
 * ranges, so a linear scan costs less than the exit itself.
 */
#include <palacios/vmm.h>

/* A removed port hook keeps its slot with an empty range (hooks.h). */
static bool io_live(const struct v3_io_hook *e)
{
	return e->first <= e->last;
}

int v3_hook_io(struct v3_vm *vm, uint16_t first, uint16_t last,
	       v3_io_in_fn in, v3_io_out_fn out, void *priv)
{
	struct v3_hooks *h = &vm->hooks;
	struct v3_io_hook *e;

	if (first > last || !in || !out)
		return -V3_EINVAL;
	for (unsigned i = 0; i < h->nr_io; i++)
		if (io_live(&h->io[i]) && first <= h->io[i].last &&
		    h->io[i].first <= last)
			return -V3_EEXIST;
	if (h->nr_io < V3_MAX_IO_HOOKS) {
		h->io[h->nr_io] =
			(struct v3_io_hook){ first, last, in, out, priv };
		__atomic_store_n(&h->nr_io, h->nr_io + 1, __ATOMIC_RELEASE);
		return 0;
	}
	/* Full: reuse a removed slot, publishing the range last. */
	for (e = h->io; e < h->io + V3_MAX_IO_HOOKS && io_live(e); e++)
		;
	if (e == h->io + V3_MAX_IO_HOOKS)
		return -V3_ENOSPC;
	e->in = in;
	e->out = out;
	e->priv = priv;
	__atomic_store_n(&e->last, last, __ATOMIC_RELEASE);
	__atomic_store_n(&e->first, first, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Empty the range in two stores: in between it is [0xffff, old last],
 * which matches at most the old hook itself.
 */
int v3_unhook_io(struct v3_vm *vm, uint16_t first, uint16_t last)
{
	struct v3_hooks *h = &vm->hooks;

	for (unsigned i = 0; i < h->nr_io; i++) {
		struct v3_io_hook *e = &h->io[i];

		if (io_live(e) && e->first == first && e->last == last) {
			__atomic_store_n(&e->first, 0xffff, __ATOMIC_RELEASE);
			__atomic_store_n(&e->last, 0, __ATOMIC_RELEASE);
			return 0;
		}
	}
	return -V3_ENOENT;
}

int v3_hook_msr(struct v3_vm *vm, uint32_t msr, v3_msr_read_fn read,
		v3_msr_write_fn write, void *priv)
{
	struct v3_hooks *h = &vm->hooks;

	if (!read || !write)
		return -V3_EINVAL;
	if (v3_find_msr_hook(h, msr))
		return -V3_EEXIST;
	if (h->nr_msr == V3_MAX_MSR_HOOKS)
		return -V3_ENOSPC;
	h->msr[h->nr_msr++] = (struct v3_msr_hook){ msr, read, write, priv };
	return 0;
}

int v3_hook_cpuid(struct v3_vm *vm, uint32_t leaf, v3_cpuid_fn fn, void *priv)
{
	struct v3_hooks *h = &vm->hooks;

	if (!fn)
		return -V3_EINVAL;
	if (v3_find_cpuid_hook(h, leaf))
		return -V3_EEXIST;
	if (h->nr_cpuid == V3_MAX_CPUID_HOOKS)
		return -V3_ENOSPC;
	h->cpuid[h->nr_cpuid++] = (struct v3_cpuid_hook){ leaf, fn, priv };
	return 0;
}

int v3_register_hypercall(struct v3_vm *vm, uint64_t nr, v3_hypercall_fn fn,
			  void *priv)
{
	struct v3_hooks *h = &vm->hooks;

	if (!fn)
		return -V3_EINVAL;
	if (v3_find_hypercall(h, nr))
		return -V3_EEXIST;
	if (h->nr_hypercall == V3_MAX_HYPERCALLS)
		return -V3_ENOSPC;
	h->hypercall[h->nr_hypercall++] =
		(struct v3_hypercall_hook){ nr, fn, priv };
	return 0;
}

const struct v3_io_hook *v3_find_io_hook(const struct v3_hooks *h,
					 uint16_t port)
{
	for (unsigned i = 0; i < h->nr_io; i++)
		if (port >= h->io[i].first && port <= h->io[i].last)
			return &h->io[i];
	return NULL;
}

bool v3_io_hooked(const struct v3_hooks *h, uint16_t first, uint16_t last)
{
	for (unsigned i = 0; i < h->nr_io; i++)
		if (io_live(&h->io[i]) && first <= h->io[i].last &&
		    h->io[i].first <= last)
			return true;
	return false;
}

const struct v3_msr_hook *v3_find_msr_hook(const struct v3_hooks *h,
					   uint32_t msr)
{
	for (unsigned i = 0; i < h->nr_msr; i++)
		if (h->msr[i].msr == msr)
			return &h->msr[i];
	return NULL;
}

const struct v3_cpuid_hook *v3_find_cpuid_hook(const struct v3_hooks *h,
					       uint32_t leaf)
{
	for (unsigned i = 0; i < h->nr_cpuid; i++)
		if (h->cpuid[i].leaf == leaf)
			return &h->cpuid[i];
	return NULL;
}

const struct v3_hypercall_hook *v3_find_hypercall(const struct v3_hooks *h,
						  uint64_t nr)
{
	for (unsigned i = 0; i < h->nr_hypercall; i++)
		if (h->hypercall[i].nr == nr)
			return &h->hypercall[i];
	return NULL;
}
