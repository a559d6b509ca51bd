// SPDX-License-Identifier: GPL-2.0
/*
 * PCI capability lists, walked over a copy of configuration space. The
 * list is input from a device: each pointer's low two bits are reserved
 * (masked, PCI 3.0 6.7), a pointer into the 64-byte header or a list
 * longer than the space could hold ends the walk, so a loop cannot hang
 * the kernel.
 */
#include <kitten/pci.h>

#define CAP_MIN		0x40
#define CAP_MAX_WALK	((PCI_CONFIG_SIZE - CAP_MIN) / 4)

unsigned pci_cap_find(const uint8_t config[PCI_CONFIG_SIZE], uint8_t id,
		      unsigned after)
{
	unsigned pos;

	if (!(pci_cfg16(config, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = config[after ? after + 1 : PCI_CAPABILITY_LIST] & ~3U;
	for (unsigned n = 0; n < CAP_MAX_WALK; n++) {
		if (pos < CAP_MIN || pos > PCI_CONFIG_SIZE - 4)
			return 0;
		if (config[pos] == id)
			return pos;
		pos = config[pos + 1] & ~3U;
	}
	return 0;
}
