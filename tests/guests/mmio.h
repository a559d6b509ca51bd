/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmio guest's harness, shared by its C files and mmio_exec.S.
 *
 * A "form" is one instruction encoding the VMM's decoder must handle. Its
 * stub (the instruction, then RET) runs twice from the same register and
 * memory state: once against ordinary RAM (the reference page) and once
 * against the test MMIO page, where every access is emulated. Registers,
 * RFLAGS and memory must come out the same. Each form runs with two
 * starting states (pattern 0: all arithmetic flags set; pattern 1: all
 * clear, other register and memory values), so flags that are set and
 * flags that are cleared are both seen.
 *
 * Memory: the form's operand lies in a WIN_SIZE window at WIN_OFF in the
 * page under test ("M"); string forms also use a window in a plain RAM
 * page ("R"). Registers get their start values from mmio_reg_init, then
 * up to FORM_INITS of them are set per form: a constant, or an address in
 * M or R. Registers holding an address differ between the two runs, so
 * registers are compared by how much each changed (out - in), which for
 * every other register is the same as comparing values.
 *
 * The 64-bit forms are defined with FORM()/FORM2() in mmio_forms64.c and
 * run from C (mmio.c) through mmio_run64(). The 32-bit ones, FORM() in
 * mmio_forms32.c, run in protected mode before long mode, driven by
 * mmio_exec.S, which leaves their results in mmio_pm32_runs for mmio.c to
 * compare and report.
 */
#ifndef MMIO_H
#define MMIO_H

#define MMIO_PA 0xd0000000 /* the test MMIO page (the contract) */
#define MMIO_VA 0xd0000000 /* mapped at its own address... */
#define MMIO_ALIAS_VA 0x40000000 /* ...and here, within reach of RIP */
#define WIN_OFF 0x400
#define WIN_SIZE 0x100

/* Segment bases for the FS/GS forms; GS's needs more than 32 bits. */
#define FS_BASE_VAL 0x10000000
#define GS_BASE_VAL 0x1000000000

/* The data segment mmio_exec.S points at M for the 32-bit forms. */
#define PM32_SEL_WIN 0x18

/* Form flags. */
#define F_NOAF 0x1 /* AF is undefined after this instruction */
#define F_DF 0x2 /* run with DF=1 (string instructions go down) */
/*
 * QEMU 7.2's TCG hands the VMM RFLAGS 0x2 on the exit of a 16/32/64-bit
 * XCHG with an MMIO operand in 64-bit code (the flags the guest set are
 * lost before Palacios sees the exit: the VMM logged RFLAGS 0x2 at the
 * exit while the guest had loaded 0x8d7 one instruction earlier; the
 * byte form and the 32-bit-mode form keep them). XCHG changes no flag,
 * so for these forms flags are not compared; registers and memory are.
 */
#define F_TCG_LOSES_FLAGS 0x4

/* How a register's start value is made from form_init.val. */
#define K_NONE 0 /* unused slot */
#define K_VAL 1 /* val */
#define K_MEM 2 /* M + val */
#define K_RAM 3 /* R + val */
#define K_MEM_IDX8 4 /* (M + val) / 8, an index scaled by 8 with no base */
#define K_MEM_HI 5 /* M + val with junk in bits 32-63 (32-bit addressing) */
#define K_MEM_FS 6 /* M + val - FS base */
#define K_MEM_GS 7 /* M + val - GS base */
/* The 32-bit driver knows K_VAL, K_MEM and K_RAM only. */

#define NR_GPRS 16
#define FORM_INITS 4
#define PM32_MAX_FORMS 40
#define PM32_SIDES 3

/* Where each side's M lives (mmio_exec.S has the same table). */
#define SIDE_REF 0 /* the reference RAM page */
#define SIDE_RAM 1 /* a second RAM page: tests the harness itself */
#define SIDE_MMIO 2 /* the test MMIO page */

/* Offsets of the structures below, for mmio_exec.S. */
#define REGS_FLAGS (8 * NR_GPRS)
#define FORM_REF_CODE 8
#define FORM_TEST_CODE 16
#define FORM_FLAGS 32
#define FORM_INIT 40
#define INIT_REG 0
#define INIT_KIND 4
#define INIT_VAL 8
#define INIT_SIZE 16
#define FORM_SIZE (FORM_INIT + FORM_INITS * INIT_SIZE)
#define RUN_IN 0
#define RUN_OUT (REGS_FLAGS + 8)
#define RUN_FAULT (2 * RUN_OUT)
#define RUN_M (RUN_FAULT + 8)
#define RUN_R (RUN_M + WIN_SIZE)
#define RUN_SIZE (RUN_R + WIN_SIZE)

