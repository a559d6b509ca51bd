/* SPDX-License-Identifier: GPL-2.0 */
/*
 * First instructions. A multiboot loader (QEMU -kernel, GRUB) enters
 * _start32 in 32-bit protected mode with paging off, EAX holding its magic
 * and EBX the physical address of its information structure.
 *
 * We check for long mode, build just enough page tables to run the linked
 * (high) addresses, enable long mode and call kernel_main(magic, info).
 * The boot tables map the first 4 GiB three times: identity (to survive
 * the switch), at PHYS_MAP_BASE (so early C code can read the loader's
 * structures through __va) and the first 1 GiB at KERNEL_VMA. C code then
 * replaces them with tables that map exactly the RAM that exists.
 *
 * This 32-bit code is linked at its physical address; the data it uses is
 * linked high, so those references subtract KERNEL_VMA (PHYS()).
 */
#include <arch/layout.h>
#include <arch/multiboot.h>
#include <kitten/config.h>

#define PHYS(sym)	((sym) - KERNEL_VMA)

#define PTE_PRESENT	0x1
#define PTE_WRITE	0x2
#define PTE_LARGE	0x80

#define CR0_PE		(1 << 0)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)

	.section .multiboot, "a"
	.balign 8
mb1_header:
	.long MB1_HEADER_MAGIC
	.long MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMINFO
	.long -(MB1_HEADER_MAGIC + (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMINFO))

	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long 0				/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + (mb2_header_end - mb2_header))
	.balign 8			/* module alignment tag: page-align modules */
	.word 6, 0
	.long 8
	.balign 8			/* end tag */
	.word 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	movl	$PHYS(boot_stack_top), %esp
	movl	%eax, PHYS(boot_magic)
	movl	%ebx, PHYS(boot_info_pa)

	/* Long mode needs CPUID leaf 0x80000001 EDX bit 29. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode

	/* Four page directories of 2 MiB pages: the first 4 GiB. */
	movl	$PHYS(boot_pd), %edi
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_PRESENT | PTE_WRITE | PTE_LARGE), %eax
	movl	%eax, (%edi, %ecx, 8)
	movl	%ecx, %eax
	shrl	$11, %eax		/* bits 32+ of the address: ecx >> 11 */
	movl	%eax, 4(%edi, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jne	1b

	/* Identity and direct-map PDPT: 4 entries, one per directory. */
	movl	$PHYS(boot_pdpt_low), %edi
	movl	$PHYS(boot_pd), %eax
	orl	$(PTE_PRESENT | PTE_WRITE), %eax
	xorl	%ecx, %ecx
2:	movl	%eax, (%edi, %ecx, 8)
	addl	$4096, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jne	2b

	/* Kernel PDPT: KERNEL_VMA is entry 510 of PML4 slot 511. */
	movl	$PHYS(boot_pd), %eax
	orl	$(PTE_PRESENT | PTE_WRITE), %eax
	movl	%eax, PHYS(boot_pdpt_high) + 510 * 8

	movl	$PHYS(boot_pdpt_low), %eax
	orl	$(PTE_PRESENT | PTE_WRITE), %eax
	movl	%eax, PHYS(boot_pml4)
	movl	%eax, PHYS(boot_pml4) + ((PHYS_MAP_BASE >> 39) & 511) * 8
	movl	$PHYS(boot_pdpt_high), %eax
	orl	$(PTE_PRESENT | PTE_WRITE), %eax
	movl	%eax, PHYS(boot_pml4) + 511 * 8

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PHYS(boot_pml4), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP | CR0_PE), %eax
	movl	%eax, %cr0

	lgdt	PHYS(boot_gdt_ptr)
	ljmp	$0x08, $start64_low

/* No long mode: say so on COM1 and stop; there is nothing else to do. */
no_long_mode:
	movl	$PHYS(no_long_mode_msg), %esi
3:	lodsb
	testb	%al, %al
	jz	4f
	movw	$CONFIG_SERIAL_PORT, %dx
	outb	%al, %dx
	jmp	3b
4:	hlt
	jmp	4b

	.code64
start64_low:
	movabsq	$start64, %rax
	jmp	*%rax

	.text
start64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp
	movl	boot_magic(%rip), %edi
	movl	boot_info_pa(%rip), %esi
	call	kernel_main
5:	cli
	hlt
	jmp	5b

	.section .boot.data, "aw"
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

boot_magic:	.long 0
boot_info_pa:	.long 0
no_long_mode_msg:
	.asciz "Kitten: this CPU has no long mode (x86_64); cannot boot.\r\n"

	.section .boot.bss, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4 * 4096
	.globl boot_stack_top
boot_stack:	.skip CONFIG_KSTACK_SIZE
boot_stack_top:
