// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio PCI capabilities (virtio 1.1, 4.1.4): vendor-specific PCI
 * capabilities, each naming a region of a BAR (bar, offset, length) that
 * holds one of the device's register blocks. A device may list several
 * of a type; the spec asks the driver to use the first it understands,
 * so later ones are skipped, as are those naming a BAR that does not
 * exist (QEMU adds a PCI-config-access one, type 5, which is not used).
 */
#include <kitten/errno.h>
#include <kitten/string.h>
#include <kitten/virtio.h>

#define CAP_CFG_TYPE	3
#define CAP_BAR		4
#define CAP_OFFSET	8
#define CAP_LENGTH	12
#define CAP_NOTIFY_MULT	16
#define CAP_MIN_LEN	16

int virtio_pci_parse_caps(const uint8_t config[PCI_CONFIG_SIZE],
			  struct virtio_pci_caps *caps)
{
	unsigned pos = 0;

	memset(caps, 0, sizeof(*caps));
	while ((pos = pci_cap_find(config, PCI_CAP_ID_VNDR, pos))) {
		uint8_t type = config[pos + CAP_CFG_TYPE];
		struct virtio_pci_region *r;

		if (config[pos + 2] < CAP_MIN_LEN ||
		    pos + CAP_MIN_LEN > PCI_CONFIG_SIZE || !type ||
		    type > VIRTIO_PCI_CAP_NR || config[pos + CAP_BAR] >= PCI_NR_BARS)
			continue;
		r = &caps->region[type - 1];
		if (r->present)
			continue;
		if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
			if (config[pos + 2] < CAP_MIN_LEN + 4 ||
			    pos + CAP_MIN_LEN + 4 > PCI_CONFIG_SIZE)
				continue;
			caps->notify_off_multiplier =
				pci_cfg32(config, pos + CAP_NOTIFY_MULT);
		}
		r->present = true;
		r->bar = config[pos + CAP_BAR];
		r->offset = pci_cfg32(config, pos + CAP_OFFSET);
		r->length = pci_cfg32(config, pos + CAP_LENGTH);
	}
	for (unsigned t = 0; t < VIRTIO_PCI_CAP_DEVICE_CFG; t++)
		if (!caps->region[t].present)
			return -ENODEV;
	return 0;
}
