// SPDX-License-Identifier: GPL-2.0
/*
 * The decoder against Capstone 4 over generated encodings.
 *
 * A grammar of the supported forms (random legal prefixes, REX, one of
 * the supported opcodes or a random one, a ModRM whose reg field often
 * picks the supported group member, then random SIB, displacement and
 * immediate bytes) and plain random byte strings are decoded by
 * v3_decode() and by Capstone in 16-, 32- and 64-bit mode. The rules:
 *
 * - Whatever we accept, Capstone must decode with the same length, an
 *   instruction of the same operation, and the same operands (kind,
 *   register, size, memory base/index/scale/displacement/segment,
 *   immediate), address size, LOCK and REP.
 * - Whatever Capstone decodes to an instruction outside the supported
 *   forms, we must refuse.
 * - A supported form that Capstone decodes but we refuse is a
 *   disagreement, unless an independent rule that Capstone does not
 *   check applies: LOCK on anything but a read-modify-write of memory
 *   and the reserved control registers raise #UD (we must say INVALID);
 *   LOCK MOV CR is AMD's CR8 access (we must say UNSUPPORTED).
 *
 * Which forms are supported is decided here from the encoding's bytes
 * (supported_form()), LOCK and REP from our own scan of the prefixes,
 * never from the decoder's tables. Capstone 4.0.2 quirks are normalised
 * where they are met, each marked QUIRK: SIB scale without an index;
 * moffs and immediates zero-extended; 66 before F2/F3 ignored in operand
 * sizes; F2 A5 read as SSE2 MOVSD.
 */
#include "support.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <palacios/decoder.h>

#define PER_MODE 100000 /* grammar encodings per mode */
#define RANDOM_PER_MODE 20000 /* random byte strings per mode */
#define MAX_SHOWN 20 /* disagreements printed */
#define BUF_LEN 24

static uint64_t rng_state;

/* xorshift64*: reproducible from the seed printed at start. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned below(unsigned n)
{
	return rnd() % n;
}

struct counts {
	unsigned total, compared, rejected_both, rejected_unsupported;
	unsigned ud_lock, ud_cr, f2_movs, reordered, disagreements;
};

static unsigned shown;

/* ---- the reference: what the SDM says, applied to Capstone's view ---- */

/* Prefixes as the CPU reads them, independently of the decoder. */
struct prefixes {
	unsigned opcode_at; /* index of the first opcode byte */
	bool lock;
	uint8_t rep; /* last F2/F3, or 0 */
	uint8_t rex; /* the REX that counts, or 0 */
	bool opsize; /* a 66 prefix */
};

static const uint8_t legacy_prefixes[] = {0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26,
					  0x2e, 0x36, 0x3e, 0x64, 0x65};

static bool is_legacy_prefix(uint8_t b)
{
	return memchr(legacy_prefixes, b, sizeof(legacy_prefixes)) != NULL;
}

static struct prefixes scan_prefixes(const uint8_t *b, unsigned n, int mode)
{
	struct prefixes p = {0};
	unsigned i;

	for (i = 0; i < n; i++) {
		if (mode == V3_CODE64 && (b[i] & 0xf0) == 0x40) {
			p.rex = b[i];
			continue;
		}
		if (!is_legacy_prefix(b[i]))
			break;
		if (b[i] == 0xf0)
			p.lock = true;
		if (b[i] == 0xf2 || b[i] == 0xf3)
			p.rep = b[i];
		if (b[i] == 0x66)
			p.opsize = true;
		p.rex = 0; /* a legacy prefix voids an earlier REX */
	}
	p.opcode_at = i;
	return p;
}

static const enum v3_op alu_ops[8] = {
	V3_OP_ADD, V3_OP_OR,  V3_OP_ADC, V3_OP_SBB,
	V3_OP_AND, V3_OP_SUB, V3_OP_XOR, V3_OP_CMP,
};

/*
 * The supported set of the brief, by opcode and ModRM.reg read from the
 * bytes (Capstone's opcode field is not the opcode for 3DNow!): returns
 * the operation, or -1 for an instruction we must refuse. Called only for
 * what Capstone decoded, so the bytes are there.
 */
