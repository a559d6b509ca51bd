/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmio: the VMM's instruction decoder against the CPU.
 *
 * Every form in mmio_forms32.c and mmio_forms64.c runs once against RAM
 * and once against the page under test, from the same state, and must
 * leave the same registers, flags and memory (mmio.h explains the
 * harness). The page under test is, in order of preference:
 *
 *  - the test MMIO page at 0xd0000000, under Palacios;
 *  - with "mmio_page=ram" on the command line and no Palacios, a second
 *    RAM page: then every comparison runs and must pass, which tests the
 *    harness itself on plain QEMU;
 *  - nothing: each form runs against RAM only and is reported as a skip
 *    (or a failure if even that faults).
 *
 * In long mode the page under test is mapped uncached at 0xd0000000 and
 * again at 0x40000000, where RIP-relative forms can reach it (the code
 * runs near 1 MiB, and RIP-relative displacements span +-2 GiB). The FS
 * and GS bases are set for the segment-override forms.
 *
 * One KTAP line per form, named by the instruction and the bytes of its
 * stub; a failure is preceded by what differed.
 */
#include "mmio.h"

#define FLAGS_CF 0x001
#define FLAGS_PF 0x004
#define FLAGS_AF 0x010
#define FLAGS_ZF 0x040
#define FLAGS_SF 0x080
#define FLAGS_DF 0x400
#define FLAGS_OF 0x800
#define FLAGS_ARITH \
	(FLAGS_CF | FLAGS_PF | FLAGS_AF | FLAGS_ZF | FLAGS_SF | FLAGS_OF)
#define FLAGS_FIXED 0x2 /* bit 1 always reads 1 */

/* Above bit 31 of an address register, for forms that use only bits 0-31. */
#define HI_JUNK 0xdead5eed00000000ull

u8 mmio_ref_page[PAGE_SIZE] __aligned(PAGE_SIZE);
u8 mmio_ram_page[PAGE_SIZE] __aligned(PAGE_SIZE);
u8 mmio_r_page[PAGE_SIZE] __aligned(PAGE_SIZE);
struct form_run mmio_pm32_runs[PM32_MAX_FORMS][2][PM32_SIDES];
u32 mmio_pm32_count;

/*
 * Window contents: byte i is i * 0x9d + seed, so each window holds every
 * byte value once. M's two patterns differ in bit 7 of every byte, so a
 * sign-extending load sees a negative value in one of them.
 */
#define PB(i, s) (u8)(0x9d * (i) + (s))
#define P4(i, s) PB(i, s), PB(i + 1, s), PB(i + 2, s), PB(i + 3, s)
#define P16(i, s) P4(i, s), P4(i + 4, s), P4(i + 8, s), P4(i + 12, s)
#define P64(i, s) P16(i, s), P16(i + 16, s), P16(i + 32, s), P16(i + 48, s)
#define P256(s) P64(0, s), P64(64, s), P64(128, s), P64(192, s)
_Static_assert(WIN_SIZE == 256, "the patterns fill 256-byte windows");

const u8 mmio_pattern[4][WIN_SIZE] = {
	{P256(0x5a)}, /* M, pattern 0 */
	{P256(0xda)}, /* M, pattern 1 */
	{P256(0x33)}, /* R, pattern 0 */
	{P256(0xb3)}, /* R, pattern 1 */
};

/* Start values, varied in every byte; pattern 1 has their complements. */
/* clang-format off */
#define REG_VALUES(op)                                                        \
	{                                                                     \
		op 0xfedcba9876543210ull, op 0x0123456789abcdefull,           \
		op 0x8899aabbccddeeffull, op 0x1122334455667788ull,           \
		0, op 0x7766554433221100ull, op 0xa5a5a5a55a5a5a5aull,        \
		op 0x5a5a5a5aa5a5a5a5ull, op 0x0f1e2d3c4b5a6978ull,           \
		op 0x8796a5b4c3d2e1f0ull, op 0x13579bdf02468aceull,           \
		op 0xeca86420fdb97531ull, op 0x0000000100000001ull,           \
		op 0xffffffff80000000ull, op 0x7fffffffffffffffull,           \
		op 0x8000000000000001ull                                      \
	}
/* clang-format on */
const u64 mmio_reg_init[2][NR_GPRS] = {REG_VALUES(), REG_VALUES(~)};
const u32 mmio_flags_init[2] = {FLAGS_FIXED | FLAGS_ARITH, FLAGS_FIXED};

static const char *const names64[NR_GPRS] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const names32[NR_GPRS] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
};

static int test_side = -1; /* SIDE_RAM or SIDE_MMIO, -1 for none */
static const char *test_name;

