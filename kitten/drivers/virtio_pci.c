// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio 1.x ("modern") PCI transport (virtio 1.1, 4.1). The
 * device's registers are in BAR regions its vendor capabilities name;
 * the common configuration block holds the status, the feature words
 * (read and written 32 bits at a time through select registers) and,
 * for the queue chosen by queue_select, its size, MSI-X vector, ring
 * addresses and enable bit.
 *
 * Initialization follows 3.1.1: reset (write 0, wait to read 0),
 * ACKNOWLEDGE, DRIVER, features, FEATURES_OK (read back: the device may
 * refuse), queues, then DRIVER_OK from the driver once it is ready for
 * interrupts. The legacy interface (I/O BAR, guest-page-size queues) is
 * not supported: a device without VIRTIO_F_VERSION_1 is refused.
 */
#define pr_fmt(fmt) "virtio-pci: " fmt

#include <arch/layout.h>
#include <arch/x86.h>
#include <kitten/errno.h>
#include <kitten/mm.h>
#include <kitten/printk.h>
#include <kitten/string.h>
#include <kitten/virtio.h>

/* struct virtio_pci_common_cfg offsets. */
#define CC_DEVICE_FEATURE_SELECT 0x00
#define CC_DEVICE_FEATURE	0x04
#define CC_DRIVER_FEATURE_SELECT 0x08
#define CC_DRIVER_FEATURE	0x0c
#define CC_MSIX_CONFIG		0x10
#define CC_NUM_QUEUES		0x12
#define CC_DEVICE_STATUS	0x14
#define CC_CONFIG_GENERATION	0x15
#define CC_QUEUE_SELECT		0x16
#define CC_QUEUE_SIZE		0x18
#define CC_QUEUE_MSIX_VECTOR	0x1a
#define CC_QUEUE_ENABLE		0x1c
#define CC_QUEUE_NOTIFY_OFF	0x1e
#define CC_QUEUE_DESC		0x20
#define CC_QUEUE_DRIVER		0x28
#define CC_QUEUE_DEVICE		0x30
#define CC_SIZE			0x38

#define VIRTIO_MSI_NO_VECTOR	0xffff
#define RESET_SPINS		1000000

static inline void w8(volatile uint8_t *b, unsigned off, uint8_t v)
{
	*(volatile uint8_t *)(b + off) = v;
}

static inline void w16(volatile uint8_t *b, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(b + off) = v;
}

static inline void w32(volatile uint8_t *b, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(b + off) = v;
}

/* 64-bit fields as two 32-bit writes, low half first (4.1.3.1). */
static inline void w64(volatile uint8_t *b, unsigned off, uint64_t v)
{
	w32(b, off, (uint32_t)v);
	w32(b, off + 4, v >> 32);
}

static inline uint8_t r8(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint8_t *)(b + off);
}

static inline uint16_t r16(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint16_t *)(b + off);
}

static inline uint32_t r32(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint32_t *)(b + off);
}

static void set_status(struct virtio_pci *vp, uint8_t bits)
{
	w8(vp->common, CC_DEVICE_STATUS, r8(vp->common, CC_DEVICE_STATUS) | bits);
}

void virtio_pci_fail(struct virtio_pci *vp)
{
	if (vp->common)
		set_status(vp, VIRTIO_STATUS_FAILED);
}

/* A region's mapping, checked to lie inside its BAR and to hold min bytes. */
static volatile uint8_t *map_region(struct pci_dev *pci,
				    const struct virtio_pci_region *r,
				    uint32_t min)
{
	const struct pci_bar *bar = &pci->bar[r->bar];
	uint8_t *base;

	if (r->length < min || (uint64_t)r->offset + r->length > bar->size)
		return NULL;
	base = pci_bar_map(pci, r->bar);
	return base ? base + r->offset : NULL;
}

static int map_regions(struct virtio_pci *vp, struct pci_dev *pci)
{
	struct virtio_pci_caps caps;
	const struct virtio_pci_region *r = caps.region;

	if (virtio_pci_parse_caps(pci->config, &caps)) {
		pr_err("%02x:%02x.%x: no virtio 1.0 capabilities (legacy only?)\n",
		       pci->bus, pci->slot, pci->func);
		return -ENODEV;
	}
	vp->common = map_region(pci, &r[VIRTIO_PCI_CAP_COMMON_CFG - 1], CC_SIZE);
	vp->notify = map_region(pci, &r[VIRTIO_PCI_CAP_NOTIFY_CFG - 1], 2);
	vp->isr = map_region(pci, &r[VIRTIO_PCI_CAP_ISR_CFG - 1], 1);
	vp->device = map_region(pci, &r[VIRTIO_PCI_CAP_DEVICE_CFG - 1], 1);
	vp->device_len = r[VIRTIO_PCI_CAP_DEVICE_CFG - 1].length;
	vp->notify_mult = caps.notify_off_multiplier;
	if (!vp->common || !vp->notify || !vp->isr || !vp->device) {
		pr_err("%02x:%02x.%x: a virtio region lies outside its BAR\n",
		       pci->bus, pci->slot, pci->func);
		return -ENODEV;
	}
	return 0;
}

