// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of PCI enumeration and the virtio-9p transport, on a QEMU
 * machine given a virtio-9p-pci device with mount tag "ktest" that
 * exports a directory the test prepared on the host (tests/system/
 * virtio.sh) holding:
 *
 *   token.txt    ktest.p9token=, as the host wrote it (no newline)
 *   pattern.bin  PATTERN_SIZE bytes, byte i = pattern_byte(i)
 *
 * It needs that machine, so it runs only when named (ktest=virtio),
 * never under ktest=all.
 *
 * The 9P messages are built by hand, below the 9P client: these tests
 * check the transport (every reply reaches its own caller, callers sleep
 * and are woken by the interrupt), not a file system.
 */
#include <arch/bootinfo.h>
#include <arch/percpu.h>
#include <arch/time.h>
#include <kitten/cmdline.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/ktest.h>
#include <kitten/p9_transport.h>
#include <kitten/pci.h>
#include <kitten/sched.h>
#include <kitten/string.h>
#include <kitten/task.h>
#include <kitten/virtio.h>

#define TAG		"ktest"
#define PATTERN_SIZE	(256 * 1024)
#define MSIZE		(64 * 1024)
#define NOTAG		0xffff
#define NOFID		0xffffffffu
#define ROOT_FID	1
#define FILE_FID	2

/* 9P2000.L message types. */
#define RLERROR		7
#define TLOPEN		12
#define TVERSION	100
#define TATTACH		104
#define TWALK		110
#define TREAD		116
#define TCLUNK		120

static uint8_t pattern_byte(uint32_t i)
{
	return (i ^ (i >> 8) ^ (i >> 16)) & 0xff;
}

/* A message under construction: header first, size filled in at the end. */
struct msg {
	uint8_t *buf;
	size_t len, cap;
};

static void put(struct msg *m, const void *p, size_t n)
{
	if (m->len + n <= m->cap)
		memcpy(m->buf + m->len, p, n);
	m->len += n;
}

static void put16(struct msg *m, uint16_t v)
{
	put(m, &v, 2);
}

static void put32(struct msg *m, uint32_t v)
{
	put(m, &v, 4);
}

static void put64(struct msg *m, uint64_t v)
{
	put(m, &v, 8);
}

static void put_str(struct msg *m, const char *s)
{
	put16(m, strlen(s));
	put(m, s, strlen(s));
}

