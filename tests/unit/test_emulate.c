// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 emulator, fed by the decoder, against a fake guest memory and
 * against the CPU running the tests: every ALU operation at every size
 * is run natively (inline asm between POPF and PUSHF) and emulated on the
 * same random values, and the results and the six arithmetic flags must
 * agree; MOVS and STOS run natively and emulated on host memory, with
 * and without REP, DF clear and set, and a 32-bit address size. The rest
 * (register write widths, segments, REP batching, faults) is checked
 * against the SDM's rules by hand.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <palacios/decoder.h>

#define CF 0x0001
#define PF 0x0004
#define AF 0x0010
#define ZF 0x0040
#define SF 0x0080
#define DF 0x0400
#define OF 0x0800
#define ARITH (CF | PF | AF | ZF | SF | OF)

enum { AX, CX, DX, BX, SP, BP, SI, DI };

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__})
#define NBYTES(...) sizeof(BYTES(__VA_ARGS__))

/* ---- fake guest memory: two windows of linear addresses ---- */

#define WINDOW 8192

static struct fake_mem {
	uint64_t base[2];
	uint8_t bytes[2][WINDOW];
	unsigned reads, writes;
	unsigned fail_write; /* the n-th write (1-based) fails; 0: none */
} fm;

static uint8_t *fake_at(uint64_t lin, unsigned len)
{
	for (int w = 0; w < 2; w++)
		if (lin >= fm.base[w] && lin - fm.base[w] + len <= WINDOW)
			return &fm.bytes[w][lin - fm.base[w]];
	return NULL;
}

static int fake_read(void *opaque, uint64_t lin, void *buf, unsigned len)
{
	uint8_t *p = fake_at(lin, len);
	(void)opaque;

	fm.reads++;
	if (!p)
		return -1;
	memcpy(buf, p, len);
	return 0;
}

static int fake_write(void *opaque, uint64_t lin, const void *buf, unsigned len)
{
	uint8_t *p = fake_at(lin, len);
	(void)opaque;

	if (++fm.writes == fm.fail_write || !p)
		return -1;
	memcpy(p, buf, len);
	return 0;
}

static const struct v3_emu_mem fake = {NULL, fake_read, fake_write};

/* Host memory: a linear address is a host pointer. */
static int host_read(void *opaque, uint64_t lin, void *buf, unsigned len)
{
	(void)opaque;
	memcpy(buf, (void *)(uintptr_t)lin, len);
	return 0;
}

static int host_write(void *opaque, uint64_t lin, const void *buf, unsigned len)
{
	(void)opaque;
	memcpy((void *)(uintptr_t)lin, buf, len);
	return 0;
}

static const struct v3_emu_mem host = {NULL, host_read, host_write};

static void fake_reset(uint64_t base0, uint64_t base1)
{
	memset(&fm, 0, sizeof(fm));
	fm.base[0] = base0;
	fm.base[1] = base1;
}

static uint64_t peek(uint64_t lin, unsigned len)
{
	uint64_t v = 0;
	uint8_t *p = fake_at(lin, len);

	assert_non_null(p);
	memcpy(&v, p, len);
	return v;
}

static void poke(uint64_t lin, unsigned len, uint64_t v)
{
	uint8_t *p = fake_at(lin, len);

	assert_non_null(p);
	memcpy(p, &v, len);
}

static struct v3_emu_regs new_regs(enum v3_code_size mode)
{
	struct v3_emu_regs r;

	memset(&r, 0, sizeof(r));
	r.mode = mode;
	r.rip = 0x1000;
	r.rflags = 0x202;
	return r;
}

/* Decodes code and emulates it; returns the emulator's result. */
static int run(struct v3_emu_regs *r, const struct v3_emu_mem *mem,
	       const uint8_t *code, unsigned len)
{
	struct v3_insn insn;

	assert_int_equal(v3_decode(code, len, r->mode, &insn), 0);
	assert_int_equal(insn.length, len);
	return v3_emulate(&insn, r, mem);
}

#define RUN(r, ...) run(r, &fake, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))

/* ---- random values that reach the edges often ---- */

static uint64_t rnd64(void)
{
	return (uint64_t)random() << 62 ^ (uint64_t)random() << 31 ^ random();
}

