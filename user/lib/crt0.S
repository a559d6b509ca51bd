/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Program entry for programs built on user/lib. The kernel leaves argc,
 * argv, envp and the auxiliary vector on the stack (System V ABI); pass
 * the stack pointer to C, which never returns.
 */
	.text
	.globl _start
_start:
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	__start_main
	ud2