static void begin(struct msg *m, uint8_t type, uint16_t tag)
{
	m->len = 4;
	put(m, &type, 1);
	put16(m, tag);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/*
 * Send m, wait for the reply in r (rcap bytes); check it is type want
 * (not an Rlerror) with m's tag and the length its header gives.
 * Returns the reply length, or 0 after reporting the failure.
 */
static size_t rpc(struct ktest *t, struct p9_transport *tr, struct msg *m,
		  uint8_t *r, size_t rcap, uint8_t want)
{
	long n;

	memcpy(m->buf, &(uint32_t){ m->len }, 4);
	n = p9_transport_rpc(tr, m->buf, m->len, r, rcap);
	if (n < 7) {
		ktest_fail(t, __FILE__, __LINE__, "type %u: rpc returned %ld",
			   m->buf[4], n);
		return 0;
	}
	if (r[4] != want || get16(r + 5) != get16(m->buf + 5) ||
	    get32(r) != (uint32_t)n) {
		ktest_fail(t, __FILE__, __LINE__,
			   "sent type %u tag %u, got type %u tag %u "
			   "size %u of %ld%s%d",
			   m->buf[4], get16(m->buf + 5), r[4], get16(r + 5),
			   get32(r), n, r[4] == RLERROR ? ", errno " : "",
			   r[4] == RLERROR ? (int)get32(r + 7) : 0);
		return 0;
	}
	return n;
}

/* Tversion, Tattach (ROOT_FID), Twalk to name (FILE_FID), Tlopen. */
static bool open_file_msize(struct ktest *t, struct p9_transport *tr,
			    const char *name, struct msg *m, uint8_t *r,
			    uint32_t msize)
{
	size_t n;

	begin(m, TVERSION, NOTAG);
	put32(m, msize);
	put_str(m, "9P2000.L");
	n = rpc(t, tr, m, r, msize, TVERSION + 1);
	if (!n)
		return false;
	KTEST_EXPECT_EQ(t, get32(r + 7), msize);
	KTEST_EXPECT_EQ(t, get16(r + 11), 8);
	KTEST_EXPECT(t, !memcmp(r + 13, "9P2000.L", 8));

	begin(m, TATTACH, 1);
	put32(m, ROOT_FID);
	put32(m, NOFID);
	put_str(m, "root");
	put_str(m, "");
	put32(m, 0);
	n = rpc(t, tr, m, r, MSIZE, TATTACH + 1);
	if (!n)
		return false;
	KTEST_EXPECT_EQ(t, n, 7 + 13);
	KTEST_EXPECT_EQ(t, r[7] & 0x80, 0x80);	/* QTDIR: the root */

	begin(m, TWALK, 2);
	put32(m, ROOT_FID);
	put32(m, FILE_FID);
	put16(m, 1);
	put_str(m, name);
	n = rpc(t, tr, m, r, MSIZE, TWALK + 1);
	if (!n)
		return false;
	KTEST_EXPECT_EQ(t, get16(r + 7), 1);
	KTEST_EXPECT_EQ(t, r[9] & 0x80, 0);	/* a file */

	begin(m, TLOPEN, 3);
	put32(m, FILE_FID);
	put32(m, 0);		/* O_RDONLY */
	return rpc(t, tr, m, r, MSIZE, TLOPEN + 1) != 0;
}

static bool open_file(struct ktest *t, struct p9_transport *tr,
		      const char *name, struct msg *m, uint8_t *r)
{
	return open_file_msize(t, tr, name, m, r, MSIZE);
}

static void read_msg(struct msg *m, uint16_t tag, uint64_t off, uint32_t count)
{
	begin(m, TREAD, tag);
	put32(m, FILE_FID);
	put64(m, off);
	put32(m, count);
}

/* The 9p device found at boot: the modern-only one this suite boots with. */
static struct pci_dev *p9_device(void)
{
	return pci_find_device(VIRTIO_PCI_VENDOR,
			       VIRTIO_PCI_MODERN_BASE + VIRTIO_ID_9P, 0);
}

/* MSI-X table entry 0, read through the kernel's mapping of its BAR. */
static volatile uint32_t *msix_entry0(struct pci_dev *d, unsigned cap)
{
	uint32_t table = pci_cfg32(d->config, cap + 4);
	uint8_t *bar = pci_bar_map(d, table & 7);

	return bar ? (volatile uint32_t *)(bar + (table & ~7u)) : NULL;
}

static void pci_finds_host_bridge_and_9p_device(struct ktest *t)
{
	struct pci_dev *host = pci_find_class(PCI_CLASS_BRIDGE_HOST, 0);
	struct pci_dev *p9 = p9_device();
	struct p9_transport *tr = p9_transport_find(TAG);
	struct virtio_9p_stats s;
	volatile uint32_t *e;
	unsigned msix;

	KTEST_EXPECT(t, pci_device_count() >= 2);
	/* QEMU's i440fx or q35 (MCH), at 00:00.0. */
	KTEST_EXPECT(t, host && host->vendor == 0x8086);
	KTEST_EXPECT(t, host && (host->device == 0x1237 ||
				 host->device == 0x29c0));
	KTEST_EXPECT(t, host && host->bus == 0 && host->slot == 0);
	KTEST_EXPECT(t, p9 && p9->driver);
	KTEST_EXPECT(t, p9 && !strcmp(p9->driver->name, "virtio-9p"));
	KTEST_EXPECT(t, tr && p9 && p9->driver_data == tr);
	if (!p9 || !tr)
		return;
	/* The MSI-X table, read back through our mapping of its BAR,
	 * holds the vector the driver wrote; the device has MSI-X on. */
	msix = pci_cap_find(p9->config, PCI_CAP_ID_MSIX, 0);
	e = msix ? msix_entry0(p9, msix) : NULL;
	KTEST_EXPECT(t, e != NULL);
	if (!e)
		return;
	virtio_9p_stats(tr, &s);
	KTEST_EXPECT_EQ(t, e[2], s.msix_vector);
	KTEST_EXPECT_EQ(t, e[0] & 0xfff00000u, 0xfee00000u);
	KTEST_EXPECT(t, pci_config_read16(p9, msix + 2) & 0x8000);
	KTEST_EXPECT(t, pci_config_read16(p9, PCI_COMMAND) &
				PCI_COMMAND_MASTER);
}

static void unknown_tag_and_bad_buffers_refused(struct ktest *t)
{
	struct p9_transport *tr = p9_transport_find(TAG);
	uint8_t small[16] = { 0 };

	KTEST_EXPECT(t, p9_transport_find("no-such-tag") == NULL);
	KTEST_EXPECT(t, tr != NULL);
	if (!tr)
		return;
	KTEST_EXPECT(t, p9_transport_max_msg(tr) >= MSIZE);
	KTEST_EXPECT_EQ(t, p9_transport_rpc(tr, small, 6, small, sizeof(small)),
			-EINVAL);
	KTEST_EXPECT_EQ(t, p9_transport_rpc(tr, (void *)0x400000, 7, small,
					    sizeof(small)), -EFAULT);
}

/* The whole exchange: version, attach, walk, open, read what the host
 * wrote, and a read past the end giving nothing. */
static void p9_reads_what_the_host_wrote(struct ktest *t)
{
	struct p9_transport *tr = p9_transport_find(TAG);
	struct msg m = { kmem_alloc(MSIZE), 0, MSIZE };
	uint8_t *r = kmem_alloc(MSIZE);
	char token[128];
	size_t n;

	if (!cmdline_get(boot_info.cmdline, "ktest.p9token", token,
			 sizeof(token)))
		ktest_fail(t, __FILE__, __LINE__, "no ktest.p9token= (or too long)");
	else if (!tr || !m.buf || !r)
		ktest_fail(t, __FILE__, __LINE__, "no transport or memory");
	else if (open_file(t, tr, "token.txt", &m, r)) {
		read_msg(&m, 4, 0, 4096);
		n = rpc(t, tr, &m, r, MSIZE, TREAD + 1);
		KTEST_EXPECT_EQ(t, n, 11 + strlen(token));
		KTEST_EXPECT_EQ(t, get32(r + 7), strlen(token));
		KTEST_EXPECT(t, n && !memcmp(r + 11, token, strlen(token)));
		read_msg(&m, 5, strlen(token), 4096);
		n = rpc(t, tr, &m, r, MSIZE, TREAD + 1);
		KTEST_EXPECT_EQ(t, n, 11);
		begin(&m, TCLUNK, 6);
		put32(&m, FILE_FID);
		rpc(t, tr, &m, r, MSIZE, TCLUNK + 1);
	}
	kmem_free(m.buf);
	kmem_free(r);
}

/* A message as large as the transport takes: the whole pattern file in
 * one Rread, the reply one physically contiguous buffer. */
static void largest_message_carries_the_whole_file(struct ktest *t)
{
	struct p9_transport *tr = p9_transport_find(TAG);
	size_t max = tr ? p9_transport_max_msg(tr) : 0;
	struct msg m = { kmem_alloc(MSIZE), 0, MSIZE };
	uint8_t *r = max ? kmem_alloc(max) : NULL;
	uint32_t bad = 0;
	size_t n;

	if (!m.buf || !r || max < PATTERN_SIZE + 11 ||
	    !open_file_msize(t, tr, "pattern.bin", &m, r, max)) {
		ktest_fail(t, __FILE__, __LINE__, "cannot open pattern.bin");
		goto out;
	}
	read_msg(&m, 7, 0, PATTERN_SIZE);
	n = rpc(t, tr, &m, r, max, TREAD + 1);
	KTEST_EXPECT_EQ(t, n, 11 + PATTERN_SIZE);
	for (uint32_t i = 0; n == 11 + PATTERN_SIZE && i < PATTERN_SIZE; i++)
		bad += r[11 + i] != pattern_byte(i);
	KTEST_EXPECT_EQ(t, bad, 0);
out:
	kmem_free(m.buf);
	kmem_free(r);
}

#define THREADS_PER_CPU	4
#define RPCS_PER_THREAD	25
#define MAX_THREADS	(THREADS_PER_CPU * CONFIG_NR_CPUS)

struct reader {
	struct p9_transport *tr;
	unsigned id;
	unsigned rpcs;
	unsigned cpu, ran_on;
	unsigned bad_tag, bad_data, errors;
};

/* Each thread reads its own slices with its own tags: a reply meant for
 * another caller would carry the wrong tag or the wrong bytes. */
static void reader_thread(void *arg)
{
	struct reader *rd = arg;
	uint8_t *req = kmem_alloc(64), *r = kmem_alloc(4096 + 11);
	struct msg m = { req, 0, 64 };

	rd->ran_on = this_cpu_id();
	for (unsigned k = 0; req && r && k < rd->rpcs; k++) {
		uint16_t tag = 100 + rd->id * RPCS_PER_THREAD + k;
		uint32_t count = 1 + (rd->id * 977 + k * 131) % 4096;
		uint32_t off = (rd->id * 7919 + k * 104729) % (PATTERN_SIZE - count);
		long n;

		read_msg(&m, tag, off, count);
		memcpy(m.buf, &(uint32_t){ m.len }, 4);
		n = p9_transport_rpc(rd->tr, m.buf, m.len, r, 4096 + 11);
		if (n != 11 + (long)count || r[4] != TREAD + 1) {
			rd->errors++;
			continue;
		}
		if (get16(r + 5) != tag)
			rd->bad_tag++;
		for (uint32_t i = 0; i < count; i++)
			if (r[11 + i] != pattern_byte(off + i)) {
				rd->bad_data++;
				break;
			}
	}
	if (!req || !r)
		rd->errors++;
	kmem_free(req);
	kmem_free(r);
}

/* Sleep until the transport has n requests in flight (false if it never
 * gets there: the bound only ends a broken test, as a failure). */
static bool wait_in_flight(struct p9_transport *tr, unsigned n)
{
	struct virtio_9p_stats s;
	uint64_t start = time_ns();

	for (;;) {
		virtio_9p_stats(tr, &s);
		if (s.in_flight >= n)
			return true;
		if (time_ns() - start > 60 * NSEC_PER_SEC)
			return false;
		task_sleep_ns(NSEC_PER_MSEC);
	}
}

/*
 * Four threads per CPU, each reading its own slices with its own tags.
 * For the first round the interrupt is masked at the device (MSI-X), so
 * every thread's first request is in the queue at once, reaped by the
 * one interrupt the device holds pending until the unmask.
 */
static void concurrent_rpcs_each_get_their_reply(struct ktest *t)
{
	struct p9_transport *tr = p9_transport_find(TAG);
	struct pci_dev *p9 = p9_device();
	struct msg m = { kmem_alloc(MSIZE), 0, MSIZE };
	uint8_t *r = kmem_alloc(MSIZE);
	static struct reader rd[MAX_THREADS];
	struct task *th[MAX_THREADS];
	struct virtio_9p_stats before, after;
	unsigned n = THREADS_PER_CPU * nr_cpus_online, bad = 0;
	bool all_queued;

	if (!tr || !p9 || !m.buf || !r || !open_file(t, tr, "pattern.bin", &m, r)) {
		ktest_fail(t, __FILE__, __LINE__, "cannot open pattern.bin");
		goto out;
	}
	virtio_9p_stats(tr, &before);
	KTEST_EXPECT_EQ(t, before.in_flight, 0);
	KTEST_EXPECT_EQ(t, pci_msix_mask(p9, 0, true), 0);
	for (unsigned i = 0; i < n; i++) {
		rd[i] = (struct reader){ .tr = tr, .id = i,
					 .rpcs = RPCS_PER_THREAD,
					 .cpu = i % nr_cpus_online };
		th[i] = kthread_create(reader_thread, &rd[i], "p9-reader",
				       rd[i].cpu);
		KTEST_EXPECT(t, th[i] != NULL);
	}
	all_queued = wait_in_flight(tr, n);
	KTEST_EXPECT(t, all_queued);
	KTEST_EXPECT_EQ(t, pci_msix_mask(p9, 0, false), 0);
	for (unsigned i = 0; i < n; i++) {
		if (!th[i])
			continue;
		kthread_join(th[i]);
		KTEST_EXPECT_EQ(t, rd[i].ran_on, rd[i].cpu);
		bad += rd[i].errors + rd[i].bad_tag + rd[i].bad_data;
	}
	virtio_9p_stats(tr, &after);
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, after.rpcs - before.rpcs, n * RPCS_PER_THREAD);
	KTEST_EXPECT_EQ(t, after.replies - before.replies, n * RPCS_PER_THREAD);
	KTEST_EXPECT_EQ(t, after.in_flight, 0);
	KTEST_EXPECT(t, after.max_in_flight >= n);
	KTEST_EXPECT(t, after.max_in_flight <= after.queue_size / 2);
	/* Replies come by interrupt: fewer than one per reply is fine
	 * (one reaps several), none would mean callers polled. */
	KTEST_EXPECT(t, after.irqs > before.irqs);
out:
	kmem_free(m.buf);
	kmem_free(r);
}

