// SPDX-License-Identifier: GPL-2.0
/* The table of device types, and device instances of a VM (device.h). */
#include <palacios/device.h>
#include <palacios/devices_apic.h>
#include <palacios/devices_legacy.h>
#include <palacios/devices_pci.h>
#include <palacios/vmm.h>

static const struct v3_device_type *const device_types[] = {
	&v3_dev_debugcon,
	&v3_dev_debug_exit,
	&v3_dev_testdev,
	&v3_dev_acpi_pm,
	&v3_dev_pic,
	&v3_dev_pit,
	&v3_dev_rtc,
	&v3_dev_i8042,
	&v3_dev_lapic,
	&v3_dev_ioapic,
	&v3_dev_uart,
	&v3_dev_pci,
	&v3_dev_virtio_blk,
	&v3_dev_virtio_net,
	&v3_dev_passthrough,
	&v3_dev_fw_cfg,
};

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int v3_device_create(struct v3_vm *vm, const char *name)
{
	const struct v3_device_type *type = NULL;
	struct v3_device *dev;
	int ret;

	for (unsigned i = 0; i < sizeof(device_types) / sizeof(device_types[0]); i++)
		if (same(device_types[i]->name, name))
			type = device_types[i];
	if (!type)
		return -V3_ENOENT;
	dev = v3_zalloc(sizeof(*dev));
	if (!dev)
		return -V3_ENOMEM;
	dev->type = type;
	ret = type->create(vm, &dev->priv);
	if (ret) {
		/* -ENODEV: the VM's configuration leaves the device out */
		if (ret != -V3_ENODEV)
			VM_INFO(vm, "device %s: cannot create (%d)", name, ret);
		v3_free(dev);
		return ret;
	}
	dev->next = vm->devices;
	vm->devices = dev;
	return 0;
}

void *v3_device_find(struct v3_vm *vm, const char *name)
{
	for (struct v3_device *dev = vm->devices; dev; dev = dev->next)
		if (same(dev->type->name, name))
			return dev->priv;
	return NULL;
}

void v3_devices_free(struct v3_vm *vm)
{
	while (vm->devices) {
		struct v3_device *dev = vm->devices;

		vm->devices = dev->next;
		if (dev->type->free)
			dev->type->free(dev->priv);
		v3_free(dev);
	}
}
