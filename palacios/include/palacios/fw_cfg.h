/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's firmware configuration device (devices/fw_cfg.c), as far as the
 * rest of Palacios needs it: the selector numbers, and the items a
 * Linux boot adds (QEMU's -kernel, -initrd and -append items).
 */
#ifndef PALACIOS_FW_CFG_H
#define PALACIOS_FW_CFG_H

#include <stdint.h>

#define FW_CFG_PORT_SEL		0x510	/* 16-bit selector, write */
#define FW_CFG_PORT_DATA	0x511	/* 8-bit data, read */
#define FW_CFG_PORT_DMA		0x514	/* 64-bit DMA address, big-endian */

#define FW_CFG_SIGNATURE	0x00
#define FW_CFG_ID		0x01
#define FW_CFG_UUID		0x02
#define FW_CFG_RAM_SIZE		0x03
#define FW_CFG_NOGRAPHIC	0x04
#define FW_CFG_NB_CPUS		0x05
#define FW_CFG_KERNEL_ADDR	0x07
#define FW_CFG_KERNEL_SIZE	0x08
#define FW_CFG_INITRD_ADDR	0x0a
#define FW_CFG_INITRD_SIZE	0x0b
#define FW_CFG_BOOT_DEVICE	0x0c
#define FW_CFG_NUMA		0x0d
#define FW_CFG_BOOT_MENU	0x0e
#define FW_CFG_MAX_CPUS		0x0f
#define FW_CFG_KERNEL_DATA	0x11
#define FW_CFG_INITRD_DATA	0x12
#define FW_CFG_CMDLINE_ADDR	0x13
#define FW_CFG_CMDLINE_SIZE	0x14
#define FW_CFG_CMDLINE_DATA	0x15
#define FW_CFG_SETUP_ADDR	0x16
#define FW_CFG_SETUP_SIZE	0x17
#define FW_CFG_SETUP_DATA	0x18
#define FW_CFG_FILE_DIR		0x19
#define FW_CFG_FILE_FIRST	0x20

#define FW_CFG_ID_TRADITIONAL	0x01
#define FW_CFG_ID_DMA		0x02

#define FW_CFG_DMA_ERROR	0x01
#define FW_CFG_DMA_READ		0x02
#define FW_CFG_DMA_SKIP		0x04
#define FW_CFG_DMA_SELECT	0x08
#define FW_CFG_DMA_WRITE	0x10

/* What a Linux boot loaded where (guest-physical), and the bytes. */
struct v3_fw_cfg_linux {
	const uint8_t *setup;		/* the real-mode part of the bzImage */
	uint32_t setup_size, setup_addr;
	const uint8_t *kernel;		/* the protected-mode part */
	uint32_t kernel_size, kernel_addr;
	const uint8_t *initrd;		/* NULL: none */
	uint32_t initrd_size, initrd_addr;
	const char *cmdline;		/* NUL-terminated */
	uint32_t cmdline_addr;
};

/*
 * Add the kernel, initrd and command-line items to the fw_cfg instance
 * (v3_device_find(vm, "fw_cfg")); the bytes are copied. 0 or -ENOMEM.
 */
int v3_fw_cfg_set_linux(void *fw_cfg, const struct v3_fw_cfg_linux *l);

#endif
