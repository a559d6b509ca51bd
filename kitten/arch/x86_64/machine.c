// SPDX-License-Identifier: GPL-2.0
/* Stopping the machine: QEMU's debug-exit port, else halt forever. */
#include <arch/x86.h>
#include <kitten/config.h>
#include <kitten/machine.h>

void machine_halt(void)
{
	for (;;) {
		irq_disable();
		halt();
	}
}

void machine_exit(unsigned status)
{
	outl(CONFIG_DEBUG_EXIT_PORT, status);
	machine_halt();
}
