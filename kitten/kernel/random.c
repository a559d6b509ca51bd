// SPDX-License-Identifier: GPL-2.0
/*
 * Random bytes. Where the CPU has RDRAND (CPUID.1:ECX bit 30), every
 * byte comes from it: the hardware's conditioned generator, which Linux
 * too mixes into its pool. RDRAND may briefly report no data (CF clear);
 * Intel's guidance is to retry ten times, after which the CPU is deemed
 * broken and Kitten falls back like a CPU without it.
 *
 * Without it, bytes come from a xorshift generator seeded with the TSC:
 * good for hash seeds and stack canaries, not for keys. The kernel log
 * says so once, at the first use, so nobody mistakes one for the other.
 */
#define pr_fmt(fmt) "random: " fmt

#include <arch/cpufeature.h>
#include <arch/x86.h>
#include <kitten/compiler.h>
#include <kitten/printk.h>
#include <kitten/random.h>
#include <kitten/string.h>

#define RDRAND_RETRIES 10

static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		bool ok;

		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static bool rdrand_broken;

bool random_is_hardware(void)
{
	return boot_cpu_has(X86_FEATURE_RDRAND) && !READ_ONCE(rdrand_broken);
}

/* Readers on several CPUs may share a state update: that only repeats
 * some bytes, which this generator does not promise against anyway. */
static uint64_t xorshift(void)
{
	static uint64_t state;
	static bool warned;
	uint64_t x = READ_ONCE(state);

	if (!x) {
		x = rdtsc() | 1;
		if (!__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED))
			pr_warn("no RDRAND: random bytes are from a TSC-seeded xorshift, not for cryptography\n");
	}
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	WRITE_ONCE(state, x);
	return x;
}

void random_fill(void *buf, size_t len)
{
	static bool said;
	uint8_t *out = buf;

	if (random_is_hardware() && !__atomic_exchange_n(&said, true, __ATOMIC_RELAXED))
		pr_info("random bytes come from RDRAND\n");

	while (len) {
		uint64_t v;
		size_t n = len < sizeof(v) ? len : sizeof(v);

		if (!random_is_hardware() || !rdrand64(&v)) {
			if (random_is_hardware()) {
				WRITE_ONCE(rdrand_broken, true);
				pr_warn("RDRAND failed %d times in a row: no longer used\n",
					RDRAND_RETRIES);
			}
			v = xorshift();
		}
		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
}
