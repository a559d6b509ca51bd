// SPDX-License-Identifier: GPL-2.0
/*
 * Booting a Linux bzImage directly, by the x86 Linux boot protocol
 * (Documentation/x86/boot.rst), as a boot loader would after the
 * real-mode setup code has run: the protected-mode kernel is loaded at
 * 1 MiB, the "zero page" (struct boot_params) carries the setup header,
 * the command line, the initrd and the e820 memory map, and vCPU 0 enters
 * the 32-bit entry point with paging off and ESI pointing at the zero
 * page. The real-mode setup code is never run, so no BIOS is needed.
 *
 * Low memory layout of the guest:
 *   0x07000  the zero page        0x20000  the command line
 *   0x9fc00  reserved (EBDA)      0xe0000  ACPI tables (reserved)
 *   0x100000 the kernel           top of RAM below 3 GiB: the initrd
 *
 * The command line gets tsc_early_khz= with the host's TSC frequency
 * (the guest's TSC is the host's) and tsc=reliable, unless it sets them:
 * Linux calibrates the TSC by counting port reads against the PIT and
 * wants 10,000 of them in 10 ms, more than I/O exits allow; and it
 * checks the TSC against jiffies, which count PIT interrupts that a
 * vCPU out of the CPU takes late. Both checks fail in a VM while the
 * TSC itself, the host's invariant TSC, is the better clock.
 */
#include <palacios/device.h>
#include <palacios/fw_cfg.h>
#include <palacios/vmm.h>

#define ZERO_PAGE	0x7000
#define CMDLINE		0x20000
#define CMDLINE_MAX	(0x9f000 - CMDLINE)
#define KERNEL_LOAD	0x100000

/* Offsets in the bzImage and in boot_params (the setup header is at the
 * same place in both). */
#define BP_ACPI_RSDP	0x070
#define BP_E820_ENTRIES	0x1e8
#define HDR_START	0x1f1
#define HDR_SETUP_SECTS	0x1f1
#define HDR_BOOT_FLAG	0x1fe
#define HDR_HEADER	0x202
#define HDR_VERSION	0x206
#define HDR_LOADER	0x210
#define HDR_LOADFLAGS	0x211
#define HDR_CODE32	0x214
#define HDR_RAMDISK	0x218
#define HDR_RAMDISK_SZ	0x21c
#define HDR_CMDLINE	0x228
#define HDR_INITRD_MAX	0x22c
#define HDR_CMDLINE_SZ	0x238
#define HDR_INIT_SIZE	0x260
#define BP_E820_TABLE	0x2d0

#define LOADED_HIGH	0x01

struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

#define ERR(...)                                        \
	do {                                            \
		v3_snprintf(err, errlen, __VA_ARGS__);  \
		return -V3_EINVAL;                      \
	} while (0)

static uint16_t get16(const uint8_t *p, unsigned off)
{
	return p[off] | p[off + 1] << 8;
}

static uint32_t get32(const uint8_t *p, unsigned off)
{
	return get16(p, off) | (uint32_t)get16(p, off + 2) << 16;
}

static void put32(uint8_t *p, unsigned off, uint32_t v)
{
	v3_memcpy(p + off, &v, 4);
}

static bool is_bzimage(const uint8_t *k, uint64_t size)
{
	return size > 0x264 && get16(k, HDR_BOOT_FLAG) == 0xaa55 &&
	       !v3_memcmp(k + HDR_HEADER, "HdrS", 4);
}

static bool has_word(const char *s, const char *word)
{
	for (; *s; s++) {
		unsigned i = 0;

		while (word[i] && s[i] == word[i])
			i++;
		if (!word[i])
			return true;
	}
	return false;
}

