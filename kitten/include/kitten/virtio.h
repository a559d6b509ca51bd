/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtio 1.x (OASIS virtio v1.1): split virtqueues and the modern PCI
 * transport.
 *
 * A split virtqueue (kitten/drivers/virtqueue.c) is three arrays the
 * driver and the device share: descriptors (buffers, chained by next),
 * the available ring (chain heads the driver offers) and the used ring
 * (chain heads the device has finished, with the bytes it wrote). The
 * code is pure ring arithmetic over memory it is given, so host tests
 * run it against a fake device. It takes no lock: the caller serializes
 * adds and reaps on one queue.
 *
 * The PCI transport (kitten/drivers/virtio_pci.c) finds the device's
 * virtio capabilities (common, notify, ISR, device configuration), each
 * a window into one of its BARs, resets the device, negotiates features
 * (VIRTIO_F_VERSION_1 always: no legacy interface), sets up queues with
 * an MSI-X vector each and notifies the device of new buffers.
 */
#ifndef KITTEN_VIRTIO_H
#define KITTEN_VIRTIO_H

#include <kitten/pci.h>
#include <kitten/types.h>

#define VIRTIO_PCI_VENDOR	0x1af4
#define VIRTIO_PCI_MODERN_BASE	0x1040	/* device id = base + virtio id */
#define VIRTIO_ID_9P		9

#define VIRTIO_F_VERSION_1	32

/* Device status bits (virtio 1.1, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_FAILED		0x80

/* --- split virtqueue ----------------------------------------------------- */

#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2	/* device writes this buffer */
#define VRING_USED_F_NO_NOTIFY	1

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

/* One buffer of a chain: a physical address and a length. */
struct vq_buf {
	uint64_t addr;
	uint32_t len;
};

struct virtqueue {
	uint16_t size;		/* entries, a power of two */
	uint16_t index;		/* the queue's number on its device */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t *chain_len;	/* per head: descriptors in flight, 0 if free */
	uint16_t free_head;	/* free descriptors, linked through next */
	uint16_t nr_free;
	uint16_t avail_idx;	/* our copy of avail->idx */
	uint16_t last_used;	/* the next used entry to reap */
	volatile uint16_t *notify;	/* where the transport kicks it */
};

/* Bytes of memory (4 KiB aligned, zeroed by init) a queue of size needs;
 * 0 if size is not a power of two in 1..32768. */
size_t virtqueue_mem_size(uint16_t size);
/* Lay the queue out in mem; the device learns the three addresses from
 * vq->desc, vq->avail and vq->used. -EINVAL for a size as above. */
int virtqueue_init(struct virtqueue *vq, uint16_t size, void *mem);
/*
 * Offer a chain: nr_out buffers the device reads, then nr_in it writes.
 * Returns its head (the id the used ring reports it by), -ENOSPC when
 * too few descriptors are free, -EINVAL for an empty chain.
 */
int virtqueue_add(struct virtqueue *vq, const struct vq_buf *bufs,
		  unsigned nr_out, unsigned nr_in);
/* Whether the device asked to be notified of new chains. */
bool virtqueue_needs_notify(const struct virtqueue *vq);
/*
 * Reap one finished chain: its head, and in *len the bytes the device
 * wrote. -ENOENT when none is waiting; -EIO when the device reported a
 * head that is not in flight (the entry is skipped, nothing is freed).
 */
int virtqueue_get_used(struct virtqueue *vq, uint32_t *len);

/* --- PCI transport ------------------------------------------------------- */

/* Capability types (virtio_pci_cap.cfg_type, virtio 1.1 4.1.4). */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_CAP_NR		5

struct virtio_pci_region {
	bool present;
	uint8_t bar;
	uint32_t offset, length;
};

struct virtio_pci_caps {
	struct virtio_pci_region region[VIRTIO_PCI_CAP_NR]; /* [type - 1] */
	uint32_t notify_off_multiplier;
};

/*
 * Find the virtio regions in a configuration-space copy (pure): the
 * first capability of each type that names a valid BAR. -ENODEV unless
 * common, notify, ISR and device configuration are all there.
 */
int virtio_pci_parse_caps(const uint8_t config[PCI_CONFIG_SIZE],
			  struct virtio_pci_caps *caps);

struct virtio_pci {
	struct pci_dev *pci;
	volatile uint8_t *common;
	volatile uint8_t *notify;
	volatile uint8_t *isr;
	volatile uint8_t *device;
	uint32_t notify_mult;
	uint32_t device_len;
	uint64_t features;	/* as negotiated */
};

/*
 * Map the regions, reset the device and negotiate: want must include
 * VIRTIO_F_VERSION_1; the result (want & offered) is in vp->features.
 * On error the device is marked FAILED.
 */
int virtio_pci_init(struct virtio_pci *vp, struct pci_dev *pci, uint64_t want);
/*
 * Set up queue index with at most max_size entries, its interrupts on
 * MSI-X entry msix_entry. The ring memory is allocated here.
 */
int virtio_pci_setup_queue(struct virtio_pci *vp, unsigned index,
			   uint16_t max_size, uint16_t msix_entry,
			   struct virtqueue *vq);
/* The driver is ready: the device may start using the queues. */
void virtio_pci_ready(struct virtio_pci *vp);
/* Tell the device; abandon it (FAILED) after an error. */
void virtio_pci_fail(struct virtio_pci *vp);
/* Device configuration space, read with the generation check. */
int virtio_pci_read_config(struct virtio_pci *vp, unsigned off, void *buf,
			   size_t len);
/* Tell the device vq has new chains (if it wants to know). */
void virtio_pci_kick(struct virtqueue *vq);

/* --- virtio-9p ----------------------------------------------------------- */

struct p9_transport;

/* What a 9p transport has done, for tests and /proc. */
struct virtio_9p_stats {
	uint64_t rpcs;		/* requests sent */
	uint64_t irqs;		/* interrupts taken */
	uint64_t replies;	/* chains reaped */
	uint64_t queue_full;	/* times a caller found no room and slept */
	unsigned in_flight;	/* requests in the queue now */
	unsigned max_in_flight;	/* most requests in the queue at once */
	uint16_t queue_size;
	uint8_t msix_vector;
};

void virtio_9p_stats(struct p9_transport *t, struct virtio_9p_stats *s);

#endif
