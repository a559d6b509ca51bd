/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Context switch between kernel stacks. Only the callee-saved registers
 * need saving: switch_to is an ordinary call, so the compiler has already
 * saved the rest. task->ksp is the first field of struct task.
 *
 *   void switch_to(struct task *prev, struct task *next);
 */
	.text
	.globl switch_to
switch_to:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	(%rsi), %rsp
	movq	%rdi, %rax		/* prev, for a new task's first call */
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/*
 * A new task's first switch_to "returns" here, with prev in %rax. Its
 * stack was built by task_stack_init(): nothing below the return address.
 */
	.globl task_first_entry
task_first_entry:
	movq	%rax, %rdi
	xorl	%ebp, %ebp		/* ends backtraces here */
	call	task_start
	ud2
