// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel 8254 programmable interval timer at ports 0x40-0x43, clocked
 * at 1.193182 MHz, and system control port B at 0x61, which holds
 * channel 2's gate (bit 0) and speaker enable (bit 1) and reads back
 * channel 2's output (bit 5) and the refresh toggle (bit 4): guests time
 * their TSC by polling bit 5.
 *
 * A counter is not stepped: each channel remembers when it was loaded
 * (load_ns) and how many ticks it had counted before then (base, which
 * only gate pauses make non-zero), and derives its count and output from
 * the host clock on demand, in all six modes. Periodic modes thus cannot
 * drift: every edge is computed from the load time, never accumulated.
 *
 * Channel 0 raises IRQ 0 on each rising edge of its output. A timer on
 * vCPU 0 asks for the time of the next edge not yet signalled; when it
 * expires, all edges that passed collapse into one pulse, so a guest
 * that was descheduled for a long time gets one tick, not a flood.
 *
 * Simplifications: a count is loaded at the write, not on the next clock
 * edge; the first byte of a two-byte count does not halt mode 0; a new
 * count in mode 3 takes effect at the end of the period rather than of
 * the half period; mode 3 with an odd count reads as if decrementing by
 * two from the count itself. The speaker and the parity/channel check
 * enables of port 0x61 are stored but have no effect. Counts of 1 in
 * modes 2 and 3 (illegal per the datasheet) are reported and run as 2.
 */
#include <palacios/devices_legacy.h>
#include <palacios/vmm.h>

#define PIT_HZ		1193182ull
#define PIT_NS		1000000000ull
#define PIT_PORT	0x40	/* counters 0-2, then the control word */
#define PIT_PORT_B	0x61
#define PIT_REFRESH_NS	15085	/* port B bit 4 toggles at this period */
#define PIT_NONE	UINT64_MAX

#define PORT_B_GATE2	0x01
#define PORT_B_RW	0x0f	/* gate, speaker, parity and IOCHK enables */
#define PORT_B_REFRESH	0x10
#define PORT_B_OUT2	0x20

enum pit_report { PIT_REP_COUNT1 };

struct pit_channel {
	uint8_t ctrl;		/* control word bits 5-0: RW, mode, BCD */
	uint8_t mode;		/* 0-5 (6 and 7 are 2 and 3) */
	uint8_t rw;		/* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool gate;
	bool have_count;	/* a count was written since the control word */
	bool armed;		/* the counting element holds a count */
	bool running;		/* ... and the gate lets it count */
	bool null_count;	/* written but not yet loaded */
	bool write_msb, read_msb;	/* the byte flip-flops */
	uint8_t write_lsb;
	uint8_t latched;	/* count bytes latched, not yet read */
	bool status_latched;
	uint8_t status;
	uint16_t latch;
	uint16_t count_reg;	/* as written */
	uint32_t n;		/* the loaded count: 1-65536 (1-10000 in BCD) */
	uint64_t load_ns;
	uint64_t base;
	uint64_t next_edge;	/* next rising edge of OUT to signal, ticks */
	bool reload_pending;	/* modes 2, 3: new count at a period's end */
	uint64_t reload_at;	/* ... this tick */
};

struct pit {
	struct v3_vm *vm;
	void *lock;
	struct pit_channel ch[3];
	uint8_t port_b;
	uint32_t reported;
};

static void pit_report(struct pit *p, enum pit_report what, const char *msg)
{
	if (p->reported & (1u << what))
		return;
	p->reported |= 1u << what;
	VM_INFO(p->vm, "8254 PIT: %s", msg);
}

/* The first host time at which `ticks` have elapsed (rounded up). */
static uint64_t pit_ticks_ns(uint64_t ticks)
{
	return ticks / PIT_HZ * PIT_NS +
	       (ticks % PIT_HZ * PIT_NS + PIT_HZ - 1) / PIT_HZ;
}

static uint64_t pit_elapsed(const struct pit_channel *c, uint64_t now)
{
	if (!c->running || now <= c->load_ns)
		return c->base;
	return c->base + v3_ns_to_ticks(now - c->load_ns, PIT_HZ);
}

static uint32_t pit_modulus(const struct pit_channel *c)
{
	return c->ctrl & 1 ? 10000 : 65536;
}

