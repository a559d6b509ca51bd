// SPDX-License-Identifier: GPL-2.0
/*
 * The panic path. It must work with a broken kernel: it formats on the
 * stack, touches no allocator, and validates every frame pointer before
 * following it, so a corrupt stack ends the backtrace instead of faulting
 * again.
 */
#include <arch/paging.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <kitten/console.h>
#include <kitten/ksyms.h>
#include <kitten/machine.h>
#include <kitten/panic.h>
#include <kitten/printk.h>

#define BACKTRACE_MAX_DEPTH 32

static bool panic_exit;
static bool in_panic;

void panic_set_exit(bool exit)
{
	panic_exit = exit;
}

static void print_address(const char *prefix, uint64_t addr)
{
	uint64_t off, size;
	const char *name = ksym_lookup(addr, &off, &size);

	if (name)
		printk(KERN_EMERG "%s[<%016lx>] %s+0x%lx/0x%lx\n", prefix, addr,
		       name, off, size);
	else
		printk(KERN_EMERG "%s[<%016lx>] ?\n", prefix, addr);
}

/* Is addr just after a call instruction in kernel text? */
static bool is_return_address(uint64_t addr)
{
	uint64_t off, size;

	return ksym_lookup(addr, &off, &size) && off >= 5 &&
	       *(const uint8_t *)(addr - 5) == 0xe8;	/* call rel32 */
}

void backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
	printk(KERN_EMERG "Call trace:\n");
	if (rip)
		print_address("  ", rip);
	/*
	 * A leaf function may run without a frame of its own; its return
	 * address is then on top of the stack, not in the frame chain.
	 * Shown with "?" as it is inferred, not followed.
	 */
	if (rsp && !(rsp & 7) && paging_kernel_mapped(rsp, 8) &&
	    paging_kernel_mapped(rbp, 16) && !(rbp & 7) &&
	    *(uint64_t *)rsp != ((uint64_t *)rbp)[1] &&
	    is_return_address(*(uint64_t *)rsp))
		print_address("  ? ", *(uint64_t *)rsp);
	for (int depth = 0; depth < BACKTRACE_MAX_DEPTH && rbp; depth++) {
		uint64_t *frame = (uint64_t *)rbp;

		if (rbp & 7 || !paging_kernel_mapped(rbp, 16))
			break;
		if (frame[1] == 0)
			break;
		print_address("  ", frame[1]);
		if (frame[0] <= rbp)	/* stacks grow down: callers are higher */
			break;
		rbp = frame[0];
	}
}

static void print_registers(const struct trap_frame *f)
{
	print_address("RIP: ", f->rip);
	printk(KERN_EMERG "CS: %04lx RSP: %016lx SS: %04lx RFLAGS: %08lx\n",
	       f->cs, f->rsp, f->ss, f->rflags);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n",
	       f->rax, f->rbx, f->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n",
	       f->rdx, f->rsi, f->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n",
	       f->rbp, f->r8, f->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n",
	       f->r10, f->r11, f->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n",
	       f->r13, f->r14, f->r15);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static __noreturn void panic_finish(void)
{
	printk(KERN_EMERG "---[ end Kernel panic ]---\n");
	if (panic_exit)
		machine_exit(MACHINE_EXIT_PANIC);
	machine_halt();
}

static void panic_begin(const char *fmt, va_list ap)
{
	irq_disable();
	if (in_panic) {		/* a fault inside panic: stop right here */
		printk(KERN_EMERG "Recursive panic\n");
		panic_finish();
	}
	in_panic = true;
	console_panic();
	printk(KERN_EMERG "Kernel panic: ");
	vprintk(fmt, ap);
	printk(KERN_EMERG "\n");
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_begin(fmt, ap);
	va_end(ap);
	backtrace_print(0, 0, (uint64_t)__builtin_frame_address(0));
	panic_finish();
}

void panic_trap(struct trap_frame *frame, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_begin(fmt, ap);
	va_end(ap);
	print_registers(frame);
	/* The faulting function first: its frame may not be set up yet. */
	backtrace_print(frame->rip, frame->rsp, frame->rbp);
	panic_finish();
}
