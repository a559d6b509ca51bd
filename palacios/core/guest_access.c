// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching guest memory from the VMM: by guest-physical address (RAM
 * only: hooked regions are devices, not memory) and by guest-virtual
 * address through the guest's own page tables in whatever mode it is in.
 */
#include <palacios/paging.h>
#include <palacios/vmm.h>

#define CR0_PG		(1ull << 31)
#define CR0_WP		(1ull << 16)
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)

void *v3_gpa_to_hva(struct v3_vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t hpa;

	if (!v3_mem_ram_hpa(&vm->mem, gpa, len, &hpa))
		return NULL;
	return v3_host->phys_to_virt(hpa);
}

static int gpt_read(void *ctx, uint64_t gpa, uint64_t *val, unsigned size)
{
	void *p = v3_gpa_to_hva(ctx, gpa, size);

	if (!p)
		return -V3_EINVAL;
	*val = size == 4 ? *(volatile uint32_t *)p : *(volatile uint64_t *)p;
	return 0;
}

/* A/D updates: compare-and-swap, as other vCPUs may update the entry. */
static int gpt_write(void *ctx, uint64_t gpa, uint64_t val, unsigned size)
{
	void *p = v3_gpa_to_hva(ctx, gpa, size);

	if (!p)
		return -V3_EINVAL;
	if (size == 4)
		__atomic_or_fetch((uint32_t *)p, (uint32_t)val, __ATOMIC_SEQ_CST);
	else
		__atomic_or_fetch((uint64_t *)p, val, __ATOMIC_SEQ_CST);
	return 0;
}

void v3_guest_gpt_mem(struct v3_vm *vm, struct v3_gpt_mem *mem)
{
	*mem = (struct v3_gpt_mem){ .ctx = vm, .read = gpt_read,
				    .write = gpt_write };
}

void v3_guest_gpt_request(const struct v3_vcpu *v, struct v3_gpt_request *rq)
{
	*rq = (struct v3_gpt_request){
		.mode = v->efer & EFER_LMA ? V3_GPT_64 :
			v->cr4 & CR4_PAE ? V3_GPT_PAE : V3_GPT_32,
		.cr3 = v->cr3,
		.pse = v->cr4 & CR4_PSE,
		.nxe = v->efer & EFER_NXE,
		.wp = v->cr0 & CR0_WP,
		.user = v->cpl == 3,
	};
}

bool v3_guest_paging(const struct v3_vcpu *v)
{
	return v->cr0 & CR0_PG;
}

unsigned v3_guest_code_size(const struct v3_vcpu *v)
{
	uint16_t cs = v->seg[V3_SEG_CS_].attrib;

	if (!(v->cr0 & 1))
		return 2;
	if ((v->efer & EFER_LMA) && (cs & V3_SEG_ATTR_L))
		return 8;
	return cs & V3_SEG_ATTR_D ? 4 : 2;
}

int v3_gva_to_gpa(struct v3_vcpu *v, uint64_t gva, bool write, bool fetch,
		  uint64_t *gpa, uint32_t *pf_error)
{
	struct v3_gpt_request rq;
	struct v3_gpt_result res;
	struct v3_gpt_mem mem;
	int ret;

	if (!v3_guest_paging(v)) {
		*gpa = v->efer & EFER_LMA ? gva : gva & 0xffffffffull;
		return 0;
	}
	v3_guest_gpt_request(v, &rq);
	rq.write = write;
	rq.fetch = fetch;
	rq.set_ad = true;
	v3_guest_gpt_mem(v->vm, &mem);
	ret = v3_gpt_walk(&mem, &rq, gva, &res);
	if (ret == V3_GPT_FAULT) {
		if (pf_error)
			*pf_error = res.pf_error;
		return -V3_EFAULT_GUEST;
	}
	if (ret < 0)
		return ret;
	*gpa = res.gpa;
	return 0;
}

/* Copy between guest-virtual memory and buf, page by page. */
static int copy_gva(struct v3_vcpu *v, uint64_t gva, uint8_t *buf, size_t len,
		    bool write, bool raise)
{
	while (len) {
		size_t chunk = V3_PAGE_SIZE - (gva & (V3_PAGE_SIZE - 1));
		uint64_t gpa;
		uint32_t pf_error = 0;
		void *mem;
		int ret;

		if (chunk > len)
			chunk = len;
		ret = v3_gva_to_gpa(v, gva, write, false, &gpa, &pf_error);
		if (ret == -V3_EFAULT_GUEST && raise)
			v3_raise_page_fault(v, gva, pf_error);
		if (ret)
			return ret;
		mem = v3_gpa_to_hva(v->vm, gpa, chunk);
		if (!mem)
			return -V3_EINVAL;
		if (write)
			v3_memcpy(mem, buf, chunk);
		else
			v3_memcpy(buf, mem, chunk);
		buf += chunk, gva += chunk, len -= chunk;
	}
	return 0;
}

int v3_read_gva(struct v3_vcpu *v, uint64_t gva, void *buf, size_t len)
{
	return copy_gva(v, gva, buf, len, false, true);
}

int v3_write_gva(struct v3_vcpu *v, uint64_t gva, const void *buf, size_t len)
{
	return copy_gva(v, gva, (uint8_t *)buf, len, true, true);
}

int v3_peek_gva(struct v3_vcpu *v, uint64_t gva, void *buf, size_t len)
{
	return copy_gva(v, gva, buf, len, false, false);
}
