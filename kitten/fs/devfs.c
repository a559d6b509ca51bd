// SPDX-License-Identifier: GPL-2.0
/*
 * Device files and the generated files of /proc and /sys that the C
 * library and OpenMP runtimes read (CPU counts, memory, uptime), each
 * registered with read and write callbacks, which this
 * file's operations table calls a kernel chunk at a time. /dev/console
 * is the console's own kind of file (tty.c).
 *
 * A generated text file is produced whole on each read and the reader's
 * window copied out: these files are small and read rarely, and the
 * content is then consistent within one read.
 */
#define pr_fmt(fmt) "devfs: " fmt

#include <arch/cpufeature.h>
#include <arch/percpu.h>
#include <arch/time.h>
#include <arch/x86.h>
#include <kitten/aspace.h>
#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kernel.h>
#include <kitten/kmem.h>
#include <kitten/mm.h>
#include <kitten/pmem.h>
#include <kitten/printk.h>
#include <kitten/proc.h>
#include <kitten/procfs.h>
#include <kitten/ramfs.h>
#include <kitten/stats.h>
#include <kitten/random.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/textsum.h>

#define TEXT_MAX (32 * 1024)
#define CHUNK 256

typedef size_t (*text_fn)(char *out, size_t cap);

/* A generated file: its callbacks read and write kernel memory at an
 * offset and return bytes or -errno; text files are made by text(). */
struct devfs_file {
	const char *path;
	uint32_t mode, rdev;
	long (*read)(const struct devfs_file *d, char *buf, uint64_t len,
		     uint64_t off);
	long (*write)(const struct devfs_file *d, const char *buf, uint64_t len,
		      uint64_t off);
	text_fn text;
};

static long null_read(const struct devfs_file *d, char *buf, uint64_t len,
		      uint64_t off)
{
	(void)d, (void)buf, (void)len, (void)off;
	return 0;
}

static long null_write(const struct devfs_file *d, const char *buf,
		       uint64_t len, uint64_t off)
{
	(void)d, (void)buf, (void)off;
	return len;
}

static long zero_read(const struct devfs_file *d, char *buf, uint64_t len,
		      uint64_t off)
{
	(void)d, (void)off;
	memset(buf, 0, len);
	return len;
}

/* random.c's bytes: RDRAND where the CPU has it, as getrandom(). */
static long random_read(const struct devfs_file *d, char *buf, uint64_t len,
			uint64_t off)
{
	(void)d, (void)off;
	random_fill(buf, len);
	return len;
}

/* /proc/kitten/stats: "start" and "stop" (kitten/stats.h). */
static long stats_write(const struct devfs_file *d, const char *buf,
			uint64_t len, uint64_t off)
{
	(void)d, (void)off;
	return stats_control(buf, len);
}

static long text_read(const struct devfs_file *d, char *buf, uint64_t len,
		      uint64_t off)
{
	char *text = kmem_alloc(TEXT_MAX);
	size_t size;
	long ret = 0;

	if (!text)
		return -ENOMEM;
	size = d->text(text, TEXT_MAX);
	if (off < size) {
		ret = MIN(len, size - off);
		memcpy(buf, text + off, ret);
	}
	kmem_free(text);
	return ret;
}

/* Through the callbacks a kernel chunk at a time. */
static long devfs_read(struct file *f, uint64_t ubuf, uint64_t len,
		       uint64_t *pos)
{
	const struct devfs_file *d = f->inode->priv;
	char chunk[CHUNK];
	long done = 0;

	while ((uint64_t)done < len) {
		size_t k = MIN(len - done, sizeof(chunk));
		long got = d->read ? d->read(d, chunk, k, *pos) : -EINVAL;

		if (got <= 0)
			return done ? done : got;
		if (copy_to_user(ubuf + done, chunk, got))
			return done ? done : -EFAULT;
		done += got;
		*pos += got;
		if ((uint64_t)got < sizeof(chunk))
			break;
	}
	return done;
}

static long devfs_write(struct file *f, uint64_t ubuf, uint64_t len,
			uint64_t *pos)
{
	const struct devfs_file *d = f->inode->priv;
	char chunk[CHUNK];
	long done = 0;

	while ((uint64_t)done < len) {
		size_t k = MIN(len - done, sizeof(chunk));
		long put;

		if (copy_from_user(chunk, ubuf + done, k))
			return done ? done : -EFAULT;
		put = d->write ? d->write(d, chunk, k, *pos) : -EINVAL;
		if (put <= 0)
			return done ? done : put;
		done += put;
		*pos += put;
	}
	return done;
}

/* Generated files have no size: the end is where reading stops. */
static long devfs_lseek(struct file *f, int64_t off, int whence, uint64_t pos)
{
	(void)f;
	return file_seek_in(off, whence, pos, 0);
}

static const struct file_operations devfs_ops = {
	.read = devfs_read,
	.write = devfs_write,
	.lseek = devfs_lseek,
	.stat = file_stat_inode,
};