static int supported_form(const uint8_t *b, int mode, const struct prefixes *p)
{
	uint8_t o0 = b[p->opcode_at], o1 = b[p->opcode_at + 1];
	uint8_t modrm = b[p->opcode_at + (o0 == 0x0f ? 2 : 1)];
	unsigned reg = (modrm >> 3) & 7, mod = modrm >> 6;

	if (o0 == 0x0f) {
		switch (o1) {
		case 0x06:
			return V3_OP_CLTS;
		case 0x20:
			return V3_OP_MOV_FROM_CR;
		case 0x22:
			return V3_OP_MOV_TO_CR;
		case 0xb6:
		case 0xb7:
			return V3_OP_MOVZX;
		case 0xbe:
		case 0xbf:
			return V3_OP_MOVSX;
		case 0x01:
			if (reg == 4)
				return V3_OP_SMSW;
			if (reg == 6)
				return V3_OP_LMSW;
			if (reg == 7 && mod != 3)
				return V3_OP_INVLPG;
			return -1;
		default:
			return -1;
		}
	}
	if (o0 < 0x40 && (o0 & 7) < 4)
		return alu_ops[o0 >> 3];
	if (o0 == 0x63)
		return mode == V3_CODE64 && ((p->rex & 8) || !p->opsize) ?
			       V3_OP_MOVSX : -1;
	if (o0 >= 0x80 && o0 <= 0x83)
		return o0 == 0x82 && mode == V3_CODE64 ? -1 : (int)alu_ops[reg];
	if (o0 == 0x84 || o0 == 0x85)
		return V3_OP_TEST;
	if (o0 == 0x86 || o0 == 0x87)
		return V3_OP_XCHG;
	if ((o0 >= 0x88 && o0 <= 0x8b) || (o0 >= 0xa0 && o0 <= 0xa3))
		return V3_OP_MOV;
	if (o0 == 0xa4 || o0 == 0xa5)
		return V3_OP_MOVS;
	if (o0 == 0xaa || o0 == 0xab)
		return V3_OP_STOS;
	if ((o0 == 0xc6 || o0 == 0xc7) && reg == 0)
		return V3_OP_MOV;
	if ((o0 == 0xf6 || o0 == 0xf7) && reg == 0)
		return V3_OP_TEST;
	return -1;
}

/* Does Capstone's mnemonic agree with the form's operation? */
static bool id_matches(unsigned id, int op)
{
	switch (op) {
	case V3_OP_MOV:
	case V3_OP_MOV_TO_CR:
	case V3_OP_MOV_FROM_CR:
		return id == X86_INS_MOV || id == X86_INS_MOVABS;
	case V3_OP_MOVZX:
		return id == X86_INS_MOVZX;
	case V3_OP_MOVSX:
		return id == X86_INS_MOVSX || id == X86_INS_MOVSXD;
	case V3_OP_ADD:
		return id == X86_INS_ADD;
	case V3_OP_OR:
		return id == X86_INS_OR;
	case V3_OP_ADC:
		return id == X86_INS_ADC;
	case V3_OP_SBB:
		return id == X86_INS_SBB;
	case V3_OP_AND:
		return id == X86_INS_AND;
	case V3_OP_SUB:
		return id == X86_INS_SUB;
	case V3_OP_XOR:
		return id == X86_INS_XOR;
	case V3_OP_CMP:
		return id == X86_INS_CMP;
	case V3_OP_TEST:
		return id == X86_INS_TEST;
	case V3_OP_XCHG:
		return id == X86_INS_XCHG;
	case V3_OP_MOVS:
		return id == X86_INS_MOVSB || id == X86_INS_MOVSW ||
		       id == X86_INS_MOVSD || id == X86_INS_MOVSQ;
	case V3_OP_STOS:
		return id == X86_INS_STOSB || id == X86_INS_STOSW ||
		       id == X86_INS_STOSD || id == X86_INS_STOSQ;
	case V3_OP_CLTS:
		return id == X86_INS_CLTS;
	case V3_OP_LMSW:
		return id == X86_INS_LMSW;
	case V3_OP_SMSW:
		return id == X86_INS_SMSW;
	case V3_OP_INVLPG:
		return id == X86_INS_INVLPG;
	default:
		return false;
	}
}

/* ---- Capstone registers in the decoder's numbering ---- */

