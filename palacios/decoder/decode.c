// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 decoder: bytes to a struct v3_insn, for the few instructions
 * Palacios emulates (see decoder.h).
 *
 * Decoding runs in the order the CPU reads the bytes: legacy prefixes and
 * REX, one or two opcode bytes, ModRM with SIB and displacement, then the
 * immediate. What each opcode needs after the opcode byte is one row of
 * the tables at the bottom of the file (a form, an operation and a few
 * attributes); everything the tables do not list is refused with
 * V3_DECODE_UNSUPPORTED as soon as the opcode is known, so the decoder
 * never has to understand an instruction it will not emulate. The rules
 * that are not per-opcode are kept in one place each: operand and address
 * size in decode_prefixes(), memory operands in decode_mem16() and
 * decode_mem(), LOCK legality in lock_ok().
 *
 * The facts come from the Intel SDM volume 2 (chapter 2, "Instruction
 * Format", and the opcode map in appendix A) and the AMD APM volume 3:
 * a REX prefix counts only directly before the opcode; of several
 * prefixes in one group the last one counts (what the CPUs do); 15 bytes
 * is the longest legal instruction; in 16- and 32-bit code 40-4F are INC
 * and DEC, not REX.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <palacios/decoder.h>

#define MAX_INSN_LEN 15

/* How the bytes after the opcode are laid out; ModRM forms come first. */
enum form {
	F_NONE, /* not supported */
	F_RM_REG, /* ModRM: dst r/m, src reg */
	F_REG_RM, /* ModRM: dst reg, src r/m (size may differ) */
	F_RM_IMM, /* ModRM: dst r/m, src immediate; reg selects the op */
	F_CR, /* 0F 20/0F 22: control register moves */
	F_GROUP7, /* 0F 01: LMSW and INVLPG by ModRM.reg */
	F_LAST_MODRM = F_GROUP7,
	F_ACC_MOFFS, /* A0/A1: dst rAX, src [moffs] */
	F_MOFFS_ACC, /* A2/A3: dst [moffs], src rAX */
	F_MOVS, /* A4/A5: ES:[rDI] <- seg:[rSI] */
	F_STOS, /* AA/AB: ES:[rDI] <- rAX */
	F_BARE, /* no operands (CLTS) */
};

#define A_BYTE 0x01 /* 8-bit operation */
#define A_IMM8 0x02 /* imm8, sign-extended to the operand size */
#define A_LOCK 0x04 /* LOCK is legal with a memory destination */
#define A_ALU 0x08 /* F_RM_IMM: ModRM.reg is the ALU operation */

struct opcode {
	uint8_t form;
	uint8_t op; /* enum v3_op; for F_RM_IMM the op of /0 */
	uint8_t attr;
	uint8_t src_size; /* r/m source bytes if fixed (MOVZX, MOVSX) */
};

static const struct opcode one_byte[256];
static const struct opcode two_byte[256];

/* The order of the ALU operations in opcode bits 5:3 and ModRM.reg. */
static const uint8_t alu_ops[8] = {
	V3_OP_ADD, V3_OP_OR,  V3_OP_ADC, V3_OP_SBB,
	V3_OP_AND, V3_OP_SUB, V3_OP_XOR, V3_OP_CMP,
};

#define REG_BX 3
#define REG_SP 4
#define REG_BP 5
#define REG_SI 6
#define REG_DI 7

#define REX_B 0x1
#define REX_X 0x2
#define REX_R 0x4
#define REX_W 0x8

struct decoder {
	const uint8_t *code;
	unsigned avail;
	unsigned pos;
	enum v3_code_size mode;
	uint8_t rex; /* 0 when absent */
	uint8_t rep; /* last F2/F3 prefix byte, or 0 */
	int seg; /* segment override, or -1 */
	uint8_t modrm;
};

static int fetch(struct decoder *d, unsigned n, uint64_t *val)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++, d->pos++) {
		if (d->pos >= MAX_INSN_LEN)
			return -V3_DECODE_INVALID;
		if (d->pos >= d->avail)
			return -V3_DECODE_TRUNCATED;
		v |= (uint64_t)d->code[d->pos] << (8 * i);
	}
	*val = v;
	return 0;
}