/* snprintf that appends at *len and never runs past cap. */
#define APPEND(out, cap, len, ...)                                            \
	do {                                                                  \
		if (len < cap)                                                \
			len += snprintf(out + len, cap - len, __VA_ARGS__);   \
		if (len > cap)                                                \
			len = cap;                                            \
	} while (0)

static size_t cpuinfo(char *out, size_t cap)
{
	size_t len = 0;
	struct cpu *c;

	for_each_online_cpu(c) {
		APPEND(out, cap, len,
		       "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\n"
		       "model\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n"
		       "cpu MHz\t\t: %lu\nphysical id\t: 0\nsiblings\t: %u\n"
		       "core id\t\t: %u\ncpu cores\t: %u\napicid\t\t: %u\n"
		       "flags\t\t: fpu pae sse sse2 lm\n\n",
		       c->id, boot_cpu_info.vendor, boot_cpu_info.family,
		       boot_cpu_info.model, boot_cpu_info.brand,
		       boot_cpu_info.stepping, tsc_hz() / 1000000,
		       nr_cpus_online, c->id, nr_cpus_online, c->apic_id);
	}
	return len;
}

static size_t meminfo(char *out, size_t cap)
{
	size_t len = 0;

	APPEND(out, cap, len,
	       "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
	       "MemAvailable:   %8lu kB\nBuffers:               0 kB\n"
	       "Cached:                0 kB\nSwapTotal:             0 kB\n"
	       "SwapFree:              0 kB\nHugePages_Total:       0\n"
	       "Hugepagesize:       2048 kB\n",
	       mm_managed_bytes() >> 10, mm_free_bytes() >> 10,
	       mm_free_bytes() >> 10);
	return len;
}

static size_t interrupts(char *out, size_t cap)
{
	size_t len = 0;
	struct cpu *c;

	APPEND(out, cap, len, "    ");
	for_each_online_cpu(c)
		APPEND(out, cap, len, "       CPU%u", c->id);
	APPEND(out, cap, len, "\n");
	for (unsigned v = 32; v < NR_VECTORS; v++) {
		uint64_t total = 0;

		for_each_online_cpu(c)
			total += c->irq_count[v];
		if (!total)
			continue;
		APPEND(out, cap, len, "%3u:", v);
		for_each_online_cpu(c)
			APPEND(out, cap, len, " %10lu", c->irq_count[v]);
		APPEND(out, cap, len, "\n");
	}
	return len;
}

static size_t cpu_range(char *out, size_t cap)
{
	size_t len = 0;

	if (nr_cpus_online == 1)
		APPEND(out, cap, len, "0\n");
	else
		APPEND(out, cap, len, "0-%u\n", nr_cpus_online - 1);
	return len;
}

static size_t node_online(char *out, size_t cap)
{
	size_t len = 0;

	APPEND(out, cap, len, "0\n");
	return len;
}

/* Each CPU's idle time: what its idle task ran. */
static uint64_t idle_ns(const struct cpu *c)
{
	const struct task *idle = c->idle;
	uint64_t ns;

	if (!idle)
		return 0;
	ns = READ_ONCE(idle->runtime_ns);
	if (READ_ONCE(c->current) == idle)	/* idle now: since it began */
		ns += time_ns() - READ_ONCE(idle->last_switch_ns);
	return ns;
}

static size_t uptime(char *out, size_t cap)
{
	uint64_t up = time_ns(), idle = 0;
	size_t len = 0;
	struct cpu *c;

	for_each_online_cpu(c)
		idle += idle_ns(c);
	APPEND(out, cap, len, "%lu.%02lu %lu.%02lu\n", up / NSEC_PER_SEC,
	       up % NSEC_PER_SEC / (NSEC_PER_SEC / 100), idle / NSEC_PER_SEC,
	       idle % NSEC_PER_SEC / (NSEC_PER_SEC / 100));
	return len;
}

static int count_process(struct aspace *as, void *arg)
{
	(void)as;
	(*(unsigned *)arg)++;
	return 0;
}

/*
 * /proc/stat: per CPU, the time not idle counts as user time (Kitten does
 * not split user from kernel time), in 100 Hz ticks; the boot time, and
 * the process count. Interrupt and switch totals are not kept: 0.
 */
