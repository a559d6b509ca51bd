// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: run a virtual machine from a configuration image (made by
 * tools/mkvmimage), relay its console to standard output, and report why
 * it stopped and how often it exited to the VMM, by reason.
 *
 *   vmrun [--cpus 1,2] [--timeout SEC] [--boots N] [--canary]
 *         [--fuzz EXITS] [--abandon] IMAGE
 *
 * --boots N runs the VM N times in a row from the same image, which
 * keeps the guest's disk from one boot to the next (the kernel writes it
 * back into the image when the VM is freed).
 * vCPU i runs on the i-th CPU of --cpus (default: CPUs 1, 2, ..., leaving
 * CPU 0 to this program). The exit status is the guest's debug-exit
 * value; 124 when --timeout stopped the VM; 125 when it stopped for any
 * other reason; 2 when the image or the settings were refused.
 *
 * --canary checks that the VM wrote no host memory outside its own: a
 * buffer of this job's memory filled with a seeded pattern, and the
 * kernel's code (/proc/kitten/text_sum), each summed before the first
 * boot and after every one; a change is reported and gives status 3.
 *
 * --fuzz EXITS is for guests that misbehave on purpose (the guest
 * fuzzer): boot after boot, with " boot=N" added to the guest's command
 * line so that a seeded guest runs a new chunk each time, until the VMs'
 * exits (host interrupts not counted) add up to EXITS. Any stop is a
 * result, not an error; a VM that makes no exit for 2 s is stopped (the
 * guest spins), which shows the VMM still answers. It implies --canary;
 * the status is 0 when the host memory was unchanged throughout.
 *
 * --abandon creates and launches the VM, then exits at once without
 * stopping or freeing it: the kernel must end it with the process.
 */
#include "kitten.h"
#include <palacios/image.h>

#define EAGAIN 11

#define CANARY_BYTES	(4u << 20)
#define STALL_NS	(2000ull * 1000 * 1000)
#define FUZZ_BOOT_EXITS	200000	/* a chunk makes 5,000-20,000 */

struct run_opts {
	const unsigned *cpus;
	unsigned ncpus;
	unsigned timeout_s;
	bool stall_check;	/* stop a VM that makes no exits */
};

/* What one boot did, for --fuzz's totals. */
struct run_result {
	uint64_t exits;		/* host interrupts not counted */
	bool stalled;
};

/* Host memory the VM must not touch, and its sums when we started. */
struct canary {
	uint64_t *buf;
	uint64_t sum;
	char text_sum[48];
};

/* A decimal number at *s, advancing *s; false if there is none. */
static bool parse_uint(const char **s, unsigned *v)
{
	if (**s < '0' || **s > '9')
		return false;
	for (*v = 0; **s >= '0' && **s <= '9'; (*s)++)
		*v = *v * 10 + (**s - '0');
	return true;
}

/* "1,2,3" into cpus; the count, or 0 when malformed. */
static unsigned parse_cpus(const char *s, unsigned *cpus, unsigned max)
{
	unsigned n = 0;

	while (*s && n < max) {
		if (!parse_uint(&s, &cpus[n++]))
			return 0;
		if (*s == ',')
			s++;
		else if (*s)
			return 0;
	}
	return n;
}

static void *read_image(const char *path, long *size)
{
	int fd = open(path, 0);
	char *buf;
	long got = 0;

	if (fd < 0)
		return NULL;
	*size = file_size(fd);
	buf = *size > 0 ? heap_alloc(*size) : NULL;
	while (buf && got < *size) {
		long n = read(fd, buf + got, *size - got);

		if (n <= 0)
			buf = NULL;
		else
			got += n;
	}
	close(fd);
	return buf;
}

static uint64_t fnv1a(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

/* /proc/kitten/text_sum's line, without its newline; false if unreadable. */
static bool read_text_sum(char *out, size_t cap)
{
	int fd = open("/proc/kitten/text_sum", 0);
	long n;

	if (fd < 0)
		return false;
	n = read(fd, out, cap - 1);
	close(fd);
	if (n <= 0)
		return false;
	out[n] = '\0';
	if (out[n - 1] == '\n')
		out[n - 1] = '\0';
	return true;
}

static bool canary_init(struct canary *c)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	c->buf = heap_alloc(CANARY_BYTES);
	if (!c->buf || !read_text_sum(c->text_sum, sizeof(c->text_sum)))
		return false;
	for (unsigned i = 0; i < CANARY_BYTES / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		c->buf[i] = x;
	}
	c->sum = fnv1a(c->buf, CANARY_BYTES);
	return true;
}

/* Both sums as at the start? Says what changed. */
static bool canary_intact(const struct canary *c)
{
	char now[sizeof(c->text_sum)];
	bool ok = true;

	if (fnv1a(c->buf, CANARY_BYTES) != c->sum) {
		printf("vmrun: canary: this job's memory changed\n");
		ok = false;
	}
	if (!read_text_sum(now, sizeof(now)) || strcmp(now, c->text_sum)) {
		printf("vmrun: canary: kernel text sum %s, was %s\n", now,
		       c->text_sum);
		ok = false;
	}
	return ok;
}

