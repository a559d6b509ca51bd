/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Segment descriptors, the TSS and the IDT. In long mode segments only
 * select privilege, but SYSCALL/SYSRET fix the order of the selectors:
 * kernel code, kernel data, then user data before user code.
 */
#ifndef ARCH_DESC_H
#define ARCH_DESC_H

#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER_DS		(0x18 | 3)
#define USER_CS		(0x20 | 3)
#define TSS_SEL		0x28

/* Interrupt stack table slots: faults that must not use a broken stack. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI		 2
#define IST_MCE		 3
#define IST_COUNT	 3
#define IST_STACK_SIZE	 4096

#ifndef __ASSEMBLY__
#include <kitten/compiler.h>
#include <kitten/types.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];	/* stack for entry from ring 0..2 */
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

#define GDT_ENTRIES 7		/* null, 4 segments, TSS (two slots) */

/* Everything one CPU needs for its descriptor tables. */
struct cpu_desc {
	uint64_t gdt[GDT_ENTRIES] __aligned(16);
	struct tss tss __aligned(16);
	uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __aligned(16);
};

void gdt_load(struct cpu_desc *desc);
void idt_init(void);
void idt_load(void);

/* Stack the CPU switches to when an interrupt arrives in user mode. */
void tss_set_kernel_stack(struct cpu_desc *desc, uint64_t rsp0);
#endif

#endif
