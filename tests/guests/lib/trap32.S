/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt entry in 32-bit protected mode; the layout is trap64.S's:
 * one stub per vector, TRAP_STUB_SIZE bytes apart, each leaving an error
 * code (zero if the CPU pushes none) and the vector under the CPU's frame.
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
	pushl	$0
	.endif
	pushl	$vector
	jmp	trap_common
	vector = vector + 1
	.endr

trap_common:
	pushal
	pushl	%esp			/* the struct trap_frame */
	cld
	call	trap_dispatch
	addl	$4, %esp
	popal
	addl	$8, %esp		/* vector and error code */
	iret
