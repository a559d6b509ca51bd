// SPDX-License-Identifier: GPL-2.0
/*
 * PCI capability walking (kitten/drivers/pci_cap.c) and virtio's
 * capability parsing (kitten/drivers/virtio_pci_caps.c) over fake
 * configuration spaces, laid out as QEMU lays out a virtio-9p-pci's.
 */
#include "support.h"

#include <string.h>
#include <kitten/errno.h>
#include <kitten/virtio.h>

static uint8_t cfg[PCI_CONFIG_SIZE];

static void set32(unsigned off, uint32_t v)
{
	memcpy(cfg + off, &v, 4);
}

/* A capability at pos, id, pointing on to next, of len bytes. */
static void cap(unsigned pos, uint8_t id, uint8_t next, uint8_t len)
{
	cfg[pos] = id;
	cfg[pos + 1] = next;
	cfg[pos + 2] = len;
}

static void vcap(unsigned pos, uint8_t next, uint8_t type, uint8_t bar,
		 uint32_t offset, uint32_t length)
{
	cap(pos, PCI_CAP_ID_VNDR, next, type == 2 ? 20 : 16);
	cfg[pos + 3] = type;
	cfg[pos + 4] = bar;
	set32(pos + 8, offset);
	set32(pos + 12, length);
}

/* QEMU's list: MSI-X, then common, ISR, device, notify, PCI access. */
static void qemu_like(void)
{
	memset(cfg, 0, sizeof(cfg));
	cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	cfg[PCI_CAPABILITY_LIST] = 0x98;
	cap(0x98, PCI_CAP_ID_MSIX, 0x84, 12);
	vcap(0x84, 0x70, 5, 0, 0, 0);
	vcap(0x70, 0x60, 2, 4, 0x3000, 0x1000);
	set32(0x70 + 16, 4);
	vcap(0x60, 0x50, 4, 4, 0x2000, 0x1000);
	vcap(0x50, 0x40, 3, 4, 0x1000, 0x1000);
	vcap(0x40, 0x00, 1, 4, 0x0000, 0x1000);
}

static void walks_the_list(void **state)
{
	(void)state;
	qemu_like();
	assert_int_equal(pci_cap_find(cfg, PCI_CAP_ID_MSIX, 0), 0x98);
	assert_int_equal(pci_cap_find(cfg, PCI_CAP_ID_VNDR, 0), 0x84);
	assert_int_equal(pci_cap_find(cfg, PCI_CAP_ID_VNDR, 0x84), 0x70);
	assert_int_equal(pci_cap_find(cfg, PCI_CAP_ID_VNDR, 0x50), 0x40);
	assert_int_equal(pci_cap_find(cfg, PCI_CAP_ID_VNDR, 0x40), 0);
	assert_int_equal(pci_cap_find(cfg, 0x05, 0), 0);	/* no MSI */
}

static void no_list_without_the_status_bit(void **state)
{
	(void)state;
	qemu_like();
	cfg[PCI_STATUS] = 0;
	assert_int_equal(pci_cap_find(cfg, PCI_CAP_ID_MSIX, 0), 0);
}

/* Reserved low bits are masked; a loop or a pointer into the header or
 * past the end ends the walk instead of hanging or overrunning. */
static void hostile_lists_end(void **state)
{
	(void)state;
	qemu_like();
	cfg[PCI_CAPABILITY_LIST] = 0x9b;
	assert_int_equal(pci_cap_find(cfg, PCI_CAP_ID_MSIX, 0), 0x98);
	cap(0x40, PCI_CAP_ID_VNDR, 0x50, 16);
	cap(0x50, PCI_CAP_ID_VNDR, 0x40, 16);
	assert_int_equal(pci_cap_find(cfg, 0x05, 0), 0);
	cfg[0x50 + 1] = 0x20;
	assert_int_equal(pci_cap_find(cfg, 0x05, 0), 0);
	cfg[0x50 + 1] = 0xfe;	/* masked to 0xfc: the last dword is fine */
	cap(0xfc, 0x05, 0x00, 4);
	assert_int_equal(pci_cap_find(cfg, 0x05, 0), 0xfc);
}

static void virtio_regions(void **state)
{
	struct virtio_pci_caps c;
	(void)state;

	qemu_like();
	assert_int_equal(virtio_pci_parse_caps(cfg, &c), 0);
	assert_true(c.region[VIRTIO_PCI_CAP_COMMON_CFG - 1].present);
	assert_int_equal(c.region[VIRTIO_PCI_CAP_COMMON_CFG - 1].bar, 4);
	assert_int_equal(c.region[VIRTIO_PCI_CAP_ISR_CFG - 1].offset, 0x1000);
	assert_int_equal(c.region[VIRTIO_PCI_CAP_DEVICE_CFG - 1].offset, 0x2000);
	assert_int_equal(c.region[VIRTIO_PCI_CAP_NOTIFY_CFG - 1].offset, 0x3000);
	assert_int_equal(c.region[VIRTIO_PCI_CAP_NOTIFY_CFG - 1].length, 0x1000);
	assert_int_equal(c.notify_off_multiplier, 4);
}

/* The first usable capability of a type wins; ones naming a BAR that
 * cannot exist, or a notify one too short for its multiplier, are
 * skipped; without all four regions there is no modern interface. */
static void virtio_first_valid_wins(void **state)
{
	struct virtio_pci_caps c;
	(void)state;

	qemu_like();
	cfg[0x84 + 3] = 4;		/* a device region before the real one */
	cfg[0x84 + 4] = 7;		/* in BAR 7: skipped */
	assert_int_equal(virtio_pci_parse_caps(cfg, &c), 0);
	assert_int_equal(c.region[VIRTIO_PCI_CAP_DEVICE_CFG - 1].offset, 0x2000);
	cfg[0x84 + 4] = 2;		/* a valid one first: it wins */
	set32(0x84 + 8, 0x8000);
	assert_int_equal(virtio_pci_parse_caps(cfg, &c), 0);
	assert_int_equal(c.region[VIRTIO_PCI_CAP_DEVICE_CFG - 1].bar, 2);
	assert_int_equal(c.region[VIRTIO_PCI_CAP_DEVICE_CFG - 1].offset, 0x8000);

	qemu_like();
	cfg[0x70 + 2] = 16;		/* notify without room for the multiplier */
	assert_int_equal(virtio_pci_parse_caps(cfg, &c), -ENODEV);
	qemu_like();
	cfg[0x40 + 3] = 9;		/* no common configuration */
	assert_int_equal(virtio_pci_parse_caps(cfg, &c), -ENODEV);
	assert_false(c.region[VIRTIO_PCI_CAP_COMMON_CFG - 1].present);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_the_list),
		cmocka_unit_test(no_list_without_the_status_bit),
		cmocka_unit_test(hostile_lists_end),
		cmocka_unit_test(virtio_regions),
		cmocka_unit_test(virtio_first_valid_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
