// SPDX-License-Identifier: GPL-2.0
/*
 * Exception and interrupt dispatch. Every vector arrives here from
 * entry.S. A CPU exception in kernel mode is a kernel bug and panics with
 * the full register state; external interrupts go to their registered
 * handlers.
 */
#include <arch/irqflags.h>
#include <arch/percpu.h>
#include <arch/trap.h>
#include <arch/usercopy.h>
#include <arch/x86.h>
#include <kitten/panic.h>
#include <kitten/irq.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/signal.h>
#include <kitten/stats.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

static const char *const exception_names[FIRST_EXTERNAL_VECTOR] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection",
	"page fault", "reserved (15)", "x87 floating point", "alignment check",
	"machine check", "SIMD floating point", "virtualization",
	"control protection", "reserved (22)", "reserved (23)",
	"reserved (24)", "reserved (25)", "reserved (26)", "reserved (27)",
	"hypervisor injection", "VMM communication", "security",
	"reserved (31)",
};

/*
 * A user task's fault is a signal to it: its handler runs, or its
 * process ends with a message. Never the kernel's problem.
 */
static void user_fault(struct trap_frame *f)
{
	uint64_t addr = f->vector == VEC_PAGE_FAULT ? read_cr2() : f->rip;
	char why[128];
	int sig = SIGSEGV, code = 0;

	if (f->vector == VEC_PAGE_FAULT) {
		/* A present page the access had no right to: ACCERR. */
		code = f->error & PF_PRESENT ? SEGV_ACCERR : SEGV_MAPERR;
		snprintf(why, sizeof(why), "page fault at %#lx (%s), %s, ip %#lx",
			 addr, f->error & PF_PRESENT ? "protection" :
			 "not mapped", f->error & PF_INSTR ? "execute" :
			 f->error & PF_WRITE ? "write" : "read", f->rip);
	} else {
		snprintf(why, sizeof(why), "%s at ip %#lx",
			 exception_names[f->vector], f->rip);
	}
	if (f->vector == 6)
		sig = SIGILL;
	else if (f->vector == VEC_DIVIDE || f->vector == 16 || f->vector == 19)
		sig = SIGFPE;
	irq_enable();
	signal_fault(f, sig, code, addr, why);
	task_return_to_user(f);
}

extern const char user_copy_insn[], user_access_fixup[];

bool user_access_fault(struct trap_frame *f, uint64_t addr)
{
	if (!is_user_address(addr) || f->rip != (uint64_t)user_copy_insn)
		return false;
	f->rip = (uint64_t)user_access_fixup;	/* rcx still holds what is left */
	return true;
}

/* In kernel mode only a user copy may fault (and fail); anything else is a bug. */
static void page_fault(struct trap_frame *f)
{
	uint64_t addr = read_cr2();

	if (user_access_fault(f, addr))
		return;
	panic_trap(f, "BUG: unable to handle page fault at %016lx (%s %s%s)",
		   addr, f->error & PF_WRITE ? "write" : "read",
		   f->error & PF_PRESENT ? "protection violation"
					 : "not-present page",
		   f->error & PF_INSTR ? ", instruction fetch" : "");
}

static void dispatch(struct trap_frame *f)
{
	if (f->vector < FIRST_EXTERNAL_VECTOR && trap_from_user(f) &&
	    f->vector != VEC_NMI && f->vector != VEC_MCE) {
		user_fault(f);
		return;
	}
	if (f->vector == VEC_PAGE_FAULT) {
		page_fault(f);
		return;
	}
	if (f->vector < FIRST_EXTERNAL_VECTOR)
		panic_trap(f, "%s (vector %lu, error %#lx)",
			   exception_names[f->vector], f->vector, f->error);

	irq_dispatch(f);
	/* Preempt only code that could have been interrupted anyway. */
	if (percpu_ready() && (f->rflags & RFLAGS_IF))
		sched_preempt_check();
	if (trap_from_user(f))
		task_return_to_user(f);
}

/* What an entry is, for the job's counts (kitten/stats.h). */
static enum stats_kind stats_kind_of(const struct trap_frame *f)
{
	if (!trap_from_user(f))
		return STATS_NESTED;
	if (f->vector == VEC_PAGE_FAULT)
		return STATS_PAGE_FAULT;
	return f->vector < FIRST_EXTERNAL_VECTOR ? STATS_EXCEPTION
						 : STATS_INTERRUPT;
}

/* The same, counted for the job's statistics. */
static __attribute__((noinline)) void dispatch_counted(struct trap_frame *f)
{
	enum stats_kind kind = stats_kind_of(f);
	uint64_t mark = stats_enter(kind, f->vector);

	dispatch(f);
	stats_exit(kind, f->vector, mark);
}

void trap_dispatch(struct trap_frame *f)
{
	if (unlikely(READ_ONCE(stats_on)))
		dispatch_counted(f);
	else
		dispatch(f);
}
