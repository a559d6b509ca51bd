/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copies to and from user memory that survive a fault. copy_from_user()
 * checks the range against the page tables first, but another thread of
 * the process can unmap or mprotect() it before the copy runs; then the
 * copy faults in kernel mode. The one instruction here that touches user
 * memory is known to the page-fault handler (usercopy_fixup()), which
 * resumes at the fault label instead of panicking, and the copy returns
 * -EFAULT as if the check had failed.
 *
 *   int usercopy(void *dst, const void *src, size_t len);  0 or -EFAULT
 */
	.text
	.globl usercopy
usercopy:
	movq	%rdx, %rcx
	.globl usercopy_insn
usercopy_insn:
	rep movsb
	xorl	%eax, %eax
	ret
	.globl usercopy_fault
usercopy_fault:
	movl	$-14, %eax		/* -EFAULT */
	ret
