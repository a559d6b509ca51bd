// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 decoder against hand-written encodings: every supported opcode
 * form, each prefix and addressing rule the decoder implements, and the
 * error it must give for what it refuses. The expected values come from
 * the Intel SDM tables, not from the decoder; test_decoder_capstone.c
 * cross-checks the same rules in bulk.
 */
#include "support.h"

#include <palacios/decoder.h>

enum { AX, CX, DX, BX, SP, BP, SI, DI, R8, R9, R10, R11, R12, R13, R14, R15 };
#define NONE V3_REG_NONE

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__})
#define NBYTES(...) sizeof(BYTES(__VA_ARGS__))

/* Decodes; asserts success and that every byte given was used. */
#define DEC(mode, ...) decode_ok(mode, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))
#define DEC_ERR(err, mode, ...)                                            \
	assert_int_equal(                                                  \
		decode_err(mode, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__)), \
		-(err))

static struct v3_insn decode_ok(enum v3_code_size mode, const uint8_t *code,
				unsigned len)
{
	struct v3_insn insn;

	/* Trailing bytes must not be consumed: pad past the instruction. */
	uint8_t buf[32];
	__builtin_memset(buf, 0xcc, sizeof(buf));
	__builtin_memcpy(buf, code, len);
	assert_int_equal(v3_decode(buf, sizeof(buf), mode, &insn), 0);
	assert_int_equal(insn.length, len);
	return insn;
}

static int decode_err(enum v3_code_size mode, const uint8_t *code, unsigned len)
{
	struct v3_insn insn;

	return v3_decode(code, len, mode, &insn);
}

static void check_reg(const struct v3_operand *o, unsigned reg, unsigned size)
{
	assert_int_equal(o->kind, V3_OPND_REG);
	assert_int_equal(o->reg, reg);
	assert_int_equal(o->size, size);
}

static void check_mem(const struct v3_operand *o, unsigned size, unsigned seg,
		      unsigned base, unsigned index, unsigned scale,
		      int64_t disp)
{
	assert_int_equal(o->kind, V3_OPND_MEM);
	assert_int_equal(o->size, size);
	assert_int_equal(o->seg, seg);
	assert_int_equal(o->base, base);
	assert_int_equal(o->index, index);
	assert_int_equal(o->scale, scale);
	assert_int_equal(o->disp, disp);
}

static void check_imm(const struct v3_operand *o, unsigned size, int64_t imm)
{
	assert_int_equal(o->kind, V3_OPND_IMM);
	assert_int_equal(o->size, size);
	assert_int_equal(o->imm, imm);
}

/* 00-3B: the eight ALU rows, each with its four ModRM forms. */
static void alu_rows(void **state)
{
	static const enum v3_op ops[8] = {
		V3_OP_ADD, V3_OP_OR,  V3_OP_ADC, V3_OP_SBB,
		V3_OP_AND, V3_OP_SUB, V3_OP_XOR, V3_OP_CMP,
	};
	(void)state;

	for (unsigned row = 0; row < 8; row++) {
		uint8_t b = row << 3;
		struct v3_insn i;

		/* x0: r/m8, r8 -- [eax], bl */
		i = decode_ok(V3_CODE32, BYTES(b, 0x18), 2);
		assert_int_equal(i.op, ops[row]);
		assert_int_equal(i.op_size, 1);
		check_mem(&i.dst, 1, V3_SEG_DS, AX, NONE, 1, 0);
		check_reg(&i.src, BX, 1);
		/* x1: r/m32, r32 -- [ecx+8], edx */
		i = decode_ok(V3_CODE32, BYTES(b + 1, 0x51, 8), 3);
		assert_int_equal(i.op, ops[row]);
		check_mem(&i.dst, 4, V3_SEG_DS, CX, NONE, 1, 8);
		check_reg(&i.src, DX, 4);
		/* x2: r8, r/m8 -- ch, [esi] */
		i = decode_ok(V3_CODE32, BYTES(b + 2, 0x2e), 2);
		check_reg(&i.dst, V3_REG_CH, 1);
		check_mem(&i.src, 1, V3_SEG_DS, SI, NONE, 1, 0);
		/* x3: r64, r/m64 -- r9, [r10] */
		i = decode_ok(V3_CODE64, BYTES(0x4d, b + 3, 0x0a), 3);
		assert_int_equal(i.op, ops[row]);
		assert_int_equal(i.op_size, 8);
		check_reg(&i.dst, R9, 8);
		check_mem(&i.src, 8, V3_SEG_DS, R10, NONE, 1, 0);
		/* register forms decode too */
		i = decode_ok(V3_CODE64, BYTES(b + 1, 0xc8), 2);
		check_reg(&i.dst, AX, 4);
		check_reg(&i.src, CX, 4);
	}
	/* The accumulator-immediate forms are not in the supported set. */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0x04, 1);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0x3d, 1, 0, 0, 0);
}

