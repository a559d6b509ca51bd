// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: run a virtual machine from a configuration image (made by
 * tools/mkvmimage), relay its console to standard output, and report why
 * it stopped and how often it exited to the VMM, by reason.
 *
 *   vmrun [--cpus 1,2] [--timeout SEC] [--boots N] IMAGE
 *
 * --boots N runs the VM N times in a row from the same image, which
 * keeps the guest's disk from one boot to the next (the kernel writes it
 * back into the image when the VM is freed).
 * vCPU i runs on the i-th CPU of --cpus (default: CPUs 1, 2, ..., leaving
 * CPU 0 to this program). The exit status is the guest's debug-exit
 * value; 124 when --timeout stopped the VM; 125 when it stopped for any
 * other reason; 2 when the image or the settings were refused.
 */
#include "kitten.h"
#include <palacios/image.h>

#define EAGAIN 11

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

/* One VM from the image: create, launch, relay, report, free. */
static int run_once(const struct v3_image *h, long size, const char *path,
		    const unsigned *cpus, unsigned ncpus, unsigned timeout_s)
{
	struct kitten_vm_status st;
	char err[160], buf[512];
	bool timed_out = false;
	uint64_t start;
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
	int launched = vm_launch(id, cpus, ncpus);

	if (launched < 0) {
		printf("vmrun: cannot launch on the given CPUs (the VM has %u "
		       "vCPUs)%s\n", h->vcpus, launched == -1 ?
		       ": a CPU outside this job's cpus=" : "");
		vm_free(id);
		return 2;
	}

	start = now_ns();
	for (;;) {
		n = vm_console_read(id, buf, sizeof(buf), 200 * 1000 * 1000);
		if (n > 0)
			write(1, buf, n);
		else if (n == 0)
			break;
		else if (n != -EAGAIN)
			return 125;
		if (timeout_s && !timed_out &&
		    now_ns() - start > timeout_s * 1000000000ull) {
			printf("\nvmrun: no exit after %u s: stopping the VM\n",
			       timeout_s);
			timed_out = true;
			vm_stop(id);
		}
	}
	vm_status(id, &st);
	report(&st);
	/* Under QEMU's -icount shift=0 this is the instructions executed. */
	printf("vmrun: ran %lu.%03lu s\n",
	       (unsigned long)((now_ns() - start) / 1000000000),
	       (unsigned long)((now_ns() - start) / 1000000 % 1000));
	vm_free(id);
	if (timed_out)
		return 124;
	return st.exit_status >= 0 ? st.exit_status : 125;
}

int main(int argc, char **argv)
{
	unsigned cpus[64], ncpus = 0, timeout_s = 0, boots = 1;
	const char *path = NULL;
	const struct v3_image *h;
	long size;
	int i, status = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cpus") && i + 1 < argc)
			ncpus = parse_cpus(argv[++i], cpus, 64);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			const char *s = argv[++i];

			if (!parse_uint(&s, &timeout_s) || *s) {
				printf("vmrun: bad --timeout %s\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--boots") && i + 1 < argc) {
			const char *s = argv[++i];

			if (!parse_uint(&s, &boots) || *s || !boots) {
				printf("vmrun: bad --boots %s\n", argv[i]);
				return 2;
			}
		} else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			printf("vmrun: bad argument %s\n", argv[i]);
			return 2;
		}
	}
	if (!path) {
		printf("usage: vmrun [--cpus LIST] [--timeout SEC] [--boots N] "
		       "IMAGE\n");
		return 2;
	}
	h = read_image(path, &size);
	if (!h) {
		printf("vmrun: %s: cannot read\n", path);
		return 2;
	}
	if (!ncpus && (unsigned long)size >= sizeof(*h) && h->vcpus <= 64)
		for (ncpus = 0; ncpus < h->vcpus; ncpus++)
			cpus[ncpus] = ncpus + 1;

	for (unsigned boot = 1; boot <= boots; boot++) {
		if (boots > 1)
			printf("vmrun: boot %u of %u\n", boot, boots);
		status = run_once(h, size, path, cpus, ncpus, timeout_s);
		if (status)
			break;
	}
	return status;
}
