// SPDX-License-Identifier: GPL-2.0
/*
 * Task lifetime: creation of kernel threads on a named CPU, their first
 * run, exit and release. A task's kernel stack is freed only once the
 * scheduler has switched away from it for the last time
 * (task_release(), called from sched_finish_switch()).
 */
#define pr_fmt(fmt) "task: " fmt

#include <arch/percpu.h>
#include <arch/user.h>
#include <arch/x86.h>
#include <arch/layout.h>
#include <kitten/aspace.h>
#include <kitten/mm.h>
#include <kitten/file.h>
#include <kitten/futex.h>
#include <kitten/signal.h>
#include <kitten/syscall.h>
#include <kitten/vmm.h>
#include <kitten/config.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/proc.h>
#include <kitten/sched.h>
#include <kitten/string.h>

void sched_finish_switch(void);
void task_first_entry(void);

static unsigned next_task_id = 1;

/*
 * Guards parent/child links, and the moment a task is declared off its
 * CPU: the wake-up that announces it happens under this lock, so whoever
 * then frees the task cannot do so while the wake-up still uses it.
 */
static struct spinlock family_lock = SPINLOCK_INIT("family", LOCK_RANK_FAMILY);

/* Where t's children hang: its process's leader (see task.h). */
static struct task *family_head(struct task *t)
{
	return t->group_leader ? t->group_leader : t;
}

static bool is_off_cpu(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&family_lock);
	bool off = t->off_cpu;

	spin_unlock_irqrestore(&family_lock, flags);
	return off;
}

/* The registers switch_to pops, then its return address. */
struct switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t rip;
};

/*
 * A task ready for its first switch, not yet queued. A user task keeps
 * the top of its stack for the frame that takes it to user mode.
 */
static struct task *task_alloc(void (*fn)(void *arg), void *arg,
			       const char *name, unsigned cpu, bool user)
{
	struct task *t;
	struct switch_frame *frame;

	if (cpu >= CONFIG_NR_CPUS || !cpus[cpu] || !cpus[cpu]->online) {
		pr_err("%s: CPU %u is not online\n", name, cpu);
		return NULL;
	}
	t = kmem_zalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->kstack = kmem_alloc(CONFIG_KSTACK_SIZE);
	if (!t->kstack) {
		kmem_free(t);
		return NULL;
	}
	t->id = __atomic_fetch_add(&next_task_id, 1, __ATOMIC_RELAXED);
	strlcpy(t->name, name, sizeof(t->name));
	t->cpu = cpu;
	t->migrate_to = -1;
	t->fn = fn;
	t->arg = arg;
	waitqueue_init(&t->exit_wq);
	waitqueue_init(&t->child_wq);
	list_init(&t->children);
	list_init(&t->child_node);

	frame = (struct switch_frame *)((char *)t->kstack + CONFIG_KSTACK_SIZE -
					(user ? sizeof(struct trap_frame) : 0)) - 1;
	memset(frame, 0, sizeof(*frame));
	frame->rip = (uint64_t)task_first_entry;
	t->ksp = (uint64_t)frame;
	return t;
}

struct task *kthread_create(void (*fn)(void *arg), void *arg,
			    const char *name, unsigned cpu)
{
	struct task *t = task_alloc(fn, arg, name, cpu, false);

	if (t)
		sched_enqueue_new(t);
	return t;
}

/* A page for a task's FPU state: XSAVE needs 64-byte alignment. */
static void *fpu_area_alloc(void)
{
	paddr_t pa;

	return page_alloc(0, &pa) ? NULL : __va(pa);
}

static void fpu_area_free(void *area)
{
	page_free(__pa(area));
}

int task_enable_fpu(struct task *t)
{
	if (t->fpu)
		return 0;
	t->fpu = fpu_area_alloc();
	if (!t->fpu)
		return -ENOMEM;
	fpu_init_state(t->fpu);
	return 0;
}

/* The user frame sits at the very top of the kernel stack. */
struct trap_frame *task_user_frame(struct task *t)
{
	return (struct trap_frame *)((char *)t->kstack + CONFIG_KSTACK_SIZE) - 1;
}

