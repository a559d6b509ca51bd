/* SPDX-License-Identifier: GPL-2.0 */
/*
 * passthrough: writes a line to host I/O port 0x402, which the VM passes
 * through (tools/kitten vm --passthrough-io 402-402) to a debug console
 * the test gives the host machine (QEMU isa-debugcon at 0x402): the bytes
 * reach the host device without a VM exit. The test reads them there and
 * checks the VM's I/O exits.
 */
#include "guest.h"

#define PASSTHROUGH_PORT 0x402

int guest_main(void)
{
	static const char line[] = "passthrough: written by the guest\n";

	for (const char *c = line; *c; c++)
		outb(PASSTHROUGH_PORT, *c);
	printf("passthrough: %u bytes written to port 0x%x\n",
	       (unsigned)sizeof(line) - 1, PASSTHROUGH_PORT);
	return 0;
}
