// SPDX-License-Identifier: GPL-2.0
/*
 * The debug console: every byte written to port 0xE9 goes to the VM's
 * console, as with Bochs and QEMU's isa-debugcon. Reading the port gives
 * 0xE9, which is how guests detect it. Port 0x402, where SeaBIOS built
 * for QEMU writes its log, goes to the console too, unless the VM passes
 * that port through to the host.
 */
#include <palacios/device.h>
#include <palacios/vmm.h>

#define DEBUGCON_PORT 0xe9
#define SEABIOS_PORT 0x402

static int debugcon_in(struct v3_vcpu *v, uint16_t port, void *data,
		       unsigned size, void *priv)
{
	(void)v, (void)port, (void)priv;
	v3_memset(data, 0, size);
	*(uint8_t *)data = DEBUGCON_PORT;
	return 0;
}

static int debugcon_out(struct v3_vcpu *v, uint16_t port, const void *data,
			unsigned size, void *priv)
{
	(void)port, (void)size, (void)priv;
	v3_console_write(v->vm, data, 1);	/* the low byte, as QEMU's */
	return 0;
}

static int debugcon_create(struct v3_vm *vm, void **priv)
{
	int ret;

	*priv = NULL;
	ret = v3_hook_io(vm, DEBUGCON_PORT, DEBUGCON_PORT, debugcon_in,
			 debugcon_out, NULL);
	if (!ret && !(vm->passthrough_io_last &&
		      vm->passthrough_io_first <= SEABIOS_PORT &&
		      SEABIOS_PORT <= vm->passthrough_io_last))
		ret = v3_hook_io(vm, SEABIOS_PORT, SEABIOS_PORT, debugcon_in,
				 debugcon_out, NULL);
	return ret;
}

const struct v3_device_type v3_dev_debugcon = {
	.name = "debugcon",
	.create = debugcon_create,
};
