/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Waiting on files: readiness masks, poll tables, and the interruptible
 * wait the blocking kinds of file share.
 *
 * A kind's poll operation returns what the file is ready for now and, if
 * given a poll table, puts an entry on each wait queue whose wake-up may
 * change that (poll_wait). Whoever waits (poll, select, epoll) checks the
 * masks, and if none is ready sleeps until one of those queues is woken,
 * a timeout passes or a signal arrives; it never polls in a loop.
 */
#ifndef KITTEN_POLL_H
#define KITTEN_POLL_H

#include <kitten/list.h>
#include <kitten/types.h>
#include <kitten/waitqueue.h>

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLRDBAND	0x0080
#define POLLWRNORM	0x0100
#define POLLWRBAND	0x0200
#define POLLRDHUP	0x2000

/* What a file without a poll operation (a regular file) is: always ready. */
#define POLL_ALWAYS	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

#define O_NONBLOCK	04000

struct file;
struct task;

/*
 * The queues one waiter (a poll, select or epoll_wait call, or one epoll
 * item) is on. A wake-up of any of them sets triggered and wakes task,
 * or, for epoll, calls fn.
 */
struct poll_table {
	struct task *task;
	bool triggered;
	struct list_head entries;	/* struct poll_entry, kmem */
	void (*fn)(struct poll_table *pt);	/* NULL: wake task */
	int error;			/* an entry could not be allocated */
};

void poll_table_init(struct poll_table *pt);
/* Take every entry off its queue and free it. */
void poll_table_free(struct poll_table *pt);
/* From a kind's poll operation on f: wake pt when wq is woken (pt may be
 * NULL). The entry holds a reference to f, so wq outlives it. */
void poll_wait(struct file *f, struct poll_table *pt, struct waitqueue *wq);
/* The file's ready mask (its poll operation, or POLL_ALWAYS). */
unsigned file_poll(struct file *f, struct poll_table *pt);

#define POLL_FOREVER	UINT64_MAX	/* a deadline that never comes */

/*
 * Sleep until pt is triggered, deadline (time_ns()) passes, or a signal
 * or kill is pending. Returns 0 to rescan, -ETIMEDOUT or -EINTR. Called
 * after a scan that found nothing ready.
 */
int poll_table_sleep(struct poll_table *pt, uint64_t deadline);

/* A struct timespec timeout at user uts (0: none) as a deadline; 0 or
 * -EFAULT/-EINVAL. */
int poll_deadline_ts(uint64_t uts, uint64_t *deadline);
/* Write back to user uts what is left of deadline (ppoll, pselect6). */
void poll_remaining_ts(uint64_t uts, uint64_t deadline);
/* Replace the signal mask for one call (ppoll, pselect6, epoll_pwait):
 * the user's sigset at umask of size bytes (0: keep the mask). */
int poll_set_sigmask(uint64_t umask, uint64_t size);
/* The call ends with ret: unless a signal interrupted it (its handler
 * runs under the call's mask, then returns to the old one), the old
 * mask is back at once. */
void poll_end_sigmask(long ret);

/* A signal to handle or a kill is pending for the current task. */
bool wait_interrupted(void);

/*
 * For blocking kinds: sleep on wq until cond holds. 0, -EAGAIN if
 * nonblock, or -ERESTARTSYS when a signal arrives (the call restarts
 * after the handler if it has SA_RESTART, else gives -EINTR).
 */
#define wait_event_nonblock(wq, cond, nonblock)                          \
	({                                                               \
		int __ret = 0;                                           \
		struct waiter __w = { .wake = NULL };                    \
		list_init(&__w.node);                                    \
		for (;;) {                                               \
			waitqueue_prepare(&(wq), &__w);                  \
			if (cond)                                        \
				break;                                   \
			if (nonblock) {                                  \
				__ret = -EAGAIN;                         \
				break;                                   \
			}                                                \
			if (wait_interrupted()) {                        \
				__ret = -ERESTARTSYS;                    \
				break;                                   \
			}                                                \
			schedule();                                      \
		}                                                        \
		waitqueue_finish(&(wq), &__w);                           \
		__ret;                                                   \
	})

/* The same, non-blocking as the file f is (O_NONBLOCK). */
#define file_wait_event(f, wq, cond)                                     \
	wait_event_nonblock(wq, cond, READ_ONCE((f)->flags) & O_NONBLOCK)

#endif
