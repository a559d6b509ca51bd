/* SPDX-License-Identifier: GPL-2.0 */
/*
 * garbage: a guest that pokes every emulated device with random register
 * writes and reads (ports of the PICs, PIT, RTC, 8042, UART, PCI
 * configuration, ACPI PM block, and the local APIC and IOAPIC pages),
 * from a fixed seed, with interrupts off (fuzz_dev.c, shared with the
 * guest fuzzer). The VMM must survive it. It needs Palacios (its last
 * check is a hypercall).
 */
#include "fuzz_dev.h"

static u32 seed = 0x5eed1234;

static u32 rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
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
			fuzz_poke_port(rnd);
		else
			fuzz_poke_mmio(rnd);
	}
	printf("\n# %u random accesses done\n", i);
	/* The VMM still answers as before. */
	ktap_check(echo(2, 3) == 5, "vmm_sane_after_garbage");
	return ktap_finish();
}