static uint64_t interesting(unsigned size)
{
	uint64_t msb = 1ULL << (8 * size - 1);

	switch (random() % 10) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return ~0ULL;
	case 3:
		return msb;
	case 4:
		return msb - 1;
	case 5:
		return msb + 1;
	case 6:
		return 0x0f0f0f0f0f0f0f0fULL;
	default:
		return rnd64();
	}
}

static uint64_t mask(unsigned size)
{
	return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* ---- the CPU itself ---- */

/*
 * x op= y with the given arithmetic flags in, returning x and the flags
 * out. The stack pointer steps over the red zone before PUSH.
 */
#define NATIVE(name, insn, type)                                      \
	static uint64_t name(uint64_t a, uint64_t b, uint64_t *flags) \
	{                                                             \
		type x = a, y = b;                                    \
		uint64_t f = *flags;                                  \
		asm volatile("sub $128, %%rsp\n\t"                    \
			     "push %[f]\n\t"                          \
			     "popfq\n\t" insn " %[y], %[x]\n\t"       \
			     "pushfq\n\t"                             \
			     "pop %[f]\n\t"                           \
			     "add $128, %%rsp"                        \
			     : [x] "+r"(x), [f] "+r"(f)               \
			     : [y] "r"(y)                             \
			     : "cc");                                 \
		*flags = f;                                           \
		return x;                                             \
	}
#define NATIVE_SIZES(op)                      \
	NATIVE(native_##op##1, #op, uint8_t)  \
	NATIVE(native_##op##2, #op, uint16_t) \
	NATIVE(native_##op##4, #op, uint32_t) \
	NATIVE(native_##op##8, #op, uint64_t)
NATIVE_SIZES(add)
NATIVE_SIZES(or)
NATIVE_SIZES(adc)
NATIVE_SIZES(sbb)
NATIVE_SIZES(and)
NATIVE_SIZES(sub)
NATIVE_SIZES(xor)
NATIVE_SIZES(cmp)
NATIVE_SIZES(test)

typedef uint64_t (*native_fn)(uint64_t, uint64_t, uint64_t *);

#define FNS(op)                                                                \
	{                                                                      \
		native_##op##1, native_##op##2, native_##op##4, native_##op##8 \
	}

static const struct alu_case {
	const char *name;
	uint8_t opcode; /* the 8-bit r/m, reg form; +1 for others */
	int digit; /* 80/83 /digit, or -1 */
	native_fn fn[4]; /* by log2(size) */
} alu_cases[] = {
	{"add", 0x00, 0, FNS(add)},    {"or", 0x08, 1, FNS(or)},
	{"adc", 0x10, 2, FNS(adc)},    {"sbb", 0x18, 3, FNS(sbb)},
	{"and", 0x20, 4, FNS(and)},    {"sub", 0x28, 5, FNS(sub)},
	{"xor", 0x30, 6, FNS(xor)},    {"cmp", 0x38, 7, FNS(cmp)},
	{"test", 0x84, -1, FNS(test)},
};

/*
 * op [rax], rcx (or op [rax], imm8 through 80/83) in 64-bit mode, the
 * memory holding a: returns the memory afterwards and the flags.
 */
static uint64_t emulate_alu(const struct alu_case *c, unsigned size, uint64_t a,
			    uint64_t b, int imm8, uint64_t *rflags)
{
	struct v3_emu_regs r = new_regs(V3_CODE64);
	uint8_t code[8];
	unsigned n = 0;

	if (size == 2)
		code[n++] = 0x66;
	if (size == 8)
		code[n++] = 0x48;
	if (imm8 >= 0) {
		code[n++] = size == 1 ? 0x80 : 0x83;
		code[n++] = c->digit << 3; /* [rax] */
		code[n++] = imm8;
	} else {
		code[n++] = c->opcode + (size > 1);
		code[n++] = 0x08; /* [rax], rcx */
	}
	fake_reset(0x4000, 0);
	poke(0x4000, size, a);
	r.gpr[AX] = 0x4000;
	r.gpr[CX] = b | ~mask(size); /* bits above the size are ignored */
	r.rflags = *rflags;
	assert_int_equal(run(&r, &fake, code, n), 0);
	assert_int_equal(r.rip, 0x1000 + n);
	*rflags = r.rflags;
	/* CMP and TEST never write */
	if (!strcmp(c->name, "cmp") || !strcmp(c->name, "test"))
		assert_int_equal(fm.writes, 0);
	return peek(0x4000, size);
}

/* One random case, natively and emulated, half of them with an imm8. */
static void check_alu(const struct alu_case *c, unsigned size, bool imm)
{
	uint64_t a = interesting(size) & mask(size);
	uint64_t b = interesting(size) & mask(size);
	/* every arithmetic flag in, CF above all */
	uint64_t in = 0x2 | (random() & ARITH);
	uint64_t nf = in, ef = in | 0x200;
	uint64_t nres, eres;
	int imm8 = -1;

	if (imm) {
		imm8 = random() & 0xff;
		b = (uint64_t)(int8_t)imm8 & mask(size);
	}
	nres = c->fn[__builtin_ctz(size)](a, b, &nf) & mask(size);
	eres = emulate_alu(c, size, a, b, imm8, &ef);
	if (nres != eres || (nf & ARITH) != (ef & ARITH))
		fail_msg("%s size %u a %#lx b %#lx flags %#lx: cpu %#lx/%#lx, "
			 "emulator %#lx/%#lx",
			 c->name, size, a, b, in, nres, nf & ARITH, eres,
			 ef & ARITH);
	/* the other flags are untouched */
	assert_int_equal(ef & ~(uint64_t)ARITH, 0x202);
}

static void alu_matches_cpu(void **state)
{
	const unsigned ncases = sizeof(alu_cases) / sizeof(alu_cases[0]);
	unsigned checked = 0;
	(void)state;

	srandom(1);
	for (unsigned k = 0; k < ncases; k++)
		for (unsigned size = 1; size <= 8; size *= 2)
			for (unsigned i = 0; i < 3000; i++, checked++)
				check_alu(&alu_cases[k], size,
					  alu_cases[k].digit >= 0 && i % 2);
	print_message("# %u ALU operations matched the CPU\n", checked);
}

/* ---- MOVS and STOS on host memory, natively and emulated ---- */

struct string_regs {
	uint64_t si, di, cx, ax;
};

#define NATIVE_STRING(name, insn)                                    \
	static void name(struct string_regs *s, int df)              \
	{                                                            \
		asm volatile("test %[df], %[df]\n\t"                 \
			     "jz 1f\n\t"                             \
			     "std\n"                                 \
			     "1:\t" insn "\n\t"                      \
			     "cld"                                   \
			     : "+S"(s->si), "+D"(s->di), "+c"(s->cx) \
			     : "a"(s->ax), [df] "r"(df)              \
			     : "memory", "cc");                      \
	}
NATIVE_STRING(n_movsb, "movsb")
NATIVE_STRING(n_rep_movsb, "rep movsb")
NATIVE_STRING(n_rep_movsw, "rep movsw")
NATIVE_STRING(n_rep_movsl, "rep movsl")
NATIVE_STRING(n_rep_movsq, "rep movsq")
NATIVE_STRING(n_stosq, "stosq")
NATIVE_STRING(n_rep_stosb, "rep stosb")
NATIVE_STRING(n_rep_stosw, "rep stosw")
NATIVE_STRING(n_rep_stosl, "rep stosl")
NATIVE_STRING(n_repne_movsb, ".byte 0xf2, 0xa4")
NATIVE_STRING(n_a32_rep_movsl, ".byte 0x67, 0xf3, 0xa5")
NATIVE_STRING(n_a32_rep_stosb, ".byte 0xf3, 0x67, 0xaa")
NATIVE_STRING(n_a32_movsb, ".byte 0x67, 0xa4")

static const struct string_case {
	void (*native)(struct string_regs *, int);
	uint8_t code[4];
	unsigned len, size;
	bool addr32;
} string_cases[] = {
	{n_movsb, {0xa4}, 1, 1, false},
	{n_rep_movsb, {0xf3, 0xa4}, 2, 1, false},
	{n_rep_movsw, {0xf3, 0x66, 0xa5}, 3, 2, false},
	{n_rep_movsl, {0xf3, 0xa5}, 2, 4, false},
	{n_rep_movsq, {0xf3, 0x48, 0xa5}, 3, 8, false},
	{n_stosq, {0x48, 0xab}, 2, 8, false},
	{n_rep_stosb, {0xf3, 0xaa}, 2, 1, false},
	{n_rep_stosw, {0x66, 0xf3, 0xab}, 3, 2, false},
	{n_rep_stosl, {0xf3, 0xab}, 2, 4, false},
	{n_repne_movsb, {0xf2, 0xa4}, 2, 1, false},
	{n_a32_rep_movsl, {0x67, 0xf3, 0xa5}, 3, 4, true},
	{n_a32_rep_stosb, {0xf3, 0x67, 0xaa}, 3, 1, true},
	{n_a32_movsb, {0x67, 0xa4}, 2, 1, true},
};

#define BUF 512

static void strings_match_cpu(void **state)
{
	/* below 4 GiB, so a 32-bit address size can reach them */
	uint8_t *area = mmap(NULL, 4 * BUF, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	uint8_t *nsrc = area, *ndst = area + BUF;
	uint8_t *esrc = area + 2 * BUF, *edst = area + 3 * BUF;
	(void)state;

	assert_true(area != MAP_FAILED);
	srandom(2);
	for (unsigned k = 0; k < sizeof(string_cases) / sizeof(string_cases[0]);
	     k++) {
		const struct string_case *c = &string_cases[k];

		for (unsigned i = 0; i < 40; i++) {
			int df = i & 1;
			uint64_t count = i < 4 ? i / 2 : random() % 40;
			/* DF=1 walks down from the end */
			unsigned off = df ? BUF - 8 - (random() % 8) * c->size
					  : (random() % 8) * c->size;
			uint64_t junk =
				c->addr32 ? rnd64() & ~0xffffffffULL : 0;
			struct string_regs n = {
				.si = junk | (uintptr_t)(nsrc + off),
				.di = junk | (uintptr_t)(ndst + off),
				.cx = junk | count,
				.ax = rnd64(),
			};
			struct v3_emu_regs r = new_regs(V3_CODE64);

			for (unsigned j = 0; j < BUF; j++)
				nsrc[j] = esrc[j] = random();
			memset(ndst, 0x5a, BUF);
			memset(edst, 0x5a, BUF);
			r.gpr[SI] = junk | (uintptr_t)(esrc + off);
			r.gpr[DI] = junk | (uintptr_t)(edst + off);
			r.gpr[CX] = n.cx;
			r.gpr[AX] = n.ax;
			r.rflags |= df ? DF : 0;
			c->native(&n, df);
			assert_int_equal(run(&r, &host, c->code, c->len), 0);
			assert_memory_equal(ndst, edst, BUF);
			assert_int_equal(r.gpr[SI] - (uintptr_t)esrc,
					 n.si - (uintptr_t)nsrc);
			assert_int_equal(r.gpr[DI] - (uintptr_t)edst,
					 n.di - (uintptr_t)ndst);
			assert_int_equal(r.gpr[CX], n.cx);
			assert_int_equal(r.rip, 0x1000 + c->len);
		}
	}
	munmap(area, 4 * BUF);
}

/* ---- the SDM's rules, by hand ---- */

static void mov_forms(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE64);
	(void)state;

	fake_reset(0x2000, 0x123456789abcd000ULL);
	r.gpr[BX] = 0x2000;
	r.gpr[AX] = 0x1122334455667788ULL;
	assert_int_equal(RUN(&r, 0x48, 0x89, 0x03), 0); /* mov [rbx], rax */
	assert_int_equal(peek(0x2000, 8), 0x1122334455667788ULL);
	assert_int_equal(r.rip, 0x1003);
	assert_int_equal(RUN(&r, 0x88, 0x63, 0x08), 0); /* mov [rbx+8], ah */
	assert_int_equal(peek(0x2008, 1), 0x77);
	assert_int_equal(RUN(&r, 0x66, 0xc7, 0x43, 0x10, 0xcd, 0xab), 0);
	assert_int_equal(peek(0x2010, 4), 0xabcd); /* 2 bytes only */
	assert_int_equal(
		RUN(&r, 0x48, 0xc7, 0x43, 0x18, 0xfe, 0xff, 0xff, 0xff), 0);
	assert_int_equal(peek(0x2018, 8), (uint64_t)-2);
	assert_int_equal(RUN(&r, 0xc6, 0x43, 0x20, 0x99), 0);
	assert_int_equal(peek(0x2020, 1), 0x99);
	/* loads */
	assert_int_equal(RUN(&r, 0x8a, 0x4b, 0x20), 0); /* mov cl, [rbx+32] */
	assert_int_equal(r.gpr[CX], 0x99);
	assert_int_equal(RUN(&r, 0x48, 0x8b, 0x53, 0x18), 0);
	assert_int_equal(r.gpr[DX], (uint64_t)-2);
	/* moffs with a 64-bit address */
	poke(0x123456789abcd010ULL, 4, 0xcafef00d);
	assert_int_equal(
		RUN(&r, 0xa1, 0x10, 0xd0, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12),
		0);
	assert_int_equal(r.gpr[AX], 0xcafef00d);
	assert_int_equal(
		RUN(&r, 0xa2, 0x18, 0xd0, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12),
		0);
	assert_int_equal(peek(0x123456789abcd018ULL, 1), 0x0d);
	/* MOV leaves the flags alone */
	assert_int_equal(r.rflags, 0x202);
}

/* Register writes: 32-bit ones clear 63:32 in 64-bit mode only. */
static void register_write_widths(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE64);
	const uint64_t old = 0xaaaaaaaaaaaaaaaaULL;
	(void)state;

	fake_reset(0x3000, 0);
	poke(0x3000, 8, 0x8877665544332211ULL);
	r.gpr[SI] = 0x3000;
	r.gpr[AX] = old;
	assert_int_equal(RUN(&r, 0x8b, 0x06), 0); /* mov eax, [rsi] */
	assert_int_equal(r.gpr[AX], 0x44332211);
	r.gpr[AX] = old;
	assert_int_equal(RUN(&r, 0x66, 0x8b, 0x06), 0); /* mov ax, [rsi] */
	assert_int_equal(r.gpr[AX], 0xaaaaaaaaaaaa2211ULL);
	r.gpr[AX] = old;
	assert_int_equal(RUN(&r, 0x8a, 0x26), 0); /* mov ah, [rsi] */
	assert_int_equal(r.gpr[AX], 0xaaaaaaaaaaaa11aaULL);
	r.gpr[SI] = 0x3000;
	r.gpr[12] = old;
	assert_int_equal(RUN(&r, 0x44, 0x8a, 0x26), 0); /* mov r12b, [rsi] */
	assert_int_equal(r.gpr[12], 0xaaaaaaaaaaaaaa11ULL);
	r.gpr[SP] = old;
	assert_int_equal(RUN(&r, 0x40, 0x8a, 0x26), 0); /* mov spl, [rsi] */
	assert_int_equal(r.gpr[SP], 0xaaaaaaaaaaaaaa11ULL);
	/* ALU and MOVZX into a 32-bit register zero-extend too */
	r.gpr[CX] = old;
	assert_int_equal(RUN(&r, 0x03, 0x0e), 0); /* add ecx, [rsi] */
	assert_int_equal(r.gpr[CX], (0xaaaaaaaaULL + 0x44332211) & 0xffffffff);
	r.gpr[CX] = old;
	assert_int_equal(RUN(&r, 0x0f, 0xb6, 0x0e), 0);
	assert_int_equal(r.gpr[CX], 0x11);
	r.gpr[CX] = old;
	assert_int_equal(RUN(&r, 0x66, 0x0f, 0xb6, 0x0e), 0);
	assert_int_equal(r.gpr[CX], 0xaaaaaaaaaaaa0011ULL);
	/* ... and XCHG of a register with itself */
	r.gpr[DX] = old;
	assert_int_equal(RUN(&r, 0x87, 0xd2), 0);
	assert_int_equal(r.gpr[DX], 0xaaaaaaaa);
	/* outside 64-bit mode bits 63:32 are out of reach: kept */
	r = new_regs(V3_CODE32);
	r.gpr[SI] = 0x3000;
	r.gpr[AX] = old;
	assert_int_equal(RUN(&r, 0x8b, 0x06), 0);
	assert_int_equal(r.gpr[AX], 0xaaaaaaaa44332211ULL);
}

static void movzx_movsx(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE64);
	(void)state;

	fake_reset(0x3000, 0);
	poke(0x3000, 8, 0x80000000fffe8081ULL);
	r.gpr[SI] = 0x3000;
	assert_int_equal(RUN(&r, 0x48, 0x0f, 0xbe, 0x06), 0); /* byte */
	assert_int_equal(r.gpr[AX], (uint64_t)(int8_t)0x81);
	assert_int_equal(RUN(&r, 0x0f, 0xbf, 0x06), 0); /* word, 32-bit */
	assert_int_equal(r.gpr[AX], 0xffff8081);
	assert_int_equal(RUN(&r, 0x66, 0x0f, 0xbe, 0x06), 0);
	assert_int_equal(r.gpr[AX], 0xffffff81); /* ax only */
	assert_int_equal(RUN(&r, 0x48, 0x0f, 0xb7, 0x06), 0);
	assert_int_equal(r.gpr[AX], 0x8081);
	assert_int_equal(RUN(&r, 0x48, 0x63, 0x46, 0x02), 0); /* movsxd */
	assert_int_equal(r.gpr[AX], 0x0000fffe);
	assert_int_equal(RUN(&r, 0x48, 0x63, 0x46, 0x04), 0);
	assert_int_equal(r.gpr[AX], 0xffffffff80000000ULL);
	/* Without REX.W: a 32-bit move, zero-extended as the CPU does. */
	assert_int_equal(RUN(&r, 0x63, 0x46, 0x04), 0);
	assert_int_equal(r.gpr[AX], 0x80000000ULL);
	r.gpr[BX] = 0xff00; /* movsx ecx, bh */
	assert_int_equal(RUN(&r, 0x0f, 0xbe, 0xcf), 0);
	assert_int_equal(r.gpr[CX], 0xffffffff);
}

static void xchg(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE64);
	(void)state;

	fake_reset(0x3000, 0);
	poke(0x3000, 8, 0x1111111122222222ULL);
	r.gpr[DI] = 0x3000;
	r.gpr[AX] = 0xaaaaaaaabbbbbbbbULL;
	assert_int_equal(RUN(&r, 0xf0, 0x87, 0x07), 0); /* lock xchg */
	assert_int_equal(peek(0x3000, 8), 0x11111111bbbbbbbbULL);
	assert_int_equal(r.gpr[AX], 0x22222222);
	r.gpr[CX] = 0x1234;
	assert_int_equal(RUN(&r, 0x86, 0x2f), 0); /* xchg [rdi], ch */
	assert_int_equal(peek(0x3000, 1), 0x12);
	assert_int_equal(r.gpr[CX], 0xbb34);
	assert_int_equal(r.rflags, 0x202);
	/* only the two operands change (a memory destination has no
	 * register: rAX, encoded 0, must not be touched) */
	r.gpr[AX] = 0x5555;
	r.gpr[DX] = 0x0102030405060708ULL;
	assert_int_equal(RUN(&r, 0x48, 0x87, 0x17), 0); /* xchg [rdi], rdx */
	assert_int_equal(r.gpr[AX], 0x5555);
	assert_int_equal(r.gpr[DX], 0x11111111bbbbbb12ULL);
	assert_int_equal(peek(0x3000, 8), 0x0102030405060708ULL);
	/* a failed write leaves the register as it was */
	fm.fail_write = fm.writes + 1;
	assert_int_equal(RUN(&r, 0x86, 0x2f), -V3_EMU_MEM_FAULT);
	assert_int_equal(r.gpr[CX], 0xbb34);
	assert_int_equal(r.rip, 0x1000 + 8);
}

static void compare_and_test_do_not_write(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE32);
	(void)state;

	fake_reset(0x3000, 0);
	poke(0x3000, 4, 5);
	r.gpr[BX] = 0x3000;
	assert_int_equal(RUN(&r, 0x83, 0x3b, 0x05), 0); /* cmp [ebx], 5 */
	assert_int_equal(r.rflags & ARITH, ZF | PF);
	assert_int_equal(RUN(&r, 0xf7, 0x03, 0x02, 0, 0, 0), 0); /* test */
	assert_int_equal(r.rflags & ARITH, ZF | PF);
	assert_int_equal(RUN(&r, 0xf6, 0x03, 0x04), 0);
	assert_int_equal(r.rflags & ARITH, 0);
	assert_int_equal(RUN(&r, 0x39, 0x03), 0); /* cmp [ebx], eax */
	assert_int_equal(RUN(&r, 0x84, 0x03), 0); /* test [ebx], al */
	assert_int_equal(fm.writes, 0);
	assert_int_equal(fm.reads, 5);
	assert_int_equal(peek(0x3000, 4), 5);
	/* a register destination is left alone too */
	r.gpr[AX] = 7;
	assert_int_equal(RUN(&r, 0x3b, 0x03), 0); /* cmp eax, [ebx] */
	assert_int_equal(r.gpr[AX], 7);
	assert_int_equal(r.rflags & (CF | ZF | SF), 0);
}

/* String instructions with 16-bit addresses, which the host cannot run. */
static void strings_16bit_addresses(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE16);
	(void)state;

	/* window 0 holds DS:F000-FFFF and ES:F000-FFFF, window 1 DS:0 */
	fake_reset(0x1f000, 0x10000);
	r.seg_base[V3_SEG_DS] = 0x10000;
	r.seg_base[V3_SEG_ES] = 0x11000;
	poke(0x1ffff, 1, 0xa1); /* DS:FFFF */
	poke(0x10000, 2, 0xc3b2); /* DS:0000, DS:0001 */
	/* SI wraps from FFFF to 0; bits above 15 stay; the count is CX */
	r.gpr[SI] = 0xabcd0000ffffULL;
	r.gpr[DI] = 0x10;
	r.gpr[CX] = 0x55550003;
	assert_int_equal(RUN(&r, 0xf3, 0xa4), 0); /* rep movsb */
	assert_int_equal(peek(0x11010, 3), 0xc3b2a1);
	assert_int_equal(r.gpr[SI], 0xabcd00000002ULL);
	assert_int_equal(r.gpr[DI], 0x13);
	assert_int_equal(r.gpr[CX], 0x55550000);
	assert_int_equal(r.rip, 0x1002);
	/* DF=1: DI wraps down from 0 to FFFF */
	r.rflags |= DF;
	r.gpr[SI] = 0x7770001;
	r.gpr[DI] = 0x8880000;
	r.gpr[CX] = 2;
	assert_int_equal(RUN(&r, 0xf3, 0xa4), 0);
	assert_int_equal(peek(0x11000, 1), 0xc3); /* ES:0000 <- DS:0001 */
	assert_int_equal(peek(0x20fff, 1), 0xb2); /* ES:FFFF <- DS:0000 */
	assert_int_equal(r.gpr[SI], 0x777ffff);
	assert_int_equal(r.gpr[DI], 0x888fffe);
	/* a count of zero moves nothing but ends the instruction */
	r.gpr[CX] = 0xffff0000;
	fm.writes = 0;
	assert_int_equal(RUN(&r, 0xf3, 0xab), 0);
	assert_int_equal(fm.writes, 0);
	assert_int_equal(r.rip, 0x1006);
	/* IP wraps at 64 KiB */
	r.rip = 0xffff;
	r.gpr[CX] = 0;
	assert_int_equal(RUN(&r, 0xf3, 0xab), 0);
	assert_int_equal(r.rip, 1);
}

