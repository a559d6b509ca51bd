// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX threads as an HPC code uses them: 8 threads, a mutex-protected
 * counter, a condition variable, a barrier, thread-local storage, and
 * each thread's result collected by pthread_join. Exits 0 when all agree.
 */
#include <pthread.h>
#include <stdio.h>

#define THREADS 8
#define ROUNDS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static long counter;
static int arrived;
static __thread long mine;

static void *worker(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		mine += id;		/* thread-local: nobody else adds */
	}
	pthread_mutex_lock(&lock);
	arrived++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_barrier_wait(&barrier);
	return (void *)(mine / ROUNDS);
}

int main(void)
{
	pthread_t t[THREADS];
	int ok = 1;

	pthread_barrier_init(&barrier, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i)) {
			printf("pthread_create failed\n");
			return 1;
		}
	pthread_mutex_lock(&lock);
	while (arrived < THREADS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (long i = 0; i < THREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		if ((long)ret != i) {
			printf("thread %ld returned %ld\n", i, (long)ret);
			ok = 0;
		}
	}
	printf("threads: %d threads, counter %ld (expected %d), TLS %s\n",
	       THREADS, counter, THREADS * ROUNDS, ok ? "private" : "SHARED");
	return !(ok && counter == THREADS * ROUNDS);
}
