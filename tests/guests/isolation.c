/* SPDX-License-Identifier: GPL-2.0 */
/*
 * isolation: a guest that points the VMM at memory outside its RAM and
 * checks it is refused; the host checks its own memory is unchanged
 * (vmrun --canary). Which attack runs is the command line's case=:
 *
 *   dma (default)  KTAP: virtio-blk and virtio-net rings and descriptors
 *                  past the end of RAM, at huge addresses and wrapping
 *                  around 2^64; each is refused (NEEDS_RESET, an I/O
 *                  error, a dropped frame) and the devices still work
 *   pte            a page-table entry mapping guest-physical memory past RAM
 *   pde            a page directory entry whose table lies past RAM
 *   cr3            CR3 past RAM
 *   huge_pte       an entry with the top physical address bits set
 *   large_page     a 2 MiB page of which only the first half is RAM (run
 *                  with 17 MiB of RAM): its RAM reads, then past it
 *
 * The page-table cases end the VM (or, where the CPU checks the address
 * itself, take a #PF); if the access completes the guest says
 * "isolation: not stopped" and fails.
 */
#include "guest.h"

#define TEST_VA		0x40000000ul	/* beyond entry64.S's 1 GiB map */
#define RING_BLK	0x800000ul	/* two pages per ring */
#define RING_RX		0x802000ul
#define RING_TX		0x804000ul
#define BUF		0x810000ul	/* request headers, data, status */
#define QSIZE		128

#define S_ACK		1
#define S_DRIVER	2
#define S_DRIVER_OK	4
#define S_NEEDS_RESET	0x40
#define F_NEXT		1
#define F_WRITE		2

struct desc {
	u64 addr;
	u32 len;
	u16 flags, next;
};

struct vq {
	u16 io, q;
	u64 ring;
	u16 avail, used_seen;
};

static u64 ram;		/* the end of RAM */

/* --- PCI and the legacy virtio transport -------------------------------- */

static u32 pci_read(unsigned dev, unsigned reg)
{
	u32 v;

	asm volatile("outl %0, %w1" : : "a"(0x80000000u | dev << 11 | reg), "Nd"(0xcf8));
	asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(0xcfc));
	return v;
}

static void pci_write(unsigned dev, unsigned reg, u32 v)
{
	asm volatile("outl %0, %w1" : : "a"(0x80000000u | dev << 11 | reg), "Nd"(0xcf8));
	asm volatile("outl %0, %w1" : : "a"(v), "Nd"(0xcfc));
}

static void outw(u16 port, u16 v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* The I/O base of the virtio device with this PCI device id, or 0. */
static u16 virtio_find(u16 id)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		if (pci_read(dev, 0) != (0x1af4u | (u32)id << 16))
			continue;
		pci_write(dev, 4, pci_read(dev, 4) | 5);	/* I/O, bus master */
		return pci_read(dev, 0x10) & ~3u;
	}
	return 0;
}

static void virtio_reset(u16 io)
{
	outb(io + 0x12, 0);
	outb(io + 0x12, S_ACK | S_DRIVER);
	outl(io + 0x04, 0);
}

static u8 virtio_status(u16 io)
{
	return inb(io + 0x12);
}

static void vq_set_pfn(u16 io, u16 q, u32 pfn)
{
	outw(io + 0x0e, q);
	outl(io + 0x08, pfn);
}

static void vq_init(struct vq *vq, u16 io, u16 q, u64 ring)
{
	u8 *p = (u8 *)ring;

	for (unsigned i = 0; i < 2 * PAGE_SIZE; i++)
		p[i] = 0;
	*vq = (struct vq){ .io = io, .q = q, .ring = ring };
	vq_set_pfn(io, q, ring >> 12);
	outb(io + 0x12, S_ACK | S_DRIVER | S_DRIVER_OK);
}

static volatile struct desc *vq_desc(struct vq *vq, unsigned i)
{
	return (volatile struct desc *)vq->ring + i;
}

static volatile u16 *vq_used_idx(struct vq *vq)
{
	return (volatile u16 *)(vq->ring + PAGE_SIZE + 2);
}

static u32 vq_used_len(struct vq *vq, u16 idx)
{
	return *(volatile u32 *)(vq->ring + PAGE_SIZE + 4 + 8 * (idx % QSIZE) + 4);
}

/* Post the chain starting at descriptor 0 and notify; true when the
 * device used it (the VMM serves a notify before the OUT returns). */
static bool vq_submit(struct vq *vq, bool notify)
{
	volatile u16 *avail = (volatile u16 *)(vq->ring + 16 * QSIZE);

	avail[2 + vq->avail % QSIZE] = 0;
	asm volatile("" ::: "memory");
	avail[1] = ++vq->avail;
	if (notify)
		outw(vq->io + 0x10, vq->q);
	if (*vq_used_idx(vq) == vq->used_seen)
		return false;
	vq->used_seen++;
	return true;
}

