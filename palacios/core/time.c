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
	return next;
}
