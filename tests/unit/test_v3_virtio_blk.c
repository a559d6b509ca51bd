// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk end to end, the test playing the guest's driver: the PCI
 * identity and configuration, negotiation, reads, writes, flush and
 * GET_ID through a queue in the fixture's RAM, the interrupt and ISR;
 * then bad descriptors (outside RAM, huge, looping, misordered) and
 * corrupt rings failing cleanly, and garbage.
 */
#include "virtio_driver.h"

#include <palacios/devices_pci.h>
#include <stdlib.h>

#define DISK_SIZE	(1u << 20)
#define HDR_GPA		0x200000u
#define DATA_GPA	0x210000u
#define STATUS_GPA	0x220000u
#define IRQ		10		/* slot 1, INTA */
#define FEATURES	((1u << 2) | (1u << 6) | (1u << 9))

enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8 };

struct rig {
	struct v3_vm *vm;
	struct lines lines;
	struct vdrv drv;
};

static void rig_up(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	r->vm = fx_vm_create(1);
	r->vm->disk = malloc(DISK_SIZE);
	r->vm->disk_size = DISK_SIZE;
	for (unsigned i = 0; i < DISK_SIZE; i++)
		r->vm->disk[i] = i * 7 + i / 512;
	assert_int_equal(v3_register_irq_router(r->vm, &lines_router, &r->lines), 0);
	fx_device(r->vm, &v3_dev_pci);
	fx_device(r->vm, &v3_dev_virtio_blk);
	vdrv_init(&r->drv, r->vm, 1, FEATURES, 1);
}

static void rig_down(struct rig *r)
{
	uint8_t *disk = r->vm->disk;

	fx_vm_free(r->vm);
	free(disk);
}

static void put_hdr(struct rig *r, uint32_t type, uint64_t sector)
{
	uint8_t *h = guest(r->vm, HDR_GPA, 16);

	memcpy(h, &type, 4);
	memset(h + 4, 0, 4);
	memcpy(h + 8, &sector, 8);
	*guest(r->vm, STATUS_GPA, 1) = 0xee;
}

/* Header, one data buffer, status: the usual three descriptors at 0-2. */
static void submit3(struct rig *r, uint32_t type, uint64_t sector,
		    uint32_t len)
{
	put_hdr(r, type, sector);
	vdrv_desc(&r->drv, 0, 0, HDR_GPA, 16, VD_NEXT, 1);
	vdrv_desc(&r->drv, 0, 1, DATA_GPA, len,
		  VD_NEXT | (type == T_OUT ? 0 : VD_WRITE), 2);
	vdrv_desc(&r->drv, 0, 2, STATUS_GPA, 1, VD_WRITE, 0);
	vdrv_post(&r->drv, 0, 0);
	vdrv_notify(&r->drv, 0);
}

/* The one used entry the last notify produced; its status byte. */
static uint8_t complete(struct rig *r, uint32_t want_len)
{
	uint32_t id, len;

	assert_true(vdrv_used(&r->drv, 0, &id, &len));
	assert_int_equal(id, 0);
	assert_int_equal(len, want_len);
	assert_false(vdrv_used(&r->drv, 0, &id, &len));
	return *guest(r->vm, STATUS_GPA, 1);
}

static void test_probe(void **state)
{
	struct rig r;
	struct v3_vm *vm;
	void *priv;
	uint64_t cap;

	(void)state;
	rig_up(&r);
	assert_int_equal(pci_cfg(r.vm, 1, 0), 0x10011af4);
	assert_int_equal(pci_cfg(r.vm, 1, 0x2c), 0x00021af4);
	assert_int_equal(pci_cfg(r.vm, 1, 8) >> 8, 0x018000);
	assert_int_equal(pci_cfg(r.vm, 1, 0x10), 0xc001);
	assert_int_equal(pci_cfg(r.vm, 1, 0x3c) & 0xffff, 0x010a);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_FEATURES, 4), FEATURES);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_GUEST_FEAT, 4), FEATURES);
	cap = fx_in(r.vm, r.drv.io + VR_CONFIG, 4) |
	      (uint64_t)fx_in(r.vm, r.drv.io + VR_CONFIG + 4, 4) << 32;
	assert_int_equal(cap, DISK_SIZE / 512);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_CONFIG + 12, 4), 126);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_CONFIG + 20, 4), 512);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_CONFIG + 1, 1), (DISK_SIZE / 512) >> 8);
	assert_int_equal(vdrv_status(&r.drv), 7);
	/* Only queue 0 exists; the PFN reads back. */
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_PFN, 4), VQ_RING_GPA >> 12);
	fx_out(r.vm, r.drv.io + VR_SEL, 1, 2);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_NUM, 2), 0);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_SEL, 2), 1);
	/* Unoffered features are refused, and reported. */
	log_reset();
	fx_out(r.vm, r.drv.io + VR_GUEST_FEAT, 0xffffffff, 4);
	assert_true(log_contains("not offered"));
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_GUEST_FEAT, 4), FEATURES);
	rig_down(&r);

	/* No disk, no device. */
	vm = fx_vm_create(1);
	fx_device(vm, &v3_dev_pci);
	assert_int_equal(v3_dev_virtio_blk.create(vm, &priv), -V3_ENODEV);
	fx_vm_free(vm);
}

