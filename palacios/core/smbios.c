// SPDX-License-Identifier: GPL-2.0
/*
 * SMBIOS (DMI) tables, where a PC BIOS leaves them (an entry point on a
 * 16-byte boundary in 0xF0000-0xFFFFF), so the guest can tell what
 * machine it runs on: a BIOS information structure (type 0), a system
 * information structure (type 1) and the end marker. SMBIOS 2.8 layout.
 */
#include <palacios/vmm.h>

#define SMBIOS_ENTRY	0xf0000
#define SMBIOS_TABLES	0xf0100

/* Each structure: its formatted part, then its strings, then "\0". */
static const uint8_t tables[] = {
	/* Type 0, BIOS: vendor 1, version 2, segment 0xe800, date 3. */
	0, 0x18, 0x00, 0x00, 1, 2, 0x00, 0xe8, 3, 0,
	0x08, 0, 0, 0, 0, 0, 0, 0,	/* characteristics not supported */
	0, 0, 0, 0, 0xff, 0xff,
	'P', 'a', 'l', 'a', 'c', 'i', 'o', 's', 0,
	'3', 0,
	'0', '1', '/', '0', '1', '/', '2', '0', '2', '6', 0, 0,
	/* Type 1, system: manufacturer 1, product 2, no UUID, power switch. */
	1, 0x1b, 0x01, 0x00, 1, 2, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x06, 0, 0,
	'K', 'i', 't', 't', 'e', 'n', 0,
	'P', 'a', 'l', 'a', 'c', 'i', 'o', 's', ' ', 'V', 'M', 0, 0,
	/* Type 127, end of table. */
	127, 4, 0x02, 0x00, 0, 0,
};

static uint8_t checksum(const uint8_t *p, unsigned len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return -sum;
}

int v3_smbios_build(struct v3_vm *vm)
{
	uint8_t *ep = v3_gpa_to_hva(vm, SMBIOS_ENTRY, 0x100);
	uint8_t *t = v3_gpa_to_hva(vm, SMBIOS_TABLES, sizeof(tables));
	uint16_t len = sizeof(tables), count = 3, max = 0x40;
	uint32_t addr = SMBIOS_TABLES;

	if (!ep || !t)
		return -V3_EINVAL;
	v3_memcpy(t, tables, sizeof(tables));
	v3_memset(ep, 0, 0x1f);
	v3_memcpy(ep, "_SM_", 4);
	ep[5] = 0x1f;		/* entry point length */
	ep[6] = 2;		/* SMBIOS 2.8 */
	ep[7] = 8;
	v3_memcpy(ep + 8, &max, 2);
	v3_memcpy(ep + 0x10, "_DMI_", 5);
	v3_memcpy(ep + 0x16, &len, 2);
	v3_memcpy(ep + 0x18, &addr, 4);
	v3_memcpy(ep + 0x1c, &count, 2);
	ep[0x1e] = 0x28;
	ep[0x15] = checksum(ep + 0x10, 0x0f);
	ep[4] = checksum(ep, 0x1f);
	return 0;
}
