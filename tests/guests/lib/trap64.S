/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt entry in long mode. One stub per vector, TRAP_STUB_SIZE bytes
 * apart, so trap.c computes each gate's address. Vectors for which the CPU
 * pushes no error code push a zero, then every stub pushes its vector: the
 * frame looks the same for all (struct trap_frame in trap.c).
 */
#include "boot.h"

/* Exceptions with an error code (Intel SDM vol. 3, table 6-1). */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign	TRAP_STUB_SIZE
	.globl	trap_stubs
trap_stubs:
	vector = 0
	.rept	256
	.balign	TRAP_STUB_SIZE
	.if	!HAS_ERROR(vector)
	pushq	$0
	.endif
	pushq	$vector
	jmp	trap_common
	vector = vector + 1
	.endr

trap_common:
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
	/* The CPU aligned RSP to 16 before its frame; 22 pushes keep it so. */
	movq	%rsp, %rdi
	cld
	call	trap_dispatch
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
	addq	$16, %rsp		/* vector and error code */
	iretq
