// SPDX-License-Identifier: GPL-2.0
/*
 * The local APICs through the fixture: registers, priorities, EOI, the
 * timer, IPIs between vCPUs, INIT/SIPI, the APIC base MSR, and a guest
 * writing garbage everywhere.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_apic.h>

enum {
	ID = 0x20, VER = 0x30, TPR = 0x80, APR = 0x90, PPR = 0xa0, EOI = 0xb0,
	LDR = 0xd0, DFR = 0xe0, SVR = 0xf0, ISR = 0x100, TMR = 0x180,
	IRR = 0x200, ESR = 0x280, ICR_LO = 0x300, ICR_HI = 0x310,
	LVT_TIMER = 0x320, LVT_LINT0 = 0x350, LVT_LINT1 = 0x360,
	LVT_ERROR = 0x370, INITIAL = 0x380, CURRENT = 0x390, DIVIDE = 0x3e0,
};

#define MASKED		0x10000u
#define PERIODIC	0x20000u

/* The guest's accesses, from a chosen vCPU (each sees its own APIC). */
static uint64_t mmio(struct v3_vm *vm, unsigned cpu, unsigned off, unsigned len)
{
	const struct v3_mem_region *r = v3_mem_find(&vm->mem, V3_LAPIC_BASE);
	uint64_t val = 0;

	assert_non_null(r);
	assert_int_equal(r->ops->read(vm->vcpus[cpu], V3_LAPIC_BASE + off, &val,
				      len, r->priv), 0);
	return val;
}

static uint32_t rd(struct v3_vm *vm, unsigned cpu, unsigned reg)
{
	return mmio(vm, cpu, reg, 4);
}

static void wr_len(struct v3_vm *vm, unsigned cpu, unsigned off, uint64_t val,
		   unsigned len)
{
	const struct v3_mem_region *r = v3_mem_find(&vm->mem, V3_LAPIC_BASE);

	assert_int_equal(r->ops->write(vm->vcpus[cpu], V3_LAPIC_BASE + off,
				       &val, len, r->priv), 0);
}

static void wr(struct v3_vm *vm, unsigned cpu, unsigned reg, uint32_t val)
{
	wr_len(vm, cpu, reg, val, 4);
}

static uint64_t msr_rd(struct v3_vm *vm, unsigned cpu)
{
	const struct v3_msr_hook *h = v3_find_msr_hook(&vm->hooks, 0x1b);
	uint64_t val;

	assert_non_null(h);
	assert_int_equal(h->read(vm->vcpus[cpu], 0x1b, &val, h->priv), 0);
	return val;
}

static int msr_wr(struct v3_vm *vm, unsigned cpu, uint64_t val)
{
	const struct v3_msr_hook *h = v3_find_msr_hook(&vm->hooks, 0x1b);

	return h->write(vm->vcpus[cpu], 0x1b, val, h->priv);
}

static bool reg_bit(struct v3_vm *vm, unsigned cpu, unsigned reg, uint8_t vec)
{
	return rd(vm, cpu, reg + (vec / 32) * 0x10) & (1u << (vec % 32));
}

static struct v3_vm *vm_with_apics(unsigned n)
{
	struct v3_vm *vm = fx_vm_create(n);

	fx_now = 0;
	fx_device(vm, &v3_dev_lapic);
	for (unsigned i = 0; i < n; i++)
		wr(vm, i, SVR, 0x1ff);	/* software-enable, spurious 0xff */
	return vm;
}

static int send_fixed(struct v3_vm *vm, unsigned dest, uint8_t vector,
		      bool level)
{
	struct v3_apic_msg m = {
		.dest = dest, .vector = vector, .delivery = V3_APIC_FIXED,
		.level_trigger = level, .source_vcpu = -1,
	};

	return v3_apic_send(vm, &m);
}

static uint8_t eoi_seen[16];
static unsigned nr_eoi_seen;

