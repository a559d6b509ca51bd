// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy virtio PCI transport and split virtqueues (virtio.h), from
 * the virtio 0.9.5 specification and the legacy interface of virtio 1.0.
 *
 * BAR0 is an I/O window: host features (32 bits), guest features (32),
 * queue PFN (32), queue size (16), queue select (16), queue notify (16),
 * device status (8), ISR status (8), then the device's configuration at
 * 0x14 (no MSI-X, so no vector registers). Reads may use any width;
 * writes must use each register's own, as every driver does, and others
 * are reported once and dropped.
 *
 * A queue of 128 entries lives at PFN * 4096 in the legacy layout:
 * descriptors, then the available ring, then, at the next page, the used
 * ring. The whole ring must be guest RAM when the driver sets the PFN,
 * and is then reached through one host pointer. The guest can rewrite
 * the ring at any time, so every index and descriptor is read once into
 * a local and checked there. Queues are served as soon as they have a
 * ring, before DRIVER_OK, as old drivers expect of legacy devices.
 *
 * The interrupt is INTx only: ISR bit 0 says a used ring moved; reading
 * the ISR clears it and lowers the pin. Configuration-change interrupts
 * (ISR bit 1) never happen, since no configuration changes.
 */
#include <palacios/pci.h>
#include <palacios/virtio.h>
#include <palacios/vmm.h>

#define VIRTIO_VENDOR		0x1af4

#define REG_HOST_FEATURES	0x00
#define REG_GUEST_FEATURES	0x04
#define REG_QUEUE_PFN		0x08
#define REG_QUEUE_NUM		0x0c
#define REG_QUEUE_SEL		0x0e
#define REG_QUEUE_NOTIFY	0x10
#define REG_STATUS		0x12
#define REG_ISR			0x13
#define REG_CONFIG		0x14

#define DESC_F_NEXT		1
#define DESC_F_WRITE		2
#define DESC_F_INDIRECT		4
#define AVAIL_F_NO_INTERRUPT	1

/* The legacy layout of a 128-entry queue, as offsets from the PFN's page. */
#define RING_AVAIL		(16 * V3_VIRTQ_SIZE)
#define RING_USED		4096
#define RING_BYTES		(RING_USED + 4 + 8 * V3_VIRTQ_SIZE + 2)

enum { REPORT_WRITE = 1, REPORT_FEATURES = 2, REPORT_QUEUE = 4 };

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static void report_once(struct v3_virtio *vd, uint8_t what, const char *msg,
			unsigned val)
{
	if (!(vd->reported & what)) {
		vd->reported |= what;
		VM_INFO(vd->vm, "%s: %s (0x%x)", vd->desc.name, msg, val);
	}
}

/* The ring is corrupt: stop using it until the driver resets us. */
static int broken(struct v3_virtio *vd, unsigned q, const char *why)
{
	VM_INFO(vd->vm, "%s: queue %u: %s: device needs reset", vd->desc.name,
		q, why);
	vd->status |= V3_VIRTIO_S_NEEDS_RESET;
	return -V3_EIO;
}

static uint16_t ring16(const struct v3_virtq *vq, unsigned off)
{
	return __atomic_load_n((uint16_t *)(vq->ring + off), __ATOMIC_ACQUIRE);
}

static void queue_set_pfn(struct v3_virtio *vd, struct v3_virtq *vq,
			  uint32_t pfn)
{
	*vq = (struct v3_virtq){ .pfn = pfn };
	if (!pfn)
		return;
	vq->ring = v3_gpa_to_hva(vd->vm, (uint64_t)pfn << 12, RING_BYTES);
	if (!vq->ring)
		broken(vd, vq - vd->vq, "ring is not in guest RAM");
}

