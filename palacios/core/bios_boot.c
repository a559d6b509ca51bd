// SPDX-License-Identifier: GPL-2.0
/*
 * Booting through a PC BIOS (SeaBIOS, Debian's /usr/share/seabios), as the
 * paper booted its guests: the BIOS image sits at the top of the 4 GiB
 * space, where the CPU fetches its first instruction, and its last
 * 128 KiB also in the legacy window below 1 MiB, where real-mode code
 * runs it; vCPU 0 starts at the reset vector, F000:FFF0 with CS's base at
 * 0xFFFF0000. From there the BIOS finds the PC the VM emulates (CMOS for
 * the memory size, PCI for the virtio disk) and boots what is on the disk.
 * A BIOS runs in real mode, so this needs nested paging.
 */
#include <palacios/vmm.h>

#define FOUR_GIB	(1ull << 32)
#define LEGACY_TOP	0x100000ull
#define LEGACY_MAX	(128ull << 10)

int v3_boot_bios(struct v3_vm *vm, const struct v3_vm_config *cfg,
		 char *err, size_t errlen)
{
	uint64_t size = cfg->kernel_size, pages = size / V3_PAGE_SIZE;
	uint64_t low = size < LEGACY_MAX ? size : LEGACY_MAX;
	struct v3_vcpu *v = vm->vcpus[0];
	uint8_t *legacy;
	int ret;

	/* The copy at the top of 4 GiB: its own host pages. */
	vm->bios_hpa = v3_host->alloc_pages(pages, V3_PAGE_SIZE);
	if (!vm->bios_hpa) {
		v3_snprintf(err, errlen, "out of memory for the BIOS");
		return -V3_ENOMEM;
	}
	vm->bios_pages = pages;
	v3_memcpy(v3_host->phys_to_virt(vm->bios_hpa), cfg->kernel, size);
	ret = v3_mem_add_ram(&vm->mem, FOUR_GIB - size, size, vm->bios_hpa);
	if (ret) {
		v3_snprintf(err, errlen, "cannot map the BIOS below 4 GiB (%d)", ret);
		return ret;
	}
	/* Its last 128 KiB in the legacy window, which is guest RAM here. */
	legacy = v3_gpa_to_hva(vm, LEGACY_TOP - low, low);
	if (!legacy) {
		v3_snprintf(err, errlen, "guest memory too small for a BIOS");
		return -V3_EINVAL;
	}
	v3_memcpy(legacy, cfg->kernel + size - low, low);

	v3_vcpu_real_mode(v, 0xf000, 0xfff0);
	v->seg[V3_SEG_CS_].base = 0xffff0000;
	return 0;
}