static void test_read_write_flush(void **state)
{
	struct rig r;
	uint8_t *data, buf[1536];

	(void)state;
	rig_up(&r);
	data = guest(r.vm, DATA_GPA, 4096);

	/* Read sectors 3-4. */
	submit3(&r, T_IN, 3, 1024);
	assert_true(r.lines.level[IRQ]);
	assert_int_equal(complete(&r, 1025), 0);
	assert_memory_equal(data, r.vm->disk + 3 * 512, 1024);
	/* The ISR read acknowledges and lowers INTx. */
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_ISR, 1), 1);
	assert_false(r.lines.level[IRQ]);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_ISR, 1), 0);

	/* Write three sectors from three buffers, then read them back. */
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = i ^ 0x5a;
	memcpy(guest(r.vm, DATA_GPA, 1536), buf, 1536);
	put_hdr(&r, T_OUT, 10);
	vdrv_desc(&r.drv, 0, 5, HDR_GPA, 16, VD_NEXT, 9);
	vdrv_desc(&r.drv, 0, 9, DATA_GPA, 100, VD_NEXT, 7);
	vdrv_desc(&r.drv, 0, 7, DATA_GPA + 100, 1000, VD_NEXT, 6);
	vdrv_desc(&r.drv, 0, 6, DATA_GPA + 1100, 436, VD_NEXT, 8);
	vdrv_desc(&r.drv, 0, 8, STATUS_GPA, 1, VD_WRITE, 0);
	vdrv_post(&r.drv, 0, 5);
	vdrv_notify(&r.drv, 0);
	{
		uint32_t id, len;

		assert_true(vdrv_used(&r.drv, 0, &id, &len));
		assert_int_equal(id, 5);
		assert_int_equal(len, 1);
	}
	assert_int_equal(*guest(r.vm, STATUS_GPA, 1), 0);
	assert_memory_equal(r.vm->disk + 10 * 512, buf, 1536);
	memset(data, 0, 1536);
	submit3(&r, T_IN, 10, 1536);
	assert_int_equal(complete(&r, 1537), 0);
	assert_memory_equal(data, buf, 1536);

	/* Header and data in one readable buffer: any layout works. */
	put_hdr(&r, T_OUT, 20);
	memcpy(guest(r.vm, HDR_GPA + 16, 512), buf, 512);
	vdrv_desc(&r.drv, 0, 0, HDR_GPA, 16 + 512, VD_NEXT, 1);
	vdrv_desc(&r.drv, 0, 1, STATUS_GPA, 1, VD_WRITE, 0);
	vdrv_post(&r.drv, 0, 0);
	vdrv_notify(&r.drv, 0);
	assert_int_equal(complete(&r, 1), 0);
	assert_memory_equal(r.vm->disk + 20 * 512, buf, 512);

	/* Flush, GET_ID, an unsupported type, the last sector. */
	submit3(&r, T_FLUSH, 0, 0);
	assert_int_equal(complete(&r, 1), 0);
	submit3(&r, T_GET_ID, 0, 20);
	assert_int_equal(complete(&r, 21), 0);
	assert_string_equal((char *)data, "palacios-vm0");
	log_reset();
	submit3(&r, 2, 0, 512);
	assert_int_equal(complete(&r, 1), 2);
	assert_true(log_contains("type 2 is not supported"));
	submit3(&r, T_IN, DISK_SIZE / 512 - 1, 512);
	assert_int_equal(complete(&r, 513), 0);

	/* Several at once, one interrupt; none while the driver says so. */
	fx_in(r.vm, r.drv.io + VR_ISR, 1);
	r.lines.rises[IRQ] = 0;
	put_hdr(&r, T_FLUSH, 0);
	vdrv_desc(&r.drv, 0, 0, HDR_GPA, 16, VD_NEXT, 1);
	vdrv_desc(&r.drv, 0, 1, STATUS_GPA, 1, VD_WRITE, 0);
	vdrv_desc(&r.drv, 0, 2, HDR_GPA, 16, VD_NEXT, 3);
	vdrv_desc(&r.drv, 0, 3, STATUS_GPA + 1, 1, VD_WRITE, 0);
	vdrv_post(&r.drv, 0, 0);
	vdrv_post(&r.drv, 0, 2);
	vdrv_notify(&r.drv, 0);
	assert_int_equal(r.lines.rises[IRQ], 1);
	{
		uint32_t id, len;

		assert_true(vdrv_used(&r.drv, 0, &id, &len) && id == 0);
		assert_true(vdrv_used(&r.drv, 0, &id, &len) && id == 2);
	}
	fx_in(r.vm, r.drv.io + VR_ISR, 1);
	r.drv.ring[0][VQ_AVAIL] = 1;		/* VRING_AVAIL_F_NO_INTERRUPT */
	submit3(&r, T_FLUSH, 0, 0);
	assert_int_equal(complete(&r, 1), 0);
	assert_false(r.lines.level[IRQ]);
	assert_int_equal(fx_in(r.vm, r.drv.io + VR_ISR, 1), 0);
	rig_down(&r);
}

