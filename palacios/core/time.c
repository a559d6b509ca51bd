// SPDX-License-Identifier: GPL-2.0
/* Device timers on a vCPU (timer.h). */
#include <palacios/vmm.h>

int v3_register_timer(struct v3_vcpu *v, const struct v3_timer_ops *ops,
		      void *priv)
{
	if (v->nr_timers == V3_MAX_TIMERS)
		return -V3_ENOSPC;
	v->timers[v->nr_timers].ops = ops;
	v->timers[v->nr_timers++].priv = priv;
	return 0;
}

uint64_t v3_run_timers(struct v3_vcpu *v, uint64_t now)
{
	uint64_t next = V3_NO_DEADLINE;

	for (unsigned i = 0; i < v->nr_timers; i++) {
		void *priv = v->timers[i].priv;
		uint64_t d = v->timers[i].ops->deadline(v, priv);

		if (d <= now) {
			v->timers[i].ops->expire(v, now, priv);
			d = v->timers[i].ops->deadline(v, priv);
		}
		if (d < next)
			next = d;
	}
	v->timers_next = next;
	return next;
}

uint64_t v3_next_deadline(struct v3_vcpu *v, uint64_t now)
{
	if (__atomic_exchange_n(&v->timers_changed, false, __ATOMIC_SEQ_CST) ||
	    now >= v->timers_next)
		return v3_run_timers(v, now);
	return v->timers_next;
}

/* The flag first, then the kick: the vCPU looks at the flag after it
 * exits, and before every entry. */
void v3_timers_changed(struct v3_vcpu *v)
{
	__atomic_store_n(&v->timers_changed, true, __ATOMIC_SEQ_CST);
	v3_intr_kick(v);
}
