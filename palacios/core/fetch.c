// SPDX-License-Identifier: GPL-2.0
/*
 * Fetching and decoding the guest instruction at RIP, for the exits that
 * carry no decoded information (MMIO faults, and without decode assists
 * CR moves and INVLPG), and computing a memory operand's linear address.
 */
#include <palacios/decoder.h>
#include <palacios/vmm.h>

int v3_fetch_decode(struct v3_vcpu *v, struct v3_insn *insn)
{
	unsigned mode = v3_guest_code_size(v);
	uint64_t rip = mode == 8 ? v->rip : v->rip & 0xffffffffull;
	uint64_t linear = v->seg[V3_SEG_CS_].base + rip;
	uint8_t code[15];
	unsigned avail = 15;
	int ret;

	/* Up to 15 bytes, or to the end of the page if the next is unmapped. */
	if (0x1000 - (linear & 0xfff) < 15 && v3_peek_gva(v, linear, code, 15))
		avail = 0x1000 - (linear & 0xfff);
	ret = v3_peek_gva(v, linear, code, avail);
	if (ret) {
		v3_vm_stop_fmt(v->vm, "cannot fetch the instruction at rip 0x%llx",
			       (unsigned long long)v->rip);
		return -V3_EIO;
	}
	ret = v3_decode(code, avail, mode, insn);
	if (ret) {
		v3_vm_stop_fmt(v->vm, "cannot emulate the instruction at rip 0x%llx (%02x %02x %02x %02x %02x %02x): %s",
			       (unsigned long long)v->rip, code[0], code[1],
			       code[2], code[3], code[4], code[5],
			       v3_decode_strerror(ret));
		return -V3_EIO;
	}
	return 0;
}

uint64_t v3_operand_linear(const struct v3_vcpu *v, const struct v3_insn *insn,
			   const struct v3_operand *op)
{
	const uint64_t *gpr = &v->regs.rax;
	uint64_t ea = op->disp, base;

	if (op->base == V3_REG_RIP)
		ea += v->rip + insn->length;
	else if (op->base != V3_REG_NONE)
		ea += op->base == 4 ? v->regs.rsp : gpr[op->base];
	if (op->index != V3_REG_NONE)
		ea += gpr[op->index] * op->scale;
	if (insn->addr_size < 8)
		ea &= (1ull << (insn->addr_size * 8)) - 1;
	base = v3_guest_code_size(v) == 8 && op->seg < V3_SEG_FS ?
		       0 : v->seg[op->seg].base;
	return base + ea;
}
