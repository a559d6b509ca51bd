// SPDX-License-Identifier: GPL-2.0
/*
 * The generic exit handlers: port I/O, MSRs, CPUID, HLT, hypercalls and
 * nested page faults. Each finds the hook a device registered and calls
 * it; what nobody hooked is answered as real hardware would answer an
 * empty bus or a missing MSR, and reported once, so a guest probing for
 * hardware it does not find keeps running and the log shows what it
 * looked for.
 *
 * Handlers return 0 when the instruction completed, V3_FAULTED when it
 * raised an exception in the guest instead, or a negative value after
 * stopping the VM.
 */
#include <palacios/vmm.h>

#define RFLAGS_IF	(1ull << 9)
#define RFLAGS_DF	(1ull << 10)
#define STRING_IO_BATCH	4096	/* as the emulator's REP_BATCH */

/*
 * Log an unhandled access the first time, and only the first
 * V3_MAX_REPORTS of them per VM: a guest probing every port or MSR must
 * not flood the host's log (each line costs the host a serial write).
 */
#define V3_MAX_REPORTS	32

static bool first_report(struct v3_vm *vm, uint64_t *bits, unsigned n)
{
	uint64_t bit = 1ull << (n % 64);
	uint32_t nr;

	if (__atomic_fetch_or(&bits[n / 64], bit, __ATOMIC_RELAXED) & bit)
		return false;
	nr = __atomic_add_fetch(&vm->nr_reported, 1, __ATOMIC_RELAXED);
	if (nr == V3_MAX_REPORTS + 1)
		VM_INFO(vm, "more unhandled accesses: not logged");
	return nr <= V3_MAX_REPORTS;
}

static int port_in(struct v3_vcpu *v, uint16_t port, void *data, unsigned size)
{
	const struct v3_io_hook *h = v3_find_io_hook(&v->vm->hooks, port);

	if (h)
		return h->in(v, port, data, size, h->priv);
	if (first_report(v->vm, v->vm->hooks.reported_ports, port))
		VCPU_INFO(v, "read of unhandled port 0x%x (%u bytes) returns all ones",
			  port, size);
	v3_memset(data, 0xff, size);
	return 0;
}

static int port_out(struct v3_vcpu *v, uint16_t port, const void *data,
		    unsigned size)
{
	const struct v3_io_hook *h = v3_find_io_hook(&v->vm->hooks, port);

	if (h)
		return h->out(v, port, data, size, h->priv);
	if (first_report(v->vm, v->vm->hooks.reported_ports, port))
		VCPU_INFO(v, "write to unhandled port 0x%x (%u bytes) dropped",
			  port, size);
	return 0;
}

/* INS/OUTS, with REP: one port access per element, through guest memory
 * (RAM, or a device's registers: a driver may copy between the two). */
static int string_io(struct v3_vcpu *v, const struct v3_io_exit *io)
{
	uint64_t mask = io->addr_size == 8 ? ~0ull :
			(1ull << (io->addr_size * 8)) - 1;
	uint64_t *index = io->in ? &v->regs.rdi : &v->regs.rsi;
	unsigned seg = io->in ? V3_SEG_ES_ : io->seg;
	uint64_t count = io->rep ? v->regs.rcx & mask : 1;
	int64_t step = v->rflags & RFLAGS_DF ? -(int64_t)io->size : io->size;
	bool flat = v3_guest_code_size(v) == 8 && seg < V3_SEG_FS_;
	uint64_t base = flat ? 0 : v->seg[seg].base;
	bool more = false;

	/* A few elements per exit, as a CPU takes interrupts between them:
	 * a count of 2^32 must not hold the vCPU thread (and a stop) in the
	 * VMM for minutes. The guest re-executes the rest. */
	if (count > STRING_IO_BATCH)
		count = STRING_IO_BATCH, more = true;
	for (; count; count--) {
		uint64_t linear = base + (*index & mask);
		uint8_t data[4];
		int ret;

		if (io->in) {
			ret = port_in(v, io->port, data, io->size);
			if (!ret)
				ret = v3_copy_gva_any(v, linear, data, io->size,
						      true);
		} else {
			ret = v3_copy_gva_any(v, linear, data, io->size, false);
			if (!ret)
				ret = port_out(v, io->port, data, io->size);
		}
		if (ret == -V3_EFAULT_GUEST)
			return V3_FAULTED;	/* #PF raised; RIP stays */
		if (ret < 0) {
			v3_vm_stop_fmt(v->vm, "string I/O on port 0x%x at bad address 0x%llx",
				       io->port, (unsigned long long)linear);
			return ret;
		}
		*index = (*index & ~mask) | ((*index + step) & mask);
		if (io->rep)
			v->regs.rcx = (v->regs.rcx & ~mask) |
				      ((v->regs.rcx - 1) & mask);
	}
	return more ? V3_FAULTED : 0;	/* RIP stays: not done */
}

