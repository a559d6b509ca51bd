// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC. In xAPIC mode registers are 32-bit MMIO at the APIC base; in
 * x2APIC mode each register is MSR 0x800 + offset/16, the ICR is one
 * 64-bit MSR, IDs are 32 bits and nothing is reached through MMIO. x2APIC
 * is used when the CPU has it (Intel CPUs, Bochs; QEMU's TCG has none):
 * the boot CPU switches to it in apic_init(), before its ID is first read,
 * and every other CPU in apic_init_cpu(), the first thing it does with its
 * APIC. The switch sets EN, then EXTD, passing through xAPIC mode as the
 * manuals' state diagram does (EXTD without EN is an invalid state).
 *
 * The timer runs in one-shot mode only: the scheduler and timer code
 * program the next event they need, and a CPU that needs none gets no
 * timer interrupt at all. Where CPUID.1:ECX[24] offers it, the timer is
 * the TSC deadline (IA32_TSC_DEADLINE, an absolute TSC value, as Linux
 * prefers): no calibration, and the clock and the timer are one counter.
 * Elsewhere (QEMU) it is the APIC's own counter, calibrated against the
 * TSC at boot.
 */
#define pr_fmt(fmt) "apic: " fmt

#include <arch/apic.h>
#include <arch/cpufeature.h>
#include <arch/ioremap.h>
#include <arch/layout.h>
#include <arch/time.h>
#include <arch/x86.h>
#include <kitten/panic.h>
#include <kitten/printk.h>

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_ENABLE	(1 << 11)
#define APIC_BASE_X2APIC	(1 << 10)
#define MSR_X2APIC_FIRST	0x800
#define MSR_TSC_DEADLINE	0x6e0

#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ESR	0x280
#define APIC_ICR_LOW	0x300
#define APIC_ICR_HIGH	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0

#define SVR_ENABLE	(1 << 8)
#define LVT_MASKED	(1 << 16)
#define LVT_NMI		(4 << 8)
#define ICR_INIT	(5 << 8)
#define ICR_STARTUP	(6 << 8)
#define ICR_LEVEL_ASSERT (1 << 14)
#define ICR_PENDING	(1 << 12)
#define LVT_TSC_DEADLINE (2 << 17)
#define TIMER_DIV_16	0x3

static volatile uint32_t *mmio;
static bool x2apic;
static bool tsc_deadline;
static uint64_t timer_hz;	/* timer ticks per second after the divider */

/*
 * WRMSR to an x2APIC register or to IA32_TSC_DEADLINE is not serializing:
 * without a fence an IPI could reach its target before the stores that
 * say why it was sent (a queued call) are visible (Linux's
 * weak_wrmsr_fence).
 */
static inline void wrmsr_fence(void)
{
	__asm__ __volatile__("mfence; lfence" : : : "memory");
}

static uint32_t apic_read(unsigned reg)
{
	if (x2apic)
		return rdmsr(MSR_X2APIC_FIRST + (reg >> 4));
	return mmio[reg / 4];
}

static void apic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		wrmsr(MSR_X2APIC_FIRST + (reg >> 4), v);
	else
		mmio[reg / 4] = v;
}

bool apic_is_x2apic(void)
{
	return x2apic;
}

uint32_t apic_read_id(void)
{
	return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

static void send_icr(uint32_t apic_id, uint32_t low)
{
	if (x2apic) {
		wrmsr_fence();
		wrmsr(MSR_X2APIC_FIRST + (APIC_ICR_LOW >> 4),
		      ((uint64_t)apic_id << 32) | low);
		return;
	}
	apic_write(APIC_ICR_HIGH, apic_id << 24);
	apic_write(APIC_ICR_LOW, low);
	while (apic_read(APIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
}

void apic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	send_icr(apic_id, vector);
}

void apic_send_init(uint32_t apic_id)
{
	send_icr(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
}

void apic_send_startup(uint32_t apic_id, uint8_t page)
{
	send_icr(apic_id, ICR_STARTUP | page);
}

/* Enable the calling CPU's APIC in the chosen mode (see the top). */
static void enable_mode(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_APIC_BASE, base);
	}
	if (x2apic && !(base & APIC_BASE_X2APIC))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);
}