static void enter_user(void *arg)
{
	struct task *t = arg;

	user_enter(task_user_frame(t));
}

/* A user task in as, not yet started: FPU area, references, thread list. */
static struct task *user_task_new(const char *name, struct aspace *as,
				  unsigned cpu, struct fdtable *files)
{
	struct task *t = task_alloc(enter_user, NULL, name, cpu, true);
	unsigned long flags;

	if (!t)
		return NULL;
	t->fpu = fpu_area_alloc();
	if (!t->fpu) {
		kmem_free(t->kstack);
		kmem_free(t);
		return NULL;
	}
	t->arg = t;
	t->aspace = as;
	aspace_get(as);
	t->files = files;
	if (files)
		fdtable_get(files);
	flags = spin_lock_irqsave(&as->threads_lock);
	list_add_tail(&t->thread_node, &as->threads);
	as->nr_threads++;
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return t;
}

/* What a user task owes its process on the way out. */
static void user_task_exit(struct task *t)
{
	struct aspace *as = t->aspace;

	/* CLONE_CHILD_CLEARTID: pthread_join() waits for this word to clear. */
	if (t->clear_child_tid) {
		uint32_t zero = 0;

		if (!copy_to_user(t->clear_child_tid, &zero, sizeof(zero)))
			futex_wake(as, t->clear_child_tid, 1, ~0U);
	}
	/*
	 * A process ends when its last thread does, so its first task (the
	 * one the init task waits for, before freeing the memory) goes last.
	 */
	if (t->leader) {
		wait_event(as->threads_wq, READ_ONCE(as->nr_threads) == 1);
		vm_release_owned(as);
		signal_parent();
	}
}

/* Take t off the thread list of as (its reference stays). */
static void unlink_thread(struct task *t, struct aspace *as)
{
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);

	list_del(&t->thread_node);
	as->nr_threads--;
	as->exited_runtime_ns += t->runtime_ns;
	spin_unlock_irqrestore(&as->threads_lock, flags);
	waitqueue_wake_all(&as->threads_wq);
}

/* A thread has left its address space for good. */
static void leave_aspace(struct task *t)
{
	unlink_thread(t, t->aspace);
	aspace_put(t->aspace);
}

/*
 * The next CPU of the process's set, round robin, for a new thread; of
 * its creator's affinity (sched_setaffinity) within that set, if it has
 * one.
 */
static unsigned next_thread_cpu(struct aspace *as, uint64_t affinity)
{
	uint64_t mask = as->cpu_mask;

	if (affinity)
		mask = mask ? mask & affinity : affinity;
	if (!mask)
		return this_cpu_id();
	for (unsigned i = 0; i < 64; i++) {
		unsigned cpu = (as->next_cpu + i) % 64;

		if ((mask & (1ULL << cpu)) && cpu < CONFIG_NR_CPUS &&
		    cpus[cpu] && cpus[cpu]->online) {
			as->next_cpu = cpu + 1;
			return cpu;
		}
	}
	return this_cpu_id();
}

struct task *task_clone_thread(uint64_t stack, uint64_t tls)
{
	struct task *self = task_current(), *t;
	struct aspace *as = self->aspace;
	struct trap_frame *frame;

	t = user_task_new(self->name, as,
			  next_thread_cpu(as, READ_ONCE(self->affinity)),
			  self->files);
	if (!t)
		return NULL;
	/* The caller's registers, as its system call will return them. */
	frame = task_user_frame(t);
	*frame = *task_user_frame(self);
	frame->rax = 0;
	if (stack)
		frame->rsp = stack;
	fpu_save(t->fpu);		/* the caller's live FPU registers */
	t->fs_base = tls ? tls : self->fs_base;
	t->sig_blocked = self->sig_blocked;
	t->detached = true;		/* nobody waits for a thread's task */
	t->group_leader = self->group_leader;
	t->affinity = self->affinity;	/* a new thread inherits the mask */
	return t;
}

