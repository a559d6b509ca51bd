// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the guest's page tables, as the CPU does (Intel SDM vol. 3
 * ch. 4, AMD APM vol. 2 ch. 5): 32-bit two-level tables with optional
 * 4 MiB pages, PAE three-level tables and long mode's four levels.
 *
 * The shadow pager walks on every shadow fault and the emulator walks to
 * find an instruction's operands, so the walk also computes what the CPU
 * would decide: the combined permissions, the page-fault error code, and,
 * on request, the accessed and dirty bits it would set. A walk that
 * faults changes nothing.
 */
#include <palacios/host.h>
#include <palacios/paging.h>

struct level {
	unsigned shift;		/* of the index into this level's table */
	unsigned index_bits;
	unsigned entry_size;	/* 4 or 8 bytes */
	bool large_ok;		/* PS allowed here */
};

static const struct level levels_32[] = {
	{ 22, 10, 4, true }, { 12, 10, 4, false },
};
static const struct level levels_pae[] = {
	{ 30, 2, 8, false }, { 21, 9, 8, true }, { 12, 9, 8, false },
};
static const struct level levels_64[] = {
	{ 39, 9, 8, false }, { 30, 9, 8, true },
	{ 21, 9, 8, true }, { 12, 9, 8, false },
};

/* The base of the table an entry points to, or of the page it maps. */
static uint64_t entry_addr(uint64_t e, unsigned entry_size, uint64_t size)
{
	if (entry_size == 4) {
		if (size == (4ull << 20))	/* PSE-36: bits 13-20 are 32-39 */
			return (e & 0xffc00000ull) | ((e & 0x1fe000ull) << 19);
		return e & 0xfffff000ull;
	}
	return e & PTE_ADDR & ~(size - 1);
}

static uint32_t fault(const struct v3_gpt_request *rq, bool present)
{
	uint32_t err = present ? PF_P : 0;

	if (rq->write)
		err |= PF_W;
	if (rq->user)
		err |= PF_U;
	if (rq->fetch && rq->nxe)
		err |= PF_I;
	return err;
}

int v3_gpt_walk(const struct v3_gpt_mem *mem, const struct v3_gpt_request *rq,
		uint64_t gva, struct v3_gpt_result *res)
{
	const struct level *lv;
	unsigned n, i;
	uint64_t table, entries[4], gpas[4];
	bool writable = true, user = true, nx = false;
	uint64_t size = 4096;
	int ret;

	switch (rq->mode) {
	case V3_GPT_32:
		lv = levels_32, n = 2, table = rq->cr3 & 0xfffff000ull;
		gva &= 0xffffffffull;
		break;
	case V3_GPT_PAE:
		lv = levels_pae, n = 3, table = rq->cr3 & 0xffffffe0ull;
		gva &= 0xffffffffull;
		break;
	default:
		lv = levels_64, n = 4, table = rq->cr3 & PTE_ADDR;
		break;
	}

	for (i = 0; i < n; i++) {
		uint64_t idx = (gva >> lv[i].shift) & ((1u << lv[i].index_bits) - 1);
		uint64_t e;

		gpas[i] = table + idx * lv[i].entry_size;
		ret = mem->read(mem->ctx, gpas[i], &e, lv[i].entry_size);
		if (ret < 0)
			return ret;
		entries[i] = e;
		if (!(e & PTE_P)) {
			res->pf_error = fault(rq, false);
			return V3_GPT_FAULT;
		}
		/* PAE's PDPTEs carry no permissions. */
		if (!(rq->mode == V3_GPT_PAE && i == 0)) {
			writable &= !!(e & PTE_W);
			user &= !!(e & PTE_U);
			if (rq->nxe && lv[i].entry_size == 8)
				nx |= !!(e & PTE_NX);
		}
		if (lv[i].large_ok && (e & PTE_PS) &&
		    (rq->mode != V3_GPT_32 || rq->pse)) {
			size = 1ull << lv[i].shift;
			i++;
			break;
		}
		if (i + 1 < n)
			table = entry_addr(e, lv[i].entry_size, 4096);
	}
	n = i;	/* levels walked; entries[n - 1] is the leaf */

	if ((rq->user && !user) ||
	    (rq->write && !writable && (rq->user || rq->wp)) ||
	    (rq->fetch && nx)) {
		res->pf_error = fault(rq, true);
		return V3_GPT_FAULT;
	}

	if (rq->set_ad) {
		for (i = 0; i < n; i++) {
			uint64_t want = entries[i] | PTE_A;

			if (rq->mode == V3_GPT_PAE && i == 0)
				continue;
			if (i == n - 1 && rq->write)
				want |= PTE_D;
			if (want == entries[i])
				continue;
			ret = mem->write(mem->ctx, gpas[i], want,
					 lv[i].entry_size);
			if (ret < 0)
				return ret;
			entries[i] = want;
		}
	}

	res->page_size = size;
	res->gpa = entry_addr(entries[n - 1], lv[n - 1].entry_size, size) |
		   (gva & (size - 1));
	res->writable = writable;
	res->user = user;
	res->nx = nx;
	res->dirty = entries[n - 1] & PTE_D;
	return 0;
}