static void record_eoi(struct v3_vm *vm, uint8_t vector, void *priv)
{
	(void)vm, (void)priv;
	if (nr_eoi_seen < sizeof(eoi_seen))
		eoi_seen[nr_eoi_seen] = vector;
	nr_eoi_seen++;
}

static const struct v3_eoi_listener_ops eoi_recorder = { .eoi = record_eoi };

static void test_reset_state(void **state)
{
	struct v3_vm *vm = fx_vm_create(4);

	(void)state;
	fx_device(vm, &v3_dev_lapic);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(rd(vm, i, ID), i << 24);
		assert_int_equal(rd(vm, i, VER), 0x50014);
		assert_int_equal(rd(vm, i, DFR), 0xffffffff);
		assert_int_equal(rd(vm, i, SVR), 0xff);
		assert_int_equal(rd(vm, i, TPR), 0);
		assert_int_equal(rd(vm, i, PPR), 0);
		for (unsigned r = LVT_TIMER; r <= LVT_ERROR; r += 0x10)
			assert_int_equal(rd(vm, i, r), MASKED);
	}
	assert_int_equal(msr_rd(vm, 0), 0xfee00900);
	assert_int_equal(msr_rd(vm, 3), 0xfee00800);
	fx_vm_free(vm);
}

static void test_register_masks(void **state)
{
	struct v3_vm *vm = vm_with_apics(1);

	(void)state;
	wr(vm, 0, TPR, 0x1ff);
	assert_int_equal(rd(vm, 0, TPR), 0xff);
	wr(vm, 0, TPR, 0);
	wr(vm, 0, LDR, 0x12345678);
	assert_int_equal(rd(vm, 0, LDR), 0x12000000);
	wr(vm, 0, DFR, 0);
	assert_int_equal(rd(vm, 0, DFR), 0x0fffffff);
	wr(vm, 0, ICR_HI, 0xffffffff);
	assert_int_equal(rd(vm, 0, ICR_HI), 0xff000000);
	wr(vm, 0, DIVIDE, 0xffffffff);
	assert_int_equal(rd(vm, 0, DIVIDE), 0xb);
	wr(vm, 0, LVT_TIMER, 0xffffffff);	/* TSC-deadline bit dropped */
	assert_int_equal(rd(vm, 0, LVT_TIMER), 0x300ff);
	wr(vm, 0, LVT_LINT0, 0xffffffff);
	assert_int_equal(rd(vm, 0, LVT_LINT0), 0x1a7ff);
	wr(vm, 0, LVT_ERROR, 0xffffffff);
	assert_int_equal(rd(vm, 0, LVT_ERROR), 0x100ff);

	/* Read-only registers keep their values. */
	wr(vm, 0, ID, 0x05000000);
	wr(vm, 0, VER, 0);
	wr(vm, 0, PPR, 0xff);
	wr(vm, 0, ISR, 0xffffffff);
	assert_int_equal(rd(vm, 0, ID), 0);
	assert_int_equal(rd(vm, 0, VER), 0x50014);
	assert_int_equal(rd(vm, 0, PPR), 0);
	assert_int_equal(rd(vm, 0, ISR), 0);

	/* Software disable masks every LVT entry and keeps them masked. */
	wr(vm, 0, LVT_LINT1, 0x400);
	assert_int_equal(rd(vm, 0, LVT_LINT1), 0x400);
	wr(vm, 0, SVR, 0xffffffff & ~0x100u);
	assert_int_equal(rd(vm, 0, SVR), 0x2ff);
	assert_int_equal(rd(vm, 0, LVT_LINT1), 0x10400);
	wr(vm, 0, LVT_LINT1, 0x400);
	assert_int_equal(rd(vm, 0, LVT_LINT1), 0x10400);

	/* Partial reads see the register's bytes; reserved bytes are 0. */
	assert_int_equal(mmio(vm, 0, VER, 1), 0x14);
	assert_int_equal(mmio(vm, 0, VER + 2, 2), 0x5);
	assert_int_equal(mmio(vm, 0, VER, 8), 0x50014);
	assert_int_equal(mmio(vm, 0, VER + 4, 4), 0);
	/* Writes other than aligned 32-bit ones are refused. */
	wr(vm, 0, TPR, 0x20);
	wr_len(vm, 0, TPR, 0x30, 1);
	wr_len(vm, 0, TPR + 1, 0x30, 4);
	assert_int_equal(rd(vm, 0, TPR), 0x20);
	fx_vm_free(vm);
}