int v3_virtq_pop(struct v3_virtio *vd, unsigned q, struct v3_virtq_req *req)
{
	struct v3_virtq *vq = &vd->vq[q];
	uint16_t avail, idx;
	bool writable = false;

	if (!vq->ring || (vd->status & V3_VIRTIO_S_NEEDS_RESET))
		return 0;
	avail = ring16(vq, RING_AVAIL + 2);
	if (avail == vq->last_avail)
		return 0;
	if ((uint16_t)(avail - vq->last_avail) > V3_VIRTQ_SIZE)
		return broken(vd, q, "available index ran ahead");
	idx = ring16(vq, RING_AVAIL + 4 + 2 * (vq->last_avail % V3_VIRTQ_SIZE));
	if (idx >= V3_VIRTQ_SIZE)
		return broken(vd, q, "head index outside the queue");
	vq->last_avail++;
	*req = (struct v3_virtq_req){ .head = idx };
	/* At most one visit per descriptor: more is a loop. */
	for (unsigned n = 0;; n++) {
		struct vring_desc d;

		if (n == V3_VIRTQ_SIZE)
			return broken(vd, q, "descriptor chain loops");
		v3_memcpy(&d, vq->ring + 16 * idx, sizeof(d));
		if (d.len) {
			struct v3_virtq_seg *s = &req->seg[req->nr_seg++];

			s->len = d.len;
			s->write = d.flags & DESC_F_WRITE;
			/* Indirect tables were not offered: unusable. */
			if (!(d.flags & DESC_F_INDIRECT))
				s->p = v3_gpa_to_hva(vd->vm, d.addr, d.len);
			if (!s->p || (writable && !s->write))
				req->bad = true;
			writable |= s->write;
			if (s->write)
				req->in_len += d.len;
			else
				req->out_len += d.len;
		}
		if (!(d.flags & DESC_F_NEXT))
			return 1;
		if (d.next >= V3_VIRTQ_SIZE)
			return broken(vd, q, "next index outside the queue");
		idx = d.next;
	}
}

void v3_virtq_push(struct v3_virtio *vd, unsigned q,
		   const struct v3_virtq_req *req, uint32_t written)
{
	struct v3_virtq *vq = &vd->vq[q];
	uint8_t *elem;

	if (!vq->ring)
		return;
	elem = vq->ring + RING_USED + 4 + 8 * (vq->used_idx % V3_VIRTQ_SIZE);
	v3_memcpy(elem, &(uint32_t){ req->head }, 4);
	v3_memcpy(elem + 4, &written, 4);
	vq->used_idx++;
	/* The element before the index that publishes it. */
	__atomic_store_n((uint16_t *)(vq->ring + RING_USED + 2), vq->used_idx,
			 __ATOMIC_RELEASE);
}

void v3_virtq_kick(struct v3_virtio *vd, unsigned q)
{
	struct v3_virtq *vq = &vd->vq[q];

	if (!vq->ring || (ring16(vq, RING_AVAIL) & AVAIL_F_NO_INTERRUPT))
		return;
	vd->isr |= 1;
	v3_pci_set_irq(vd->pci, true);
}

/* Copy between buf and the request's readable or writable bytes. */
static size_t copy(const struct v3_virtq_req *req, bool write, uint64_t off,
		   uint8_t *buf, size_t len)
{
	size_t done = 0;

	for (unsigned i = 0; i < req->nr_seg && done < len; i++) {
		const struct v3_virtq_seg *s = &req->seg[i];
		size_t n;

		if (s->write != write)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		if (!s->p)
			break;
		n = s->len - off < len - done ? s->len - off : len - done;
		if (write)
			v3_memcpy(s->p + off, buf + done, n);
		else
			v3_memcpy(buf + done, s->p + off, n);
		done += n;
		off = 0;
	}
	return done;
}

size_t v3_virtq_read(const struct v3_virtq_req *req, uint64_t off, void *buf,
		     size_t len)
{
	return copy(req, false, off, buf, len);
}

size_t v3_virtq_write(const struct v3_virtq_req *req, uint64_t off,
		      const void *buf, size_t len)
{
	return copy(req, true, off, (uint8_t *)buf, len);
}

static void virtio_reset(struct v3_virtio *vd)
{
	vd->guest_features = 0;
	vd->queue_sel = 0;
	vd->status = 0;
	vd->isr = 0;
	for (unsigned q = 0; q < V3_VIRTIO_MAX_QUEUES; q++)
		vd->vq[q] = (struct v3_virtq){ 0 };
	v3_pci_set_irq(vd->pci, false);
	if (vd->desc.ops->reset)
		vd->desc.ops->reset(vd);
}

/* One byte of the register window as the driver reads it. */
static uint8_t reg_byte(struct v3_virtio *vd, unsigned off)
{
	const struct v3_virtq *vq = vd->queue_sel < vd->desc.nr_queues ?
				    &vd->vq[vd->queue_sel] : NULL;
	uint32_t val;

	if (off >= REG_CONFIG)
		return off - REG_CONFIG < vd->desc.config_len ?
		       vd->desc.config[off - REG_CONFIG] : 0;
	switch (off & ~3u) {
	case REG_HOST_FEATURES:
		val = vd->desc.features;
		break;
	case REG_GUEST_FEATURES:
		val = vd->guest_features;
		break;
	case REG_QUEUE_PFN:
		val = vq ? vq->pfn : 0;
		break;
	case REG_QUEUE_NUM:	/* and the queue select */
		val = (vq ? V3_VIRTQ_SIZE : 0) | (uint32_t)vd->queue_sel << 16;
		break;
	default:		/* notify reads 0; status, ISR */
		val = (uint32_t)vd->status << 16 | (uint32_t)vd->isr << 24;
		break;
	}
	return val >> (8 * (off & 3));
}

