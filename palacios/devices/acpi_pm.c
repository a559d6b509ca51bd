// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI power-management block the FADT points at (core/acpi_tables.c):
 * PM1a event (status and enable) at 0x600, PM1a control at 0x604 and the
 * PM timer at 0x608. The machine is always in ACPI mode (SCI_EN reads 1)
 * and raises no events, so no SCI is ever sent; what the guest uses this
 * block for is the timer, a 24-bit counter at 3.579545 MHz, and the
 * power-off: writing SLP_TYP 5 (the DSDT's \_S5) with SLP_EN stops the VM
 * as a clean exit.
 */
#include <palacios/device.h>
#include <palacios/timer.h>
#include <palacios/vmm.h>

#define PM_BASE		0x600
#define PM_LAST		0x60b
#define PM1_STS		0x600
#define PM1_EN		0x602
#define PM1_CNT		0x604
#define PM_TMR		0x608
#define PM_TMR_HZ	3579545ull

#define CNT_SCI_EN	(1u << 0)
#define CNT_SLP_TYP(v)	(((v) >> 10) & 7)
#define CNT_SLP_EN	(1u << 13)
#define SLP_TYP_S5	5

struct acpi_pm {
	uint16_t status, enable, control;
	uint64_t start_ns;
	bool reported;
};

static uint32_t pm_read(struct acpi_pm *pm, unsigned off)
{
	switch (off) {
	case PM1_STS:
		return pm->status;
	case PM1_EN:
		return pm->enable;
	case PM1_CNT:
		return pm->control | CNT_SCI_EN;
	case PM_TMR:
		return v3_ns_to_ticks(v3_host->time_ns() - pm->start_ns,
				      PM_TMR_HZ) & 0xffffff;
	default:
		return 0;
	}
}

static int pm_in(struct v3_vcpu *v, uint16_t port, void *data, unsigned size,
		 void *priv)
{
	/* Registers are 16 bits (the timer 32) and read at their start. */
	uint32_t val = pm_read(priv, port & ~1u) >> (port & 1 ? 8 : 0);

	(void)v;
	if (port >= PM_TMR)
		val = pm_read(priv, PM_TMR) >> (8 * (port - PM_TMR));
	v3_memcpy(data, &val, size);
	return 0;
}

static int pm_out(struct v3_vcpu *v, uint16_t port, const void *data,
		  unsigned size, void *priv)
{
	struct acpi_pm *pm = priv;
	uint32_t val = 0;

	v3_memcpy(&val, data, size);
	switch (port) {
	case PM1_STS:
		pm->status &= ~val;	/* write one to clear */
		return 0;
	case PM1_EN:
		pm->enable = val;
		return 0;
	case PM1_CNT:
		pm->control = val & ~CNT_SLP_EN;
		if (!(val & CNT_SLP_EN))
			return 0;
		if (CNT_SLP_TYP(val) == SLP_TYP_S5) {
			v->vm->exit_status = 0;
			v3_vm_stop_fmt(v->vm, "guest powered off (ACPI S5)");
			return -V3_EIO;
		}
		VCPU_INFO(v, "ACPI sleep state %u requested: not supported",
			  CNT_SLP_TYP(val));
		return 0;
	default:
		if (!pm->reported) {
			pm->reported = true;
			VCPU_INFO(v, "ACPI PM: write to read-only or unknown port 0x%x",
				  port);
		}
		return 0;
	}
}

static void acpi_pm_free(void *priv)
{
	v3_free(priv);
}

static int acpi_pm_create(struct v3_vm *vm, void **priv)
{
	struct acpi_pm *pm = v3_zalloc(sizeof(*pm));
	int ret;

	if (!pm)
		return -V3_ENOMEM;
	pm->start_ns = v3_host->time_ns();
	ret = v3_hook_io(vm, PM_BASE, PM_LAST, pm_in, pm_out, pm);
	if (ret) {
		v3_free(pm);
		return ret;
	}
	*priv = pm;
	return 0;
}

const struct v3_device_type v3_dev_acpi_pm = {
	.name = "acpi-pm",
	.create = acpi_pm_create,
	.free = acpi_pm_free,
};
