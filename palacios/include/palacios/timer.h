/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest time. Devices that count (PIT, local APIC timer, RTC) register a
 * timer on a vCPU. Before an entry into the guest the vCPU runs the ones
 * that are due and has the host interrupt the guest at the earliest
 * remaining deadline; a halted vCPU sleeps until it. So device time needs
 * no thread of its own and costs nothing while no timer is armed.
 *
 * The vCPU asks the devices for their deadlines only when the earliest
 * one it knows has come, or when a device said that a guest access moved
 * one (v3_timers_changed): most exits touch no timer, and asking each
 * device, under its lock, was a third of an exit's cost.
 *
 * Time is the host's monotonic nanoseconds (v3_host->time_ns()); the
 * guest's TSC is the host's.
 */
#ifndef PALACIOS_TIMER_H
#define PALACIOS_TIMER_H

#include <stdint.h>

struct v3_vcpu;

#define V3_NO_DEADLINE UINT64_MAX

struct v3_timer_ops {
	/* When this device next needs service (ns), or V3_NO_DEADLINE. */
	uint64_t (*deadline)(struct v3_vcpu *v, void *priv);
	/* Called on the vCPU's thread once now >= deadline. */
	void (*expire)(struct v3_vcpu *v, uint64_t now, void *priv);
};

#define V3_MAX_TIMERS 8

int v3_register_timer(struct v3_vcpu *v, const struct v3_timer_ops *ops,
		      void *priv);

/* Run due timers; the earliest remaining deadline (core/time.c). */
uint64_t v3_run_timers(struct v3_vcpu *v, uint64_t now);
/* The earliest deadline, running timers only when one is due or moved. */
uint64_t v3_next_deadline(struct v3_vcpu *v, uint64_t now);
/* A device moved a deadline of a timer on v (from any thread). */
void v3_timers_changed(struct v3_vcpu *v);

/* Conversions without 128-bit division (not in a kernel); hz < 2^34. */
static inline uint64_t v3_ns_to_ticks(uint64_t ns, uint64_t hz)
{
	return ns / 1000000000ull * hz + ns % 1000000000ull * hz / 1000000000ull;
}

static inline uint64_t v3_ticks_to_ns(uint64_t ticks, uint64_t hz)
{
	return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}

#endif
