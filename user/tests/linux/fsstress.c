// SPDX-License-Identifier: GPL-2.0
/*
 * The file system under threads on several CPUs: 4 threads (Kitten puts
 * each new thread of a job on the job's next CPU, so with --cpus 4 they
 * run on 4 CPUs) share /tmp/fsstress and the descriptor table. Each
 * thread, ITERS times:
 *
 *   - creates tT-I.tmp (O_EXCL) and writes it in three pieces of growing
 *     size, so its buffer is reallocated while others may read it;
 *   - reads it back, renames it to tT-I.dat, checks its size by stat and
 *     its content again, and unlinks its .dat of two iterations ago;
 *   - appends one fixed-size record to a log every thread holds open
 *     with O_APPEND on one shared descriptor;
 *   - meets the others at a barrier, and all four open (O_CREAT, not
 *     O_EXCL) the same new file race-I and append RACE_RECORDS records
 *     each at once, so they create one name together and grow one
 *     buffer together; after a second barrier one thread checks that the
 *     file holds every record exactly once and unlinks it;
 *   - lists the directory with getdents64 in small batches (so a listing
 *     spans several calls while others create, rename and unlink) and
 *     opens and reads one file of another thread found in the listing.
 *
 * Every file's content names its writer and sequence number, and every
 * byte follows from them, so any reader can check any prefix it sees: a
 * .tmp may be caught part-written, a .dat must be complete (it is renamed
 * only when written). A listing must show ".", ".." and each thread's
 * never-touched keep file exactly once and no name twice. At the end the
 * log must hold each thread's ITERS records, each exactly once and whole.
 * Prints one summary line; exits 1 on any mismatch.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS		4
#define DIR_PATH	"/tmp/fsstress"
#define LOG_PATH	DIR_PATH "/log"
#define MAX_LEN		6000
#define RECORD		32	/* bytes per log record */
#define DENTS_BUF	256	/* a few entries per getdents64 call */
#define RACE_RECORDS	8

static int iters = 2000;
static int log_fd;
static pthread_barrier_t start, round_start, round_end;

struct counts {
	long created, renamed, unlinked, readbacks, listings, entries;
	long cross_reads, cross_partial, vanished, races, errors;
};

static struct counts total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;

static void error(struct counts *c, const char *fmt, ...)
{
	va_list ap;

	if (c->errors++ < 10) {	/* the first few say what went wrong */
		va_start(ap, fmt);
		printf("fsstress: ");
		vprintf(fmt, ap);
		printf("\n");
		va_end(ap);
	}
}

/* The full content of writer w's file number seq, in out; its length. */
static size_t content(int w, int seq, char *out)
{
	size_t len = 200 + (size_t)(seq * 2654435761u + w * 40503u) % (MAX_LEN - 200);
	int head = snprintf(out, len, "writer %d seq %d len %zu\n", w, seq, len);

	for (size_t k = head; k < len; k++)
		out[k] = 'a' + (w * 7 + seq * 13 + k) % 26;
	return len;
}

static void name_of(char *out, size_t size, int w, int seq, const char *ext)
{
	snprintf(out, size, DIR_PATH "/t%d-%d.%s", w, seq, ext);
}

static long write_all(int fd, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, buf + done, len - done);

		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

/* Read the whole file (up to MAX_LEN + 1 bytes) in odd-sized pieces. */
static long read_all(int fd, char *buf)
{
	size_t done = 0;

	while (done <= MAX_LEN) {
		size_t piece = MAX_LEN + 1 - done < 777 ? MAX_LEN + 1 - done : 777;
		ssize_t n = read(fd, buf + done, piece);

		if (n < 0)
			return -1;
		if (n == 0)
			return done;
		done += n;
	}
	return done;	/* longer than any file written */
}

/* Does got (len bytes) match a prefix (or, if whole, all) of w/seq? */
static int matches(int w, int seq, const char *got, long len, int whole)
{
	static __thread char want[MAX_LEN];
	long wlen = content(w, seq, want);

	if (len > wlen || (whole && len != wlen))
		return 0;
	return memcmp(got, want, len) == 0;
}

/* Open, read and check another thread's file named in a listing. */
static void cross_read(struct counts *c, const char *name)
{
	static __thread char buf[MAX_LEN + 1];
	char path[128], ext[8];
	int w, seq, fd;
	long n;

	if (sscanf(name, "t%d-%d.%3s", &w, &seq, ext) != 3)
		return;
	snprintf(path, sizeof(path), DIR_PATH "/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (errno != ENOENT)
			error(c, "open %s: %s", name, strerror(errno));
		else
			c->vanished++;	/* renamed or unlinked meanwhile */
		return;
	}
	n = read_all(fd, buf);
	close(fd);
	if (!matches(w, seq, buf, n, !strcmp(ext, "dat")))
		error(c, "%s: %ld bytes that writer %d seq %d did not write", name,
		      n, w, seq);
	else if (strcmp(ext, "dat"))
		c->cross_partial++;
	c->cross_reads++;
}

