// SPDX-License-Identifier: GPL-2.0
/*
 * The Palacios glue: Kitten's implementation of Palacios's host interface
 * (palacios/include/palacios/host.h), and the kitten/vmm.h calls the VM
 * system calls use. This is the only file in Kitten that includes a
 * Palacios header, as in the paper: the VMM is a library, and the host
 * lends it memory, threads, time, interrupts and locks.
 *
 * Guest memory comes from the page allocator as one contiguous extent,
 * the same physically contiguous memory the LWK gives its jobs, so the
 * nested page tables can map it with large pages (docs/guest-memory.md).
 */
#define pr_fmt(fmt) "vmm: " fmt

#include <arch/layout.h>
#include <arch/percpu.h>
#include <arch/platform.h>
#include <arch/smp.h>
#include <arch/time.h>
#include <kitten/compiler.h>
#include <kitten/errno.h>
#include <kitten/irq.h>
#include <kitten/kmem.h>
#include <kitten/mm.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/timer.h>
#include <kitten/vmm.h>

#include <palacios/host.h>
#include <palacios/image.h>

struct vmm_vm {
	struct v3_vm *v3;
	struct task *reader;	/* sleeping in vmm_console_read, or NULL */
};

static bool vmm_ready;

/* --- the host interface ------------------------------------------------ */

static uint64_t host_alloc_pages(uint64_t pages, uint64_t align)
{
	paddr_t pa;

	if (page_alloc_exact(pages << PAGE_SHIFT, align, &pa))
		return 0;
	memset(__va(pa), 0, pages << PAGE_SHIFT);
	return pa;
}

static void host_free_pages(uint64_t pa, uint64_t pages)
{
	page_free_range(pa, pages << PAGE_SHIFT);
}

static void *host_phys_to_virt(uint64_t pa)
{
	return __va(pa);
}

static uint64_t host_virt_to_phys(const void *va)
{
	return __pa(va);
}

static void host_print(const char *line)
{
	printk(KERN_INFO "%s\n", line);
}

static unsigned host_num_cpus(void)
{
	return nr_cpus_online;
}

static unsigned host_cpu_id(void)
{
	return this_cpu_id();
}

static uint64_t host_cpu_khz(void)
{
	return tsc_hz() / 1000;
}

struct thread_start {
	void (*fn)(void *arg);
	void *arg;
};

/* vCPU threads run guest code: they need FPU state of their own. */
static void thread_trampoline(void *arg)
{
	struct thread_start start = *(struct thread_start *)arg;

	kmem_free(arg);
	if (task_enable_fpu(task_current())) {
		pr_err("no memory for a vCPU thread's FPU state\n");
		return;
	}
	start.fn(start.arg);
}

static void *host_start_thread(void (*fn)(void *arg), void *arg,
			       const char *name, unsigned cpu)
{
	struct thread_start *start = kmem_alloc(sizeof(*start));
	struct task *t;

	if (!start)
		return NULL;
	*start = (struct thread_start){ fn, arg };
	t = kthread_create(thread_trampoline, start, name, cpu);
	if (!t)
		kmem_free(start);
	return t;
}

static void host_join_thread(void *thread)
{
	kthread_join(thread);
}

static void host_kick_thread(void *thread)
{
	task_kick(thread);
}

struct host_timer {
	struct timer timer;
	void (*fn)(void *arg);
	void *arg;
};

static void host_timer_expired(struct timer *t)
{
	struct host_timer *ht = t->data;

	ht->fn(ht->arg);
}

static void *host_timer_create(void (*fn)(void *arg), void *arg)
{
	struct host_timer *ht = kmem_zalloc(sizeof(*ht));

	if (ht) {
		timer_init(&ht->timer, host_timer_expired, ht);
		ht->fn = fn;
		ht->arg = arg;
	}
	return ht;
}

static void host_timer_arm(void *t, uint64_t deadline_ns)
{
	timer_add(&((struct host_timer *)t)->timer, deadline_ns);
}

static void host_timer_cancel(void *t)
{
	timer_del(&((struct host_timer *)t)->timer);
}

static void host_timer_free(void *t)
{
	timer_del_sync(&((struct host_timer *)t)->timer);
	kmem_free(t);
}

struct irq_hook {
	void (*handler)(unsigned irq, void *arg);
	void *arg;
	unsigned irq;
};

static void irq_trampoline(unsigned vector, void *arg, struct trap_frame *f)
{
	struct irq_hook *h = arg;

	(void)vector, (void)f;
	h->handler(h->irq, h->arg);
}

static struct irq_hook irq_hooks[16];

static int host_hook_irq(unsigned irq, void (*handler)(unsigned irq, void *arg),
			 void *arg)
{
	if (irq >= 16 || irq_hooks[irq].handler)
		return -EBUSY;
	irq_hooks[irq] = (struct irq_hook){ handler, arg, irq };
	if (request_irq(irq, irq_trampoline, &irq_hooks[irq], "palacios", 0)) {
		irq_hooks[irq].handler = NULL;
		return -EBUSY;
	}
	return 0;
}

static void host_unhook_irq(unsigned irq)
{
	if (irq < 16 && irq_hooks[irq].handler) {
		free_irq(irq);
		irq_hooks[irq].handler = NULL;
	}
}

/* Palacios's levels are Kitten ranks below the run queues' (it kicks). */
_Static_assert(LOCK_RANK_VMM + V3_LOCK_LEVELS <= LOCK_RANK_SCHED,
	       "Palacios lock levels overlap the scheduler's");

static void *host_lock_create(const char *name, unsigned level)
{
	struct spinlock *lock = kmem_alloc(sizeof(*lock));

	if (lock)
		spin_lock_init(lock, name, LOCK_RANK_VMM + level);
	return lock;
}