static int64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned shift = 64 - 8 * bytes;

	return (int64_t)(v << shift) >> shift;
}

/* A little-endian field of `bytes` bytes, sign-extended. */
static int fetch_signed(struct decoder *d, unsigned bytes, int64_t *val)
{
	uint64_t v;
	int err = fetch(d, bytes, &v);

	if (!err)
		*val = sign_extend(v, bytes);
	return err;
}

/*
 * A general register. Without any REX prefix, byte registers 4-7 are
 * AH, CH, DH and BH; with one (even 40) they are SPL, BPL, SIL and DIL.
 */
static void set_reg(struct decoder *d, struct v3_operand *o, unsigned reg,
		    unsigned size)
{
	o->kind = V3_OPND_REG;
	o->size = size;
	o->reg = reg;
	if (size == 1 && !d->rex && reg >= 4 && reg < 8)
		o->reg = V3_REG_AH + reg - 4;
}

static void set_mem(struct decoder *d, struct v3_operand *o, unsigned size,
		    int default_seg)
{
	o->kind = V3_OPND_MEM;
	o->size = size;
	o->scale = 1;
	o->seg = d->seg >= 0 ? d->seg : default_seg;
}

/*
 * Reads the legacy prefixes and REX. A REX that a legacy prefix follows
 * is ignored, as the CPU ignores it.
 */
static int decode_prefixes(struct decoder *d, struct v3_insn *insn)
{
	bool opsize = false, addrsize = false;
	uint64_t b;
	int err;

	d->seg = -1;
	for (;;) {
		err = fetch(d, 1, &b);
		if (err)
			return err;
		if (d->mode == V3_CODE64 && (b & 0xf0) == 0x40) {
			d->rex = b;
			continue;
		}
		switch (b) {
		case 0xf0:
			insn->lock = true;
			break;
		case 0xf2:
		case 0xf3:
			d->rep = b;
			break;
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e:
			/* ES, CS, SS, DS in bits 4:3 */
			d->seg = (b >> 3) & 3;
			break;
		case 0x64:
			d->seg = V3_SEG_FS;
			break;
		case 0x65:
			d->seg = V3_SEG_GS;
			break;
		case 0x66:
			opsize = true;
			break;
		case 0x67:
			addrsize = true;
			break;
		default:
			d->pos--; /* the opcode */
			goto done;
		}
		d->rex = 0;
	}
done:
	if (d->mode == V3_CODE64) {
		insn->op_size = d->rex & REX_W ? 8 : opsize ? 2 : 4;
		insn->addr_size = addrsize ? 4 : 8;
	} else {
		/* 66 and 67 toggle between the 16- and 32-bit sizes. */
		insn->op_size = (d->mode == V3_CODE16) != opsize ? 2 : 4;
		insn->addr_size = (d->mode == V3_CODE16) != addrsize ? 2 : 4;
	}
	return 0;
}

/* 16-bit addressing: ModRM.rm names a fixed base/index pair. */
static int decode_mem16(struct decoder *d, struct v3_operand *o)
{
	static const uint8_t base[8] = {REG_BX, REG_BX, REG_BP, REG_BP,
					REG_SI, REG_DI, REG_BP, REG_BX};
	static const uint8_t index[8] = {REG_SI,      REG_DI,	   REG_SI,
					 REG_DI,      V3_REG_NONE, V3_REG_NONE,
					 V3_REG_NONE, V3_REG_NONE};
	unsigned mod = d->modrm >> 6, rm = d->modrm & 7;

	if (mod == 0 && rm == 6)
		return fetch_signed(d, 2, &o->disp); /* [disp16] */
	o->base = base[rm];
	o->index = index[rm];
	if (o->base == REG_BP)
		o->seg = d->seg >= 0 ? d->seg : V3_SEG_SS;
	if (mod == 0)
		return 0;
	return fetch_signed(d, mod == 1 ? 1 : 2, &o->disp);
}

