// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing up the application processors, one at a time, with the
 * INIT-SIPI-SIPI sequence; and the IPIs the CPUs use afterwards.
 *
 * Each AP gets its own struct cpu (descriptor tables, IST stacks,
 * counters) and boot stack, allocated before it starts. It comes up on
 * the boot page tables through the trampoline, switches to the kernel
 * tables in ap_entry64 and from then on is symmetric with the boot CPU.
 */
#define pr_fmt(fmt) "smp: " fmt

#include <arch/apic.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/time.h>
#include <arch/user.h>
#include <arch/x86.h>
#include <kitten/errno.h>
#include <kitten/irq.h>
#include <kitten/kmem.h>
#include <kitten/panic.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/string.h>
#include <kitten/timer.h>

#define AP_START_TIMEOUT_NS	(200 * NSEC_PER_MSEC)

struct trampoline_params {
	uint64_t boot_cr3, efer, kernel_cr3, stack, cpu, entry;
};

extern const char trampoline_start[], trampoline_end[], trampoline_params[];
extern char boot_pml4[];

/* A queued cross-CPU call; lives on the caller's stack while it waits. */
struct call {
	void (*fn)(void *arg);
	void *arg;
	struct list_head node;
	volatile bool done;
};

struct call_queue {
	struct spinlock lock;
	struct list_head calls;
};

static struct call_queue call_queues[CONFIG_NR_CPUS];

void ap_start64(struct cpu *cpu, uint64_t kernel_cr3, uint64_t stack);
void ap_entry64(struct cpu *cpu);

/* The AP's first C code, on its own stack and the kernel's tables. */
__attribute__((noreturn)) static void ap_main(struct cpu *cpu)
{
	gdt_load(&cpu->desc);
	idt_load();
	percpu_install(cpu);
	user_init_cpu();
	apic_init_cpu();
	timer_init_cpu();
	sched_init_cpu();
	__atomic_fetch_add(&nr_cpus_online, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	sched_idle_loop();
}

void ap_entry64(struct cpu *cpu)
{
	write_cr4(read_cr4() | CR4_PGE);
	ap_main(cpu);
}

static bool start_cpu(unsigned id, uint32_t apic_id)
{
	struct trampoline_params *params = __va(TRAMPOLINE_PHYS +
		(trampoline_params - trampoline_start));
	struct cpu *cpu = kmem_zalloc(sizeof(*cpu));
	void *stack = kmem_alloc(CONFIG_KSTACK_SIZE);
	uint64_t start;

	if (!cpu || !stack) {
		pr_err("no memory to start CPU %u\n", id);
		kmem_free(cpu);
		kmem_free(stack);
		return false;
	}
	cpu->id = id;
	cpu->apic_id = apic_id;
	*params = (struct trampoline_params){
		.boot_cr3 = __pa(boot_pml4),
		.efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE | EFER_SCE),
		.kernel_cr3 = kernel_pgtable.root,
		.stack = (uint64_t)stack + CONFIG_KSTACK_SIZE,
		.cpu = (uint64_t)cpu,
		.entry = (uint64_t)ap_start64,
	};

	apic_send_init(apic_id);
	udelay_ns(10 * NSEC_PER_MSEC);
	for (int i = 0; i < 2 && !READ_ONCE(cpu->online); i++) {
		apic_send_startup(apic_id, TRAMPOLINE_PHYS >> 12);
		udelay_ns(200 * NSEC_PER_USEC);
	}
	start = time_ns();
	while (!__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE)) {
		if (time_ns() - start > AP_START_TIMEOUT_NS) {
			/* It may still wake later: keep its memory, lose nothing. */
			pr_err("CPU %u (APIC id %u) did not start\n", id, apic_id);
			return false;
		}
		cpu_relax();
	}
	return true;
}

unsigned smp_boot_cpus(const uint32_t *apic_ids, unsigned nr)
{
	uint32_t self = this_cpu()->apic_id;
	unsigned next_id = 1;
	uint64_t t0 = time_ns();

	memcpy(__va(TRAMPOLINE_PHYS), trampoline_start,
	       trampoline_end - trampoline_start);
	for (unsigned i = 0; i < nr; i++) {
		if (apic_ids[i] == self)
			continue;
		if (next_id == CONFIG_NR_CPUS) {
			pr_warn("CONFIG_NR_CPUS is %d: not starting the rest\n",
				CONFIG_NR_CPUS);
			break;
		}
		if (start_cpu(next_id, apic_ids[i]))
			next_id++;
	}
	pr_info("%u CPUs online (%lu ms to start them)\n", nr_cpus_online,
		(time_ns() - t0) / NSEC_PER_MSEC);
	return nr_cpus_online;
}

