/* SPDX-License-Identifier: GPL-2.0 */
/*
 * triple_fault: a guest that shuts itself down. With an IDT whose limit
 * is zero no vector can be delivered, so UD2's #UD becomes #GP, then #DF,
 * then a triple fault (Intel SDM vol. 3, 6.15, "Interrupt 8"): a shutdown
 * the VMM must catch. Nothing after UD2 should run. No KTAP: the VMM's
 * test judges this guest.
 */
#include "guest.h"

int guest_main(void)
{
	struct {
		u16 limit;
		u32 base;
	} __attribute__((packed)) empty = {0, 0};

	printf("triple_fault: loading an empty IDT and executing ud2\n");
	asm volatile("lidt %0\n\tud2" : : "m"(empty));
	printf("triple_fault: not stopped\n");
	return 1;
}
