// SPDX-License-Identifier: GPL-2.0
/*
 * The Motorola MC146818 real-time clock and its 128 bytes of CMOS RAM,
 * through the index port 0x70 (bit 7 of which is the PC's NMI mask: it
 * is taken and ignored) and the data port 0x71.
 *
 * The clock is not a register file ticking once a second: it is a base
 * (base_s seconds since 1970 at host time base_ns) from which the time
 * registers are computed when read, in BCD or binary and in 24- or
 * 12-hour form as status B says. A VM starts at 2026-01-01 00:00:00 UTC
 * and runs with host time; a guest that sets the clock moves the base.
 * The update cycle is taken as instant at each second boundary, with
 * the update-in-progress bit of status A set for the 244 us before it,
 * which is what guests waiting for a stable read look at.
 *
 * The flags of status C (periodic, alarm, update-ended) are accrued
 * lazily from the base whenever the chip is looked at, and IRQ 8 follows
 * their enables in status B until status C is read. A timer on vCPU 0
 * has the next periodic tick or update serviced while an interrupt is
 * enabled and not already pending. The alarm flag is checked against the
 * latest update only, so an alarm that matched while nobody looked and
 * no alarm interrupt was enabled is missed.
 *
 * The day of the week is derived from the date: writes to it are kept
 * only while SET holds the clock. Omitted: daylight-saving adjustment
 * (DSE is reported and ignored), divider chain control (a DV other than
 * 010 is reported and the clock keeps running), the square-wave pin (not
 * wired on a PC). The rest of the 128 bytes is plain NVRAM;
 * v3_rtc_set_memory() fills in the fields firmware reads for the memory
 * size.
 */
#include <palacios/devices_legacy.h>
#include <palacios/vmm.h>

#define RTC_PORT	0x70
#define RTC_IRQ		8
#define RTC_NS		1000000000ull
#define RTC_UIP_NS	244000ull
#define RTC_EPOCH	1767225600ull	/* 2026-01-01 00:00:00 UTC */
#define RTC_DIVIDER_HZ	32768

enum {
	RTC_SEC = 0x00, RTC_MIN = 0x02, RTC_HOUR = 0x04, RTC_WDAY = 0x06,
	RTC_MDAY = 0x07, RTC_MONTH = 0x08, RTC_YEAR = 0x09,
	RTC_A = 0x0a, RTC_B = 0x0b, RTC_C = 0x0c, RTC_D = 0x0d,
	RTC_CENTURY = 0x32,
};

#define A_UIP		0x80
#define A_DV		0x70
#define A_DV_NORMAL	0x20
#define A_RS		0x0f
#define B_SET		0x80
#define B_PIE		0x40
#define B_AIE		0x20
#define B_UIE		0x10
#define B_DM_BINARY	0x04
#define B_24H		0x02
#define B_DSE		0x01
#define C_IRQF		0x80
#define C_FLAGS		0x70	/* PF AF UF, the same bits as the enables */
#define C_PF		0x40
#define C_AF		0x20
#define C_UF		0x10
#define D_VRT		0x80

enum rtc_report { RTC_REP_DSE, RTC_REP_DV };

struct rtc {
	struct v3_vm *vm;
	void *lock;
	uint8_t cmos[128];	/* time registers as last computed or set */
	uint8_t index;
	uint64_t base_s, base_ns;
	uint64_t last_sec;	/* updates accounted for (s since base_ns) */
	uint64_t last_pf;	/* periodic ticks accounted for */
	uint8_t flags;		/* status C's PF, AF, UF */
	bool irq;
	uint32_t reported;
};

static void rtc_report(struct rtc *r, enum rtc_report what, const char *msg)
{
	if (r->reported & (1u << what))
		return;
	r->reported |= 1u << what;
	VM_INFO(r->vm, "RTC: %s", msg);
}

/* Days since 1970-01-01 of a date in the proleptic Gregorian calendar
 * (year >= 1970), counting 400-year eras of 146097 days from 0000-03-01. */