/* 32- and 64-bit addressing: ModRM, optional SIB, displacement. */
static int decode_mem(struct decoder *d, struct v3_operand *o)
{
	unsigned mod = d->modrm >> 6, rm = d->modrm & 7;
	unsigned rex_b = d->rex & REX_B ? 8 : 0;
	uint64_t sib;
	int err;

	if (rm == 4) {
		err = fetch(d, 1, &sib);
		if (err)
			return err;
		unsigned index = ((sib >> 3) & 7) | (d->rex & REX_X ? 8 : 0);

		/* Index 100 without REX.X means none; the scale is moot. */
		if (index != REG_SP) {
			o->index = index;
			o->scale = 1 << (sib >> 6);
		}
		/* Base 101 with mod 00 means disp32, whatever REX.B says. */
		if ((sib & 7) == 5 && mod == 0)
			return fetch_signed(d, 4, &o->disp);
		o->base = (sib & 7) | rex_b;
	} else if (rm == 5 && mod == 0) {
		/* disp32, which 64-bit mode makes RIP-relative. */
		if (d->mode == V3_CODE64)
			o->base = V3_REG_RIP;
		return fetch_signed(d, 4, &o->disp);
	} else {
		o->base = rm | rex_b;
	}
	/* rSP and rBP as bases default to SS; r12 and r13 do not. */
	if ((o->base == REG_SP || o->base == REG_BP) && d->seg < 0)
		o->seg = V3_SEG_SS;
	if (mod == 0)
		return 0;
	return fetch_signed(d, mod == 1 ? 1 : 4, &o->disp);
}

/* The ModRM r/m operand: a register for mod 11, memory otherwise. */
static int decode_rm(struct decoder *d, const struct v3_insn *insn,
		     struct v3_operand *o, unsigned size)
{
	if (d->modrm >> 6 == 3) {
		set_reg(d, o, (d->modrm & 7) | (d->rex & REX_B ? 8 : 0), size);
		return 0;
	}
	set_mem(d, o, size, V3_SEG_DS);
	if (insn->addr_size == 2)
		return decode_mem16(d, o);
	return decode_mem(d, o);
}

static unsigned modrm_reg(const struct decoder *d)
{
	return ((d->modrm >> 3) & 7) | (d->rex & REX_R ? 8 : 0);
}

/*
 * Picks the operation of a ModRM group (80-83, C6/C7, F6/F7, 0F 01) from
 * ModRM.reg. Members we do not emulate are unsupported; C6/C7 /1-/6 do
 * not exist (#UD), while /7 is XABORT/XBEGIN.
 */
static int group_op(const struct decoder *d, const struct opcode *e,
		    struct v3_insn *insn)
{
	unsigned digit = (d->modrm >> 3) & 7;

	if (e->attr & A_ALU) {
		insn->op = alu_ops[digit];
		return 0;
	}
	if (digit == 0) {
		insn->op = e->op;
		return 0;
	}
	if (e->op == V3_OP_MOV && digit != 7)
		return -V3_DECODE_INVALID;
	return -V3_DECODE_UNSUPPORTED;
}

/*
 * 0F 20/0F 22 always name a general register in ModRM.rm, whatever mod
 * says, and take it at the mode's full width. Only CR0, CR2-CR4 and CR8
 * exist; the others raise #UD.
 */
static int decode_cr(struct decoder *d, struct v3_insn *insn)
{
	bool from_cr = insn->op == V3_OP_MOV_FROM_CR;
	struct v3_operand *gpr = from_cr ? &insn->dst : &insn->src;
	struct v3_operand *crp = from_cr ? &insn->src : &insn->dst;
	unsigned cr = modrm_reg(d);

	if (cr == 1 || (cr >= 5 && cr != 8))
		return -V3_DECODE_INVALID;
	insn->op_size = d->mode == V3_CODE64 ? 8 : 4;
	set_reg(d, gpr, (d->modrm & 7) | (d->rex & REX_B ? 8 : 0),
		insn->op_size);
	crp->kind = V3_OPND_CR;
	crp->size = insn->op_size;
	crp->reg = cr;
	return 0;
}

