// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_main: the boot sequence, in order. head.S arrives here on the
 * boot CPU in long mode with the boot page tables and stack.
 *
 * The order matters: the console first (so everything after can report),
 * then exception handling (so a fault is a readable panic, not a reset),
 * then the loader's information, the command line, the CPU, and memory.
 */
#include <arch/bootinfo.h>
#include <arch/cpufeature.h>
#include <arch/desc.h>
#include <arch/layout.h>
#include <kitten/cmdline.h>
#include <kitten/console.h>
#include <kitten/kernel.h>
#include <kitten/ktest.h>
#include <kitten/machine.h>
#include <kitten/mm.h>
#include <kitten/panic.h>
#include <kitten/printk.h>
#include <kitten/string.h>

static struct cpu_desc boot_cpu_desc;

/* The arguments this file acts on; see docs/kernel-arguments.md. */
static void parse_early_args(const char *cmdline)
{
	char val[64];
	uint64_t n;

	if (cmdline_get(cmdline, "console", val, sizeof(val))) {
		uint16_t port = serial_port_by_name(val);

		if (port && port != CONFIG_SERIAL_PORT)
			serial_console_init(port);
		else if (!port)
			pr_warn("console=%s: unknown console, keeping ttyS0\n", val);
	}
	if (cmdline_get_uint(cmdline, "loglevel", &n) == 0)
		printk_set_loglevel(n);
	if (cmdline_get(cmdline, "panic", val, sizeof(val)))
		panic_set_exit(strcmp(val, "exit") == 0);
}

static void run_self_tests(const char *cmdline)
{
	char selection[256];
	unsigned failed;

	if (!cmdline_get(cmdline, "ktest", selection, sizeof(selection)))
		return;
	failed = ktest_run(selection);
	printk(KERN_INFO "ktest: %u case(s) failed\n", failed);
	machine_exit(failed ? MACHINE_EXIT_FAILURE : MACHINE_EXIT_SUCCESS);
}

void kernel_main(uint32_t magic, uint32_t info)
{
	const char *cmdline;

	serial_console_init(CONFIG_SERIAL_PORT);
	gdt_load(&boot_cpu_desc);
	idt_init();
	idt_load();

	if (bootinfo_parse(magic, info, &boot_info))
		panic("not started by a multiboot loader (magic %#x)", magic);
	cmdline = boot_info.cmdline;
	parse_early_args(cmdline);

	printk(KERN_INFO "Kitten %s (x86_64), booted by %s via %s\n",
	       KITTEN_VERSION, boot_info.loader[0] ? boot_info.loader : "?",
	       boot_info.protocol);
	printk(KERN_INFO "Command line: %s\n", cmdline);

	cpu_identify(&boot_cpu_info);
	cpu_print_info(&boot_cpu_info);

	mm_init(&boot_info);
	printk(KERN_INFO "Kitten: boot complete\n");

	crash_test(cmdline);
	run_self_tests(cmdline);
	if (cmdline_get(cmdline, "exit_when_done", NULL, 0))
		machine_exit(MACHINE_EXIT_SUCCESS);
	machine_halt();
}