static uint64_t guest_exits(const struct kitten_vm_status *st)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < st->nr_exit_kinds; i++)
		if (strcmp(st->exits[i].name, "intr"))
			n += st->exits[i].count;
	return n;
}

static void report(const struct kitten_vm_status *st)
{
	printf("vmrun: stopped: %s\n", st->stop_reason);
	printf("vmrun: exits:");
	for (unsigned i = 0; i < st->nr_exit_kinds; i++)
		if (st->exits[i].count)
			printf(" %s=%lu", st->exits[i].name,
			       (unsigned long)st->exits[i].count);
	printf("\n");
}

/* Stop a VM whose exit count has not moved for STALL_NS, or that has
 * made far more exits than a fuzz chunk does (a guest looping with
 * exits). */
static void check_stall(int id, uint64_t now, uint64_t *last_exits,
			uint64_t *last_change, bool *stalled)
{
	struct kitten_vm_status st;
	uint64_t exits;

	if (*stalled || vm_status(id, &st) < 0)
		return;
	exits = guest_exits(&st);
	if (exits > FUZZ_BOOT_EXITS) {
		printf("\nvmrun: %llu exits in one boot: stopping the VM\n",
		       (unsigned long long)exits);
		*stalled = true;
		vm_stop(id);
	} else if (exits != *last_exits) {
		*last_exits = exits;
		*last_change = now;
	} else if (now - *last_change > STALL_NS) {
		printf("\nvmrun: no exits for %llu s: stopping the VM\n",
		       STALL_NS / 1000000000);
		*stalled = true;
		vm_stop(id);
	}
}

/* One VM from the image: create, launch, relay, report, free. */
static int run_once(const struct v3_image *h, long size, const char *path,
		    const struct run_opts *o, struct run_result *res)
{
	struct kitten_vm_status st;
	char err[160], buf[512];
	bool timed_out = false, stalled = false;
	uint64_t start, last_exits = 0, last_change;
	long n;
	int id;

	id = vm_create(h, size, err, sizeof(err));
	if (id < 0) {
		printf("vmrun: %s: refused: %s\n", path,
		       id == -22 || id == -1 ? err
		       : id == -19 ? "this machine cannot run VMs"
				   : "error");
		return 2;
	}
	int launched = vm_launch(id, o->cpus, o->ncpus);

	if (launched < 0) {
		printf("vmrun: cannot launch on the given CPUs (the VM has %u "
		       "vCPUs)%s\n", h->vcpus, launched == -1 ?
		       ": a CPU outside this job's cpus=" : "");
		vm_free(id);
		return 2;
	}

	start = last_change = now_ns();
	for (;;) {
		n = vm_console_read(id, buf, sizeof(buf), 200 * 1000 * 1000);
		if (n > 0)
			write(1, buf, n);
		else if (n == 0)
			break;
		else if (n != -EAGAIN)
			return 125;
		if (o->timeout_s && !timed_out &&
		    now_ns() - start > o->timeout_s * 1000000000ull) {
			printf("\nvmrun: no exit after %u s: stopping the VM\n",
			       o->timeout_s);
			timed_out = true;
			vm_stop(id);
		}
		if (o->stall_check)
			check_stall(id, now_ns(), &last_exits, &last_change,
				    &stalled);
	}
	vm_status(id, &st);
	report(&st);
	res->exits = guest_exits(&st);
	res->stalled = stalled;
	/* Under QEMU's -icount shift=0 this is the instructions executed. */
	printf("vmrun: ran %lu.%03lu s\n",
	       (unsigned long)((now_ns() - start) / 1000000000),
	       (unsigned long)((now_ns() - start) / 1000000 % 1000));
	vm_free(id);
	if (timed_out)
		return 124;
	return st.exit_status >= 0 ? st.exit_status : 125;
}

/*
 * --fuzz's image: a copy with the command line moved to the end (the
 * format allows a blob anywhere inside the image), where each boot writes
 * " boot=N" after it.
 */
struct fuzz_image {
	struct v3_image *img;
	long base;		/* the original image's size */
	size_t cl_len;		/* the original command line's, without NUL */
};

#define BOOT_ARG_ROOM 32

static bool fuzz_image_init(struct fuzz_image *f, const struct v3_image *h,
			    long size)
{
	const char *cl = (const char *)h + h->cmdline.offset;

	f->cl_len = h->cmdline.size ? strlen(cl) : 0;
	f->base = size;
	f->img = heap_alloc(size + f->cl_len + BOOT_ARG_ROOM);
	if (!f->img)
		return false;
	memcpy(f->img, h, size);
	memcpy((char *)f->img + size, cl, f->cl_len);
	f->img->cmdline.offset = size;
	return true;
}