int v3_handle_io(struct v3_vcpu *v, const struct v3_io_exit *io)
{
	int ret;

	if (io->string) {
		ret = string_io(v, io);
	} else if (io->in) {
		uint32_t data = 0;

		ret = port_in(v, io->port, &data, io->size);
		if (io->size == 4)
			v->regs.rax = data;	/* 32-bit writes zero-extend */
		else
			v3_memcpy(&v->regs.rax, &data, io->size);
	} else {
		ret = port_out(v, io->port, &v->regs.rax, io->size);
	}
	if (ret == 0)
		v->rip = io->next_rip;
	return ret < 0 ? ret : 0;
}

int v3_handle_msr(struct v3_vcpu *v, bool write)
{
	uint32_t msr = v->regs.rcx;
	const struct v3_msr_hook *h = v3_find_msr_hook(&v->vm->hooks, msr);
	uint64_t val;
	int ret;

	if (!h) {
		if (first_report(v->vm, v->vm->reported_msrs, (msr ^ (msr >> 12)) % 4096))
			VCPU_INFO(v, "%s of unhandled MSR 0x%x: #GP",
				  write ? "write" : "read", msr);
		v3_raise_exception(v, 13, true, 0);
		return V3_FAULTED;
	}
	if (write) {
		val = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;
		ret = h->write(v, msr, val, h->priv);
	} else {
		ret = h->read(v, msr, &val, h->priv);
		if (!ret) {
			v->regs.rax = (uint32_t)val;
			v->regs.rdx = val >> 32;
		}
	}
	if (ret == -V3_EINVAL) {
		v3_raise_exception(v, 13, true, 0);
		return V3_FAULTED;
	}
	return ret;
}

/*
 * HLT with interrupts disabled: only INIT (or a stop) wakes this vCPU.
 * When every vCPU of the VM is in that state the guest has stopped
 * itself for good (a panic, or the other CPUs parked before a power-off
 * that never came), so the VM stops.
 */
static int halt_forever(struct v3_vcpu *v)
{
	struct v3_vm *vm = v->vm;

	if (__atomic_add_fetch(&vm->dead_vcpus, 1, __ATOMIC_SEQ_CST) ==
	    vm->nr_vcpus) {
		v3_vm_stop_fmt(vm, "guest halted with interrupts disabled at rip 0x%llx",
			       (unsigned long long)(v->rip - 1));
		return -V3_EIO;
	}
	while (!v3_vcpu_should_leave(v) &&
	       __atomic_load_n(&v->sipi_vector, __ATOMIC_SEQ_CST) != -2)
		v3_host->sleep_ns(10 * 1000 * 1000);
	__atomic_sub_fetch(&vm->dead_vcpus, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->sipi_vector, __ATOMIC_SEQ_CST) == -2)
		__atomic_store_n(&v->runnable, false, __ATOMIC_SEQ_CST);
	return 0;
}

/* HLT: sleep until an interrupt is pending for this vCPU. */
int v3_handle_hlt(struct v3_vcpu *v)
{
	if (!(v->rflags & RFLAGS_IF))
		return halt_forever(v);
	/* Raised by another thread (which kicks us) or by one of this
	 * vCPU's device timers. */
	for (;;) {
		uint64_t now = v3_host->time_ns();
		uint64_t next = v3_run_timers(v, now), nap = 10 * 1000 * 1000;

		if (v3_pending_irq(v) >= 0 || v3_vcpu_should_leave(v))
			return 0;
		if (next != V3_NO_DEADLINE && next - now < nap)
			nap = next > now ? next - now : 0;
		if (nap)
			v3_host->sleep_ns(nap);
	}
}

int v3_handle_hypercall(struct v3_vcpu *v)
{
	uint64_t nr = v->regs.rax;
	const struct v3_hypercall_hook *h = v3_find_hypercall(&v->vm->hooks, nr);

	if (h)
		return h->fn(v, nr, h->priv);
	if (!v->vm->reported_hypercall) {
		v->vm->reported_hypercall = true;
		VCPU_INFO(v, "unknown hypercall 0x%llx returns -1",
			  (unsigned long long)nr);
	}
	v->regs.rax = ~0ull;
	return 0;
}

int v3_handle_npf(struct v3_vcpu *v, uint64_t gpa, uint64_t error)
{
	const struct v3_mem_region *r = v3_mem_find(&v->vm->mem, gpa);

	if (r && r->ops)
		return v3_emulate_mmio(v);
	v3_vm_stop_fmt(v->vm, "guest access to %s guest-physical 0x%llx (error 0x%llx, rip 0x%llx)",
		       r ? "unmapped RAM at" : "unbacked",
		       (unsigned long long)gpa, (unsigned long long)error,
		       (unsigned long long)v->rip);
	return -V3_EIO;
}
