// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's firmware configuration device (fw_cfg), as QEMU's
 * docs/specs/fw_cfg.rst describes it: firmware and test kernels that ask
 * "the QEMU way" (SeaBIOS, kvm-unit-tests, Linux's qemu_fw_cfg) find the
 * CPU count, the RAM size and the memory map here.
 *
 * A guest selects an item by writing its 16-bit key to port 0x510, then
 * reads its bytes one at a time from port 0x511, from offset 0; reading
 * past the end, or an item that does not exist, gives zeros, as on QEMU
 * (an unknown key is logged once). Or it uses DMA: it writes the guest-
 * physical address of a struct { be32 control; be32 length; be64 address }
 * to the big-endian register at 0x514 (high half, then the low half at
 * 0x518, which starts the transfer); the control word selects an item
 * and asks to read, skip or write `length` bytes at `address`, and is
 * written back as 0 or, on failure, the error bit. Every guest address is
 * checked to be RAM for its whole length first: a transfer aimed at a
 * device, a hole or past RAM fails with the error bit and never touches
 * host memory. Nothing is writable, so a write fails the same way.
 * Reading 0x514 gives the DMA signature "QEMU CFG".
 *
 * Items: the signature "QEMU", the ID (traditional and DMA interfaces),
 * a zero UUID, the RAM size, the vCPU count (NB_CPUS and MAX_CPUS), no
 * NUMA nodes, the file directory with etc/e820 (the RAM ranges of
 * v3_mem_layout), and for a Linux boot QEMU's -kernel items: setup,
 * kernel, initrd and command line with their load addresses
 * (v3_fw_cfg_set_linux). Integers are little-endian, the directory
 * big-endian, as QEMU has them.
 */
#include <palacios/device.h>
#include <palacios/fw_cfg.h>
#include <palacios/vmm.h>

#define FW_CFG_INVALID		0xffff
#define FW_CFG_KEY_MASK		0x3fff	/* bit 14: write mode, bit 15: arch */
#define MAX_ITEMS		32
#define MAX_FILES		4
#define FILE_NAME		56

struct item {
	uint16_t key;
	uint32_t len;
	const uint8_t *data;
};

struct fw_file {
	uint8_t size[4];		/* be32 */
	uint8_t select[2];		/* be16 */
	uint8_t reserved[2];
	char name[FILE_NAME];
};

struct e820 {
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

struct fw_cfg {
	struct v3_vm *vm;
	void *lock;
	struct item items[MAX_ITEMS];
	unsigned nr_items;
	const struct item *cur;		/* NULL: nothing (or nothing valid) */
	uint32_t offset;
	uint64_t dma_addr;
	bool reported_key, reported_dma;

	/* The items' bytes, in the device itself. */
	uint8_t id[4], uuid[16], ram_size[8], nb_cpus[2], numa[8];
	struct e820 e820[2];
	struct {
		uint8_t count[4];	/* be32 */
		struct fw_file files[MAX_FILES];
	} __attribute__((packed)) dir;
	unsigned nr_files;
	/* Linux's items: small ones here, the bytes in one host extent. */
	uint8_t linux_words[8][4];
	uint64_t blob_hpa, blob_pages;
};

static const uint8_t signature[4] = { 'Q', 'E', 'M', 'U' };
static const uint8_t dma_signature[8] = { 'Q', 'E', 'M', 'U', ' ', 'C', 'F', 'G' };

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static void put_be(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = v >> (8 * (n - 1 - i));
}

static uint64_t get_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void add(struct fw_cfg *f, uint16_t key, const void *data, uint32_t len)
{
	for (unsigned i = 0; i < f->nr_items; i++)
		if (f->items[i].key == key) {
			f->items[i] = (struct item){ key, len, data };
			return;
		}
	if (f->nr_items < MAX_ITEMS)
		f->items[f->nr_items++] = (struct item){ key, len, data };
}

/* A file: the next key from FILE_FIRST, listed in the directory. */
static void add_file(struct fw_cfg *f, const char *name, const void *data,
		     uint32_t len)
{
	struct fw_file *e = &f->dir.files[f->nr_files];
	uint16_t key = FW_CFG_FILE_FIRST + f->nr_files;
	unsigned i;

	if (f->nr_files == MAX_FILES)
		return;
	put_be(e->size, len, 4);
	put_be(e->select, key, 2);
	for (i = 0; name[i] && i < FILE_NAME - 1; i++)
		e->name[i] = name[i];
	f->nr_files++;
	put_be(f->dir.count, f->nr_files, 4);
	add(f, key, data, len);
	add(f, FW_CFG_FILE_DIR, &f->dir, 4 + f->nr_files * sizeof(*e));
}

static void select_key(struct fw_cfg *f, uint16_t key)
{
	f->cur = NULL;
	f->offset = 0;
	for (unsigned i = 0; i < f->nr_items; i++)
		if (f->items[i].key == (key & (FW_CFG_KEY_MASK | 0x8000)))
			f->cur = &f->items[i];
	if (!f->cur && !f->reported_key) {
		f->reported_key = true;
		VM_INFO(f->vm, "fw_cfg: no item 0x%x: it reads as zeros (reported once)",
			key);
	}
}

/* The next n bytes of the selected item into buf, zeros past its end. */
static void read_item(struct fw_cfg *f, uint8_t *buf, uint32_t n)
{
	uint32_t have = f->cur && f->offset < f->cur->len ? f->cur->len - f->offset : 0;

	if (have > n)
		have = n;
	if (have)
		v3_memcpy(buf, f->cur->data + f->offset, have);
	v3_memset(buf + have, 0, n - have);
	f->offset += have;
}

/* Guest RAM at gpa for len bytes, or NULL: never anything else. */
static void *guest_ram(struct fw_cfg *f, uint64_t gpa, uint64_t len)
{
	uint64_t hpa;

	if (!len || !v3_mem_ram_hpa(&f->vm->mem, gpa, len, &hpa))
		return NULL;
	return v3_host->phys_to_virt(hpa);
}

/* One DMA request, the access structure at f->dma_addr. */
static void dma_transfer(struct fw_cfg *f)
{
	uint8_t *access = guest_ram(f, f->dma_addr, 16);
	uint32_t control, length, status = 0;
	uint64_t address;
	uint8_t *dst;

	if (!access) {
		if (!f->reported_dma)
			VM_INFO(f->vm, "fw_cfg: DMA access structure at 0x%llx is not guest RAM (reported once)",
				(unsigned long long)f->dma_addr);
		f->reported_dma = true;
		return;
	}
	control = get_be(access, 4);
	length = get_be(access + 4, 4);
	address = get_be(access + 8, 8);
	if (control & FW_CFG_DMA_SELECT)
		select_key(f, control >> 16);
	if (control & FW_CFG_DMA_READ) {
		dst = guest_ram(f, address, length);
		if (dst)
			read_item(f, dst, length);
		else if (length)
			status = FW_CFG_DMA_ERROR;
	} else if (control & FW_CFG_DMA_WRITE) {
		status = FW_CFG_DMA_ERROR;	/* no item is writable */
	} else if (control & FW_CFG_DMA_SKIP) {
		uint32_t have = f->cur && f->offset < f->cur->len ?
				f->cur->len - f->offset : 0;

		f->offset += length < have ? length : have;
	}
	/* The control word back, big-endian: 0, or the error bit. The
	 * guest may have put the structure at any byte address. */
	v3_memcpy(access, (const uint8_t[4]){ 0, 0, 0, status }, 4);
}

static int fw_cfg_in(struct v3_vcpu *v, uint16_t port, void *data,
		     unsigned size, void *priv)
{
	struct fw_cfg *f = priv;
	unsigned long flags = v3_host->lock(f->lock);
	uint8_t *out = data;

	(void)v;
	for (unsigned i = 0; i < size; i++) {
		unsigned p = port + i;

		if (p == FW_CFG_PORT_DATA)
			read_item(f, &out[i], 1);
		else if (p >= FW_CFG_PORT_DMA && p < FW_CFG_PORT_DMA + 8)
			out[i] = dma_signature[p - FW_CFG_PORT_DMA];
		else
			out[i] = 0;
	}
	v3_host->unlock(f->lock, flags);
	return 0;
}

static int fw_cfg_out(struct v3_vcpu *v, uint16_t port, const void *data,
		      unsigned size, void *priv)
{
	struct fw_cfg *f = priv;
	unsigned long flags = v3_host->lock(f->lock);
	uint32_t val = 0;

	(void)v;
	v3_memcpy(&val, data, size);
	/* The DMA register is big-endian: the byte at the lower port is
	 * the more significant, so a 32-bit OUT gives its bytes reversed. */
	if (port == FW_CFG_PORT_SEL && size >= 2)
		select_key(f, val);
	else if (port == FW_CFG_PORT_DMA && size == 4)
		f->dma_addr = (uint64_t)__builtin_bswap32(val) << 32;
	else if (port == FW_CFG_PORT_DMA + 4 && size == 4) {
		/* The address is spent: firmware below 4 GiB (SeaBIOS)
		 * writes only the low half. */
		f->dma_addr |= __builtin_bswap32(val);
		dma_transfer(f);
		f->dma_addr = 0;
	}
	/* Writes to the data port are ignored, as since QEMU 2.4. */
	v3_host->unlock(f->lock, flags);
	return 0;
}

static void fw_cfg_free(void *priv)
{
	struct fw_cfg *f = priv;

	if (f->blob_hpa)
		v3_host->free_pages(f->blob_hpa, f->blob_pages);
	if (f->lock)
		v3_host->lock_free(f->lock);
	v3_free(f);
}

static int fw_cfg_create(struct v3_vm *vm, void **priv)
{
	struct fw_cfg *f = v3_zalloc(sizeof(*f));
	struct v3_ram_range r[2];
	unsigned n;
	int ret = -V3_ENOMEM;

	if (!f)
		return -V3_ENOMEM;
	f->vm = vm;
	f->lock = v3_host->lock_create("fw_cfg", V3_LOCK_DEVICE);
	if (!f->lock)
		goto fail;
	put_le(f->id, FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA, 4);
	put_le(f->ram_size, vm->mem_size, 8);
	put_le(f->nb_cpus, vm->nr_vcpus, 2);
	add(f, FW_CFG_SIGNATURE, signature, sizeof(signature));
	add(f, FW_CFG_ID, f->id, sizeof(f->id));
	add(f, FW_CFG_UUID, f->uuid, sizeof(f->uuid));
	add(f, FW_CFG_RAM_SIZE, f->ram_size, sizeof(f->ram_size));
	add(f, FW_CFG_NB_CPUS, f->nb_cpus, sizeof(f->nb_cpus));
	add(f, FW_CFG_MAX_CPUS, f->nb_cpus, sizeof(f->nb_cpus));
	add(f, FW_CFG_NUMA, f->numa, sizeof(f->numa));	/* no nodes */
	n = v3_mem_layout(vm->mem_size, r);
	for (unsigned i = 0; i < n; i++)
		f->e820[i] = (struct e820){ r[i].start, r[i].end - r[i].start, 1 };
	add_file(f, "etc/e820", f->e820, n * sizeof(f->e820[0]));
	f->cur = NULL;
	ret = v3_hook_io(vm, FW_CFG_PORT_SEL, FW_CFG_PORT_DATA, fw_cfg_in,
			 fw_cfg_out, f);
	if (!ret)
		ret = v3_hook_io(vm, FW_CFG_PORT_DMA, FW_CFG_PORT_DMA + 7,
				 fw_cfg_in, fw_cfg_out, f);
	if (ret)
		goto fail;
	*priv = f;
	return 0;
fail:
	fw_cfg_free(f);
	return ret;
}

int v3_fw_cfg_set_linux(void *fw_cfg, const struct v3_fw_cfg_linux *l)
{
	struct fw_cfg *f = fw_cfg;
	uint32_t cl_size = __builtin_strlen(l->cmdline) + 1;
	uint32_t initrd_size = l->initrd ? l->initrd_size : 0;
	const struct { uint16_t key; uint32_t val; } words[] = {
		{ FW_CFG_SETUP_ADDR, l->setup_addr },
		{ FW_CFG_SETUP_SIZE, l->setup_size },
		{ FW_CFG_KERNEL_ADDR, l->kernel_addr },
		{ FW_CFG_KERNEL_SIZE, l->kernel_size },
		{ FW_CFG_INITRD_ADDR, l->initrd_addr },
		{ FW_CFG_INITRD_SIZE, initrd_size },
		{ FW_CFG_CMDLINE_ADDR, l->cmdline_addr },
		{ FW_CFG_CMDLINE_SIZE, cl_size },
	};
	const struct { uint16_t key; const void *src; uint32_t len; } blobs[] = {
		{ FW_CFG_SETUP_DATA, l->setup, l->setup_size },
		{ FW_CFG_KERNEL_DATA, l->kernel, l->kernel_size },
		{ FW_CFG_INITRD_DATA, l->initrd, initrd_size },
		{ FW_CFG_CMDLINE_DATA, l->cmdline, cl_size },
	};
	uint64_t total = 0;
	unsigned long flags;
	uint8_t *p;

	_Static_assert(sizeof(words) / sizeof(words[0]) ==
		       sizeof(((struct fw_cfg *)0)->linux_words) / 4,
		       "one word of storage per Linux item");
	if (f->blob_hpa)
		return -V3_EEXIST;
	for (unsigned i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++)
		total += blobs[i].len;
	f->blob_pages = (total + V3_PAGE_SIZE - 1) / V3_PAGE_SIZE;
	f->blob_hpa = v3_host->alloc_pages(f->blob_pages, V3_PAGE_SIZE);
	if (!f->blob_hpa)
		return -V3_ENOMEM;
	p = v3_host->phys_to_virt(f->blob_hpa);
	flags = v3_host->lock(f->lock);
	for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		put_le(f->linux_words[i], words[i].val, 4);
		add(f, words[i].key, f->linux_words[i], 4);
	}
	for (unsigned i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++) {
		if (!blobs[i].len)
			continue;
		v3_memcpy(p, blobs[i].src, blobs[i].len);
		add(f, blobs[i].key, p, blobs[i].len);
		p += blobs[i].len;
	}
	v3_host->unlock(f->lock, flags);
	return 0;
}

const struct v3_device_type v3_dev_fw_cfg = {
	.name = "fw_cfg",
	.create = fw_cfg_create,
	.free = fw_cfg_free,
};
