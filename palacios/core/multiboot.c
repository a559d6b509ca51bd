// SPDX-License-Identifier: GPL-2.0
/*
 * Booting a multiboot (version 1) kernel directly, as QEMU's -kernel and
 * GRUB do: load its ELF segments (or the a.out-kludge image) at their
 * physical addresses, build the multiboot information structure with the
 * memory map, command line and one module (the initrd) above the kernel,
 * and start vCPU 0 in flat 32-bit protected mode with paging off.
 */
#include <palacios/vmm.h>

#define MB_MAGIC		0x1badb002u
#define MB_BOOT_MAGIC		0x2badb002u
#define MB_FLAG_AOUT_KLUDGE	(1u << 16)
#define MB_SEARCH		8192

#define MBI_MEM			(1u << 0)
#define MBI_CMDLINE		(1u << 2)
#define MBI_MODS		(1u << 3)
#define MBI_MMAP		(1u << 6)

struct mb_header {
	uint32_t magic, flags, checksum;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	uint32_t entry_addr;
};

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t unused[8];
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

struct elf_hdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
};

#define ERR(...)                                        \
	do {                                            \
		v3_snprintf(err, errlen, __VA_ARGS__);  \
		return -V3_EINVAL;                      \
	} while (0)

/* Copy (or zero, when src is NULL) into guest RAM, bounds checked. */
static int put(struct v3_vm *vm, uint64_t gpa, const void *src, uint64_t len)
{
	void *dst = v3_gpa_to_hva(vm, gpa, len);

	if (!dst)
		return -V3_EINVAL;
	if (src)
		v3_memcpy(dst, src, len);
	else
		v3_memset(dst, 0, len);
	return 0;
}

static const struct mb_header *find_header(const struct v3_vm_config *cfg)
{
	uint64_t limit = cfg->kernel_size < MB_SEARCH ? cfg->kernel_size : MB_SEARCH;

	for (uint64_t off = 0; off + sizeof(struct mb_header) <= limit; off += 4) {
		const struct mb_header *h = (const void *)(cfg->kernel + off);

		if (h->magic == MB_MAGIC && h->magic + h->flags + h->checksum == 0)
			return h;
	}
	return NULL;
}

/* One ELF segment: [offset, offset+filesz) to paddr, zero up to memsz. */
static int load_segment(struct v3_vm *vm, const struct v3_vm_config *cfg,
			uint64_t offset, uint64_t filesz, uint64_t paddr,
			uint64_t memsz, uint64_t *top, char *err, size_t errlen)
{
	if (filesz > memsz || offset > cfg->kernel_size ||
	    filesz > cfg->kernel_size - offset)
		ERR("kernel: a segment lies outside the file");
	if (put(vm, paddr, cfg->kernel + offset, filesz) ||
	    put(vm, paddr + filesz, NULL, memsz - filesz))
		ERR("kernel: segment at 0x%llx (%llu bytes) is outside guest memory",
		    (unsigned long long)paddr, (unsigned long long)memsz);
	if (paddr + memsz > *top)
		*top = paddr + memsz;
	return 0;
}

static int load_elf(struct v3_vm *vm, const struct v3_vm_config *cfg,
		    uint64_t *entry, uint64_t *top, char *err, size_t errlen)
{
	const struct elf_hdr *e = (const void *)cfg->kernel;
	const uint8_t *k = cfg->kernel;
	uint64_t phoff, phnum, phentsize;
	int ret;

	if (cfg->kernel_size < 64 || v3_memcmp(e->ident, "\177ELF", 4))
		ERR("kernel: neither ELF nor a multiboot a.out image");
	if (e->ident[4] == 1) {		/* ELF32 */
		*entry = *(const uint32_t *)(k + 24);
		phoff = *(const uint32_t *)(k + 28);
		phentsize = *(const uint16_t *)(k + 42);
		phnum = *(const uint16_t *)(k + 44);
	} else if (e->ident[4] == 2) {	/* ELF64 */
		*entry = *(const uint64_t *)(k + 24);
		phoff = *(const uint64_t *)(k + 32);
		phentsize = *(const uint16_t *)(k + 54);
		phnum = *(const uint16_t *)(k + 56);
	} else {
		ERR("kernel: bad ELF class %u", e->ident[4]);
	}
	if (phentsize < 32 || phoff > cfg->kernel_size ||
	    phnum * phentsize > cfg->kernel_size - phoff)
		ERR("kernel: program headers lie outside the file");

	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = k + phoff + i * phentsize;
		uint64_t off, paddr, filesz, memsz;

		if (*(const uint32_t *)ph != 1)	/* PT_LOAD */
			continue;
		if (e->ident[4] == 1) {
			off = *(const uint32_t *)(ph + 4);
			paddr = *(const uint32_t *)(ph + 12);
			filesz = *(const uint32_t *)(ph + 16);
			memsz = *(const uint32_t *)(ph + 20);
		} else {
			if (phentsize < 56)
				ERR("kernel: short ELF64 program header");
			off = *(const uint64_t *)(ph + 8);
			paddr = *(const uint64_t *)(ph + 24);
			filesz = *(const uint64_t *)(ph + 32);
			memsz = *(const uint64_t *)(ph + 40);
		}
		ret = load_segment(vm, cfg, off, filesz, paddr, memsz, top, err,
				   errlen);
		if (ret)
			return ret;
	}
	if (*top == 0)
		ERR("kernel: no loadable segment");
	return 0;
}

