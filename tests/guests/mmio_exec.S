/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running the mmio guest's stubs (mmio.h).
 *
 * mmio_run64() loads every register but RSP and RFLAGS from a
 * struct form_regs, calls a stub and stores them back. A fault in the
 * stub comes back through trap_resume to run64_fault, which restores the
 * stack; the C side finds the vector in trap_last.
 *
 * guest_main32() is the 32-bit part. entry64.S calls it in protected mode
 * with paging off, before long mode, so there is no C runtime yet: this
 * file has its own GDT (with a data segment whose base is set to M for
 * each run, for the FS: and 16-bit-address forms) and its own IDT, whose
 * handlers abandon the stub the way run64_fault does. For every 32-bit
 * form, both patterns and each side (reference RAM, second RAM page, and
 * the MMIO page when Palacios is there) it fills the windows, sets the
 * registers, runs the stub and records the outcome in mmio_pm32_runs.
 * Windows are filled and read back with plain 32-bit MOVs, the simplest
 * accesses the decoder handles.
 */
#include "mmio.h"

#define SEL_CODE32	0x08		/* same as lib/'s GDT */
#define SEL_DATA	0x10
#define FLAGS_DF	0x400

/* The window through MMIO_ALIAS_VA, for mmio_forms64.c's RIP-relative stubs. */
	.globl	mmio_alias_win
	.set	mmio_alias_win, MMIO_ALIAS_VA + WIN_OFF

	.text
	.code64

/* int mmio_run64(struct form_regs *regs, const u8 *code) */
	.globl	mmio_run64
mmio_run64:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi			/* regs */
	pushq	%rsi			/* code */
	movq	%rsp, run64_rsp(%rip)
	leaq	run64_fault(%rip), %rax
	movq	%rax, trap_resume(%rip)
	pushq	REGS_FLAGS(%rdi)
	popfq
	movq	8 * 0(%rdi), %rax
	movq	8 * 1(%rdi), %rcx
	movq	8 * 2(%rdi), %rdx
	movq	8 * 3(%rdi), %rbx
	movq	8 * 5(%rdi), %rbp
	movq	8 * 6(%rdi), %rsi
	movq	8 * 8(%rdi), %r8
	movq	8 * 9(%rdi), %r9
	movq	8 * 10(%rdi), %r10
	movq	8 * 11(%rdi), %r11
	movq	8 * 12(%rdi), %r12
	movq	8 * 13(%rdi), %r13
	movq	8 * 14(%rdi), %r14
	movq	8 * 15(%rdi), %r15
	movq	8 * 7(%rdi), %rdi
	call	*(%rsp)
	pushfq
	pushq	%rdi
	movq	24(%rsp), %rdi		/* regs, under RDI, RFLAGS and code */
	popq	8 * 7(%rdi)
	popq	REGS_FLAGS(%rdi)
	movq	%rax, 8 * 0(%rdi)
	movq	%rcx, 8 * 1(%rdi)
	movq	%rdx, 8 * 2(%rdi)
	movq	%rbx, 8 * 3(%rdi)
	movq	%rbp, 8 * 5(%rdi)
	movq	%rsi, 8 * 6(%rdi)
	movq	%r8, 8 * 8(%rdi)
	movq	%r9, 8 * 9(%rdi)
	movq	%r10, 8 * 10(%rdi)
	movq	%r11, 8 * 11(%rdi)
	movq	%r12, 8 * 12(%rdi)
	movq	%r13, 8 * 13(%rdi)
	movq	%r14, 8 * 14(%rdi)
	movq	%r15, 8 * 15(%rdi)
	movq	$0, trap_resume(%rip)
	cld
	addq	$16, %rsp
	xorl	%eax, %eax
run64_out:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

/* The trap handler resumes here, on the stub's stack and flags. */
run64_fault:
	movq	run64_rsp(%rip), %rsp
	cld
	addq	$16, %rsp
	movl	$1, %eax
	jmp	run64_out

	.section .text.mmio_pm32, "ax"
	.code32

	.globl	guest_main32
guest_main32:
	pushal
	lgdt	pm32_gdt_desc
	ljmp	$SEL_CODE32, $1f
1:	call	pm32_idt_init
	lidt	pm32_idt_desc
	call	pm32_count_sides

	/* The number of forms, as many as mmio_pm32_runs has room for. */
	movl	$__mmio_forms32_end, %eax
	subl	$__mmio_forms32_start, %eax
	xorl	%edx, %edx
	movl	$FORM_SIZE, %ecx
	divl	%ecx
	cmpl	$PM32_MAX_FORMS, %eax
	jbe	2f
	movl	$PM32_MAX_FORMS, %eax
2:	movl	%eax, mmio_pm32_count

	xorl	%esi, %esi		/* form */
