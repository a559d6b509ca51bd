/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Application processor start-up. smp.c copies this blob to
 * TRAMPOLINE_PHYS (below 1 MiB, where a startup IPI can point) and fills
 * in the parameter block at its end. An AP arrives in 16-bit real mode at
 * TRAMPOLINE_PHYS, goes through protected mode into long mode on the boot
 * page tables (which map this page identically and the kernel high), and
 * jumps to ap_start64 in the kernel proper.
 */
#include <arch/smp.h>

#define ABS(label)	(TRAMPOLINE_PHYS + (label) - trampoline_start)

#define CR0_PE		0x1
#define CR0_PG		0x80000000
#define CR4_PAE		0x20
#define MSR_EFER	0xc0000080

	.section .rodata
	.code16
	.globl trampoline_start
trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	tramp_gdt_ptr - trampoline_start
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $ABS(tramp_pm32)

	.code32
tramp_pm32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	ABS(tramp_boot_cr3), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	movl	ABS(tramp_efer), %eax
	xorl	%edx, %edx
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0
	ljmpl	$0x18, $ABS(tramp_pm64)

	.code64
tramp_pm64:
	movq	ABS(tramp_cpu), %rdi
	movq	ABS(tramp_kernel_cr3), %rsi
	movq	ABS(tramp_stack), %rdx
	movq	ABS(tramp_entry), %rax
	jmpq	*%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tramp_gdt_end:
tramp_gdt_ptr:
	.word tramp_gdt_end - tramp_gdt - 1
	.long ABS(tramp_gdt)

/* The parameter block: struct trampoline_params in smp.c, in this order. */
	.balign 8
	.globl trampoline_params
trampoline_params:
tramp_boot_cr3:		.quad 0
tramp_efer:		.quad 0
tramp_kernel_cr3:	.quad 0
tramp_stack:		.quad 0
tramp_cpu:		.quad 0
tramp_entry:		.quad 0
	.globl trampoline_end
trampoline_end:

/*
 * The AP's first code in the kernel proper (cpu, kernel page tables,
 * stack). The boot tables map only the low memory, and the stack may be
 * anywhere (above 4 GiB on a big machine): the kernel's tables go in
 * before the first push.
 */
	.text
	.globl ap_start64
ap_start64:
	movq	%rsi, %cr3
	movq	%rdx, %rsp
	call	ap_entry64
	ud2
