// SPDX-License-Identifier: GPL-2.0
/*
 * The far end of virtio-net's cable: a host at 10.0.2.2, MAC
 * 52:54:00:00:00:02, living inside the VMM so a guest's network stack
 * can be tested without a host network (devices_pci.h has the contract).
 *
 * It answers exactly two things, enough for `ping 10.0.2.2`: ARP
 * requests for its address (RFC 826) and ICMP echo requests to it (RFC
 * 792) in unfragmented IPv4 datagrams with valid checksums. Replies are
 * built in the peer's own buffer, never larger than the request, with
 * checksums computed per RFC 1071, and handed to send() at once.
 * Everything else (IPv6, broadcasts it need not answer, frames for other
 * hosts, malformed packets) is counted as ignored.
 */
#include <palacios/devices_pci.h>
#include <palacios/vmm.h>

#define ETH_HDR		14
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ARP_BYTES	28
#define IP_HDR		20
#define IP_PROTO_ICMP	1
#define ICMP_ECHO_REPLY	0
#define ICMP_ECHO	8

static const uint8_t peer_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
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

/* The Internet checksum: a packet with a correct one sums to zero. */
static uint16_t inet_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static void eth_reply(uint8_t *out, const uint8_t *req, uint16_t type)
{
	v3_memcpy(out, req + 6, 6);
	v3_memcpy(out + 6, peer_mac, 6);
	put16(out + 12, type);
}

static bool arp_reply(struct v3_net_peer *p, const uint8_t *f, size_t len)
{
	const uint8_t *a = f + ETH_HDR;
	uint8_t *r = p->buf + ETH_HDR;

	/* Ethernet and IPv4, a request, for our address. */
	if (len < ETH_HDR + ARP_BYTES || get16(a) != 1 ||
	    get16(a + 2) != ETH_P_IP || a[4] != 6 || a[5] != 4 ||
	    get16(a + 6) != 1 || get32(a + 24) != V3_NET_PEER_IP)
		return false;
	eth_reply(p->buf, f, ETH_P_ARP);
	v3_memcpy(r, a, 6);			/* hardware and protocol */
	put16(r + 6, 2);			/* reply */
	v3_memcpy(r + 8, peer_mac, 6);
	put32(r + 14, V3_NET_PEER_IP);
	v3_memcpy(r + 18, a + 8, 10);		/* to the asker */
	p->stats.arp_replies++;
	p->send(p->ctx, p->buf, ETH_HDR + ARP_BYTES);
	return true;
}

static bool echo_reply(struct v3_net_peer *p, const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETH_HDR, *icmp;
	uint8_t *rip = p->buf + ETH_HDR, *ricmp = rip + IP_HDR;
	size_t ihl, total, n;

	if (len < ETH_HDR + IP_HDR || ip[0] >> 4 != 4)
		return false;
	ihl = (ip[0] & 0xf) * 4;
	total = get16(ip + 2);
	if (ihl < IP_HDR || total < ihl + 8 || total > len - ETH_HDR ||
	    inet_csum(ip, ihl) || (get16(ip + 6) & 0x3fff) ||
	    ip[9] != IP_PROTO_ICMP || get32(ip + 16) != V3_NET_PEER_IP)
		return false;
	icmp = ip + ihl;
	n = total - ihl;
	if (icmp[0] != ICMP_ECHO || icmp[1] || inet_csum(icmp, n))
		return false;
	/* A plain header (options dropped), the echo's data unchanged. */
	eth_reply(p->buf, f, ETH_P_IP);
	v3_memset(rip, 0, IP_HDR);
	rip[0] = 0x45;
	put16(rip + 2, IP_HDR + n);
	put16(rip + 4, p->ip_id++);
	rip[8] = 64;				/* TTL */
	rip[9] = IP_PROTO_ICMP;
	put32(rip + 12, V3_NET_PEER_IP);
	v3_memcpy(rip + 16, ip + 12, 4);
	put16(rip + 10, inet_csum(rip, IP_HDR));
	v3_memcpy(ricmp, icmp, n);
	ricmp[0] = ICMP_ECHO_REPLY;
	put16(ricmp + 2, 0);
	put16(ricmp + 2, inet_csum(ricmp, n));
	p->stats.echo_replies++;
	p->send(p->ctx, p->buf, ETH_HDR + IP_HDR + n);
	return true;
}

void v3_net_peer_receive(struct v3_net_peer *p, const uint8_t *frame,
			 size_t len)
{
	bool answered = false;

	p->stats.rx_frames++;
	if (len >= ETH_HDR && len <= V3_NET_FRAME_MAX) {
		bool to_us = !v3_memcmp(frame, peer_mac, 6);
		bool bcast = !v3_memcmp(frame, broadcast, 6);

		if (get16(frame + 12) == ETH_P_ARP && (to_us || bcast))
			answered = arp_reply(p, frame, len);
		else if (get16(frame + 12) == ETH_P_IP && to_us)
			answered = echo_reply(p, frame, len);
	}
	if (answered)
		p->stats.tx_frames++;
	else
		p->stats.ignored++;
}
