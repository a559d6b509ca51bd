/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kitten's side of the embedded VMM. These calls are implemented by the
 * Palacios glue (kitten/vmm/palacios_glue.c), the only file that knows
 * Palacios; the rest of Kitten (the VM system calls) uses only these.
 */
#ifndef KITTEN_VMM_H
#define KITTEN_VMM_H

#include <kitten/kitten_abi.h>
#include <kitten/types.h>

struct vmm_vm;

/* Bring the VMM up at boot; logs why when the CPU cannot host VMs. */
void vmm_init(void);
bool vmm_available(void);

/*
 * A VM from the configuration image at user address image, len bytes,
 * checked to be mapped. Its header is copied into the kernel once, and
 * the VMM checks and builds from that copy only: another thread
 * rewriting it meanwhile changes nothing. An image that gives the guest
 * host ports, an IRQ or device memory is refused with -EPERM unless
 * may_passthrough. 0 and the VM in *vm, or an error and the reason in err.
 */
int vmm_create(uint64_t image, size_t len, bool may_passthrough,
	       struct vmm_vm **vm, char *err, size_t errlen);
int vmm_start(struct vmm_vm *vm, const unsigned *cpus, unsigned ncpus);
int vmm_stop(struct vmm_vm *vm, const char *reason);
/*
 * Up to len bytes of guest console output. Waits up to timeout_ns for
 * some; returns 0 when there is none and the VM has stopped, -EAGAIN
 * when the time ran out.
 */
long vmm_console_read(struct vmm_vm *vm, char *buf, size_t len,
		      uint64_t timeout_ns);
void vmm_status(struct vmm_vm *vm, struct kitten_vm_status *st);
/* Copy a stopped VM's disk back into its image (same layout). */
int vmm_disk_write_back(struct vmm_vm *vm, void *image, size_t len);
/* Free a stopped VM; -EBUSY while it runs. */
int vmm_free(struct vmm_vm *vm);

struct aspace;
/*
 * Process as is ending (its last thread, or exec): stop and free the VMs
 * it created (sys_vm.c). Sleeps until their vCPUs are out.
 */
void vm_release_owned(struct aspace *as);

#endif
