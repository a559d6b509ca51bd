/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a guest learns about its surroundings: the multiboot information
 * (RAM size, command line) and whether Palacios is underneath (CPUID leaf
 * 0x40000000 says "Palacios3VMM"). Also the start and end of a guest:
 * lib_start() runs guest_main() and hands its status to guest_exit().
 */
#include "guest.h"

static const struct mb_info *mb_info;

void lib_start(void)
{
	if (boot_magic == MB_BOOT_MAGIC)
		mb_info = (const struct mb_info *)(uintptr_t)boot_info;
	trap_init();
	guest_exit(guest_main());
}

/* A write to the debug-exit port stops the VM; nothing runs after it. */
void __noreturn guest_exit(u8 status)
{
	outb(PORT_EXIT, status);
	for (;;)
		asm volatile("cli; hlt");
}

/* Is word one of the space-separated words of the command line? */
bool cmdline_has(const char *word)
{
	const char *p;
	size_t n = 0;

	if (!mb_info || !(mb_info->flags & MB_INFO_CMDLINE))
		return false;
	while (word[n])
		n++;
	p = (const char *)(uintptr_t)mb_info->cmdline;
	while (*p) {
		size_t i = 0;

		while (i < n && p[i] == word[i])
			i++;
		if (i == n && (p[n] == ' ' || p[n] == '\0'))
			return true;
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* The end of contiguous RAM above 1 MiB, or 0 if the loader did not say. */
u32 ram_top(void)
{
	if (!mb_info || !(mb_info->flags & MB_INFO_MEM))
		return 0;
	return 0x100000 + mb_info->mem_upper * 1024;
}

bool hv_present(void)
{
	static const char sig[12] = "Palacios3VMM";
	u32 a, regs[3];
	unsigned int i;

	cpuid(0x40000000, &a, &regs[0], &regs[1], &regs[2]);
	for (i = 0; i < sizeof(sig); i++)
		if (((const char *)regs)[i] != sig[i])
			return false;
	return true;
}