static unsigned long host_lock(void *lock)
{
	return spin_lock_irqsave(lock);
}

static void host_unlock(void *lock, unsigned long flags)
{
	spin_unlock_irqrestore(lock, flags);
}

static void host_vm_event(void *data)
{
	struct vmm_vm *vm = data;
	struct task *reader = __atomic_load_n(&vm->reader, __ATOMIC_SEQ_CST);

	if (reader)
		task_wake(reader);
}

static const struct v3_host_ops kitten_host_ops = {
	.version = V3_HOST_OPS_VERSION,
	.size = sizeof(struct v3_host_ops),
	.alloc_pages = host_alloc_pages,
	.free_pages = host_free_pages,
	.free_memory = mm_free_memory,
	.malloc = kmem_zalloc,
	.free = kmem_free,
	.phys_to_virt = host_phys_to_virt,
	.virt_to_phys = host_virt_to_phys,
	.vsnprintf = vsnprintf,
	.print = host_print,
	.num_cpus = host_num_cpus,
	.cpu_id = host_cpu_id,
	.cpu_khz = host_cpu_khz,
	.time_ns = time_ns,
	.start_thread = host_start_thread,
	.join_thread = host_join_thread,
	.yield = sched_yield,
	.sleep_ns = task_sleep_ns,
	.kick_thread = host_kick_thread,
	.timer_create = host_timer_create,
	.timer_arm = host_timer_arm,
	.timer_cancel = host_timer_cancel,
	.timer_free = host_timer_free,
	.hook_irq = host_hook_irq,
	.unhook_irq = host_unhook_irq,
	.is_device_memory = platform_unclaimed_device_memory,
	.lock_create = host_lock_create,
	.lock_free = kmem_free,
	.lock = host_lock,
	.unlock = host_unlock,
	.vm_event = host_vm_event,
};

/* --- Kitten's VMM calls ------------------------------------------------ */

void vmm_init(void)
{
	if (v3_init(&kitten_host_ops)) {
		pr_info("no virtual machines: %s\n", v3_init_error());
		return;
	}
	vmm_ready = true;
}

bool vmm_available(void)
{
	return vmm_ready;
}

int vmm_create(uint64_t image, size_t len, bool may_passthrough,
	       struct vmm_vm **out, char *err, size_t errlen)
{
	struct v3_image hdr = { 0 };
	struct vmm_vm *vm;

	if (copy_from_user(&hdr, image, MIN(len, sizeof(hdr))))
		return -EFAULT;
	if (!may_passthrough && (hdr.passthrough_io_last || hdr.passthrough_irq ||
				 hdr.passthrough_mem_size)) {
		snprintf(err, errlen, "passthrough of host ports, IRQs or device "
			 "memory needs uid 0 or cap=vm_passthrough");
		return -EPERM;
	}
	vm = kmem_zalloc(sizeof(*vm));
	if (!vm) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	vm->v3 = v3_vm_create(&hdr, (const void *)image, len, vm, err, errlen);
	if (!vm->v3) {
		kmem_free(vm);
		return -EINVAL;
	}
	*out = vm;
	return 0;
}

int vmm_start(struct vmm_vm *vm, const unsigned *cpus, unsigned ncpus)
{
	return v3_vm_start(vm->v3, cpus, ncpus);
}

int vmm_stop(struct vmm_vm *vm, const char *reason)
{
	return v3_vm_stop(vm->v3, reason);
}

static bool vm_stopped(struct vmm_vm *vm)
{
	struct v3_vm_status st;

	v3_vm_status(vm->v3, &st);
	return st.state == V3_VM_STOPPED;
}

long vmm_console_read(struct vmm_vm *vm, char *buf, size_t len,
		      uint64_t timeout_ns)
{
	uint64_t deadline = time_ns() + timeout_ns;
	size_t n;

	for (;;) {
		n = v3_vm_console_read(vm->v3, buf, len);
		if (n)
			return n;
		/* Read once more after the stop: output may precede it. */
		if (vm_stopped(vm)) {
			n = v3_vm_console_read(vm->v3, buf, len);
			return n;
		}
		if (time_ns() >= deadline)
			return -EAGAIN;
		__atomic_store_n(&vm->reader, task_current(), __ATOMIC_SEQ_CST);
		task_sleep_ns(10 * 1000 * 1000);
		__atomic_store_n(&vm->reader, NULL, __ATOMIC_SEQ_CST);
	}
}

void vmm_status(struct vmm_vm *vm, struct kitten_vm_status *st)
{
	struct v3_vm_status v;
	unsigned n = 0;

	v3_vm_status(vm->v3, &v);
	memset(st, 0, sizeof(*st));
	st->state = v.state;
	st->exit_status = v.exit_status;
	strlcpy(st->stop_reason, v.stop_reason, sizeof(st->stop_reason));
	st->vcpus = v.vcpus;
	st->guest_mem_bytes = v.guest_mem_bytes;
	for (unsigned r = 0; r < V3_EXIT_NR && n < KITTEN_VM_MAX_EXIT_KINDS; r++) {
		strlcpy(st->exits[n].name, v3_exit_reason_name(r),
			sizeof(st->exits[n].name));
		st->exits[n++].count = v.exits[r];
	}
	st->nr_exit_kinds = n;
}

int vmm_disk_write_back(struct vmm_vm *vm, void *image, size_t len)
{
	return v3_vm_disk_write_back(vm->v3, image, len) ? -EINVAL : 0;
}

int vmm_free(struct vmm_vm *vm)
{
	int ret = v3_vm_free(vm->v3);

	if (ret)
		return -EBUSY;
	kmem_free(vm);
	return 0;
}
