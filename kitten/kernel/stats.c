// SPDX-License-Identifier: GPL-2.0
/*
 * What a job pays the kernel: its entries counted by kind (system call,
 * page fault, other exception, interrupt) and by system call number or
 * vector, with the cycles spent in each.
 *
 * Counts are kept per CPU and charged to the task running there, when it
 * is one of the job's: each CPU adds only to its own block, so the hot
 * path takes no lock and shares no cache line. A job's processes and
 * threads are added up when the table is read, after the job has ended.
 * The job is every user task outside the address space that started the
 * count: the loader starts it just before the job's first task and reads
 * it after the last has exited, so its own system calls in between
 * (waiting for the job) are not the job's.
 *
 * Cycles are TSC ticks, read at the top of syscall_dispatch() and
 * trap_dispatch() and again before they return; the register saving in
 * entry.S around them (a few dozen instructions each way) is outside.
 * Under QEMU -icount shift=0 the TSC advances by one per instruction, so
 * cycles are then instructions. Time a task spends switched out during an
 * entry (a futex wait, a preemption) is left out: the scheduler adds it
 * to task->stats_away, and an entry's cost is measured net of that. An
 * interrupt taken while the kernel works for the job is counted as
 * "nested": its cycles are inside the entry it interrupted, so they are
 * shown but not added to the total.
 */
#include <arch/irqflags.h>
#include <arch/percpu.h>
#include <arch/x86.h>
#include <kitten/errno.h>
#include <kitten/irq.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/stats.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

/* The system call table's size (syscall.c); one more slot for numbers
 * past it. */
#define NR_SLOTS (SYS_KITTEN_BASE + NR_KITTEN_SYSCALLS + 1)
#define TOP_SYSCALLS 16

struct counter {
	uint64_t count, cycles;
};

struct stats_cpu {
	struct counter kind[STATS_NR_KINDS];
	struct counter syscall[NR_SLOTS];
	struct counter vector[NR_VECTORS];
	uint64_t switches;	/* the job's tasks switched back in */
};

bool stats_on;
static struct stats_cpu *blocks[CONFIG_NR_CPUS];
static const struct aspace *watcher;	/* the loader's: not the job */
static uint64_t started_at;

/* Names of the calls Kitten implements, from the same list as the table. */
#define SYSCALL(nr, name) [nr] = #name,
static const char *const implemented[NR_SLOTS] = {
#include <kitten/syscall_list.h>
};
#undef SYSCALL

static const char *const kind_names[STATS_NR_KINDS] = {
	"syscall", "page fault", "exception", "interrupt", "nested",
};

uint64_t stats_now(void)
{
	return rdtsc();
}

static struct counter *slot(struct stats_cpu *b, enum stats_kind kind,
			    unsigned index)
{
	if (kind == STATS_SYSCALL)
		return &b->syscall[MIN(index, NR_SLOTS - 1)];
	return &b->vector[index % NR_VECTORS];
}

/* A task is one of the job's: a user task outside the watcher's space. */
static bool counted(const struct task *t)
{
	return t->aspace && t->aspace != READ_ONCE(watcher);
}

/*
 * The mark is the TSC less the cycles the task had spent switched out:
 * at the exit the same difference, less the mark, is the entry's own
 * cost. Never 0 in practice, which stats_exit() takes for "not counted".
 * Interrupts are held off while a CPU's block is updated: a system call
 * runs with them on, and a task preempted halfway through an increment
 * would lose the other task's.
 */
uint64_t stats_enter(enum stats_kind kind, unsigned index)
{
	unsigned long flags = irq_save();
	struct cpu *cpu = this_cpu();
	struct stats_cpu *b = blocks[cpu->id];
	struct task *t = cpu->current;
	uint64_t mark = 0;

	if (b && counted(t)) {
		b->kind[kind].count++;
		slot(b, kind, index)->count++;
		mark = rdtsc() - t->stats_away;
	}
	irq_restore(flags);
	return mark;
}

void stats_leave(enum stats_kind kind, unsigned index, uint64_t mark)
{
	unsigned long flags = irq_save();
	struct cpu *cpu = this_cpu();
	struct stats_cpu *b = blocks[cpu->id];
	uint64_t cycles = rdtsc() - cpu->current->stats_away - mark;

	if (b && READ_ONCE(stats_on)) {
		b->kind[kind].cycles += cycles;
		slot(b, kind, index)->cycles += cycles;
	}
	irq_restore(flags);
}

void stats_switched_back(struct task *t, uint64_t out)
{
	struct stats_cpu *b = blocks[this_cpu_id()];

	t->stats_away += rdtsc() - out;
	if (b && counted(t))
		b->switches++;
}

/* Zero every CPU's block and count from now on. The blocks are made on
 * the first start and kept: a count costs no allocation after that. */
static long stats_start(void)
{
	struct cpu *c;

	WRITE_ONCE(stats_on, false);
	for_each_online_cpu(c) {
		if (!blocks[c->id])
			blocks[c->id] = kmem_alloc(sizeof(struct stats_cpu));
		if (!blocks[c->id])
			return -ENOMEM;
		memset(blocks[c->id], 0, sizeof(struct stats_cpu));
	}
	WRITE_ONCE(watcher, task_current()->aspace);
	started_at = rdtsc();
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(stats_on, true);
	return 0;
}

