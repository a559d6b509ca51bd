/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The architecture side of user mode: the SYSCALL entry, the FPU/SSE
 * state each user task owns, and the first jump into ring 3.
 */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include <arch/trap.h>
#include <kitten/types.h>

/* One page per user task: FXSAVE's 512 bytes, or XSAVE up to AVX-512. */
#define FPU_STATE_SIZE	4096

/* Per CPU: SYSCALL MSRs and FPU control bits. */
void user_init_cpu(void);

/* A fresh FPU/SSE state, as a new program expects it. */
void fpu_init_state(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);
/* Whether FXRSTOR/XRSTOR would take this MXCSR value (from user memory,
 * as rt_sigreturn gets it) without a #GP. */
bool fpu_mxcsr_valid(uint32_t mxcsr);

/* Fill frame so that trap_return enters ring 3 at rip with stack rsp. */
void user_frame_init(struct trap_frame *frame, uint64_t rip, uint64_t rsp,
		     uint64_t arg0, uint64_t arg1);
/* Leave the kernel through frame (on the current kernel stack). */
__attribute__((noreturn)) void user_enter(struct trap_frame *frame);

void user_set_tls(uint64_t fs_base);

#endif
