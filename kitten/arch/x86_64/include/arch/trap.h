/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register frame every interrupt and exception entry builds on the
 * stack (entry.S), lowest address first. The CPU pushes ss..rip (and for
 * some exceptions an error code); the stub pushes the vector and a zero
 * error code where the CPU gives none, then the general registers.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <kitten/types.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define NR_VECTORS		256
#define FIRST_EXTERNAL_VECTOR	32

#define VEC_DIVIDE	0
#define VEC_DEBUG	1
#define VEC_NMI		2
#define VEC_BREAKPOINT	3
#define VEC_DOUBLE_FAULT 8
#define VEC_GP		13
#define VEC_PAGE_FAULT	14
#define VEC_MCE		18

/* Page-fault error code bits. */
#define PF_PRESENT	(1 << 0)
#define PF_WRITE	(1 << 1)
#define PF_USER		(1 << 2)
#define PF_RESERVED	(1 << 3)
#define PF_INSTR	(1 << 4)

static inline bool trap_from_user(const struct trap_frame *f)
{
	return (f->cs & 3) != 0;
}

void trap_dispatch(struct trap_frame *frame);

#endif
