/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest fuzzer's CPU plumbing (fuzz.c says why): an IDT whose every
 * gate runs on IST1, so an exception raised with any stack pointer at
 * all still gets a good stack; the handler that takes an exception back
 * to the point fuzz_try() saved, reloading the descriptor tables, the
 * segments and the control registers random code may have changed; and
 * fuzz_run_code(), which enters random code with every register, the
 * stack pointer and the flags given.
 */
#include "boot.h"

#define SEL_TSS 0x20

/* Exceptions with an error code (Intel SDM vol. 3, table 6-1). */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign	TRAP_STUB_SIZE
	.globl	fuzz_stubs
fuzz_stubs:
	vector = 0
	.rept	256
	.balign	TRAP_STUB_SIZE
	.if	!HAS_ERROR(vector)
	pushq	$0
	.endif
	pushq	$vector
	jmp	fuzz_trap
	vector = vector + 1
	.endr

/*
 * On IST1: vector, error code, then the CPU's frame. An interrupt is
 * counted and returns where it came from; an exception abandons whatever
 * ran and returns from fuzz_try() with 1 + the vector. Outside fuzz_try()
 * a vector below 32 is taken for an interrupt too: random writes to the
 * APIC and PIC deliver NMIs and low vectors at any time (a periodic
 * NMI from the APIC timer, say). A fault of the fuzzer's own code would
 * come back forever, so after 2^24 of them in a row the guest gives up.
 */
fuzz_trap:
	cmpq	$32, (%rsp)
	jae	0f
	cmpq	$0, fuzz_resume_rsp(%rip)
	jne	1f
	lock incq fuzz_strays(%rip)
	testl	$0xffffff, fuzz_strays(%rip)
	jnz	0f
	movb	$4, %al
	outb	%al, $0xf4		/* status 4: lost */
0:	lock incq fuzz_irqs(%rip)
	addq	$16, %rsp
	iretq

1:	cld
	popq	%r12			/* vector */
	popq	%r13			/* error code */
	popq	%r14			/* RIP */
	lgdt	fuzz_gdtr(%rip)
	lidt	fuzz_idtr(%rip)
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	pushq	$SEL_CODE64
	leaq	2f(%rip), %rax
	pushq	%rax
	lretq
2:	/* Control registers: written only when changed (each write exits
	 * under shadow paging, a CR3 write flushes the shadow). */
	movq	%cr0, %rax
	cmpq	fuzz_good_cr0(%rip), %rax
	je	3f
	movq	fuzz_good_cr0(%rip), %rax
	movq	%rax, %cr0
3:	movq	%cr4, %rax
	cmpq	fuzz_good_cr4(%rip), %rax
	je	4f
	movq	fuzz_good_cr4(%rip), %rax
	movq	%rax, %cr4
4:	movq	%cr3, %rax
	cmpq	fuzz_good_cr3(%rip), %rax
	je	5f
	movq	fuzz_good_cr3(%rip), %rax
	movq	%rax, %cr3
5:	xorl	%eax, %eax
	movq	%rax, %dr7
	pushq	$2
	popfq
	movq	%r12, fuzz_fault_vector(%rip)
	movq	%r13, fuzz_fault_error(%rip)
	movq	%r14, fuzz_fault_rip(%rip)
	movq	fuzz_resume_rsp(%rip), %rsp
	movq	$0, fuzz_resume_rsp(%rip)
	movq	$0, fuzz_strays(%rip)
	leal	1(%r12), %eax
	jmp	fuzz_try_return

/*
 * int fuzz_try(void (*fn)(void *), void *arg): run fn(arg); 0 when it
 * returns, 1 + the vector of an exception that ended it instead.
 */
	.globl	fuzz_try
fuzz_try:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp		/* the ABI's 16-byte alignment */
	movq	%rsp, fuzz_resume_rsp(%rip)
	movq	%rdi, %rax
	movq	%rsi, %rdi
	call	*%rax
	movq	$0, fuzz_resume_rsp(%rip)
	xorl	%eax, %eax
fuzz_try_return:
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

/*
 * void fuzz_run_code(const u64 regs[18]): RAX RCX RDX RBX RSP RBP RSI RDI
 * R8-R15, RFLAGS, RIP. IRETQ sets RIP, RFLAGS and RSP at once. Called
 * inside fuzz_try(); it never returns (the code ends in an exception).
 */
	.globl	fuzz_run_code
fuzz_run_code:
	pushq	$SEL_DATA
	pushq	32(%rdi)
	pushq	128(%rdi)
	pushq	$SEL_CODE64
	pushq	136(%rdi)
	movq	0(%rdi), %rax
	movq	8(%rdi), %rcx
	movq	16(%rdi), %rdx
	movq	24(%rdi), %rbx
	movq	40(%rdi), %rbp
	movq	48(%rdi), %rsi
	movq	64(%rdi), %r8
	movq	72(%rdi), %r9
	movq	80(%rdi), %r10
	movq	88(%rdi), %r11
	movq	96(%rdi), %r12
	movq	104(%rdi), %r13
	movq	112(%rdi), %r14
	movq	120(%rdi), %r15
	movq	56(%rdi), %rdi
	iretq
