// SPDX-License-Identifier: GPL-2.0
/*
 * The IDT is shared by all CPUs: every vector points at its stub in
 * entry.S. Faults that mean the current stack cannot be trusted (double
 * fault, NMI, machine check) run on their own IST stacks.
 */
#include <arch/desc.h>
#include <arch/trap.h>

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define GATE_USER	0x60	/* DPL 3: int3 from user mode is allowed */
#define STUB_SIZE	16

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

extern const char isr_stubs[];
static struct idt_gate idt[NR_VECTORS] __aligned(16);

static void set_gate(unsigned vec, uint8_t ist, uint8_t type)
{
	uint64_t addr = (uint64_t)isr_stubs + vec * STUB_SIZE;

	idt[vec] = (struct idt_gate){
		.offset_low = addr & 0xffff,
		.selector = KERNEL_CS,
		.ist = ist,
		.type = type,
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_high = addr >> 32,
	};
}

void idt_init(void)
{
	for (unsigned v = 0; v < NR_VECTORS; v++)
		set_gate(v, 0, GATE_INTERRUPT);
	set_gate(VEC_DOUBLE_FAULT, IST_DOUBLE_FAULT, GATE_INTERRUPT);
	set_gate(VEC_NMI, IST_NMI, GATE_INTERRUPT);
	set_gate(VEC_MCE, IST_MCE, GATE_INTERRUPT);
	set_gate(VEC_BREAKPOINT, 0, GATE_INTERRUPT | GATE_USER);
}

void idt_load(void)
{
	struct idt_ptr ptr = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ __volatile__("lidt %0" : : "m"(ptr));
}