/* The guest's command line with the TSC settings added; its length. */
static unsigned build_cmdline(char *dst, unsigned size, const char *given)
{
	const char *cl = given ? given : "";
	unsigned n = v3_snprintf(dst, size, "%s", cl);

	if (!has_word(cl, "tsc_early_khz=") && n < size)
		n += v3_snprintf(dst + n, size - n, "%stsc_early_khz=%llu",
				 n ? " " : "",
				 (unsigned long long)v3_host->cpu_khz());
	if (!has_word(cl, "tsc=") && n < size)
		n += v3_snprintf(dst + n, size - n, " tsc=reliable");
	return n;
}

/* The PC memory map the guest is told: RAM (v3_mem_layout) less the
 * BIOS-era holes. */
static unsigned build_e820(struct e820_entry *e, uint64_t mem)
{
	struct v3_ram_range r[2];
	unsigned n = v3_mem_layout(mem, r);

	e[0] = (struct e820_entry){ 0, 0x9fc00, 1 };
	e[1] = (struct e820_entry){ 0x9fc00, 0x400, 2 };
	e[2] = (struct e820_entry){ 0xe0000, 0x20000, 2 };
	e[3] = (struct e820_entry){ 0x100000, r[0].end - 0x100000, 1 };
	if (n > 1)
		e[4] = (struct e820_entry){ r[1].start, r[1].end - r[1].start, 1 };
	return 3 + n;
}

/*
 * QEMU's -kernel items in fw_cfg, for firmware and tools that look there:
 * the setup part (its header is in the zero page), the protected-mode
 * kernel, the initrd and the command line as the kernel got it.
 */
static int add_fw_cfg_items(struct v3_vm *vm, const struct v3_vm_config *cfg,
			    uint64_t pm_offset, const char *cmdline,
			    uint64_t initrd)
{
	void *fw_cfg = v3_device_find(vm, "fw_cfg");
	const struct v3_fw_cfg_linux l = {
		.setup = cfg->kernel, .setup_size = pm_offset,
		.setup_addr = ZERO_PAGE,
		.kernel = cfg->kernel + pm_offset,
		.kernel_size = cfg->kernel_size - pm_offset,
		.kernel_addr = KERNEL_LOAD,
		.initrd = cfg->initrd, .initrd_size = cfg->initrd_size,
		.initrd_addr = initrd,
		.cmdline = cmdline, .cmdline_addr = CMDLINE,
	};

	return fw_cfg ? v3_fw_cfg_set_linux(fw_cfg, &l) : 0;
}

