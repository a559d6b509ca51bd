/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of 64-bit guests: from 32-bit protected mode into long mode
 * (AMD APM vol. 2, 14.6 "Enabling and Activating Long Mode").
 *
 * A guest may first run 32-bit code of its own with paging still off by
 * defining guest_main32 (mmio does, to test the decoder in protected
 * mode). Then we identity-map the first 1 GiB with 2 MiB pages, which
 * covers the image, its stack and all the RAM a guest uses; set CR4.PAE,
 * CR3, EFER.LME and CR0.PG; and far-jump to the 64-bit code segment.
 * Guests add mappings of their own to these tables (pt64.c).
 */
#include "boot.h"

#define CR0_PG		0x80000000
#define CR0_WP		0x00010000
#define CR4_PAE		0x20
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
#define PDE_LARGE_RW	0x83		/* present, writable, 2 MiB page */
#define TABLE_RW	0x3		/* present, writable */

	.section .boot, "ax"
	.code32
	.globl	guest_entry
guest_entry:
	/* Without long mode there is nothing to test; say so and stop. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode

	.weak	guest_main32
	movl	$guest_main32, %eax
	testl	%eax, %eax
	jz	1f
	call	*%eax
1:
	movl	$boot_pdpt + TABLE_RW, boot_pml4
	movl	$boot_pd + TABLE_RW, boot_pdpt
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$PDE_LARGE_RW, %eax
	movl	%eax, boot_pd(, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	2b

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	ljmp	$SEL_CODE64, $long_mode

no_long_mode:
	movl	$no_lm_msg, %esi
	movl	$no_lm_msg_end - no_lm_msg, %ecx
	movw	$0xe9, %dx
	rep outsb
	movb	$1, %al
	outb	%al, $0xf4
3:	hlt
	jmp	3b

	.code64
long_mode:
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	/* Entering 64-bit mode leaves the upper halves of registers unset. */
	movl	$boot_stack_top, %esp
	call	lib_start
4:	hlt				/* lib_start does not return */
	jmp	4b

	.section .rodata
no_lm_msg:
	.ascii	"# this guest needs a 64-bit CPU\n"
no_lm_msg_end:

	.bss
	.balign 4096
	.globl	boot_pml4
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4096
