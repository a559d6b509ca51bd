// SPDX-License-Identifier: GPL-2.0
/*
 * Checking a VM configuration image (image.h) before anything is
 * allocated for it. The image comes from user space, so every field is
 * checked and every blob bounded; the reason for a refusal goes back to
 * the user in one line.
 *
 * The image may lie in memory its owner can still write while the VM is
 * built (another thread of the process). So the header is read once, by
 * the host, into a copy only the host holds (v3_vm_create's hdr): every
 * check here is made on that copy and every size and offset the VMM uses
 * afterwards comes from it, never from the image again. The payloads are
 * read from the image within the bounds the copy gives: a payload
 * changed under the VMM's feet gives the guest garbage, never the host
 * an access outside the image. The command line is the one payload read
 * as a string later, so it is copied here and its NUL checked on the
 * copy.
 */
#include <palacios/vmm.h>

static bool blob_ok(const struct v3_image_blob *b, uint64_t image_size)
{
	return b->offset <= image_size && b->size <= image_size - b->offset;
}

#define REFUSE(...)                                        \
	do {                                               \
		v3_snprintf(err, errlen, __VA_ARGS__);     \
		return -V3_EINVAL;                         \
	} while (0)

int v3_image_parse(const struct v3_image *h, const void *image, size_t size,
		   struct v3_vm_config *cfg, char *err, size_t errlen)
{
	const uint8_t *base = image;
	char *cmdline = NULL;

	if (size < sizeof(*h))
		REFUSE("image too small (%llu bytes)", (unsigned long long)size);
	if (v3_memcmp(h->magic, V3_IMAGE_MAGIC, sizeof(h->magic)))
		REFUSE("not a VM image (bad magic)");
	if (h->version != V3_IMAGE_VERSION || h->header_size != sizeof(*h))
		REFUSE("image version %u (header %u bytes); this VMM reads version %u",
		       h->version, h->header_size, V3_IMAGE_VERSION);
	if (h->image_size != size)
		REFUSE("image says %llu bytes but %llu were given",
		       (unsigned long long)h->image_size,
		       (unsigned long long)size);
	if (h->mem_size < V3_IMAGE_MIN_MEM || h->mem_size > V3_IMAGE_MAX_MEM ||
	    (h->mem_size & (V3_PAGE_SIZE - 1)))
		REFUSE("memory size %llu: must be a multiple of 4 KiB from 1 MiB to 64 GiB",
		       (unsigned long long)h->mem_size);
	if (h->vcpus < 1 || h->vcpus > V3_IMAGE_MAX_VCPUS)
		REFUSE("%u vCPUs: 1 to %u", h->vcpus, V3_IMAGE_MAX_VCPUS);
	if (h->paging != V3_PAGING_NESTED && h->paging != V3_PAGING_SHADOW)
		REFUSE("unknown paging mode %u", h->paging);
	if (h->boot != V3_BOOT_MULTIBOOT && h->boot != V3_BOOT_LINUX &&
	    h->boot != V3_BOOT_BIOS)
		REFUSE("unknown boot protocol %u", h->boot);
	if (h->flags)
		REFUSE("unknown flags 0x%x", h->flags);
	if (!blob_ok(&h->kernel, size) || !blob_ok(&h->initrd, size) ||
	    !blob_ok(&h->cmdline, size) || !blob_ok(&h->disk, size))
		REFUSE("a payload lies outside the image");
	if (!h->kernel.size)
		REFUSE("no kernel");
	if (h->boot == V3_BOOT_BIOS &&
	    (h->kernel.size & 0xffff || h->kernel.size > (256 << 10)))
		REFUSE("BIOS image of %llu bytes: 64, 128, 192 or 256 KiB",
		       (unsigned long long)h->kernel.size);
	if (h->boot == V3_BOOT_BIOS && h->paging != V3_PAGING_NESTED)
		REFUSE("a BIOS starts in real mode: it needs nested paging");
	if (h->passthrough_io_last &&
	    h->passthrough_io_first > h->passthrough_io_last)
		REFUSE("passthrough ports 0x%x-0x%x: an empty range",
		       h->passthrough_io_first, h->passthrough_io_last);
	if (h->passthrough_irq > 15)
		REFUSE("passthrough IRQ %u: an ISA IRQ is 1 to 15",
		       h->passthrough_irq);
	if (h->passthrough_mem_size &&
	    ((h->passthrough_mem_base | h->passthrough_mem_size) & (V3_PAGE_SIZE - 1) ||
	     h->passthrough_mem_base < h->mem_size ||
	     h->passthrough_mem_base + h->passthrough_mem_size < h->passthrough_mem_base ||
	     h->passthrough_mem_base + h->passthrough_mem_size > (1ull << 40)))
		REFUSE("passthrough memory 0x%llx+0x%llx: page aligned, above the guest's RAM, below 1 TiB",
		       (unsigned long long)h->passthrough_mem_base,
		       (unsigned long long)h->passthrough_mem_size);
	if (h->cmdline.size) {
		cmdline = v3_zalloc(h->cmdline.size);
		if (!cmdline)
			REFUSE("out of memory for the command line");
		v3_memcpy(cmdline, base + h->cmdline.offset, h->cmdline.size);
		if (cmdline[h->cmdline.size - 1] != '\0') {
			v3_free(cmdline);
			REFUSE("command line not NUL-terminated");
		}
	}

	*cfg = (struct v3_vm_config){
		.mem_size = h->mem_size,
		.vcpus = h->vcpus,
		.paging = h->paging,
		.boot = h->boot,
		.kernel = base + h->kernel.offset,
		.kernel_size = h->kernel.size,
		.initrd = h->initrd.size ? base + h->initrd.offset : NULL,
		.initrd_size = h->initrd.size,
		.cmdline = cmdline,
		.disk = h->disk.size ? base + h->disk.offset : NULL,
		.disk_size = h->disk.size,
		.disk_offset = h->disk.offset,
		.passthrough_io_first = h->passthrough_io_first,
		.passthrough_io_last = h->passthrough_io_last,
		.passthrough_irq = h->passthrough_irq,
		.passthrough_mem_base = h->passthrough_mem_base,
		.passthrough_mem_size = h->passthrough_mem_size,
	};
	return 0;
}

void v3_image_release(struct v3_vm_config *cfg)
{
	v3_free((void *)cfg->cmdline);
	cfg->cmdline = NULL;
}
