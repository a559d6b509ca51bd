// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 emulator: carries out an instruction v3_decode() produced on a
 * struct v3_emu_regs, reaching guest memory only through the callbacks of
 * struct v3_emu_mem, so the same code serves RAM, MMIO and the host tests.
 *
 * Every data instruction is "read the sources, compute, write the
 * destination, then commit registers": the memory write comes before any
 * register or flag change, so a failing callback leaves the guest state
 * as it was and the VMM can inject a fault and retry. String instructions
 * commit rSI, rDI and rCX after each element, as the CPU does, so an
 * interrupted REP resumes where it stopped; a REP also gives the CPU back
 * after REP_BATCH elements (rip not advanced, the guest re-executes it and
 * exits again), so a huge rCX cannot hold the host in one call.
 *
 * Flags follow the Intel SDM definitions of each instruction. Where the
 * SDM leaves a flag undefined (AF after AND, OR, XOR and TEST) we clear
 * it, as the AMD and Intel CPUs we compared with do. Guest memory is
 * accessed little-endian through a uint64_t: this code only runs on x86.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <palacios/decoder.h>

#define FLAG_CF 0x0001
#define FLAG_PF 0x0004
#define FLAG_AF 0x0010
#define FLAG_ZF 0x0040
#define FLAG_SF 0x0080
#define FLAG_DF 0x0400
#define FLAG_OF 0x0800
#define ARITH_FLAGS (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

#define REG_AX 0
#define REG_CX 1
#define REG_SI 6
#define REG_DI 7

/* Elements one call moves before handing the CPU back to the guest. */
#define REP_BATCH 4096

struct emu {
	const struct v3_insn *insn;
	struct v3_emu_regs *regs;
	const struct v3_emu_mem *mem;
};

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static uint64_t sign_bit(unsigned size)
{
	return 1ULL << (8 * size - 1);
}

static uint64_t reg_read(const struct v3_emu_regs *regs, unsigned reg,
			 unsigned size)
{
	if (reg >= V3_REG_AH && reg <= V3_REG_BH)
		return (regs->gpr[reg - V3_REG_AH] >> 8) & 0xff;
	return regs->gpr[reg] & size_mask(size);
}

/*
 * A register write as the CPU does it: 8- and 16-bit writes keep the
 * other bits, 32-bit writes clear bits 63:32 in 64-bit mode.
 */
static void reg_write(struct v3_emu_regs *regs, unsigned reg, unsigned size,
		      uint64_t val)
{
	uint64_t *r;

	if (reg >= V3_REG_AH && reg <= V3_REG_BH) {
		r = &regs->gpr[reg - V3_REG_AH];
		*r = (*r & ~0xff00ULL) | (val & 0xff) << 8;
		return;
	}
	r = &regs->gpr[reg];
	if (size == 8 || (size == 4 && regs->mode == V3_CODE64))
		*r = val & size_mask(size);
	else
		*r = (*r & ~size_mask(size)) | (val & size_mask(size));
}

/*
 * seg_base + effective address, the latter cut to the address size. In
 * 64-bit mode only FS and GS have a base; outside it linear addresses
 * are 32 bits and wrap.
 */
static uint64_t linear_address(const struct emu *e, const struct v3_operand *o)
{
	const struct v3_emu_regs *regs = e->regs;
	uint64_t ea = o->disp, lin;

	if (o->base == V3_REG_RIP)
		ea += regs->rip + e->insn->length;
	else if (o->base != V3_REG_NONE)
		ea += regs->gpr[o->base];
	if (o->index != V3_REG_NONE)
		ea += regs->gpr[o->index] * o->scale;
	ea &= size_mask(e->insn->addr_size);
	if (regs->mode == V3_CODE64)
		return (o->seg == V3_SEG_FS || o->seg == V3_SEG_GS)
			       ? regs->seg_base[o->seg] + ea
			       : ea;
	lin = regs->seg_base[o->seg] + ea;
	return lin & 0xffffffff;
}

static int mem_read(const struct emu *e, uint64_t lin, unsigned size,
		    uint64_t *val)
{
	*val = 0;
	if (e->mem->read(e->mem->opaque, lin, val, size))
		return -V3_EMU_MEM_FAULT;
	return 0;
}

