// SPDX-License-Identifier: GPL-2.0
/*
 * Local APICs in xAPIC mode (Intel SDM vol. 3A, "Advanced Programmable
 * Interrupt Controller"), one per vCPU. Every vCPU sees its own APIC in
 * the one 4 KiB page at 0xFEE00000: the MMIO callback is handed the vCPU
 * that made the access and picks that vCPU's APIC, as each real CPU
 * decodes the page itself. IA32_APIC_BASE (MSR 0x1B) reports the BSP
 * flag on vCPU 0 and can disable and re-enable the APIC; relocating the
 * page is refused (the base stays put) and x2APIC mode takes a #GP.
 *
 * The version register reads 0x50014: an integrated APIC with six LVT
 * entries (timer, thermal, performance counter, LINT0, LINT1, error) and
 * no EOI-broadcast suppression. The APIC ID is the vCPU id and fixed.
 * Each APIC is an interrupt source of its vCPU: the highest IRR vector
 * whose priority class is above the PPR's is injected, and taking it
 * moves it from IRR to ISR. EOI retires the highest ISR vector and, if
 * it was accepted level-triggered (TMR), is broadcast to the I/O APIC.
 *
 * The device owns the APIC bus: messages from the I/O APIC, MSI and the
 * ICR reach the APICs they name (physical id, flat or cluster logical,
 * broadcast 0xFF, shorthands self/all/all-but-self; 8-bit destinations).
 * Lowest priority goes to the lowest APIC id among the candidates (no
 * APR arbitration). INIT resets the target APIC and signals its vCPU;
 * START-UP passes its vector on. NMI, SMI and ExtINT messages are
 * reported and dropped: the PIC's ExtINT vector reaches the vCPU through
 * the PIC's own interrupt source, which vCPUs ask after this one.
 *
 * The timer counts a 1 GHz bus clock through the divider, one-shot or
 * periodic. A period starts where the last one ended, so it never
 * drifts, and periods missed while the vCPU was away raise one interrupt.
 *
 * Omitted: x2APIC and TSC-deadline mode (core/cpuid.c hides both and
 * gives each vCPU its APIC id; its APIC-present bit does not follow the
 * MSR), the remote read register, focus processor checking; the thermal,
 * perf and LINT entries are kept but nothing drives them.
 */
#include <palacios/devices_apic.h>
#include <palacios/vmm.h>

#define LAPIC_VERSION	0x00050014u
#define LAPIC_BUS_HZ	1000000000ull	/* timer input before the divider */
_Static_assert(LAPIC_BUS_HZ <= 1000000000ull, "a bus tick lasts at least 1 ns");
_Static_assert(V3_IMAGE_MAX_VCPUS <= 64, "targets fit a 64-bit mask");

#define MSR_APIC_BASE	0x1b
#define BASE_BSP	(1ull << 8)
#define BASE_EXTD	(1ull << 10)
#define BASE_EN		(1ull << 11)
#define BASE_ADDR	0x000ffffffffff000ull
#define BASE_RESERVED	(~(BASE_ADDR | BASE_EN | BASE_EXTD | BASE_BSP))

enum {
	REG_ID = 0x020, REG_VERSION = 0x030, REG_TPR = 0x080, REG_APR = 0x090,
	REG_PPR = 0x0a0, REG_EOI = 0x0b0, REG_RRD = 0x0c0, REG_LDR = 0x0d0,
	REG_DFR = 0x0e0, REG_SVR = 0x0f0, REG_ISR = 0x100, REG_TMR = 0x180,
	REG_IRR = 0x200, REG_ESR = 0x280, REG_ICR_LO = 0x300,
	REG_ICR_HI = 0x310, REG_LVT = 0x320, REG_LVT_LAST = 0x370,
	REG_INITIAL = 0x380, REG_CURRENT = 0x390, REG_DIVIDE = 0x3e0,
};

enum {
	LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR,
	LVT_NR
};

#define LVT_MASKED	(1u << 16)
#define LVT_PERIODIC	(1u << 17)
#define LVT_TSC_DEADLINE (1u << 18)