static void test_errors(void **state)
{
	struct v3_vm *vm = vm_with_apics(1);

	(void)state;
	/* An unimplemented register: illegal register address, bit 7. */
	assert_int_equal(rd(vm, 0, 0x40), 0);
	wr(vm, 0, 0x2f0, 1);
	wr(vm, 0, ESR, 0);
	assert_int_equal(rd(vm, 0, ESR), 0x80);
	wr(vm, 0, ESR, 0);
	assert_int_equal(rd(vm, 0, ESR), 0);

	/* Received illegal vector, with an error interrupt. */
	wr(vm, 0, LVT_ERROR, 0xee);
	assert_int_equal(send_fixed(vm, 0, 3, false), 0);
	assert_int_equal(fx_take_vector(vm, 0), 0xee);
	wr(vm, 0, EOI, 0);
	wr(vm, 0, ESR, 0);
	assert_int_equal(rd(vm, 0, ESR), 0x40);

	/* Sent illegal vector: only the sender's error interrupt. */
	wr(vm, 0, ICR_LO, 0x40000 | 0x0e);	/* self */
	assert_int_equal(fx_take_vector(vm, 0), 0xee);
	wr(vm, 0, EOI, 0);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	wr(vm, 0, ESR, 0);
	assert_int_equal(rd(vm, 0, ESR), 0x20);

	/* An error vector that is itself illegal does not loop. */
	wr(vm, 0, LVT_ERROR, 0x02);
	wr(vm, 0, 0x40, 0);
	wr(vm, 0, ESR, 0);
	assert_int_equal(rd(vm, 0, ESR), 0xc0);
	fx_vm_free(vm);
}

static void test_software_disabled(void **state)
{
	struct v3_vm *vm = vm_with_apics(1);

	(void)state;
	wr(vm, 0, SVR, 0xff);
	assert_int_equal(send_fixed(vm, 0, 0x40, false), -V3_ENOENT);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	wr(vm, 0, SVR, 0x1ff);
	assert_int_equal(send_fixed(vm, 0, 0x40, false), 0);
	/* Disabled again: the request is held, not delivered. */
	wr(vm, 0, SVR, 0xff);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	assert_true(reg_bit(vm, 0, IRR, 0x40));
	wr(vm, 0, SVR, 0x1ff);
	assert_int_equal(fx_take_vector(vm, 0), 0x40);
	fx_vm_free(vm);
}

static void test_priority(void **state)
{
	struct v3_vm *vm = vm_with_apics(1);

	(void)state;
	send_fixed(vm, 0, 0x45, false);
	wr(vm, 0, TPR, 0x50);
	assert_int_equal(rd(vm, 0, PPR), 0x50);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	wr(vm, 0, TPR, 0x4f);	/* same class: still blocked */
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	assert_int_equal(rd(vm, 0, APR), 0x4f);
	wr(vm, 0, TPR, 0x3f);
	assert_int_equal(rd(vm, 0, APR), 0x40);
	assert_int_equal(fx_take_vector(vm, 0), 0x45);
	/* In service: PPR is the class in service, above the TPR. */
	assert_int_equal(rd(vm, 0, PPR), 0x40);
	assert_true(reg_bit(vm, 0, ISR, 0x45));
	assert_false(reg_bit(vm, 0, IRR, 0x45));
	wr(vm, 0, EOI, 0);
	assert_false(reg_bit(vm, 0, ISR, 0x45));
	assert_int_equal(rd(vm, 0, PPR), 0x3f);
	fx_vm_free(vm);
}