static int mem_write(const struct emu *e, uint64_t lin, unsigned size,
		     uint64_t val)
{
	if (e->mem->write(e->mem->opaque, lin, &val, size))
		return -V3_EMU_MEM_FAULT;
	return 0;
}

static int operand_read(const struct emu *e, const struct v3_operand *o,
			uint64_t *val)
{
	switch (o->kind) {
	case V3_OPND_REG:
		*val = reg_read(e->regs, o->reg, o->size);
		return 0;
	case V3_OPND_IMM:
		*val = (uint64_t)o->imm & size_mask(o->size);
		return 0;
	case V3_OPND_MEM:
		return mem_read(e, linear_address(e, o), o->size, val);
	default:
		return -V3_EMU_UNSUPPORTED;
	}
}

/* Writes memory now; a register write is left to the caller's commit. */
static int operand_write_mem(const struct emu *e, const struct v3_operand *o,
			     uint64_t val)
{
	if (o->kind != V3_OPND_MEM)
		return 0;
	return mem_write(e, linear_address(e, o), o->size, val);
}

static void operand_write_reg(const struct emu *e, const struct v3_operand *o,
			      uint64_t val)
{
	if (o->kind == V3_OPND_REG)
		reg_write(e->regs, o->reg, o->size, val);
}

/* PF: set when the low byte of the result has an even number of ones. */
static bool parity_even(uint64_t v)
{
	v &= 0xff;
	v ^= v >> 4;
	v ^= v >> 2;
	v ^= v >> 1;
	return !(v & 1);
}

/*
 * One ALU operation on size-byte values; returns the result and replaces
 * the six arithmetic flags in *rflags. Carry and overflow come from the
 * sign bits: for a + b (+ carry) the carry out of the top bit is
 * (a & b) | ((a | b) & ~r), for a - b (- borrow) the borrow is
 * (~a & b) | ((~a | b) & r); AF is the same at bit 3 (a ^ b ^ r, bit 4).
 */
static uint64_t alu(enum v3_op op, unsigned size, uint64_t a, uint64_t b,
		    uint64_t *rflags)
{
	uint64_t m = size_mask(size), msb = sign_bit(size);
	uint64_t cin = *rflags & FLAG_CF, r, flags = 0;
	bool arith = true;

	switch (op) {
	case V3_OP_ADD:
	case V3_OP_ADC:
		r = (a + b + (op == V3_OP_ADC ? cin : 0)) & m;
		if (((a & b) | ((a | b) & ~r)) & msb)
			flags |= FLAG_CF;
		if ((a ^ r) & (b ^ r) & msb)
			flags |= FLAG_OF;
		break;
	case V3_OP_SUB:
	case V3_OP_SBB:
	case V3_OP_CMP:
		r = (a - b - (op == V3_OP_SBB ? cin : 0)) & m;
		if (((~a & b) | ((~a | b) & r)) & msb)
			flags |= FLAG_CF;
		if ((a ^ b) & (a ^ r) & msb)
			flags |= FLAG_OF;
		break;
	case V3_OP_OR:
		r = a | b;
		arith = false;
		break;
	case V3_OP_XOR:
		r = a ^ b;
		arith = false;
		break;
	default: /* AND, TEST */
		r = a & b;
		arith = false;
		break;
	}
	if (arith && ((a ^ b ^ r) & 0x10))
		flags |= FLAG_AF;
	if (r == 0)
		flags |= FLAG_ZF;
	if (r & msb)
		flags |= FLAG_SF;
	if (parity_even(r))
		flags |= FLAG_PF;
	*rflags = (*rflags & ~(uint64_t)ARITH_FLAGS) | flags;
	return r;
}

/* rip moves past the instruction, wrapping at the code size. */
static void advance(const struct emu *e)
{
	e->regs->rip =
		(e->regs->rip + e->insn->length) & size_mask(e->regs->mode);
}

