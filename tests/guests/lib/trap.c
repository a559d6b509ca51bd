/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exceptions and interrupts. Every vector has a gate; the stubs in
 * trap32.S or trap64.S push a uniform frame and call trap_dispatch().
 *
 * Vectors 32-255 are external interrupts (the tests raise them with a
 * hypercall) and are only counted. An exception is recorded in trap_last;
 * if a test armed trap_resume it continues there, otherwise the guest has
 * met a fault nobody expected and stops with status 1.
 */
#include "guest.h"

#ifdef __x86_64__
#define SAVED_REGS 15 /* the GPRs but RSP */
struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type;
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
};
#define CODE_SEL SEL_CODE64
#else
#define SAVED_REGS 8 /* PUSHAD */
struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 reserved;
	u8 type;
	u16 offset_hi;
};
#define CODE_SEL SEL_CODE32
#endif

#define GATE_INTERRUPT 0x8e /* present, DPL 0, interrupt gate: IF cleared */

/* What the stubs leave on the stack, lowest address first. */
struct trap_frame {
	unsigned long regs[SAVED_REGS];
	unsigned long vector;
	unsigned long error; /* 0 for vectors without an error code */
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
};

volatile struct trap_record trap_last;
volatile unsigned long trap_resume;
volatile unsigned int irq_count[256];

extern const char trap_stubs[];
static struct idt_gate idt[256];

void trap_init(void)
{
	struct {
		u16 limit;
		unsigned long base;
	} __attribute__((packed)) desc = {sizeof(idt) - 1, (unsigned long)idt};
	unsigned int v;

	for (v = 0; v < ARRAY_SIZE(idt); v++) {
		unsigned long stub =
			(unsigned long)trap_stubs + v * TRAP_STUB_SIZE;

		idt[v].offset_lo = stub & 0xffff;
		idt[v].selector = CODE_SEL;
		idt[v].type = GATE_INTERRUPT;
#ifdef __x86_64__
		idt[v].offset_mid = (stub >> 16) & 0xffff;
		idt[v].offset_hi = stub >> 32;
#else
		idt[v].offset_hi = stub >> 16;
#endif
	}
	asm volatile("lidt %0" : : "m"(desc));
}

void trap_clear(void)
{
	trap_last.vector = 0;
	trap_last.error = 0;
	trap_last.cr2 = 0;
	trap_last.ip = 0;
	trap_last.count = 0;
}

void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
	/* Read CR2 first: nothing below may fault, but keep it obvious. */
	unsigned long cr2 = read_cr2();

	if (f->vector >= 32) {
		irq_count[f->vector]++;
		return;
	}
	trap_last.vector = f->vector;
	trap_last.error = f->error;
	trap_last.cr2 = cr2;
	trap_last.ip = f->ip;
	trap_last.count++;
	if (trap_resume) {
		f->ip = trap_resume;
		trap_resume = 0;
		return;
	}
	printf("# unexpected exception %lu (error 0x%lx) at 0x%lx, cr2 0x%lx\n",
	       f->vector, f->error, f->ip, cr2);
	guest_exit(1);
}
