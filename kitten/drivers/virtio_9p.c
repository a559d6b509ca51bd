// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-9p, QEMU's virtio-9p-pci: the p9_transport of
 * kitten/include/kitten/p9_transport.h. The virtio spec gives the device
 * an id (9) but no section; QEMU and Linux agree on one request queue
 * and a configuration space of le16 tag_len then the tag's bytes. One virtqueue
 * carries requests; each request is a chain of two descriptors, the
 * message the device reads and the buffer it writes the reply into. The
 * buffers are the caller's own (kernel memory is physically contiguous
 * in the direct map), so nothing is copied.
 *
 * Many tasks call at once: each adds its chain under the queue lock,
 * records its request (on its stack) as the one waiting on the chain's
 * head, kicks the device and sleeps on the request's own wait queue. The
 * device finishes chains in any order; the MSI-X interrupt reaps every
 * finished chain and wakes only the caller its head names, so a reply
 * costs one wake-up however many callers wait. When the queue is full a
 * caller sleeps until chains are reaped.
 *
 * The handler wakes a request while holding the queue lock, and the
 * caller takes that lock once after waking before its request (and the
 * wait queue in it) goes out of scope: the handler is then done with
 * it. So the queue lock ranks below wait queues (it is held while one is
 * woken) and nothing else is taken under it.
 *
 * The mount tag, the name a client asks for, comes from the device's
 * configuration space (VIRTIO_9P_MOUNT_TAG).
 */
#define pr_fmt(fmt) "virtio-9p: " fmt

#include <arch/ioremap.h>
#include <arch/layout.h>
#include <arch/percpu.h>
#include <kitten/errno.h>
#include <kitten/irq.h>
#include <kitten/kmem.h>
#include <kitten/p9_transport.h>
#include <kitten/printk.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>
#include <kitten/virtio.h>
#include <kitten/waitqueue.h>

#define VIRTIO_9P_MOUNT_TAG	0	/* feature: the tag is in config space */
#define P9_TAG_MAX		255
#define P9_QUEUE_MAX		256
#define P9_MAX_MSG		(512 * 1024)
#define P9_HEADER		7	/* size[4] type[1] tag[2] */

struct p9_request {
	uint32_t len;
	bool done;
	struct waitqueue wq;	/* its caller sleeps here */
};

struct p9_transport {
	struct virtio_pci vp;
	struct virtqueue vq;
	struct spinlock lock;		/* the queue, waiting[], the counters */
	struct waitqueue space;		/* callers waiting for descriptors */
	struct p9_request *waiting[P9_QUEUE_MAX];	/* by chain head */
	struct virtio_9p_stats stats;
	char tag[P9_TAG_MAX + 1];
	struct p9_transport *next;
};

static struct p9_transport *transports;
static struct spinlock transports_lock =
	SPINLOCK_INIT("virtio-9p-list", LOCK_RANK_LEAF);

struct p9_transport *p9_transport_find(const char *tag)
{
	unsigned long flags = spin_lock_irqsave(&transports_lock);
	struct p9_transport *t;

	for (t = transports; t; t = t->next)
		if (!strcmp(t->tag, tag))
			break;
	spin_unlock_irqrestore(&transports_lock, flags);
	return t;
}

size_t p9_transport_max_msg(struct p9_transport *t)
{
	(void)t;
	return P9_MAX_MSG;
}

/* The device reaches buffers by physical address: only the direct map
 * and the kernel image translate with __pa(). */
static bool dma_able(const void *p, size_t len)
{
	vaddr_t v = (vaddr_t)p;

	if (v >= KERNEL_VMA)
		return v + len >= v;
	return v >= PHYS_MAP_BASE && v + len >= v && v + len <= IOREMAP_BASE;
}

long p9_transport_rpc(struct p9_transport *t, const void *tmsg, size_t tlen,
		      void *rmsg, size_t rcap)
{
	struct p9_request req = { 0 };
	struct vq_buf bufs[2];
	unsigned long flags;
	int head;

	if (tlen < P9_HEADER || tlen > P9_MAX_MSG || rcap < P9_HEADER)
		return -EINVAL;
	if (!dma_able(tmsg, tlen) || !dma_able(rmsg, rcap))
		return -EFAULT;
	bufs[0] = (struct vq_buf){ __pa(tmsg), tlen };
	bufs[1] = (struct vq_buf){ __pa(rmsg), MIN(rcap, P9_MAX_MSG) };
	waitqueue_init(&req.wq);
	for (;;) {
		flags = spin_lock_irqsave(&t->lock);
		head = virtqueue_add(&t->vq, bufs, 1, 1);
		if (head >= 0)
			break;
		t->stats.queue_full++;
		spin_unlock_irqrestore(&t->lock, flags);
		wait_event(t->space, __atomic_load_n(&t->vq.nr_free,
						     __ATOMIC_ACQUIRE) >= 2);
	}
	t->waiting[head] = &req;
	t->stats.rpcs++;
	if (++t->stats.in_flight > t->stats.max_in_flight)
		t->stats.max_in_flight = t->stats.in_flight;
	virtio_pci_kick(&t->vq);
	spin_unlock_irqrestore(&t->lock, flags);

	wait_event(req.wq, __atomic_load_n(&req.done, __ATOMIC_ACQUIRE));
	/* The handler may still be in the wake-up of req.wq: wait it out. */
	flags = spin_lock_irqsave(&t->lock);
	spin_unlock_irqrestore(&t->lock, flags);
	if (req.len < P9_HEADER)
		return -EIO;
	return req.len;
}