static int emulate_xchg(const struct emu *e)
{
	const struct v3_insn *insn = e->insn;
	uint64_t a, b;
	int err = operand_read(e, &insn->dst, &a);

	if (!err)
		err = operand_read(e, &insn->src, &b);
	if (err)
		return err;
	if (insn->dst.kind == V3_OPND_MEM) {
		err = operand_write_mem(e, &insn->dst, b);
		if (err)
			return err;
	} else {
		operand_write_reg(e, &insn->dst, b);
	}
	/* The source is always a register (86/87 ModRM.reg). */
	operand_write_reg(e, &insn->src, a);
	advance(e);
	return 0;
}

/* A string register (rSI, rDI, rCX) is as wide as the address. */
static void string_reg_set(const struct emu *e, unsigned reg, uint64_t val)
{
	reg_write(e->regs, reg, e->insn->addr_size, val);
}

/*
 * MOVS and STOS, one element per step. F2 repeats them like F3: for
 * instructions that do not compare, the CPU only counts rCX down.
 */
static int emulate_string(const struct emu *e)
{
	const struct v3_insn *insn = e->insn;
	struct v3_emu_regs *regs = e->regs;
	uint64_t amask = size_mask(insn->addr_size);
	uint64_t step = regs->rflags & FLAG_DF ? -(uint64_t)insn->op_size
					       : insn->op_size;
	unsigned done = 0;
	uint64_t val;
	int err;

	for (;;) {
		if (insn->rep && !(regs->gpr[REG_CX] & amask))
			break;
		if (done++ == REP_BATCH)
			return 0; /* the guest re-executes the rest */
		err = operand_read(e, &insn->src, &val);
		if (!err)
			err = operand_write_mem(e, &insn->dst, val);
		if (err)
			return err;
		string_reg_set(e, REG_DI, regs->gpr[REG_DI] + step);
		if (insn->op == V3_OP_MOVS)
			string_reg_set(e, REG_SI, regs->gpr[REG_SI] + step);
		if (!insn->rep)
			break;
		string_reg_set(e, REG_CX, regs->gpr[REG_CX] - 1);
	}
	advance(e);
	return 0;
}

static bool is_alu(enum v3_op op)
{
	return op >= V3_OP_ADD && op <= V3_OP_TEST;
}

/* MOV, MOVZX, MOVSX and the ALU operations. */
static int emulate_data(const struct emu *e)
{
	const struct v3_insn *insn = e->insn;
	uint64_t rflags = e->regs->rflags, src, dst, result;
	int err = operand_read(e, &insn->src, &src);

	if (err)
		return err;
	switch (insn->op) {
	case V3_OP_MOV:
	case V3_OP_MOVZX:
		result = src;
		break;
	case V3_OP_MOVSX: {
		unsigned shift = 64 - 8 * insn->src.size;

		result = (uint64_t)((int64_t)(src << shift) >> shift);
		break;
	}
	default:
		err = operand_read(e, &insn->dst, &dst);
		if (err)
			return err;
		result = alu(insn->op, insn->op_size, dst, src, &rflags);
		break;
	}
	/* CMP and TEST only compare: their destination is not written. */
	if (insn->op != V3_OP_CMP && insn->op != V3_OP_TEST) {
		err = operand_write_mem(e, &insn->dst, result);
		if (err)
			return err;
		operand_write_reg(e, &insn->dst, result);
	}
	if (is_alu(insn->op))
		e->regs->rflags = rflags;
	advance(e);
	return 0;
}

int v3_emulate(const struct v3_insn *insn, struct v3_emu_regs *regs,
	       const struct v3_emu_mem *mem)
{
	const struct emu e = {.insn = insn, .regs = regs, .mem = mem};

	switch (insn->op) {
	case V3_OP_MOVS:
	case V3_OP_STOS:
		return emulate_string(&e);
	case V3_OP_XCHG:
		return emulate_xchg(&e);
	case V3_OP_MOV_TO_CR:
	case V3_OP_MOV_FROM_CR:
	case V3_OP_CLTS:
	case V3_OP_LMSW:
	case V3_OP_SMSW:
	case V3_OP_INVLPG:
		/* These change VMM state (paging, TLB): the VMM does them. */
		return -V3_EMU_UNSUPPORTED;
	default:
		return emulate_data(&e);
	}
}
