/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwcfg: QEMU's firmware configuration device as firmware and test
 * kernels use it (kvm-unit-tests reads its CPU count there).
 *
 * Runs in long mode. By the ports (selector 0x510, data 0x511): the
 * signature "QEMU", the ID with the DMA bit, the CPU count against
 * cpus=N of the command line, the RAM size against mib=N. By DMA (the
 * big-endian address register at 0x514): the signature again, the file
 * directory and its etc/e820, whose RAM adds up to mib=N; and a transfer
 * aimed at the test device's MMIO page, which is not RAM, comes back
 * with the error bit. Runs on plain QEMU too (-smp N -m N).
 */
#include "guest.h"

#define SEL 0x510
#define DATA 0x511
#define DMA 0x514

#define KEY_SIGNATURE 0x00
#define KEY_ID 0x01
#define KEY_RAM_SIZE 0x03
#define KEY_NB_CPUS 0x05
#define KEY_MAX_CPUS 0x0f
#define KEY_FILE_DIR 0x19

#define DMA_ERROR 0x01
#define DMA_READ 0x02
#define DMA_SELECT 0x08

#define NOT_RAM 0xd0000000ul	/* the test device's page */

struct mb_info_cmdline {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
};

struct dma_access {
	u32 control, length;
	u64 address;
} __aligned(16);

static struct dma_access access;
static u8 buf[4096] __aligned(64);

static inline void outw(u16 port, u16 v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static u64 cmdline_number(const char *key)
{
	const struct mb_info_cmdline *mb = (const void *)(uintptr_t)boot_info;
	const char *start = (const char *)(uintptr_t)mb->cmdline, *p;
	size_t n = 0;
	u64 v = 0;

	if (!(mb->flags & MB_INFO_CMDLINE))
		return 0;
	while (key[n])
		n++;
	for (p = start; *p; p++) {
		size_t i = 0;

		while (i < n && p[i] == key[i])
			i++;
		if (i == n && (p == start || p[-1] == ' ')) {
			for (p += n; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (u64)(*p - '0');
			return v;
		}
	}
	return 0;
}

static u64 port_read(u16 key, unsigned int n)
{
	u64 v = 0;

	outw(SEL, key);
	for (unsigned int i = 0; i < n; i++)
		v |= (u64)inb(DATA) << (8 * i);
	return v;
}

/* A DMA read of len bytes of item key to dst; the control word left. */
static u32 dma_read(u16 key, void *dst, u32 len)
{
	u64 pa = (uintptr_t)&access;

	access.control = __builtin_bswap32((u32)key << 16 | DMA_SELECT | DMA_READ);
	access.length = __builtin_bswap32(len);
	access.address = __builtin_bswap64((uintptr_t)dst);
	asm volatile("" ::: "memory");
	outl(DMA, __builtin_bswap32(pa >> 32));
	outl(DMA + 4, __builtin_bswap32((u32)pa));
	asm volatile("" ::: "memory");
	return __builtin_bswap32(access.control);
}

static u64 be(const u8 *p, unsigned int n)
{
	u64 v = 0;

	for (unsigned int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* The RAM etc/e820 describes, by DMA through the file directory. */
static u64 e820_ram(void)
{
	u32 count, i;
	u64 total = 0;

	if (dma_read(KEY_FILE_DIR, buf, sizeof(buf)))
		return 0;
	count = be(buf, 4);
	for (i = 0; i < count && 4 + (i + 1) * 64 <= sizeof(buf); i++) {
		const u8 *e = buf + 4 + i * 64;
		u32 size = be(e, 4);
		u16 key = be(e + 4, 2);
		static u8 table[20 * 16];

		if (!same((const char *)e + 8, "etc/e820") || size > sizeof(table))
			continue;
		if (dma_read(key, table, size))
			return 0;
		for (u32 off = 0; off + 20 <= size; off += 20) {
			u64 addr, len;
			u32 type;

			__builtin_memcpy(&addr, table + off, 8);
			__builtin_memcpy(&len, table + off + 8, 8);
			__builtin_memcpy(&type, table + off + 16, 4);
			printf("# etc/e820: [0x%lx, 0x%lx) type %u\n", (unsigned long)addr,
			       (unsigned long)(addr + len), type);
			if (type == 1)
				total += len;
		}
	}
	return total;
}

int guest_main(void)
{
	u64 cpus = cmdline_number("cpus="), mem = cmdline_number("mib=") << 20;
	u64 nb, max, ram;
	char sig[5] = { 0 };
	u32 status;

	ktap_plan(7);
	outw(SEL, KEY_SIGNATURE);
	for (unsigned int i = 0; i < 4; i++)
		sig[i] = inb(DATA);
	ktap_check(same(sig, "QEMU"), "signature_by_port %s", sig);
	ktap_check(port_read(KEY_ID, 4) & 2, "id_has_dma");
	nb = port_read(KEY_NB_CPUS, 2);
	max = port_read(KEY_MAX_CPUS, 2);
	printf("# %lu CPUs (max %lu), expected %lu\n", (unsigned long)nb,
	       (unsigned long)max, (unsigned long)cpus);
	ktap_check(cpus && nb == cpus && max >= nb, "cpu_count");
	ram = port_read(KEY_RAM_SIZE, 8);
	ktap_check(mem && ram == mem, "ram_size %lu MiB", (unsigned long)(ram >> 20));
	__builtin_memset(buf, 0, 8);
	status = dma_read(KEY_SIGNATURE, buf, 4);
	ktap_check(status == 0 && same((const char *)buf, "QEMU"), "signature_by_dma");
	ktap_check(e820_ram() == mem, "e820_by_dma");
	status = dma_read(KEY_SIGNATURE, (void *)NOT_RAM, 4);
	ktap_check(status & DMA_ERROR, "dma_to_mmio_is_an_error");
	return ktap_finish();
}
