// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net end to end with its peer, the test playing the guest's
 * driver and IP stack: the PCI identity and configuration, ARP for
 * 10.0.2.2 and a ping with checksums checked on the reply, the backlog
 * while no receive buffer is posted, frames the peer must ignore, bad
 * descriptors, and garbage for the device and for the peer alone.
 */
#include "virtio_driver.h"

#include <palacios/devices_pci.h>
#include <stdlib.h>

#define RX 0
#define TX 1
#define RXBUF_GPA	0x300000u	/* buffer i at + 0x1000 * i */
#define TXBUF_GPA	0x400000u
#define IRQ		10
#define GUEST_IP	0x0a00020fu	/* 10.0.2.15 */

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t peer_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t peer_ip[4] = { 10, 0, 2, 2 };
static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };

struct rig {
	struct v3_vm *vm;
	void *net;
	struct lines lines;
	struct vdrv drv;
};

static void rig_up(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	r->vm = fx_vm_create(1);
	assert_int_equal(v3_register_irq_router(r->vm, &lines_router, &r->lines), 0);
	fx_device(r->vm, &v3_dev_pci);
	r->net = fx_device(r->vm, &v3_dev_virtio_net);
	vdrv_init(&r->drv, r->vm, 1, (1u << 5) | (1u << 16), 2);
}

static void stats(struct rig *r, struct v3_virtio_net_stats *st)
{
	v3_virtio_net_stats(r->net, st);
}

/* Post receive buffers first..first+n-1: a header and a data descriptor. */
static void post_rx(struct rig *r, unsigned first, unsigned n, uint32_t size)
{
	for (unsigned i = first; i < first + n; i++) {
		uint32_t gpa = RXBUF_GPA + 0x1000 * i;

		vdrv_desc(&r->drv, RX, 2 * i, gpa, 10, VD_WRITE | VD_NEXT, 2 * i + 1);
		vdrv_desc(&r->drv, RX, 2 * i + 1, gpa + 10, size, VD_WRITE, 0);
		vdrv_post(&r->drv, RX, 2 * i);
	}
	vdrv_notify(&r->drv, RX);
}

/* Send a frame: a zero header then the frame, in two descriptors. */
static void send_frame(struct rig *r, const uint8_t *f, uint32_t len)
{
	uint32_t id, ulen;

	memset(guest(r->vm, TXBUF_GPA, 10), 0, 10);
	memcpy(guest(r->vm, TXBUF_GPA + 0x100, len), f, len);
	vdrv_desc(&r->drv, TX, 0, TXBUF_GPA, 10, VD_NEXT, 1);
	vdrv_desc(&r->drv, TX, 1, TXBUF_GPA + 0x100, len, 0, 0);
	vdrv_post(&r->drv, TX, 0);
	vdrv_notify(&r->drv, TX);
	assert_true(vdrv_used(&r->drv, TX, &id, &ulen));
	assert_int_equal(id, 0);
	assert_int_equal(ulen, 0);
}

/* The next received frame (after its zero header), or NULL. */
static const uint8_t *recv_frame(struct rig *r, uint32_t *len)
{
	uint32_t id, ulen;
	const uint8_t *buf;
	static const uint8_t zero[10];

	if (!vdrv_used(&r->drv, RX, &id, &ulen))
		return NULL;
	assert_int_equal(id % 2, 0);
	buf = guest(r->vm, RXBUF_GPA + 0x1000 * (id / 2), 0x1000);
	if (ulen) {
		assert_true(ulen >= 10);
		assert_memory_equal(buf, zero, 10);
	}
	*len = ulen ? ulen - 10 : 0;
	return buf + 10;
}

static uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* RFC 1071, written out again so the test does not trust the peer's. */
static uint16_t csum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += i & 1 ? p[i] : p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static size_t make_arp(uint8_t *f, const uint8_t *dst, uint32_t target)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, guest_mac, 6);
	put16(f + 12, 0x0806);
	put16(f + 14, 1);
	put16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, 1);
	memcpy(f + 22, guest_mac, 6);
	put32(f + 28, GUEST_IP);
	memset(f + 32, 0, 6);
	put32(f + 38, target);
	return 42;
}

/* An echo request with `data` bytes of payload, as ping sends. */
static size_t make_ping(uint8_t *f, uint32_t dst, uint16_t seq, size_t data)
{
	uint8_t *ip = f + 14, *icmp = ip + 20;

	memcpy(f, peer_mac, 6);
	memcpy(f + 6, guest_mac, 6);
	put16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + data);
	put16(ip + 4, 0x1234);
	put16(ip + 6, 0x4000);			/* DF, as Linux sets */
	ip[8] = 64;
	ip[9] = 1;
	put32(ip + 12, GUEST_IP);
	put32(ip + 16, dst);
	put16(ip + 10, csum(ip, 20));
	icmp[0] = 8;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, 0x77);
	put16(icmp + 6, seq);
	for (size_t i = 0; i < data; i++)
		icmp[8 + i] = i;
	put16(icmp + 2, csum(icmp, 8 + data));
	return 14 + 20 + 8 + data;
}