/* Post chain 0 again. */
static void again(struct rig *r)
{
	vdrv_post(&r->drv, 0, 0);
	vdrv_notify(&r->drv, 0);
}

/* A request failed with IOERR in its status byte, and the device fine. */
static void expect_ioerr(struct rig *r)
{
	assert_int_equal(complete(r, 1), 1);
	assert_int_equal(vdrv_status(&r->drv) & 0x40, 0);
}

static void test_bad_requests(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r);
	/* Past the end of the disk, a sector that overflows, a partial one. */
	submit3(&r, T_IN, DISK_SIZE / 512, 512);
	expect_ioerr(&r);
	submit3(&r, T_OUT, DISK_SIZE / 512 - 1, 1024);
	expect_ioerr(&r);
	submit3(&r, T_IN, 1ull << 56, 512);
	expect_ioerr(&r);
	submit3(&r, T_IN, 0, 100);
	expect_ioerr(&r);

	/* A data buffer outside RAM, straddling its end, huge, or wrapping. */
	submit3(&r, T_IN, 0, 512);
	assert_int_equal(complete(&r, 513), 0);
	put_hdr(&r, T_IN, 0);
	vdrv_desc(&r.drv, 0, 1, 0x40000000, 512, VD_NEXT | VD_WRITE, 2);
	again(&r);
	expect_ioerr(&r);
	put_hdr(&r, T_IN, 0);
	vdrv_desc(&r.drv, 0, 1, (16 << 20) - 256, 512, VD_NEXT | VD_WRITE, 2);
	again(&r);
	expect_ioerr(&r);
	put_hdr(&r, T_OUT, 0);
	vdrv_desc(&r.drv, 0, 1, DATA_GPA, 0xffffffff, VD_NEXT, 2);
	again(&r);
	expect_ioerr(&r);
	put_hdr(&r, T_OUT, 0);
	vdrv_desc(&r.drv, 0, 1, ~0ull - 100, 512, VD_NEXT, 2);
	again(&r);
	expect_ioerr(&r);

	/* Indirect (not offered), and readable after writable. */
	put_hdr(&r, T_IN, 0);
	vdrv_desc(&r.drv, 0, 1, DATA_GPA, 512, VD_NEXT | VD_WRITE | 4, 2);
	again(&r);
	expect_ioerr(&r);
	put_hdr(&r, T_IN, 0);
	vdrv_desc(&r.drv, 0, 0, STATUS_GPA + 8, 4, VD_WRITE | VD_NEXT, 1);
	vdrv_desc(&r.drv, 0, 1, HDR_GPA, 16, VD_NEXT, 2);
	again(&r);
	expect_ioerr(&r);

	/* No header: IOERR. No status, or one outside RAM: returned empty. */
	put_hdr(&r, T_IN, 0);
	vdrv_desc(&r.drv, 0, 0, HDR_GPA, 8, VD_NEXT, 2);
	again(&r);
	expect_ioerr(&r);
	vdrv_desc(&r.drv, 0, 0, HDR_GPA, 16, 0, 0);
	again(&r);
	complete(&r, 0);
	submit3(&r, T_FLUSH, 0, 0);
	complete(&r, 1);
	vdrv_desc(&r.drv, 0, 2, 0x7ffff000, 1, VD_WRITE, 0);
	again(&r);
	complete(&r, 0);
	/* Zero-length descriptors are skipped. */
	submit3(&r, T_FLUSH, 0, 0);
	assert_int_equal(complete(&r, 1), 0);
	assert_int_equal(vdrv_status(&r.drv), 7);
	rig_down(&r);
}

