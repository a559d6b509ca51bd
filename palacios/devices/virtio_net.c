// SPDX-License-Identifier: GPL-2.0
/*
 * A legacy virtio network device (virtio 0.9.5 appendix C; PCI
 * 1AF4:1000, the transitional id) with MAC 52:54:00:12:34:56, cabled to
 * the test peer inside the VMM (devices/net_peer.c) rather than to a
 * host network.
 *
 * Queue 0 receives, queue 1 transmits; both have 128 entries. Every
 * packet carries the legacy 10-byte struct virtio_net_hdr first; with no
 * offloads offered it is all zeros on receive and ignored on transmit.
 * A transmit notify hands each frame to the peer, whose answers come
 * back at once, under the same lock, into the receive queue. Answers
 * wait in a backlog of 16 frames while the driver has no receive buffer
 * posted, and go out when it posts some (its notify of queue 0); when
 * the backlog is full, frames are dropped and counted. Buffers too small
 * for a frame, or outside RAM, are returned empty and the frame dropped.
 *
 * Offered features: MAC and STATUS (the link is always up). Omitted:
 * checksum and segmentation offloads, mergeable receive buffers, the
 * control queue (so no filtering or MAC changes: the MAC is read-only),
 * and any traffic beyond the peer.
 */
#include <palacios/devices_pci.h>
#include <palacios/virtio.h>
#include <palacios/vmm.h>

#define NET_F_MAC		(1u << 5)
#define NET_F_STATUS		(1u << 16)
#define NET_S_LINK_UP		1

#define NET_HDR_BYTES		10
#define NET_BACKLOG		16
#define NET_RX			0
#define NET_TX			1
#define NET_MIN_FRAME		14

struct net_frame {
	uint16_t len;
	uint8_t data[V3_NET_FRAME_MAX];
};

struct net {
	struct v3_virtio vd;
	uint8_t config[8];		/* MAC, then the link status */
	struct v3_net_peer peer;
	uint64_t tx_frames, rx_frames, tx_dropped, rx_dropped;
	struct net_frame backlog[NET_BACKLOG];
	unsigned bl_head, bl_count;
	uint8_t tx_frame[V3_NET_FRAME_MAX];
	struct v3_virtq_req tx_req, rx_req;	/* under vd.lock */
};

/* Put waiting frames into posted receive buffers while both last. */
static void rx_flush(struct net *n)
{
	unsigned done = 0;

	while (n->bl_count && v3_virtq_pop(&n->vd, NET_RX, &n->rx_req) > 0) {
		const struct net_frame *f = &n->backlog[n->bl_head];
		static const uint8_t hdr[NET_HDR_BYTES];
		uint32_t written = 0;

		const struct v3_virtq_req *r = &n->rx_req;

		if (!r->bad && r->in_len >= NET_HDR_BYTES + (uint64_t)f->len) {
			v3_virtq_write(r, 0, hdr, NET_HDR_BYTES);
			v3_virtq_write(r, NET_HDR_BYTES, f->data, f->len);
			written = NET_HDR_BYTES + f->len;
			n->rx_frames++;
		} else {
			n->rx_dropped++;
		}
		v3_virtq_push(&n->vd, NET_RX, &n->rx_req, written);
		n->bl_head = (n->bl_head + 1) % NET_BACKLOG;
		n->bl_count--;
		done++;
	}
	if (done)
		v3_virtq_kick(&n->vd, NET_RX);
}

/* The peer's answer: queue it and deliver what can be delivered. */
static void net_from_peer(void *ctx, const uint8_t *frame, size_t len)
{
	struct net *n = ctx;
	struct net_frame *f;

	if (n->bl_count == NET_BACKLOG || len > V3_NET_FRAME_MAX) {
		n->rx_dropped++;
		return;
	}
	f = &n->backlog[(n->bl_head + n->bl_count++) % NET_BACKLOG];
	f->len = len;
	v3_memcpy(f->data, frame, len);
	rx_flush(n);
}

static void tx_drain(struct net *n)
{
	struct v3_virtq_req *r = &n->tx_req;
	unsigned done = 0;

	while (v3_virtq_pop(&n->vd, NET_TX, r) > 0) {
		uint64_t len = r->out_len - NET_HDR_BYTES;

		if (r->bad || r->out_len < NET_HDR_BYTES + NET_MIN_FRAME ||
		    len > V3_NET_FRAME_MAX) {
			n->tx_dropped++;
		} else {
			v3_virtq_read(r, NET_HDR_BYTES, n->tx_frame, len);
			n->tx_frames++;
			v3_net_peer_receive(&n->peer, n->tx_frame, len);
		}
		v3_virtq_push(&n->vd, NET_TX, r, 0);
		done++;
	}
	if (done)
		v3_virtq_kick(&n->vd, NET_TX);
}

static void net_notify(struct v3_virtio *vd, unsigned q)
{
	struct net *n = vd->priv;

	if (q == NET_TX)
		tx_drain(n);
	else
		rx_flush(n);
}

static void net_reset(struct v3_virtio *vd)
{
	struct net *n = vd->priv;

	n->bl_head = n->bl_count = 0;
}

static const struct v3_virtio_ops net_ops = {
	.notify = net_notify,
	.reset = net_reset,
};

void v3_virtio_net_stats(void *net, struct v3_virtio_net_stats *st)
{
	struct net *n = net;
	unsigned long flags = v3_host->lock(n->vd.lock);

	*st = (struct v3_virtio_net_stats){
		.tx_frames = n->tx_frames,
		.rx_frames = n->rx_frames,
		.tx_dropped = n->tx_dropped,
		.rx_dropped = n->rx_dropped,
		.rx_backlog = n->bl_count,
		.peer = n->peer.stats,
	};
	v3_host->unlock(n->vd.lock, flags);
}

static void net_free(void *priv)
{
	struct net *n = priv;

	v3_virtio_exit(&n->vd);
	v3_free(n);
}

static int net_create(struct v3_vm *vm, void **priv)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct net *n = v3_zalloc(sizeof(*n));
	struct v3_virtio_desc desc = {
		.name = "virtio-net",
		.pci_device = 0x1000,
		.type = 1,
		.class_code = 0x020000,		/* Ethernet controller */
		.features = NET_F_MAC | NET_F_STATUS,
		.nr_queues = 2,
		.config_len = sizeof(n->config),
		.ops = &net_ops,
	};
	int ret;

	if (!n)
		return -V3_ENOMEM;
	v3_memcpy(n->config, mac, sizeof(mac));
	n->config[6] = NET_S_LINK_UP;
	n->peer.send = net_from_peer;
	n->peer.ctx = n;
	desc.config = n->config;
	ret = v3_virtio_init(&n->vd, vm, &desc, n);
	if (ret) {
		v3_free(n);
		return ret;
	}
	*priv = n;
	return 0;
}

const struct v3_device_type v3_dev_virtio_net = {
	.name = "virtio-net",
	.create = net_create,
	.free = net_free,
};
