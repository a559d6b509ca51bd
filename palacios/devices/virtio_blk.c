// SPDX-License-Identifier: GPL-2.0
/*
 * A legacy virtio block device (virtio 0.9.5 appendix D; PCI 1AF4:1001,
 * the transitional id) over the VM's disk image, vm->disk: reads and
 * writes go straight to that memory, so writes last as long as the VM.
 * Without a disk there is no device (create returns -ENODEV).
 *
 * One queue of 128 entries; each request is handled synchronously in the
 * notify's I/O exit, then the used ring moves and INTx is raised. A
 * request is a 16-byte header (type, priority, sector) in the readable
 * bytes, data, and a status byte as the last writable byte; the device
 * reads the chain as two byte streams, so any split into descriptors
 * works. Supported: IN, OUT, FLUSH (nothing to flush: the disk is
 * memory) and GET_ID. Offered features: SEG_MAX (126: the queue less the
 * header and status), BLK_SIZE (512) and FLUSH.
 *
 * A request with a bad buffer, a range past the end of the disk, or no
 * room for its header or status gets VIRTIO_BLK_S_IOERR (if its status
 * byte is usable at all); unknown types get VIRTIO_BLK_S_UNSUPP, the
 * first reported once. Omitted: read-only disks, geometry, topology,
 * discard and write zeroes, the legacy SCSI commands, and indirect
 * descriptors (not offered).
 */
#include <palacios/devices_pci.h>
#include <palacios/virtio.h>
#include <palacios/vmm.h>

#define BLK_F_SEG_MAX		(1u << 2)
#define BLK_F_BLK_SIZE		(1u << 6)
#define BLK_F_FLUSH		(1u << 9)

#define BLK_T_IN		0
#define BLK_T_OUT		1
#define BLK_T_FLUSH		4
#define BLK_T_GET_ID		8

#define BLK_S_OK		0
#define BLK_S_IOERR		1
#define BLK_S_UNSUPP		2

#define BLK_SECTOR		512
#define BLK_ID_BYTES		20
#define BLK_HDR_BYTES		16

/* struct virtio_blk_config as the legacy interface lays it out. */
#define CFG_CAPACITY		0
#define CFG_SEG_MAX		12
#define CFG_BLK_SIZE		20
#define CFG_BYTES		24

struct blk_hdr {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;
};

struct blk {
	struct v3_virtio vd;
	uint8_t *disk;
	uint64_t disk_size;
	uint8_t config[CFG_BYTES];
	char id[BLK_ID_BYTES];
	bool reported_type;
	struct v3_virtq_req req;	/* the request in hand, under vd.lock */
};

/* Is [sector, + len bytes) on the disk? Without overflow for any sector. */
static bool blk_range(const struct blk *b, uint64_t sector, uint64_t len,
		      uint8_t **p)
{
	if (sector > b->disk_size / BLK_SECTOR ||
	    len > b->disk_size - sector * BLK_SECTOR || len % BLK_SECTOR)
		return false;
	*p = b->disk + sector * BLK_SECTOR;
	return true;
}

/* Carry out one request: its status, and data bytes written into it. */
static uint8_t blk_request(struct blk *b, const struct v3_virtq_req *r,
			   uint32_t *written)
{
	uint64_t data_in = r->in_len ? r->in_len - 1 : 0;
	struct blk_hdr h;
	uint8_t *p;

	*written = 0;
	if (r->bad || !r->in_len ||
	    v3_virtq_read(r, 0, &h, sizeof(h)) != sizeof(h))
		return BLK_S_IOERR;
	switch (h.type) {
	case BLK_T_IN:
		if (!blk_range(b, h.sector, data_in, &p))
			return BLK_S_IOERR;
		*written = v3_virtq_write(r, 0, p, data_in);
		return BLK_S_OK;
	case BLK_T_OUT:	/* the header was read, so out_len >= its size */
		if (!blk_range(b, h.sector, r->out_len - BLK_HDR_BYTES, &p))
			return BLK_S_IOERR;
		v3_virtq_read(r, BLK_HDR_BYTES, p, r->out_len - BLK_HDR_BYTES);
		return BLK_S_OK;
	case BLK_T_FLUSH:
		return BLK_S_OK;
	case BLK_T_GET_ID:
		*written = v3_virtq_write(r, 0, b->id, data_in < BLK_ID_BYTES ?
						       data_in : BLK_ID_BYTES);
		return BLK_S_OK;
	default:
		if (!b->reported_type) {
			b->reported_type = true;
			VM_INFO(b->vd.vm, "virtio-blk: request type %u is not supported",
				h.type);
		}
		return BLK_S_UNSUPP;
	}
}

static void blk_notify(struct v3_virtio *vd, unsigned q)
{
	struct blk *b = vd->priv;
	unsigned done = 0;

	while (v3_virtq_pop(vd, q, &b->req) > 0) {
		uint32_t written;
		uint8_t status = blk_request(b, &b->req, &written);

		/* The status is the last writable byte, after the data. */
		if (b->req.in_len &&
		    v3_virtq_write(&b->req, b->req.in_len - 1, &status, 1) == 1)
			written++;
		v3_virtq_push(vd, q, &b->req, written);
		done++;
	}
	if (done)
		v3_virtq_kick(vd, q);
}

static const struct v3_virtio_ops blk_ops = { .notify = blk_notify };

static void blk_free(void *priv)
{
	struct blk *b = priv;

	v3_virtio_exit(&b->vd);
	v3_free(b);
}

static int blk_create(struct v3_vm *vm, void **priv)
{
	struct blk *b;
	uint64_t capacity = vm->disk_size / BLK_SECTOR;
	uint32_t seg_max = V3_VIRTQ_SIZE - 2, blk_size = BLK_SECTOR;
	struct v3_virtio_desc desc = {
		.name = "virtio-blk",
		.pci_device = 0x1001,
		.type = 2,
		.class_code = 0x018000,		/* other mass storage */
		.features = BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH,
		.nr_queues = 1,
		.config_len = CFG_BYTES,
		.ops = &blk_ops,
	};
	int ret;

	if (!vm->disk || !capacity)
		return -V3_ENODEV;
	b = v3_zalloc(sizeof(*b));
	if (!b)
		return -V3_ENOMEM;
	b->disk = vm->disk;
	b->disk_size = vm->disk_size;
	v3_memcpy(b->config + CFG_CAPACITY, &capacity, 8);
	v3_memcpy(b->config + CFG_SEG_MAX, &seg_max, 4);
	v3_memcpy(b->config + CFG_BLK_SIZE, &blk_size, 4);
	v3_snprintf(b->id, sizeof(b->id), "palacios-vm%u", vm->id);
	desc.config = b->config;
	ret = v3_virtio_init(&b->vd, vm, &desc, b);
	if (ret) {
		v3_free(b);
		return ret;
	}
	*priv = b;
	return 0;
}

const struct v3_device_type v3_dev_virtio_blk = {
	.name = "virtio-blk",
	.create = blk_create,
	.free = blk_free,
};