struct reg_info {
	int num; /* -1: not a register we know */
	unsigned size;
	bool cr;
};

static struct reg_info reg_info(x86_reg r)
{
	static const x86_reg gpr[4][16] = {
		{X86_REG_AL, X86_REG_CL, X86_REG_DL, X86_REG_BL, X86_REG_SPL,
		 X86_REG_BPL, X86_REG_SIL, X86_REG_DIL, X86_REG_R8B,
		 X86_REG_R9B, X86_REG_R10B, X86_REG_R11B, X86_REG_R12B,
		 X86_REG_R13B, X86_REG_R14B, X86_REG_R15B},
		{X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX, X86_REG_SP,
		 X86_REG_BP, X86_REG_SI, X86_REG_DI, X86_REG_R8W, X86_REG_R9W,
		 X86_REG_R10W, X86_REG_R11W, X86_REG_R12W, X86_REG_R13W,
		 X86_REG_R14W, X86_REG_R15W},
		{X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX,
		 X86_REG_ESP, X86_REG_EBP, X86_REG_ESI, X86_REG_EDI,
		 X86_REG_R8D, X86_REG_R9D, X86_REG_R10D, X86_REG_R11D,
		 X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D},
		{X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
		 X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI, X86_REG_R8,
		 X86_REG_R9, X86_REG_R10, X86_REG_R11, X86_REG_R12, X86_REG_R13,
		 X86_REG_R14, X86_REG_R15},
	};
	static const x86_reg high[4] = {X86_REG_AH, X86_REG_CH, X86_REG_DH,
					X86_REG_BH};

	for (unsigned w = 0; w < 4; w++)
		for (int n = 0; n < 16; n++)
			if (gpr[w][n] == r)
				return (struct reg_info){n, 1u << w, false};
	for (int n = 0; n < 4; n++)
		if (high[n] == r)
			return (struct reg_info){V3_REG_AH + n, 1, false};
	if (r >= X86_REG_CR0 && r <= X86_REG_CR15)
		return (struct reg_info){r - X86_REG_CR0, 0, true};
	if (r == X86_REG_RIP)
		return (struct reg_info){V3_REG_RIP, 8, false};
	if (r == X86_REG_EIP)
		return (struct reg_info){V3_REG_RIP, 4, false};
	return (struct reg_info){-1, 0, false};
}

static int cs_seg(x86_reg r)
{
	switch (r) {
	case X86_REG_ES:
		return V3_SEG_ES;
	case X86_REG_CS:
		return V3_SEG_CS;
	case X86_REG_SS:
		return V3_SEG_SS;
	case X86_REG_DS:
		return V3_SEG_DS;
	case X86_REG_FS:
		return V3_SEG_FS;
	case X86_REG_GS:
		return V3_SEG_GS;
	default:
		return -1;
	}
}

