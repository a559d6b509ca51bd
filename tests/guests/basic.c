/* SPDX-License-Identifier: GPL-2.0 */
/*
 * basic: the CPU as a 64-bit guest sees it, and the VMM's own interfaces.
 *
 * Runs in long mode on lib/'s identity map. Checks CPUID, EFER, the test
 * MSR, the hypercalls (echo, unknown numbers, raising an interrupt and
 * injecting an exception), exceptions the hardware delivers (#UD, #BP, #PF
 * on a page that is not mapped, #GP on a non-canonical address) and string
 * output to the debug console. Whatever needs Palacios is skipped without
 * it; everything else runs anywhere, so this guest is first checked on
 * plain QEMU.
 *
 * The interrupt checks raise a different vector each (0x40, 0x41, 0x42):
 * the contract says nothing about EOI, so no check depends on an earlier
 * interrupt having been retired.
 */
#include "guest.h"

#define TEST_MSR 0x40000100
#define TEST_MSR_RESET 0x0123456789abcdefull
#define UNMAPPED_VA 0x80000abcul /* entry64.S maps only the first 1 GiB */
#define NONCANONICAL_VA 0x8000000000000000ul

static bool hv;

static void check_cpuid_leaf0(void)
{
	u32 max, vendor[4] = {0};
	const char *v = (const char *)vendor;
	bool printable = true;
	unsigned int i;

	cpuid(0, &max, &vendor[0], &vendor[2], &vendor[1]);
	for (i = 0; i < 12; i++)
		printable &= v[i] >= ' ' && v[i] <= '~';
	printf("# cpuid 0: max leaf %u, vendor %s\n", max, printable ? v : "?");
	ktap_check(max >= 1 && printable, "cpuid_leaf0");
}

static void check_hv_leaf(void)
{
	u32 a, b, c, d;

	if (!hv) {
		ktap_skip(SKIP_NO_VMM, "hypervisor_leaf");
		return;
	}
	cpuid(0x40000000, &a, &b, &c, &d);
	ktap_check(a == 0x40000000, "hypervisor_leaf");
}

static void check_efer(void)
{
	u64 efer = rdmsr(MSR_EFER);

	ktap_check((efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA),
		   "efer_lme_lma");
}

static void check_test_msr(void)
{
	static const u64 values[] = {0xfedcba9876543210ull, 0, ~0ull};
	bool ok = true;
	unsigned int i;
	u64 v;

	if (!hv) {
		ktap_skip(SKIP_NO_VMM, "test_msr_reset_value");
		ktap_skip(SKIP_NO_VMM, "test_msr_write_read");
		return;
	}
	v = rdmsr(TEST_MSR);
	if (!ktap_check(v == TEST_MSR_RESET, "test_msr_reset_value"))
		printf("# read 0x%lx\n", v);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		wrmsr(TEST_MSR, values[i]);
		v = rdmsr(TEST_MSR);
		if (v != values[i]) {
			printf("# wrote 0x%lx, read 0x%lx\n", values[i], v);
			ok = false;
		}
	}
	ktap_check(ok, "test_msr_write_read");
}

static void check_hypercalls(void)
{
	const u64 a = 0x0123456789abcdefull, b = 0x11111111f0000001ull;
	u64 r;

	if (!hv) {
		ktap_skip(SKIP_NO_VMM, "hypercall_echo");
		ktap_skip(SKIP_NO_VMM, "hypercall_unknown");
		return;
	}
	r = hypercall(HC_ECHO, a, b, 0);
	if (!ktap_check(r == a + b, "hypercall_echo"))
		printf("# returned 0x%lx, want 0x%lx\n", r, a + b);
	r = hypercall(0x1fff, 0, 0, 0);
	if (!ktap_check(r == ~0ull, "hypercall_unknown"))
		printf("# returned 0x%lx, want -1\n", r);
}

/* Spin a little: an interrupt that was going to come has come. */
static void settle(void)
{
	unsigned int i;

	for (i = 0; i < 1000; i++)
		asm volatile("pause" ::: "memory");
}

/* With IF=1 the interrupt arrives as the hypercall returns, once. */
static void check_irq_if1(void)
{
	unsigned int right_after;

	asm volatile("sti" ::: "memory");
	hypercall(HC_RAISE_IRQ, 0x40, 0, 0);
	right_after = irq_count[0x40];
	settle();
	asm volatile("cli" ::: "memory");
	if (!ktap_check(right_after == 1 && irq_count[0x40] == 1,
			"irq_delivered_once"))
		printf("# count %u after the hypercall, %u later\n",
		       right_after, irq_count[0x40]);
}

/*
 * With IF=0 the interrupt waits. STI delays it by one instruction (the
 * interrupt shadow), so it is taken after the NOP, before CLI.
 */
static bool check_irq_held(void)
{
	unsigned int before;

	hypercall(HC_RAISE_IRQ, 0x41, 0, 0);
	settle();
	before = irq_count[0x41];
	asm volatile("sti; nop; cli" ::: "memory");
	if (!ktap_check(before == 0 && irq_count[0x41] == 1,
			"irq_held_until_sti"))
		printf("# count %u with IF=0, %u after sti\n", before,
		       irq_count[0x41]);
	return before == 0 && irq_count[0x41] == 1;
}

