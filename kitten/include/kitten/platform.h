/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the firmware says the machine is: CPUs, interrupt controllers,
 * timers and NUMA topology. ACPI fills it in (drivers/acpi.c), or the MP
 * table when ACPI is missing or broken (drivers/mptable.c). The parsers
 * read physical memory through a caller-supplied map function, so they
 * run unchanged on the host against tables built by unit tests.
 */
#ifndef KITTEN_PLATFORM_H
#define KITTEN_PLATFORM_H

#include <kitten/config.h>
#include <kitten/types.h>

#define PLATFORM_MAX_IOAPICS	8
#define PLATFORM_MAX_OVERRIDES	16
#define PLATFORM_MAX_NODES	8
#define PLATFORM_MAX_MEM_RANGES	32

/* Read len bytes of physical memory at pa; NULL if there is no such memory. */
struct platform_mem {
	const void *(*map)(void *ctx, paddr_t pa, size_t len);
	void *ctx;
};

struct platform_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
	bool enabled;		/* usable now (not just hot-pluggable) */
	bool bsp;		/* MP table only: the boot processor */
	uint32_t node;		/* NUMA node (0 without SRAT) */
};

struct platform_ioapic {
	uint32_t id;
	paddr_t address;
	uint32_t gsi_base;
};

/* An ISA IRQ that arrives on another GSI, or with other polarity/trigger. */
struct platform_override {
	uint8_t irq;
	uint32_t gsi;
	uint16_t flags;		/* MPS INTI flags: bits 0-1 polarity, 2-3 trigger */
};

struct platform_mem_range {
	paddr_t base;
	uint64_t size;
	uint32_t node;
};

struct platform {
	const char *source;	/* "ACPI" or "MP table" */
	paddr_t lapic_address;
	bool pcat_compat;	/* 8259 PICs present */

	struct platform_cpu cpus[CONFIG_NR_CPUS];
	unsigned nr_cpus;
	struct platform_ioapic ioapics[PLATFORM_MAX_IOAPICS];
	unsigned nr_ioapics;
	struct platform_override overrides[PLATFORM_MAX_OVERRIDES];
	unsigned nr_overrides;

	paddr_t hpet_address;	/* 0: no HPET */

	unsigned nr_nodes;	/* NUMA nodes; 1 when the firmware says none */
	struct platform_mem_range mem[PLATFORM_MAX_MEM_RANGES];
	unsigned nr_mem;
	uint8_t distance[PLATFORM_MAX_NODES][PLATFORM_MAX_NODES];
};

/* Firmware tables are valid when all their bytes add up to zero. */
static inline uint8_t platform_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len--)
		s += *b++;
	return s;
}

/* Locate the RSDP: the loader's hint if valid, else the BIOS areas. */
int acpi_find_rsdp(const struct platform_mem *mem, paddr_t hint, paddr_t *rsdp);
/*
 * Parse the tables under the RSDP. Corrupt tables are reported and
 * skipped. Returns 0, or -ENOENT when no usable MADT was found (the caller
 * falls back to the MP table).
 */
int acpi_parse(const struct platform_mem *mem, paddr_t rsdp, struct platform *p);

/* Find and parse the MP table; 0 or -ENOENT/-EINVAL. */
int mptable_parse(const struct platform_mem *mem, struct platform *p);

/* One CPU, one node: what a machine without usable tables is taken to be. */
void platform_default(struct platform *p);
void platform_print(const struct platform *p);

#endif
