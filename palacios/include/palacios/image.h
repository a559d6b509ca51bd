/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM configuration image: everything a VM is made from, in one
 * buffer, built on the host (tools/mkvmimage) and handed to
 * v3_vm_create() by the host OS. As in Jailhouse, it is a versioned,
 * packed C structure followed by its payloads, so the VMM parses no text:
 * it checks sizes and offsets and copies.
 *
 *   struct v3_image header
 *   payloads (kernel, initrd, command line, ...) at the offsets the
 *   header's blobs give, each inside the image
 *
 * docs/palacios-image.md describes each field.
 */
#ifndef PALACIOS_IMAGE_H
#define PALACIOS_IMAGE_H

#include <stdint.h>

#define V3_IMAGE_MAGIC		"V3IMAGE"	/* 8 bytes with the NUL */
#define V3_IMAGE_VERSION	2

enum v3_paging_mode {
	V3_PAGING_NESTED = 1,	/* AMD NPT: the guest owns its page tables */
	V3_PAGING_SHADOW = 2,	/* the VMM keeps shadow page tables */
};

enum v3_boot_protocol {
	V3_BOOT_MULTIBOOT = 1,	/* an ELF multiboot kernel, entered in 32-bit mode */
	V3_BOOT_LINUX = 2,	/* a bzImage, by the Linux boot protocol */
	V3_BOOT_BIOS = 3,	/* the kernel blob is a PC BIOS (SeaBIOS), from reset */
};

/* A payload: bytes [offset, offset + size) of the image. */
struct v3_image_blob {
	uint64_t offset;
	uint64_t size;
} __attribute__((packed));

#define V3_IMAGE_MAX_VCPUS	64
#define V3_IMAGE_MIN_MEM	(1ULL << 20)
#define V3_IMAGE_MAX_MEM	(64ULL << 30)

struct v3_image {
	char magic[8];
	uint32_t version;
	uint32_t header_size;		/* sizeof(struct v3_image) */
	uint64_t image_size;		/* the whole image, payloads included */

	uint64_t mem_size;		/* guest RAM in bytes, multiple of 4 KiB */
	uint32_t vcpus;
	uint32_t paging;		/* enum v3_paging_mode */
	uint32_t boot;			/* enum v3_boot_protocol */
	uint32_t flags;			/* none yet; must be 0 */

	struct v3_image_blob kernel;
	struct v3_image_blob initrd;	/* size 0: none */
	struct v3_image_blob cmdline;	/* NUL-terminated; size 0: none */
	struct v3_image_blob disk;	/* the block device's image; 0: none */
	/* Host I/O ports [first, last] the guest uses directly, without
	 * exits (passthrough I/O); last 0: none. */
	uint16_t passthrough_io_first, passthrough_io_last;
	/* A host ISA IRQ (1-15, edge-triggered) raised on the guest's line
	 * of the same number; 0: none. */
	uint8_t passthrough_irq;
	/* Host device memory [base, base + size), page aligned, mapped
	 * uncached at the same guest-physical address, above the guest's
	 * RAM; size 0: none. */
	uint64_t passthrough_mem_base, passthrough_mem_size;
} __attribute__((packed));

#endif