static size_t stat_text(char *out, size_t cap)
{
	uint64_t up = time_ns() / (NSEC_PER_SEC / 100), busy = 0, idle = 0;
	size_t len = 0;
	unsigned procs = 0;
	struct cpu *c;

	for_each_online_cpu(c) {
		uint64_t i = idle_ns(c) / (NSEC_PER_SEC / 100);

		idle += MIN(i, up);
		busy += up - MIN(i, up);
	}
	APPEND(out, cap, len, "cpu  %lu 0 0 %lu 0 0 0 0 0 0\n", busy, idle);
	for_each_online_cpu(c) {
		uint64_t i = MIN(idle_ns(c) / (NSEC_PER_SEC / 100), up);

		APPEND(out, cap, len, "cpu%u %lu 0 0 %lu 0 0 0 0 0 0\n", c->id,
		       up - i, i);
	}
	proc_for_each(count_process, &procs);
	APPEND(out, cap, len,
	       "intr 0\nctxt 0\nbtime %ld\nprocesses %u\nprocs_running %u\n"
	       "procs_blocked 0\n",
	       (time_realtime_ns() - (int64_t)time_ns()) / (int64_t)NSEC_PER_SEC,
	       procs, procs);
	return len;
}

static size_t loadavg(char *out, size_t cap)
{
	size_t len = 0;
	unsigned procs = 0;

	/* Load averages are not kept (no periodic tick to sample them). */
	proc_for_each(count_process, &procs);
	APPEND(out, cap, len, "0.00 0.00 0.00 %u/%u 0\n", procs, procs);
	return len;
}

/*
 * /proc/kitten/memory: who holds the pages that are not free, so that a
 * leak test can say what did not come back. "other" is what neither the
 * heap nor job extents hold: page tables, FPU areas, VM memory, boot-time
 * allocations.
 */
static size_t kitten_memory(char *out, size_t cap)
{
	struct kmem_heap h;
	uint64_t extents, pmem_bytes, used;
	size_t len = 0;

	kmem_snapshot(&h);
	pmem_totals(&extents, &pmem_bytes);
	used = mm_managed_bytes() - mm_free_bytes();
	APPEND(out, cap, len, "free_kib %lu\nkmem_pages %lu\n",
	       mm_free_bytes() >> 10, h.pages_held);
	for (unsigned c = 0; c < KMEM_NR_CLASSES; c++)
		APPEND(out, cap, len, "kmem_%u objects %lu slabs %lu\n",
		       KMEM_MIN_SMALL << c, h.live[c], h.slabs[c]);
	APPEND(out, cap, len,
	       "kmem_large blocks %lu pages %lu\npmem extents %lu pages %lu\n"
	       "other_pages %lu\n",
	       h.large_blocks, h.large_pages, extents, pmem_bytes >> PAGE_SHIFT,
	       (used - pmem_bytes) / PAGE_SIZE - h.pages_held);
	return len;
}

#define DEV(major, minor) ((major) << 8 | (minor))

static const struct devfs_file files[] = {
	{ "/dev/null", 0020666, DEV(1, 3), null_read, null_write, NULL },
	{ "/dev/zero", 0020666, DEV(1, 5), zero_read, null_write, NULL },
	{ "/dev/urandom", 0020444, DEV(1, 9), random_read, null_write, NULL },
	{ "/dev/random", 0020444, DEV(1, 8), random_read, null_write, NULL },
	{ "/proc/cpuinfo", 0100444, 0, text_read, NULL, cpuinfo },
	{ "/proc/meminfo", 0100444, 0, text_read, NULL, meminfo },
	{ "/proc/interrupts", 0100444, 0, text_read, NULL, interrupts },
	{ "/proc/stat", 0100444, 0, text_read, NULL, stat_text },
	{ "/proc/uptime", 0100444, 0, text_read, NULL, uptime },
	{ "/proc/loadavg", 0100444, 0, text_read, NULL, loadavg },
	{ "/proc/kitten/text_sum", 0100444, 0, text_read, NULL, kernel_text_sum_text },
	{ "/proc/kitten/memory", 0100444, 0, text_read, NULL, kitten_memory },
	{ "/proc/kitten/stats", 0100644, 0, text_read, stats_write, stats_text },
	{ "/sys/devices/system/cpu/online", 0100444, 0, text_read, NULL, cpu_range },
	{ "/sys/devices/system/cpu/possible", 0100444, 0, text_read, NULL, cpu_range },
	{ "/sys/devices/system/cpu/present", 0100444, 0, text_read, NULL, cpu_range },
	{ "/sys/devices/system/node/online", 0100444, 0, text_read, NULL, node_online },
	{ "/sys/devices/system/node/node0/cpulist", 0100444, 0, text_read, NULL,
	  cpu_range },
};

static void add(const char *path, uint32_t mode, uint32_t rdev,
		const struct file_operations *fops, void *priv)
{
	int err = ramfs_register(path, mode, rdev, fops, priv);

	if (err)
		pr_err("%s: cannot register (error %d)\n", path, err);
}

void devfs_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		add(files[i].path, files[i].mode, files[i].rdev, &devfs_ops,
		    (void *)&files[i]);
	/* The console is the tty's: the same file as descriptors 0-2. */
	add("/dev/console", 0020620, DEV(5, 1), &tty_console_ops, NULL);
	ramfs_create("/tmp", CPIO_S_IFDIR | 01777, NULL, 0, NULL);
	procfs_init();		/* /proc/self and the processes' directories */
}