static void alu_immediates(void **state)
{
	struct v3_insn i;
	(void)state;

	/* 80 /1: or byte [ebx], 0x80 */
	i = DEC(V3_CODE32, 0x80, 0x0b, 0x80);
	assert_int_equal(i.op, V3_OP_OR);
	check_mem(&i.dst, 1, V3_SEG_DS, BX, NONE, 1, 0);
	check_imm(&i.src, 1, -128);
	/* 81 /5 with 66: sub word [eax], 0x8001 (imm16) */
	i = DEC(V3_CODE32, 0x66, 0x81, 0x28, 0x01, 0x80);
	assert_int_equal(i.op, V3_OP_SUB);
	assert_int_equal(i.op_size, 2);
	check_imm(&i.src, 2, -0x7fff);
	/* 81 /7 in 16-bit code takes imm16 */
	i = DEC(V3_CODE16, 0x81, 0x3f, 0x34, 0x12);
	assert_int_equal(i.op, V3_OP_CMP);
	check_mem(&i.dst, 2, V3_SEG_DS, BX, NONE, 1, 0);
	check_imm(&i.src, 2, 0x1234);
	/* REX.W 81 /0: imm32 sign-extended to 64 bits */
	i = DEC(V3_CODE64, 0x48, 0x81, 0x00, 0x00, 0x00, 0x00, 0x80);
	check_imm(&i.src, 8, -0x80000000LL);
	/* 83 /2: adc dword [eax], -1 (imm8 sign-extended) */
	i = DEC(V3_CODE32, 0x83, 0x10, 0xff);
	assert_int_equal(i.op, V3_OP_ADC);
	check_imm(&i.src, 4, -1);
	/* 83 /3 with a 16-bit operand */
	i = DEC(V3_CODE32, 0x66, 0x83, 0x18, 0x7f);
	assert_int_equal(i.op, V3_OP_SBB);
	check_imm(&i.src, 2, 0x7f);
	/* 83 /4, /6 register forms */
	i = DEC(V3_CODE64, 0x49, 0x83, 0xe7, 0xf0);
	assert_int_equal(i.op, V3_OP_AND);
	check_reg(&i.dst, R15, 8);
	check_imm(&i.src, 8, -16);
	i = DEC(V3_CODE32, 0x83, 0xf6, 1);
	assert_int_equal(i.op, V3_OP_XOR);
	/* 82 is 80 outside 64-bit mode and #UD inside it */
	i = DEC(V3_CODE32, 0x82, 0x00, 0x05);
	assert_int_equal(i.op, V3_OP_ADD);
	check_imm(&i.src, 1, 5);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE64, 0x82, 0x00, 0x05);
}

static void mov_forms(void **state)
{
	struct v3_insn i;
	(void)state;

	i = DEC(V3_CODE32, 0x88, 0x07); /* mov [edi], al */
	assert_int_equal(i.op, V3_OP_MOV);
	check_mem(&i.dst, 1, V3_SEG_DS, DI, NONE, 1, 0);
	check_reg(&i.src, AX, 1);
	i = DEC(V3_CODE64, 0x89, 0x07); /* mov [rdi], eax */
	assert_int_equal(i.addr_size, 8);
	check_mem(&i.dst, 4, V3_SEG_DS, DI, NONE, 1, 0);
	i = DEC(V3_CODE64, 0x8a, 0x27); /* mov ah, [rdi] */
	check_reg(&i.dst, V3_REG_AH, 1);
	i = DEC(V3_CODE64, 0x4c, 0x8b, 0x27); /* mov r12, [rdi] */
	check_reg(&i.dst, R12, 8);
	check_mem(&i.src, 8, V3_SEG_DS, DI, NONE, 1, 0);
	/* C6 /0 and C7 /0 */
	i = DEC(V3_CODE32, 0xc6, 0x00, 0xab);
	assert_int_equal(i.op, V3_OP_MOV);
	check_imm(&i.src, 1, (int8_t)0xab);
	i = DEC(V3_CODE16, 0xc7, 0x06, 0x00, 0x10, 0xcd, 0xab);
	check_mem(&i.dst, 2, V3_SEG_DS, NONE, NONE, 1, 0x1000);
	check_imm(&i.src, 2, (int16_t)0xabcd);
	i = DEC(V3_CODE64, 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff);
	check_imm(&i.src, 8, -1);
	/* C6/C7 /1-/6 do not exist; /7 is XABORT/XBEGIN */
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xc6, 0x08, 0);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE64, 0xc7, 0x30, 0, 0, 0, 0);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE64, 0xc6, 0xf8, 0);
	/* mov to/from segment registers, mov reg, imm: not supported */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0x8c, 0xd8);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0x8e, 0xd8);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xb8, 0, 0, 0, 0);
}