static void test_nested(void **state)
{
	struct v3_vm *vm = vm_with_apics(1);

	(void)state;
	send_fixed(vm, 0, 0x30, false);
	send_fixed(vm, 0, 0x50, false);
	send_fixed(vm, 0, 0x40, false);
	assert_int_equal(rd(vm, 0, IRR + 0x20), 0x10001);	/* 0x40, 0x50 */
	assert_int_equal(fx_take_vector(vm, 0), 0x50);
	assert_int_equal(fx_pending_vector(vm, 0), -1);	/* 0x40 below 0x50 */
	send_fixed(vm, 0, 0x60, false);
	assert_int_equal(fx_take_vector(vm, 0), 0x60);	/* nests */
	assert_int_equal(rd(vm, 0, PPR), 0x60);
	wr(vm, 0, EOI, 0);				/* retires 0x60 */
	assert_true(reg_bit(vm, 0, ISR, 0x50));
	assert_false(reg_bit(vm, 0, ISR, 0x60));
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	wr(vm, 0, EOI, 0);				/* retires 0x50 */
	assert_int_equal(fx_take_vector(vm, 0), 0x40);
	wr(vm, 0, EOI, 0);
	assert_int_equal(fx_take_vector(vm, 0), 0x30);
	wr(vm, 0, EOI, 0);
	wr(vm, 0, EOI, 0);				/* nothing in service */
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	assert_int_equal(rd(vm, 0, PPR), 0);
	fx_vm_free(vm);
}

static void test_level_eoi_broadcast(void **state)
{
	struct v3_vm *vm = vm_with_apics(1);

	(void)state;
	nr_eoi_seen = 0;
	assert_int_equal(v3_register_eoi_listener(vm, &eoi_recorder, NULL), 0);
	send_fixed(vm, 0, 0x71, false);
	send_fixed(vm, 0, 0x70, true);
	assert_true(reg_bit(vm, 0, TMR, 0x70));
	assert_false(reg_bit(vm, 0, TMR, 0x71));
	assert_int_equal(fx_take_vector(vm, 0), 0x71);
	wr(vm, 0, EOI, 0);
	assert_int_equal(nr_eoi_seen, 0);	/* edge: not broadcast */
	assert_int_equal(fx_take_vector(vm, 0), 0x70);
	wr(vm, 0, EOI, 0);
	assert_int_equal(nr_eoi_seen, 1);
	assert_int_equal(eoi_seen[0], 0x70);
	fx_vm_free(vm);
}

static void test_timer_one_shot(void **state)
{
	struct v3_vm *vm = vm_with_apics(1);

	(void)state;
	fx_now = 1000;
	wr(vm, 0, LVT_TIMER, 0x40);
	wr(vm, 0, DIVIDE, 0);			/* divide by 2 */
	wr(vm, 0, INITIAL, 1000);		/* 2000 ns at 1 GHz */
	assert_int_equal(rd(vm, 0, CURRENT), 1000);
	assert_int_equal(fx_run_timers(vm, 0), 3000);
	fx_now = 2000;
	assert_int_equal(rd(vm, 0, CURRENT), 500);
	fx_now = 2999;
	assert_int_equal(rd(vm, 0, CURRENT), 1);
	assert_int_equal(fx_run_timers(vm, 0), 3000);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	fx_now = 3000;
	assert_int_equal(rd(vm, 0, CURRENT), 0);
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	assert_int_equal(fx_take_vector(vm, 0), 0x40);
	wr(vm, 0, EOI, 0);
	assert_int_equal(rd(vm, 0, CURRENT), 0);

	/* The other dividers: 128 (1010b) and 1 (1011b). */
	wr(vm, 0, DIVIDE, 0xa);
	wr(vm, 0, INITIAL, 10);
	assert_int_equal(fx_run_timers(vm, 0), 3000 + 1280);
	fx_now += 129;
	assert_int_equal(rd(vm, 0, CURRENT), 9);
	wr(vm, 0, DIVIDE, 0xb);
	wr(vm, 0, INITIAL, 7);
	assert_int_equal(fx_run_timers(vm, 0), fx_now + 7);
	/* Initial count 0 stops it. */
	wr(vm, 0, INITIAL, 0);
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	assert_int_equal(rd(vm, 0, CURRENT), 0);

	/* Masked: counts down and expires without an interrupt. */
	wr(vm, 0, LVT_TIMER, MASKED | 0x41);
	wr(vm, 0, INITIAL, 5);
	fx_now += 5;
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	fx_vm_free(vm);
}