/* STI; HLT with an interrupt pending: HLT wakes up at once. */
static void check_irq_hlt(bool delivery_works)
{
	if (!delivery_works) {
		/* HLT would wait forever for an interrupt that never comes. */
		ktap_skip("interrupts are not delivered", "irq_wakes_hlt");
		return;
	}
	hypercall(HC_RAISE_IRQ, 0x42, 0, 0);
	asm volatile("sti; hlt; cli" ::: "memory");
	ktap_check(irq_count[0x42] == 1, "irq_wakes_hlt");
}

static void check_irqs(void)
{
	if (!hv) {
		ktap_skip(SKIP_NO_VMM, "irq_delivered_once");
		ktap_skip(SKIP_NO_VMM, "irq_held_until_sti");
		ktap_skip(SKIP_NO_VMM, "irq_wakes_hlt");
		return;
	}
	check_irq_if1();
	check_irq_hlt(check_irq_held());
}

/*
 * The VMM injects #GP(0x18) as the hypercall returns: the handler sees RIP
 * past the VMMCALL (the diagnostic shows it, then where it should be).
 */
static void check_inject_gp(void)
{
	u64 nr = HC_RAISE_EXCEPTION;
	unsigned long after;

	if (!hv) {
		ktap_skip(SKIP_NO_VMM, "inject_gp_error_code");
		return;
	}
	trap_clear();
	asm volatile("movq $1f, trap_resume(%%rip)\n\t"
		     "vmmcall\n"
		     "1:\tleaq 1b(%%rip), %0"
		     : "=r"(after), "+a"(nr)
		     : "b"((u64)VEC_GP), "c"(0x18ul)
		     : "memory");
	trap_resume = 0;
	if (!ktap_check(trap_last.count == 1 && trap_last.vector == VEC_GP &&
				trap_last.error == 0x18 &&
				trap_last.ip == after,
			"inject_gp_error_code"))
		printf("# %u traps, vector %lu error 0x%lx at 0x%lx/0x%lx\n",
		       trap_last.count, trap_last.vector, trap_last.error,
		       trap_last.ip, after);
}

/* #UD is a fault: the handler sees the address of the UD2 itself. */
static void check_ud(void)
{
	unsigned long at;

	trap_clear();
	asm volatile("leaq 1f(%%rip), %0\n\t"
		     "movq $2f, trap_resume(%%rip)\n"
		     "1:\tud2\n"
		     "2:"
		     : "=r"(at)
		     :
		     : "memory");
	if (!ktap_check(trap_last.count == 1 && trap_last.vector == VEC_UD &&
				trap_last.ip == at,
			"ud2_invalid_opcode"))
		printf("# vector %lu at 0x%lx, ud2 at 0x%lx\n",
		       trap_last.vector, trap_last.ip, at);
}

/* #BP is a trap: the handler sees the address after INT3. */
static void check_bp(void)
{
	unsigned long after;

	trap_clear();
	asm volatile("movq $1f, trap_resume(%%rip)\n\t"
		     "int3\n"
		     "1:\tleaq 1b(%%rip), %0"
		     : "=r"(after)
		     :
		     : "memory");
	if (!ktap_check(trap_last.count == 1 && trap_last.vector == VEC_BP &&
				trap_last.ip == after,
			"int3_breakpoint"))
		printf("# vector %lu at 0x%lx, want 0x%lx\n", trap_last.vector,
		       trap_last.ip, after);
}

static void check_page_faults(void)
{
	u32 v;
	int vec;

	vec = probe_read32(UNMAPPED_VA, &v);
	if (!ktap_check(vec == VEC_PF && trap_last.error == 0 &&
				trap_last.cr2 == UNMAPPED_VA,
			"pf_not_present_read"))
		printf("# vector %d error 0x%lx cr2 0x%lx\n", vec,
		       trap_last.error, trap_last.cr2);
	vec = probe_write32(UNMAPPED_VA, 1);
	if (!ktap_check(vec == VEC_PF && trap_last.error == PF_W &&
				trap_last.cr2 == UNMAPPED_VA,
			"pf_not_present_write"))
		printf("# vector %d error 0x%lx cr2 0x%lx\n", vec,
		       trap_last.error, trap_last.cr2);
}

static void check_noncanonical(void)
{
	u32 v;
	int vec = probe_read32(NONCANONICAL_VA, &v);

	if (!ktap_check(vec == VEC_GP && trap_last.error == 0,
			"gp_noncanonical_address"))
		printf("# vector %d error 0x%lx\n", vec, trap_last.error);
}

/* REP OUTSB: the string appears on the console, RSI and RCX advance. */
static void check_rep_outsb(void)
{
	static const char line[] = "# this line was written by rep outsb\n";
	const char *p = line;
	unsigned long n = sizeof(line) - 1;

	asm volatile("rep outsb"
		     : "+S"(p), "+c"(n)
		     : "d"((u16)PORT_CONSOLE)
		     : "memory");
	ktap_check(n == 0 && p == line + sizeof(line) - 1, "rep_outsb_console");
}

int guest_main(void)
{
	hv = hv_present();
	ktap_plan(17);
	check_cpuid_leaf0();
	check_hv_leaf();
	check_efer();
	check_test_msr();
	check_hypercalls();
	check_irqs();
	check_inject_gp();
	check_ud();
	check_bp();
	check_page_faults();
	check_noncanonical();
	check_rep_outsb();
	return ktap_finish();
}