static uint32_t pit_from_bcd(uint16_t v)
{
	return (v >> 12) * 1000 + (v >> 8 & 15) * 100 + (v >> 4 & 15) * 10 +
	       (v & 15);
}

static uint16_t pit_to_bcd(uint32_t v)
{
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 |
	       (v / 10 % 10) << 4 | v % 10;
}

/* The tick of the first rising edge of OUT after tick t, or PIT_NONE. */
static uint64_t pit_edge_after(const struct pit_channel *c, uint64_t t)
{
	switch (c->mode) {
	case 0:
	case 1:
		return t < c->n ? c->n : PIT_NONE;
	case 2:
	case 3:
		return (t / c->n + 1) * c->n;
	default:	/* 4, 5: the strobe ends one tick after zero */
		return t < c->n + 1ull ? c->n + 1ull : PIT_NONE;
	}
}

/* Load the count register into the counting element and start it. */
static void pit_load(struct pit *p, struct pit_channel *c, uint64_t now)
{
	uint32_t mod = pit_modulus(c);

	c->n = c->ctrl & 1 ? pit_from_bcd(c->count_reg) % mod : c->count_reg;
	if (!c->n)
		c->n = mod;
	if (c->n == 1 && (c->mode == 2 || c->mode == 3)) {
		pit_report(p, PIT_REP_COUNT1,
			   "count 1 is illegal in modes 2 and 3: using 2");
		c->n = 2;
	}
	c->armed = true;
	c->running = c->gate || c->mode == 1 || c->mode == 5;
	c->null_count = false;
	c->reload_pending = false;
	c->load_ns = now;
	c->base = 0;
	c->next_edge = pit_edge_after(c, 0);
}

/* Bring a channel up to now: apply a new periodic count whose time came. */
static void pit_sync(struct pit *p, struct pit_channel *c, uint64_t now)
{
	uint64_t at;
	bool undelivered;

	if (!c->reload_pending || pit_elapsed(c, now) < c->reload_at)
		return;
	at = c->load_ns + pit_ticks_ns(c->reload_at - c->base);
	undelivered = c->next_edge <= c->reload_at;
	pit_load(p, c, at);
	if (undelivered)	/* the old period's last edge, at tick 0 */
		c->next_edge = 0;
}

static bool pit_out(const struct pit_channel *c, uint64_t now)
{
	uint64_t t = pit_elapsed(c, now);

	if (!c->armed)
		return c->mode != 0;
	switch (c->mode) {
	case 0:
	case 1:
		return t >= c->n;
	case 2:
		return !c->running || t % c->n != c->n - 1;
	case 3:
		return !c->running || t % c->n < (c->n + 1) / 2;
	default:
		return t != c->n;
	}
}

static uint16_t pit_count(const struct pit_channel *c, uint64_t now)
{
	uint64_t t = pit_elapsed(c, now), ph;
	uint32_t mod = pit_modulus(c), v, half;

	if (!c->armed)
		return c->count_reg;	/* undefined; the last count written */
	switch (c->mode) {
	case 2:
		v = c->n - t % c->n;
		break;
	case 3:			/* counts down by two, each half period */
		ph = t % c->n;
		half = (c->n + 1) / 2;
		v = ph < half ? c->n - 2 * ph : (c->n & ~1u) - 2 * (ph - half);
		break;
	default:
		v = (c->n + mod - t % mod) % mod;
		break;
	}
	v %= mod;
	return c->ctrl & 1 ? pit_to_bcd(v) : v;
}

static uint8_t pit_status(const struct pit_channel *c, uint64_t now)
{
	return pit_out(c, now) << 7 | c->null_count << 6 | c->ctrl;
}

static void pit_latch_count(struct pit_channel *c, uint64_t now)
{
	if (c->latched)
		return;		/* the first latch holds until read */
	c->latch = pit_count(c, now);
	c->latched = c->rw == 3 ? 2 : 1;
}

