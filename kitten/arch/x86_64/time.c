// SPDX-License-Identifier: GPL-2.0
/*
 * TSC calibration against PIT channel 2, which can be polled without
 * interrupts: program a known count, start it through the gate bit of
 * port 0x61 and watch its output bit go high.
 *
 * time_ns() converts TSC ticks with a 32.32 fixed-point multiplier, so
 * the hot path is a multiply and a shift.
 *
 * The wall clock is the same count plus an offset: the CMOS clock's
 * reading at boot (rtc.c) minus time_ns() then. clock_settime() changes
 * only the offset, here and in the vDSO's page, one aligned 64-bit store
 * each, so a reader sees the old offset or the new, never a mix.
 */
#define pr_fmt(fmt) "time: " fmt

#include <arch/rtc.h>
#include <arch/time.h>
#include <arch/x86.h>
#include <kitten/panic.h>
#include <kitten/printk.h>
#include <kitten/vdso.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2_DATA	0x42
#define PIT_COMMAND	0x43
#define PIT_GATE_PORT	0x61
#define PIT_GATE_CH2	0x01
#define PIT_SPEAKER	0x02
#define PIT_OUT2	0x20
#define PIT_CH2_MODE0	0xb0	/* channel 2, lobyte/hibyte, mode 0 */
#define CALIBRATE_MS	20

static uint64_t tsc_base;
static uint64_t tsc_freq;
static uint64_t ns_per_tick_32;	/* nanoseconds per TSC tick, << 32 */
static int64_t realtime_offset;	/* CLOCK_REALTIME - time_ns() */
static struct vdso_time *vdso_page;	/* the vDSO's copy of the above */

static uint64_t measure_tsc_hz(void)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint8_t gate = inb(PIT_GATE_PORT);
	uint64_t start, end;
	unsigned long spins = 0;

	outb(PIT_GATE_PORT, (gate & ~PIT_SPEAKER) & ~PIT_GATE_CH2);
	outb(PIT_COMMAND, PIT_CH2_MODE0);
	outb(PIT_CH2_DATA, count & 0xff);
	outb(PIT_CH2_DATA, count >> 8);
	start = rdtsc();
	outb(PIT_GATE_PORT, (gate & ~PIT_SPEAKER) | PIT_GATE_CH2);
	while (!(inb(PIT_GATE_PORT) & PIT_OUT2))
		if (++spins > 100000000UL)
			panic("PIT channel 2 never counted down: cannot time the TSC");
	end = rdtsc();
	outb(PIT_GATE_PORT, gate);
	/* The wait is count PIT ticks, not CALIBRATE_MS: count is rounded
	 * down, by 27 ppm, which made every clock read that much fast (a
	 * 1.4 s solve timed 38 us long, bench/notes.md). */
	return (end - start) * PIT_HZ / count;
}

void time_init(void)
{
	tsc_freq = measure_tsc_hz();
	ns_per_tick_32 = (NSEC_PER_SEC << 32) / tsc_freq;
	tsc_base = rdtsc();
	pr_info("TSC at %lu.%03lu MHz\n", tsc_freq / 1000000,
		(tsc_freq / 1000) % 1000);
	time_init_realtime();
}

/* Start the wall clock from the CMOS clock; without one it starts at
 * the epoch, as it did before there was a reader, and says so. */
void time_init_realtime(void)
{
	struct rtc_time rt;
	int err = rtc_read(&rt);

	if (err) {
		pr_warn("no readable CMOS clock (error %d): the wall clock starts at 1970\n",
			err);
		return;
	}
	time_set_realtime(rtc_to_epoch(&rt) * (int64_t)NSEC_PER_SEC);
	pr_info("wall clock %04u-%02u-%02u %02u:%02u:%02u UTC (CMOS)\n",
		rt.year, rt.mon, rt.mday, rt.hour, rt.min, rt.sec);
}

int64_t time_realtime_ns(void)
{
	return (int64_t)time_ns() + __atomic_load_n(&realtime_offset, __ATOMIC_RELAXED);
}

void time_set_realtime(int64_t ns)
{
	int64_t offset = ns - (int64_t)time_ns();

	__atomic_store_n(&realtime_offset, offset, __ATOMIC_RELAXED);
	if (vdso_page)
		__atomic_store_n(&vdso_page->realtime_offset_ns, offset,
				 __ATOMIC_RELEASE);
}

uint64_t time_ns(void)
{
	uint64_t ticks = rdtsc() - tsc_base;

	return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32) >> 32);
}

void time_vdso_fill(struct vdso_time *t)
{
	t->tsc_base = tsc_base;
	t->ns_per_tick_32 = ns_per_tick_32;
	t->realtime_offset_ns = realtime_offset;
	vdso_page = t;
}

uint64_t tsc_hz(void)
{
	return tsc_freq;
}

void udelay_ns(uint64_t ns)
{
	uint64_t end = time_ns() + ns;

	while (time_ns() < end)
		cpu_relax();
}