/* Bits the guest may set in each LVT entry (status bits are read-only). */
static const uint32_t lvt_writable[LVT_NR] = {
	[LVT_TIMER] = 0x300ff, [LVT_THERMAL] = 0x107ff, [LVT_PERF] = 0x107ff,
	[LVT_LINT0] = 0x1a7ff, [LVT_LINT1] = 0x1a7ff, [LVT_ERROR] = 0x100ff,
};

#define SVR_ENABLE	(1u << 8)
#define SVR_WRITABLE	0x3ffu		/* vector, enable, focus checking */
#define DFR_FLAT	0xfu

#define ESR_SEND_ILLEGAL (1u << 5)
#define ESR_RECV_ILLEGAL (1u << 6)
#define ESR_ILLEGAL_REG	(1u << 7)

#define ICR_LO_WRITABLE	0x000ccfffu
#define ICR_LOGICAL	(1u << 11)
#define ICR_ASSERT	(1u << 14)
#define ICR_LEVEL	(1u << 15)

enum { SH_NONE, SH_SELF, SH_ALL, SH_ALL_BUT_SELF };

/* What the guest did that this model does not do, each logged once. */
enum lapic_report {
	REP_ILLEGAL_REG, REP_READ_ONLY, REP_ACCESS, REP_DISABLED, REP_DELIVERY,
	REP_DFR, REP_TIMER_MODE, REP_RELOCATE, REP_MSR,
};

struct lapic_dev;

struct lapic {
	struct lapic_dev *dev;
	struct v3_vcpu *vcpu;
	void *lock;
	bool enabled;		/* IA32_APIC_BASE.EN */
	uint32_t tpr, ldr, dfr, svr, icr_lo, icr_hi, divide, initial;
	uint32_t esr, esr_new;	/* visible, and gathered since the last write */
	uint32_t lvt[LVT_NR];
	uint32_t isr[8], tmr[8], irr[8];
	bool timer_armed;	/* counting down */
	uint64_t timer_next;	/* when the count reaches zero (ns) */
	uint64_t timer_period;	/* ns per full count */
};

struct lapic_dev {
	struct v3_vm *vm;
	unsigned nr;
	uint32_t reported;	/* 1 << enum lapic_report, atomically */
	struct lapic apic[];
};

/* The effects of a register write that must happen without the lock. */
struct lapic_effects {
	bool send;
	struct v3_apic_msg msg;
	int eoi_vector;		/* a level-triggered EOI to broadcast, or -1 */
};

static bool first_time(uint32_t *reported, unsigned kind)
{
	uint32_t bit = 1u << kind;

	return !(__atomic_fetch_or(reported, bit, __ATOMIC_RELAXED) & bit);
}