/* One listing in small batches; pick one other thread's file to read. */
static void list_dir(struct counts *c, int self, char *pick, size_t pick_size)
{
	static __thread char names[4096][24];
	char buf[DENTS_BUF];
	int fd = open(DIR_PATH, O_RDONLY | O_DIRECTORY), n = 0, keeps = 0, dots = 0;
	long got;

	pick[0] = '\0';
	if (fd < 0) {
		error(c, "open " DIR_PATH ": %s", strerror(errno));
		return;
	}
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long at = 0; at < got;) {
			/* linux_dirent64: ino, off, reclen (u16), type, name */
			const char *name = buf + at + 19;
			unsigned short reclen;

			memcpy(&reclen, buf + at + 16, sizeof(reclen));
			at += reclen;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				dots++;
			else if (!strncmp(name, "keep", 4))
				keeps++;
			else if (name[0] == 't' && name[1] - '0' != self)
				snprintf(pick, pick_size, "%.*s", 60, name);
			for (int i = 0; i < n; i++)
				if (!strcmp(names[i], name))
					error(c, "listing shows %s twice", name);
			if (n < 4096)
				snprintf(names[n++], sizeof(names[0]), "%.*s", 23, name);
		}
	}
	if (got < 0)
		error(c, "getdents64: %s", strerror(errno));
	close(fd);
	if (dots != 2 || keeps != THREADS)
		error(c, "listing shows %d dot entries and %d keep files", dots,
		      keeps);
	c->listings++;
	c->entries += n;
}

static void record(char *out, int w, int seq)
{
	char rec[RECORD + 1];

	snprintf(rec, sizeof(rec), "writer %d seq %-*d|\n", w, RECORD - 13 - 2,
		 seq);
	memcpy(out, rec, RECORD);
}

/*
 * Check n bytes of records in buf: each whole, from a writer below
 * THREADS with seq below seqs, none twice; and, if all, none missing.
 */
static void check_records(struct counts *c, const char *what, const char *buf,
			  long n, int seqs, int all)
{
	char *seen = calloc(THREADS, seqs);

	for (long at = 0; seen && at + RECORD <= n; at += RECORD) {
		int w, seq;

		if (sscanf(buf + at, "writer %d seq %d", &w, &seq) != 2 || w < 0 ||
		    w >= THREADS || seq < 0 || seq >= seqs ||
		    buf[at + RECORD - 2] != '|' || buf[at + RECORD - 1] != '\n') {
			error(c, "%s: record at %ld is torn", what, at);
			continue;
		}
		if (seen[w * seqs + seq]++)
			error(c, "%s holds writer %d seq %d twice", what, w, seq);
	}
	for (long k = 0; all && seen && k < (long)THREADS * seqs; k++)
		if (!seen[k])
			error(c, "%s lost writer %ld seq %ld", what, k / seqs,
			      k % seqs);
	free(seen);
}