static void test_timer_periodic(void **state)
{
	struct v3_vm *vm = vm_with_apics(1);

	(void)state;
	wr(vm, 0, LVT_TIMER, PERIODIC | 0x50);
	wr(vm, 0, DIVIDE, 0xb);
	wr(vm, 0, INITIAL, 1000);
	assert_int_equal(fx_run_timers(vm, 0), 1000);
	fx_now = 1000;
	assert_int_equal(fx_run_timers(vm, 0), 2000);
	assert_int_equal(fx_take_vector(vm, 0), 0x50);
	wr(vm, 0, EOI, 0);

	/* Serviced late: the next period still ends on the grid. */
	fx_now = 2600;
	assert_int_equal(rd(vm, 0, CURRENT), 400);
	assert_int_equal(fx_run_timers(vm, 0), 3000);
	assert_int_equal(fx_take_vector(vm, 0), 0x50);
	wr(vm, 0, EOI, 0);
	assert_int_equal(rd(vm, 0, CURRENT), 400);

	/* Seven periods missed: one interrupt, back on the grid. */
	fx_now = 10500;
	assert_int_equal(fx_run_timers(vm, 0), 11000);
	assert_int_equal(fx_take_vector(vm, 0), 0x50);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	wr(vm, 0, EOI, 0);
	fx_now = 10700;
	assert_int_equal(rd(vm, 0, CURRENT), 300);

	/* A thousand periods later, still on the grid. */
	for (unsigned i = 0; i < 1000; i++) {
		fx_now = 11000 + i * 1000 + (i * 37) % 999;
		assert_int_equal(fx_run_timers(vm, 0), 12000 + i * 1000);
		assert_int_equal(fx_take_vector(vm, 0), 0x50);
		wr(vm, 0, EOI, 0);
	}

	/* Masked, it keeps counting; one-shot again, it stops after one. */
	wr(vm, 0, LVT_TIMER, MASKED | PERIODIC | 0x50);
	fx_now = 1011000;
	assert_int_equal(fx_run_timers(vm, 0), 1012000);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	wr(vm, 0, LVT_TIMER, 0x50);
	fx_now = 1012000;
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	assert_int_equal(fx_take_vector(vm, 0), 0x50);
	fx_vm_free(vm);
}

static void expect_pending(struct v3_vm *vm, unsigned n, uint8_t vector,
			   unsigned cpus)
{
	for (unsigned i = 0; i < n; i++) {
		if (cpus & (1u << i)) {
			assert_int_equal(fx_take_vector(vm, i), vector);
			wr(vm, i, EOI, 0);
		}
		assert_int_equal(fx_pending_vector(vm, i), -1);
	}
}

static void ipi(struct v3_vm *vm, unsigned from, uint8_t dest, uint32_t lo)
{
	wr(vm, from, ICR_HI, (uint32_t)dest << 24);
	wr(vm, from, ICR_LO, lo);
	assert_int_equal(rd(vm, from, ICR_LO), lo);	/* delivered: idle */
}