/*
 * 0F 01 /4 is SMSW r/m (src CR0; a register gets the operand size, memory
 * a word), which the CR0 read intercept also catches; 0F 01 /6 is LMSW
 * r/m16 (dst CR0, src the new low word); 0F 01 /7 with a memory operand
 * is INVLPG (dst the byte whose page is flushed). The register forms of
 * /7 and the other members are different instructions.
 */
static int decode_group7(struct decoder *d, struct v3_insn *insn)
{
	unsigned digit = (d->modrm >> 3) & 7;

	if (digit == 4) {
		insn->op = V3_OP_SMSW;
		if (d->modrm >> 6 != 3)
			insn->op_size = 2;
		insn->src.kind = V3_OPND_CR;
		insn->src.size = insn->op_size;
		insn->src.reg = 0;
		return decode_rm(d, insn, &insn->dst, insn->op_size);
	}

	if (digit == 6) {
		insn->op = V3_OP_LMSW;
		insn->op_size = 2;
		insn->dst.kind = V3_OPND_CR;
		insn->dst.size = 2;
		insn->dst.reg = 0;
		return decode_rm(d, insn, &insn->src, 2);
	}
	if (digit == 7 && d->modrm >> 6 != 3) {
		insn->op = V3_OP_INVLPG;
		insn->op_size = 1;
		return decode_rm(d, insn, &insn->dst, 1);
	}
	return -V3_DECODE_UNSUPPORTED;
}

/* An absolute offset of the address size, with no ModRM (A0-A3). */
static int decode_moffs(struct decoder *d, const struct v3_insn *insn,
			struct v3_operand *o)
{
	set_mem(d, o, insn->op_size, V3_SEG_DS);
	return fetch_signed(d, insn->addr_size, &o->disp);
}

/* The implicit operands of MOVS and STOS. */
static void decode_string(struct decoder *d, enum form form,
			  struct v3_insn *insn)
{
	/* The destination segment is ES; no override applies to it. */
	insn->dst.kind = V3_OPND_MEM;
	insn->dst.size = insn->op_size;
	insn->dst.base = REG_DI;
	insn->dst.scale = 1;
	insn->dst.seg = V3_SEG_ES;
	if (form == F_MOVS) {
		set_mem(d, &insn->src, insn->op_size, V3_SEG_DS);
		insn->src.base = REG_SI;
	} else {
		set_reg(d, &insn->src, 0, insn->op_size);
	}
	insn->rep = d->rep == 0xf3 ? V3_REP : d->rep ? V3_REPNE : 0;
}

/*
 * LOCK is legal only on the read-modify-write operations (not CMP, TEST
 * or MOV) and only when their destination is memory.
 */
static bool lock_ok(const struct opcode *e, const struct v3_insn *insn)
{
	return (e->attr & A_LOCK) && insn->op != V3_OP_CMP &&
	       insn->dst.kind == V3_OPND_MEM;
}

/* Reads the opcode and looks it up; refuses what we do not decode. */
static int decode_opcode(struct decoder *d, const struct v3_insn *insn,
			 const struct opcode **entry)
{
	const struct opcode *e;
	uint64_t b;
	int err = fetch(d, 1, &b);

	if (err)
		return err;
	e = &one_byte[b];
	if (b == 0x0f) {
		err = fetch(d, 1, &b);
		if (err)
			return err;
		e = &two_byte[b];
	}
	if (e->form == F_NONE)
		return -V3_DECODE_UNSUPPORTED;
	/* 82 is an alias of 80 that 64-bit mode removed. */
	if (e == &one_byte[0x82] && d->mode == V3_CODE64)
		return -V3_DECODE_INVALID;
	/*
	 * 63 is MOVSXD in 64-bit mode (ARPL elsewhere). Without REX.W it is
	 * a plain 32-bit move, which compilers do emit; with a 66 prefix the
	 * vendors disagree on the source size, so we leave that one out.
	 */
	if (e == &one_byte[0x63] &&
	    (d->mode != V3_CODE64 || insn->op_size == 2))
		return -V3_DECODE_UNSUPPORTED;
	/*
	 * LOCK MOV CR0 is AMD's way to reach CR8 outside 64-bit mode (Intel
	 * raises #UD): a real instruction, but not one we decode.
	 */
	if (e->form == F_CR && insn->lock)
		return -V3_DECODE_UNSUPPORTED;
	*entry = e;
	return 0;
}