/* All threads create and append to one file at once; one checks it. */
static void race(struct counts *c, int self, int i)
{
	char path[64], buf[THREADS * RACE_RECORDS * RECORD + 1];
	long size = sizeof(buf) - 1, n;
	int fd;

	snprintf(path, sizeof(path), DIR_PATH "/race-%d", i);
	pthread_barrier_wait(&round_start);
	fd = open(path, O_CREAT | O_WRONLY | O_APPEND, 0644);
	if (fd < 0)
		error(c, "open %s: %s", path, strerror(errno));
	for (int k = 0; fd >= 0 && k < RACE_RECORDS; k++) {
		record(buf, self, k);
		if (write(fd, buf, RECORD) != RECORD)
			error(c, "append to %s: %s", path, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	pthread_barrier_wait(&round_end);
	if (i % THREADS != self)
		return;
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read_all(fd, buf);
	if (fd >= 0)
		close(fd);
	if (n != size)
		error(c, "%s holds %ld bytes, want %ld", path, n, size);
	check_records(c, path, buf, n < 0 ? 0 : n, RACE_RECORDS, n == size);
	if (unlink(path))
		error(c, "unlink %s: %s", path, strerror(errno));
	c->races++;
}

static void *worker(void *arg)
{
	static __thread char buf[MAX_LEN + 1], want[MAX_LEN];
	struct counts c = { 0 };
	int self = (int)(long)arg;
	char tmp[128], dat[128], old[128], pick[64], rec[RECORD];
	struct stat st;

	pthread_barrier_wait(&start);
	for (int i = 0; i < iters; i++) {
		size_t len = content(self, i, want), cut1 = len / 8, cut2 = len / 2;
		long n;
		int fd;

		name_of(tmp, sizeof(tmp), self, i, "tmp");
		name_of(dat, sizeof(dat), self, i, "dat");
		fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0) {
			error(&c, "create %s: %s", tmp, strerror(errno));
			continue;
		}
		c.created++;
		if (write_all(fd, want, cut1) || write_all(fd, want + cut1, cut2 - cut1) ||
		    write_all(fd, want + cut2, len - cut2))
			error(&c, "write %s: %s", tmp, strerror(errno));
		close(fd);

		fd = open(tmp, O_RDONLY);
		n = fd < 0 ? -1 : read_all(fd, buf);
		if (fd >= 0)
			close(fd);
		if (!matches(self, i, buf, n, 1))
			error(&c, "%s read back %ld bytes, not the %zu written", tmp, n,
			      len);
		if (rename(tmp, dat))
			error(&c, "rename %s: %s", tmp, strerror(errno));
		else
			c.renamed++;
		if (stat(dat, &st) || (size_t)st.st_size != len)
			error(&c, "stat %s: size %ld, want %zu", dat,
			      (long)st.st_size, len);
		fd = open(dat, O_RDONLY);
		n = fd < 0 ? -1 : read_all(fd, buf);
		if (fd >= 0)
			close(fd);
		if (!matches(self, i, buf, n, 1))
			error(&c, "%s after rename: %ld bytes, not the %zu written", dat,
			      n, len);
		c.readbacks += 2;
		if (i >= 2) {
			name_of(old, sizeof(old), self, i - 2, "dat");
			if (unlink(old))
				error(&c, "unlink %s: %s", old, strerror(errno));
			else
				c.unlinked++;
		}

		record(rec, self, i);
		if (write(log_fd, rec, RECORD) != RECORD)
			error(&c, "log write: %s", strerror(errno));

		list_dir(&c, self, pick, sizeof(pick));
		if (pick[0])
			cross_read(&c, pick);
		race(&c, self, i);
	}
	for (int i = iters - 2; i < iters; i++) {
		name_of(old, sizeof(old), self, i, "dat");
		if (i >= 0 && !unlink(old))
			c.unlinked++;
	}
	pthread_mutex_lock(&total_lock);
	for (size_t k = 0; k < sizeof(c) / sizeof(long); k++)
		((long *)&total)[k] += ((long *)&c)[k];
	pthread_mutex_unlock(&total_lock);
	return NULL;
}

/* Each thread's ITERS records, each whole and exactly once. */
static void check_log(void)
{
	long size = (long)THREADS * iters * RECORD, n;
	char *buf = malloc(size + 1);
	int fd = open(LOG_PATH, O_RDONLY);

	n = fd < 0 || !buf ? -1 : pread(fd, buf, size + 1, 0);
	if (n != size)
		error(&total, "log holds %ld bytes, want %ld", n, size);
	check_records(&total, "log", buf, n < 0 ? 0 : n, iters, n == size);
	if (fd >= 0)
		close(fd);
	free(buf);
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];
	char keep[64];
	DIR *d;

	if (argc > 1)
		iters = atoi(argv[1]);
	if (mkdir(DIR_PATH, 0755) && errno != EEXIST) {
		printf("fsstress: mkdir " DIR_PATH ": %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < THREADS; i++) {
		snprintf(keep, sizeof(keep), DIR_PATH "/keep%d", i);
		close(open(keep, O_CREAT | O_WRONLY, 0644));
	}
	log_fd = open(LOG_PATH, O_CREAT | O_WRONLY | O_APPEND | O_TRUNC, 0644);
	if (log_fd < 0) {
		printf("fsstress: open " LOG_PATH ": %s\n", strerror(errno));
		return 1;
	}
	pthread_barrier_init(&start, NULL, THREADS);
	pthread_barrier_init(&round_start, NULL, THREADS);
	pthread_barrier_init(&round_end, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i)) {
			printf("fsstress: pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	close(log_fd);
	check_log();

	/* Only the keep files and the log are left. */
	int left = 0;

	d = opendir(DIR_PATH);
	for (struct dirent *e; d && (e = readdir(d));)
		left += e->d_name[0] != '.';
	if (d)
		closedir(d);
	if (left != THREADS + 1)
		error(&total, DIR_PATH " holds %d names at the end, want %d", left,
		      THREADS + 1);

	printf("fsstress: %d threads x %d: %ld created, %ld renamed, %ld unlinked, "
	       "%ld read back, %ld listings (%ld entries), %ld cross-reads "
	       "(%ld part-written, %ld vanished), %ld shared-file rounds, "
	       "%d log records, %ld errors\n",
	       THREADS, iters, total.created, total.renamed, total.unlinked,
	       total.readbacks, total.listings, total.entries, total.cross_reads,
	       total.cross_partial, total.vanished, total.races, THREADS * iters,
	       total.errors);
	return total.errors != 0;
}
