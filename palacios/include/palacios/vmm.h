/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Palacios's internal view of a VM and its vCPUs, shared by the generic
 * core, the paging code, the devices and the architecture backend. Hosts
 * never include this; they see only host.h and image.h.
 *
 * State is per VM and per vCPU: there is no global "current VM", so any
 * number of VMs run at once. A vCPU is only ever touched by its own
 * thread, except for the few fields marked as shared, which are written
 * with atomics or under vm->lock.
 */
#ifndef PALACIOS_VMM_H
#define PALACIOS_VMM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <palacios/host.h>
#include <palacios/image.h>
#include <palacios/hooks.h>
#include <palacios/intr.h>
#include <palacios/mem.h>
#include <palacios/timer.h>

extern const struct v3_host_ops *v3_host;

/* Freestanding: the host links the C string functions (docs). */
#define v3_memcpy __builtin_memcpy
#define v3_memset __builtin_memset
#define v3_memcmp __builtin_memcmp

#define V3_PAGE_SIZE	4096ULL
#define V3_PAGE_MASK	(~(V3_PAGE_SIZE - 1))
#define V3_LARGE_PAGE	(2ULL << 20)
#define V3_HUGE_PAGE	(1ULL << 30)

struct v3_vm;
struct v3_vcpu;

/* Log with the VM and vCPU named: "palacios: vm1.0: message". */
void v3_log(const struct v3_vm *vm, int vcpu, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int v3_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define V3_INFO(fmt, ...)		v3_log(NULL, -1, fmt, ##__VA_ARGS__)
#define VM_INFO(vm, fmt, ...)		v3_log(vm, -1, fmt, ##__VA_ARGS__)
#define VCPU_INFO(v, fmt, ...)		v3_log((v)->vm, (v)->id, fmt, ##__VA_ARGS__)

void *v3_zalloc(size_t size);
void v3_free(void *p);

/* General registers in the encoding's order, as the decoder numbers them. */
struct v3_gprs {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

struct v3_segment {
	uint16_t selector;
	uint16_t attrib;	/* SVM's packed form: type, S, DPL, P, AVL, L, D, G */
	uint32_t limit;
	uint64_t base;
};

#define V3_SEG_ATTR_L	(1 << 9)
#define V3_SEG_ATTR_D	(1 << 10)

enum { V3_SEG_ES_, V3_SEG_CS_, V3_SEG_SS_, V3_SEG_DS_, V3_SEG_FS_, V3_SEG_GS_ };

/* An event waiting for injection into the guest. */
struct v3_event {
	bool valid;
	uint8_t vector;
	bool has_error;
	uint32_t error;
};

struct v3_shadow;

struct v3_vcpu {
	struct v3_vm *vm;
	unsigned id;
	unsigned host_cpu;
	void *thread;

	/* The guest's registers as the guest sees them. */
	struct v3_gprs regs;
	uint64_t rip, rflags;
	uint64_t cr0, cr2, cr3, cr4, cr8, efer;
	struct v3_segment seg[6];	/* ES CS SS DS FS GS */
	uint8_t cpl;
	bool interrupt_shadow;		/* after STI / MOV SS */

	/* Events: an exception to deliver, and pending external vectors. */
	struct v3_event exception;
	uint64_t irq_pending[4];	/* shared: set by any thread (atomics) */

	struct v3_shadow *shadow;	/* shadow paging state, or NULL */

#define V3_STORED_MSRS 64
	uint64_t msrs[V3_STORED_MSRS];	/* core/msr.c's MSRs, this vCPU's values */
	bool reported_tsc_write;	/* core/msr.c logged one */

	/* Interrupt controllers feeding this vCPU (intr.h). */
	struct {
		const struct v3_intr_source_ops *ops;
		void *priv;
	} sources[4];
	unsigned nr_sources;
	int acked_source;		/* which source the injected vector came from */

	/* Device timers (timer.h) and the host timer that ends a guest run
	 * at the earliest of their deadlines. */
	struct {
		const struct v3_timer_ops *ops;
		void *priv;
	} timers[V3_MAX_TIMERS];
	unsigned nr_timers;
	uint64_t timers_next;		/* their earliest deadline, as last asked */
	bool timers_changed;		/* shared: a device moved a deadline */
	void *host_timer;
	uint64_t host_timer_deadline;
	bool want_window;		/* exit when the guest enables interrupts */

	/* Multiprocessor start-up: an AP waits for INIT, then SIPI. */
	bool runnable;			/* shared */
	int sipi_vector;		/* shared: -1 none, else the page */

	uint64_t exits[V3_EXIT_NR];
	void *arch;			/* the backend's per-vCPU state */
};

/*
 * A vCPU's instruction length is needed for exits without decode assists;
 * the backend fills `next_rip` for those it knows.
 */

struct v3_console {
	char buf[16384];
	unsigned head, tail;	/* under vm->lock */
};

struct v3_device;

struct v3_vm {
	unsigned id;
	void *host_data;
	void *lock;

	uint64_t mem_size;
	unsigned nr_vcpus;
	enum v3_paging_mode paging;
	enum v3_vm_state state;		/* under lock */
	bool stop_requested;		/* shared */
	bool reported_hypercall;	/* an unknown one was logged */
	uint64_t reported_msrs[64];	/* hashed: unhandled MSRs logged */
	uint32_t nr_reported;		/* unhandled accesses logged, shared */
	bool pause_requested;		/* shared */
	int exit_status;
	char stop_reason[V3_STOP_REASON_MAX];
	unsigned running_vcpus;		/* under lock */
	unsigned dead_vcpus;		/* shared: halted with interrupts off */

	struct v3_mem_map mem;
	struct v3_hooks hooks;
	struct v3_console console;
	struct v3_device *devices;

	/* Interrupt routing (intr.h). */
	struct {
		const struct v3_irq_router_ops *ops;
		void *priv;
	} routers[4];
	unsigned nr_routers;
	const struct v3_apic_bus_ops *apic_bus;
	void *apic_bus_priv;
	struct {
		const struct v3_eoi_listener_ops *ops;
		void *priv;
	} eoi_listeners[4];
	unsigned nr_eoi_listeners;

	uint64_t ram_hpa, ram_pages;	/* guest RAM, one host extent */
	uint64_t bios_hpa, bios_pages;	/* the BIOS's copy below 4 GiB, or 0 */
	bool irq0_on_pin2;		/* the PIT on IOAPIC input 2 (a BIOS's tables) */
	/* The block device's backing image, in host memory owned by the VM
	 * (NULL: no disk); devices read it while they are created. */
	uint8_t *disk;
	uint64_t disk_size;
	uint64_t disk_offset;		/* where the image carries it */
	/* Host ports the guest reaches directly (last 0: none). */
	uint16_t passthrough_io_first, passthrough_io_last;
	/* The host IRQ and device memory the passthrough device forwards
	 * and maps (devices/passthrough.c); 0: none. */
	unsigned passthrough_irq;
	uint64_t passthrough_mem_base, passthrough_mem_size;
	uint64_t npt_root;		/* host-physical root of nested tables */
	uint64_t npt_pages[3];		/* its 4 KiB, 2 MiB and 1 GiB mappings */
	struct v3_vcpu *vcpus[V3_IMAGE_MAX_VCPUS];
};

/*
 * A checked configuration image: sizes and settings from the host's copy
 * of the header; payload pointers into the caller's image, except the
 * command line, which is copied (it is read as a string later, so it
 * must not lose its NUL after the check). v3_image_release() frees it.
 */
struct v3_vm_config {
	uint64_t mem_size;
	unsigned vcpus;
	enum v3_paging_mode paging;
	enum v3_boot_protocol boot;
	const uint8_t *kernel;
	uint64_t kernel_size;
	const uint8_t *initrd;
	uint64_t initrd_size;
	const char *cmdline;	/* NUL-terminated copy, or NULL */
	const uint8_t *disk;	/* the block device's image, or NULL */
	uint64_t disk_size;
	uint64_t disk_offset;	/* its offset in the image */
	uint16_t passthrough_io_first, passthrough_io_last;
	unsigned passthrough_irq;	/* 0: none */
	uint64_t passthrough_mem_base, passthrough_mem_size;
};

/* Check an image whose header the host copied to *h and describe it; on
 * error, a reason in err. */
int v3_image_parse(const struct v3_image *h, const void *image, size_t size,
		   struct v3_vm_config *cfg, char *err, size_t errlen);
void v3_image_release(struct v3_vm_config *cfg);

/* Load a multiboot kernel into guest memory and set vCPU 0 to enter it. */
int v3_boot_multiboot(struct v3_vm *vm, const struct v3_vm_config *cfg,
		      char *err, size_t errlen);
/* The same for a Linux bzImage (core/linux_boot.c); rsdp is the ACPI
 * root the kernel is told about. */
int v3_boot_linux(struct v3_vm *vm, const struct v3_vm_config *cfg,
		  uint64_t rsdp, char *err, size_t errlen);
/* The same for a PC BIOS (core/bios_boot.c), from the reset vector. */
int v3_boot_bios(struct v3_vm *vm, const struct v3_vm_config *cfg,
		 char *err, size_t errlen);
/* Write the guest's ACPI tables (core/acpi_tables.c); the RSDP's address,
 * or 0 when guest memory is too small. */
uint64_t v3_acpi_build(struct v3_vm *vm);
/* The SMBIOS tables (core/smbios.c): 0 or -EINVAL. */
int v3_smbios_build(struct v3_vm *vm);

/* Stop the VM (from any vCPU or the host) with a reason, printf-style. */
void v3_vm_stop_fmt(struct v3_vm *vm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Put a vCPU in real mode at cs:ip (reset, or a start-up IPI). */
void v3_vcpu_real_mode(struct v3_vcpu *v, uint16_t cs, uint64_t ip);

/* True when the vCPU must leave the guest (stop or pause requested). */
bool v3_vcpu_should_leave(const struct v3_vcpu *v);

/* Append guest console output. */
void v3_console_write(struct v3_vm *vm, const char *buf, size_t len);

/* Interrupts and exceptions for the guest (core/intr.c). */
void v3_raise_irq(struct v3_vcpu *v, uint8_t vector);
void v3_raise_exception(struct v3_vcpu *v, uint8_t vector, bool has_error,
			uint32_t error);
/* The highest pending external vector, or -1. */
int v3_pending_irq(struct v3_vcpu *v);
void v3_ack_irq(struct v3_vcpu *v, uint8_t vector);
void v3_raise_page_fault(struct v3_vcpu *v, uint64_t addr, uint32_t error);

/* The guest's paging and operating mode, from its CR0/CR4/EFER/CS. */
enum v3_guest_mode {
	V3_GUEST_REAL,
	V3_GUEST_PROTECTED,	/* paging may be on or off */
	V3_GUEST_LONG,		/* 64-bit or compatibility */
};
bool v3_guest_paging(const struct v3_vcpu *v);
/* Default code size of the guest's CS: 2, 4 or 8 bytes. */
unsigned v3_guest_code_size(const struct v3_vcpu *v);

/*
 * Guest memory by guest-virtual address, through the guest's own page
 * tables (core/guest_access.c). A fault is returned as -V3_EFAULT_GUEST
 * (v3_gva_to_gpa gives the page-fault error code in *pf_error; the
 * read and write calls raise the #PF in the guest).
 */
#define V3_EFAULT_GUEST 1000
int v3_gva_to_gpa(struct v3_vcpu *v, uint64_t gva, bool write, bool fetch,
		  uint64_t *gpa, uint32_t *pf_error);
int v3_read_gva(struct v3_vcpu *v, uint64_t gva, void *buf, size_t len);
/* As v3_read_gva, but a fault only fails the call (no #PF for the guest). */
int v3_peek_gva(struct v3_vcpu *v, uint64_t gva, void *buf, size_t len);
int v3_write_gva(struct v3_vcpu *v, uint64_t gva, const void *buf, size_t len);
/* Guest RAM at [gpa, gpa + len) in the host's view, or NULL if not RAM. */
void *v3_gpa_to_hva(struct v3_vm *vm, uint64_t gpa, uint64_t len);

/* Exit handlers, called by the backend's dispatch (core/exits.c). They
 * return 0 (instruction completed), V3_FAULTED (an exception was raised
 * in the guest instead) or a negative value after stopping the VM. */
#define V3_FAULTED 1
struct v3_io_exit {
	uint16_t port;
	uint8_t size;		/* 1, 2, 4 */
	bool in;
	bool string;		/* INS/OUTS */
	bool rep;
	uint8_t addr_size;	/* of a string instruction: 2, 4, 8 */
	uint8_t seg;		/* its source segment (OUTS) */
	uint64_t next_rip;
};
int v3_handle_io(struct v3_vcpu *v, const struct v3_io_exit *io);
int v3_handle_msr(struct v3_vcpu *v, bool write);	/* RCX, EDX:EAX */
int v3_handle_cpuid(struct v3_vcpu *v);
int v3_handle_hlt(struct v3_vcpu *v);
int v3_handle_hypercall(struct v3_vcpu *v);
int v3_handle_npf(struct v3_vcpu *v, uint64_t gpa, uint64_t error);
int v3_handle_cr_access(struct v3_vcpu *v);	/* decodes at RIP */
int v3_handle_invlpg(struct v3_vcpu *v);	/* decodes at RIP */
int v3_handle_shadow_pf(struct v3_vcpu *v, uint64_t addr, uint32_t error);

/* Decode the instruction at the guest's RIP (core/fetch.c); a failure
 * stops the VM with the reason. */
struct v3_insn;
struct v3_operand;
int v3_fetch_decode(struct v3_vcpu *v, struct v3_insn *insn);
/* The linear address of a decoded memory operand, with the vCPU's registers. */
uint64_t v3_operand_linear(const struct v3_vcpu *v, const struct v3_insn *insn,
			   const struct v3_operand *op);

/* Emulate the memory instruction at RIP that touched hooked memory. */
int v3_emulate_mmio(struct v3_vcpu *v);
/* Copy between buf and guest-virtual memory that is RAM or hooked (a
 * device's registers), as an instruction's operand would; as
 * v3_read_gva/v3_write_gva otherwise (core/mmio.c). */
int v3_copy_gva_any(struct v3_vcpu *v, uint64_t gva, void *buf, unsigned len,
		    bool write);

#endif