static void map_test_page(bool hv)
{
	u64 pa = hv ? MMIO_PA : (uintptr_t)mmio_ram_page;
	u64 flags = PTE_P | PTE_W | PTE_PCD | PTE_PWT;

	*pt64_entry(boot_pml4, MMIO_VA, 1) = pa | flags;
	*pt64_entry(boot_pml4, MMIO_ALIAS_VA, 1) = pa | flags;
	wrmsr(MSR_FS_BASE, FS_BASE_VAL);
	wrmsr(MSR_GS_BASE, GS_BASE_VAL);
}

/* 8 bytes a MOV, so the MMIO side sees only the simplest accesses. */
static void window_copy(volatile void *dst, const volatile void *src)
{
	volatile u64 *d = dst;
	const volatile u64 *s = src;
	unsigned int i;

	for (i = 0; i < WIN_SIZE / 8; i++)
		d[i] = s[i];
}

static u64 init_value(const struct form_init *in, u64 m, u64 r)
{
	switch (in->kind) {
	case K_MEM:
		return m + in->val;
	case K_RAM:
		return r + in->val;
	case K_MEM_IDX8:
		return (m + in->val) / 8;
	case K_MEM_HI:
		return m + in->val + HI_JUNK;
	case K_MEM_FS:
		return m + in->val - FS_BASE_VAL;
	case K_MEM_GS:
		return m + in->val - GS_BASE_VAL;
	default:
		return in->val;
	}
}

/* One 64-bit run: what run_pm32() in mmio_exec.S does for 32-bit forms. */
static void run64(const struct form *f, int pat, int side, struct form_run *run)
{
	u8 *m = (side == SIDE_REF ? mmio_ref_page : (u8 *)MMIO_VA) + WIN_OFF;
	u8 *r = mmio_r_page + WIN_OFF;
	unsigned int i;

	window_copy(m, mmio_pattern[pat]);
	window_copy(r, mmio_pattern[2 + pat]);
	for (i = 0; i < NR_GPRS; i++)
		run->in.gpr[i] = mmio_reg_init[pat][i];
	run->in.flags = mmio_flags_init[pat] | (f->flags & F_DF ? FLAGS_DF : 0);
	for (i = 0; i < FORM_INITS; i++)
		if (f->init[i].kind != K_NONE)
			run->in.gpr[f->init[i].reg] = init_value(
				&f->init[i], (uintptr_t)m, (uintptr_t)r);
	run->out = run->in;
	trap_clear();
	run->fault = mmio_run64(&run->out,
				side == SIDE_REF ? f->ref_code : f->test_code)
			     ? trap_last.vector + 1
			     : 0;
	window_copy(run->m, m);
	window_copy(run->r, r);
}

