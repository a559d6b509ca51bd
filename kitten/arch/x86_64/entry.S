/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt and exception entry. One 16-byte stub per vector normalizes
 * the stack (error code, vector), then isr_common saves the registers as
 * a struct trap_frame and calls trap_dispatch(). Entries from user mode
 * swap GS so the kernel finds its per-CPU data.
 */
#include <arch/desc.h>
#include <arch/percpu.h>

#define SYSCALL_VECTOR	0x100	/* no real vector: marks a syscall frame */

/* Exceptions for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

#define FRAME_CS_NOREGS	24	/* offset of CS above vector and error code */

/* The general registers, in struct trap_frame order (r15 lowest). */
.macro PUSH_REGS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

	.text
	.balign 16
	.globl isr_stubs
isr_stubs:
	vec = 0
	.rept 256
	.balign 16
	.if HAS_ERROR(vec) == 0
	pushq	$0
	.endif
	pushq	$vec
	jmp	isr_common
	vec = vec + 1
	.endr

isr_common:
	testb	$3, FRAME_CS_NOREGS(%rsp)
	jz	1f
	swapgs
1:	PUSH_REGS
	cld
	movq	%rsp, %rdi
	call	trap_dispatch

/* Interrupts stay off from here: between SWAPGS and IRETQ they would find
 * the user's GS. */
	.globl trap_return
trap_return:
	cli
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	testb	$3, FRAME_CS_NOREGS(%rsp)
	jz	2f
	swapgs
2:	addq	$16, %rsp
	iretq

/*
 * SYSCALL from user mode: RCX holds the user RIP, R11 the user RFLAGS,
 * and the stack is still the user's. Switch to the task's kernel stack,
 * build the same frame an interrupt would, and return through
 * trap_return (IRETQ), which also serves tasks entering user mode for the
 * first time and signal delivery.
 */
	.globl entry_syscall
entry_syscall:
	swapgs
	movq	%rsp, %gs:CPU_USER_RSP
	movq	%gs:CPU_KERNEL_RSP, %rsp
	pushq	$USER_DS
	pushq	%gs:CPU_USER_RSP
	pushq	%r11
	pushq	$USER_CS
	pushq	%rcx
	pushq	$0
	pushq	$SYSCALL_VECTOR
	PUSH_REGS
	xorl	%ebp, %ebp		/* backtraces end at the user boundary */
	movq	%rsp, %rdi
	sti
	call	syscall_dispatch
	cli
	jmp	trap_return
