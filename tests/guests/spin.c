/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spin: a guest that never ends and cannot be interrupted (IF=0, a jump
 * to itself), for testing that the VMM can stop a VM that does not
 * cooperate, e.g. on a timeout. No KTAP: the VMM's test judges this guest.
 */
#include "guest.h"

int guest_main(void)
{
	printf("spin: spinning with interrupts off\n");
	asm volatile("cli\n1:\tjmp 1b");
	__builtin_unreachable();
}