static void set_desc(struct vq *vq, unsigned i, u64 addr, u32 len, u16 flags)
{
	*vq_desc(vq, i) = (struct desc){ addr, len, flags, i + 1 };
}

/* --- virtio-blk ----------------------------------------------------------- */

/* A request of type (0 read, 1 write) for sector with data at addr; the
 * status byte the device wrote, or 0xee if it wrote none. */
static u8 blk_request(struct vq *vq, u32 type, u64 sector, u64 addr, u32 len,
		      u64 status_addr)
{
	u32 *hdr = (u32 *)BUF;
	volatile u8 *status = (volatile u8 *)BUF + 16;

	hdr[0] = type;
	hdr[1] = 0;
	*(u64 *)(hdr + 2) = sector;
	*status = 0xee;
	set_desc(vq, 0, BUF, 16, F_NEXT);
	set_desc(vq, 1, addr, len, F_NEXT | (type ? 0 : F_WRITE));
	set_desc(vq, 2, status_addr ? status_addr : BUF + 16, 1, F_WRITE);
	if (!vq_submit(vq, true))
		return 0xdd;	/* not used at all */
	return *status;
}

/* The test disk: every byte of sector s is s + 1. */
static bool sector_ok(u64 s, const u8 *p)
{
	for (unsigned i = 0; i < 512; i++)
		if (p[i] != (u8)(s + 1))
			return false;
	return true;
}

static void blk_checks(u16 io)
{
	u8 *data = (u8 *)BUF + PAGE_SIZE;
	struct vq vq;

	/* Rings that are not (all) guest RAM. */
	virtio_reset(io);
	vq_set_pfn(io, 0, ram >> 12);
	ktap_check(virtio_status(io) & S_NEEDS_RESET, "blk_ring_past_ram_refused");
	virtio_reset(io);
	vq_set_pfn(io, 0, 0xffffffffu);
	ktap_check(virtio_status(io) & S_NEEDS_RESET, "blk_ring_at_16_tib_refused");
	virtio_reset(io);
	vq_set_pfn(io, 0, (ram >> 12) - 1);
	ktap_check(virtio_status(io) & S_NEEDS_RESET,
		   "blk_ring_across_end_of_ram_refused");

	virtio_reset(io);
	vq_init(&vq, io, 0, RING_BLK);
	ktap_check(blk_request(&vq, 0, 3, (u64)data, 512, 0) == 0 &&
			   sector_ok(3, data),
		   "blk_good_read");
	ktap_check(blk_request(&vq, 0, 3, ram, 512, 0) == 1,
		   "blk_read_into_past_ram_is_io_error");
	ktap_check(blk_request(&vq, 0, 3, ram - 256, 512, 0) == 1,
		   "blk_read_across_end_of_ram_is_io_error");
	ktap_check(blk_request(&vq, 0, 3, 0xfffffffffffff000ull, 512, 0) == 1,
		   "blk_read_into_top_of_address_space_is_io_error");
	ktap_check(blk_request(&vq, 0, 3, 0xffffffffffffff00ull, 512, 0) == 1,
		   "blk_read_wrapping_around_zero_is_io_error");
	ktap_check(blk_request(&vq, 0, 0, 0x200000, 0xfffffe00u, 0) == 1,
		   "blk_read_of_4_gib_is_io_error");
	ktap_check(blk_request(&vq, 1, 4, ram, 512, 0) == 1,
		   "blk_write_from_past_ram_is_io_error");
	ktap_check(blk_request(&vq, 0, 4, (u64)data, 512, 0) == 0 &&
			   sector_ok(4, data),
		   "blk_sector_unchanged_after_refused_write");
	ktap_check(blk_request(&vq, 0, 5, (u64)data, 512, ram) == 0xee,
		   "blk_status_past_ram_not_written");
	ktap_check(blk_request(&vq, 0, 6, (u64)data, 512, 0) == 0 &&
			   sector_ok(6, data),
		   "blk_good_read_after");
}

/* --- virtio-net ----------------------------------------------------------- */

/* An ARP request for the peer (10.0.2.2) from 10.0.2.15, after the
 * 10-byte virtio-net header. */
static void arp_request(u8 *p)
{
	static const u8 frame[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0, 0x12, 0x34, 0x56,
		0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1,
		0x52, 0x54, 0, 0x12, 0x34, 0x56, 10, 0, 2, 15,
		0, 0, 0, 0, 0, 0, 10, 0, 2, 2,
	};

	for (unsigned i = 0; i < 10; i++)
		p[i] = 0;
	for (unsigned i = 0; i < sizeof(frame); i++)
		p[10 + i] = frame[i];
}

/* Post one receive buffer: the header in RAM, the frame at addr. */
static void rx_post(struct vq *rx, u64 addr, u32 len)
{
	set_desc(rx, 0, BUF + 0x100, 10, F_NEXT | F_WRITE);
	set_desc(rx, 1, addr, len, F_WRITE);
	(void)vq_submit(rx, true);
}

