/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM without hardware, for host tests of Palacios devices: the VM and
 * vCPU structures, the hook tables and the interrupt plumbing are the
 * real ones (core/hooks.c, core/intr.c, core/time.c, core/mem.c); the
 * host is a fake with a clock the test sets. A test creates its device
 * with the device type's create(), then drives it as the guest would,
 * through the hooks.
 */
#ifndef TESTS_UNIT_V3_FIXTURE_H
#define TESTS_UNIT_V3_FIXTURE_H

#include <palacios/device.h>
#include <palacios/vmm.h>

/* The fake host's monotonic clock, in ns; tests move it. */
extern uint64_t fx_now;

/* A VM with n vCPUs (all runnable), 16 MiB of fake RAM at gpa 0. */
struct v3_vm *fx_vm_create(unsigned nr_vcpus);
void fx_vm_free(struct v3_vm *vm);
/* Create a device of this type in vm; fails the test if it cannot. */
void *fx_device(struct v3_vm *vm, const struct v3_device_type *type);
/* The VM's stop reason, or "" if it was not stopped. */
const char *fx_stop_reason(struct v3_vm *vm);

/* Guest port I/O and MMIO through the hooks, as from vCPU 0. */
uint32_t fx_in(struct v3_vm *vm, uint16_t port, unsigned size);
void fx_out(struct v3_vm *vm, uint16_t port, uint32_t val, unsigned size);
uint64_t fx_mmio_read(struct v3_vm *vm, uint64_t gpa, unsigned size);
void fx_mmio_write(struct v3_vm *vm, uint64_t gpa, uint64_t val, unsigned size);
static inline uint8_t fx_inb(struct v3_vm *vm, uint16_t port) { return fx_in(vm, port, 1); }
static inline void fx_outb(struct v3_vm *vm, uint16_t port, uint8_t v) { fx_out(vm, port, v, 1); }

/* What vCPU i would be injected next (-1: nothing), and take it. */
int fx_pending_vector(struct v3_vm *vm, unsigned vcpu);
int fx_take_vector(struct v3_vm *vm, unsigned vcpu);
/* Run vCPU i's device timers at fx_now; the next deadline. */
uint64_t fx_run_timers(struct v3_vm *vm, unsigned vcpu);

/* Guest console output so far (NUL-terminated). */
const char *fx_console(struct v3_vm *vm);

#endif