/* The ring itself corrupt: the device stops until the driver resets it. */
static void expect_broken(struct rig *r)
{
	uint32_t id, len;

	assert_int_equal(vdrv_status(&r->drv) & 0x40, 0x40);
	/* Nothing more is done, whatever is posted. */
	submit3(r, T_FLUSH, 0, 0);
	assert_false(vdrv_used(&r->drv, 0, &id, &len));
	/* Writing the status back keeps the bit; a reset clears it. */
	fx_out(r->vm, r->drv.io + VR_STATUS, 0x47, 1);
	assert_int_equal(vdrv_status(&r->drv), 0x47);
	vdrv_init(&r->drv, r->vm, 1, FEATURES, 1);
	assert_int_equal(vdrv_status(&r->drv), 7);
	submit3(r, T_IN, 1, 512);
	assert_int_equal(complete(r, 513), 0);
}

static void test_corrupt_rings(void **state)
{
	struct rig r;
	uint16_t idx;

	(void)state;
	rig_up(&r);
	/* A loop: 0 -> 1 -> 0. */
	log_reset();
	put_hdr(&r, T_IN, 0);
	vdrv_desc(&r.drv, 0, 0, HDR_GPA, 16, VD_NEXT, 1);
	vdrv_desc(&r.drv, 0, 1, DATA_GPA, 512, VD_NEXT | VD_WRITE, 0);
	vdrv_post(&r.drv, 0, 0);
	vdrv_notify(&r.drv, 0);
	assert_true(log_contains("chain loops"));
	expect_broken(&r);
	/* A next index outside the queue. */
	vdrv_desc(&r.drv, 0, 1, DATA_GPA, 512, VD_NEXT | VD_WRITE, 500);
	vdrv_post(&r.drv, 0, 0);
	vdrv_notify(&r.drv, 0);
	expect_broken(&r);
	/* A head outside the queue. */
	vdrv_post(&r.drv, 0, 128);
	vdrv_notify(&r.drv, 0);
	expect_broken(&r);
	/* The available index jumping ahead. */
	idx = 1000;
	memcpy(r.drv.ring[0] + VQ_AVAIL + 2, &idx, 2);
	vdrv_notify(&r.drv, 0);
	expect_broken(&r);
	/* A ring outside RAM, or straddling its end. */
	fx_out(r.vm, r.drv.io + VR_PFN, 0x80000, 4);
	assert_int_equal(vdrv_status(&r.drv) & 0x40, 0x40);
	vdrv_init(&r.drv, r.vm, 1, FEATURES, 1);
	fx_out(r.vm, r.drv.io + VR_PFN, (16 << 20 >> 12) - 1, 4);
	expect_broken(&r);
	/* A notify before any ring, and of a queue that does not exist. */
	fx_out(r.vm, r.drv.io + VR_STATUS, 0, 1);
	vdrv_notify(&r.drv, 0);
	log_reset();
	vdrv_notify(&r.drv, 3);
	assert_true(log_contains("notify of no such queue"));
	rig_down(&r);
}

/* Random register writes and random rings and descriptors in RAM. */
static void test_garbage(void **state)
{
	struct rig r;
	static const unsigned sizes[] = { 1, 2, 4 };

	(void)state;
	rig_up(&r);
	srand(0xb1c);
	for (unsigned i = 0; i < 20000; i++) {
		unsigned off = rand() % 64, size = sizes[rand() % 3];
		uint32_t val = (uint32_t)rand() << 8 ^ (uint32_t)rand();

		switch (rand() % 6) {
		case 0:
			fx_out(r.vm, r.drv.io + off, val, size);
			break;
		case 1:
			fx_in(r.vm, r.drv.io + off, size);
			break;
		case 2:	/* a ring somewhere in RAM, or not */
			fx_out(r.vm, r.drv.io + VR_SEL, rand() % 3, 2);
			fx_out(r.vm, r.drv.io + VR_PFN,
			       rand() % 8 ? 0x100u + rand() % 8 : val, 4);
			break;
		case 3:	/* scribble on the rings and the buffers */
			for (unsigned j = 0; j < 64; j++)
				guest(r.vm, 0x100000 + rand() % 0x8000, 1)[0] = rand();
			break;
		case 4:
			vdrv_notify(&r.drv, rand() % 2);
			break;
		default:
			fx_out(r.vm, r.drv.io + VR_STATUS, rand() % 4 ? 7 : 0, 1);
			break;
		}
	}
	/* Reset: the device works again. */
	vdrv_init(&r.drv, r.vm, 1, FEATURES, 1);
	submit3(&r, T_IN, 2, 512);
	assert_int_equal(complete(&r, 513), 0);
	assert_memory_equal(guest(r.vm, DATA_GPA, 512), r.vm->disk + 1024, 512);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_read_write_flush),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_corrupt_rings),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