static uint64_t mask(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static int64_t sext(uint64_t v, unsigned size)
{
	unsigned shift = 64 - 8 * size;

	return (int64_t)(v << shift) >> shift;
}

/* ---- comparing one operand ---- */

/* A base or index register, as wide as the address. */
static bool same_address_reg(x86_reg cs, uint8_t ours,
			     const struct v3_insn *insn)
{
	struct reg_info r = reg_info(cs);

	if (cs == X86_REG_INVALID)
		return ours == V3_REG_NONE;
	return r.num == ours && r.size == insn->addr_size;
}

static const char *mem_mismatch(const cs_x86_op *c, const struct v3_operand *o,
				const struct v3_insn *insn, bool string_dst,
				bool moffs)
{
	struct reg_info base = reg_info(c->mem.base);
	int seg = cs_seg(c->mem.segment), def;

	if (o->kind != V3_OPND_MEM)
		return "operand kind (memory)";
	if (!same_address_reg(c->mem.base, o->base, insn))
		return "memory base";
	if (!same_address_reg(c->mem.index, o->index, insn))
		return "memory index";
	/* QUIRK: Capstone keeps SIB.scale when SIB.index is 100 (none). */
	if (o->index != V3_REG_NONE && c->mem.scale != o->scale)
		return "memory scale";
	/*
	 * QUIRK: Capstone zero-extends a moffs offset; the header stores
	 * every displacement sign-extended from its width, which for a moffs
	 * is the address size.
	 */
	if (moffs ? o->disp != sext(c->mem.disp, insn->addr_size)
		  : o->disp != c->mem.disp)
		return "displacement";
	/* Capstone names only overrides; compute the default otherwise. */
	if (string_dst)
		def = V3_SEG_ES;
	else if (base.num == 4 || base.num == 5)
		def = V3_SEG_SS; /* rSP, rBP; not r12, r13 */
	else
		def = V3_SEG_DS;
	if (o->seg != (seg >= 0 ? seg : def))
		return "segment";
	return NULL;
}

/* The 32-bit register of a 64-bit one (for the MOVSXD quirk). */
static x86_reg reg32_of(x86_reg r)
{
	static const x86_reg r64[16] = {
		X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
		X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI,
		X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11,
		X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15,
	};
	static const x86_reg r32[16] = {
		X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX,
		X86_REG_ESP, X86_REG_EBP, X86_REG_ESI, X86_REG_EDI,
		X86_REG_R8D, X86_REG_R9D, X86_REG_R10D, X86_REG_R11D,
		X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D,
	};

	for (unsigned i = 0; i < 16; i++)
		if (r64[i] == r)
			return r32[i];
	return r;
}

static const char *operand_mismatch(const cs_x86_op *c,
				    const struct v3_operand *o,
				    const struct v3_insn *insn, bool string_dst,
				    bool moffs)
{
	if (c->size != o->size)
		return "operand size";
	switch (c->type) {
	case X86_OP_REG: {
		struct reg_info r = reg_info(c->reg);

		if (r.cr)
			return o->kind != V3_OPND_CR || o->reg != r.num
				       ? "control register"
				       : NULL;
		if (o->kind != V3_OPND_REG || o->reg != r.num ||
		    r.size != o->size)
			return "register";
		return NULL;
	}
	case X86_OP_IMM:
		/*
		 * QUIRK: Capstone zero-extends an immediate from the operand
		 * size (except 83's imm8, which it sign-extends to 64 bits);
		 * the header sign-extends them all. Compare the operand-size
		 * bits and check our sign extension.
		 */
		if (o->kind != V3_OPND_IMM ||
		    o->imm != sext((uint64_t)c->imm & mask(o->size), o->size))
			return "immediate";
		return NULL;
	case X86_OP_MEM:
		return mem_mismatch(c, o, insn, string_dst, moffs);
	default:
		return "operand type";
	}
}

/* ---- one encoding ---- */

static void show(const char *why, int mode, const uint8_t *b, unsigned n,
		 int rc, const cs_insn *ci)
{
	char hex[3 * BUF_LEN + 1] = "";

	if (shown++ >= MAX_SHOWN)
		return;
	for (unsigned i = 0; i < n; i++)
		sprintf(hex + 3 * i, "%02x ", b[i]);
	print_message(
		"# DISAGREE %d-bit %s: %s| ours %d (%s) | capstone %s %s\n",
		mode * 8, why, hex, rc, rc ? v3_decode_strerror(rc) : "ok",
		ci ? ci->mnemonic : "(none)", ci ? ci->op_str : "");
}

static bool cr_exists(unsigned n)
{
	return n == 0 || n == 2 || n == 3 || n == 4 || n == 8;
}

/* LOCK is legal on read-modify-writes of memory only (SDM, LOCK). */
static bool lock_legal(int op, const cs_x86 *x)
{
	bool rmw = (op >= V3_OP_ADD && op <= V3_OP_XOR) || op == V3_OP_XCHG;

	return rmw && op != V3_OP_CMP && x->op_count &&
	       x->operands[0].type == X86_OP_MEM;
}

static unsigned expected_rep(const struct prefixes *p)
{
	if (p->rep == 0xf3)
		return V3_REP;
	return p->rep == 0xf2 ? V3_REPNE : 0;
}

/* Both accepted: everything must match. Returns the mismatch, or NULL. */
static const char *compare(const cs_insn *ci, const struct v3_insn *insn,
			   int op, const struct prefixes *p)
{
	const cs_x86 *x = &ci->detail->x86;
	const struct v3_operand *ours[2] = {&insn->dst, &insn->src};
	unsigned want_ops = 2, first = 0;
	const char *why;

	if (ci->size != insn->length)
		return "length";
	if ((int)insn->op != op)
		return "operation";
	if (x->addr_size != insn->addr_size)
		return "address size";
	if (insn->lock != p->lock)
		return "lock";
	if (p->lock && !lock_legal(op, x))
		return "accepted an illegal LOCK";
	if ((op == V3_OP_MOV_TO_CR || op == V3_OP_MOV_FROM_CR) &&
	    !cr_exists(((x->modrm >> 3) & 7) | (p->rex & 4 ? 8 : 0)))
		return "accepted a reserved CR";
	if (op == V3_OP_MOVS || op == V3_OP_STOS) {
		/*
		 * From our scan: Capstone's group-1 prefix slot holds only
		 * the last of F0/F2/F3, and it loses F2 on A5.
		 */
		if (insn->rep != expected_rep(p))
			return "rep";
	} else if (insn->rep) {
		return "rep on a non-string instruction";
	}
	if (op == V3_OP_CLTS)
		want_ops = 0;
	if (op == V3_OP_LMSW) {
		/* Capstone lists only the source; CR0 is implicit. */
		if (insn->dst.kind != V3_OPND_CR || insn->dst.reg != 0)
			return "lmsw destination";
		want_ops = 1;
		first = 1;
	}
	if (op == V3_OP_SMSW) {
		/* Capstone lists only the destination; CR0 is implicit. */
		if (insn->src.kind != V3_OPND_CR || insn->src.reg != 0)
			return "smsw source";
		want_ops = 1;
	}
	if (op == V3_OP_INVLPG)
		want_ops = 1;
	if (x->op_count != want_ops)
		return "operand count";
	cs_x86_op cops[2] = { x->operands[0], x->operands[1] };
	/*
	 * QUIRK: Capstone 4 gives 63 without REX.W a 64-bit destination
	 * ("movsxd rax, dword"); the CPU moves 32 bits into the 32-bit
	 * register, zero-extending (checked on this host: 63 C2 with EDX
	 * 0x80000001 leaves RAX 0x80000001), which is what we decode.
	 */
	if (x->opcode[0] == 0x63 && !(p->rex & 8) && cops[0].type == X86_OP_REG &&
	    cops[0].size == 8) {
		cops[0].reg = reg32_of(cops[0].reg);
		cops[0].size = 4;
	}
	for (unsigned i = 0; i < want_ops; i++) {
		bool string_dst =
			i == 0 && (op == V3_OP_MOVS || op == V3_OP_STOS);
		bool moffs = x->opcode[0] >= 0xa0 && x->opcode[0] <= 0xa3;

		why = operand_mismatch(&cops[i], ours[first + i], insn,
				       string_dst, moffs);
		if (why)
			return why;
	}
	for (unsigned i = want_ops + first; i < 2; i++)
		if (ours[i]->kind != V3_OPND_NONE &&
		    !(op == V3_OP_SMSW && i == 1))	/* its CR0, checked above */
			return "extra operand";
	if (want_ops && op != V3_OP_LMSW && op != V3_OP_INVLPG &&
	    insn->op_size != cops[0].size)
		return "operand size of the instruction";
	return NULL;
}

/*
 * Rewrites the prefixes into an equivalent order or form that Capstone 4
 * decodes correctly; returns whether it changed anything.
 *
 * QUIRK (66 before F2/F3): Capstone then sizes a memory operand (and
 * its immediate) as if 66 were absent, though it reads the right number
 * of bytes. Prefixes of different groups may come in any order, so the
 * group-1 prefixes (F0, F2, F3) are moved first, keeping the order within
 * each group and every REX where it was.
 *
 * QUIRK (F2 A5): Capstone takes F2 A5 for SSE2 MOVSD when F2 is the REP
 * prefix that counts, dropping it. F2 and F3 repeat MOVS alike, so the
 * F2s become F3s and the caller checks REPNE from the original bytes.
 */
static bool normalise_for_capstone(const uint8_t *b, unsigned n,
				   const struct prefixes *p, uint8_t *out,
				   struct counts *c)
{
	unsigned slot[BUF_LEN], nslots = 0, k = 0;
	uint8_t legacy[BUF_LEN];
	bool changed;

	memcpy(out, b, n);
	for (unsigned i = 0; i < p->opcode_at; i++)
		if (is_legacy_prefix(b[i]))
			slot[nslots++] = i;
	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < nslots; i++) {
			uint8_t x = b[slot[i]];
			bool group1 = x == 0xf0 || x == 0xf2 || x == 0xf3;

			if (group1 == (pass == 0))
				legacy[k++] = x;
		}
	for (unsigned i = 0; i < nslots; i++)
		out[slot[i]] = legacy[i];
	changed = memcmp(out, b, n) != 0;
	c->reordered += changed;
	if (p->rep == 0xf2 && p->opcode_at < n && b[p->opcode_at] == 0xa5) {
		for (unsigned i = 0; i < p->opcode_at; i++)
			if (out[i] == 0xf2)
				out[i] = 0xf3;
		c->f2_movs++;
		changed = true;
	}
	return changed;
}

