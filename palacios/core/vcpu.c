// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU thread: one host thread per vCPU, bound to its host CPU. It
 * enables virtualization on that CPU and then enters the guest again and
 * again until the VM stops; each entry handles one exit (the backend's
 * vcpu_run). Just before each entry, with host interrupts held off, it
 * runs the devices' due timers and has the host interrupt the guest at
 * the next deadline. A pause parks the thread outside the guest.
 *
 * vCPU 0 starts where the boot loader put it; the others wait, as
 * application processors do, for INIT and a start-up IPI from the guest,
 * and then begin in real mode at the SIPI's page.
 *
 * The thread yields to the host scheduler only after a host interrupt
 * exit, the one point where the host may have made something else
 * runnable on this CPU; otherwise it stays in the exit loop, which keeps
 * the cost of an exit to the instructions of its handler.
 */
#include <palacios/arch.h>
#include <palacios/vmm.h>

void v3_vm_vcpu_done(struct v3_vm *vm);

#define RFLAGS_IF	(1ull << 9)

bool v3_vcpu_should_leave(const struct v3_vcpu *v)
{
	return __atomic_load_n(&v->vm->stop_requested, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&v->vm->pause_requested, __ATOMIC_SEQ_CST);
}

static bool stopping(const struct v3_vcpu *v)
{
	return __atomic_load_n(&v->vm->stop_requested, __ATOMIC_SEQ_CST);
}

void v3_vcpu_real_mode(struct v3_vcpu *v, uint16_t cs, uint64_t ip)
{
	static const struct v3_segment data = { 0, 0x93, 0xffff, 0 };

	for (unsigned i = 0; i < 6; i++)
		v->seg[i] = data;
	v->seg[V3_SEG_CS_] = (struct v3_segment){ cs, 0x9b, 0xffff,
						  (uint64_t)cs << 4 };
	v->cr0 = 0x10;		/* ET; protection and paging off */
	v->cr3 = v->cr4 = v->efer = 0;
	v->rflags = 0x2;
	v->rip = ip;
	v->cpl = 0;
}

/* An application processor: wait for INIT, then SIPI. */
static void await_startup(struct v3_vcpu *v)
{
	int vector = __atomic_load_n(&v->sipi_vector, __ATOMIC_SEQ_CST);

	if (vector < 0) {
		v3_host->sleep_ns(10 * 1000 * 1000);
		return;
	}
	v3_vcpu_real_mode(v, vector << 8, 0);
	v3_arch->paging_changed(v);
	__atomic_store_n(&v->runnable, true, __ATOMIC_SEQ_CST);
}

static void host_timer_fired(void *arg)
{
	(void)arg;	/* the interrupt itself makes the guest exit */
}

/*
 * Run due device timers; have the host end the guest run at the next
 * deadline. While the guest has interrupts disabled nothing a timer
 * raises could be delivered, so instead of a host interrupt at the
 * deadline the guest exits when it enables interrupts (the backend's
 * interrupt-window exit) and the timers are looked at then. This keeps
 * host interrupts out of the guest's interrupts-off stretches, where
 * Linux calibrates the TSC against the PIT and rejects a sample that
 * took ten times longer than another.
 */
static void service_timers(struct v3_vcpu *v)
{
	uint64_t next = v3_next_deadline(v, v3_host->time_ns());

	v->want_window = !(v->rflags & RFLAGS_IF) && next != V3_NO_DEADLINE;
	if (v->want_window)
		next = V3_NO_DEADLINE;

	if (next == v->host_timer_deadline)
		return;
	v->host_timer_deadline = next;
	if (next == V3_NO_DEADLINE)
		v3_host->timer_cancel(v->host_timer);
	else
		v3_host->timer_arm(v->host_timer, next);
}

void v3_vcpu_before_entry(struct v3_vcpu *v)
{
	if (v->nr_timers)
		service_timers(v);
}

void v3_vcpu_thread(void *arg)
{
	struct v3_vcpu *v = arg;
	struct v3_vm *vm = v->vm;
	int ret = v3_arch->cpu_enable();

	v->host_timer = v3_host->timer_create(host_timer_fired, v);
	v->host_timer_deadline = V3_NO_DEADLINE;
	if (ret || !v->host_timer)
		v3_vm_stop_fmt(vm, "cannot enable virtualization on CPU %u (%d)",
			       v->host_cpu, ret);

	while (!stopping(v)) {
		uint64_t intr = v->exits[V3_EXIT_INTR];

		if (__atomic_load_n(&vm->pause_requested, __ATOMIC_SEQ_CST)) {
			v3_host->sleep_ns(1000 * 1000);
			continue;
		}
		if (!__atomic_load_n(&v->runnable, __ATOMIC_SEQ_CST)) {
			await_startup(v);
			continue;
		}
		if (v3_arch->vcpu_run(v) < 0)
			break;
		if (v->exits[V3_EXIT_INTR] != intr)
			v3_host->yield();
	}
	/* Where a guest stopped from outside was (a spinning one, say). */
	VCPU_INFO(v, "left the guest at rip 0x%llx", (unsigned long long)v->rip);
	if (v->host_timer) {
		v3_host->timer_cancel(v->host_timer);
		v3_host->timer_free(v->host_timer);
	}
	v3_vm_vcpu_done(vm);
}
