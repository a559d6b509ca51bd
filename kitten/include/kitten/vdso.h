/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vDSO's layout, shared by the kernel (kernel/vdso.c), which maps it
 * into every process, and the vDSO itself (kitten/vdso/vdso.c), user code
 * that reads the clock without a system call. It includes nothing, so
 * both sides can use it.
 *
 * Both pages sit at fixed addresses in the 2 MiB above each process's
 * stack (exec.c), so the vDSO finds its data at a constant address:
 *
 *   VDSO_DATA_VA   one read-only page: struct vdso_time, written at boot;
 *                  only the wall clock's offset changes after
 *                  (clock_settime), in one aligned store
 *   VDSO_TEXT_VA   the vDSO's ELF image, read and execute; the auxiliary
 *                  vector's AT_SYSINFO_EHDR points here
 */
#ifndef KITTEN_VDSO_H
#define KITTEN_VDSO_H

#define VDSO_DATA_VA	0x7ffff00000ull	/* USER_SLOT_SIZE - 1 MiB */
#define VDSO_TEXT_VA	(VDSO_DATA_VA + 0x1000)
#define VDSO_TEXT_MAX	0x3000			/* what the text may occupy */

/* time_ns() = ((rdtsc - tsc_base) * ns_per_tick_32) >> 32, as arch/time.c. */
struct vdso_time {
	unsigned long long tsc_base;
	unsigned long long ns_per_tick_32;
	long long realtime_offset_ns;	/* CLOCK_REALTIME - time_ns() */
};

#endif