static void p9_interrupt(unsigned vector, void *arg, struct trap_frame *f)
{
	struct p9_transport *t = arg;
	unsigned long flags = spin_lock_irqsave(&t->lock);
	bool freed = false;
	uint32_t len;
	int head;

	(void)vector;
	(void)f;
	t->stats.irqs++;
	while ((head = virtqueue_get_used(&t->vq, &len)) != -ENOENT) {
		struct p9_request *r;

		if (head < 0) {
			pr_err("%s: device returned a chain not in flight\n",
			       t->tag);
			continue;
		}
		r = t->waiting[head];
		t->waiting[head] = NULL;
		t->stats.in_flight--;
		t->stats.replies++;
		r->len = len;
		__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
		waitqueue_wake_all(&r->wq);
		freed = true;
	}
	if (freed)
		waitqueue_wake_all(&t->space);
	spin_unlock_irqrestore(&t->lock, flags);
}

void virtio_9p_stats(struct p9_transport *t, struct virtio_9p_stats *s)
{
	unsigned long flags = spin_lock_irqsave(&t->lock);

	*s = t->stats;
	spin_unlock_irqrestore(&t->lock, flags);
}

static int read_tag(struct p9_transport *t)
{
	uint16_t len;
	int err;

	if (!(t->vp.features & (1ULL << VIRTIO_9P_MOUNT_TAG)))
		return -ENODEV;
	err = virtio_pci_read_config(&t->vp, 0, &len, sizeof(len));
	if (err)
		return err;
	if (!len || len > P9_TAG_MAX)
		return -EINVAL;
	err = virtio_pci_read_config(&t->vp, 2, t->tag, len);
	t->tag[len] = '\0';
	return err;
}

static int virtio_9p_probe(struct pci_dev *pci)
{
	struct p9_transport *t = kmem_zalloc(sizeof(*t));
	unsigned long flags;
	int vector, err;

	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock, "virtio-9p", LOCK_RANK_WAITQUEUE - 1);
	waitqueue_init(&t->space);
	err = virtio_pci_init(&t->vp, pci,
			      1ULL << VIRTIO_F_VERSION_1 |
				      1ULL << VIRTIO_9P_MOUNT_TAG);
	if (err)
		goto free;
	err = read_tag(t);
	if (err) {
		pr_err("no usable mount tag (error %d)\n", err);
		goto fail;
	}
	err = virtio_pci_setup_queue(&t->vp, 0, P9_QUEUE_MAX, 0, &t->vq);
	if (err)
		goto fail;
	vector = irq_vector_request(0, p9_interrupt, t, "virtio-9p");
	if (vector < 0) {
		err = vector;
		goto fail;
	}
	/* Interrupts go to CPU 0, the service CPU: CPUs that run jobs
	 * take no device interrupts. */
	err = pci_msix_route(pci, 0, vector, cpus[0]->apic_id);
	if (err) {
		pr_err("no MSI-X (error %d): polling is not supported\n", err);
		goto free_vector;
	}
	t->stats.queue_size = t->vq.size;
	t->stats.msix_vector = vector;
	virtio_pci_ready(&t->vp);
	pci->driver_data = t;

	flags = spin_lock_irqsave(&transports_lock);
	t->next = transports;
	transports = t;
	spin_unlock_irqrestore(&transports_lock, flags);
	pr_info("%02x:%02x.%x: mount tag \"%s\", queue of %u, vector %#x\n",
		pci->bus, pci->slot, pci->func, t->tag, t->vq.size, vector);
	return 0;
free_vector:
	irq_vector_free(vector);
fail:
	/* The ring pages, if any, stay allocated: the failed device may
	 * still hold their addresses. */
	virtio_pci_fail(&t->vp);
free:
	kmem_free(t);
	return err;
}

static const struct pci_device_id virtio_9p_ids[] = {
	{ VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE + VIRTIO_ID_9P },
	{ VIRTIO_PCI_VENDOR, 0x1009 },	/* transitional: modern interface too */
	{ 0, 0 },
};

const struct pci_driver virtio_9p_driver = {
	.name = "virtio-9p",
	.ids = virtio_9p_ids,
	.probe = virtio_9p_probe,
};