form_loop:
	cmpl	mmio_pm32_count, %esi
	jae	forms_done
	xorl	%edi, %edi		/* pattern */
pattern_loop:
	xorl	%ebx, %ebx		/* side */
side_loop:
	pushl	%ebx
	pushl	%edi
	pushl	%esi
	call	pm32_run
	addl	$12, %esp
	incl	%ebx
	cmpl	pm32_sides, %ebx
	jb	side_loop
	incl	%edi
	cmpl	$2, %edi
	jb	pattern_loop
	incl	%esi
	jmp	form_loop

forms_done:
	/* Back to lib/'s GDT for the way to long mode. */
	lgdt	gdt_desc
	ljmp	$SEL_CODE32, $3f
3:	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	popal
	ret

/* Side 2, the MMIO page, only exists under Palacios. */
pm32_count_sides:
	pushl	%ebx
	movl	$2, pm32_sides
	movl	$0x40000000, %eax
	cpuid
	cmpl	$0x616c6150, %ebx	/* "Pala" */
	jne	1f
	cmpl	$0x736f6963, %ecx	/* "cios" */
	jne	1f
	cmpl	$0x4d4d5633, %edx	/* "3VMM" */
	jne	1f
	movl	$3, pm32_sides
1:	popl	%ebx
	ret

/* void pm32_run(u32 form, u32 pattern, u32 side) */
pm32_run:
	pushl	%ebp
	movl	%esp, %ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi

	imull	$FORM_SIZE, 8(%ebp), %esi
	addl	$__mmio_forms32_start, %esi	/* ESI: the form */
	movl	8(%ebp), %eax
	shll	$1, %eax
	addl	12(%ebp), %eax
	imull	$PM32_SIDES, %eax
	addl	16(%ebp), %eax
	imull	$RUN_SIZE, %eax
	leal	mmio_pm32_runs(%eax), %edi	/* EDI: its run */
	movl	16(%ebp), %eax
	movl	pm32_side_page(, %eax, 4), %ebx
	addl	$WIN_OFF, %ebx			/* EBX: M */

	/* The window segment's base is M (descriptor layout: SDM 3.4.5). */
	movw	%bx, pm32_gdt + PM32_SEL_WIN + 2
	movl	%ebx, %eax
	shrl	$16, %eax
	movb	%al, pm32_gdt + PM32_SEL_WIN + 4
	movb	%ah, pm32_gdt + PM32_SEL_WIN + 7
	movl	$PM32_SEL_WIN, %eax
	movl	%eax, %fs

	/* Windows: M from pattern p, R from pattern 2 + p. */
	imull	$WIN_SIZE, 12(%ebp), %eax
	leal	mmio_pattern(%eax), %eax
	pushl	%eax
	pushl	%ebx
	call	pm32_copy
	addl	$2 * WIN_SIZE, 4(%esp)
	movl	$mmio_r_page + WIN_OFF, (%esp)
	call	pm32_copy
	addl	$8, %esp

	/* Registers: the pattern's start values, zero-extended... */
	imull	$8 * NR_GPRS, 12(%ebp), %eax
	xorl	%ecx, %ecx
1:	movl	mmio_reg_init(%eax, %ecx, 8), %edx
	movl	%edx, RUN_IN(%edi, %ecx, 8)
	movl	$0, RUN_IN + 4(%edi, %ecx, 8)
	incl	%ecx
	cmpl	$NR_GPRS, %ecx
	jb	1b
	movl	12(%ebp), %eax
	movl	mmio_flags_init(, %eax, 4), %edx
	testl	$F_DF, FORM_FLAGS(%esi)
	jz	2f
	orl	$FLAGS_DF, %edx
2:	movl	%edx, RUN_IN + REGS_FLAGS(%edi)
	movl	$0, RUN_IN + REGS_FLAGS + 4(%edi)

	/* ...then the form's own. */
	xorl	%ecx, %ecx
3:	imull	$INIT_SIZE, %ecx, %eax
	leal	FORM_INIT(%esi, %eax), %eax
	movl	INIT_VAL(%eax), %edx
	cmpl	$K_VAL, INIT_KIND(%eax)
	je	5f
	cmpl	$K_RAM, INIT_KIND(%eax)
	je	4f
	cmpl	$K_MEM, INIT_KIND(%eax)
	jne	6f
	addl	%ebx, %edx
	jmp	5f
4:	addl	$mmio_r_page + WIN_OFF, %edx
5:	movl	INIT_REG(%eax), %eax
	movl	%edx, RUN_IN(%edi, %eax, 8)
6:	incl	%ecx
	cmpl	$FORM_INITS, %ecx
	jb	3b

	/* out = in, then run on out. */
	xorl	%ecx, %ecx
