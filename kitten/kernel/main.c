// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_main: the boot sequence, in order. head.S arrives here on the
 * boot CPU in long mode with the boot page tables and stack.
 *
 * The order matters: the console first (so everything after can report),
 * then exception handling (so a fault is a readable panic, not a reset),
 * then the loader's information, the command line, the CPU, memory, time,
 * interrupts and the other CPUs. The boot CPU then becomes the idle task
 * of CPU 0, and the rest of start-up runs as the kernel thread "kmain".
 */
#include <arch/apic.h>
#include <arch/bootinfo.h>
#include <arch/cpufeature.h>
#include <arch/percpu.h>
#include <arch/platform.h>
#include <arch/time.h>
#include <arch/user.h>
#include <arch/x86.h>
#include <kitten/cmdline.h>
#include <kitten/console.h>
#include <kitten/exec.h>
#include <kitten/irq.h>
#include <kitten/kernel.h>
#include <kitten/aspace.h>
#include <kitten/futex.h>
#include <kitten/ktest.h>
#include <kitten/loader.h>
#include <kitten/machine.h>
#include <kitten/mm.h>
#include <kitten/panic.h>
#include <kitten/pci.h>
#include <kitten/pmem.h>
#include <kitten/printk.h>
#include <kitten/ramfs.h>
#include <kitten/sched.h>
#include <kitten/string.h>
#include <kitten/timer.h>
#include <kitten/vfs.h>
#include <kitten/vmm.h>

static struct cpu boot_cpu;
static uint64_t boot_start_tsc;

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
	if (cmdline_get(cmdline, "userconsole", val, sizeof(val))) {
		uint16_t port = serial_port_by_name(val);

		if (port)
			serial_user_console_init(port);
		else
			pr_warn("userconsole=%s: unknown console\n", val);
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

/*
 * Start the init task (init=, default /init) if the initramfs has one,
 * and wait for it. Returns its exit status, or -1 when there was none.
 */
static int run_init(const char *cmdline)
{
	char path[256] = "/init";
	struct task *init;
	struct child_match m;
	struct child_exit c;

	initramfs_load();
	vfs_mount_boot(cmdline);	/* after: the initramfs's names stay */
	cmdline_get(cmdline, "init", path, sizeof(path));
	if (!ramfs_lookup(path))
		return -1;
	init = init_task_start(path, cmdline_init_args(cmdline));
	if (!init)
		return 1;
	m = (struct child_match){ .id = init->id };
	task_wait_child(&m, &c, false, false);
	pmem_release_all(KITTEN_INIT_OWNER);
	printk(KERN_INFO "init: exited with status %d\n", c.status);
	return c.status;
}

/* The rest of start-up, in task context on CPU 0. */
static void kmain(void *arg)
{
	const char *cmdline = boot_info.cmdline;
	int status;

	(void)arg;
	pci_init();
	ramfs_init();
	devfs_init();
	futex_init();
	vmm_init();
	printk(KERN_INFO "Kitten: boot complete in %lu ms\n",
	       (rdtsc() - boot_start_tsc) * 1000 / tsc_hz());
	if (cmdline_get(cmdline, "irqstats", NULL, 0))
		irq_print_stats();
	crash_test(cmdline);
	run_self_tests(cmdline);
	status = run_init(cmdline);
	/* The exact status is in the log line above; QEMU's is 8 bits. */
	if (cmdline_get(cmdline, "exit_when_done", NULL, 0))
		machine_exit(status > 0 ? MACHINE_EXIT_FAILURE : MACHINE_EXIT_SUCCESS);
}

void kernel_main(uint32_t magic, uint32_t info)
{
	const char *cmdline;

	boot_start_tsc = rdtsc();
	serial_console_init(CONFIG_SERIAL_PORT);
	gdt_load(&boot_cpu.desc);
	idt_init();
	idt_load();
	percpu_install(&boot_cpu);

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
	time_init();
	vdso_init();
	platform_init(&boot_info);

	boot_cpu.apic_id = apic_read_id();
	user_init_cpu();
	apic_init_cpu();
	timer_init_cpu();
	apic_timer_calibrate();
	sched_init_cpu();
	boot_cpu.online = true;
	nr_cpus_online = 1;
	irq_enable();

	platform_start_cpus();

	if (!kthread_create(kmain, NULL, "kmain", 0))
		panic("cannot start kmain");
	sched_idle_loop();
}