static void segments_and_addresses(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE32);
	(void)state;

	/* 32-bit: segment base added, the sum wraps at 4 GiB */
	fake_reset(0x1000, 0x5000);
	r.seg_base[V3_SEG_DS] = 0xfffff000;
	r.seg_base[V3_SEG_SS] = 0x4000;
	r.gpr[AX] = 0x2010;
	r.gpr[BP] = 0x1000;
	assert_int_equal(RUN(&r, 0x89, 0x00), 0); /* mov [eax], eax */
	assert_int_equal(peek(0x1010, 4), 0x2010);
	assert_int_equal(RUN(&r, 0x89, 0x45, 0x08), 0); /* mov [ebp+8] */
	assert_int_equal(peek(0x5008, 4), 0x2010);
	/* the effective address wraps at the address size first */
	r.gpr[BX] = 0x80002014;
	r.gpr[CX] = 0xbeef;
	assert_int_equal(RUN(&r, 0x89, 0x8b, 0xfc, 0xff, 0xff, 0x7f), 0);
	assert_int_equal(peek(0x1010, 4), 0xbeef); /* mov [ebx+...], ecx */
	/* 16-bit addressing: [bp+si] is SS, wraps at 64 KiB */
	r.gpr[SI] = 0xfff0;
	r.gpr[BP] = 0x1018;
	r.gpr[DX] = 0x77;
	assert_int_equal(RUN(&r, 0x67, 0x88, 0x12), 0); /* mov [bp+si], dl */
	assert_int_equal(peek(0x5008, 1), 0x77);
	/* 64-bit: only FS and GS have a base */
	r = new_regs(V3_CODE64);
	fake_reset(0x7000, 0xffff800000001000ULL);
	for (int s = 0; s < 6; s++)
		r.seg_base[s] = 0xffff800000000000ULL;
	r.gpr[AX] = 0x7000;
	r.gpr[CX] = 0x1000;
	assert_int_equal(RUN(&r, 0x26, 0x89, 0x08), 0); /* es: ignored */
	assert_int_equal(peek(0x7000, 4), 0x1000);
	assert_int_equal(RUN(&r, 0x64, 0x89, 0x01), 0); /* fs:[rcx] */
	assert_int_equal(peek(0xffff800000001000ULL, 4), 0x7000);
	/* RIP-relative: from the next instruction */
	r.rip = 0x6ff0;
	assert_int_equal(RUN(&r, 0xc6, 0x05, 0x09, 0, 0, 0, 0xab), 0);
	assert_int_equal(peek(0x7000, 1), 0xab); /* 0x6ff7 + 9 */
	assert_int_equal(r.rip, 0x6ff7);
	/* ... truncated to 32 bits with 67 */
	r.rip = 0x100006ff0ULL;
	assert_int_equal(RUN(&r, 0x67, 0xc6, 0x05, 0x08, 0, 0, 0, 0xcd), 0);
	assert_int_equal(peek(0x7000, 1), 0xcd);
}

