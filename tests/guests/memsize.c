/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memsize: all of a big guest's RAM is there, and is its own.
 *
 * Runs in long mode. Reads the multiboot memory map, checks that its RAM
 * adds up to the mib=N of the command line and that none lies in the
 * PC's 32-bit device window [3 GiB, 4 GiB), then maps every RAM range
 * with 2 MiB pages and writes a value of its own (the address, mixed) at
 * the first and last 8 bytes of every 2 MiB of RAM above 16 MiB, and
 * reads them all back: RAM missing, aliased (two guest pages on one host
 * page) or cut short shows as a fault or a wrong value. The last check
 * is the top 8 bytes of RAM. Runs on plain QEMU too (-m N, mib=N).
 */
#include "guest.h"

#define MB_INFO_MMAP 0x40
#define LOW_CHECKED (16ull << 20)	/* the guest's image and tables below */
#define WINDOW_START (3ull << 30)
#define WINDOW_END (4ull << 30)
#define LARGE (2ull << 20)
#define MAX_RANGES 8

struct mb_info_full {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
	u32 mods_count, mods_addr, syms[4];
	u32 mmap_length, mmap_addr;
};

struct mb_mmap {
	u32 size;
	u64 base, length;
	u32 type;
} __attribute__((packed));

static struct { u64 start, end; } ram[MAX_RANGES];
static unsigned int nr_ram;

static u64 cmdline_number(const char *key)
{
	const struct mb_info_full *mb = (const void *)(uintptr_t)boot_info;
	const char *p = (const char *)(uintptr_t)mb->cmdline;
	u64 v = 0;
	size_t n = 0;

	if (!(mb->flags & MB_INFO_CMDLINE))
		return 0;
	while (key[n])
		n++;
	for (; *p; p++) {
		size_t i = 0;

		while (i < n && p[i] == key[i])
			i++;
		if (i == n && (p == (const char *)(uintptr_t)mb->cmdline || p[-1] == ' ')) {
			for (p += n; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (u64)(*p - '0');
			return v;
		}
	}
	return 0;
}

static u64 read_map(void)
{
	const struct mb_info_full *mb = (const void *)(uintptr_t)boot_info;
	u64 total = 0, at;

	if (!(mb->flags & MB_INFO_MMAP))
		return 0;
	for (at = mb->mmap_addr; at < (u64)mb->mmap_addr + mb->mmap_length;) {
		const struct mb_mmap *e = (const void *)(uintptr_t)at;

		printf("# map: [0x%lx, 0x%lx) type %u\n", (unsigned long)e->base,
		       (unsigned long)(e->base + e->length), e->type);
		if (e->type == 1 && nr_ram < MAX_RANGES) {
			ram[nr_ram].start = e->base;
			ram[nr_ram++].end = e->base + e->length;
			total += e->length;
		}
		at += e->size + 4;
	}
	return total;
}

static bool in_window(void)
{
	for (unsigned int i = 0; i < nr_ram; i++)
		if (ram[i].start < WINDOW_END && ram[i].end > WINDOW_START)
			return true;
	return false;
}

/* Identity-map [1 GiB, end) with 2 MiB pages; entry64.S did the first. */
static void map_ram(u64 end)
{
	for (u64 va = 1ull << 30; va < end; va += LARGE)
		*pt64_entry(boot_pml4, va, 2) = va | PTE_P | PTE_W | PTE_PS;
	write_cr3(read_cr3());
}

static u64 mark(u64 pa)
{
	return pa * 0x9e3779b97f4a7c15ull ^ 0x5a5a5a5a5a5a5a5aull;
}

/* Each 2 MiB of range r at or above LOW_CHECKED: its first and last
 * 8 bytes. write: store the marks; else count the wrong ones. */
static u64 walk(bool write, u64 *checked)
{
	u64 bad = 0;

	for (unsigned int i = 0; i < nr_ram; i++) {
		u64 s = ram[i].start < LOW_CHECKED ? LOW_CHECKED : ram[i].start;

		for (u64 pa = (s + LARGE - 1) & ~(LARGE - 1); pa + LARGE <= ram[i].end;
		     pa += LARGE) {
			volatile u64 *first = (volatile u64 *)(uintptr_t)pa;
			volatile u64 *last = (volatile u64 *)(uintptr_t)(pa + LARGE - 8);

			if (write) {
				*first = mark(pa);
				*last = mark(pa + LARGE - 8);
				continue;
			}
			bad += *first != mark(pa);
			bad += *last != mark(pa + LARGE - 8);
			*checked += LARGE;
		}
	}
	return bad;
}

int guest_main(void)
{
	u64 want = cmdline_number("mib=") << 20, total, top = 0, checked = 0, bad;
	volatile u64 *last;

	ktap_plan(5);
	total = read_map();
	ktap_check(nr_ram > 0, "memory_map");
	printf("# RAM %lu MiB, expected %lu MiB\n", (unsigned long)(total >> 20),
	       (unsigned long)(want >> 20));
	/* The BIOS-era holes below 1 MiB are not RAM: up to 1 MiB less. */
	ktap_check(want && total <= want && total + (1 << 20) > want, "ram_size");
	ktap_check(!in_window(), "no_ram_in_device_window");
	for (unsigned int i = 0; i < nr_ram; i++)
		top = ram[i].end > top ? ram[i].end : top;
	map_ram(top);
	walk(true, &checked);
	bad = walk(false, &checked);
	printf("# %lu MiB checked in 2 MiB steps, %lu wrong\n",
	       (unsigned long)(checked >> 20), (unsigned long)bad);
	ktap_check(bad == 0 && checked + LOW_CHECKED + LARGE * nr_ram >= total,
		   "pattern_read_back");
	last = (volatile u64 *)(uintptr_t)(top - 8);
	*last = mark(top);
	ktap_check(*last == mark(top), "top_of_ram 0x%lx", (unsigned long)top);
	return ktap_finish();
}