static void pit_set_gate(struct pit *p, struct pit_channel *c, bool gate,
			 uint64_t now)
{
	pit_sync(p, c, now);
	if (gate == c->gate)
		return;
	c->gate = gate;
	if (!gate) {
		if (c->running && c->mode != 1 && c->mode != 5) {
			c->base = pit_elapsed(c, now);
			c->running = false;
		}
		return;
	}
	switch (c->mode) {
	case 0:
	case 4:			/* resume */
		if (c->armed) {
			c->running = true;
			c->load_ns = now;
		}
		break;
	case 2:
	case 3:			/* restart from the count */
		if (c->armed)
			pit_load(p, c, now);
		break;
	default:		/* 1, 5: trigger */
		if (c->have_count)
			pit_load(p, c, now);
		break;
	}
}

static void pit_control(struct pit *p, uint8_t val, uint64_t now)
{
	struct pit_channel *c;

	if (val >> 6 == 3) {	/* read-back: bit 5 !COUNT, bit 4 !STATUS */
		for (unsigned i = 0; i < 3; i++) {
			c = &p->ch[i];
			if (!(val & (2 << i)))
				continue;
			pit_sync(p, c, now);
			if (!(val & 0x20))
				pit_latch_count(c, now);
			if (!(val & 0x10) && !c->status_latched) {
				c->status = pit_status(c, now);
				c->status_latched = true;
			}
		}
		return;
	}
	c = &p->ch[val >> 6];
	pit_sync(p, c, now);
	if (!(val & 0x30)) {
		pit_latch_count(c, now);
		return;
	}
	/* A control word resets the channel: OUT to its initial state,
	 * no count until one is written. */
	c->ctrl = val & 0x3f;
	c->rw = val >> 4 & 3;
	c->mode = val >> 1 & 7;
	if (c->mode > 5)
		c->mode -= 4;
	c->have_count = c->armed = c->running = false;
	c->reload_pending = false;
	c->null_count = true;
	c->write_msb = c->read_msb = false;
	c->latched = 0;
	c->status_latched = false;
	c->base = 0;
	c->next_edge = PIT_NONE;
}

static void pit_write_count(struct pit *p, struct pit_channel *c, uint8_t val,
			    uint64_t now)
{
	pit_sync(p, c, now);
	if (c->rw == 3 && !c->write_msb) {
		c->write_lsb = val;
		c->write_msb = true;
		return;
	}
	if (c->rw == 3)
		c->count_reg = c->write_lsb | val << 8;
	else
		c->count_reg = c->rw == 1 ? val : val << 8;
	c->write_msb = false;
	c->have_count = true;
	c->null_count = true;
	switch (c->mode) {
	case 1:
	case 5:			/* loaded by the next trigger */
		break;
	case 2:
	case 3:
		if (c->running) {
			c->reload_pending = true;
			c->reload_at = (pit_elapsed(c, now) / c->n + 1) * c->n;
			break;
		}
		pit_load(p, c, now);
		break;
	default:
		pit_load(p, c, now);
		break;
	}
}

static uint8_t pit_read_counter(struct pit *p, struct pit_channel *c,
				uint64_t now)
{
	uint16_t v;
	uint8_t b;

	pit_sync(p, c, now);
	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latched) {
		v = c->latch;
		c->latched--;
	} else {
		v = pit_count(c, now);
	}
	if (c->rw != 3)
		return c->rw == 1 ? v & 0xff : v >> 8;
	b = c->read_msb ? v >> 8 : v & 0xff;
	c->read_msb = !c->read_msb;
	return b;
}

static uint8_t pit_port_b(struct pit *p, uint64_t now)
{
	return p->port_b | ((now / PIT_REFRESH_NS) & 1 ? PORT_B_REFRESH : 0) |
	       (pit_out(&p->ch[2], now) ? PORT_B_OUT2 : 0);
}

static int pit_io_in(struct v3_vcpu *v, uint16_t port, void *data,
		     unsigned size, void *priv)
{
	struct pit *p = priv;
	unsigned long flags = v3_host->lock(p->lock);
	uint64_t now = v3_host->time_ns();

	(void)v;
	for (unsigned i = 0; i < size; i++) {
		uint16_t at = port + i;
		uint8_t *b = (uint8_t *)data + i;

		if (at == PIT_PORT_B)
			*b = pit_port_b(p, now);
		else if (at >= PIT_PORT && at < PIT_PORT + 3)
			*b = pit_read_counter(p, &p->ch[at - PIT_PORT], now);
		else
			*b = 0xff;	/* the control word cannot be read */
	}
	v3_host->unlock(p->lock, flags);
	return 0;
}

