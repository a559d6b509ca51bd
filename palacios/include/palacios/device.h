/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated devices. Each device is one file in devices/ that defines a
 * struct v3_device_type; core/device.c lists them in one table, and a VM
 * creates instances by name. A device's create() registers its hooks
 * (hooks.h, mem.h) with itself as the opaque pointer, so any number of
 * VMs each have their own instances.
 */
#ifndef PALACIOS_DEVICE_H
#define PALACIOS_DEVICE_H

struct v3_vm;

struct v3_device_type {
	const char *name;
	/* Make an instance for vm and hook it in; *priv is its state. */
	int (*create)(struct v3_vm *vm, void **priv);
	void (*free)(void *priv);
};

struct v3_device {
	const struct v3_device_type *type;
	void *priv;
	struct v3_device *next;
};

/* Create the device called name in vm. -ENOENT if there is none. */
int v3_device_create(struct v3_vm *vm, const char *name);
void v3_devices_free(struct v3_vm *vm);
/* The instance of the device called name in vm, or NULL. */
void *v3_device_find(struct v3_vm *vm, const char *name);

extern const struct v3_device_type v3_dev_debugcon;
extern const struct v3_device_type v3_dev_debug_exit;
extern const struct v3_device_type v3_dev_testdev;
extern const struct v3_device_type v3_dev_acpi_pm;
extern const struct v3_device_type v3_dev_fw_cfg;

#endif