static void check_one(csh cs, cs_insn *ci, int mode, const uint8_t *b,
		      unsigned n, struct counts *c)
{
	const uint8_t *code = b;
	size_t size = n;
	uint64_t addr = 0x1000;
	struct v3_insn insn;
	int rc = v3_decode(b, n, mode, &insn), op = -1;
	struct prefixes p = scan_prefixes(b, n, mode);
	const char *why = NULL;
	uint8_t fixed[BUF_LEN];
	bool cs_ok;

	c->total++;
	if (normalise_for_capstone(b, n, &p, fixed, c))
		code = fixed;
	cs_ok = cs_disasm_iter(cs, &code, &size, &addr, ci);
	if (cs_ok) {
		op = supported_form(b, mode, &p);
		if (op >= 0 && !id_matches(ci->id, op)) {
			why = "capstone reads the form as another instruction";
			goto out;
		}
	}
	if (!rc) {
		if (!cs_ok)
			why = "we accept what capstone refuses";
		else if (op < 0)
			why = "we accept an unsupported instruction";
		else
			why = compare(ci, &insn, op, &p);
		if (!why)
			c->compared++;
		goto out;
	}
	if (!cs_ok) {
		c->rejected_both++;
	} else if (op < 0) {
		c->rejected_unsupported++;
	} else if (p.lock &&
		   (op == V3_OP_MOV_TO_CR || op == V3_OP_MOV_FROM_CR)) {
		/*
		 * LOCK MOV CRn is AMD's CR8 access (APM vol. 3, "MOV CRn"),
		 * a real instruction we refuse. Capstone refuses it unless
		 * an F2/F3 after the LOCK hides it (its group-1 slot keeps
		 * the last prefix only).
		 */
		if (rc != -V3_DECODE_UNSUPPORTED)
			why = "LOCK MOV CR not reported as unsupported";
		c->ud_lock++;
	} else if (p.lock && !lock_legal(op, &ci->detail->x86)) {
		/* Capstone checks only that some operand is memory. */
		if (rc != -V3_DECODE_INVALID)
			why = "illegal LOCK not reported as invalid";
		c->ud_lock++;
	} else if ((op == V3_OP_MOV_TO_CR || op == V3_OP_MOV_FROM_CR) &&
		   !cr_exists(((ci->detail->x86.modrm >> 3) & 7) |
			      (p.rex & 4 ? 8 : 0))) {
		/* Capstone names CR1, CR5-CR7, CR9-CR15; they #UD. */
		if (rc != -V3_DECODE_INVALID)
			why = "reserved CR not reported as invalid";
		c->ud_cr++;
	} else {
		why = "we refuse a supported instruction";
	}
out:
	if (why) {
		c->disagreements++;
		show(why, mode, b, n, rc, cs_ok ? ci : NULL);
	}
}

/* ---- the generator ---- */

static unsigned pick_prefix(void)
{
	uint8_t b = legacy_prefixes[below(sizeof(legacy_prefixes))];

	/* LOCK makes most forms invalid: keep it rarer. */
	if (b == 0xf0 && below(3))
		b = legacy_prefixes[below(2)];
	return b;
}

/* One-byte and 0F opcodes of the supported forms. */
static uint8_t one_byte_form(void)
{
	static const uint8_t others[] = {
		0x63, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
		0x88, 0x89, 0x8a, 0x8b, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4,
		0xa5, 0xaa, 0xab, 0xc6, 0xc7, 0xf6, 0xf7};

	if (below(2))
		return below(8) << 3 | below(4); /* the ALU rows */
	return others[below(sizeof(others))];
}

/*
 * prefixes [REX] opcode [ModRM] random...: BUF_LEN bytes, of which the
 * instruction uses what it needs.
 */
static unsigned generate(int mode, uint8_t *b)
{
	static const uint8_t two_byte[] = {0x01, 0x06, 0x20, 0x22,
					   0xb6, 0xb7, 0xbe, 0xbf};
	unsigned n = 0, np = below(8), r, modrm_at;

	np = np < 4 ? 0 : np < 6 ? 1 : np < 7 ? 2 : 1 + below(5);
	for (unsigned k = 0; k < np; k++) {
		/* now and then a REX that the next legacy prefix voids */
		if (mode == V3_CODE64 && below(16) == 0)
			b[n++] = 0x40 | below(16);
		b[n++] = pick_prefix();
	}
	if (mode == V3_CODE64 && below(2))
		b[n++] = 0x40 | below(16);
	r = below(100);
	if (r < 70) {
		b[n++] = one_byte_form();
	} else if (r < 86) {
		b[n++] = 0x0f;
		b[n++] = two_byte[below(sizeof(two_byte))];
	} else if (r < 94) {
		b[n++] = rnd(); /* any one-byte opcode */
	} else {
		b[n++] = 0x0f;
		b[n++] = rnd();
	}
	modrm_at = n;
	/* ModRM, SIB, displacement, immediate: random */
	while (n < BUF_LEN)
		b[n++] = rnd();
	/* in the groups, mostly pick the members we support */
	if (below(3)) {
		uint8_t op = b[modrm_at - 1], *reg = &b[modrm_at];

		if (op == 0xc6 || op == 0xc7 || op == 0xf6 || op == 0xf7)
			*reg &= ~0x38;
		else if (op == 0x01 && modrm_at >= 2 && b[modrm_at - 2] == 0x0f)
			*reg = (*reg & ~0x38) | (6 + below(2)) << 3;
	}
	return n;
}

static void run_mode(int mode, cs_mode cs_mode_bits)
{
	struct counts c = {0};
	uint8_t b[BUF_LEN];
	cs_insn *ci;
	unsigned n;
	csh cs;

	assert_int_equal(cs_open(CS_ARCH_X86, cs_mode_bits, &cs), CS_ERR_OK);
	assert_int_equal(cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON), CS_ERR_OK);
	ci = cs_malloc(cs);
	for (unsigned i = 0; i < PER_MODE + RANDOM_PER_MODE; i++) {
		if (i < PER_MODE) {
			n = generate(mode, b);
		} else {
			for (n = 0; n < 16; n++)
				b[n] = rnd();
		}
		/* some truncated encodings */
		if (below(16) == 0)
			n = below(n + 1);
		check_one(cs, ci, mode, b, n, &c);
	}
	cs_free(ci, 1);
	cs_close(&cs);
	print_message("# %d-bit: %u encodings: %u accepted and matched, %u "
		      "refused by both, %u refused as outside the supported "
		      "set, %u invalid LOCK, %u reserved CR; normalised: %u "
		      "prefix orders, %u F2 A5; %u disagreements\n",
		      mode * 8, c.total, c.compared, c.rejected_both,
		      c.rejected_unsupported, c.ud_lock, c.ud_cr, c.reordered,
		      c.f2_movs, c.disagreements);
	assert_int_equal(c.disagreements, 0);
}

static void mode16(void **state)
{
	(void)state;
	run_mode(V3_CODE16, CS_MODE_16);
}

static void mode32(void **state)
{
	(void)state;
	run_mode(V3_CODE32, CS_MODE_32);
}

static void mode64(void **state)
{
	(void)state;
	run_mode(V3_CODE64, CS_MODE_64);
}

int main(void)
{
	const char *seed = getenv("DECODER_SEED");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mode16),
		cmocka_unit_test(mode32),
		cmocka_unit_test(mode64),
	};

	rng_state = seed ? strtoull(seed, NULL, 0) : 0x5eed0f0cafe1234ULL;
	print_message("# seed %#llx (DECODER_SEED to change)\n",
		      (unsigned long long)rng_state);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