static void test_ipi_destinations(void **state)
{
	struct v3_vm *vm = vm_with_apics(4);

	(void)state;
	ipi(vm, 0, 2, 0x41);				/* physical */
	expect_pending(vm, 4, 0x41, 1u << 2);
	ipi(vm, 3, 0xff, 0x42);				/* physical broadcast */
	expect_pending(vm, 4, 0x42, 0xf);
	ipi(vm, 0, 7, 0x43);				/* nobody */
	expect_pending(vm, 4, 0x43, 0);

	for (unsigned i = 0; i < 4; i++)		/* flat: one bit each */
		wr(vm, i, LDR, 1u << (24 + i));
	ipi(vm, 1, 0x05, 0x800 | 0x44);
	expect_pending(vm, 4, 0x44, 0x5);
	ipi(vm, 1, 0x0e, 0x800 | 0x100 | 0x45);		/* lowest: lowest id */
	expect_pending(vm, 4, 0x45, 1u << 1);

	for (unsigned i = 0; i < 4; i++) {		/* clusters 1 and 2 */
		wr(vm, i, DFR, 0x0fffffff);
		wr(vm, i, LDR, ((0x10u << (i / 2)) | (1u << (i % 2))) << 24);
	}
	ipi(vm, 0, 0x13, 0x800 | 0x46);
	expect_pending(vm, 4, 0x46, 0x3);
	ipi(vm, 0, 0x22, 0x800 | 0x47);
	expect_pending(vm, 4, 0x47, 1u << 3);
	ipi(vm, 0, 0xff, 0x800 | 0x48);			/* logical broadcast */
	expect_pending(vm, 4, 0x48, 0xf);

	ipi(vm, 1, 3, 0x40000 | 0x49);			/* self */
	expect_pending(vm, 4, 0x49, 1u << 1);
	ipi(vm, 1, 3, 0x80000 | 0x4a);			/* all */
	expect_pending(vm, 4, 0x4a, 0xf);
	ipi(vm, 3, 3, 0xc0000 | 0x4b);			/* all but self */
	expect_pending(vm, 4, 0x4b, 0x7);

	/* NMI and SMI are not modelled: nothing arrives. */
	ipi(vm, 0, 1, 0x400 | 0x4c);
	ipi(vm, 0, 1, 0x200);
	expect_pending(vm, 4, 0, 0);
	fx_vm_free(vm);
}

static void test_init_sipi(void **state)
{
	struct v3_vm *vm = vm_with_apics(2);
	struct v3_vcpu *ap = vm->vcpus[1];

	(void)state;
	wr(vm, 1, TPR, 0x20);
	ipi(vm, 0, 1, 0x4600 | 0x9f);		/* SIPI before INIT: ignored */
	assert_int_equal(ap->sipi_vector, -1);
	ipi(vm, 0, 1, 0x8500);			/* INIT de-assert: ignored */
	assert_int_equal(ap->sipi_vector, -1);
	assert_int_equal(rd(vm, 1, TPR), 0x20);
	ipi(vm, 0, 1, 0xc500);			/* INIT assert */
	assert_int_equal(ap->sipi_vector, -2);
	assert_int_equal(rd(vm, 1, TPR), 0);	/* INIT reset the APIC */
	assert_int_equal(rd(vm, 1, SVR), 0xff);
	assert_int_equal(rd(vm, 1, ID), 1u << 24);
	assert_int_equal(vm->vcpus[0]->sipi_vector, -1);
	ipi(vm, 0, 1, 0x4600 | 0x9f);
	assert_int_equal(ap->sipi_vector, 0x9f);
	ipi(vm, 0, 1, 0x4600 | 0x10);		/* a second SIPI: ignored */
	assert_int_equal(ap->sipi_vector, 0x9f);

	/* The usual broadcast form reaches a software-disabled APIC. */
	ap->sipi_vector = -1;
	ipi(vm, 0, 0, 0xc0000 | 0xc500);
	assert_int_equal(ap->sipi_vector, -2);
	ipi(vm, 0, 0, 0xc0000 | 0x4600 | 0x08);
	assert_int_equal(ap->sipi_vector, 0x08);
	assert_int_equal(vm->vcpus[0]->sipi_vector, -1);
	fx_vm_free(vm);
}

