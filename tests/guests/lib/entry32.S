/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of 32-bit guests: they stay in protected mode with paging off
 * (the paging guests turn it on themselves), so there is nothing left to
 * do after multiboot.S but to call the C runtime.
 */
	.section .boot, "ax"
	.code32
	.globl	guest_entry
guest_entry:
	call	lib_start
1:	hlt				/* lib_start does not return */
	jmp	1b