/* A0-A3: the offset is as wide as the address. */
static void moffs_forms(void **state)
{
	struct v3_insn i;
	(void)state;

	i = DEC(V3_CODE64, 0xa0, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23,
		0x01);
	assert_int_equal(i.op, V3_OP_MOV);
	check_reg(&i.dst, AX, 1);
	check_mem(&i.src, 1, V3_SEG_DS, NONE, NONE, 1, 0x0123456789abcdefLL);
	i = DEC(V3_CODE64, 0x48, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0x80);
	check_mem(&i.dst, 8, V3_SEG_DS, NONE, NONE, 1, INT64_MIN);
	check_reg(&i.src, AX, 8);
	/* 67 in 64-bit mode: a 4-byte offset */
	i = DEC(V3_CODE64, 0x67, 0x64, 0xa1, 0x10, 0x00, 0x00, 0x00);
	assert_int_equal(i.addr_size, 4);
	check_mem(&i.src, 4, V3_SEG_FS, NONE, NONE, 1, 0x10);
	i = DEC(V3_CODE32, 0xa2, 0x78, 0x56, 0x34, 0x12);
	check_mem(&i.dst, 1, V3_SEG_DS, NONE, NONE, 1, 0x12345678);
	check_reg(&i.src, AX, 1);
	i = DEC(V3_CODE16, 0xa1, 0x34, 0x12);
	check_mem(&i.src, 2, V3_SEG_DS, NONE, NONE, 1, 0x1234);
	check_reg(&i.dst, AX, 2);
	i = DEC(V3_CODE16, 0x67, 0x66, 0xa3, 0x78, 0x56, 0x34, 0x12);
	check_mem(&i.dst, 4, V3_SEG_DS, NONE, NONE, 1, 0x12345678);
	DEC_ERR(V3_DECODE_TRUNCATED, V3_CODE64, 0xa0, 1, 2, 3, 4, 5, 6, 7);
}

static void movzx_movsx(void **state)
{
	struct v3_insn i;
	(void)state;

	i = DEC(V3_CODE32, 0x0f, 0xb6, 0x03); /* movzx eax, byte [ebx] */
	assert_int_equal(i.op, V3_OP_MOVZX);
	check_reg(&i.dst, AX, 4);
	check_mem(&i.src, 1, V3_SEG_DS, BX, NONE, 1, 0);
	i = DEC(V3_CODE32, 0x66, 0x0f, 0xb6, 0xc4); /* movzx ax, ah */
	check_reg(&i.dst, AX, 2);
	check_reg(&i.src, V3_REG_AH, 1);
	i = DEC(V3_CODE64, 0x48, 0x0f, 0xb7, 0x03); /* movzx rax, word */
	check_reg(&i.dst, AX, 8);
	check_mem(&i.src, 2, V3_SEG_DS, BX, NONE, 1, 0);
	i = DEC(V3_CODE64, 0x44, 0x0f, 0xbe, 0x06); /* movsx r8d, byte */
	assert_int_equal(i.op, V3_OP_MOVSX);
	check_reg(&i.dst, R8, 4);
	check_mem(&i.src, 1, V3_SEG_DS, SI, NONE, 1, 0);
	i = DEC(V3_CODE16, 0x0f, 0xbf, 0x07); /* movsx ax, word [bx] */
	check_reg(&i.dst, AX, 2);
	check_mem(&i.src, 2, V3_SEG_DS, BX, NONE, 1, 0);
	/* MOVSXD: 64-bit mode only; without REX.W a 32-bit move */
	i = DEC(V3_CODE64, 0x49, 0x63, 0x01); /* movsxd rax, dword [r9] */
	assert_int_equal(i.op, V3_OP_MOVSX);
	check_reg(&i.dst, AX, 8);
	check_mem(&i.src, 4, V3_SEG_DS, R9, NONE, 1, 0);
	i = DEC(V3_CODE64, 0x66, 0x48, 0x63, 0xc1); /* REX.W beats 66 */
	check_reg(&i.dst, AX, 8);
	check_reg(&i.src, CX, 4);
	i = DEC(V3_CODE64, 0x63, 0x01); /* movsxd eax, dword [rcx] */
	check_reg(&i.dst, AX, 4);
	check_mem(&i.src, 4, V3_SEG_DS, CX, NONE, 1, 0);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE64, 0x66, 0x63, 0x01);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0x63, 0x01); /* ARPL */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE16, 0x63, 0x01);
}