/* imm8 for byte operations and 83; else imm16 or imm32 (sign-extended). */
static unsigned imm_size(const struct opcode *e, const struct v3_insn *insn)
{
	if ((e->attr & A_IMM8) || insn->op_size == 1)
		return 1;
	return insn->op_size == 2 ? 2 : 4;
}

static int decode_operands(struct decoder *d, const struct opcode *e,
			   struct v3_insn *insn)
{
	uint64_t modrm;
	int err;

	if (e->form <= F_LAST_MODRM) {
		err = fetch(d, 1, &modrm);
		if (err)
			return err;
		d->modrm = modrm;
	}
	switch (e->form) {
	case F_RM_REG:
		set_reg(d, &insn->src, modrm_reg(d), insn->op_size);
		return decode_rm(d, insn, &insn->dst, insn->op_size);
	case F_REG_RM:
		set_reg(d, &insn->dst, modrm_reg(d), insn->op_size);
		return decode_rm(d, insn, &insn->src,
				 e->src_size ? e->src_size : insn->op_size);
	case F_RM_IMM:
		err = group_op(d, e, insn);
		if (!err)
			err = decode_rm(d, insn, &insn->dst, insn->op_size);
		if (!err)
			err = fetch_signed(d, imm_size(e, insn),
					   &insn->src.imm);
		insn->src.kind = V3_OPND_IMM;
		insn->src.size = insn->op_size;
		return err;
	case F_ACC_MOFFS:
		set_reg(d, &insn->dst, 0, insn->op_size);
		return decode_moffs(d, insn, &insn->src);
	case F_MOFFS_ACC:
		set_reg(d, &insn->src, 0, insn->op_size);
		return decode_moffs(d, insn, &insn->dst);
	case F_MOVS:
	case F_STOS:
		decode_string(d, e->form, insn);
		return 0;
	case F_CR:
		return decode_cr(d, insn);
	case F_GROUP7:
		return decode_group7(d, insn);
	default:
		return 0; /* F_BARE */
	}
}

int v3_decode(const uint8_t *code, unsigned avail, enum v3_code_size mode,
	      struct v3_insn *insn)
{
	static const struct v3_operand none = {
		.kind = V3_OPND_NONE,
		.reg = V3_REG_NONE,
		.base = V3_REG_NONE,
		.index = V3_REG_NONE,
	};
	struct decoder d = {.code = code, .avail = avail, .mode = mode};
	const struct opcode *e;
	int err;

	*insn = (struct v3_insn){.dst = none, .src = none};
	err = decode_prefixes(&d, insn);
	if (!err)
		err = decode_opcode(&d, insn, &e);
	if (err)
		return err;
	insn->op = e->op;
	if (e->attr & A_BYTE)
		insn->op_size = 1;
	err = decode_operands(&d, e, insn);
	if (err)
		return err;
	if (insn->lock && !lock_ok(e, insn))
		return -V3_DECODE_INVALID;
	insn->length = d.pos;
	return 0;
}

const char *v3_decode_strerror(int err)
{
	switch (-err) {
	case 0:
		return "success";
	case V3_DECODE_TRUNCATED:
		return "instruction truncated";
	case V3_DECODE_UNSUPPORTED:
		return "instruction not supported by the emulator";
	case V3_DECODE_INVALID:
		return "invalid instruction encoding";
	case V3_EMU_MEM_FAULT:
		return "guest memory access failed";
	case V3_EMU_UNSUPPORTED:
		return "instruction left to the VMM";
	default:
		return "unknown decoder error";
	}
}

