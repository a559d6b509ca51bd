/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The legacy virtio PCI transport and split virtqueues (virtio 0.9.5, the
 * "legacy interface" of virtio 1.0), shared by the virtio devices
 * (devices/virtio.c). A device embeds a struct v3_virtio, describes
 * itself in a struct v3_virtio_desc and handles its queues in notify();
 * the transport owns the PCI function, the I/O BAR registers, feature
 * negotiation, the rings in guest memory and the interrupt.
 *
 * Guest memory is checked, never trusted: every descriptor's buffer must
 * lie in guest RAM (one region), the chain must be well formed, and the
 * ring indexes must make sense. A request whose buffers are not all RAM,
 * or whose writable buffers come before readable ones, is popped with
 * `bad` set (its unusable segments have no pointer) for the device to
 * fail. A ring that is itself corrupt (a head or next index outside the
 * queue, a chain longer than the queue, i.e. a loop, an available index
 * running ahead by more than the queue) marks the device broken: the
 * status gets NEEDS_RESET and the device does nothing until the driver
 * resets it.
 */
#ifndef PALACIOS_VIRTIO_H
#define PALACIOS_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct v3_vm;
struct v3_pci_dev;
struct v3_virtio;

#define V3_VIRTQ_SIZE		128
#define V3_VIRTIO_MAX_QUEUES	2

/* The device status bit the device sets: its rings are unusable. */
#define V3_VIRTIO_S_NEEDS_RESET	0x40

/* Byte ranges of a request: the device-readable ones, then the writable. */
struct v3_virtq_seg {
	uint8_t *p;		/* NULL: not guest RAM (the request is bad) */
	uint32_t len;
	bool write;
};

struct v3_virtq_req {
	uint16_t head;
	bool bad;
	unsigned nr_seg;
	uint64_t out_len, in_len;	/* readable and writable byte counts */
	struct v3_virtq_seg seg[V3_VIRTQ_SIZE];
};

struct v3_virtio_ops {
	/* The driver notified queue q. Under the device's lock. */
	void (*notify)(struct v3_virtio *vd, unsigned q);
	/* The driver reset the device: forget device state. Under the lock. */
	void (*reset)(struct v3_virtio *vd);
};

struct v3_virtio_desc {
	const char *name;
	uint16_t pci_device;	/* 0x1000 + type - 1 for transitional devices */
	uint16_t type;		/* virtio device type: the PCI subsystem id */
	uint32_t class_code;
	uint32_t features;	/* offered to the driver */
	unsigned nr_queues;
	const uint8_t *config;	/* the device-specific configuration, */
	unsigned config_len;	/* read-only to the driver */
	const struct v3_virtio_ops *ops;
};

struct v3_virtq {
	uint32_t pfn;
	uint8_t *ring;		/* host view of the ring, NULL when unset */
	uint16_t last_avail;	/* next available entry to take */
	uint16_t used_idx;	/* ours: the guest's copy is not trusted */
};

struct v3_virtio {
	struct v3_vm *vm;
	struct v3_pci_dev *pci;
	void *lock;
	struct v3_virtio_desc desc;
	void *priv;		/* the device */
	uint32_t guest_features;
	uint16_t queue_sel;
	uint8_t status, isr;
	uint8_t reported;
	struct v3_virtq vq[V3_VIRTIO_MAX_QUEUES];
};

/* Plug into vm's PCI bus. 0, or -ENODEV (no bus) or -ENOMEM. */
int v3_virtio_init(struct v3_virtio *vd, struct v3_vm *vm,
		   const struct v3_virtio_desc *desc, void *priv);
void v3_virtio_exit(struct v3_virtio *vd);

/*
 * Take the next request from queue q into req: 1, 0 when there is none,
 * or -EIO when the ring is corrupt (the device is now broken).
 */
int v3_virtq_pop(struct v3_virtio *vd, unsigned q, struct v3_virtq_req *req);
/* Give a request back, with `written` bytes written into it. */
void v3_virtq_push(struct v3_virtio *vd, unsigned q,
		   const struct v3_virtq_req *req, uint32_t written);
/* After pushing: interrupt the driver unless it suppressed interrupts. */
void v3_virtq_kick(struct v3_virtio *vd, unsigned q);

/* Copy the readable bytes at [off, off + len) out of a request, or the
 * writable ones in; the count copied (short at the end or a bad segment). */
size_t v3_virtq_read(const struct v3_virtq_req *req, uint64_t off, void *buf,
		     size_t len);
size_t v3_virtq_write(const struct v3_virtq_req *req, uint64_t off,
		      const void *buf, size_t len);

#endif