static void test_and_xchg(void **state)
{
	struct v3_insn i;
	(void)state;

	i = DEC(V3_CODE32, 0x84, 0x38); /* test [eax], bh */
	assert_int_equal(i.op, V3_OP_TEST);
	check_mem(&i.dst, 1, V3_SEG_DS, AX, NONE, 1, 0);
	check_reg(&i.src, V3_REG_BH, 1);
	i = DEC(V3_CODE64, 0x48, 0x85, 0x08); /* test [rax], rcx */
	check_reg(&i.src, CX, 8);
	i = DEC(V3_CODE32, 0xf6, 0x00, 0x81); /* test byte [eax], 0x81 */
	assert_int_equal(i.op, V3_OP_TEST);
	check_imm(&i.src, 1, (int8_t)0x81);
	i = DEC(V3_CODE32, 0xf7, 0x00, 0x78, 0x56, 0x34, 0x12);
	check_imm(&i.src, 4, 0x12345678);
	i = DEC(V3_CODE16, 0xf7, 0x00, 0x34, 0x12); /* imm16 */
	check_imm(&i.src, 2, 0x1234);
	/* F6/F7 /2-/7: NOT, NEG, MUL, IMUL, DIV, IDIV */
	for (unsigned d = 2; d < 8; d++)
		DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xf6, d << 3);
	i = DEC(V3_CODE64, 0x86, 0x06); /* xchg [rsi], al */
	assert_int_equal(i.op, V3_OP_XCHG);
	check_mem(&i.dst, 1, V3_SEG_DS, SI, NONE, 1, 0);
	check_reg(&i.src, AX, 1);
	i = DEC(V3_CODE64, 0xf0, 0x4c, 0x87, 0x3e); /* lock xchg [rsi], r15 */
	assert_true(i.lock);
	check_reg(&i.src, R15, 8);
	i = DEC(V3_CODE64, 0x87, 0xc8); /* register form */
	check_reg(&i.dst, AX, 4);
	check_reg(&i.src, CX, 4);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE64, 0xf0, 0x87, 0xc8);
}

static void string_ops(void **state)
{
	struct v3_insn i;
	(void)state;

	i = DEC(V3_CODE64, 0xf3, 0xa4); /* rep movsb */
	assert_int_equal(i.op, V3_OP_MOVS);
	assert_int_equal(i.rep, V3_REP);
	assert_int_equal(i.op_size, 1);
	check_mem(&i.dst, 1, V3_SEG_ES, DI, NONE, 1, 0);
	check_mem(&i.src, 1, V3_SEG_DS, SI, NONE, 1, 0);
	i = DEC(V3_CODE64, 0x48, 0xa5); /* movsq */
	assert_int_equal(i.rep, 0);
	check_mem(&i.dst, 8, V3_SEG_ES, DI, NONE, 1, 0);
	/* The override moves the source only; the last F2/F3 counts. */
	i = DEC(V3_CODE32, 0xf3, 0x64, 0xf2, 0x66, 0xa5);
	assert_int_equal(i.rep, V3_REPNE);
	check_mem(&i.dst, 2, V3_SEG_ES, DI, NONE, 1, 0);
	check_mem(&i.src, 2, V3_SEG_FS, SI, NONE, 1, 0);
	i = DEC(V3_CODE16, 0xa5);
	assert_int_equal(i.addr_size, 2);
	assert_int_equal(i.op_size, 2);
	i = DEC(V3_CODE64, 0x67, 0xf3, 0xaa); /* rep stosb, 32-bit rDI/rCX */
	assert_int_equal(i.op, V3_OP_STOS);
	assert_int_equal(i.addr_size, 4);
	assert_int_equal(i.rep, V3_REP);
	check_mem(&i.dst, 1, V3_SEG_ES, DI, NONE, 1, 0);
	check_reg(&i.src, AX, 1);
	i = DEC(V3_CODE32, 0x2e, 0xab); /* no override on ES:[edi] */
	check_mem(&i.dst, 4, V3_SEG_ES, DI, NONE, 1, 0);
	check_reg(&i.src, AX, 4);
	/* F3 on other instructions is ignored (XRELEASE on a store). */
	i = DEC(V3_CODE32, 0xf3, 0x89, 0x00);
	assert_int_equal(i.rep, 0);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0xa4);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xa6); /* CMPSB */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xa7); /* CMPSD */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xad); /* LODSD */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xac); /* LODSB */
}

