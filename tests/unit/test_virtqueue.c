// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueue ring arithmetic (kitten/drivers/virtqueue.c) against a
 * fake device that reads the available ring and fills the used ring the
 * way the virtio spec says a device does.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <kitten/errno.h>
#include <kitten/virtio.h>

struct fake_device {
	struct virtqueue *vq;
	uint16_t next_avail;	/* the device's own position */
};

/* Take the next offered chain: its head, and its buffer count; check the
 * flags (readable first, then writable, NEXT on all but the last). */
static int device_take(struct fake_device *d, unsigned nr_out, unsigned nr_in)
{
	struct virtqueue *vq = d->vq;
	uint16_t head, i;

	if (d->next_avail == vq->avail->idx)
		return -1;
	head = vq->avail->ring[d->next_avail++ % vq->size];
	i = head;
	for (unsigned k = 0; k < nr_out + nr_in; k++) {
		struct vring_desc *desc = &vq->desc[i];

		assert_int_equal(!!(desc->flags & VRING_DESC_F_WRITE), k >= nr_out);
		assert_int_equal(!!(desc->flags & VRING_DESC_F_NEXT),
				 k + 1 < nr_out + nr_in);
		i = desc->next;
	}
	return head;
}

static void device_complete(struct virtqueue *vq, uint32_t id, uint32_t len)
{
	vq->used->ring[vq->used->idx % vq->size] =
		(struct vring_used_elem){ id, len };
	vq->used->idx++;
}

static struct virtqueue *new_queue(uint16_t size)
{
	struct virtqueue *vq = calloc(1, sizeof(*vq));
	void *mem = aligned_alloc(4096, virtqueue_mem_size(size));

	assert_non_null(mem);
	assert_int_equal(virtqueue_init(vq, size, mem), 0);
	return vq;
}

static void free_queue(struct virtqueue *vq)
{
	free(vq->desc);
	free(vq);
}

static void sizes_and_layout(void **state)
{
	struct virtqueue *vq;
	(void)state;

	assert_int_equal(virtqueue_mem_size(128), 4096);
	assert_int_equal(virtqueue_mem_size(256), 8192);
	assert_int_equal(virtqueue_mem_size(0), 0);
	assert_int_equal(virtqueue_mem_size(100), 0);
	assert_true(virtqueue_mem_size(32768) > 0);
	vq = new_queue(128);
	/* The spec's alignments: descriptors 16, available 2, used 4. */
	assert_int_equal((uintptr_t)vq->avail - (uintptr_t)vq->desc, 16 * 128);
	assert_int_equal((uintptr_t)vq->used % 4, 0);
	assert_true((uintptr_t)vq->used >= (uintptr_t)&vq->avail->ring[128] + 2);
	assert_int_equal(vq->nr_free, 128);
	free_queue(vq);
}

static void chains_go_out_and_come_back(void **state)
{
	struct virtqueue *vq = new_queue(8);
	struct fake_device dev = { vq, 0 };
	struct vq_buf bufs[3] = { { 0x1000, 10 }, { 0x2000, 20 }, { 0x3000, 30 } };
	uint32_t len;
	int head;
	(void)state;

	head = virtqueue_add(vq, bufs, 1, 2);
	assert_true(head >= 0);
	assert_int_equal(vq->nr_free, 5);
	assert_int_equal(vq->avail->idx, 1);
	assert_int_equal(vq->desc[head].addr, 0x1000);
	assert_int_equal(vq->desc[vq->desc[head].next].len, 20);
	assert_int_equal(virtqueue_get_used(vq, &len), -ENOENT);
	assert_int_equal(device_take(&dev, 1, 2), head);
	device_complete(vq, head, 17);
	assert_int_equal(virtqueue_get_used(vq, &len), head);
	assert_int_equal(len, 17);
	assert_int_equal(vq->nr_free, 8);
	assert_int_equal(virtqueue_get_used(vq, &len), -ENOENT);
	assert_int_equal(virtqueue_add(vq, bufs, 0, 0), -EINVAL);
	free_queue(vq);
}

static void full_queue_refuses_then_recovers(void **state)
{
	struct virtqueue *vq = new_queue(4);
	struct vq_buf bufs[2] = { { 0x1000, 1 }, { 0x2000, 2 } };
	int a, b;
	uint32_t len;
	(void)state;

	a = virtqueue_add(vq, bufs, 1, 1);
	b = virtqueue_add(vq, bufs, 1, 1);
	assert_true(a >= 0 && b >= 0 && a != b);
	assert_int_equal(virtqueue_add(vq, bufs, 1, 1), -ENOSPC);
	assert_int_equal(virtqueue_add(vq, bufs, 1, 0), -ENOSPC);
	device_complete(vq, b, 0);
	assert_int_equal(virtqueue_get_used(vq, &len), b);
	assert_int_equal(virtqueue_add(vq, bufs, 1, 1), b);
	free_queue(vq);
}