static uint64_t rtc_days(uint64_t y, unsigned m, unsigned d)
{
	uint64_t era, yoe, doy;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

struct rtc_tm {
	unsigned sec, min, hour, wday, mday, month, year;	/* year: full */
};

static void rtc_civil(uint64_t secs, struct rtc_tm *tm)
{
	uint64_t days = secs / 86400, z = days + 719468;
	uint64_t era = z / 146097, doe = z - era * 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	tm->sec = secs % 60;
	tm->min = secs / 60 % 60;
	tm->hour = secs / 3600 % 24;
	tm->wday = (days + 4) % 7 + 1;		/* 1970-01-01 was a Thursday */
	tm->mday = doy - (153 * mp + 2) / 5 + 1;
	tm->month = mp < 10 ? mp + 3 : mp - 9;
	tm->year = yoe + era * 400 + (tm->month <= 2);
}

static uint8_t rtc_enc(const struct rtc *r, unsigned v)
{
	return r->cmos[RTC_B] & B_DM_BINARY ? v : (v / 10) << 4 | v % 10;
}

static unsigned rtc_dec(const struct rtc *r, uint8_t v)
{
	return r->cmos[RTC_B] & B_DM_BINARY ? v : (v >> 4) * 10 + (v & 15);
}

static uint8_t rtc_enc_hour(const struct rtc *r, unsigned h)
{
	if (r->cmos[RTC_B] & B_24H)
		return rtc_enc(r, h);
	return rtc_enc(r, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0);
}

/* The time registers' bytes for a time, in the current format. */
static void rtc_encode(const struct rtc *r, uint64_t secs, uint8_t *regs)
{
	struct rtc_tm tm;

	rtc_civil(secs, &tm);
	regs[RTC_SEC] = rtc_enc(r, tm.sec);
	regs[RTC_MIN] = rtc_enc(r, tm.min);
	regs[RTC_HOUR] = rtc_enc_hour(r, tm.hour);
	regs[RTC_WDAY] = rtc_enc(r, tm.wday);
	regs[RTC_MDAY] = rtc_enc(r, tm.mday);
	regs[RTC_MONTH] = rtc_enc(r, tm.month);
	regs[RTC_YEAR] = rtc_enc(r, tm.year % 100);
	regs[RTC_CENTURY] = rtc_enc(r, tm.year / 100 % 100);
}

static unsigned rtc_clamp(unsigned v, unsigned lo, unsigned hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The time the registers hold; nonsense is clamped into range. */
static uint64_t rtc_decode(const struct rtc *r)
{
	const uint8_t *c = r->cmos;
	unsigned h = c[RTC_HOUR];
	uint64_t year;

	h = r->cmos[RTC_B] & B_24H ? rtc_dec(r, h) :
	    rtc_dec(r, h & 0x7f) % 12 + (h & 0x80 ? 12 : 0);
	year = rtc_clamp(rtc_dec(r, c[RTC_CENTURY]), 19, 99) * 100 +
	       rtc_clamp(rtc_dec(r, c[RTC_YEAR]), 0, 99);
	if (year < 1970)
		year = 1970;
	return rtc_days(year, rtc_clamp(rtc_dec(r, c[RTC_MONTH]), 1, 12),
			rtc_clamp(rtc_dec(r, c[RTC_MDAY]), 1, 31)) * 86400 +
	       rtc_clamp(h, 0, 23) * 3600ull +
	       rtc_clamp(rtc_dec(r, c[RTC_MIN]), 0, 59) * 60 +
	       rtc_clamp(rtc_dec(r, c[RTC_SEC]), 0, 59);
}

/* Host time since the base; never negative, whichever CPU read the clock. */
static uint64_t rtc_since(const struct rtc *r, uint64_t now)
{
	return now > r->base_ns ? now - r->base_ns : 0;
}

/* log2 of the periodic interval in divider ticks, or -1 if none. */
static int rtc_pf_shift(const struct rtc *r)
{
	unsigned rs = r->cmos[RTC_A] & A_RS;

	if (!rs)
		return -1;
	return rs <= 2 ? rs + 6 : rs - 1;	/* 1, 2 are the rates of 8, 9 */
}

static uint64_t rtc_pf_index(const struct rtc *r, uint64_t now)
{
	int shift = rtc_pf_shift(r);

	return v3_ns_to_ticks(rtc_since(r, now), RTC_DIVIDER_HZ) >> shift;
}

/* Drive IRQ 8 from the flags and their enables. */
static void rtc_update_irq(struct rtc *r)
{
	bool irq = r->flags & r->cmos[RTC_B] & C_FLAGS;

	if (irq != r->irq) {
		r->irq = irq;
		v3_irq_set_line(r->vm, RTC_IRQ, irq);
	}
}

/* Accrue the updates and periodic ticks that happened by now. */
static void rtc_sync(struct rtc *r, uint64_t now)
{
	uint64_t s = rtc_since(r, now) / RTC_NS;
	uint8_t regs[128];

	if (!(r->cmos[RTC_B] & B_SET) && s > r->last_sec) {
		static const uint8_t alarm[3][2] = {
			{ 0x01, RTC_SEC },
			{ 0x03, RTC_MIN },
			{ 0x05, RTC_HOUR },
		};
		bool match = true;

		r->last_sec = s;
		r->flags |= C_UF;
		rtc_encode(r, r->base_s + s, regs);
		for (unsigned i = 0; i < 3; i++) {
			uint8_t want = r->cmos[alarm[i][0]];

			if ((want & 0xc0) != 0xc0 && want != regs[alarm[i][1]])
				match = false;	/* 0xc0-0xff: don't care */
		}
		if (match)
			r->flags |= C_AF;
	}
	if (rtc_pf_shift(r) >= 0 && rtc_pf_index(r, now) > r->last_pf) {
		r->last_pf = rtc_pf_index(r, now);
		r->flags |= C_PF;
	}
	rtc_update_irq(r);
}

/* The clock reads the registers' time at host time `at` (<= now). */
static void rtc_rebase(struct rtc *r, uint64_t at, uint64_t now)
{
	r->base_s = rtc_decode(r);
	r->base_ns = at;
	r->last_sec = 0;
	r->last_pf = rtc_pf_shift(r) >= 0 ? rtc_pf_index(r, now) : 0;
}

static bool rtc_is_time_reg(unsigned i)
{
	return i == RTC_SEC || i == RTC_MIN || i == RTC_HOUR ||
	       i == RTC_WDAY || i == RTC_MDAY || i == RTC_MONTH ||
	       i == RTC_YEAR || i == RTC_CENTURY;
}

static void rtc_latch_time(struct rtc *r, uint64_t now)
{
	rtc_encode(r, r->base_s + rtc_since(r, now) / RTC_NS, r->cmos);
}

static uint8_t rtc_read(struct rtc *r, uint64_t now)
{
	unsigned i = r->index;
	uint8_t v;

	rtc_sync(r, now);
	switch (i) {
	case RTC_A:
		v = r->cmos[RTC_A] & ~A_UIP;
		if (!(r->cmos[RTC_B] & B_SET) &&
		    rtc_since(r, now) % RTC_NS >= RTC_NS - RTC_UIP_NS)
			v |= A_UIP;
		return v;
	case RTC_C:
		v = r->flags;
		if (r->flags & r->cmos[RTC_B] & C_FLAGS)
			v |= C_IRQF;
		r->flags = 0;
		rtc_update_irq(r);
		return v;
	case RTC_D:
		return D_VRT;
	}
	if (rtc_is_time_reg(i) && !(r->cmos[RTC_B] & B_SET))
		rtc_latch_time(r, now);
	return r->cmos[i];
}

static void rtc_write_b(struct rtc *r, uint8_t val, uint64_t now)
{
	uint8_t old = r->cmos[RTC_B];

	if (val & B_SET)
		val &= ~B_UIE;	/* as the datasheet: SET clears UIE */
	if (val & B_DSE)
		rtc_report(r, RTC_REP_DSE,
			   "daylight saving (DSE) unsupported: ignored");
	r->cmos[RTC_B] = val;
	/* Frozen for the guest to set, in the form it will write them. */
	if (!(old & B_SET) && (val & B_SET))
		rtc_latch_time(r, now);
	if ((old & B_SET) && !(val & B_SET))
		rtc_rebase(r, now, now);	/* the divider chain restarts */
	rtc_update_irq(r);
}

static void rtc_write(struct rtc *r, uint8_t val, uint64_t now)
{
	unsigned i = r->index;

	rtc_sync(r, now);
	switch (i) {
	case RTC_A:
		if ((val & A_DV) != A_DV_NORMAL)
			rtc_report(r, RTC_REP_DV,
				   "divider control unsupported: clock runs on");
		r->cmos[RTC_A] = val & ~A_UIP;
		r->last_pf = rtc_pf_shift(r) >= 0 ? rtc_pf_index(r, now) : 0;
		return;
	case RTC_B:
		rtc_write_b(r, val, now);
		return;
	case RTC_C:
	case RTC_D:
		return;		/* read-only */
	}
	if (!rtc_is_time_reg(i) || (r->cmos[RTC_B] & B_SET)) {
		r->cmos[i] = val;
		return;
	}
	/* Setting one field of a running clock: keep the second's phase. */
	rtc_latch_time(r, now);
	r->cmos[i] = val;
	rtc_rebase(r, now - rtc_since(r, now) % RTC_NS, now);
}

/*
 * Whether an access to the current register may move the timer's
 * deadline (time base, rates, enables, the IRQ pending): vCPU 0 computes
 * deadlines before it enters the guest, so it must look again. NVRAM
 * accesses, the bulk of them, leave it alone.
 */
static bool rtc_moves_deadline(const struct rtc *r)
{
	return r->index <= RTC_C || r->index == RTC_CENTURY;
}

static int rtc_io_in(struct v3_vcpu *v, uint16_t port, void *data,
		     unsigned size, void *priv)
{
	struct rtc *r = priv;
	unsigned long flags = v3_host->lock(r->lock);
	uint64_t now = v3_host->time_ns();
	bool kick = false;

	(void)v;
	for (unsigned i = 0; i < size; i++) {
		uint8_t *b = (uint8_t *)data + i;

		if (port + i == RTC_PORT) {
			*b = r->index;
		} else if (port + i == RTC_PORT + 1) {
			*b = rtc_read(r, now);
			kick |= r->index == RTC_C;
		} else {
			*b = 0xff;	/* past our ports */
		}
	}
	v3_host->unlock(r->lock, flags);
	if (kick)
		v3_timers_changed(r->vm->vcpus[0]);
	return 0;
}

static int rtc_io_out(struct v3_vcpu *v, uint16_t port, const void *data,
		      unsigned size, void *priv)
{
	struct rtc *r = priv;
	unsigned long flags = v3_host->lock(r->lock);
	uint64_t now = v3_host->time_ns();
	bool kick = false;

	(void)v;
	for (unsigned i = 0; i < size; i++) {
		uint8_t b = ((const uint8_t *)data)[i];

		if (port + i == RTC_PORT) {
			r->index = b & 0x7f;	/* bit 7: NMI mask, none here */
		} else if (port + i == RTC_PORT + 1) {
			rtc_write(r, b, now);
			kick |= rtc_moves_deadline(r);
		}
	}
	v3_host->unlock(r->lock, flags);
	if (kick)
		v3_timers_changed(r->vm->vcpus[0]);
	return 0;
}

/* Ceiling of the host time of `ticks` of the 32768 Hz divider. */
static uint64_t rtc_ticks_ns(uint64_t ticks)
{
	return ticks / RTC_DIVIDER_HZ * RTC_NS +
	       (ticks % RTC_DIVIDER_HZ * RTC_NS + RTC_DIVIDER_HZ - 1) /
		       RTC_DIVIDER_HZ;
}

static uint64_t rtc_deadline(struct v3_vcpu *v, void *priv)
{
	struct rtc *r = priv;
	unsigned long flags = v3_host->lock(r->lock);
	uint8_t b = r->cmos[RTC_B];
	uint64_t when = V3_NO_DEADLINE, t;
	int shift = rtc_pf_shift(r);

	(void)v;
	if (!r->irq && (b & B_PIE) && shift >= 0)
		when = r->base_ns + rtc_ticks_ns((r->last_pf + 1) << shift);
	if (!r->irq && (b & (B_UIE | B_AIE)) && !(b & B_SET)) {
		t = r->base_ns + (r->last_sec + 1) * RTC_NS;
		if (t < when)
			when = t;
	}
	v3_host->unlock(r->lock, flags);
	return when;
}

static void rtc_expire(struct v3_vcpu *v, uint64_t now, void *priv)
{
	struct rtc *r = priv;
	unsigned long flags = v3_host->lock(r->lock);

	(void)v;
	rtc_sync(r, now);
	v3_host->unlock(r->lock, flags);
}

static const struct v3_timer_ops rtc_timer_ops = { rtc_deadline, rtc_expire };

void v3_rtc_set_memory(void *rtc, uint64_t mem)
{
	struct rtc *r = rtc;
	uint64_t ext_kb = mem > (1 << 20) ? (mem - (1 << 20)) >> 10 : 0;
	uint64_t low = mem < V3_LOW_RAM_TOP ? mem : V3_LOW_RAM_TOP;
	uint64_t mid = low > (16 << 20) ? (low - (16 << 20)) >> 16 : 0;
	uint64_t high = (mem - low) >> 16;
	unsigned long flags = v3_host->lock(r->lock);
	uint8_t *c = r->cmos;
	unsigned sum = 0;

	if (ext_kb > 0xffff)
		ext_kb = 0xffff;
	if (mid > 0xffff)
		mid = 0xffff;
	if (high > 0xffffff)
		high = 0xffffff;
	c[0x14] = 0x02;			/* FPU; no floppy; EGA/VGA class */
	c[0x15] = 640 & 0xff;		/* base memory, KiB */
	c[0x16] = 640 >> 8;
	c[0x17] = c[0x30] = ext_kb & 0xff;	/* KiB above 1 MiB */
	c[0x18] = c[0x31] = ext_kb >> 8;
	c[0x34] = mid & 0xff;		/* 64 KiB blocks above 16 MiB */
	c[0x35] = mid >> 8;
	c[0x5b] = high & 0xff;		/* 64 KiB blocks above 4 GiB */
	c[0x5c] = high >> 8 & 0xff;
	c[0x5d] = high >> 16;
	for (unsigned i = 0x10; i <= 0x2d; i++)
		sum += c[i];
	c[0x2e] = sum >> 8;
	c[0x2f] = sum & 0xff;
	v3_host->unlock(r->lock, flags);
}

static void rtc_free(void *priv)
{
	struct rtc *r = priv;

	v3_host->lock_free(r->lock);
	v3_free(r);
}

static int rtc_create(struct v3_vm *vm, void **priv)
{
	struct rtc *r;
	int ret;

	if (!vm->nr_vcpus)
		return -V3_EINVAL;
	r = v3_zalloc(sizeof(*r));
	if (!r)
		return -V3_ENOMEM;
	r->lock = v3_host->lock_create("rtc", V3_LOCK_DEVICE);
	if (!r->lock) {
		v3_free(r);
		return -V3_ENOMEM;
	}
	r->vm = vm;
	r->cmos[RTC_A] = A_DV_NORMAL | 0x06;	/* 32768 Hz base, 1024 Hz */
	r->cmos[RTC_B] = B_24H;			/* BCD, 24-hour */
	r->base_s = RTC_EPOCH;
	r->base_ns = v3_host->time_ns();
	r->last_pf = rtc_pf_index(r, r->base_ns);
	v3_rtc_set_memory(r, vm->mem_size);
	ret = v3_hook_io(vm, RTC_PORT, RTC_PORT + 1, rtc_io_in, rtc_io_out, r);
	if (!ret)
		ret = v3_register_timer(vm->vcpus[0], &rtc_timer_ops, r);
	if (ret) {
		rtc_free(r);
		return ret;
	}
	*priv = r;
	return 0;
}

const struct v3_device_type v3_dev_rtc = {
	.name = "rtc",
	.create = rtc_create,
	.free = rtc_free,
};
