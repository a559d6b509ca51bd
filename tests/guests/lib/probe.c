/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Accesses that are allowed to fault. Each arms trap_resume with the
 * label after the access, so a fault continues there with every register
 * as it was (the trap handler restores them), and reports the vector.
 */
#include "guest.h"

#ifdef __x86_64__
#define ARM_RESUME "movq $1f, trap_resume(%%rip)\n\t"
#define SP "%%rsp"
#define BX "%%rbx"
#define BX_CLOBBER "rbx"
#else
#define ARM_RESUME "movl $1f, trap_resume\n\t"
#define SP "%%esp"
#define BX "%%ebx"
#define BX_CLOBBER "ebx"
#endif

static int outcome(void)
{
	trap_resume = 0;
	return trap_last.count ? (int)trap_last.vector : -1;
}

int probe_read32(unsigned long addr, u32 *val)
{
	u32 v = 0;

	trap_clear();
	asm volatile(ARM_RESUME "movl (%1), %0\n1:"
		     : "+r"(v)
		     : "r"(addr)
		     : "memory");
	*val = v;
	return outcome();
}

int probe_write32(unsigned long addr, u32 val)
{
	trap_clear();
	asm volatile(ARM_RESUME "movl %0, (%1)\n1:"
		     :
		     : "r"(val), "r"(addr)
		     : "memory");
	return outcome();
}

/*
 * Call addr, which should hold a RET. A fetch fault comes after CALL has
 * pushed its return address, so the stack pointer is put back from BX.
 */
int probe_exec(unsigned long addr)
{
	trap_clear();
	asm volatile(ARM_RESUME "mov " SP ", " BX "\n\t"
				"call *%0\n"
				"1:\tmov " BX ", " SP
		     :
		     : "r"(addr)
		     : BX_CLOBBER, "memory");
	return outcome();
}