/* dst r/m, src reg; dst reg, src r/m: the first four forms of an ALU row. */
/* clang-format off */
#define ALU_ROW(base, op, lock)                                     \
	[(base) + 0] = { F_RM_REG, (op), A_BYTE | (lock) },         \
	[(base) + 1] = { F_RM_REG, (op), (lock) },                  \
	[(base) + 2] = { F_REG_RM, (op), A_BYTE },                  \
	[(base) + 3] = { F_REG_RM, (op), 0 }
/* clang-format on */

static const struct opcode one_byte[256] = {
	ALU_ROW(0x00, V3_OP_ADD, A_LOCK),
	ALU_ROW(0x08, V3_OP_OR, A_LOCK),
	ALU_ROW(0x10, V3_OP_ADC, A_LOCK),
	ALU_ROW(0x18, V3_OP_SBB, A_LOCK),
	ALU_ROW(0x20, V3_OP_AND, A_LOCK),
	ALU_ROW(0x28, V3_OP_SUB, A_LOCK),
	ALU_ROW(0x30, V3_OP_XOR, A_LOCK),
	ALU_ROW(0x38, V3_OP_CMP, 0),
	[0x63] = {F_REG_RM, V3_OP_MOVSX, 0, 4},
	[0x80] = {F_RM_IMM, 0, A_ALU | A_BYTE | A_LOCK},
	[0x81] = {F_RM_IMM, 0, A_ALU | A_LOCK},
	[0x82] = {F_RM_IMM, 0, A_ALU | A_BYTE | A_LOCK},
	[0x83] = {F_RM_IMM, 0, A_ALU | A_IMM8 | A_LOCK},
	[0x84] = {F_RM_REG, V3_OP_TEST, A_BYTE},
	[0x85] = {F_RM_REG, V3_OP_TEST, 0},
	/* XCHG with memory is locked anyway; LOCK is allowed. */
	[0x86] = {F_RM_REG, V3_OP_XCHG, A_BYTE | A_LOCK},
	[0x87] = {F_RM_REG, V3_OP_XCHG, A_LOCK},
	[0x88] = {F_RM_REG, V3_OP_MOV, A_BYTE},
	[0x89] = {F_RM_REG, V3_OP_MOV, 0},
	[0x8a] = {F_REG_RM, V3_OP_MOV, A_BYTE},
	[0x8b] = {F_REG_RM, V3_OP_MOV, 0},
	[0xa0] = {F_ACC_MOFFS, V3_OP_MOV, A_BYTE},
	[0xa1] = {F_ACC_MOFFS, V3_OP_MOV, 0},
	[0xa2] = {F_MOFFS_ACC, V3_OP_MOV, A_BYTE},
	[0xa3] = {F_MOFFS_ACC, V3_OP_MOV, 0},
	[0xa4] = {F_MOVS, V3_OP_MOVS, A_BYTE},
	[0xa5] = {F_MOVS, V3_OP_MOVS, 0},
	[0xaa] = {F_STOS, V3_OP_STOS, A_BYTE},
	[0xab] = {F_STOS, V3_OP_STOS, 0},
	[0xc6] = {F_RM_IMM, V3_OP_MOV, A_BYTE},
	[0xc7] = {F_RM_IMM, V3_OP_MOV, 0},
	[0xf6] = {F_RM_IMM, V3_OP_TEST, A_BYTE},
	[0xf7] = {F_RM_IMM, V3_OP_TEST, 0},
};

static const struct opcode two_byte[256] = {
	[0x01] = {F_GROUP7, 0, 0},
	[0x06] = {F_BARE, V3_OP_CLTS, 0},
	[0x20] = {F_CR, V3_OP_MOV_FROM_CR, 0},
	[0x22] = {F_CR, V3_OP_MOV_TO_CR, 0},
	[0xb6] = {F_REG_RM, V3_OP_MOVZX, 0, 1},
	[0xb7] = {F_REG_RM, V3_OP_MOVZX, 0, 2},
	[0xbe] = {F_REG_RM, V3_OP_MOVSX, 0, 1},
	[0xbf] = {F_REG_RM, V3_OP_MOVSX, 0, 2},
};
