/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copies to and from user memory that survive a page fault. The caller
 * checks the range first (aspace_range_ok), but another thread of the
 * process may take the right away (mprotect) before the copy runs; the
 * fault then lands on the one instruction below that touches user
 * memory, and the page-fault handler (traps.c) resumes after it, where
 * rcx says how many bytes were left, instead of panicking.
 *
 * uint64_t user_copy(void *dst, const void *src, uint64_t len);
 */
	.text
	.globl user_copy
user_copy:
	movq	%rdx, %rcx
	.globl user_copy_insn
user_copy_insn:
	rep movsb
	.globl user_access_fixup	/* the way out after a fault too */
user_access_fixup:
	movq	%rcx, %rax
	ret
