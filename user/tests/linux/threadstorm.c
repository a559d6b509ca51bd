// SPDX-License-Identifier: GPL-2.0
/*
 * Many short threads: created in waves as wide as the machine, each
 * doing almost nothing, so a thread often exits before its creator is
 * back from clone(). Every one must be joined, and its result seen: a
 * thread that became runnable before clone() had set it up would leave
 * pthread_join() waiting for good.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define WAVE 16

static long done;

static void *short_thread(void *arg)
{
	__atomic_add_fetch(&done, 1, __ATOMIC_RELAXED);
	return arg;
}

int main(int argc, char **argv)
{
	long total = argc > 1 ? atol(argv[1]) : 10000, joined = 0, wrong = 0;
	pthread_t t[WAVE];

	for (long base = 0; base < total; base += WAVE) {
		long n = total - base < WAVE ? total - base : WAVE;

		for (long i = 0; i < n; i++)
			if (pthread_create(&t[i], NULL, short_thread, (void *)(base + i))) {
				printf("threadstorm: pthread_create failed at %ld\n", base + i);
				return 1;
			}
		for (long i = 0; i < n; i++) {
			void *ret;

			pthread_join(t[i], &ret);
			wrong += (long)ret != base + i;
			joined++;
		}
	}
	printf("threadstorm: %ld threads created and joined, %ld ran, %ld wrong results\n",
	       joined, done, wrong);
	return wrong || done != total;
}
