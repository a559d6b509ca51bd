/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants the boot assembly shares with C: the multiboot 1 header and
 * information structure (Multiboot Specification 0.6.96, sections 3.1 and
 * 3.3) and the GDT layout.
 */
#ifndef GUEST_BOOT_H
#define GUEST_BOOT_H

#define MB_HEADER_MAGIC 0x1badb002
#define MB_HEADER_MEMINFO 0x2 /* ask for mem_lower/mem_upper */
#define MB_HEADER_FLAGS MB_HEADER_MEMINFO
#define MB_BOOT_MAGIC 0x2badb002 /* in EAX at entry */

#define MB_INFO_MEM 0x1 /* mem_lower and mem_upper are valid */
#define MB_INFO_CMDLINE 0x4 /* cmdline is valid */

#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18

#define BOOT_STACK_SIZE 16384

/* trap32.S and trap64.S put a stub per vector this many bytes apart. */
#define TRAP_STUB_SIZE 16

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The start of the information structure; we need no more of it. */
struct mb_info {
	uint32_t flags;
	uint32_t mem_lower; /* KiB below 1 MiB */
	uint32_t mem_upper; /* KiB from 1 MiB to the first hole */
	uint32_t boot_device;
	uint32_t cmdline; /* physical address of a NUL-terminated string */
};

extern uint32_t boot_magic, boot_info;
#endif

#endif /* GUEST_BOOT_H */