static void test_probe(void **state)
{
	struct rig r;
	uint8_t mac[6];

	(void)state;
	rig_up(&r);
	assert_int_equal(pci_cfg(r.vm, 1, 0), 0x10001af4);
	assert_int_equal(pci_cfg(r.vm, 1, 0x2c), 0x00011af4);
	assert_int_equal(pci_cfg(r.vm, 1, 8) >> 8, 0x020000);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_FEATURES, 4), (1u << 5) | (1u << 16));
	for (unsigned i = 0; i < 6; i++)
		mac[i] = fx_in(r.vm, r.drv.io + VR_CONFIG + i, 1);
	assert_memory_equal(mac, guest_mac, 6);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_CONFIG + 6, 2), 1);
	fx_out(r.vm, r.drv.io + VR_SEL, 1, 2);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_NUM, 2), 128);
	fx_out(r.vm, r.drv.io + VR_SEL, 2, 2);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_NUM, 2), 0);
	/* The MAC is read-only. */
	log_reset();
	fx_out(r.vm, r.drv.io + VR_CONFIG, 0, 1);
	assert_true(log_contains("read-only"));
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_CONFIG, 1), 0x52);
	fx_vm_free(r.vm);
}

static void test_arp_and_ping(void **state)
{
	struct rig r;
	struct v3_virtio_net_stats st;
	uint8_t f[1514];
	const uint8_t *rep, *ip, *icmp;
	uint32_t len;

	(void)state;
	rig_up(&r);
	post_rx(&r, 0, 8, 1526);
	assert_false(r.lines.level[IRQ]);

	/* Who has 10.0.2.2? */
	send_frame(&r, f, make_arp(f, (const uint8_t[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
				   0x0a000202));
	assert_true(r.lines.level[IRQ]);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_ISR, 1), 1);
	assert_false(r.lines.level[IRQ]);
	rep = recv_frame(&r, &len);
	assert_non_null(rep);
	assert_int_equal(len, 42);
	assert_memory_equal(rep, guest_mac, 6);
	assert_memory_equal(rep + 6, peer_mac, 6);
	assert_int_equal(get16(rep + 12), 0x0806);
	assert_int_equal(get16(rep + 14), 1);
	assert_int_equal(get16(rep + 16), 0x0800);
	assert_int_equal(get16(rep + 20), 2);			/* reply */
	assert_memory_equal(rep + 22, peer_mac, 6);
	assert_memory_equal(rep + 28, peer_ip, 4);
	assert_memory_equal(rep + 32, guest_mac, 6);
	assert_memory_equal(rep + 38, guest_ip, 4);
	assert_null(recv_frame(&r, &len));

	/* ping -c 3 -s 56 10.0.2.2, and one of 1472 bytes (MTU-sized). */
	for (uint16_t seq = 1; seq <= 4; seq++) {
		size_t data = seq == 4 ? 1472 : 56;
		size_t n = make_ping(f, 0x0a000202, seq, data);

		send_frame(&r, f, n);
		rep = recv_frame(&r, &len);
		assert_non_null(rep);
		assert_int_equal(len, n);
		assert_memory_equal(rep, guest_mac, 6);
		assert_memory_equal(rep + 6, peer_mac, 6);
		assert_int_equal(get16(rep + 12), 0x0800);
		ip = rep + 14;
		icmp = ip + 20;
		assert_int_equal(ip[0], 0x45);
		assert_int_equal(get16(ip + 2), 28 + data);
		assert_int_equal(ip[9], 1);
		assert_true(ip[8] > 0);
		assert_int_equal(get16(ip + 6) & 0x3fff, 0);
		assert_int_equal(csum(ip, 20), 0);
		assert_memory_equal(ip + 12, peer_ip, 4);
		assert_memory_equal(ip + 16, guest_ip, 4);
		assert_int_equal(icmp[0], 0);
		assert_int_equal(icmp[1], 0);
		assert_int_equal(csum(icmp, 8 + data), 0);
		assert_int_equal(get16(icmp + 4), 0x77);
		assert_int_equal(get16(icmp + 6), seq);
		assert_memory_equal(icmp + 8, f + 42, data);
		fx_in(r.vm, r.drv.io + VR_ISR, 1);
	}
	stats(&r, &st);
	assert_int_equal(st.tx_frames, 5);
	assert_int_equal(st.rx_frames, 5);
	assert_int_equal(st.peer.rx_frames, 5);
	assert_int_equal(st.peer.tx_frames, 5);
	assert_int_equal(st.peer.arp_replies, 1);
	assert_int_equal(st.peer.echo_replies, 4);
	assert_int_equal(st.tx_dropped + st.rx_dropped + st.peer.ignored, 0);
	fx_vm_free(r.vm);
}