7:	movl	RUN_IN(%edi, %ecx, 4), %eax
	movl	%eax, RUN_OUT(%edi, %ecx, 4)
	incl	%ecx
	cmpl	$RUN_OUT / 4, %ecx
	jb	7b
	movl	FORM_REF_CODE(%esi), %eax
	cmpl	$SIDE_REF, 16(%ebp)
	je	8f
	movl	FORM_TEST_CODE(%esi), %eax
8:	pushl	%eax
	leal	RUN_OUT(%edi), %eax
	pushl	%eax
	call	pm32_exec
	addl	$8, %esp
	movl	%eax, RUN_FAULT(%edi)

	/* What the windows hold now. */
	pushl	%ebx
	leal	RUN_M(%edi), %eax
	pushl	%eax
	call	pm32_copy
	addl	$RUN_R - RUN_M, (%esp)
	movl	$mmio_r_page + WIN_OFF, 4(%esp)
	call	pm32_copy
	addl	$8, %esp

	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

/* void pm32_copy(void *dst, const void *src): one window, 4 bytes a MOV. */
pm32_copy:
	pushl	%esi
	pushl	%edi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	$WIN_SIZE / 4, %ecx
1:	movl	(%esi), %eax
	movl	%eax, (%edi)
	addl	$4, %esi
	addl	$4, %edi
	decl	%ecx
	jnz	1b
	popl	%edi
	popl	%esi
	ret

/*
 * u32 pm32_exec(struct form_regs *regs, const u8 *code): mmio_run64 for
 * 32-bit stubs; returns 0, or the vector raised + 1.
 */
pm32_exec:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	20(%esp), %eax
	pushl	%eax			/* regs */
	pushl	28(%esp)		/* code */
	movl	%esp, pm32_exec_esp
	pushl	REGS_FLAGS(%eax)
	popfl
	movl	8 * 1(%eax), %ecx
	movl	8 * 2(%eax), %edx
	movl	8 * 3(%eax), %ebx
	movl	8 * 5(%eax), %ebp
	movl	8 * 6(%eax), %esi
	movl	8 * 7(%eax), %edi
	movl	8 * 0(%eax), %eax
	call	*(%esp)
	pushfl
	pushl	%eax
	movl	12(%esp), %eax		/* regs, under EAX, EFLAGS and code */
	popl	8 * 0(%eax)
	popl	REGS_FLAGS(%eax)
	movl	%ecx, 8 * 1(%eax)
	movl	%edx, 8 * 2(%eax)
	movl	%ebx, 8 * 3(%eax)
	movl	%ebp, 8 * 5(%eax)
	movl	%esi, 8 * 6(%eax)
	movl	%edi, 8 * 7(%eax)
	cld
	addl	$8, %esp
	xorl	%eax, %eax
pm32_exec_out:
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

/* An exception in a stub ends up here, with its vector noted. */
pm32_fault:
	movl	pm32_exec_esp, %esp
	cld
	addl	$8, %esp
	movl	pm32_fault_vector, %eax
	incl	%eax
	jmp	pm32_exec_out

	.balign	16
pm32_fault_stubs:
	vector = 0
	.rept	32
	.balign	16
	movl	$vector, pm32_fault_vector
	jmp	pm32_fault
	vector = vector + 1
	.endr

/* Interrupt gates for the 32 exception vectors (SDM vol. 3, 6.11). */
pm32_idt_init:
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$4, %eax
	addl	$pm32_fault_stubs, %eax
	movw	%ax, pm32_idt(, %ecx, 8)
	movw	$SEL_CODE32, pm32_idt + 2(, %ecx, 8)
	movw	$0x8e00, pm32_idt + 4(, %ecx, 8)
	shrl	$16, %eax
	movw	%ax, pm32_idt + 6(, %ecx, 8)
	incl	%ecx
	cmpl	$32, %ecx
	jb	1b
	ret

	.section .rodata
	.balign	4
pm32_side_page:				/* SIDE_REF, SIDE_RAM, SIDE_MMIO */
	.long	mmio_ref_page, mmio_ram_page, MMIO_PA
pm32_idt_desc:
	.word	32 * 8 - 1
	.long	pm32_idt

	.data
	.balign	8
pm32_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* SEL_CODE32 */
	.quad	0x00cf92000000ffff	/* SEL_DATA */
	.quad	0x00cf92000000ffff	/* PM32_SEL_WIN: base set per run */
pm32_gdt_end:
pm32_gdt_desc:
	.word	pm32_gdt_end - pm32_gdt - 1
	.long	pm32_gdt

	.bss
	.balign	8
run64_rsp:
	.skip	8
pm32_exec_esp:
	.skip	4
pm32_fault_vector:
	.skip	4
pm32_sides:
	.skip	4
pm32_idt:
	.skip	32 * 8