static uint64_t device_features(struct virtio_pci *vp)
{
	uint64_t f;

	w32(vp->common, CC_DEVICE_FEATURE_SELECT, 0);
	f = r32(vp->common, CC_DEVICE_FEATURE);
	w32(vp->common, CC_DEVICE_FEATURE_SELECT, 1);
	return f | (uint64_t)r32(vp->common, CC_DEVICE_FEATURE) << 32;
}

int virtio_pci_init(struct virtio_pci *vp, struct pci_dev *pci, uint64_t want)
{
	uint64_t offered;
	int err;

	memset(vp, 0, sizeof(*vp));
	vp->pci = pci;
	err = map_regions(vp, pci);
	if (err)
		return err;
	pci_enable_master(pci);

	w8(vp->common, CC_DEVICE_STATUS, 0);
	for (unsigned i = 0; r8(vp->common, CC_DEVICE_STATUS); i++) {
		if (i == RESET_SPINS) {
			pr_err("device does not reset\n");
			return -EIO;
		}
		cpu_relax();
	}
	set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(vp, VIRTIO_STATUS_DRIVER);

	offered = device_features(vp);
	vp->features = offered & want;
	if (!(vp->features & (1ULL << VIRTIO_F_VERSION_1))) {
		pr_err("device offers no VIRTIO_F_VERSION_1 (features %#lx)\n",
		       offered);
		err = -ENODEV;
		goto fail;
	}
	w32(vp->common, CC_DRIVER_FEATURE_SELECT, 0);
	w32(vp->common, CC_DRIVER_FEATURE, (uint32_t)vp->features);
	w32(vp->common, CC_DRIVER_FEATURE_SELECT, 1);
	w32(vp->common, CC_DRIVER_FEATURE, vp->features >> 32);
	set_status(vp, VIRTIO_STATUS_FEATURES_OK);
	if (!(r8(vp->common, CC_DEVICE_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		pr_err("device refused features %#lx\n", vp->features);
		err = -ENODEV;
		goto fail;
	}
	/* No configuration-change interrupts: nothing here reacts to them. */
	w16(vp->common, CC_MSIX_CONFIG, VIRTIO_MSI_NO_VECTOR);
	return 0;
fail:
	virtio_pci_fail(vp);
	return err;
}

int virtio_pci_setup_queue(struct virtio_pci *vp, unsigned index,
			   uint16_t max_size, uint16_t msix_entry,
			   struct virtqueue *vq)
{
	uint16_t size;
	size_t bytes;
	unsigned order = 0;
	paddr_t pa;
	int err;

	if (index >= r16(vp->common, CC_NUM_QUEUES))
		return -EINVAL;
	w16(vp->common, CC_QUEUE_SELECT, index);
	size = r16(vp->common, CC_QUEUE_SIZE);
	if (!size || (size & (size - 1)))
		return -EIO;	/* absent, or not a split-ring size */
	while (size > max_size)
		size /= 2;
	bytes = virtqueue_mem_size(size);
	if (!bytes)
		return -EIO;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	err = page_alloc(order, &pa);
	if (err)
		return err;
	virtqueue_init(vq, size, __va(pa));
	vq->index = index;
	vq->notify = (volatile uint16_t *)(vp->notify +
		r16(vp->common, CC_QUEUE_NOTIFY_OFF) * vp->notify_mult);

	w16(vp->common, CC_QUEUE_SIZE, size);
	w16(vp->common, CC_QUEUE_MSIX_VECTOR, msix_entry);
	if (r16(vp->common, CC_QUEUE_MSIX_VECTOR) != msix_entry) {
		pr_err("queue %u: MSI-X entry %u refused\n", index, msix_entry);
		page_free(pa);
		return -EIO;
	}
	w64(vp->common, CC_QUEUE_DESC, __pa(vq->desc));
	w64(vp->common, CC_QUEUE_DRIVER, __pa(vq->avail));
	w64(vp->common, CC_QUEUE_DEVICE, __pa(vq->used));
	w16(vp->common, CC_QUEUE_ENABLE, 1);
	return 0;
}

void virtio_pci_ready(struct virtio_pci *vp)
{
	set_status(vp, VIRTIO_STATUS_DRIVER_OK);
}

int virtio_pci_read_config(struct virtio_pci *vp, unsigned off, void *buf,
			   size_t len)
{
	uint8_t gen;

	if (off > vp->device_len || len > vp->device_len - off)
		return -EINVAL;
	/* Read until the generation is the same before and after: the
	 * device did not change the fields while we read them. */
	do {
		gen = r8(vp->common, CC_CONFIG_GENERATION);
		for (size_t i = 0; i < len; i++)
			((uint8_t *)buf)[i] = r8(vp->device, off + i);
	} while (gen != r8(vp->common, CC_CONFIG_GENERATION));
	return 0;
}

void virtio_pci_kick(struct virtqueue *vq)
{
	if (virtqueue_needs_notify(vq))
		*vq->notify = vq->index;
}