/* Sleep until n callers have found the queue full (see wait_in_flight). */
static bool wait_queue_full(struct p9_transport *tr, uint64_t n)
{
	struct virtio_9p_stats s;
	uint64_t start = time_ns();

	for (;;) {
		virtio_9p_stats(tr, &s);
		if (s.queue_full >= n)
			return true;
		if (time_ns() - start > 60 * NSEC_PER_SEC)
			return false;
		task_sleep_ns(NSEC_PER_MSEC);
	}
}

/*
 * More callers than the queue has room for: with the interrupt masked
 * the queue fills (two descriptors a request) and the rest sleep; when
 * replies are reaped they get their turn, and every one is answered.
 */
static void full_queue_callers_wait_for_room(struct ktest *t)
{
	struct p9_transport *tr = p9_transport_find(TAG);
	struct pci_dev *p9 = p9_device();
	struct msg m = { kmem_alloc(MSIZE), 0, MSIZE };
	uint8_t *r = kmem_alloc(MSIZE);
	static struct reader rd[MAX_THREADS];
	struct task *th[MAX_THREADS];
	struct virtio_9p_stats before, after;
	unsigned room, n, bad = 0;
	bool full;

	if (!tr || !p9 || !m.buf || !r || !open_file(t, tr, "pattern.bin", &m, r)) {
		ktest_fail(t, __FILE__, __LINE__, "cannot open pattern.bin");
		goto out;
	}
	virtio_9p_stats(tr, &before);
	room = before.queue_size / 2;
	n = MIN(room + 16, MAX_THREADS);
	KTEST_EXPECT(t, n > room);
	KTEST_EXPECT_EQ(t, pci_msix_mask(p9, 0, true), 0);
	for (unsigned i = 0; i < n; i++) {
		rd[i] = (struct reader){ .tr = tr, .id = i, .rpcs = 1,
					 .cpu = i % nr_cpus_online };
		th[i] = kthread_create(reader_thread, &rd[i], "p9-crowd",
				       rd[i].cpu);
		KTEST_EXPECT(t, th[i] != NULL);
	}
	full = wait_in_flight(tr, room) &&
	       wait_queue_full(tr, before.queue_full + n - room);
	KTEST_EXPECT(t, full);
	virtio_9p_stats(tr, &after);
	KTEST_EXPECT_EQ(t, after.in_flight, room);
	KTEST_EXPECT_EQ(t, pci_msix_mask(p9, 0, false), 0);
	for (unsigned i = 0; i < n; i++) {
		if (!th[i])
			continue;
		kthread_join(th[i]);
		bad += rd[i].errors + rd[i].bad_tag + rd[i].bad_data;
	}
	virtio_9p_stats(tr, &after);
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, after.replies - before.replies, n);
	KTEST_EXPECT_EQ(t, after.in_flight, 0);
	KTEST_EXPECT_EQ(t, after.max_in_flight, room);
out:
	kmem_free(m.buf);
	kmem_free(r);
}

static const struct ktest_case virtio_cases[] = {
	KTEST_CASE(pci_finds_host_bridge_and_9p_device),
	KTEST_CASE(unknown_tag_and_bad_buffers_refused),
	KTEST_CASE(p9_reads_what_the_host_wrote),
	KTEST_CASE(largest_message_carries_the_whole_file),
	KTEST_CASE(concurrent_rpcs_each_get_their_reply),
	KTEST_CASE(full_queue_callers_wait_for_room),
};
KTEST_SUITE_NAMED_ONLY(virtio, virtio_cases);