static void control_registers(void **state)
{
	struct v3_insn i;
	(void)state;

	i = DEC(V3_CODE64, 0x0f, 0x20, 0xd8); /* mov rax, cr3 */
	assert_int_equal(i.op, V3_OP_MOV_FROM_CR);
	assert_int_equal(i.op_size, 8);
	check_reg(&i.dst, AX, 8);
	assert_int_equal(i.src.kind, V3_OPND_CR);
	assert_int_equal(i.src.reg, 3);
	/* mod is ignored: always a register; REX.R reaches CR8, REX.B r9 */
	i = DEC(V3_CODE64, 0x45, 0x0f, 0x22, 0x01); /* mov cr8, r9 */
	assert_int_equal(i.op, V3_OP_MOV_TO_CR);
	assert_int_equal(i.dst.kind, V3_OPND_CR);
	assert_int_equal(i.dst.reg, 8);
	check_reg(&i.src, R9, 8);
	/* outside 64-bit mode the size is 4 whatever 66 says */
	i = DEC(V3_CODE16, 0x66, 0x0f, 0x22, 0xe3); /* mov cr4, ebx */
	assert_int_equal(i.op_size, 4);
	assert_int_equal(i.dst.reg, 4);
	check_reg(&i.src, BX, 4);
	i = DEC(V3_CODE32, 0x0f, 0x20, 0xd6); /* mov esi, cr2 */
	check_reg(&i.dst, SI, 4);
	i = DEC(V3_CODE32, 0x66, 0x0f, 0x20, 0xd6);
	assert_int_equal(i.op_size, 4);
	check_reg(&i.dst, SI, 4);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE64, 0x0f, 0x20, 0xc8); /* CR1 */
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0x0f, 0x22, 0xf8); /* CR7 */
	DEC_ERR(V3_DECODE_INVALID, V3_CODE64, 0x44, 0x0f, 0x22, 0xc8);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xf0, 0x0f, 0x22, 0xc0);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0x0f, 0x21, 0xc0); /* DR */

	i = DEC(V3_CODE32, 0x0f, 0x06);
	assert_int_equal(i.op, V3_OP_CLTS);
	assert_int_equal(i.dst.kind, V3_OPND_NONE);
	assert_int_equal(i.src.kind, V3_OPND_NONE);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0x0f, 0x06);

	i = DEC(V3_CODE64, 0x0f, 0x01, 0x30); /* lmsw [rax] */
	assert_int_equal(i.op, V3_OP_LMSW);
	assert_int_equal(i.dst.kind, V3_OPND_CR);
	assert_int_equal(i.dst.reg, 0);
	check_mem(&i.src, 2, V3_SEG_DS, AX, NONE, 1, 0);
	i = DEC(V3_CODE32, 0x0f, 0x01, 0xf1); /* lmsw cx */
	check_reg(&i.src, CX, 2);
	i = DEC(V3_CODE64, 0x0f, 0x01, 0x7d, 0x10); /* invlpg [rbp+16] */
	assert_int_equal(i.op, V3_OP_INVLPG);
	check_mem(&i.dst, 1, V3_SEG_SS, BP, NONE, 1, 16);
	/* SMSW (the CR0 read intercept catches it): a register gets the
	 * operand size, memory a word */
	i = DEC(V3_CODE64, 0x48, 0x0f, 0x01, 0xe0); /* smsw rax */
	assert_int_equal(i.op, V3_OP_SMSW);
	assert_int_equal(i.src.kind, V3_OPND_CR);
	assert_int_equal(i.src.reg, 0);
	check_reg(&i.dst, AX, 8);
	i = DEC(V3_CODE32, 0x0f, 0x01, 0xe1); /* smsw ecx */
	check_reg(&i.dst, CX, 4);
	i = DEC(V3_CODE64, 0x48, 0x0f, 0x01, 0x20); /* smsw [rax]: a word */
	check_mem(&i.dst, 2, V3_SEG_DS, AX, NONE, 1, 0);
	/* 0F 01 /7 with mod 11 is SWAPGS/RDTSCP; /0-/3 and /5 are SGDT..
	 * LIDT and RSTORSSP */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE64, 0x0f, 0x01, 0xf8);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE64, 0x0f, 0x01, 0xf9);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE64, 0x0f, 0x01, 0xd9);
	for (unsigned d = 0; d < 6; d++)
		if (d != 4)
			DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0x0f, 0x01, d << 3);
}

static void operand_and_address_size(void **state)
{
	struct v3_insn i;
	(void)state;

	i = DEC(V3_CODE16, 0x89, 0x07);
	assert_int_equal(i.op_size, 2);
	assert_int_equal(i.addr_size, 2);
	i = DEC(V3_CODE16, 0x66, 0x67, 0x89, 0x07);
	assert_int_equal(i.op_size, 4);
	assert_int_equal(i.addr_size, 4);
	check_mem(&i.dst, 4, V3_SEG_DS, DI, NONE, 1, 0);
	i = DEC(V3_CODE32, 0x66, 0x67, 0x89, 0x07); /* [bx] */
	assert_int_equal(i.op_size, 2);
	assert_int_equal(i.addr_size, 2);
	check_mem(&i.dst, 2, V3_SEG_DS, BX, NONE, 1, 0);
	i = DEC(V3_CODE64, 0x66, 0x89, 0x07);
	assert_int_equal(i.op_size, 2);
	i = DEC(V3_CODE64, 0x67, 0x89, 0x07);
	assert_int_equal(i.op_size, 4);
	assert_int_equal(i.addr_size, 4);
	i = DEC(V3_CODE64, 0x66, 0x48, 0x89, 0x07); /* REX.W beats 66 */
	assert_int_equal(i.op_size, 8);
	/* A REX that a legacy prefix follows does not count */
	i = DEC(V3_CODE64, 0x48, 0x66, 0x89, 0x07);
	assert_int_equal(i.op_size, 2);
	i = DEC(V3_CODE64, 0x41, 0x2e, 0x89, 0x07);
	check_mem(&i.dst, 4, V3_SEG_CS, DI, NONE, 1, 0);
	/* of two REX prefixes, the last one counts */
	i = DEC(V3_CODE64, 0x48, 0x41, 0x89, 0x07);
	assert_int_equal(i.op_size, 4);
	check_mem(&i.dst, 4, V3_SEG_DS, R15, NONE, 1, 0);
	/* 40-4F are INC/DEC outside 64-bit mode */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0x48, 0x89, 0x07);
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE16, 0x40);
}

