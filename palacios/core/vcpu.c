// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU thread: one host thread per vCPU, bound to its host CPU. It
 * enables virtualization on that CPU and then enters the guest again and
 * again until the VM stops; each entry handles one exit (the backend's
 * vcpu_run). A pause parks the thread outside the guest.
 *
 * The thread yields to the host scheduler only after a host interrupt
 * exit, the one point where the host may have made something else
 * runnable on this CPU; otherwise it stays in the exit loop, which is
 * what keeps the cost of an exit to the instructions of its handler.
 */
#include <palacios/arch.h>
#include <palacios/vmm.h>

void v3_vm_vcpu_done(struct v3_vm *vm);

bool v3_vcpu_should_leave(const struct v3_vcpu *v)
{
	return __atomic_load_n(&v->vm->stop_requested, __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&v->vm->pause_requested, __ATOMIC_SEQ_CST);
}

static bool stopping(const struct v3_vcpu *v)
{
	return __atomic_load_n(&v->vm->stop_requested, __ATOMIC_SEQ_CST);
}

void v3_vcpu_thread(void *arg)
{
	struct v3_vcpu *v = arg;
	struct v3_vm *vm = v->vm;
	int ret = v3_arch->cpu_enable();

	if (ret)
		v3_vm_stop_fmt(vm, "cannot enable virtualization on CPU %u (%d)",
			       v->host_cpu, ret);
	/* Until INIT/SIPI is emulated, a multiboot guest runs on vCPU 0. */
	while (v->id != 0 && !stopping(v))
		v3_host->sleep_ns(10 * 1000 * 1000);

	while (!stopping(v)) {
		uint64_t intr = v->exits[V3_EXIT_INTR];

		if (__atomic_load_n(&vm->pause_requested, __ATOMIC_SEQ_CST)) {
			v3_host->sleep_ns(1000 * 1000);
			continue;
		}
		if (v3_arch->vcpu_run(v) < 0)
			break;
		if (v->exits[V3_EXIT_INTR] != intr)
			v3_host->yield();
	}
	v3_vm_vcpu_done(vm);
}
