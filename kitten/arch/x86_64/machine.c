// SPDX-License-Identifier: GPL-2.0
/*
 * Stopping the machine with a status, for the simulators the tests run
 * on (docs/intel-bochs.md):
 *
 *   - QEMU: isa-debug-exit at CONFIG_DEBUG_EXIT_PORT ends QEMU at once
 *     with exit code 2 * status + 1;
 *   - Bochs: has no such device, and its exit code cannot carry a status.
 *     The status is the last line the kernel prints ("machine: exit
 *     status N", which tools/bochs reads from the serial log), then the
 *     string "Shutdown" written to port 0x8900 (the shutdown port of the
 *     Bochs BIOS, handled by Bochs's "unmapped" device) ends the
 *     simulation.
 *
 * On real hardware neither port is decoded; the CPU halts.
 */
#include <arch/x86.h>
#include <kitten/config.h>
#include <kitten/machine.h>
#include <kitten/printk.h>

#define BOCHS_SHUTDOWN_PORT	0x8900

void machine_halt(void)
{
	for (;;) {
		irq_disable();
		halt();
	}
}

void machine_exit(unsigned status)
{
	printk(KERN_EMERG "machine: exit status %u\n", status);
	outl(CONFIG_DEBUG_EXIT_PORT, status);
	for (const char *p = "Shutdown"; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, *p);
	machine_halt();
}
