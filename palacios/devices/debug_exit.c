// SPDX-License-Identifier: GPL-2.0
/*
 * The debug-exit port: a write of value v to port 0xF4 stops the VM with
 * exit status v, as bhyve's test device and QEMU's isa-debug-exit let a
 * test guest end itself with a verdict.
 */
#include <palacios/device.h>
#include <palacios/vmm.h>

#define DEBUG_EXIT_PORT 0xf4

static int debug_exit_in(struct v3_vcpu *v, uint16_t port, void *data,
			 unsigned size, void *priv)
{
	(void)v, (void)port, (void)priv;
	v3_memset(data, 0xff, size);
	return 0;
}

static int debug_exit_out(struct v3_vcpu *v, uint16_t port, const void *data,
			  unsigned size, void *priv)
{
	uint32_t status = 0;

	(void)port, (void)priv;
	v3_memcpy(&status, data, size);
	v->vm->exit_status = status;
	v3_vm_stop_fmt(v->vm, "guest exit, status %u", status);
	return -V3_EIO;	/* leave the guest at once */
}

static int debug_exit_create(struct v3_vm *vm, void **priv)
{
	*priv = NULL;
	return v3_hook_io(vm, DEBUG_EXIT_PORT, DEBUG_EXIT_PORT + 3,
			  debug_exit_in, debug_exit_out, NULL);
}

const struct v3_device_type v3_dev_debug_exit = {
	.name = "debug-exit",
	.create = debug_exit_create,
};
