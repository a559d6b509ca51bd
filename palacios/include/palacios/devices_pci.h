/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's serial port and the PCI devices: a 16550A UART at COM1, the
 * PCI bus (its API for devices is pci.h) and legacy virtio block and
 * network devices on it. The bus must be created before the virtio
 * devices, which plug into it.
 */
#ifndef PALACIOS_DEVICES_PCI_H
#define PALACIOS_DEVICES_PCI_H

#include <stddef.h>
#include <stdint.h>

#include <palacios/device.h>

extern const struct v3_device_type v3_dev_uart;		/* "uart" */
extern const struct v3_device_type v3_dev_pci;		/* "pci" */
extern const struct v3_device_type v3_dev_virtio_blk;	/* "virtio-blk" */
extern const struct v3_device_type v3_dev_virtio_net;	/* "virtio-net" */

/*
 * Bytes the UART receives from the host side of the line; uart is the
 * instance (its create()'s *priv). They wait in a 4 KiB queue until the
 * receive FIFO has room; what does not fit in the queue is dropped. Any
 * thread.
 */
void v3_uart_input(void *uart, const char *buf, size_t len);

/*
 * virtio-net's peer: a host inside the VMM at 10.0.2.2, MAC
 * 52:54:00:00:00:02, that answers ARP requests for its address and ICMP
 * echo requests to it (devices/net_peer.c). The network device hands it
 * every frame the guest sends; it answers through send(), synchronously
 * (so under whatever lock the caller holds). Not thread-safe by itself.
 */
struct v3_net_peer_stats {
	uint64_t rx_frames;	/* from the guest */
	uint64_t tx_frames;	/* answers sent to the guest */
	uint64_t arp_replies, echo_replies;
	uint64_t ignored;	/* frames not for the peer, or malformed */
};

#define V3_NET_PEER_IP		0x0a000202u	/* 10.0.2.2 */
#define V3_NET_FRAME_MAX	1514	/* Ethernet, no FCS or VLAN tag */

struct v3_net_peer {
	/* Set by the owner: where answers go. */
	void (*send)(void *ctx, const uint8_t *frame, size_t len);
	void *ctx;
	struct v3_net_peer_stats stats;
	uint16_t ip_id;
	uint8_t buf[V3_NET_FRAME_MAX];	/* the answer being built */
};

void v3_net_peer_receive(struct v3_net_peer *p, const uint8_t *frame,
			 size_t len);

/* The counters of a virtio-net instance and of its peer. */
struct v3_virtio_net_stats {
	uint64_t tx_frames, rx_frames;	/* as the guest sees them */
	uint64_t tx_dropped;		/* malformed or oversized frames */
	uint64_t rx_dropped;		/* no RX buffer and the backlog full */
	uint64_t rx_backlog;		/* frames waiting for an RX buffer */
	struct v3_net_peer_stats peer;
};

void v3_virtio_net_stats(void *net, struct v3_virtio_net_stats *st);

#endif