void apic_init(paddr_t lapic_base, bool allow_x2apic, bool allow_tsc_deadline)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!boot_cpu_has(X86_FEATURE_APIC))
		panic("this CPU has no local APIC; Kitten needs one");
	x2apic = allow_x2apic && boot_cpu_has(X86_FEATURE_X2APIC);
	tsc_deadline = allow_tsc_deadline &&
		       boot_cpu_has(X86_FEATURE_TSC_DEADLINE);
	if (!lapic_base)
		lapic_base = base & ~0xfffULL;
	if (x2apic) {
		enable_mode();	/* apic_read_id() comes next */
	} else {
		mmio = ioremap(lapic_base, PAGE_SIZE);
		if (!mmio)
			panic("cannot map the local APIC at %#lx", lapic_base);
	}
	pr_info("local APIC at %#lx, %s mode, %s timer\n", lapic_base,
		x2apic ? "x2APIC" : "xAPIC",
		tsc_deadline ? "TSC-deadline" : "one-shot");
}

void apic_init_cpu(void)
{
	enable_mode();
	apic_write(APIC_SVR, SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	apic_write(APIC_TPR, 0);
	if (tsc_deadline) {
		/* Armed by IA32_TSC_DEADLINE alone; 0 there means disarmed.
		 * The manuals ask for MFENCE between the LVT write and a
		 * deadline write (an MMIO store and a WRMSR, in xAPIC mode). */
		apic_write(APIC_LVT_TIMER, LVT_TSC_DEADLINE | APIC_TIMER_VECTOR);
		wrmsr_fence();
		wrmsr(MSR_TSC_DEADLINE, 0);
	} else {
		apic_write(APIC_LVT_TIMER, LVT_MASKED | APIC_TIMER_VECTOR);
		apic_write(APIC_TIMER_DIV, TIMER_DIV_16);
	}
	/* Legacy PIC interrupts are not used: mask LINT0; LINT1 is NMI. */
	apic_write(APIC_LVT_LINT0, LVT_MASKED);
	apic_write(APIC_LVT_LINT1, LVT_NMI);
	apic_write(APIC_LVT_ERROR, APIC_ERROR_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_eoi();
}

void apic_timer_calibrate(void)
{
	const uint64_t window_ns = 10 * 1000 * 1000;
	uint64_t start, elapsed;
	uint32_t counted;

	if (tsc_deadline) {
		pr_info("timer: TSC deadline, %lu kHz\n", tsc_hz() / 1000);
		return;
	}
	apic_write(APIC_LVT_TIMER, LVT_MASKED | APIC_TIMER_VECTOR);
	apic_write(APIC_TIMER_INIT, 0xffffffff);
	start = time_ns();
	while (time_ns() - start < window_ns)
		cpu_relax();
	counted = 0xffffffff - apic_read(APIC_TIMER_CUR);
	elapsed = time_ns() - start;
	apic_write(APIC_TIMER_INIT, 0);
	timer_hz = (uint64_t)counted * 1000000000ULL / elapsed;
	if (!timer_hz)
		panic("the APIC timer does not count");
	pr_info("timer: %lu kHz (divided by 16)\n", timer_hz / 1000);
}

/* TSC-deadline mode: ns from now as an absolute TSC value; 0 disarms. */
static void tsc_deadline_arm(uint64_t ns)
{
	uint64_t hz = tsc_hz(), ticks = 0;

	if (ns) {
		ns = MIN(ns, 1000ULL * NSEC_PER_SEC);
		/* In two parts: no 128-bit division in the kernel. Rounded
		 * up, as below: late is harmless, early costs a retry. */
		ticks = rdtsc() + ns / NSEC_PER_SEC * hz +
			(ns % NSEC_PER_SEC * hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	}
	wrmsr_fence();
	wrmsr(MSR_TSC_DEADLINE, ticks);
}

void apic_timer_oneshot(uint64_t ns)
{
	uint64_t ticks;

	if (tsc_deadline) {
		tsc_deadline_arm(ns);
		return;
	}
	if (!ns) {
		apic_write(APIC_TIMER_INIT, 0);
		return;
	}
	ns = MIN(ns, 10ULL * 1000000000);	/* keeps ns * timer_hz in 64 bits */
	/* Round up: firing a little late is harmless, early costs a retry. */
	ticks = (ns * timer_hz + 999999999ULL) / 1000000000ULL;
	if (ticks > 0xffffffff)
		ticks = 0xffffffff;	/* the caller re-arms when it fires early */
	apic_write(APIC_LVT_TIMER, APIC_TIMER_VECTOR);	/* one-shot, unmasked */
	apic_write(APIC_TIMER_INIT, ticks);
}