/* Send an ARP request whose frame lies at addr; true if the device took
 * the buffer back. */
static bool tx_arp(struct vq *tx, u64 addr)
{
	u8 *hdr = (u8 *)BUF + 0x200;

	arp_request(hdr);
	set_desc(tx, 0, (u64)hdr, 10, F_NEXT);
	set_desc(tx, 1, addr, 42, 0);
	return vq_submit(tx, true);
}

static void net_checks(u16 io)
{
	u8 *frame = (u8 *)BUF + 0x400;
	struct vq rx, tx;
	u16 used;

	virtio_reset(io);
	vq_init(&rx, io, 0, RING_RX);
	vq_init(&tx, io, 1, RING_TX);

	/* A frame past RAM is not sent: no answer comes back. */
	rx_post(&rx, (u64)frame, 1514);
	used = *vq_used_idx(&rx);
	ktap_check(tx_arp(&tx, ram) && *vq_used_idx(&rx) == used,
		   "net_send_from_past_ram_dropped");
	ktap_check(tx_arp(&tx, 0xffffffffffffffe0ull) && *vq_used_idx(&rx) == used,
		   "net_send_wrapping_around_zero_dropped");
	/* The answer to a good request goes to the good buffer posted. */
	ktap_check(tx_arp(&tx, BUF + 0x20a) && *vq_used_idx(&rx) == used + 1 &&
			   vq_used_len(&rx, used) > 10,
		   "net_good_send_answered");

	/* A receive buffer past RAM comes back empty. */
	rx.used_seen = *vq_used_idx(&rx);
	rx_post(&rx, ram - 16, 1514);
	used = *vq_used_idx(&rx);
	ktap_check(tx_arp(&tx, BUF + 0x20a), "net_send_to_bad_buffer");
	ktap_check(*vq_used_idx(&rx) == used + 1 && vq_used_len(&rx, used) == 0,
		   "net_receive_across_end_of_ram_returned_empty");
	rx_post(&rx, 0xfffffffffffff000ull, 1514);
	used = *vq_used_idx(&rx);
	(void)tx_arp(&tx, BUF + 0x20a);
	ktap_check(*vq_used_idx(&rx) == used + 1 && vq_used_len(&rx, used) == 0,
		   "net_receive_at_top_of_address_space_returned_empty");
}

/* --- guest page tables ------------------------------------------------------ */

static void touch(u64 va)
{
	volatile u32 v;

	invlpg(va);
	write_cr3(read_cr3());
	if (probe_read32(va, (u32 *)&v) == VEC_PF)
		printf("isolation: #PF (error 0x%lx)\n", trap_last.error);
	else
		printf("isolation: not stopped\n");
}

static int page_table_case(void)
{
	volatile u64 *e;

	if (cmdline_has("case=pte")) {
		*pt64_entry(boot_pml4, TEST_VA, 1) = (ram + 0x10000) | PTE_P | PTE_W;
	} else if (cmdline_has("case=huge_pte")) {
		*pt64_entry(boot_pml4, TEST_VA, 1) = 0x000ffffffffff000ull | PTE_P | PTE_W;
	} else if (cmdline_has("case=pde")) {
		e = pt64_entry(boot_pml4, TEST_VA, 2);
		*e = (ram + 0x20000) | PTE_P | PTE_W;
	} else if (cmdline_has("case=cr3")) {
		printf("isolation: CR3 at 0x%lx\n", (unsigned long)(ram + 0x30000));
		write_cr3(ram + 0x30000);
		printf("isolation: not stopped\n");
		return 1;
	} else if (cmdline_has("case=large_page")) {
		/* RAM ends 1 MiB into the 2 MiB page at 16 MiB. */
		e = pt64_entry(boot_pml4, TEST_VA, 2);
		*e = (16ul << 20) | PTE_P | PTE_W | PTE_PS;
		if (ram != (17ul << 20)) {
			printf("isolation: large_page needs 17 MiB of RAM\n");
			return 1;
		}
		write_cr3(read_cr3());
		printf("isolation: read 0x%x inside RAM\n",
		       *(volatile u32 *)(TEST_VA + 0x1000));
		touch(TEST_VA + (1ul << 20) + 0x1000);
		return 1;
	} else {
		return -1;
	}
	touch(TEST_VA);
	return 1;
}

int guest_main(void)
{
	u16 blk, net;
	int ret;

	ram = ram_top();
	asm volatile("cli");
	ret = page_table_case();
	if (ret >= 0)
		return trap_last.vector == VEC_PF && trap_last.count ? 0 : ret;

	blk = virtio_find(0x1001);
	net = virtio_find(0x1000);
	ktap_plan(3 + 13 + 6);
	ktap_check(ram >= (16ul << 20), "ram_size_known");
	ktap_check(blk, "virtio_blk_found");
	ktap_check(net, "virtio_net_found");
	if (blk)
		blk_checks(blk);
	if (net)
		net_checks(net);
	return ktap_finish();
}