static int load_aout(struct v3_vm *vm, const struct v3_vm_config *cfg,
		     const struct mb_header *h, uint64_t *entry, uint64_t *top,
		     char *err, size_t errlen)
{
	uint64_t hoff = (const uint8_t *)h - cfg->kernel;
	uint64_t file_start, load_end, bss_end;

	if (h->header_addr < h->load_addr || h->header_addr - h->load_addr > hoff)
		ERR("kernel: multiboot header addresses are inconsistent");
	file_start = hoff - (h->header_addr - h->load_addr);
	load_end = h->load_end_addr ? h->load_end_addr :
		   h->load_addr + (cfg->kernel_size - file_start);
	bss_end = h->bss_end_addr > load_end ? h->bss_end_addr : load_end;
	if (load_end < h->load_addr)
		ERR("kernel: multiboot load_end_addr below load_addr");
	*entry = h->entry_addr;
	return load_segment(vm, cfg, file_start, load_end - h->load_addr,
			    h->load_addr, bss_end - h->load_addr, top, err,
			    errlen);
}

/* Place the multiboot information and payloads above `top`. */
static int build_info(struct v3_vm *vm, const struct v3_vm_config *cfg,
		      uint64_t top, uint64_t *info_gpa, char *err, size_t errlen)
{
	uint64_t at = (top + V3_PAGE_SIZE - 1) & V3_PAGE_MASK;
	uint64_t info = at, cmdline, mods, mmap, initrd = 0;
	const char *cl = cfg->cmdline ? cfg->cmdline : "";
	uint64_t cl_len = __builtin_strlen(cl) + 1;
	struct mb_info mbi = { 0 };
	struct v3_ram_range r[2] = { { 0 }, { 0 } };
	unsigned nr = v3_mem_layout(cfg->mem_size, r);
	struct mb_mmap map[4] = {
		{ 20, 0, 0x9fc00, 1 },
		{ 20, 0x9fc00, 0x100000 - 0x9fc00, 2 },
		{ 20, 0x100000, r[0].end - 0x100000, 1 },
		{ 20, r[1].start, r[1].end - r[1].start, 1 },
	};
	uint64_t map_size = (2 + nr) * sizeof(map[0]);
	struct mb_module mod = { 0 };

	mmap = info + sizeof(mbi);
	mods = mmap + map_size;
	cmdline = mods + sizeof(mod);
	at = (cmdline + cl_len + V3_PAGE_SIZE - 1) & V3_PAGE_MASK;
	if (cfg->initrd) {
		initrd = at;
		at += cfg->initrd_size;
	}
	if (at > r[0].end)
		ERR("kernel, boot information and initrd need %llu KiB; the VM has %llu",
		    (unsigned long long)(at >> 10),
		    (unsigned long long)(cfg->mem_size >> 10));

	mbi.flags = MBI_MEM | MBI_CMDLINE | MBI_MMAP;
	mbi.mem_lower = 639;
	mbi.mem_upper = (r[0].end - 0x100000) >> 10;
	mbi.cmdline = cmdline;
	mbi.mmap_addr = mmap;
	mbi.mmap_length = map_size;
	if (cfg->initrd) {
		mbi.flags |= MBI_MODS;
		mbi.mods_count = 1;
		mbi.mods_addr = mods;
		mod.start = initrd;
		mod.end = initrd + cfg->initrd_size;
		mod.string = cmdline + cl_len - 1;	/* "" */
		if (put(vm, initrd, cfg->initrd, cfg->initrd_size))
			ERR("initrd does not fit in guest memory");
	}
	if (put(vm, info, &mbi, sizeof(mbi)) || put(vm, mmap, map, map_size) ||
	    put(vm, mods, &mod, sizeof(mod)) || put(vm, cmdline, cl, cl_len))
		ERR("boot information does not fit in guest memory");
	*info_gpa = info;
	return 0;
}

/* Flat 4 GiB segments, as the multiboot specification promises. */
static void enter_protected_mode(struct v3_vcpu *v, uint64_t entry,
				 uint64_t info)
{
	static const struct v3_segment code = { 0x08, 0xc9b, 0xffffffff, 0 };
	static const struct v3_segment data = { 0x10, 0xc93, 0xffffffff, 0 };

	for (unsigned i = 0; i < 6; i++)
		v->seg[i] = data;
	v->seg[V3_SEG_CS_] = code;
	v->cr0 = 0x11;		/* PE, ET */
	v->cr3 = v->cr4 = v->efer = 0;
	v->rflags = 0x2;
	v->rip = entry;
	v->regs.rax = MB_BOOT_MAGIC;
	v->regs.rbx = info;
}

int v3_boot_multiboot(struct v3_vm *vm, const struct v3_vm_config *cfg,
		      char *err, size_t errlen)
{
	const struct mb_header *h = find_header(cfg);
	uint64_t entry = 0, top = 0, info;
	int ret;

	if (!h)
		ERR("kernel: no multiboot header in its first 8 KiB");
	if (h->flags & MB_FLAG_AOUT_KLUDGE)
		ret = load_aout(vm, cfg, h, &entry, &top, err, errlen);
	else
		ret = load_elf(vm, cfg, &entry, &top, err, errlen);
	if (ret)
		return ret;
	if (!v3_gpa_to_hva(vm, entry, 1))
		ERR("kernel: entry point 0x%llx is outside guest memory",
		    (unsigned long long)entry);
	ret = build_info(vm, cfg, top, &info, err, errlen);
	if (ret)
		return ret;
	enter_protected_mode(vm->vcpus[0], entry, info);
	return 0;
}