void task_return_to_user(struct trap_frame *f)
{
	struct task *t = task_current();

	if (t->kill_pending)
		task_exit(t->aspace->group_exit);
	if (t->sig_pending)
		signal_deliver_pending(f);
}

void task_exit_group(int status)
{
	struct task *self = task_current(), *t;
	struct aspace *as = self->aspace;
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);

	if (as->group_exit < 0)
		as->group_exit = status;
	/* Wake sleepers, and make runners enter the kernel to see it. */
	list_for_each_entry(t, &as->threads, thread_node)
		if (t != self) {
			t->kill_pending = true;
			task_kick(t);
		}
	spin_unlock_irqrestore(&as->threads_lock, flags);
	task_exit(as->group_exit);
}

struct task *task_fork(struct aspace *as, struct fdtable *files)
{
	struct task *self = task_current(), *t;
	unsigned long flags;

	t = user_task_new(self->name, as, this_cpu_id(), files);
	if (!t)
		return NULL;
	*task_user_frame(t) = *task_user_frame(self);
	task_user_frame(t)->rax = 0;	/* fork() returns 0 in the child */
	fpu_save(t->fpu);
	t->fs_base = self->fs_base;
	t->sig_blocked = self->sig_blocked;
	t->leader = true;
	t->group_leader = t;
	as->leader_id = t->id;
	flags = spin_lock_irqsave(&family_lock);
	t->parent = family_head(self);
	list_add_tail(&t->child_node, &t->parent->children);
	spin_unlock_irqrestore(&family_lock, flags);
	return t;
}

void task_switch_aspace(struct aspace *as)
{
	struct task *t = task_current();
	struct aspace *old = t->aspace;
	unsigned long flags;

	/*
	 * Off the old list before onto the new one (the node is one); the
	 * old address space is dropped only once the new one is active, as
	 * its page tables are in use until then.
	 */
	unlink_thread(t, old);
	aspace_get(as);
	flags = spin_lock_irqsave(&as->threads_lock);
	list_add_tail(&t->thread_node, &as->threads);
	as->nr_threads++;
	spin_unlock_irqrestore(&as->threads_lock, flags);
	as->leader_id = old->leader_id;
	aspace_activate(as);
	t->aspace = as;
	aspace_put(old);
}

struct task *task_create_user(const char *name, struct aspace *as,
			      unsigned cpu, uint64_t entry, uint64_t stack,
			      uint64_t arg0, uint64_t arg1,
			      struct fdtable *files)
{
	struct task *t = user_task_new(name, as, cpu, files);

	if (!t)
		return NULL;
	fpu_init_state(t->fpu);
	user_frame_init(task_user_frame(t), entry, stack, arg0, arg1);
	t->leader = true;
	t->group_leader = t;
	if (!as->leader_id)
		as->leader_id = t->id;

	unsigned long flags = spin_lock_irqsave(&family_lock);

	t->parent = family_head(task_current());
	list_add_tail(&t->child_node, &t->parent->children);
	spin_unlock_irqrestore(&family_lock, flags);
	sched_enqueue_new(t);
	return t;
}

static bool child_matches(const struct task *c, const struct child_match *m)
{
	if (m->id)
		return c->id == m->id;
	/* Its address space may be on its way out: see task_release(). */
	if (m->pgid)
		return (c->exit_pgid ? c->exit_pgid : proc_pgid(c->aspace)) ==
		       m->pgid;
	return true;
}

/*
 * An ended child of parent that matches, or NULL; sets *any if one
 * matches at all. Unless keep, the child leaves the list: it is the
 * caller's to free.
 */
static struct task *ended_child(struct task *parent,
				const struct child_match *m, bool keep,
				bool *any)
{
	unsigned long flags = spin_lock_irqsave(&family_lock);
	struct task *c, *found = NULL;

	*any = false;
	list_for_each_entry(c, &parent->children, child_node) {
		if (!child_matches(c, m))
			continue;
		*any = true;
		if (c->off_cpu) {
			if (!keep)
				list_del(&c->child_node);
			found = c;
			break;
		}
	}
	spin_unlock_irqrestore(&family_lock, flags);
	return found;
}