static void test_apic_base_msr(void **state)
{
	struct v3_vm *vm = vm_with_apics(2);

	(void)state;
	wr(vm, 1, TPR, 0x30);
	assert_int_equal(msr_wr(vm, 1, 0xfee00000), 0);	/* disable */
	assert_int_equal(msr_rd(vm, 1), 0xfee00000);
	assert_int_equal(rd(vm, 1, VER), 0xffffffff);
	wr(vm, 1, TPR, 0x40);
	assert_int_equal(send_fixed(vm, 1, 0x40, false), -V3_ENOENT);
	assert_int_equal(msr_wr(vm, 1, 0xfee00800), 0);	/* enable: reset */
	assert_int_equal(rd(vm, 1, TPR), 0);
	assert_int_equal(rd(vm, 1, SVR), 0xff);
	assert_int_equal(rd(vm, 0, SVR), 0x1ff);	/* vCPU 0's own */

	assert_int_equal(msr_wr(vm, 0, 0xfed00900), 0);	/* relocation */
	assert_int_equal(msr_rd(vm, 0), 0xfee00900);
	assert_int_equal(msr_wr(vm, 0, 0xfee00d00), -V3_EINVAL); /* x2APIC */
	assert_int_equal(msr_wr(vm, 0, 0xfee00901), -V3_EINVAL); /* reserved */
	assert_int_equal(msr_rd(vm, 0), 0xfee00900);
	fx_vm_free(vm);
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Registers the model knows, to aim most garbage where it matters. */
static const unsigned known[] = {
	ID, VER, TPR, APR, PPR, EOI, 0xc0, LDR, DFR, SVR, ISR, TMR + 0x70,
	IRR + 0x30, ESR, ICR_LO, ICR_HI, LVT_TIMER, 0x330, 0x340, LVT_LINT0,
	LVT_LINT1, LVT_ERROR, INITIAL, CURRENT, DIVIDE,
};
#define NR_KNOWN (sizeof(known) / sizeof(known[0]))

static void test_garbage(void **state)
{
	struct v3_vm *vm = vm_with_apics(4);
	static const unsigned sizes[] = { 1, 2, 4, 8 };

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ull;
	for (unsigned n = 0; n < 50000; n++) {
		unsigned cpu = rng() % 4, op = rng() % 16;
		unsigned len = sizes[rng() % 4];
		unsigned off = op < 8 ? known[rng() % NR_KNOWN] :
					rng() % (4096 - 8);
		uint64_t val = rng();

		if (op < 10) {
			wr_len(vm, cpu, off, val, op < 8 ? 4 : len);
		} else if (op < 12) {
			mmio(vm, cpu, off, len);
		} else if (op == 12) {
			static const uint64_t base[] = {
				0xfee00800, 0xfee00800, 0xfee00800, 0xfee00000,
			};

			msr_wr(vm, cpu, val % 5 ? base[val % 4] : val);
		} else if (op == 13) {
			struct v3_apic_msg m = {
				.dest = val >> 8, .logical = val & 1,
				.broadcast = val & 2, .vector = val >> 16,
				.delivery = (val >> 24) % 8,
				.level_trigger = val & 4,
				.source_vcpu = (int)((val >> 32) % 6) - 1,
				.shorthand = val >> 40,
			};

			v3_apic_send(vm, &m);
		} else if (op == 14) {
			fx_now += rng() % 5000;
			fx_run_timers(vm, cpu);
		} else {
			fx_take_vector(vm, cpu);
		}
	}
	for (unsigned i = 0; i < 4; i++) {
		msr_wr(vm, i, 0xfee00800);
		assert_int_equal(rd(vm, i, ID), i << 24);
		assert_int_equal(rd(vm, i, VER), 0x50014);
	}
	assert_string_equal(fx_stop_reason(vm), "");
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_register_masks),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_software_disabled),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_level_eoi_broadcast),
		cmocka_unit_test(test_timer_one_shot),
		cmocka_unit_test(test_timer_periodic),
		cmocka_unit_test(test_ipi_destinations),
		cmocka_unit_test(test_init_sipi),
		cmocka_unit_test(test_apic_base_msr),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