static void segment_overrides(void **state)
{
	static const struct {
		uint8_t prefix, seg;
	} pfx[] = {
		{0x26, V3_SEG_ES}, {0x2e, V3_SEG_CS}, {0x36, V3_SEG_SS},
		{0x3e, V3_SEG_DS}, {0x64, V3_SEG_FS}, {0x65, V3_SEG_GS},
	};
	struct v3_insn i;
	(void)state;

	for (unsigned k = 0; k < 6; k++) {
		/* 64-bit mode keeps ES/CS/SS/DS too; the emulator ignores it */
		i = decode_ok(V3_CODE64, BYTES(pfx[k].prefix, 0x8b, 0x45, 0),
			      4);
		check_mem(&i.src, 4, pfx[k].seg, BP, NONE, 1, 0);
		i = decode_ok(V3_CODE16, BYTES(pfx[k].prefix, 0x8b, 0x02), 3);
		check_mem(&i.src, 2, pfx[k].seg, BP, SI, 1, 0);
	}
	/* the last override counts */
	i = DEC(V3_CODE32, 0x64, 0x26, 0x8b, 0x00);
	check_mem(&i.src, 4, V3_SEG_ES, AX, NONE, 1, 0);
	i = DEC(V3_CODE64, 0x26, 0x65, 0x8b, 0x00);
	check_mem(&i.src, 4, V3_SEG_GS, AX, NONE, 1, 0);
}

static void modrm_sib_32_64(void **state)
{
	struct v3_insn i;
	(void)state;

	/* mod 00 rm 101: disp32 in 32-bit mode, RIP-relative in 64-bit */
	i = DEC(V3_CODE32, 0x8b, 0x05, 0x78, 0x56, 0x34, 0x92);
	check_mem(&i.src, 4, V3_SEG_DS, NONE, NONE, 1, (int32_t)0x92345678);
	i = DEC(V3_CODE64, 0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff);
	check_mem(&i.src, 4, V3_SEG_DS, V3_REG_RIP, NONE, 1, -16);
	i = DEC(V3_CODE64, 0x41, 0x8b, 0x05, 0x10, 0, 0, 0); /* REX.B too */
	check_mem(&i.src, 4, V3_SEG_DS, V3_REG_RIP, NONE, 1, 16);
	i = DEC(V3_CODE64, 0x67, 0x8b, 0x05, 0x10, 0, 0, 0); /* EIP-rel */
	assert_int_equal(i.addr_size, 4);
	check_mem(&i.src, 4, V3_SEG_DS, V3_REG_RIP, NONE, 1, 16);
	/* SIB base 101 with mod 00: disp32, no base, even with REX.B */
	i = DEC(V3_CODE64, 0x8b, 0x04, 0x8d, 0x00, 0x10, 0, 0);
	check_mem(&i.src, 4, V3_SEG_DS, NONE, CX, 4, 0x1000);
	i = DEC(V3_CODE64, 0x41, 0x8b, 0x04, 0x25, 0x00, 0x10, 0, 0);
	check_mem(&i.src, 4, V3_SEG_DS, NONE, NONE, 1, 0x1000);
	/* ... with mod 01 it is rBP (SS) or r13 (DS) */
	i = DEC(V3_CODE64, 0x8b, 0x44, 0x25, 0x08);
	check_mem(&i.src, 4, V3_SEG_SS, BP, NONE, 1, 8);
	i = DEC(V3_CODE64, 0x41, 0x8b, 0x44, 0x25, 0x08);
	check_mem(&i.src, 4, V3_SEG_DS, R13, NONE, 1, 8);
	/* index 100 is none; with REX.X it is r12 */
	i = DEC(V3_CODE64, 0x8b, 0x04, 0xe4); /* [rsp], scale ignored */
	check_mem(&i.src, 4, V3_SEG_SS, SP, NONE, 1, 0);
	i = DEC(V3_CODE64, 0x42, 0x8b, 0x04, 0xe4);
	check_mem(&i.src, 4, V3_SEG_SS, SP, R12, 8, 0);
	/* rm 100 with REX.B is r12 through the SIB, base r12 is DS */
	i = DEC(V3_CODE64, 0x43, 0x8b, 0x84, 0x7c, 0x00, 0x00, 0x00, 0x80);
	check_mem(&i.src, 4, V3_SEG_DS, R12, R15, 2, INT32_MIN);
	/* all four scales, disp8 sign extension */
	for (unsigned s = 0; s < 4; s++) {
		i = decode_ok(V3_CODE32, BYTES(0x8b, 0x44, s << 6 | 0x33, 0x80),
			      4);
		check_mem(&i.src, 4, V3_SEG_DS, BX, SI, 1 << s, -128);
	}
	/* mod 10: disp32 after a base */
	i = DEC(V3_CODE32, 0x8b, 0x86, 0x00, 0x01, 0x00, 0x00);
	check_mem(&i.src, 4, V3_SEG_DS, SI, NONE, 1, 0x100);
	i = DEC(V3_CODE64, 0x45, 0x8b, 0x65, 0x00); /* mov r12d, [r13] */
	check_reg(&i.dst, R12, 4);
	check_mem(&i.src, 4, V3_SEG_DS, R13, NONE, 1, 0);
}

