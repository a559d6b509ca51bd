// SPDX-License-Identifier: GPL-2.0
/*
 * Emulating a guest instruction that touched hooked memory. The exit says
 * only that an access to a hooked page happened, so the instruction is
 * fetched, decoded and carried out by the emulator, whose memory
 * callbacks translate each linear address through the guest's page
 * tables and send it to the device that hooked the page, or to RAM for
 * the other operand of a MOVS. Accesses are split at page boundaries.
 */
#include <palacios/decoder.h>
#include <palacios/vmm.h>

struct mmio_ctx {
	struct v3_vcpu *v;
	bool faulted;		/* a #PF was raised in the guest */
};

static int access_page(struct mmio_ctx *c, uint64_t linear, uint8_t *buf,
		       unsigned len, bool write)
{
	struct v3_vcpu *v = c->v;
	const struct v3_mem_region *r;
	uint32_t pf_error;
	uint64_t gpa;
	void *hva;
	int ret;

	ret = v3_gva_to_gpa(v, linear, write, false, &gpa, &pf_error);
	if (ret == -V3_EFAULT_GUEST) {
		v3_raise_page_fault(v, linear, pf_error);
		c->faulted = true;
		return ret;
	}
	if (ret)
		return ret;
	r = v3_mem_find(&v->vm->mem, gpa);
	if (r && r->ops) {
		if (gpa + len > r->end)
			return -V3_EINVAL;
		return write ? r->ops->write(v, gpa, buf, len, r->priv) :
			       r->ops->read(v, gpa, buf, len, r->priv);
	}
	hva = v3_gpa_to_hva(v->vm, gpa, len);
	if (!hva)
		return -V3_EINVAL;
	if (write)
		v3_memcpy(hva, buf, len);
	else
		v3_memcpy(buf, hva, len);
	return 0;
}

static int access(struct mmio_ctx *c, uint64_t linear, uint8_t *buf,
		  unsigned len, bool write)
{
	unsigned first = 0x1000 - (linear & 0xfff);
	int ret;

	if (first >= len)
		return access_page(c, linear, buf, len, write);
	ret = access_page(c, linear, buf, first, write);
	return ret ? ret : access_page(c, linear + first, buf + first,
				       len - first, write);
}

int v3_copy_gva_any(struct v3_vcpu *v, uint64_t gva, void *buf, unsigned len,
		    bool write)
{
	struct mmio_ctx ctx = { .v = v };
	int ret = access(&ctx, gva, buf, len, write);

	return ctx.faulted ? -V3_EFAULT_GUEST : ret;
}

static int emu_read(void *opaque, uint64_t linear, void *buf, unsigned len)
{
	return access(opaque, linear, buf, len, false);
}

static int emu_write(void *opaque, uint64_t linear, const void *buf,
		     unsigned len)
{
	return access(opaque, linear, (uint8_t *)buf, len, true);
}

int v3_emulate_mmio(struct v3_vcpu *v)
{
	struct mmio_ctx ctx = { .v = v };
	struct v3_emu_mem mem = { &ctx, emu_read, emu_write };
	struct v3_emu_regs regs;
	struct v3_insn insn;
	int ret = v3_fetch_decode(v, &insn);

	if (ret)
		return ret;
	v3_memcpy(regs.gpr, &v->regs, sizeof(regs.gpr));
	regs.rip = v->rip;
	regs.rflags = v->rflags;
	regs.mode = v3_guest_code_size(v);
	for (unsigned s = 0; s < 6; s++)
		regs.seg_base[s] = regs.mode == 8 && s < V3_SEG_FS ?
					   0 : v->seg[s].base;

	ret = v3_emulate(&insn, &regs, &mem);
	if (ctx.faulted) {
		/* The guest takes the #PF at this instruction; iterations of a
		 * REP already done stay done. */
		v3_memcpy(&v->regs, regs.gpr, sizeof(regs.gpr));
		return 0;
	}
	if (ret) {
		v3_vm_stop_fmt(v->vm, "emulating the MMIO instruction at rip 0x%llx failed: %s",
			       (unsigned long long)v->rip,
			       v3_decode_strerror(ret));
		return -V3_EIO;
	}
	v3_memcpy(&v->regs, regs.gpr, sizeof(regs.gpr));
	v->rip = regs.rip;
	v->rflags = regs.rflags;
	return 0;
}
