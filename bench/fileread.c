// SPDX-License-Identifier: GPL-2.0
/*
 * Read a file from start to end in 1 MiB read() calls, twice (the first
 * pass untimed: a kernel with a page cache keeps what it read; Kitten has
 * none, so both passes of it go to the file server), and print
 *
 *	bench fileread ns=... mbs=... bytes=...
 *
 * for the second pass. Run on a file of the host's over virtio-9p, it
 * measures the 9P client and transport (tools/kitten run's export of the
 * current directory, a Linux guest's mount of the same export).
 */
#include "bench.h"

#include <fcntl.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static uint64_t read_all(const char *path, char *buf)
{
	uint64_t total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	while ((n = read(fd, buf, CHUNK)) > 0)
		total += n;
	if (n < 0) {
		perror("fileread: read");
		exit(1);
	}
	close(fd);
	return total;
}

int main(int argc, char **argv)
{
	static char buf[CHUNK];
	uint64_t start, ns, bytes;

	if (argc != 2)
		bench_usage_error("usage: fileread FILE");
	read_all(argv[1], buf);
	start = bench_now_ns();
	bytes = read_all(argv[1], buf);
	ns = bench_now_ns() - start;
	if (!bytes || !ns) {
		fprintf(stderr, "fileread: %s is empty\n", argv[1]);
		return 1;
	}
	printf("bench fileread ns=%lu mbs=%.1f bytes=%lu\n", (unsigned long)ns,
	       bytes / 1048576.0 / (ns / 1e9), (unsigned long)bytes);
	return 0;
}