int task_wait_child(const struct child_match *m, struct child_exit *out,
		    bool nohang, bool keep)
{
	struct task *self = task_current(), *head = family_head(self);
	struct task *child = NULL;
	bool any;

	if (nohang) {
		child = ended_child(head, m, keep, &any);
		if (!child)
			return any ? 0 : -ECHILD;
	} else {
		wait_event(head->child_wq,
			   (child = ended_child(head, m, keep, &any)) != NULL ||
			   !any || READ_ONCE(self->kill_pending));
		if (!child)
			return any ? -EINTR : -ECHILD;
	}
	*out = (struct child_exit){ .id = child->id,
				    .status = child->exit_status,
				    .signal = child->term_signal,
				    .runtime_ns = child->proc_runtime_ns };
	if (self->aspace && !keep)
		__atomic_fetch_add(&self->aspace->children_runtime_ns,
				   child->proc_runtime_ns, __ATOMIC_RELAXED);
	if (!keep)
		kmem_free(child);
	return out->id;
}

/* The exiting task's children will have nobody to wait for them. */
static void orphan_children(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&family_lock);
	struct task *c, *tmp;
	LIST_HEAD(dead);

	list_for_each_entry_safe(c, tmp, &t->children, child_node) {
		list_del(&c->child_node);
		c->parent = NULL;
		if (c->off_cpu)
			list_add(&c->child_node, &dead);
		else
			c->detached = true;
	}
	spin_unlock_irqrestore(&family_lock, flags);
	list_for_each_entry_safe(c, tmp, &dead, child_node)
		kmem_free(c);
}

void task_kill_current(int signal, const char *why)
{
	struct task *t = task_current();

	pr_err("task %s (%u) killed by signal %d: %s\n", t->name, t->id,
	       signal, why);
	t->term_signal = signal;
	task_exit_group(128 + signal);	/* a fatal signal ends the process */
}

/* A new task's first code, reached from task_first_entry in switch.S. */
void task_start(void)
{
	struct task *t;

	sched_finish_switch();
	irq_enable();
	t = task_current();
	t->fn(t->arg);
	task_exit(0);
}

void task_exit(int status)
{
	struct task *t = task_current();

	if (t->aspace)
		user_task_exit(t);
	orphan_children(t);
	t->exit_status = status;
	irq_disable();
	t->state = TASK_EXITED;
	schedule();
	__builtin_unreachable();
}

void task_release(struct task *t)
{
	unsigned long flags;

	/*
	 * What its parent will ask of a process that ended, kept before the
	 * address space goes: a waiter reads exit_pgid under the family
	 * lock, and the address space only while it is still 0.
	 */
	if (t->leader && t->aspace) {
		t->proc_runtime_ns = t->aspace->exited_runtime_ns + t->runtime_ns;
		flags = spin_lock_irqsave(&family_lock);
		t->exit_pgid = proc_pgid(t->aspace);
		spin_unlock_irqrestore(&family_lock, flags);
	}
	kmem_free(t->kstack);
	t->kstack = NULL;
	if (t->fpu)
		fpu_area_free(t->fpu);
	t->fpu = NULL;
	if (t->aspace)
		leave_aspace(t);
	t->aspace = NULL;
	if (t->files)
		fdtable_put(t->files);
	t->files = NULL;

	flags = spin_lock_irqsave(&family_lock);
	bool detached = t->detached;

	t->off_cpu = true;
	if (t->parent)
		waitqueue_wake_all(&t->parent->child_wq);
	else if (!detached)
		waitqueue_wake_all(&t->exit_wq);
	spin_unlock_irqrestore(&family_lock, flags);
	if (detached)
		kmem_free(t);
}

int kthread_join(struct task *t)
{
	int status;

	wait_event(t->exit_wq, is_off_cpu(t));
	status = t->exit_status;
	kmem_free(t);
	return status;
}

void kthread_detach(struct task *t)
{
	t->detached = true;
}