int v3_boot_linux(struct v3_vm *vm, const struct v3_vm_config *cfg,
		  uint64_t rsdp, char *err, size_t errlen)
{
	const uint8_t *k = cfg->kernel;
	uint8_t *zp = v3_gpa_to_hva(vm, ZERO_PAGE, 4096);
	unsigned setup_sects, version, hdr_end;
	uint64_t pm_offset, pm_size, init_size, initrd = 0, cl_len;
	struct e820_entry map[5];
	struct v3_vcpu *v = vm->vcpus[0];
	void *dst;

	if (!is_bzimage(k, cfg->kernel_size))
		ERR("kernel: not a Linux bzImage");
	version = get16(k, HDR_VERSION);
	if (version < 0x20a)
		ERR("kernel: boot protocol %u.%02u; 2.10 or later needed",
		    version >> 8, version & 0xff);
	if (!(k[HDR_LOADFLAGS] & LOADED_HIGH))
		ERR("kernel: a zImage (loaded low) is not supported");
	setup_sects = k[HDR_SETUP_SECTS] ? k[HDR_SETUP_SECTS] : 4;
	pm_offset = (setup_sects + 1) * 512ull;
	if (pm_offset >= cfg->kernel_size)
		ERR("kernel: setup sectors run past the end of the file");
	pm_size = cfg->kernel_size - pm_offset;
	init_size = get32(k, HDR_INIT_SIZE);
	if (init_size < pm_size)
		init_size = pm_size;
	if (KERNEL_LOAD + init_size > cfg->mem_size)
		ERR("kernel: needs %llu MiB of memory from 1 MiB; the VM has %llu MiB",
		    (unsigned long long)(init_size >> 20),
		    (unsigned long long)(cfg->mem_size >> 20));

	dst = v3_gpa_to_hva(vm, KERNEL_LOAD, pm_size);
	if (!zp || !dst)
		ERR("guest memory too small for the kernel");
	v3_memcpy(dst, k + pm_offset, pm_size);

	/* The zero page: the setup header as the kernel file has it. */
	v3_memset(zp, 0, 4096);
	hdr_end = 0x202 + k[0x201];	/* the jump at 0x200 skips the header */
	if (hdr_end > 4096 || hdr_end > cfg->kernel_size)
		ERR("kernel: malformed setup header");
	v3_memcpy(zp + HDR_START, k + HDR_START, hdr_end - HDR_START);
	zp[HDR_LOADER] = 0xff;	/* "undefined" boot loader */

	dst = v3_gpa_to_hva(vm, CMDLINE, CMDLINE_MAX);
	cl_len = build_cmdline(dst, CMDLINE_MAX, cfg->cmdline) + 1;
	if (cl_len >= CMDLINE_MAX ||
	    (version >= 0x206 && cl_len > get32(k, HDR_CMDLINE_SZ) + 1ull))
		ERR("command line too long (%llu bytes)", (unsigned long long)cl_len);
	put32(zp, HDR_CMDLINE, CMDLINE);

	if (cfg->initrd) {
		uint64_t max = get32(k, HDR_INITRD_MAX);
		uint64_t low = cfg->mem_size < V3_LOW_RAM_TOP ? cfg->mem_size :
			       V3_LOW_RAM_TOP;

		/* The top of the RAM below 4 GiB: the ramdisk fields are 32-bit. */
		initrd = (low - cfg->initrd_size) & ~0xfffffull;
		if (initrd + cfg->initrd_size > max + 1)
			initrd = (max + 1 - cfg->initrd_size) & ~0xfffffull;
		if (cfg->initrd_size > low ||
		    initrd < KERNEL_LOAD + init_size)
			ERR("initrd (%llu MiB) does not fit above the kernel in %llu MiB",
			    (unsigned long long)(cfg->initrd_size >> 20),
			    (unsigned long long)(cfg->mem_size >> 20));
		v3_memcpy(v3_gpa_to_hva(vm, initrd, cfg->initrd_size),
			  cfg->initrd, cfg->initrd_size);
		put32(zp, HDR_RAMDISK, initrd);
		put32(zp, HDR_RAMDISK_SZ, cfg->initrd_size);
	}

	zp[BP_E820_ENTRIES] = build_e820(map, cfg->mem_size);
	v3_memcpy(zp + BP_E820_TABLE, map, zp[BP_E820_ENTRIES] * sizeof(map[0]));
	if (version >= 0x20e)
		v3_memcpy(zp + BP_ACPI_RSDP, &rsdp, 8);
	if (add_fw_cfg_items(vm, cfg, pm_offset, dst, initrd))
		ERR("out of memory for fw_cfg's copy of the kernel and initrd");

	/* 32-bit entry: flat __BOOT_CS (0x10) and __BOOT_DS (0x18). */
	for (unsigned i = 0; i < 6; i++)
		v->seg[i] = (struct v3_segment){ 0x18, 0xc93, 0xffffffff, 0 };
	v->seg[V3_SEG_CS_] = (struct v3_segment){ 0x10, 0xc9b, 0xffffffff, 0 };
	v->cr0 = 0x11;
	v->cr3 = v->cr4 = v->efer = 0;
	v->rflags = 0x2;
	v->rip = get32(k, HDR_CODE32) ? get32(k, HDR_CODE32) : KERNEL_LOAD;
	v->regs = (struct v3_gprs){ .rsi = ZERO_PAGE };
	return 0;
}