static void rep_gives_cpu_back(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE64);
	unsigned calls = 0;
	(void)state;

	fake_reset(0x10000, 0x12000);
	r.gpr[DI] = 0x10000;
	r.gpr[CX] = 5000;
	r.gpr[AX] = 0x42;
	do {
		assert_int_equal(RUN(&r, 0xf3, 0xaa), 0);
		calls++;
	} while (r.rip == 0x1000); /* not finished: the guest re-runs it */
	assert_int_equal(calls, 2);
	assert_int_equal(r.gpr[CX], 0);
	assert_int_equal(r.gpr[DI], 0x10000 + 5000);
	assert_int_equal(r.rip, 0x1002);
	assert_int_equal(peek(0x10000 + 4999, 1), 0x42);
}

/* A fault stops REP after the completed elements, rip unchanged. */
static void faults(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE64), saved;
	(void)state;

	fake_reset(0x3000, 0);
	r.gpr[SI] = 0x3000;
	r.gpr[DI] = 0x3100;
	r.gpr[CX] = 10;
	fm.fail_write = 3;
	assert_int_equal(RUN(&r, 0xf3, 0x48, 0xa5), -V3_EMU_MEM_FAULT);
	assert_int_equal(r.gpr[CX], 8);
	assert_int_equal(r.gpr[SI], 0x3010);
	assert_int_equal(r.gpr[DI], 0x3110);
	assert_int_equal(r.rip, 0x1000);
	/* a read outside memory: nothing changes */
	r.gpr[BX] = 0x9000;
	r.rflags = 0x202 | CF;
	saved = r;
	assert_int_equal(RUN(&r, 0x03, 0x03), -V3_EMU_MEM_FAULT);
	assert_memory_equal(&r, &saved, sizeof(r));
	/* an ALU write that fails leaves the flags */
	r.gpr[BX] = 0x3000;
	fm.fail_write = fm.writes + 1;
	saved = r;
	assert_int_equal(RUN(&r, 0x01, 0x03), -V3_EMU_MEM_FAULT);
	assert_memory_equal(&r, &saved, sizeof(r));
}

