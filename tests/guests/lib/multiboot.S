/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The multiboot 1 header and the first instructions, shared by 32-bit and
 * 64-bit guests (this file is assembled for both; the code is 32-bit
 * either way, as the loader leaves us in protected mode).
 *
 * The loader's GDT may be gone by now (the multiboot spec says so), so we
 * load our own: flat 32-bit code and data, and a 64-bit code segment for
 * guests that go on to long mode. Then we switch to our own stack and go
 * to guest_entry, which entry32.S or entry64.S provides.
 */
#include "boot.h"

	.section .multiboot, "a"
	.balign 4
	.long	MB_HEADER_MAGIC
	.long	MB_HEADER_FLAGS
	.long	-(MB_HEADER_MAGIC + MB_HEADER_FLAGS)

	.section .boot, "ax"
	.code32
	.globl	_start
_start:
	cli
	cld
	/* DS still holds the loader's flat segment, good for these stores. */
	movl	%eax, boot_magic
	movl	%ebx, boot_info
	lgdt	gdt_desc
	ljmp	$SEL_CODE32, $1f
1:	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	$boot_stack_top, %esp
	jmp	guest_entry

	.section .rodata
	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* SEL_CODE32: base 0, 4 GiB, 32-bit */
	.quad	0x00cf92000000ffff	/* SEL_DATA: base 0, 4 GiB */
	.quad	0x00af9a000000ffff	/* SEL_CODE64: long mode */
gdt_end:
	.globl	gdt_desc
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.data
	.balign 4
	.globl	boot_magic, boot_info
boot_magic:
	.long	0
boot_info:
	.long	0

	.bss
	.balign 16
boot_stack:
	.skip	BOOT_STACK_SIZE
	.globl	boot_stack_top
boot_stack_top:
