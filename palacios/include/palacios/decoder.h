/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 instruction decoder and emulator Palacios uses for the guest
 * instructions it must carry out itself: accesses to hooked memory (MMIO)
 * and, without decode assists, control-register moves and INVLPG.
 *
 * It is pure C with no host dependency, so the host tests can compare it
 * with a reference disassembler. It decodes only what it can emulate; any
 * other encoding is refused with an error, never guessed at.
 */
#ifndef PALACIOS_DECODER_H
#define PALACIOS_DECODER_H

#include <stdbool.h>
#include <stdint.h>

/* Default operand/address size of the code segment. */
enum v3_code_size {
	V3_CODE16 = 2,
	V3_CODE32 = 4,
	V3_CODE64 = 8,
};

enum v3_op {
	V3_OP_MOV,		/* 88-8B, A0-A3, C6, C7 */
	V3_OP_MOVZX,		/* 0F B6, 0F B7 */
	V3_OP_MOVSX,		/* 0F BE, 0F BF, 63 (MOVSXD) */
	V3_OP_ADD,		/* 00-03, 80/0, 81/0, 83/0 ... */
	V3_OP_OR,
	V3_OP_ADC,
	V3_OP_SBB,
	V3_OP_AND,
	V3_OP_SUB,
	V3_OP_XOR,
	V3_OP_CMP,
	V3_OP_TEST,		/* 84, 85, F6/0, F7/0 */
	V3_OP_XCHG,		/* 86, 87 */
	V3_OP_MOVS,		/* A4, A5 */
	V3_OP_STOS,		/* AA, AB */
	V3_OP_MOV_TO_CR,	/* 0F 22 */
	V3_OP_MOV_FROM_CR,	/* 0F 20 */
	V3_OP_CLTS,		/* 0F 06 */
	V3_OP_LMSW,		/* 0F 01 /6 */
	V3_OP_SMSW,		/* 0F 01 /4 */
	V3_OP_INVLPG,		/* 0F 01 /7 */
};

/* Register numbers follow the encoding: 0 = rAX ... 15 = r15. */
enum {
	V3_REG_AH = 16,		/* AH, CH, DH, BH: byte registers without REX */
	V3_REG_CH,
	V3_REG_DH,
	V3_REG_BH,
	V3_REG_RIP,		/* as a memory base: RIP-relative */
	V3_REG_NONE = 0xff,
};

enum v3_seg { V3_SEG_ES, V3_SEG_CS, V3_SEG_SS, V3_SEG_DS, V3_SEG_FS, V3_SEG_GS };

enum v3_operand_kind {
	V3_OPND_NONE,
	V3_OPND_REG,		/* general register `reg` */
	V3_OPND_MEM,		/* seg:[base + index * scale + disp] */
	V3_OPND_IMM,		/* `imm`, sign-extended to 64 bits */
	V3_OPND_CR,		/* control register `reg` (0-15) */
};

struct v3_operand {
	enum v3_operand_kind kind;
	uint8_t size;		/* bytes accessed: 1, 2, 4 or 8 */
	uint8_t reg;
	uint8_t base;		/* V3_REG_NONE when absent */
	uint8_t index;		/* V3_REG_NONE when absent */
	uint8_t scale;		/* 1, 2, 4, 8 */
	uint8_t seg;		/* enum v3_seg, after overrides */
	int64_t disp;		/* sign-extended */
	int64_t imm;
};

#define V3_REP		1	/* F3 on MOVS/STOS */
#define V3_REPNE	2	/* F2 */

struct v3_insn {
	enum v3_op op;
	uint8_t length;		/* bytes, prefixes included */
	uint8_t op_size;	/* effective operand size in bytes */
	uint8_t addr_size;	/* effective address size in bytes */
	uint8_t rep;		/* 0, V3_REP or V3_REPNE */
	bool lock;
	/* Intel order: dst is written (or compared, for CMP/TEST). */
	struct v3_operand dst;
	struct v3_operand src;
};

/* Errors, returned negated. */
enum {
	V3_DECODE_TRUNCATED = 1,	/* ran past `avail` bytes */
	V3_DECODE_UNSUPPORTED,		/* a valid instruction we do not emulate */
	V3_DECODE_INVALID,		/* not a valid encoding (e.g. LOCK on MOV) */
	V3_EMU_MEM_FAULT,		/* a memory callback failed */
	V3_EMU_UNSUPPORTED,		/* decoded, but not emulated here (CR moves) */
};

/*
 * Decode the instruction at code[0..avail) for code of the given default
 * size. Returns 0 and fills *insn, or a negative V3_DECODE_* error.
 */
int v3_decode(const uint8_t *code, unsigned avail, enum v3_code_size mode,
	      struct v3_insn *insn);

/* A short English description of a negative decoder/emulator error. */
const char *v3_decode_strerror(int err);

/* The guest state the emulator reads and changes. */
struct v3_emu_regs {
	uint64_t gpr[16];	/* rAX ... r15, encoding order */
	uint64_t rip;
	uint64_t rflags;
	uint64_t seg_base[6];	/* by enum v3_seg; 0 for flat segments */
	enum v3_code_size mode;
};

/*
 * Guest memory by linear address. The VMM translates and routes each
 * access to RAM or to a hooked region. Return 0 or a negative value.
 */
struct v3_emu_mem {
	void *opaque;
	int (*read)(void *opaque, uint64_t linear, void *buf, unsigned len);
	int (*write)(void *opaque, uint64_t linear, const void *buf,
		     unsigned len);
};

/*
 * Carry out a decoded data instruction: compute addresses, move data
 * through `mem`, update registers and the arithmetic flags as the CPU
 * would, handle REP, and advance rip. Returns 0 or a negative V3_* error;
 * on error the registers are unchanged except for completed REP
 * iterations.
 */
int v3_emulate(const struct v3_insn *insn, struct v3_emu_regs *regs,
	       const struct v3_emu_mem *mem);

#endif