/* The image for boot number boot; returns its size. */
static long fuzz_image_boot(struct fuzz_image *f, unsigned boot)
{
	char *arg = (char *)f->img + f->base + f->cl_len;
	int n = snprintf(arg, BOOT_ARG_ROOM, "%sboot=%u", f->cl_len ? " " : "",
			 boot);

	f->img->cmdline.size = f->cl_len + n + 1;
	f->img->image_size = f->base + f->img->cmdline.size;
	return f->img->image_size;
}

/* --fuzz: boots until the exits add up; status 0 if host memory held. */
static int fuzz(const struct v3_image *h, long size, const char *path,
		struct run_opts *o, uint64_t want, const struct canary *c)
{
	struct fuzz_image f;
	struct run_result res;
	uint64_t exits = 0;
	unsigned boot, stalls = 0, refused = 0;
	bool intact = true;

	if (!fuzz_image_init(&f, h, size)) {
		printf("vmrun: no memory for the fuzz image\n");
		return 2;
	}
	o->stall_check = true;
	for (boot = 0; exits < want && intact; boot++) {
		long len = fuzz_image_boot(&f, boot);

		printf("vmrun: fuzz boot %u, %llu of %llu exits\n", boot,
		       (unsigned long long)exits, (unsigned long long)want);
		res = (struct run_result){ 0 };
		if (run_once(f.img, len, path, o, &res) == 2 && ++refused > 3)
			break;
		exits += res.exits;
		stalls += res.stalled;
		intact = canary_intact(c);
	}
	printf("vmrun: fuzz: %u boots, %llu exits, %u stopped for making no or too many exits, host memory %s\n",
	       boot, (unsigned long long)exits, stalls,
	       intact ? "unchanged" : "CHANGED");
	return intact && exits >= want ? 0 : 1;
}

/* --abandon: a VM left running, for the kernel to end with us. */
static int abandon_vm(const struct v3_image *h, long size,
		      const struct run_opts *o)
{
	char err[160] = "";
	long id = vm_create(h, size, err, sizeof(err));

	if (id < 0) {
		printf("vmrun: refused: %s\n", err);
		return 2;
	}
	if (vm_launch(id, o->cpus, o->ncpus) < 0) {
		printf("vmrun: cannot launch VM %ld\n", id);
		return 2;
	}
	printf("vmrun: VM %ld left running\n", id);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned cpus[64], boots = 1;
	struct run_opts o = { .cpus = cpus };
	struct run_result res;
	struct canary canary;
	unsigned long long fuzz_exits = 0;
	bool check_canary = false, abandon = false;
	const char *path = NULL;
	const struct v3_image *h;
	long size;
	int i, status = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cpus") && i + 1 < argc)
			o.ncpus = parse_cpus(argv[++i], cpus, 64);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			const char *s = argv[++i];

			if (!parse_uint(&s, &o.timeout_s) || *s) {
				printf("vmrun: bad --timeout %s\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--boots") && i + 1 < argc) {
			const char *s = argv[++i];

			if (!parse_uint(&s, &boots) || *s || !boots) {
				printf("vmrun: bad --boots %s\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--fuzz") && i + 1 < argc) {
			const char *s = argv[++i];
			unsigned k;

			if (!parse_uint(&s, &k) || *s || !k) {
				printf("vmrun: bad --fuzz %s\n", argv[i]);
				return 2;
			}
			fuzz_exits = k;
			check_canary = true;
		} else if (!strcmp(argv[i], "--canary"))
			check_canary = true;
		else if (!strcmp(argv[i], "--abandon"))
			abandon = true;
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			printf("vmrun: bad argument %s\n", argv[i]);
			return 2;
		}
	}
	if (!path) {
		printf("usage: vmrun [--cpus LIST] [--timeout SEC] [--boots N] "
		       "[--canary] [--fuzz EXITS] [--abandon] IMAGE\n");
		return 2;
	}
	h = read_image(path, &size);
	if (!h) {
		printf("vmrun: %s: cannot read\n", path);
		return 2;
	}
	if (!o.ncpus && (unsigned long)size >= sizeof(*h) && h->vcpus <= 64)
		for (o.ncpus = 0; o.ncpus < h->vcpus; o.ncpus++)
			cpus[o.ncpus] = o.ncpus + 1;
	if (check_canary && !canary_init(&canary)) {
		printf("vmrun: cannot set up the canary\n");
		return 2;
	}
	if (fuzz_exits)
		return fuzz(h, size, path, &o, fuzz_exits, &canary);
	if (abandon)
		return abandon_vm(h, size, &o);

	for (unsigned boot = 1; boot <= boots; boot++) {
		if (boots > 1)
			printf("vmrun: boot %u of %u\n", boot, boots);
		status = run_once(h, size, path, &o, &res);
		if (check_canary && !canary_intact(&canary))
			return 3;
		if (status)
			break;
	}
	if (check_canary)
		printf("vmrun: canary: host memory unchanged\n");
	return status;
}