static void test_backlog(void **state)
{
	struct rig r;
	struct v3_virtio_net_stats st;
	uint8_t f[100];
	uint32_t len;
	unsigned n;

	(void)state;
	rig_up(&r);
	/* No receive buffers: 16 answers wait, the rest are dropped. */
	for (unsigned i = 0; i < 20; i++)
		send_frame(&r, f, make_ping(f, 0x0a000202, i, 16));
	stats(&r, &st);
	assert_int_equal(st.rx_backlog, 16);
	assert_int_equal(st.rx_dropped, 4);
	assert_int_equal(st.peer.echo_replies, 20);
	/* Buffers posted: the backlog drains in order, up to the buffers. */
	post_rx(&r, 0, 10, 1526);
	assert_true(r.lines.level[IRQ]);
	for (n = 0; recv_frame(&r, &len); n++)
		assert_int_equal(get16(guest(r.vm, RXBUF_GPA + 0x1000 * n, 0x100) +
				       10 + 14 + 20 + 6), n);
	assert_int_equal(n, 10);
	post_rx(&r, 10, 6, 1526);
	for (n = 0; recv_frame(&r, &len); n++)
		;
	assert_int_equal(n, 6);
	stats(&r, &st);
	assert_int_equal(st.rx_backlog, 0);
	assert_int_equal(st.rx_frames, 16);
	/* A buffer too small for the frame comes back empty; frame dropped. */
	post_rx(&r, 20, 1, 20);
	send_frame(&r, f, make_ping(f, 0x0a000202, 99, 16));
	assert_non_null(recv_frame(&r, &len));
	assert_int_equal(len, 0);
	/* A buffer outside RAM, likewise. */
	vdrv_desc(&r.drv, RX, 0, 0x7fff0000, 10, VD_WRITE | VD_NEXT, 1);
	vdrv_post(&r.drv, RX, 0);
	send_frame(&r, f, make_ping(f, 0x0a000202, 100, 16));
	assert_non_null(recv_frame(&r, &len));
	assert_int_equal(len, 0);
	stats(&r, &st);
	assert_int_equal(st.rx_dropped, 6);
	/* A reset forgets the backlog. */
	send_frame(&r, f, make_ping(f, 0x0a000202, 101, 16));
	stats(&r, &st);
	assert_int_equal(st.rx_backlog, 1);
	vdrv_init(&r.drv, r.vm, 1, 0, 2);
	stats(&r, &st);
	assert_int_equal(st.rx_backlog, 0);
	fx_vm_free(r.vm);
}

static void test_ignored_and_bad(void **state)
{
	struct rig r;
	struct v3_virtio_net_stats st;
	uint8_t f[1600];
	uint32_t len, id;
	size_t n;

	(void)state;
	rig_up(&r);
	post_rx(&r, 0, 16, 1526);
	/* ARP for someone else; an ARP reply; not to us. */
	send_frame(&r, f, make_arp(f, peer_mac, 0x0a000203));
	make_arp(f, peer_mac, 0x0a000202);
	put16(f + 20, 2);
	send_frame(&r, f, 42);
	n = make_ping(f, 0x0a000202, 1, 8);
	f[0] = 0x33;
	send_frame(&r, f, n);
	/* Pings: to another address, bad IP or ICMP checksum, fragment, v6. */
	send_frame(&r, f, make_ping(f, 0x0a000203, 1, 8));
	n = make_ping(f, 0x0a000202, 1, 8);
	f[14 + 10] ^= 1;
	send_frame(&r, f, n);
	n = make_ping(f, 0x0a000202, 1, 8);
	f[14 + 20 + 8] ^= 1;
	send_frame(&r, f, n);
	n = make_ping(f, 0x0a000202, 1, 8);
	put16(f + 14 + 6, 0x2000);		/* MF */
	put16(f + 14 + 10, 0);
	put16(f + 14 + 10, csum(f + 14, 20));
	send_frame(&r, f, n);
	n = make_ping(f, 0x0a000202, 1, 8);
	put16(f + 14 + 2, 200);			/* longer than the frame */
	put16(f + 14 + 10, 0);
	put16(f + 14 + 10, csum(f + 14, 20));
	send_frame(&r, f, n);
	n = make_ping(f, 0x0a000202, 1, 8);
	put16(f + 12, 0x86dd);
	send_frame(&r, f, n);
	assert_null(recv_frame(&r, &len));
	stats(&r, &st);
	assert_int_equal(st.peer.rx_frames, 9);
	assert_int_equal(st.peer.ignored, 9);
	assert_int_equal(st.peer.tx_frames, 0);

	/* A runt, an oversized frame, a buffer outside RAM: dropped. */
	send_frame(&r, f, 13);
	memset(f, 0, sizeof(f));
	send_frame(&r, f, 1515);
	vdrv_desc(&r.drv, TX, 0, TXBUF_GPA, 10, VD_NEXT, 1);
	vdrv_desc(&r.drv, TX, 1, 0xfffffffff000ull, 100, 0, 0);
	vdrv_post(&r.drv, TX, 0);
	vdrv_notify(&r.drv, TX);
	assert_true(vdrv_used(&r.drv, TX, &id, &len));
	stats(&r, &st);
	assert_int_equal(st.tx_dropped, 3);
	assert_int_equal(st.peer.rx_frames, 9);
	/* The peer still answers. */
	send_frame(&r, f, make_ping(f, 0x0a000202, 2, 8));
	assert_non_null(recv_frame(&r, &len));
	assert_int_equal(vdrv_status(&r.drv), 7);
	fx_vm_free(r.vm);
}