static void left_to_the_vmm(void **state)
{
	struct v3_emu_regs r = new_regs(V3_CODE64), saved = r;
	(void)state;

	fake_reset(0, 0);
	assert_int_equal(RUN(&r, 0x0f, 0x22, 0xd8), -V3_EMU_UNSUPPORTED);
	assert_int_equal(RUN(&r, 0x0f, 0x20, 0xc0), -V3_EMU_UNSUPPORTED);
	assert_int_equal(RUN(&r, 0x0f, 0x06), -V3_EMU_UNSUPPORTED);
	assert_int_equal(RUN(&r, 0x0f, 0x01, 0xf0), -V3_EMU_UNSUPPORTED);
	assert_int_equal(RUN(&r, 0x0f, 0x01, 0x38), -V3_EMU_UNSUPPORTED);
	assert_memory_equal(&r, &saved, sizeof(r));
	assert_int_equal(fm.reads + fm.writes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alu_matches_cpu),
		cmocka_unit_test(strings_match_cpu),
		cmocka_unit_test(mov_forms),
		cmocka_unit_test(register_write_widths),
		cmocka_unit_test(movzx_movsx),
		cmocka_unit_test(xchg),
		cmocka_unit_test(compare_and_test_do_not_write),
		cmocka_unit_test(strings_16bit_addresses),
		cmocka_unit_test(segments_and_addresses),
		cmocka_unit_test(rep_gives_cpu_back),
		cmocka_unit_test(faults),
		cmocka_unit_test(left_to_the_vmm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