static void run_calls(unsigned vector, void *arg, struct trap_frame *f)
{
	struct call_queue *q = &call_queues[this_cpu_id()];

	(void)vector;
	(void)arg;
	(void)f;
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&q->lock);
		struct call *c = NULL;

		if (!list_empty(&q->calls)) {
			c = list_first_entry(&q->calls, struct call, node);
			list_del(&c->node);
		}
		spin_unlock_irqrestore(&q->lock, flags);
		if (!c)
			return;
		c->fn(c->arg);
		__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
	}
}

int smp_call_function(unsigned cpu, void (*fn)(void *arg), void *arg)
{
	struct call c = { .fn = fn, .arg = arg };
	struct call_queue *q;
	unsigned long flags;

	if (cpu >= CONFIG_NR_CPUS || !cpus[cpu] || !cpus[cpu]->online)
		return -EINVAL;
	if (!irqs_enabled())	/* two CPUs calling each other would deadlock */
		panic("smp_call_function with interrupts off");
	if (cpu == this_cpu_id()) {
		flags = irq_save();
		fn(arg);
		irq_restore(flags);
		return 0;
	}
	q = &call_queues[cpu];
	flags = spin_lock_irqsave(&q->lock);
	list_add_tail(&c.node, &q->calls);
	spin_unlock_irqrestore(&q->lock, flags);
	apic_send_ipi(cpus[cpu]->apic_id, IPI_CALL_FUNCTION_VECTOR);
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
		cpu_relax();
	return 0;
}

/*
 * TLB shootdown: each request bumps a generation; a CPU acknowledges by
 * recording the generation it saw before flushing, so one flush can
 * answer several requests.
 */
static uint64_t shootdown_gen;
static uint64_t shootdown_acked[CONFIG_NR_CPUS];

static void flush_tlb(unsigned vector, void *arg, struct trap_frame *f)
{
	uint64_t gen = __atomic_load_n(&shootdown_gen, __ATOMIC_ACQUIRE);

	(void)vector;
	(void)arg;
	(void)f;
	write_cr3(read_cr3());
	__atomic_store_n(&shootdown_acked[this_cpu_id()], gen, __ATOMIC_RELEASE);
}

void smp_tlb_shootdown(void)
{
	uint64_t gen = __atomic_add_fetch(&shootdown_gen, 1, __ATOMIC_ACQ_REL);
	struct cpu *c;

	if (!irqs_enabled())
		panic("TLB shootdown with interrupts off would deadlock");
	for_each_online_cpu(c)
		if (c != this_cpu())
			apic_send_ipi(c->apic_id, IPI_TLB_SHOOTDOWN_VECTOR);
	for_each_online_cpu(c)
		if (c != this_cpu())
			while (__atomic_load_n(&shootdown_acked[c->id],
					       __ATOMIC_ACQUIRE) < gen)
				cpu_relax();
}

static void reschedule(unsigned vector, void *arg, struct trap_frame *f)
{
	(void)vector;
	(void)arg;
	(void)f;
	this_cpu()->need_resched = true;
}

static void apic_error(unsigned vector, void *arg, struct trap_frame *f)
{
	(void)vector;
	(void)arg;
	(void)f;
	pr_warn("APIC error on CPU %u\n", this_cpu_id());
}

void smp_init_ipis(void)
{
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++) {
		spin_lock_init(&call_queues[i].lock, "calls", LOCK_RANK_LEAF);
		list_init(&call_queues[i].calls);
	}
	if (irq_vector_request(IPI_RESCHEDULE_VECTOR, reschedule, NULL,
			       "reschedule IPI") < 0 ||
	    irq_vector_request(IPI_CALL_FUNCTION_VECTOR, run_calls, NULL,
			       "function call IPI") < 0 ||
	    irq_vector_request(IPI_TLB_SHOOTDOWN_VECTOR, flush_tlb, NULL,
			       "TLB shootdown IPI") < 0 ||
	    irq_vector_request(APIC_ERROR_VECTOR, apic_error, NULL,
			       "APIC error") < 0)
		panic("cannot install the IPI handlers");
}
