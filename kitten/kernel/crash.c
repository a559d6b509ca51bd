// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate faults for testing the panic path (crash=pagefault|gp|bug).
 * Each lives in its own non-inlined function so the backtrace has a known
 * shape: crash_<kind> called from crash_test called from kernel_main.
 */
#include <kitten/cmdline.h>
#include <kitten/kernel.h>
#include <kitten/panic.h>
#include <kitten/printk.h>
#include <kitten/string.h>

#define UNMAPPED_ADDRESS 0x0000000000dead00UL

static __attribute__((noinline)) void crash_pagefault(void)
{
	*(volatile uint64_t *)UNMAPPED_ADDRESS = 1;
}

static __attribute__((noinline)) void crash_gp(void)
{
	/* A non-canonical address raises #GP, not #PF. */
	*(volatile uint64_t *)0x8000000000000000UL = 1;
}

static __attribute__((noinline)) void crash_bug(void)
{
	BUG_ON(UNMAPPED_ADDRESS != 0);
}

void crash_test(const char *cmdline)
{
	char kind[32];

	if (!cmdline_get(cmdline, "crash", kind, sizeof(kind)))
		return;
	pr_info("crash: triggering a %s on purpose\n", kind);
	if (strcmp(kind, "pagefault") == 0)
		crash_pagefault();
	else if (strcmp(kind, "gp") == 0)
		crash_gp();
	else if (strcmp(kind, "bug") == 0)
		crash_bug();
	else
		pr_err("crash=%s: unknown kind (pagefault, gp, bug)\n", kind);
}