static int bar_read(struct v3_vcpu *v, uint32_t off, void *data, unsigned len,
		    void *priv)
{
	struct v3_virtio *vd = priv;
	unsigned long flags = v3_host->lock(vd->lock);

	(void)v;
	for (unsigned i = 0; i < len; i++)
		((uint8_t *)data)[i] = reg_byte(vd, off + i);
	/* Reading the ISR acknowledges the interrupt. */
	if (off <= REG_ISR && off + len > REG_ISR) {
		vd->isr = 0;
		v3_pci_set_irq(vd->pci, false);
	}
	v3_host->unlock(vd->lock, flags);
	return 0;
}

static void reg_write(struct v3_virtio *vd, uint32_t off, uint32_t val)
{
	switch (off) {
	case REG_GUEST_FEATURES:
		if (val & ~vd->desc.features)
			report_once(vd, REPORT_FEATURES,
				    "driver accepted features not offered", val);
		vd->guest_features = val & vd->desc.features;
		break;
	case REG_QUEUE_PFN:
		if (vd->queue_sel < vd->desc.nr_queues)
			queue_set_pfn(vd, &vd->vq[vd->queue_sel], val);
		else
			report_once(vd, REPORT_QUEUE, "no such queue", vd->queue_sel);
		break;
	case REG_QUEUE_SEL:
		vd->queue_sel = val;
		break;
	case REG_QUEUE_NOTIFY:
		if (val < vd->desc.nr_queues)
			vd->desc.ops->notify(vd, val);
		else
			report_once(vd, REPORT_QUEUE, "notify of no such queue", val);
		break;
	case REG_STATUS:
		if (!val)
			virtio_reset(vd);
		else	/* NEEDS_RESET stays until a reset */
			vd->status = val |
				     (vd->status & V3_VIRTIO_S_NEEDS_RESET);
		break;
	default:
		report_once(vd, REPORT_WRITE, "write to a read-only register", off);
		break;
	}
}

static unsigned reg_width(uint32_t off)
{
	switch (off) {
	case REG_GUEST_FEATURES:
	case REG_QUEUE_PFN:
		return 4;
	case REG_QUEUE_SEL:
	case REG_QUEUE_NOTIFY:
		return 2;
	default:
		return 1;
	}
}

static int bar_write(struct v3_vcpu *v, uint32_t off, const void *data,
		     unsigned len, void *priv)
{
	struct v3_virtio *vd = priv;
	uint32_t val = 0;
	unsigned long flags = v3_host->lock(vd->lock);

	(void)v;
	v3_memcpy(&val, data, len);
	if (len == reg_width(off))
		reg_write(vd, off, val);
	else
		report_once(vd, REPORT_WRITE, "write of an odd width or offset", off);
	v3_host->unlock(vd->lock, flags);
	return 0;
}

int v3_virtio_init(struct v3_virtio *vd, struct v3_vm *vm,
		   const struct v3_virtio_desc *desc, void *priv)
{
	uint32_t size = 32;
	struct v3_pci_dev_desc pci = {
		.name = desc->name,
		.vendor = VIRTIO_VENDOR,
		.device = desc->pci_device,
		.subsys_vendor = VIRTIO_VENDOR,
		.subsys_id = desc->type,
		.class_code = desc->class_code,
		.int_pin = 1,
		.priv = vd,
	};

	while (size < REG_CONFIG + desc->config_len)
		size *= 2;
	pci.bars[0] = (struct v3_pci_bar_desc){ V3_PCI_BAR_IO, size, bar_read,
						bar_write };
	vd->vm = vm;
	vd->desc = *desc;
	vd->priv = priv;
	vd->lock = v3_host->lock_create(desc->name, V3_LOCK_DEVICE);
	if (!vd->lock)
		return -V3_ENOMEM;
	vd->pci = v3_pci_register(vm, &pci);
	if (!vd->pci) {
		v3_host->lock_free(vd->lock);
		return -V3_ENODEV;
	}
	return 0;
}

void v3_virtio_exit(struct v3_virtio *vd)
{
	v3_pci_unregister(vd->pci);
	v3_host->lock_free(vd->lock);
}
