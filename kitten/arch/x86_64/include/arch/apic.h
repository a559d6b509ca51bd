/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC of each CPU, in xAPIC (MMIO) or x2APIC (MSR) mode; the
 * mode is chosen once at boot and every access goes through it.
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <kitten/types.h>

/* Vectors the kernel reserves at the top of the IDT. */
#define APIC_SPURIOUS_VECTOR		0xff
#define APIC_ERROR_VECTOR		0xfe
#define IPI_RESCHEDULE_VECTOR		0xfd
#define IPI_CALL_FUNCTION_VECTOR	0xfc
#define IPI_TLB_SHOOTDOWN_VECTOR	0xfb
#define APIC_TIMER_VECTOR		0xfa
#define FIRST_SYSTEM_VECTOR		0xfa

/*
 * Bring up the boot CPU's APIC at lapic_base (from ACPI or the MSR), in
 * x2APIC mode if allowed and the CPU has it; the timer uses the TSC
 * deadline if allowed and the CPU has it. The boot CPU's ID is readable
 * when this returns.
 */
void apic_init(paddr_t lapic_base, bool allow_x2apic, bool allow_tsc_deadline);
/* Enable the calling CPU's APIC (every CPU, boot CPU included). */
void apic_init_cpu(void);

bool apic_is_x2apic(void);
uint32_t apic_read_id(void);
void apic_eoi(void);

void apic_send_ipi(uint32_t apic_id, uint8_t vector);
void apic_send_init(uint32_t apic_id);
void apic_send_startup(uint32_t apic_id, uint8_t page);

/* One-shot timer: fire APIC_TIMER_VECTOR after ns nanoseconds; 0 stops. */
void apic_timer_oneshot(uint64_t ns);
/* Measure the timer's frequency against the TSC (boot CPU, once). */
void apic_timer_calibrate(void);

#endif