/* A line saying how a pattern's two runs differ, before the result line. */
static void __printf(2, 3) diag(int pat, const char *fmt, ...)
{
	va_list ap;

	printf("#   pattern %d: ", pat);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static bool same_window(const u8 *a, const u8 *b, const char *which, int pat)
{
	unsigned int i, n = 0, first = 0;

	for (i = 0; i < WIN_SIZE; i++)
		if (a[i] != b[i] && !n++)
			first = i;
	if (n)
		diag(pat, "%s differs in %u bytes, first +0x%x: ram %x, %s %x",
		     which, n, first, a[first], test_name, b[first]);
	return !n;
}

/* Did run b, against the page under test, end like run a, against RAM? */
static bool same_run(const struct form *f, const struct form_run *a,
		     const struct form_run *b, int pat,
		     const char *const *names)
{
	u64 mask = FLAGS_ARITH | FLAGS_DF;
	bool ok = true;
	unsigned int i;

	if (a->fault || b->fault) {
		if (a->fault)
			diag(pat, "ram side raised vector %u", a->fault - 1);
		if (b->fault)
			diag(pat, "%s side raised vector %u", test_name,
			     b->fault - 1);
		return false;
	}
	for (i = 0; i < NR_GPRS; i++) {
		if (i == RSP || a->out.gpr[i] - a->in.gpr[i] ==
					b->out.gpr[i] - b->in.gpr[i])
			continue;
		diag(pat, "%s ram 0x%lx -> 0x%lx, %s 0x%lx -> 0x%lx", names[i],
		     a->in.gpr[i], a->out.gpr[i], test_name, b->in.gpr[i],
		     b->out.gpr[i]);
		ok = false;
	}
	if (f->flags & F_NOAF)
		mask &= ~FLAGS_AF;
	if (f->flags & F_TCG_LOSES_FLAGS)
		mask = 0;
	if ((a->out.flags ^ b->out.flags) & mask) {
		diag(pat, "flags ram 0x%lx, %s 0x%lx (compared 0x%lx)",
		     a->out.flags, test_name, b->out.flags, mask);
		ok = false;
	}
	ok &= same_window(a->m, b->m, "M", pat);
	ok &= same_window(a->r, b->r, "R", pat);
	return ok;
}

/* "prefix description {stub bytes}": the name of the form's KTAP line. */
static const char *form_name(const char *prefix, const struct form *f)
{
	static char buf[160];
	static const char hex[] = "0123456789abcdef";
	const u8 *p;
	size_t n = 0;
	const char *s;

	for (s = prefix; *s; s++)
		buf[n++] = *s;
	buf[n++] = ' ';
	for (s = f->name; *s && n < sizeof(buf) - 8; s++)
		buf[n++] = *s;
	buf[n++] = ' ';
	buf[n++] = '{';
	for (p = f->test_code; p < f->test_end && n < sizeof(buf) - 5; p++) {
		buf[n++] = hex[*p >> 4];
		buf[n++] = hex[*p & 0xf];
		buf[n++] = ' ';
	}
	buf[n - 1] = '}';
	buf[n] = '\0';
	return buf;
}

/* One KTAP line for a form from its runs, [pattern][0 = ram, 1 = test]. */
static void report(const char *prefix, const struct form *f,
		   const struct form_run *runs[2][2], const char *const *names)
{
	const char *name = form_name(prefix, f);
	bool ok = true;
	int pat;

	if (test_side < 0) {
		for (pat = 0; pat < 2; pat++) {
			if (!runs[pat][0]->fault)
				continue;
			diag(pat, "ram side raised vector %u",
			     runs[pat][0]->fault - 1);
			ok = false;
		}
		if (ok)
			ktap_skip(SKIP_NO_VMM, "%s", name);
		else
			ktap_check(false, "%s", name);
		return;
	}
	for (pat = 0; pat < 2; pat++)
		ok &= same_run(f, runs[pat][0], runs[pat][1], pat, names);
	ktap_check(ok, "%s", name);
}

static void report_pm32(unsigned int i)
{
	const struct form *f = &__mmio_forms32_start[i];
	const struct form_run *runs[2][2];
	int pat;

	if (i >= mmio_pm32_count) {
		printf("#   not run: PM32_MAX_FORMS is too small\n");
		ktap_check(false, "%s", form_name("pm32", f));
		return;
	}
	for (pat = 0; pat < 2; pat++) {
		runs[pat][0] = &mmio_pm32_runs[i][pat][SIDE_REF];
		runs[pat][1] = test_side < 0
				       ? NULL
				       : &mmio_pm32_runs[i][pat][test_side];
	}
	report("pm32", f, runs, names32);
}

static void run_and_report64(const struct form *f)
{
	static struct form_run store[2][2];
	const struct form_run *runs[2][2];
	int pat;

	for (pat = 0; pat < 2; pat++) {
		run64(f, pat, SIDE_REF, &store[pat][0]);
		if (test_side >= 0)
			run64(f, pat, test_side, &store[pat][1]);
		runs[pat][0] = &store[pat][0];
		runs[pat][1] = &store[pat][1];
	}
	report("lm64", f, runs, names64);
}

/* Outside the windows the harness writes, the MMIO page is still zero. */
static void check_initial_zero(void)
{
	const volatile u64 *p = (const volatile u64 *)(MMIO_VA + 0xf00);
	u64 any = 0;
	unsigned int i;

	if (test_side != SIDE_MMIO) {
		ktap_skip(SKIP_NO_VMM, "mmio_page_initially_zero");
		return;
	}
	for (i = 0; i < 0x100 / 8; i++)
		any |= p[i];
	ktap_check(!any, "mmio_page_initially_zero");
}

int guest_main(void)
{
	unsigned int n32 = __mmio_forms32_end - __mmio_forms32_start;
	unsigned int n64 = __mmio_forms64_end - __mmio_forms64_start;
	bool hv = hv_present();
	unsigned int i;

	if (hv) {
		test_side = SIDE_MMIO;
		test_name = "mmio";
	} else if (cmdline_has("mmio_page=ram")) {
		test_side = SIDE_RAM;
		test_name = "ram2";
	}
	map_test_page(hv);

	ktap_plan(1 + n32 + n64);
	if (test_side < 0)
		printf("# no Palacios: the forms run against RAM only\n");
	else
		printf("# comparing RAM with the %s page\n", test_name);
	check_initial_zero();
	for (i = 0; i < n32; i++)
		report_pm32(i);
	for (i = 0; i < n64; i++)
		run_and_report64(&__mmio_forms64_start[i]);
	return ktap_finish();
}