#ifndef __ASSEMBLER__
#include "guest.h"

/* clang-format off */
/* Register numbers as ModRM encodes them; 32-bit forms use the low halves. */
enum gpr {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
	EAX = RAX, ECX = RCX, EDX = RDX, EBX = RBX,
	EBP = RBP, ESI = RSI, EDI = RDI,
};
/* clang-format on */

struct form_regs {
	u64 gpr[NR_GPRS]; /* RSP is neither loaded nor compared */
	u64 flags;
};

struct form_init {
	u32 reg;
	u32 kind;
	u64 val;
};

struct form {
	const char *name;
	const u8 *ref_code; /* stub run against the reference page */
	const u8 *test_code; /* stub run against the page under test */
	const u8 *test_end; /* its RET, to print the encoding */
	u32 flags;
	u32 reserved;
	struct form_init init[FORM_INITS];
};

struct form_run {
	struct form_regs in, out;
	u32 fault; /* 0, or the vector raised + 1 */
	u32 reserved;
	u8 m[WIN_SIZE], r[WIN_SIZE];
};

/* clang-format off */
#define VAL(r, v) { r, K_VAL, (u64)(v) }
#define MEM(r, off) { r, K_MEM, (u64)(off) }
#define RAM(r, off) { r, K_RAM, (u64)(off) }
#define MEM_IDX8(r, off) { r, K_MEM_IDX8, (u64)(off) }
#define MEM_HI(r, off) { r, K_MEM_HI, (u64)(off) }
#define MEM_FS(r, off) { r, K_MEM_FS, (u64)(off) }
#define MEM_GS(r, off) { r, K_MEM_GS, (u64)(off) }

/*
 * FORM2(name, flags, ref_insn, test_insn, inits...) defines a form whose
 * instruction differs between the sides because it names its operand's
 * address (moffs, RIP-relative); FORM() one whose instruction is the same
 * and gets its address from registers. The including file defines
 * FORM_SECTION and FORM_CODE_MODE (".code32" or ".code64"). Stubs and
 * descriptors are named by __COUNTER__; the descriptors land in
 * FORM_SECTION in order, making the table the linker script collects.
 */
#define FORM(name, flags, insn, ...) FORM2(name, flags, insn, insn, __VA_ARGS__)
#define FORM2(...) FORM_N(__COUNTER__, __VA_ARGS__)
#define FORM_N(n, ...) FORM_DEFINE(n, __VA_ARGS__)
#define FORM_DEFINE(n, nm, fl, ref, test, ...)                               \
	asm(".pushsection .text.mmio_forms, \"ax\"\n" FORM_CODE_MODE "\n"      \
	    "form_" #n "_ref:\n\t" ref "\n\tret\n"                             \
	    "form_" #n "_test:\n\t" test "\n"                                  \
	    "form_" #n "_end:\n\tret\n"                                        \
	    ".code64\n.popsection");                                           \
	extern const u8 form_##n##_ref[], form_##n##_test[], form_##n##_end[]; \
	static const struct form form_##n                                      \
		__attribute__((used, aligned(8), section(FORM_SECTION))) = {  \
			.name = nm,                                            \
			.ref_code = form_##n##_ref,                            \
			.test_code = form_##n##_test,                          \
			.test_end = form_##n##_end,                            \
			.flags = fl,                                           \
			.init = { __VA_ARGS__ },                               \
		}
/* clang-format on */

extern const struct form __mmio_forms32_start[], __mmio_forms32_end[];
extern const struct form __mmio_forms64_start[], __mmio_forms64_end[];

/* mmio.c */
extern u8 mmio_ref_page[PAGE_SIZE], mmio_ram_page[PAGE_SIZE];
extern u8 mmio_r_page[PAGE_SIZE];
extern const u8 mmio_pattern[4][WIN_SIZE];
extern const u64 mmio_reg_init[2][NR_GPRS];
extern const u32 mmio_flags_init[2];
extern struct form_run mmio_pm32_runs[PM32_MAX_FORMS][2][PM32_SIDES];
extern u32 mmio_pm32_count;

/* mmio_exec.S: run a stub on regs (in, then out); nonzero if it faulted. */
int mmio_run64(struct form_regs *regs, const u8 *code);
#endif

#endif /* MMIO_H */