static int pit_io_out(struct v3_vcpu *v, uint16_t port, const void *data,
		      unsigned size, void *priv)
{
	struct pit *p = priv;
	unsigned long flags = v3_host->lock(p->lock);
	uint64_t now = v3_host->time_ns();
	bool ch0 = false;

	(void)v;
	for (unsigned i = 0; i < size; i++) {
		uint16_t at = port + i;
		uint8_t b = ((const uint8_t *)data)[i];

		if (at == PIT_PORT_B) {
			p->port_b = b & PORT_B_RW;
			pit_set_gate(p, &p->ch[2], b & PORT_B_GATE2, now);
		} else if (at == PIT_PORT + 3) {
			pit_control(p, b, now);
			ch0 |= b >> 6 == 0;
		} else if (at >= PIT_PORT && at < PIT_PORT + 3) {
			pit_write_count(p, &p->ch[at - PIT_PORT], b, now);
			ch0 |= at == PIT_PORT;
		}
	}
	v3_host->unlock(p->lock, flags);
	if (ch0)
		v3_timers_changed(p->vm->vcpus[0]);
	return 0;
}

static uint64_t pit_deadline(struct v3_vcpu *v, void *priv)
{
	struct pit *p = priv;
	struct pit_channel *c = &p->ch[0];
	unsigned long flags = v3_host->lock(p->lock);
	uint64_t edge, when = V3_NO_DEADLINE;

	(void)v;
	pit_sync(p, c, v3_host->time_ns());
	edge = c->next_edge;
	if (c->reload_pending && c->reload_at < edge)
		edge = c->reload_at;	/* the new count's edges start there */
	if (c->running && edge != PIT_NONE)
		when = c->load_ns +
		       (edge > c->base ? pit_ticks_ns(edge - c->base) : 0);
	v3_host->unlock(p->lock, flags);
	return when;
}

static void pit_expire(struct v3_vcpu *v, uint64_t now, void *priv)
{
	struct pit *p = priv;
	struct pit_channel *c = &p->ch[0];
	unsigned long flags = v3_host->lock(p->lock);
	uint64_t t;
	bool pulse = false;

	(void)v;
	pit_sync(p, c, now);
	t = pit_elapsed(c, now);
	if (c->running && c->next_edge != PIT_NONE && t >= c->next_edge) {
		/* All edges up to now become this one pulse. */
		c->next_edge = pit_edge_after(c, t);
		pulse = true;
	}
	v3_host->unlock(p->lock, flags);
	if (pulse)
		v3_irq_pulse(p->vm, 0);
}

static const struct v3_timer_ops pit_timer_ops = { pit_deadline, pit_expire };

static void pit_free(void *priv)
{
	struct pit *p = priv;

	v3_host->lock_free(p->lock);
	v3_free(p);
}

static int pit_create(struct v3_vm *vm, void **priv)
{
	struct pit *p;
	int ret;

	if (!vm->nr_vcpus)
		return -V3_EINVAL;
	p = v3_zalloc(sizeof(*p));
	if (!p)
		return -V3_ENOMEM;
	p->lock = v3_host->lock_create("pit", V3_LOCK_DEVICE);
	if (!p->lock) {
		v3_free(p);
		return -V3_ENOMEM;
	}
	p->vm = vm;
	/* Idle until programmed; channels 0 and 1 have their gates high. */
	for (unsigned i = 0; i < 3; i++) {
		p->ch[i].ctrl = 0x30;
		p->ch[i].rw = 3;
		p->ch[i].gate = i < 2;
		p->ch[i].next_edge = PIT_NONE;
	}
	ret = v3_hook_io(vm, PIT_PORT, PIT_PORT + 3, pit_io_in, pit_io_out, p);
	if (!ret)
		ret = v3_hook_io(vm, PIT_PORT_B, PIT_PORT_B, pit_io_in,
				 pit_io_out, p);
	if (!ret)
		ret = v3_register_timer(vm->vcpus[0], &pit_timer_ops, p);
	if (ret) {
		pit_free(p);
		return ret;
	}
	*priv = p;
	return 0;
}

const struct v3_device_type v3_dev_pit = {
	.name = "pit",
	.create = pit_create,
	.free = pit_free,
};
