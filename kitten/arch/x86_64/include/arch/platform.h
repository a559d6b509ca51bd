/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platform discovery: which CPUs, interrupt controllers, timers and NUMA
 * nodes the machine has, from ACPI (or the MP table when ACPI is missing
 * or broken), and the interrupt set-up that follows from it.
 */
#ifndef ARCH_PLATFORM_H
#define ARCH_PLATFORM_H

#include <kitten/types.h>

struct boot_info;

/* Read the tables, set up the APIC, IOAPICs and IPIs on the boot CPU. */
void platform_init(const struct boot_info *bi);
/* Start every other CPU the tables list. */
void platform_start_cpus(void);
/*
 * Whether [pa, pa + size) is device memory nobody here uses: nothing in
 * the firmware's memory map (RAM, its tables, reserved ranges) and not
 * the APICs or HPET the kernel drives. A VM may be given such a range.
 */
bool platform_unclaimed_device_memory(paddr_t pa, uint64_t size);

#endif
