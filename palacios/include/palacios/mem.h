/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest-physical memory map: RAM regions backed by contiguous
 * host-physical extents, passed-through host device memory (mapped like
 * RAM, uncached, and never read or written by the VMM itself), and
 * hooked regions (MMIO) whose accesses are emulated and handed to a
 * device. A hook may lie over RAM (as a PC's
 * legacy VGA window does); lookups see the hook first.
 *
 * The map is filled while the VM is created and read-only afterwards, so
 * vCPUs read it without locking. The exception is a PCI BAR the guest
 * moves: its hook is removed and added again at run time, serialized by
 * the PCI bus. A removed hook is emptied in place ([max, 0)) and its slot
 * reused only when the table is full, after the new entry is filled, so
 * a concurrent lookup sees the old hook or none. Nested page tables are
 * built from the map once: a hook must not be moved over RAM (the NPT
 * already maps it), and the PCI bus refuses to. It is pure data:
 * tests/unit test it.
 */
#ifndef PALACIOS_MEM_H
#define PALACIOS_MEM_H

#include <stdbool.h>
#include <stdint.h>

struct v3_vcpu;

struct v3_mmio_ops {
	/* len is 1, 2, 4 or 8 and the access stays within the region. */
	int (*read)(struct v3_vcpu *v, uint64_t gpa, void *buf, unsigned len,
		    void *priv);
	int (*write)(struct v3_vcpu *v, uint64_t gpa, const void *buf,
		     unsigned len, void *priv);
};

struct v3_mem_region {
	uint64_t start, end;		/* [start, end), page aligned */
	uint64_t hpa;			/* RAM: host-physical of start */
	bool device;			/* host device memory, not RAM */
	const struct v3_mmio_ops *ops;	/* hooked: the device's handlers */
	void *priv;
};

#define V3_MEM_MAX_REGIONS 32

struct v3_mem_map {
	struct v3_mem_region ram[V3_MEM_MAX_REGIONS];	/* and device memory */
	struct v3_mem_region hooks[V3_MEM_MAX_REGIONS];
	unsigned nr_ram, nr_hooks;
};

/*
 * Where a VM's RAM lies in guest-physical memory: from 0 up to 3 GiB,
 * and the rest from 4 GiB, so the PC's 32-bit device window (PCI BARs,
 * the test device at 0xD0000000, the IOAPIC and local APICs) never lies
 * over RAM, as on QEMU's pc machine. Every memory map the guest is told
 * (e820, multiboot, CMOS, fw_cfg) is made from this.
 */
#define V3_LOW_RAM_TOP		(3ULL << 30)
#define V3_HIGH_RAM_BASE	(4ULL << 30)

struct v3_ram_range {
	uint64_t start, end;
};

/* The ranges of mem_size bytes of RAM laid out as above: 1 or 2. */
unsigned v3_mem_layout(uint64_t mem_size, struct v3_ram_range r[2]);

/* Add RAM [gpa, gpa + size) backed at hpa. -EINVAL, -EEXIST, -ENOSPC. */
int v3_mem_add_ram(struct v3_mem_map *map, uint64_t gpa, uint64_t size,
		   uint64_t hpa);
/* Map host device memory at hpa to [gpa, gpa + size), as for RAM. */
int v3_mem_add_device(struct v3_mem_map *map, uint64_t gpa, uint64_t size,
		      uint64_t hpa);
/* Hook [gpa, gpa + size) for a device. -EINVAL, -EEXIST, -ENOSPC. */
int v3_mem_hook(struct v3_mem_map *map, uint64_t gpa, uint64_t size,
		const struct v3_mmio_ops *ops, void *priv);

/* Remove the hook registered for exactly [gpa, gpa + size): 0 or -ENOENT. */
int v3_mem_unhook(struct v3_mem_map *map, uint64_t gpa, uint64_t size);

/* The hook, else the RAM region, holding gpa; NULL when neither. */
const struct v3_mem_region *v3_mem_find(const struct v3_mem_map *map,
					uint64_t gpa);
/* The host-physical address of RAM at gpa, with len bytes in one region;
 * false when gpa is not plain RAM (unbacked or hooked). */
bool v3_mem_ram_hpa(const struct v3_mem_map *map, uint64_t gpa, uint64_t len,
		    uint64_t *hpa);
/* What backs gpa, with len bytes in one region, for the page tables that
 * map it: RAM or device memory (*device), unhooked. */
bool v3_mem_backing(const struct v3_mem_map *map, uint64_t gpa, uint64_t len,
		    uint64_t *hpa, bool *device);
/* True when any hook overlaps [gpa, gpa + size). */
bool v3_mem_hooked(const struct v3_mem_map *map, uint64_t gpa, uint64_t size);

#endif