/* 16-bit addressing: the eight base/index pairs of ModRM.rm. */
static void modrm_16(void **state)
{
	static const struct {
		uint8_t base, index, seg;
	} rm16[8] = {
		{BX, SI, V3_SEG_DS},   {BX, DI, V3_SEG_DS},
		{BP, SI, V3_SEG_SS},   {BP, DI, V3_SEG_SS},
		{SI, NONE, V3_SEG_DS}, {DI, NONE, V3_SEG_DS},
		{BP, NONE, V3_SEG_SS}, {BX, NONE, V3_SEG_DS},
	};
	struct v3_insn i;
	(void)state;

	for (unsigned rm = 0; rm < 8; rm++) {
		if (rm != 6) {
			i = decode_ok(V3_CODE16, BYTES(0x8b, rm), 2);
			check_mem(&i.src, 2, rm16[rm].seg, rm16[rm].base,
				  rm16[rm].index, 1, 0);
		}
		i = decode_ok(V3_CODE16, BYTES(0x8b, 0x40 | rm, 0xfe), 3);
		check_mem(&i.src, 2, rm16[rm].seg, rm16[rm].base,
			  rm16[rm].index, 1, -2);
		i = decode_ok(V3_CODE16, BYTES(0x8b, 0x80 | rm, 0x00, 0x80), 4);
		check_mem(&i.src, 2, rm16[rm].seg, rm16[rm].base,
			  rm16[rm].index, 1, -0x8000);
	}
	/* mod 00 rm 110: [disp16], DS */
	i = DEC(V3_CODE16, 0x8b, 0x06, 0x34, 0x12);
	check_mem(&i.src, 2, V3_SEG_DS, NONE, NONE, 1, 0x1234);
	/* 67 in 32-bit code selects 16-bit addressing */
	i = DEC(V3_CODE32, 0x67, 0x8b, 0x43, 0x04);
	check_mem(&i.src, 4, V3_SEG_SS, BP, DI, 1, 4);
	/* ... and 67 in 16-bit code the SIB forms */
	i = DEC(V3_CODE16, 0x67, 0x8b, 0x04, 0x24);
	check_mem(&i.src, 2, V3_SEG_SS, SP, NONE, 1, 0);
}

static void byte_registers(void **state)
{
	struct v3_insn i;
	(void)state;

	/* without REX, 4-7 are AH CH DH BH */
	for (unsigned r = 4; r < 8; r++) {
		i = decode_ok(V3_CODE64, BYTES(0x88, 0xc0 | r << 3 | r), 2);
		check_reg(&i.dst, V3_REG_AH + r - 4, 1);
		check_reg(&i.src, V3_REG_AH + r - 4, 1);
		/* any REX, even 40, makes them SPL BPL SIL DIL */
		i = decode_ok(V3_CODE64, BYTES(0x40, 0x88, 0xc0 | r << 3 | r),
			      3);
		check_reg(&i.dst, r, 1);
		check_reg(&i.src, r, 1);
	}
	i = DEC(V3_CODE64, 0x45, 0x88, 0xc8); /* mov r8b, r9b */
	check_reg(&i.dst, R8, 1);
	check_reg(&i.src, R9, 1);
	i = DEC(V3_CODE32, 0x8a, 0x24, 0x24); /* mov ah, [esp] */
	check_reg(&i.dst, V3_REG_AH, 1);
	check_mem(&i.src, 1, V3_SEG_SS, SP, NONE, 1, 0);
}

static void lock_rules(void **state)
{
	struct v3_insn i;
	(void)state;

	i = DEC(V3_CODE64, 0xf0, 0x01, 0x03); /* lock add [rbx], eax */
	assert_true(i.lock);
	i = DEC(V3_CODE32, 0xf0, 0x83, 0x30, 0x01); /* lock xor */
	assert_true(i.lock);
	i = DEC(V3_CODE32, 0xf2, 0xf0, 0x80, 0x08, 1); /* XACQUIRE lock or */
	assert_true(i.lock);
	assert_int_equal(i.rep, 0);
	/* register destinations, CMP, TEST and MOV take no LOCK */
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0x01, 0xc0);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0x03, 0x00);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0x39, 0x00);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0x83, 0x38, 1);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0x85, 0x00);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0x89, 0x00);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0xc7, 0, 1, 0, 0, 0);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0xa1, 0, 0, 0, 0);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE32, 0xf0, 0x0f, 0xb6, 0x00);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE64, 0xf0, 0x0f, 0x01, 0x38);
	DEC_ERR(V3_DECODE_INVALID, V3_CODE64, 0xf0, 0xf3, 0xab);
	/* an instruction we do not know stays unsupported */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xf0, 0x0f, 0xc1, 0x00);
}