static size_t answered_len;

static void peer_send(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx, (void)frame;
	answered_len = len;
}

/* Random registers, rings and frames; then the peer alone, fuzzed. */
static void test_garbage(void **state)
{
	struct rig r;
	struct v3_net_peer *peer = calloc(1, sizeof(*peer));
	static const unsigned sizes[] = { 1, 2, 4 };
	uint8_t f[1514];
	uint32_t len;

	(void)state;
	rig_up(&r);
	srand(0x4e7);
	for (unsigned i = 0; i < 20000; i++) {
		unsigned off = rand() % 32, size = sizes[rand() % 3];
		uint32_t val = (uint32_t)rand() << 8 ^ (uint32_t)rand();

		switch (rand() % 7) {
		case 0:
			fx_out(r.vm, r.drv.io + off, val, size);
			break;
		case 1:
			fx_in(r.vm, r.drv.io + off, size);
			break;
		case 2:
			fx_out(r.vm, r.drv.io + VR_SEL, rand() % 3, 2);
			fx_out(r.vm, r.drv.io + VR_PFN,
			       rand() % 8 ? 0x100u + rand() % 8 : val, 4);
			break;
		case 3:
			for (unsigned j = 0; j < 64; j++)
				guest(r.vm, 0x100000 + rand() % 0x8000, 1)[0] = rand();
			break;
		case 4:
			vdrv_notify(&r.drv, rand() % 2);
			break;
		case 5:	/* a random frame through a sane ring */
			vdrv_init(&r.drv, r.vm, 1, 0, 2);
			post_rx(&r, 0, 2, 1526);
			make_ping(f, 0x0a000202, i, 64);
			for (unsigned j = 0; j < 8; j++)
				f[rand() % 106] = rand();
			send_frame(&r, f, rand() % 2 ? 106 : rand() % 1514);
			while (recv_frame(&r, &len))
				;
			break;
		default:
			fx_out(r.vm, r.drv.io + VR_STATUS, rand() % 4 ? 7 : 0, 1);
			break;
		}
	}
	vdrv_init(&r.drv, r.vm, 1, 0, 2);
	post_rx(&r, 0, 1, 1526);
	send_frame(&r, f, make_ping(f, 0x0a000202, 7, 8));
	assert_non_null(recv_frame(&r, &len));
	assert_int_equal(len, 14 + 28 + 8);
	fx_vm_free(r.vm);

	/* The peer by itself: random frames, some close to valid. */
	peer->send = peer_send;
	for (unsigned i = 0; i < 100000; i++) {
		size_t n = rand() % 3 ? make_ping(f, 0x0a000202, i, rand() % 64) :
			   make_arp(f, peer_mac, 0x0a000202);

		for (unsigned j = rand() % 4; j; j--)
			f[rand() % n] = rand();
		if (rand() % 4 == 0)
			n = rand() % (sizeof(f) + 1);
		answered_len = 0;
		v3_net_peer_receive(peer, f, n);
		assert_true(answered_len <= n);
	}
	assert_int_equal(peer->stats.rx_frames, 100000);
	assert_int_equal(peer->stats.tx_frames + peer->stats.ignored, 100000);
	assert_true(peer->stats.echo_replies > 1000);
	assert_true(peer->stats.arp_replies > 1000);
	free(peer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_arp_and_ping),
		cmocka_unit_test(test_backlog),
		cmocka_unit_test(test_ignored_and_bad),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