#define lapic_report(d, kind, vcpu, fmt, ...)				\
	do {								\
		if (first_time(&(d)->reported, kind))			\
			v3_log((d)->vm, vcpu, "lapic: " fmt,		\
			       ##__VA_ARGS__);				\
	} while (0)

/* IRR, ISR and TMR: 256 bits in eight 32-bit registers. */
static void bit_set(uint32_t *r, uint8_t vec)
{
	r[vec / 32] |= 1u << (vec % 32);
}

static void bit_clear(uint32_t *r, uint8_t vec)
{
	r[vec / 32] &= ~(1u << (vec % 32));
}

static bool bit_test(const uint32_t *r, uint8_t vec)
{
	return r[vec / 32] & (1u << (vec % 32));
}

/* The highest vector set in a 256-bit register, or -1. */
static int highest(const uint32_t *r)
{
	for (int i = 7; i >= 0; i--)
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	return -1;
}

/* Processor priority: the task priority or the class in service. */
static uint32_t lapic_ppr(const struct lapic *a)
{
	int isrv = highest(a->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (a->tpr & 0xf0) >= isr_class ? a->tpr : isr_class;
}

/* Arbitration priority, by the SDM's P6 formula (read back only). */
static uint32_t lapic_apr(const struct lapic *a)
{
	int isrv = highest(a->isr), irrv = highest(a->irr);
	uint32_t tpr = a->tpr & 0xf0;
	uint32_t isr = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
	uint32_t irr = irrv < 0 ? 0 : (uint32_t)irrv & 0xf0;

	if (tpr >= irr && tpr > isr)
		return a->tpr;
	return (tpr & isr) > irr ? (tpr & isr) : irr;
}

/* The state after power-up and after INIT; the id and MSR stay. */
static void lapic_reset(struct lapic *a)
{
	a->tpr = a->ldr = a->icr_lo = a->icr_hi = a->divide = a->initial = 0;
	a->esr = a->esr_new = 0;
	a->dfr = 0xffffffff;
	a->svr = 0xff;
	for (unsigned i = 0; i < LVT_NR; i++)
		a->lvt[i] = LVT_MASKED;
	v3_memset(a->isr, 0, sizeof(a->isr));
	v3_memset(a->tmr, 0, sizeof(a->tmr));
	v3_memset(a->irr, 0, sizeof(a->irr));
	a->timer_armed = false;
}

/* An error: latched for ESR, and an error interrupt unless masked. The
 * error entry's own vector is not checked through lapic_accept(), which
 * could otherwise report an illegal error vector forever. */
static void lapic_error(struct lapic *a, uint32_t bits)
{
	uint32_t lvt = a->lvt[LVT_ERROR];

	a->esr_new |= bits;
	if (lvt & LVT_MASKED)
		return;
	if ((lvt & 0xff) < 16) {
		a->esr_new |= ESR_RECV_ILLEGAL;
		return;
	}
	bit_set(a->irr, lvt & 0xff);
	bit_clear(a->tmr, lvt & 0xff);
}

/* Latch a fixed interrupt; TMR says whether its EOI is broadcast. */
static void lapic_accept(struct lapic *a, uint8_t vector, bool level)
{
	if (vector < 16) {
		lapic_error(a, ESR_RECV_ILLEGAL);
		return;
	}
	bit_set(a->irr, vector);
	if (level)
		bit_set(a->tmr, vector);
	else
		bit_clear(a->tmr, vector);
}

/* --- timer --------------------------------------------------------------- */

/* Divide configuration bits 3,1:0 encode 2, 4, ..., 128, then 1. */
static unsigned timer_shift(const struct lapic *a)
{
	unsigned code = (a->divide & 3) | ((a->divide >> 1) & 4);

	return (code + 1) & 7;
}

static void timer_set_period(struct lapic *a)
{
	a->timer_period = v3_ticks_to_ns((uint64_t)a->initial << timer_shift(a),
					 LAPIC_BUS_HZ);
}

/* Writing the initial count (re)starts the count; zero stops it. */
static void timer_start(struct lapic *a, uint64_t now)
{
	timer_set_period(a);
	a->timer_armed = a->initial != 0;
	a->timer_next = now + a->timer_period;
}

static uint32_t timer_current(const struct lapic *a, uint64_t now)
{
	unsigned shift = timer_shift(a);
	uint64_t left, count, late;

	if (!a->timer_armed)
		return 0;
	if (now < a->timer_next) {
		left = a->timer_next - now;
	} else if (a->lvt[LVT_TIMER] & LVT_PERIODIC) {
		late = now - a->timer_next;
		left = a->timer_period - late % a->timer_period;
	} else {
		return 0;	/* reached zero; expire() has not run yet */
	}
	/* The counter steps once per divided clock: round up. */
	count = v3_ns_to_ticks(left, LAPIC_BUS_HZ) + (1ull << shift) - 1;
	count >>= shift;
	return count > a->initial ? a->initial : count;
}

static uint64_t lapic_timer_deadline(struct v3_vcpu *v, void *priv)
{
	struct lapic *a = priv;
	unsigned long flags = v3_host->lock(a->lock);
	uint64_t d = a->timer_armed ? a->timer_next : V3_NO_DEADLINE;

	(void)v;
	v3_host->unlock(a->lock, flags);
	return d;
}

/* One interrupt per expiry however late: the next deadline stays on the
 * grid of periods from the start, past now. */
static void lapic_timer_expire(struct v3_vcpu *v, uint64_t now, void *priv)
{
	struct lapic *a = priv;
	unsigned long flags = v3_host->lock(a->lock);
	uint32_t lvt = a->lvt[LVT_TIMER];
	uint64_t missed;

	(void)v;
	if (a->timer_armed && now >= a->timer_next) {
		if (!(lvt & LVT_MASKED))
			lapic_accept(a, lvt & 0xff, false);
		missed = (now - a->timer_next) / a->timer_period;
		if (lvt & LVT_PERIODIC)
			a->timer_next += (missed + 1) * a->timer_period;
		else
			a->timer_armed = false;
	}
	v3_host->unlock(a->lock, flags);
}

static const struct v3_timer_ops lapic_timer_ops = {
	.deadline = lapic_timer_deadline,
	.expire = lapic_timer_expire,
};

/* --- registers ----------------------------------------------------------- */

static uint32_t lapic_read_reg(struct lapic *a, unsigned off)
{
	switch (off) {
	case REG_ID:		return a->vcpu->id << 24;
	case REG_VERSION:	return LAPIC_VERSION;
	case REG_TPR:		return a->tpr;
	case REG_APR:		return lapic_apr(a);
	case REG_PPR:		return lapic_ppr(a);
	case REG_EOI:		return 0;	/* write-only */
	case REG_RRD:		return 0;	/* no remote reads */
	case REG_LDR:		return a->ldr;
	case REG_DFR:		return a->dfr;
	case REG_SVR:		return a->svr;
	case REG_ISR ... REG_ISR + 0x70: return a->isr[(off - REG_ISR) >> 4];
	case REG_TMR ... REG_TMR + 0x70: return a->tmr[(off - REG_TMR) >> 4];
	case REG_IRR ... REG_IRR + 0x70: return a->irr[(off - REG_IRR) >> 4];
	case REG_ESR:		return a->esr;
	case REG_ICR_LO:	return a->icr_lo;	/* sent: idle */
	case REG_ICR_HI:	return a->icr_hi;
	case REG_LVT ... REG_LVT_LAST: return a->lvt[(off - REG_LVT) >> 4];
	case REG_INITIAL:	return a->initial;
	case REG_CURRENT:	return timer_current(a, v3_host->time_ns());
	case REG_DIVIDE:	return a->divide;
	}
	lapic_error(a, ESR_ILLEGAL_REG);
	lapic_report(a->dev, REP_ILLEGAL_REG, a->vcpu->id,
		     "read of register 0x%x (none): 0, ESR illegal register",
		     off);
	return 0;
}

/* The ICR names a message; false when there is none to send. */
static bool lapic_icr_msg(struct lapic *a, struct v3_apic_msg *m)
{
	uint32_t lo = a->icr_lo;
	unsigned mode = (lo >> 8) & 7;

	/* INIT level de-assert only synchronised the 82489DX's arbitration. */
	if (mode == V3_APIC_INIT && (lo & ICR_LEVEL) && !(lo & ICR_ASSERT))
		return false;
	if (mode <= V3_APIC_LOWEST && (lo & 0xff) < 16) {
		lapic_error(a, ESR_SEND_ILLEGAL);
		return false;
	}
	*m = (struct v3_apic_msg){
		.dest = a->icr_hi >> 24,
		.logical = lo & ICR_LOGICAL,
		.vector = lo & 0xff,
		.delivery = mode,
		.level_trigger = false,	/* the trigger bit is for INIT only */
		.source_vcpu = a->vcpu->id,
		.shorthand = (lo >> 18) & 3,
	};
	m->broadcast = !m->logical && m->dest == 0xff;
	return true;
}

static void lapic_write_lvt(struct lapic *a, unsigned i, uint32_t val)
{
	if (i == LVT_TIMER && (val & LVT_TSC_DEADLINE))
		lapic_report(a->dev, REP_TIMER_MODE, a->vcpu->id,
			     "timer mode %u (TSC deadline) unsupported: ignored",
			     (val >> 17) & 3);
	val &= lvt_writable[i];
	if (!(a->svr & SVR_ENABLE))
		val |= LVT_MASKED;	/* a disabled APIC keeps them masked */
	a->lvt[i] = val;
}

static void lapic_write_reg(struct lapic *a, unsigned off, uint32_t val,
			    struct lapic_effects *fx)
{
	int vec;

	switch (off) {
	case REG_TPR:
		a->tpr = val & 0xff;
		return;
	case REG_EOI:
		vec = highest(a->isr);
		if (vec < 0)
			return;
		bit_clear(a->isr, vec);
		if (bit_test(a->tmr, vec))
			fx->eoi_vector = vec;
		return;
	case REG_LDR:
		a->ldr = val & 0xff000000;
		return;
	case REG_DFR:
		if (val >> 28 != DFR_FLAT && val >> 28 != 0)
			lapic_report(a->dev, REP_DFR, a->vcpu->id,
				     "DFR model 0x%x reserved: taken as cluster",
				     val >> 28);
		a->dfr = val | 0x0fffffff;
		return;
	case REG_SVR:
		a->svr = val & SVR_WRITABLE;
		if (!(a->svr & SVR_ENABLE))
			for (unsigned i = 0; i < LVT_NR; i++)
				a->lvt[i] |= LVT_MASKED;
		return;
	case REG_ESR:
		a->esr = a->esr_new;
		a->esr_new = 0;
		return;
	case REG_ICR_LO:
		a->icr_lo = val & ICR_LO_WRITABLE;
		fx->send = lapic_icr_msg(a, &fx->msg);
		return;
	case REG_ICR_HI:
		a->icr_hi = val & 0xff000000;
		return;
	case REG_LVT ... REG_LVT_LAST:
		lapic_write_lvt(a, (off - REG_LVT) >> 4, val);
		return;
	case REG_INITIAL:
		a->initial = val;
		timer_start(a, v3_host->time_ns());
		return;
	case REG_DIVIDE:
		/* A new divider applies from the next period. */
		a->divide = val & 0xb;
		timer_set_period(a);
		return;
	case REG_ID:
	case REG_VERSION:
	case REG_APR:
	case REG_PPR:
	case REG_RRD:
	case REG_ISR ... REG_IRR + 0x70:
	case REG_CURRENT:
		lapic_report(a->dev, REP_READ_ONLY, a->vcpu->id,
			     "write of read-only register 0x%x ignored%s", off,
			     off == REG_ID ? " (id = vCPU id)" : "");
		return;
	}
	lapic_error(a, ESR_ILLEGAL_REG);
	lapic_report(a->dev, REP_ILLEGAL_REG, a->vcpu->id,
		     "write of register 0x%x (none): ESR illegal register",
		     off);
}

/* --- the APIC bus -------------------------------------------------------- */

static bool lapic_matches(const struct lapic *a, const struct v3_apic_msg *m)
{
	int id = a->vcpu->id;
	uint8_t dest = m->dest;		/* xAPIC: 8-bit destinations */

	switch (m->shorthand) {
	case SH_NONE:		break;
	case SH_SELF:		return id == m->source_vcpu;
	case SH_ALL:		return true;
	case SH_ALL_BUT_SELF:	return id != m->source_vcpu;
	default:		return false;
	}
	if (!m->logical)
		return m->broadcast || dest == 0xff || dest == id;
	if (dest == 0xff)
		return true;
	if (a->dfr >> 28 == DFR_FLAT)
		return (a->ldr >> 24) & dest;
	return a->ldr >> 28 == (unsigned)dest >> 4 &&
	       ((a->ldr >> 24) & dest & 0xf);
}

/*
 * Route one message; 0 if some APIC took it, -ENOENT if none did (the
 * I/O APIC then keeps a level interrupt to send again). A software-
 * disabled APIC refuses fixed interrupts but still obeys INIT and SIPI.
 */
static int lapic_deliver(struct v3_vm *vm, const struct v3_apic_msg *m,
			 void *priv)
{
	struct lapic_dev *d = priv;
	bool fixed = m->delivery <= V3_APIC_LOWEST;
	uint64_t targets = 0;

	(void)vm;
	if (!fixed && m->delivery != V3_APIC_INIT &&
	    m->delivery != V3_APIC_SIPI) {
		lapic_report(d, REP_DELIVERY, m->source_vcpu,
			     "delivery mode %u (NMI, SMI, ExtINT) unsupported: dropped",
			     m->delivery);
		return -V3_ENOSYS;
	}
	for (unsigned i = 0; i < d->nr; i++) {
		struct lapic *a = &d->apic[i];
		unsigned long flags = v3_host->lock(a->lock);

		if (a->enabled && lapic_matches(a, m) &&
		    (!fixed || (a->svr & SVR_ENABLE)))
			targets |= 1ull << i;
		v3_host->unlock(a->lock, flags);
	}
	if (!targets)
		return -V3_ENOENT;
	if (m->delivery == V3_APIC_LOWEST)
		targets &= -targets;
	for (unsigned i = 0; i < d->nr; i++) {
		struct lapic *a = &d->apic[i];
		unsigned long flags;

		if (!(targets & (1ull << i)))
			continue;
		if (m->delivery == V3_APIC_SIPI) {
			v3_vcpu_startup(a->vcpu, m->vector);
			continue;
		}
		flags = v3_host->lock(a->lock);
		if (fixed)
			lapic_accept(a, m->vector, m->level_trigger);
		else
			lapic_reset(a);
		v3_host->unlock(a->lock, flags);
		if (fixed)
			v3_intr_kick(a->vcpu);
		else
			v3_vcpu_init_signal(a->vcpu);
	}
	return 0;
}

static const struct v3_apic_bus_ops lapic_bus_ops = {
	.deliver = lapic_deliver,
};

/* --- guest access -------------------------------------------------------- */

/* Registers are 32 bits at 16-byte strides; other bytes read as zero. */
static int lapic_mmio_read(struct v3_vcpu *v, uint64_t gpa, void *buf,
			   unsigned len, void *priv)
{
	struct lapic_dev *d = priv;
	struct lapic *a = &d->apic[v->id];
	unsigned off = gpa - V3_LAPIC_BASE, slot = ~0u;
	unsigned long flags = v3_host->lock(a->lock);
	uint8_t *out = buf;
	uint32_t val = 0;

	if (!a->enabled) {
		v3_host->unlock(a->lock, flags);
		lapic_report(d, REP_DISABLED, v->id,
			     "access while disabled (IA32_APIC_BASE): all ones");
		v3_memset(buf, 0xff, len);
		return 0;
	}
	for (unsigned i = 0; i < len; i++) {
		unsigned o = off + i;

		if ((o & ~0xfu) != slot) {
			slot = o & ~0xfu;
			val = lapic_read_reg(a, slot);
		}
		out[i] = (o & 0xf) < 4 ? val >> 8 * (o & 0xf) : 0;
	}
	v3_host->unlock(a->lock, flags);
	return 0;
}

static int lapic_mmio_write(struct v3_vcpu *v, uint64_t gpa, const void *buf,
			    unsigned len, void *priv)
{
	struct lapic_dev *d = priv;
	struct lapic *a = &d->apic[v->id];
	unsigned off = gpa - V3_LAPIC_BASE;
	struct lapic_effects fx = { .eoi_vector = -1 };
	unsigned long flags;
	bool enabled;
	uint32_t val;

	if ((off & 0xf) || len < 4) {
		lapic_report(d, REP_ACCESS, v->id,
			     "%u-byte write at 0x%x ignored: not aligned 32 bits",
			     len, off);
		return 0;
	}
	v3_memcpy(&val, buf, 4);
	flags = v3_host->lock(a->lock);
	enabled = a->enabled;
	if (enabled)
		lapic_write_reg(a, off, val, &fx);
	v3_host->unlock(a->lock, flags);
	if (!enabled)
		lapic_report(d, REP_DISABLED, v->id,
			     "access while disabled (IA32_APIC_BASE): dropped");
	if (fx.send)
		lapic_deliver(d->vm, &fx.msg, d);
	if (fx.eoi_vector >= 0)
		v3_apic_eoi_broadcast(d->vm, fx.eoi_vector);
	if (off == REG_LVT + 0x10 * LVT_TIMER || off == REG_INITIAL ||
	    off == REG_DIVIDE || off == REG_SVR)
		v3_timers_changed(v);
	return 0;
}

static const struct v3_mmio_ops lapic_mmio_ops = {
	.read = lapic_mmio_read,
	.write = lapic_mmio_write,
};

static int lapic_msr_read(struct v3_vcpu *v, uint32_t msr, uint64_t *val,
			  void *priv)
{
	struct lapic_dev *d = priv;

	(void)msr;
	*val = V3_LAPIC_BASE | (d->apic[v->id].enabled ? BASE_EN : 0) |
	       (v->id == 0 ? BASE_BSP : 0);
	return 0;
}

/* Disabling resets the APIC, so re-enabling finds the power-up state. */
static int lapic_msr_write(struct v3_vcpu *v, uint32_t msr, uint64_t val,
			   void *priv)
{
	struct lapic_dev *d = priv;
	struct lapic *a = &d->apic[v->id];
	unsigned long flags;

	(void)msr;
	if (val & (BASE_RESERVED | BASE_EXTD)) {
		lapic_report(d, REP_MSR, v->id,
			     "IA32_APIC_BASE 0x%llx: reserved or x2APIC: #GP",
			     (unsigned long long)val);
		return -V3_EINVAL;
	}
	if ((val & BASE_ADDR) != V3_LAPIC_BASE)
		lapic_report(d, REP_RELOCATE, v->id,
			     "relocation to 0x%llx unsupported: stays at 0x%llx",
			     (unsigned long long)(val & BASE_ADDR),
			     V3_LAPIC_BASE);
	flags = v3_host->lock(a->lock);
	if (a->enabled && !(val & BASE_EN))
		lapic_reset(a);
	a->enabled = val & BASE_EN;
	v3_host->unlock(a->lock, flags);
	return 0;
}

/* --- the vCPU's interrupt source ----------------------------------------- */

static int lapic_pending(struct v3_vcpu *v, void *priv)
{
	struct lapic *a = priv;
	unsigned long flags = v3_host->lock(a->lock);
	int vec = -1, irrv = highest(a->irr);

	(void)v;
	if (a->enabled && (a->svr & SVR_ENABLE) && irrv >= 0 &&
	    ((uint32_t)irrv & 0xf0) > (lapic_ppr(a) & 0xf0))
		vec = irrv;
	v3_host->unlock(a->lock, flags);
	return vec;
}

static void lapic_ack(struct v3_vcpu *v, uint8_t vector, void *priv)
{
	struct lapic *a = priv;
	unsigned long flags = v3_host->lock(a->lock);

	(void)v;
	if (bit_test(a->irr, vector)) {	/* not lost to an INIT meanwhile */
		bit_clear(a->irr, vector);
		bit_set(a->isr, vector);
	}
	v3_host->unlock(a->lock, flags);
}

static const struct v3_intr_source_ops lapic_source_ops = {
	.pending = lapic_pending,
	.ack = lapic_ack,
};

/* --- instances ------------------------------------------------------------ */

static void lapic_free(void *priv)
{
	struct lapic_dev *d = priv;

	for (unsigned i = 0; i < d->nr; i++)
		if (d->apic[i].lock)
			v3_host->lock_free(d->apic[i].lock);
	v3_free(d);
}

static int lapic_create(struct v3_vm *vm, void **priv)
{
	struct lapic_dev *d;
	int ret = 0;

	d = v3_zalloc(sizeof(*d) + vm->nr_vcpus * sizeof(d->apic[0]));
	if (!d)
		return -V3_ENOMEM;
	d->vm = vm;
	d->nr = vm->nr_vcpus;
	for (unsigned i = 0; i < d->nr; i++) {
		struct lapic *a = &d->apic[i];

		a->dev = d;
		a->vcpu = vm->vcpus[i];
		a->enabled = true;
		lapic_reset(a);
		a->lock = v3_host->lock_create("lapic", V3_LOCK_APIC);
		if (!a->lock) {
			ret = -V3_ENOMEM;
			goto fail;
		}
	}
	ret = v3_mem_hook(&vm->mem, V3_LAPIC_BASE, V3_PAGE_SIZE,
			  &lapic_mmio_ops, d);
	if (!ret)
		ret = v3_hook_msr(vm, MSR_APIC_BASE, lapic_msr_read,
				  lapic_msr_write, d);
	if (!ret)
		ret = v3_register_apic_bus(vm, &lapic_bus_ops, d);
	for (unsigned i = 0; !ret && i < d->nr; i++) {
		struct lapic *a = &d->apic[i];

		ret = v3_register_intr_source(a->vcpu, &lapic_source_ops, a);
		if (!ret)
			ret = v3_register_timer(a->vcpu, &lapic_timer_ops, a);
	}
	if (ret)
		goto fail;
	*priv = d;
	return 0;
fail:
	lapic_free(d);
	return ret;
}

const struct v3_device_type v3_dev_lapic = {
	.name = "lapic",
	.create = lapic_create,
	.free = lapic_free,
};
