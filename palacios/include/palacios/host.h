/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Palacios's boundary with its host OS, in both directions.
 *
 * The host fills a struct v3_host_ops (the services Palacios needs: memory,
 * threads, console, time, locks) and calls v3_init() once. After that it
 * drives VMs through the v3_vm_* calls below. Palacios includes nothing
 * from the host; the host includes this file and the image format
 * (image.h) and nothing else of Palacios. Everything is described in
 * docs/palacios-host-interface.md.
 *
 * Every call returns 0 or a negative errno value (the Linux numbers, which
 * Palacios defines for itself in V3_E*).
 */
#ifndef PALACIOS_HOST_H
#define PALACIOS_HOST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define V3_HOST_OPS_VERSION 4

#define V3_EPERM	1
#define V3_ENOENT	2
#define V3_EIO		5
#define V3_E2BIG	7
#define V3_ENOMEM	12
#define V3_EBUSY	16
#define V3_EEXIST	17
#define V3_ENODEV	19
#define V3_EINVAL	22
#define V3_ENOSPC	28
#define V3_ENOSYS	38

/* Lock levels, outermost first (see lock_create). */
enum v3_lock_level {
	V3_LOCK_BUS,		/* PCI configuration: calls into devices */
	V3_LOCK_DEVICE,		/* a device's state: raises IRQ lines */
	V3_LOCK_IRQ_SHARE,	/* lines shared by several devices (PCI INTx) */
	V3_LOCK_ROUTER,		/* PIC, IOAPIC: send to local APICs */
	V3_LOCK_APIC,		/* a local APIC */
	V3_LOCK_VM,		/* a VM's state and console: takes nothing */
	V3_LOCK_LEVELS
};

struct v3_host_ops {
	uint32_t version;	/* V3_HOST_OPS_VERSION */
	uint32_t size;		/* sizeof(struct v3_host_ops) */

	/*
	 * Memory. alloc_pages returns the host-physical address of `pages`
	 * contiguous 4 KiB pages aligned to `align` bytes (a power of two,
	 * at least 4096), zeroed, or 0 when there is no such run. The
	 * memory is accessible at phys_to_virt(pa) for its whole length.
	 */
	uint64_t (*alloc_pages)(uint64_t pages, uint64_t align);
	void (*free_pages)(uint64_t pa, uint64_t pages);
	/* Bytes free now, and in *largest the most alloc_pages could give
	 * with that alignment: what a refusal tells the user. */
	uint64_t (*free_memory)(uint64_t align, uint64_t *largest);
	void *(*malloc)(size_t size);	/* zeroed */
	void (*free)(void *ptr);
	void *(*phys_to_virt)(uint64_t pa);
	uint64_t (*virt_to_phys)(const void *va);

	/*
	 * Output. vsnprintf formats as C's (the conversions Palacios uses:
	 * %d %u %x %lx %llx %s %c %p, with widths and '0'); print takes one
	 * finished line of VMM log, without its newline.
	 */
	int (*vsnprintf)(char *buf, size_t size, const char *fmt, va_list ap);
	void (*print)(const char *line);

	/* CPUs and time. */
	unsigned (*num_cpus)(void);
	unsigned (*cpu_id)(void);	/* the CPU the caller runs on */
	uint64_t (*cpu_khz)(void);	/* TSC frequency */
	uint64_t (*time_ns)(void);	/* monotonic */

	/*
	 * Threads. start_thread runs fn(arg) in a new kernel thread bound
	 * to `cpu` (with its own FPU state) and returns a handle, NULL on
	 * failure; join_thread waits for fn to return and releases it. A
	 * vCPU thread calls yield() when it may give up the CPU and
	 * sleep_ns() to wait (for an interrupt, on HLT) at most ns.
	 * kick_thread() ends such a sleep early and, if the thread is in
	 * the guest, interrupts its CPU so that the guest exits.
	 */
	void *(*start_thread)(void (*fn)(void *arg), void *arg,
			      const char *name, unsigned cpu);
	void (*join_thread)(void *thread);
	void (*yield)(void);
	void (*sleep_ns)(uint64_t ns);
	void (*kick_thread)(void *thread);

	/*
	 * One-shot timers: fn(arg) runs in interrupt context on the CPU
	 * that armed the timer, at or after deadline_ns (time_ns's clock).
	 * Arming an armed timer moves it. A vCPU arms one for its guest's
	 * next device deadline: the interrupt makes the guest exit.
	 */
	void *(*timer_create)(void (*fn)(void *arg), void *arg);
	void (*timer_arm)(void *timer, uint64_t deadline_ns);
	void (*timer_cancel)(void *timer);
	void (*timer_free)(void *timer);

