/* SPDX-License-Identifier: GPL-2.0 */
/*
 * garbage: a guest that pokes every emulated device with random register
 * writes and reads (ports of the PICs, PIT, RTC, 8042, UART, PCI
 * configuration, ACPI PM block, and the local APIC and IOAPIC pages),
 * from a fixed seed, with interrupts off. The VMM must survive it. The
 * few writes that end a machine by design are left out, so that the
 * guest gets to report: the keyboard controller's reset pulse, ACPI
 * power-off (SLP_EN) and the debug-exit port. It needs Palacios (its
 * last check is a hypercall).
 */
#include "guest.h"

static const u16 ports[] = {
	0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1,		/* PICs, ELCR */
	0x40, 0x41, 0x42, 0x43, 0x61,			/* PIT, port B */
	0x70, 0x71,					/* RTC/CMOS */
	0x60, 0x64,					/* 8042 */
	0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff,	/* UART */
	0xcf8, 0xcfc, 0xcfd, 0xcfe, 0xcff,		/* PCI configuration */
	0x600, 0x602, 0x604, 0x608,			/* ACPI PM */
	0x80, 0x3c0, 0x1234,				/* POST, nothing */
};

static u32 seed = 0x5eed1234;

static u32 rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static inline u32 in_port(u16 port, unsigned size)
{
	u32 v = 0;

	if (size == 1)
		asm volatile("inb %1, %b0" : "=a"(v) : "Nd"(port));
	else if (size == 2)
		asm volatile("inw %1, %w0" : "=a"(v) : "Nd"(port));
	else
		asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void out_port(u16 port, u32 v, unsigned size)
{
	if (size == 1)
		asm volatile("outb %b0, %1" : : "a"(v), "Nd"(port));
	else if (size == 2)
		asm volatile("outw %w0, %1" : : "a"(v), "Nd"(port));
	else
		asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* Leave out the writes that end the machine on purpose. */
static u32 defuse(u16 port, u32 v, unsigned size)
{
	if (port == 0x64 && ((v & 0xff) >= 0xf0 || (v & 0xff) == 0xd1))
		return 0xaa;		/* reset pulse, output-port write */
	if (port == 0x604 && size >= 2)
		return v & ~(1u << 13);	/* SLP_EN */
	return v;
}

static void poke_port(void)
{
	u16 port = ports[rnd() % ARRAY_SIZE(ports)];
	unsigned size = 1u << (rnd() % 3);
	u32 v = defuse(port, rnd(), size);

	if (rnd() & 1)
		out_port(port, v, size);
	else
		(void)in_port(port, size);
}

static void poke_mmio(void)
{
	uintptr_t base = rnd() & 1 ? 0xfee00000u : 0xfec00000u;
	volatile u32 *reg = (volatile u32 *)(base + (rnd() & 0x3f0));

	if (rnd() & 1)
		*reg = rnd();
	else
		(void)*reg;
}

/* lib's hypercall() is 64-bit; this guest stays in 32-bit mode. */
static u32 echo(u32 a, u32 b)
{
	u32 nr = HC_ECHO;

	asm volatile("vmmcall" : "+a"(nr) : "b"(a), "c"(b), "d"(0) : "memory");
	return nr;
}

int guest_main(void)
{
	unsigned i;

	ktap_plan(1);
	asm volatile("cli");
	for (i = 0; i < 20000; i++) {
		if (rnd() % 4)
			poke_port();
		else
			poke_mmio();
	}
	printf("\n# %u random accesses done\n", i);
	/* The VMM still answers as before. */
	ktap_check(echo(2, 3) == 5, "vmm_sane_after_garbage");
	return ktap_finish();
}
