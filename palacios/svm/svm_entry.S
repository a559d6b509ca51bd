/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world switch: svm_world_switch(vmcb_pa, regs, host_vmsave_pa).
 *
 * VMRUN saves and restores only part of the host's state. The rest (FS,
 * GS and kernel GS bases, TR, LDTR, the SYSCALL/SYSENTER MSRs) is moved
 * with VMSAVE/VMLOAD: the host's to its own per-CPU page, the guest's to
 * and from its VMCB. The general registers other than RAX and RSP are not
 * in the VMCB at all; they are loaded from and stored to struct v3_gprs.
 *
 * The caller has cleared GIF (svm_vcpu_run), so host interrupts wait from
 * before the entry was prepared until after the exit. RFLAGS.IF is set
 * before VMRUN so that a host interrupt, pending already or arriving in
 * the guest, causes an exit; it is taken by the host once GIF is set
 * and the caller's flags come back.
 */
#define GPR(n) (8 * (n))	/* struct v3_gprs: rax rcx rdx rbx rsp rbp rsi rdi r8.. */

	.text
	.globl svm_world_switch
	.type svm_world_switch, @function
svm_world_switch:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	pushfq
	push %rdx			/* host VMSAVE area */
	push %rsi			/* regs */

	sti
	mov %rdx, %rax
	vmsave %rax
	mov %rdi, %rax
	vmload %rax

	mov GPR(1)(%rsi), %rcx
	mov GPR(2)(%rsi), %rdx
	mov GPR(3)(%rsi), %rbx
	mov GPR(5)(%rsi), %rbp
	mov GPR(7)(%rsi), %rdi
	mov GPR(8)(%rsi), %r8
	mov GPR(9)(%rsi), %r9
	mov GPR(10)(%rsi), %r10
	mov GPR(11)(%rsi), %r11
	mov GPR(12)(%rsi), %r12
	mov GPR(13)(%rsi), %r13
	mov GPR(14)(%rsi), %r14
	mov GPR(15)(%rsi), %r15
	mov GPR(6)(%rsi), %rsi

	vmrun %rax

	/* RAX is the VMCB address again; RSP is ours. */
	push %rsi
	mov 8(%rsp), %rsi
	mov %rcx, GPR(1)(%rsi)
	mov %rdx, GPR(2)(%rsi)
	mov %rbx, GPR(3)(%rsi)
	mov %rbp, GPR(5)(%rsi)
	mov %rdi, GPR(7)(%rsi)
	mov %r8, GPR(8)(%rsi)
	mov %r9, GPR(9)(%rsi)
	mov %r10, GPR(10)(%rsi)
	mov %r11, GPR(11)(%rsi)
	mov %r12, GPR(12)(%rsi)
	mov %r13, GPR(13)(%rsi)
	mov %r14, GPR(14)(%rsi)
	mov %r15, GPR(15)(%rsi)
	pop GPR(6)(%rsi)

	vmsave %rax
	mov 8(%rsp), %rax
	vmload %rax
	cli
	stgi

	add $16, %rsp
	popfq
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size svm_world_switch, . - svm_world_switch
	.section .note.GNU-stack, "", @progbits