static void truncation_and_length(void **state)
{
	static const uint8_t longest[] = {
		0x26, 0x66, 0x67, 0xf0, 0x48, 0x81, 0x84, 0x88,
		0x78, 0x56, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde,
	};
	uint8_t buf[32];
	struct v3_insn i;
	(void)state;

	/* lock add qword es:[eax+ecx*4+0x12345678], 0xdeadbeef: 16 bytes */
	assert_int_equal(decode_err(V3_CODE64, longest, sizeof(longest)),
			 -V3_DECODE_INVALID);
	/* without one prefix it is 15 bytes, the longest legal length */
	i = decode_ok(V3_CODE64, longest + 1, 15);
	assert_true(i.lock);
	assert_int_equal(i.addr_size, 4);
	check_mem(&i.dst, 8, V3_SEG_DS, AX, CX, 4, 0x12345678);
	check_imm(&i.src, 8, (int32_t)0xdeadbeef);
	/* every shorter prefix of it is truncated */
	for (unsigned n = 0; n < 15; n++)
		assert_int_equal(decode_err(V3_CODE64, longest + 1, n),
				 -V3_DECODE_TRUNCATED);
	/* 15 prefixes and no opcode yet */
	__builtin_memset(buf, 0x3e, sizeof(buf));
	assert_int_equal(decode_err(V3_CODE32, buf, sizeof(buf)),
			 -V3_DECODE_INVALID);
	assert_int_equal(decode_err(V3_CODE32, buf, 14), -V3_DECODE_TRUNCATED);
	/* an unsupported opcode is known before its operands */
	DEC_ERR(V3_DECODE_UNSUPPORTED, V3_CODE32, 0xd8);
	/* ... but a group's member needs its ModRM */
	DEC_ERR(V3_DECODE_TRUNCATED, V3_CODE32, 0xf6);
	DEC_ERR(V3_DECODE_TRUNCATED, V3_CODE32, 0x0f);
	DEC_ERR(V3_DECODE_TRUNCATED, V3_CODE64, 0x8b, 0x04);
}

static void unsupported_opcodes(void **state)
{
	static const uint8_t one[] = {
		0x06, 0x27, 0x50, 0x68, 0x69, 0x6c, 0x70, 0x8d, 0x8f,
		0x90, 0x9c, 0xa6, 0xa8, 0xac, 0xae, 0xc3, 0xcc, 0xcd,
		0xd0, 0xd8, 0xe4, 0xe8, 0xf4, 0xfa, 0xfe, 0xff,
	};
	static const uint8_t two[] = {
		0x00, 0x05, 0x08, 0x0b, 0x10, 0x21, 0x23, 0x30, 0x31, 0x38,
		0x3a, 0x80, 0xa2, 0xaf, 0xb0, 0xb8, 0xbc, 0xc7, 0xff,
	};
	(void)state;

	for (unsigned k = 0; k < sizeof(one); k++)
		assert_int_equal(
			decode_err(V3_CODE64, BYTES(one[k], 0, 0, 0, 0), 5),
			-V3_DECODE_UNSUPPORTED);
	for (unsigned k = 0; k < sizeof(two); k++)
		assert_int_equal(
			decode_err(V3_CODE32, BYTES(0x0f, two[k], 0, 0, 0), 5),
			-V3_DECODE_UNSUPPORTED);
}

static void error_strings(void **state)
{
	(void)state;

	assert_string_equal(v3_decode_strerror(-V3_DECODE_TRUNCATED),
			    "instruction truncated");
	assert_string_equal(v3_decode_strerror(-V3_DECODE_INVALID),
			    "invalid instruction encoding");
	assert_non_null(v3_decode_strerror(-V3_DECODE_UNSUPPORTED));
	assert_non_null(v3_decode_strerror(-V3_EMU_MEM_FAULT));
	assert_non_null(v3_decode_strerror(-V3_EMU_UNSUPPORTED));
	assert_string_equal(v3_decode_strerror(-99), "unknown decoder error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alu_rows),
		cmocka_unit_test(alu_immediates),
		cmocka_unit_test(mov_forms),
		cmocka_unit_test(moffs_forms),
		cmocka_unit_test(movzx_movsx),
		cmocka_unit_test(test_and_xchg),
		cmocka_unit_test(string_ops),
		cmocka_unit_test(control_registers),
		cmocka_unit_test(operand_and_address_size),
		cmocka_unit_test(segment_overrides),
		cmocka_unit_test(modrm_sib_32_64),
		cmocka_unit_test(modrm_16),
		cmocka_unit_test(byte_registers),
		cmocka_unit_test(lock_rules),
		cmocka_unit_test(truncation_and_length),
		cmocka_unit_test(unsupported_opcodes),
		cmocka_unit_test(error_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
