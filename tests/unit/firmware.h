/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake physical memory for firmware-table tests: a 1 MiB buffer that
 * stands for physical 0-1 MiB, with builders that write ACPI and MP
 * tables into it with correct checksums (tests then break them).
 */
#ifndef TESTS_UNIT_FIRMWARE_H
#define TESTS_UNIT_FIRMWARE_H

#include <string.h>
#include <kitten/platform.h>

#define FAKE_MEM_SIZE (1 << 20)

static uint8_t fake_mem[FAKE_MEM_SIZE];

static inline const void *fake_map(void *ctx, paddr_t pa, size_t len)
{
	(void)ctx;
	if (pa >= FAKE_MEM_SIZE || len > FAKE_MEM_SIZE - pa)
		return NULL;
	return fake_mem + pa;
}

static const struct platform_mem fake = { .map = fake_map };

static inline void put8(paddr_t pa, uint8_t v) { fake_mem[pa] = v; }
static inline void put16(paddr_t pa, uint16_t v) { memcpy(fake_mem + pa, &v, 2); }
static inline void put32(paddr_t pa, uint32_t v) { memcpy(fake_mem + pa, &v, 4); }
static inline void put64(paddr_t pa, uint64_t v) { memcpy(fake_mem + pa, &v, 8); }

/* Set the byte at csum_at so that [pa, pa+len) sums to zero. */
static inline void fix_checksum(paddr_t pa, size_t len, paddr_t csum_at)
{
	uint8_t s = 0;

	fake_mem[csum_at] = 0;
	for (size_t i = 0; i < len; i++)
		s += fake_mem[pa + i];
	fake_mem[csum_at] = -s;
}

#endif
