// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues (virtio 1.1, 2.6): the ring arithmetic, over memory
 * the transport allocates and the device shares.
 *
 * Free descriptors are a list linked through their next fields. Adding
 * a chain takes descriptors from it, fills them, writes the head into
 * the available ring at our index modulo the size, and only then (a
 * release store) publishes the new available index, so the device never
 * sees a head before its descriptors. Reaping reads the used index with
 * an acquire load, takes the entry at last_used modulo the size and puts
 * the chain back on the free list. Both indexes are free-running 16-bit
 * counters: entries pending = used->idx - last_used, wrapping included.
 *
 * A used id from the device is checked against the driver-private
 * record of heads in flight (chain_len) before anything is freed, so a
 * confused device cannot make a free descriptor be handed out twice.
 */
#include <kitten/compiler.h>
#include <kitten/errno.h>
#include <kitten/string.h>
#include <kitten/virtio.h>

struct layout {
	size_t avail, used, chain_len, total;
};

static bool layout(uint16_t size, struct layout *l)
{
	if (!size || size > 32768 || (size & (size - 1)))
		return false;
	l->avail = 16 * (size_t)size;
	l->used = ALIGN_UP(l->avail + 6 + 2 * (size_t)size, 4);
	l->chain_len = ALIGN_UP(l->used + 6 + 8 * (size_t)size, 2);
	l->total = ALIGN_UP(l->chain_len + 2 * (size_t)size, 4096);
	return true;
}

size_t virtqueue_mem_size(uint16_t size)
{
	struct layout l;

	return layout(size, &l) ? l.total : 0;
}

int virtqueue_init(struct virtqueue *vq, uint16_t size, void *mem)
{
	struct layout l;

	if (!layout(size, &l))
		return -EINVAL;
	memset(mem, 0, l.total);
	vq->size = size;
	vq->desc = mem;
	vq->avail = (void *)((char *)mem + l.avail);
	vq->used = (void *)((char *)mem + l.used);
	vq->chain_len = (void *)((char *)mem + l.chain_len);
	for (uint16_t i = 0; i + 1 < size; i++)
		vq->desc[i].next = i + 1;
	vq->free_head = 0;
	vq->nr_free = size;
	vq->avail_idx = 0;
	vq->last_used = 0;
	return 0;
}

int virtqueue_add(struct virtqueue *vq, const struct vq_buf *bufs,
		  unsigned nr_out, unsigned nr_in)
{
	unsigned n = nr_out + nr_in;
	uint16_t head = vq->free_head, i = head;

	if (!n)
		return -EINVAL;
	if (n > vq->nr_free)
		return -ENOSPC;
	for (unsigned k = 0; k < n; k++) {
		struct vring_desc *d = &vq->desc[i];

		d->addr = bufs[k].addr;
		d->len = bufs[k].len;
		d->flags = (k >= nr_out ? VRING_DESC_F_WRITE : 0) |
			   (k + 1 < n ? VRING_DESC_F_NEXT : 0);
		i = d->next;	/* the last one's next is left as it was */
	}
	vq->free_head = i;
	vq->nr_free -= n;
	vq->chain_len[head] = n;
	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	vq->avail_idx++;
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
	return head;
}

bool virtqueue_needs_notify(const struct virtqueue *vq)
{
	/* Our index store must be visible before we read the device's
	 * flag, or both sides could decide the other is awake. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !(__atomic_load_n(&vq->used->flags, __ATOMIC_RELAXED) &
		 VRING_USED_F_NO_NOTIFY);
}

int virtqueue_get_used(struct virtqueue *vq, uint32_t *len)
{
	uint16_t idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
	struct vring_used_elem e;
	uint16_t n, tail;

	if (idx == vq->last_used)
		return -ENOENT;
	e = vq->used->ring[vq->last_used & (vq->size - 1)];
	vq->last_used++;
	if (e.id >= vq->size || !vq->chain_len[e.id])
		return -EIO;
	n = vq->chain_len[e.id];
	vq->chain_len[e.id] = 0;
	tail = e.id;
	for (uint16_t k = 1; k < n; k++)
		tail = vq->desc[tail].next;
	vq->desc[tail].next = vq->free_head;
	vq->free_head = e.id;
	vq->nr_free += n;
	*len = e.len;
	return e.id;
}