long stats_control(const char *buf, uint64_t len)
{
	long err = -EINVAL;

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\0'))
		len--;
	if (len == 5 && !memcmp(buf, "start", 5))
		err = stats_start();
	else if (len == 4 && !memcmp(buf, "stop", 4))
		err = 0, WRITE_ONCE(stats_on, false);
	return err ? err : (long)len;
}

static void sum(struct counter *total, const struct counter *c)
{
	total->count += c->count;
	total->cycles += c->cycles;
}

/* The counter of one kind, or one call or vector, over every CPU. */
static struct counter total_of(enum stats_kind kind, int index)
{
	struct counter t = { 0, 0 };

	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++) {
		if (!blocks[i])
			continue;
		if (index < 0)
			sum(&t, &blocks[i]->kind[kind]);
		else
			sum(&t, slot(blocks[i], kind, index));
	}
	return t;
}

/* snprintf that appends at *len and never runs past cap. */
#define APPEND(out, cap, len, ...)                                            \
	do {                                                                  \
		if (len < cap)                                                \
			len += snprintf(out + len, cap - len, __VA_ARGS__);   \
		if (len > cap)                                                \
			len = cap;                                            \
	} while (0)

static void row(char *out, size_t cap, size_t *len, const char *what,
		const char *name, struct counter c)
{
	APPEND(out, cap, *len, "stats: %-9s %-22s %10lu %14lu %10lu\n", what,
	       name, c.count, c.cycles, c.count ? c.cycles / c.count : 0);
}

static const char *syscall_name(unsigned nr)
{
	if (nr == NR_SLOTS - 1)
		return "(past the table)";
	if (implemented[nr])
		return implemented[nr];
	if (nr < NR_LINUX_SYSCALLS && linux_syscall_names[nr])
		return linux_syscall_names[nr];
	return "(unknown)";
}

/*
 * The system calls the job made, most cycles first: the TOP_SYSCALLS
 * costliest by name, the rest on one line, so the per-call counts still
 * add up to the kind's total.
 */
static void syscall_rows(char *out, size_t cap, size_t *len)
{
	struct counter *calls = kmem_alloc(NR_SLOTS * sizeof(*calls));
	struct counter rest = { 0, 0 };
	char name[32];

	if (!calls) {
		APPEND(out, cap, *len, "stats: (no memory for the calls)\n");
		return;
	}
	for (unsigned nr = 0; nr < NR_SLOTS; nr++)
		calls[nr] = total_of(STATS_SYSCALL, nr);
	for (unsigned n = 0;; n++) {
		int at = -1;

		for (unsigned nr = 0; nr < NR_SLOTS; nr++)
			if (calls[nr].count &&
			    (at < 0 || calls[nr].cycles > calls[at].cycles))
				at = nr;
		if (at < 0)
			break;
		if (n < TOP_SYSCALLS) {
			snprintf(name, sizeof(name), "%s (%d)",
				 syscall_name(at), at);
			row(out, cap, len, "syscall", name, calls[at]);
		} else {
			sum(&rest, &calls[at]);
		}
		calls[at].count = 0;
	}
	if (rest.count)
		row(out, cap, len, "syscall", "(the others)", rest);
	kmem_free(calls);
}

static void vector_rows(char *out, size_t cap, size_t *len)
{
	char name[32];

	for (unsigned v = 0; v < NR_VECTORS; v++) {
		struct counter c = { 0, 0 };

		for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
			if (blocks[i])
				sum(&c, &blocks[i]->vector[v]);
		if (!c.count)
			continue;
		snprintf(name, sizeof(name), "%s (%u)",
			 v < FIRST_EXTERNAL_VECTOR ? "exception" :
			 irq_vector_name(v), v);
		row(out, cap, len, "vector", name, c);
	}
}

/*
 * The table. Called by the reader after the job's end (nothing adds to
 * the blocks then); read during a job, it is a snapshot that may be off
 * by the entries in flight.
 */
size_t stats_text(char *out, size_t cap)
{
	struct counter total = { 0, 0 };
	uint64_t switches = 0;
	size_t len = 0;

	if (!started_at) {
		APPEND(out, cap, len, "stats: no count has run\n");
		return len;
	}
	APPEND(out, cap, len,
	       "stats: kernel entries of the job; cycles are TSC ticks "
	       "(instructions under QEMU -icount shift=0)\n");
	APPEND(out, cap, len, "stats: %-9s %-22s %10s %14s %10s\n", "kind",
	       "name", "count", "cycles", "mean");
	for (unsigned k = 0; k < STATS_NR_KINDS; k++) {
		struct counter c = total_of(k, -1);

		row(out, cap, &len, "kind", kind_names[k], c);
		if (k != STATS_NESTED)
			sum(&total, &c);
	}
	row(out, cap, &len, "total", "(all but nested)", total);
	syscall_rows(out, cap, &len);
	vector_rows(out, cap, &len);
	for (unsigned i = 0; i < CONFIG_NR_CPUS; i++)
		if (blocks[i])
			switches += blocks[i]->switches;
	APPEND(out, cap, len, "stats: switches %lu (the job's tasks switched "
	       "back in)\n", switches);
	APPEND(out, cap, len, "stats: window %lu cycles since the start\n",
	       rdtsc() - started_at);
	return len;
}