	/*
	 * Physical interrupts: passthrough devices ask for a host IRQ line;
	 * the host calls handler(irq, arg) when it fires and Palacios
	 * forwards it to the guest.
	 */
	int (*hook_irq)(unsigned irq, void (*handler)(unsigned irq, void *arg),
			void *arg);
	void (*unhook_irq)(unsigned irq);
	/*
	 * Whether host-physical [pa, pa + size) is device memory the host
	 * lets a guest map: none of it RAM, firmware tables or a device the
	 * host drives itself (its interrupt controllers).
	 */
	bool (*is_device_memory)(uint64_t pa, uint64_t size);

	/*
	 * Locks that may be taken from a vCPU thread with interrupts
	 * enabled or disabled. lock returns the interrupt state to give
	 * back to unlock. Each lock has a level (enum v3_lock_level): a
	 * thread holding a lock may take only locks of a higher level, so a
	 * host that checks lock order can check Palacios's too. Under any
	 * of them Palacios may call kick_thread, the timer ops and malloc.
	 */
	void *(*lock_create)(const char *name, unsigned level);
	void (*lock_free)(void *lock);
	unsigned long (*lock)(void *lock);
	void (*unlock)(void *lock, unsigned long flags);

	/*
	 * Something happened to a VM the host may wait for: console output,
	 * or a change of state (it stopped). Called from any context,
	 * without Palacios locks held.
	 */
	void (*vm_event)(void *host_vm_data);
};

/* Bring Palacios up: checks the ops and the CPU (SVM). */
int v3_init(const struct v3_host_ops *ops);
/* Why v3_init() refused, when it did (a static string). */
const char *v3_init_error(void);

struct v3_vm;

/*
 * Create a VM from a configuration image (image.h) at image[0..size).
 * hdr is the host's own copy of the image's header (its first
 * sizeof(struct v3_image) bytes, zeroed beyond size), which nobody else
 * can change during the call: Palacios checks that copy and takes every
 * size, offset and setting from it alone, so an image in memory its
 * owner can still write (a user buffer) cannot change under the checks.
 * The payloads are copied from image; the caller may free it afterwards.
 * On error returns NULL and writes a one-line reason to err[0..errlen).
 * host_vm_data is passed back in host->vm_event().
 */
struct v3_image;
struct v3_vm *v3_vm_create(const struct v3_image *hdr, const void *image,
			   size_t size, void *host_vm_data, char *err,
			   size_t errlen);

/* Run vCPU i on host CPU cpus[i], for every vCPU of the image. */
int v3_vm_start(struct v3_vm *vm, const unsigned *cpus, unsigned ncpus);
/* Ask every vCPU to leave the guest and stay out (pause) or end (stop). */
int v3_vm_pause(struct v3_vm *vm);
int v3_vm_resume(struct v3_vm *vm);
int v3_vm_stop(struct v3_vm *vm, const char *reason);
/* Free a VM that is stopped (or never started). -EBUSY otherwise. */
int v3_vm_free(struct v3_vm *vm);

/*
 * Copy a stopped VM's disk, as the guest left it, back into the image it
 * was created from (image[0..size), the same layout), so that a VM made
 * again from that image boots with the guest's changes. -EINVAL when the
 * image does not match; 0 when the VM has no disk.
 */
int v3_vm_disk_write_back(struct v3_vm *vm, void *image, size_t size);

/* Take up to len bytes the guest wrote to its console. */
size_t v3_vm_console_read(struct v3_vm *vm, char *buf, size_t len);

enum v3_vm_state {
	V3_VM_CREATED,
	V3_VM_RUNNING,
	V3_VM_PAUSED,
	V3_VM_STOPPED,
};

/* Exit reasons, counted per VM (generic; each backend maps onto them). */
enum v3_exit_reason {
	V3_EXIT_IO,
	V3_EXIT_MSR,
	V3_EXIT_CPUID,
	V3_EXIT_HLT,
	V3_EXIT_INTR,		/* a host interrupt */
	V3_EXIT_VINTR,		/* the guest opened its interrupt window */
	V3_EXIT_NPF,		/* nested page fault (MMIO, bad address) */
	V3_EXIT_SHADOW_PF,	/* page fault taken for shadow paging */
	V3_EXIT_CR,		/* control-register access */
	V3_EXIT_INVLPG,
	V3_EXIT_HYPERCALL,
	V3_EXIT_EXCEPTION,	/* other intercepted exceptions */
	V3_EXIT_SHUTDOWN,	/* triple fault */
	V3_EXIT_OTHER,
	V3_EXIT_NR
};

/* The name of an exit reason ("io", "msr", ...). */
const char *v3_exit_reason_name(enum v3_exit_reason r);

#define V3_STOP_REASON_MAX 128

struct v3_vm_status {
	enum v3_vm_state state;
	int exit_status;		/* from the debug-exit port, or -1 */
	char stop_reason[V3_STOP_REASON_MAX];
	uint64_t exits[V3_EXIT_NR];	/* summed over vCPUs */
	uint64_t guest_mem_bytes;
	unsigned vcpus;
};

void v3_vm_status(struct v3_vm *vm, struct v3_vm_status *st);

#endif
