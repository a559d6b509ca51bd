// SPDX-License-Identifier: GPL-2.0
/*
 * The guest-physical memory map (see mem.h). Regions are few (a VM has
 * one or a handful of RAM extents and a dozen device windows), so plain
 * arrays searched linearly beat any tree; the NPT and the shadow pager
 * look up a region only when they fill an entry, not on every access.
 */
#include <palacios/host.h>
#include <palacios/mem.h>

unsigned v3_mem_layout(uint64_t mem_size, struct v3_ram_range r[2])
{
	if (mem_size <= V3_LOW_RAM_TOP) {
		r[0] = (struct v3_ram_range){ 0, mem_size };
		return 1;
	}
	r[0] = (struct v3_ram_range){ 0, V3_LOW_RAM_TOP };
	r[1] = (struct v3_ram_range){ V3_HIGH_RAM_BASE,
				      V3_HIGH_RAM_BASE + mem_size - V3_LOW_RAM_TOP };
	return 2;
}

static bool overlaps(const struct v3_mem_region *r, unsigned n, uint64_t start,
		     uint64_t end)
{
	for (unsigned i = 0; i < n; i++)
		if (start < r[i].end && r[i].start < end)
			return true;
	return false;
}

static bool valid_range(uint64_t gpa, uint64_t size)
{
	return size && !(gpa & 0xfff) && !(size & 0xfff) && gpa + size > gpa;
}

static int add_backed(struct v3_mem_map *map, uint64_t gpa, uint64_t size,
		      uint64_t hpa, bool device)
{
	if (!valid_range(gpa, size) || (hpa & 0xfff))
		return -V3_EINVAL;
	if (overlaps(map->ram, map->nr_ram, gpa, gpa + size))
		return -V3_EEXIST;
	if (map->nr_ram == V3_MEM_MAX_REGIONS)
		return -V3_ENOSPC;
	map->ram[map->nr_ram++] = (struct v3_mem_region){
		.start = gpa, .end = gpa + size, .hpa = hpa, .device = device,
	};
	return 0;
}

int v3_mem_add_ram(struct v3_mem_map *map, uint64_t gpa, uint64_t size,
		   uint64_t hpa)
{
	return add_backed(map, gpa, size, hpa, false);
}

int v3_mem_add_device(struct v3_mem_map *map, uint64_t gpa, uint64_t size,
		      uint64_t hpa)
{
	return add_backed(map, gpa, size, hpa, true);
}

int v3_mem_hook(struct v3_mem_map *map, uint64_t gpa, uint64_t size,
		const struct v3_mmio_ops *ops, void *priv)
{
	struct v3_mem_region *r;

	if (!valid_range(gpa, size) || !ops || !ops->read || !ops->write)
		return -V3_EINVAL;
	if (overlaps(map->hooks, map->nr_hooks, gpa, gpa + size))
		return -V3_EEXIST;
	if (map->nr_hooks < V3_MEM_MAX_REGIONS) {
		map->hooks[map->nr_hooks] = (struct v3_mem_region){
			.start = gpa, .end = gpa + size,
			.ops = ops, .priv = priv,
		};
		__atomic_store_n(&map->nr_hooks, map->nr_hooks + 1,
				 __ATOMIC_RELEASE);
		return 0;
	}
	/*
	 * Full: reuse a removed slot, [max, 0). Lookups read start, then
	 * end: storing end first and start last, no pair they can see
	 * matches anything but the old hook or the finished new one.
	 */
	for (r = map->hooks; r < map->hooks + V3_MEM_MAX_REGIONS && r->end; r++)
		;
	if (r == map->hooks + V3_MEM_MAX_REGIONS)
		return -V3_ENOSPC;
	r->ops = ops;
	r->priv = priv;
	__atomic_store_n(&r->end, gpa + size, __ATOMIC_RELEASE);
	__atomic_store_n(&r->start, gpa, __ATOMIC_RELEASE);
	return 0;
}

/* The reverse order: start to the top first, so nothing matches, then end. */
int v3_mem_unhook(struct v3_mem_map *map, uint64_t gpa, uint64_t size)
{
	for (unsigned i = 0; i < map->nr_hooks; i++) {
		struct v3_mem_region *r = &map->hooks[i];

		if (r->end && r->start == gpa && r->end - r->start == size) {
			__atomic_store_n(&r->start, UINT64_MAX,
					 __ATOMIC_RELEASE);
			__atomic_store_n(&r->end, 0, __ATOMIC_RELEASE);
			return 0;
		}
	}
	return -V3_ENOENT;
}

static const struct v3_mem_region *find(const struct v3_mem_region *r,
					unsigned n, uint64_t gpa)
{
	for (unsigned i = 0; i < n; i++)
		if (gpa >= r[i].start && gpa < r[i].end)
			return &r[i];
	return NULL;
}

const struct v3_mem_region *v3_mem_find(const struct v3_mem_map *map,
					uint64_t gpa)
{
	const struct v3_mem_region *r = find(map->hooks, map->nr_hooks, gpa);

	return r ? r : find(map->ram, map->nr_ram, gpa);
}

bool v3_mem_hooked(const struct v3_mem_map *map, uint64_t gpa, uint64_t size)
{
	return overlaps(map->hooks, map->nr_hooks, gpa, gpa + size);
}

bool v3_mem_backing(const struct v3_mem_map *map, uint64_t gpa, uint64_t len,
		    uint64_t *hpa, bool *device)
{
	const struct v3_mem_region *r = find(map->ram, map->nr_ram, gpa);

	if (!r || len > r->end - gpa || v3_mem_hooked(map, gpa, len ? len : 1))
		return false;
	*hpa = r->hpa + (gpa - r->start);
	*device = r->device;
	return true;
}

bool v3_mem_ram_hpa(const struct v3_mem_map *map, uint64_t gpa, uint64_t len,
		    uint64_t *hpa)
{
	bool device;

	return v3_mem_backing(map, gpa, len, hpa, &device) && !device;
}