/* The device finishes chains in any order; every descriptor comes back
 * once, and no head is handed out while it is still in flight. */
static void out_of_order_completion(void **state)
{
	struct virtqueue *vq = new_queue(8);
	struct vq_buf bufs[2] = { { 0x1000, 1 }, { 0x2000, 2 } };
	int h[4], again[4];
	uint32_t len;
	(void)state;

	for (int i = 0; i < 4; i++)
		h[i] = virtqueue_add(vq, bufs, 1, 1);
	assert_int_equal(vq->nr_free, 0);
	device_complete(vq, h[2], 2);
	device_complete(vq, h[0], 0);
	assert_int_equal(virtqueue_get_used(vq, &len), h[2]);
	assert_int_equal(len, 2);
	assert_int_equal(virtqueue_get_used(vq, &len), h[0]);
	again[0] = virtqueue_add(vq, bufs, 1, 1);
	again[1] = virtqueue_add(vq, bufs, 1, 1);
	assert_int_equal(virtqueue_add(vq, bufs, 1, 1), -ENOSPC);
	for (int i = 0; i < 2; i++)
		assert_true(again[i] != h[1] && again[i] != h[3]);
	assert_true(again[0] != again[1]);
	device_complete(vq, h[3], 3);
	device_complete(vq, again[1], 5);
	device_complete(vq, h[1], 1);
	device_complete(vq, again[0], 4);
	assert_int_equal(virtqueue_get_used(vq, &len), h[3]);
	assert_int_equal(virtqueue_get_used(vq, &len), again[1]);
	assert_int_equal(virtqueue_get_used(vq, &len), h[1]);
	assert_int_equal(virtqueue_get_used(vq, &len), again[0]);
	assert_int_equal(len, 4);
	assert_int_equal(vq->nr_free, 8);
	free_queue(vq);
}

/* The 16-bit ring indexes wrap (65535 + 1 = 0) many times over. */
static void indexes_wrap(void **state)
{
	struct virtqueue *vq = new_queue(4);
	struct fake_device dev = { vq, 0 };
	struct vq_buf buf = { 0x1000, 64 };
	uint32_t len;
	(void)state;

	for (uint32_t n = 0; n < 3 * 65536 + 7; n++) {
		int a = virtqueue_add(vq, &buf, 0, 1);
		int b = virtqueue_add(vq, &buf, 1, 0);

		assert_true(a >= 0 && b >= 0);
		assert_int_equal(device_take(&dev, 0, 1), a);
		assert_int_equal(device_take(&dev, 1, 0), b);
		device_complete(vq, b, n & 0xffff);
		device_complete(vq, a, 1);
		assert_int_equal(virtqueue_get_used(vq, &len), b);
		assert_int_equal(len, n & 0xffff);
		assert_int_equal(virtqueue_get_used(vq, &len), a);
	}
	assert_int_equal(vq->avail->idx, (uint16_t)(2 * (3 * 65536 + 7)));
	assert_int_equal(vq->nr_free, 4);
	free_queue(vq);
}

/* A used id the driver never offered, or already reaped, frees nothing. */
static void bad_used_id_is_refused(void **state)
{
	struct virtqueue *vq = new_queue(8);
	struct vq_buf bufs[2] = { { 0x1000, 1 }, { 0x2000, 2 } };
	uint32_t len;
	int h;
	(void)state;

	h = virtqueue_add(vq, bufs, 1, 1);
	device_complete(vq, 200, 0);		/* beyond the ring */
	device_complete(vq, (h + 1) % 8, 0);	/* the chain's second descriptor */
	device_complete(vq, h, 9);
	device_complete(vq, h, 9);		/* twice */
	assert_int_equal(virtqueue_get_used(vq, &len), -EIO);
	assert_int_equal(virtqueue_get_used(vq, &len), -EIO);
	assert_int_equal(vq->nr_free, 6);
	assert_int_equal(virtqueue_get_used(vq, &len), h);
	assert_int_equal(virtqueue_get_used(vq, &len), -EIO);
	assert_int_equal(vq->nr_free, 8);
	assert_int_equal(virtqueue_get_used(vq, &len), -ENOENT);
	free_queue(vq);
}

static void notify_follows_the_device_flag(void **state)
{
	struct virtqueue *vq = new_queue(8);
	(void)state;

	assert_true(virtqueue_needs_notify(vq));
	vq->used->flags = VRING_USED_F_NO_NOTIFY;
	assert_false(virtqueue_needs_notify(vq));
	free_queue(vq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes_and_layout),
		cmocka_unit_test(chains_go_out_and_come_back),
		cmocka_unit_test(full_queue_refuses_then_recovers),
		cmocka_unit_test(out_of_order_completion),
		cmocka_unit_test(indexes_wrap),
		cmocka_unit_test(bad_used_id_is_refused),
		cmocka_unit_test(notify_follows_the_device_flag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
