/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's side of legacy virtio over PCI, for device tests: find the
 * function's I/O BAR by configuration cycles, negotiate, place the queues
 * in the fixture's RAM, write descriptors and available entries, notify,
 * and collect used entries. Also a recorder for IRQ lines.
 */
#ifndef TESTS_UNIT_VIRTIO_DRIVER_H
#define TESTS_UNIT_VIRTIO_DRIVER_H

#include "support.h"
#include "v3_fixture.h"

#include <string.h>

#define VQ_SIZE		128
#define VQ_AVAIL	(16 * VQ_SIZE)
#define VQ_USED		4096
#define VQ_RING_GPA	0x100000u	/* queue q at + 0x2000 * q */

#define VR_FEATURES	0x00
#define VR_GUEST_FEAT	0x04
#define VR_PFN		0x08
#define VR_NUM		0x0c
#define VR_SEL		0x0e
#define VR_NOTIFY	0x10
#define VR_STATUS	0x12
#define VR_ISR		0x13
#define VR_CONFIG	0x14

#define VD_NEXT		1
#define VD_WRITE	2

struct vdrv {
	struct v3_vm *vm;
	uint16_t io;
	uint8_t *ring[2];
	uint16_t avail[2], used[2];
};

struct lines {
	bool level[V3_IRQ_LINES];
	unsigned rises[V3_IRQ_LINES];
};

static inline void lines_set(struct v3_vm *vm, unsigned irq, bool level,
			     void *priv)
{
	struct lines *l = priv;

	(void)vm;
	if (level && !l->level[irq])
		l->rises[irq]++;
	l->level[irq] = level;
}

static const struct v3_irq_router_ops lines_router = { lines_set };

static inline uint8_t *guest(struct v3_vm *vm, uint64_t gpa, uint64_t len)
{
	uint8_t *p = v3_gpa_to_hva(vm, gpa, len);

	assert_non_null(p);
	return p;
}

static inline uint32_t pci_cfg(struct v3_vm *vm, unsigned slot, unsigned reg)
{
	fx_out(vm, 0xcf8, 0x80000000u | slot << 11 | reg, 4);
	return fx_in(vm, 0xcfc, 4);
}

/* Reset the device in slot, accept `features`, set up nq queues. */
static inline void vdrv_init(struct vdrv *d, struct v3_vm *vm, unsigned slot,
			     uint32_t features, unsigned nq)
{
	memset(d, 0, sizeof(*d));
	d->vm = vm;
	d->io = pci_cfg(vm, slot, 0x10) & 0xfffc;
	fx_out(vm, d->io + VR_STATUS, 0, 1);
	fx_out(vm, d->io + VR_STATUS, 1, 1);
	fx_out(vm, d->io + VR_STATUS, 3, 1);
	fx_out(vm, d->io + VR_GUEST_FEAT, features, 4);
	for (unsigned q = 0; q < nq; q++) {
		uint32_t gpa = VQ_RING_GPA + 0x2000 * q;

		d->ring[q] = guest(vm, gpa, 0x2000);
		memset(d->ring[q], 0, 0x2000);
		fx_out(vm, d->io + VR_SEL, q, 2);
		assert_int_equal(fx_in(vm, d->io + VR_NUM, 2), VQ_SIZE);
		fx_out(vm, d->io + VR_PFN, gpa >> 12, 4);
	}
	fx_out(vm, d->io + VR_STATUS, 7, 1);
}

static inline void vdrv_desc(struct vdrv *d, unsigned q, unsigned i,
			     uint64_t addr, uint32_t len, uint16_t flags,
			     uint16_t next)
{
	uint8_t *p = d->ring[q] + 16 * i;

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

/* Make head available (without notifying). */
static inline void vdrv_post(struct vdrv *d, unsigned q, uint16_t head)
{
	memcpy(d->ring[q] + VQ_AVAIL + 4 + 2 * (d->avail[q] % VQ_SIZE), &head, 2);
	d->avail[q]++;
	memcpy(d->ring[q] + VQ_AVAIL + 2, &d->avail[q], 2);
}

static inline void vdrv_notify(struct vdrv *d, unsigned q)
{
	fx_out(d->vm, d->io + VR_NOTIFY, q, 2);
}

/* The next used entry, if the device returned one. */
static inline bool vdrv_used(struct vdrv *d, unsigned q, uint32_t *id,
			     uint32_t *len)
{
	uint16_t idx;
	uint8_t *e;

	memcpy(&idx, d->ring[q] + VQ_USED + 2, 2);
	if (idx == d->used[q])
		return false;
	e = d->ring[q] + VQ_USED + 4 + 8 * (d->used[q]++ % VQ_SIZE);
	memcpy(id, e, 4);
	memcpy(len, e + 4, 4);
	return true;
}

static inline uint8_t vdrv_status(struct vdrv *d)
{
	return fx_in(d->vm, d->io + VR_STATUS, 1);
}

#endif
