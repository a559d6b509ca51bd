// SPDX-License-Identifier: GPL-2.0
/*
 * select and pselect6: poll over three descriptor bit sets. Each
 * descriptor named in any set is asked for its ready mask (poll.c's
 * table does the waiting); a descriptor is readable for POLLIN, POLLHUP
 * or POLLERR, writable for POLLOUT or POLLERR, and exceptional for
 * POLLPRI, as Linux maps them. A descriptor that is not open is -EBADF.
 * The sets are rewritten with what is ready; select also writes back
 * the time left, as Linux does.
 */
#include <arch/time.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/poll.h>
#include <kitten/string.h>
#include <kitten/syscall.h>

#define SELECT_MAX	1024	/* FD_SETSIZE */
#define WORDS		(SELECT_MAX / 64)

#define IN_SET	(POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define OUT_SET	(POLLOUT | POLLWRNORM | POLLERR)
#define EX_SET	(POLLPRI)

struct fdsets {
	uint64_t in[WORDS], out[WORDS], ex[WORDS];
};

static bool test(const uint64_t *set, int fd)
{
	return set[fd / 64] >> (fd % 64) & 1;
}

/* One pass: the ready sets in res; the count, or -EBADF. */
static long scan(const struct fdsets *want, struct fdsets *res, int n,
		 struct poll_table *pt)
{
	long count = 0;

	memset(res, 0, sizeof(*res));
	for (int fd = 0; fd < n; fd++) {
		bool r = test(want->in, fd), w = test(want->out, fd),
		     x = test(want->ex, fd);
		uint64_t bit = 1ULL << (fd % 64);
		struct file *f;
		unsigned mask;

		if (!r && !w && !x)
			continue;
		f = fd_get(fd);
		if (!f)
			return -EBADF;
		mask = file_poll(f, pt);
		file_put(f);
		if (r && (mask & IN_SET))
			res->in[fd / 64] |= bit, count++;
		if (w && (mask & OUT_SET))
			res->out[fd / 64] |= bit, count++;
		if (x && (mask & EX_SET))
			res->ex[fd / 64] |= bit, count++;
	}
	return count;
}

static int copy_set(uint64_t *set, uint64_t uptr, int n)
{
	memset(set, 0, WORDS * 8);
	return uptr ? copy_from_user(set, uptr, (n + 63) / 64 * 8) : 0;
}

static int put_set(uint64_t uptr, const uint64_t *set, int n)
{
	return uptr ? copy_to_user(uptr, set, (n + 63) / 64 * 8) : 0;
}

static long do_select(int n, uint64_t uin, uint64_t uout, uint64_t uex,
		      uint64_t deadline)
{
	struct fdsets want, res;
	struct poll_table pt;
	long ret;

	if (n < 0)
		return -EINVAL;
	n = MIN(n, SELECT_MAX);
	if (copy_set(want.in, uin, n) || copy_set(want.out, uout, n) ||
	    copy_set(want.ex, uex, n))
		return -EFAULT;
	poll_table_init(&pt);
	for (struct poll_table *reg = &pt;; reg = NULL) {
		ret = scan(&want, &res, n, reg);
		if (ret || pt.error)
			break;
		ret = poll_table_sleep(&pt, deadline);
		if (ret == -ETIMEDOUT) {
			ret = scan(&want, &res, n, NULL);
			break;
		}
		if (ret)
			break;
	}
	poll_table_free(&pt);
	if (pt.error && !ret)
		ret = pt.error;
	if (ret >= 0 && (put_set(uin, res.in, n) || put_set(uout, res.out, n) ||
			 put_set(uex, res.ex, n)))
		ret = -EFAULT;
	return ret;
}

SYSCALL_DEFINE5(select, int64_t, n, uint64_t, uin, uint64_t, uout,
		uint64_t, uex, uint64_t, utv)
{
	uint64_t deadline = POLL_FOREVER, now = time_ns(), left;
	int64_t tv[2];	/* struct timeval */
	long ret;

	if (utv) {
		if (copy_from_user(tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
			return -EINVAL;
		if ((uint64_t)tv[0] < (POLL_FOREVER - now) / NSEC_PER_SEC - 1)
			deadline = now + tv[0] * NSEC_PER_SEC +
				   tv[1] * NSEC_PER_USEC;
	}
	ret = do_select((int)n, uin, uout, uex, deadline);
	if (utv && deadline != POLL_FOREVER) {
		now = time_ns();
		left = deadline > now ? deadline - now : 0;
		tv[0] = left / NSEC_PER_SEC;
		tv[1] = left % NSEC_PER_SEC / NSEC_PER_USEC;
		copy_to_user(utv, tv, sizeof(tv));	/* as Linux: ignored */
	}
	return ret;
}

/* pselect6's sixth argument: the mask pointer and its size, in memory. */
SYSCALL_DEFINE6(pselect6, int64_t, n, uint64_t, uin, uint64_t, uout,
		uint64_t, uex, uint64_t, uts, uint64_t, usig)
{
	uint64_t deadline, sig[2] = { 0, 0 };
	long ret = poll_deadline_ts(uts, &deadline);

	if (ret)
		return ret;
	if (usig && copy_from_user(sig, usig, sizeof(sig)))
		return -EFAULT;
	ret = poll_set_sigmask(sig[0], sig[1]);
	if (ret)
		return ret;
	ret = do_select((int)n, uin, uout, uex, deadline);
	poll_end_sigmask(ret);
	poll_remaining_ts(uts, deadline);
	return ret;
}
