/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random register accesses to every emulated device: the ports of the
 * PICs, PIT, RTC, 8042, UART, PCI configuration, ACPI PM block, and the
 * local APIC and IOAPIC pages. The few writes that end a machine by
 * design are left out, so that the guest gets to report: the keyboard
 * controller's reset pulse, ACPI power-off (SLP_EN) and the debug-exit
 * port (not in the list). Compiled for 32-bit and 64-bit guests alike.
 */
#include "fuzz_dev.h"

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

u32 fuzz_port_in(u16 port, unsigned size)
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

void fuzz_port_out(u16 port, u32 v, unsigned size)
{
	if (size == 1)
		asm volatile("outb %b0, %1" : : "a"(v), "Nd"(port));
	else if (size == 2)
		asm volatile("outw %w0, %1" : : "a"(v), "Nd"(port));
	else
		asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

u32 fuzz_defuse(u16 port, u32 v, unsigned size)
{
	if (port == 0x64 && ((v & 0xff) >= 0xf0 || (v & 0xff) == 0xd1))
		return 0xaa;		/* reset pulse, output-port write */
	if (port == 0x604 && size >= 2)
		return v & ~(1u << 13);	/* SLP_EN */
	return v;
}

void fuzz_poke_port(fuzz_rnd_fn rnd)
{
	u16 port = ports[rnd() % ARRAY_SIZE(ports)];
	unsigned size = 1u << (rnd() % 3);
	u32 v = fuzz_defuse(port, rnd(), size);

	if (rnd() & 1)
		fuzz_port_out(port, v, size);
	else
		(void)fuzz_port_in(port, size);
}

void fuzz_poke_mmio(fuzz_rnd_fn rnd)
{
	uintptr_t base = rnd() & 1 ? 0xfee00000u : 0xfec00000u;
	volatile u32 *reg = (volatile u32 *)(base + (rnd() & 0x3f0));

	if (rnd() & 1)
		*reg = rnd();
	else
		(void)*reg;
}
