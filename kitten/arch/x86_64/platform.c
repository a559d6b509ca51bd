// SPDX-License-Identifier: GPL-2.0
/*
 * Platform set-up from the firmware tables: the boot CPU's APIC, the
 * IOAPICs with their overrides, and the list of CPUs to start.
 * TEMPORARY: a minimal MADT reader until drivers/acpi.c lands.
 */
#define pr_fmt(fmt) "platform: " fmt

#include <arch/apic.h>
#include <arch/bootinfo.h>
#include <arch/ioapic.h>
#include <arch/irq.h>
#include <arch/layout.h>
#include <arch/platform.h>
#include <arch/smp.h>
#include <kitten/cmdline.h>
#include <kitten/printk.h>
#include <kitten/string.h>

static uint32_t apic_ids[CONFIG_NR_CPUS];
static unsigned nr_apic_ids;

struct sdt {
	char sig[4];
	uint32_t length;
	uint8_t rev, csum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __packed;

static const struct sdt *find_madt(paddr_t rsdp_pa)
{
	const uint8_t *rsdp = __va(rsdp_pa);
	uint32_t rsdt_pa = *(const uint32_t *)(rsdp + 16);
	const struct sdt *rsdt = __va(rsdt_pa);
	unsigned n = (rsdt->length - sizeof(*rsdt)) / 4;
	const uint32_t *ptrs = (const uint32_t *)(rsdt + 1);

	for (unsigned i = 0; i < n; i++) {
		const struct sdt *t = __va(ptrs[i]);

		if (!memcmp(t->sig, "APIC", 4))
			return t;
	}
	return NULL;
}

static paddr_t find_rsdp(void)
{
	for (paddr_t p = 0xe0000; p < 0x100000; p += 16)
		if (!memcmp(__va(p), "RSD PTR ", 8))
			return p;
	return 0;
}

void platform_init(const struct boot_info *bi)
{
	paddr_t rsdp = bi->acpi_rsdp ? bi->acpi_rsdp : find_rsdp();
	const struct sdt *madt = rsdp ? find_madt(rsdp) : NULL;
	paddr_t lapic = 0;

	irq_init_isa_routes();
	pic_disable();
	if (madt) {
		const uint8_t *p = (const uint8_t *)(madt + 1) + 8;
		const uint8_t *end = (const uint8_t *)madt + madt->length;

		lapic = *(const uint32_t *)(madt + 1);
		while (p + 2 <= end && p[1] >= 2) {
			if (p[0] == 0 && (p[4] & 1) && nr_apic_ids < CONFIG_NR_CPUS)
				apic_ids[nr_apic_ids++] = p[3];
			p += p[1];
		}
	}
	apic_init(lapic, !cmdline_get(bi->cmdline, "nox2apic", NULL, 0));
	if (madt) {
		const uint8_t *p = (const uint8_t *)(madt + 1) + 8;
		const uint8_t *end = (const uint8_t *)madt + madt->length;

		while (p + 2 <= end && p[1] >= 2) {
			if (p[0] == 1)
				ioapic_add(p[2], *(const uint32_t *)(p + 4),
					   *(const uint32_t *)(p + 8));
			if (p[0] == 2) {
				uint16_t fl = *(const uint16_t *)(p + 8);

				irq_set_isa_override(p[3], *(const uint32_t *)(p + 4),
						     ((fl & 3) == 3 ? IOAPIC_ACTIVE_LOW : 0) |
						     (((fl >> 2) & 3) == 3 ? IOAPIC_LEVEL : 0));
			}
			p += p[1];
		}
	}
	smp_init_ipis();
	pr_info("%u CPUs in the MADT\n", nr_apic_ids);
}

void platform_start_cpus(void)
{
	smp_boot_cpus(apic_ids, nr_apic_ids);
}
