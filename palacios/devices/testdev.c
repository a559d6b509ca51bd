// SPDX-License-Identifier: GPL-2.0
/*
 * The test device the project's test guests check the VMM with
 * (docs/palacios-test-guests.md): a 4 KiB page at guest-physical
 * 0xD0000000 that behaves like RAM but whose every access is an MMIO exit
 * emulated by the decoder, and an MSR that reads back what was written.
 * Accesses are counted, so a test can see that the path was taken.
 *
 * It also answers the PC's POST-code port 0x80, which guests write to
 * for short delays and which nothing reads on a machine without a POST
 * card: writes are taken, reads return all ones. The exit-cost benchmark
 * uses it as the cheapest complete I/O exit.
 */
#include <palacios/device.h>
#include <palacios/vmm.h>

#define TESTDEV_MMIO_BASE	0xd0000000ull
#define TESTDEV_MSR		0x40000100
#define POST_PORT		0x80

struct testdev {
	uint8_t page[4096];
	uint64_t msr;
	uint64_t accesses;
};

static int page_read(struct v3_vcpu *v, uint64_t gpa, void *buf, unsigned len,
		     void *priv)
{
	struct testdev *t = priv;

	(void)v;
	v3_memcpy(buf, t->page + (gpa - TESTDEV_MMIO_BASE), len);
	t->accesses++;
	return 0;
}

static int page_write(struct v3_vcpu *v, uint64_t gpa, const void *buf,
		      unsigned len, void *priv)
{
	struct testdev *t = priv;

	(void)v;
	v3_memcpy(t->page + (gpa - TESTDEV_MMIO_BASE), buf, len);
	t->accesses++;
	return 0;
}

static const struct v3_mmio_ops page_ops = { page_read, page_write };

static int msr_read(struct v3_vcpu *v, uint32_t msr, uint64_t *val, void *priv)
{
	(void)v, (void)msr;
	*val = ((struct testdev *)priv)->msr;
	return 0;
}

static int msr_write(struct v3_vcpu *v, uint32_t msr, uint64_t val, void *priv)
{
	(void)v, (void)msr;
	((struct testdev *)priv)->msr = val;
	return 0;
}

static int post_in(struct v3_vcpu *v, uint16_t port, void *data, unsigned size,
		   void *priv)
{
	(void)v, (void)port, (void)priv;
	v3_memset(data, 0xff, size);
	return 0;
}

static int post_out(struct v3_vcpu *v, uint16_t port, const void *data,
		    unsigned size, void *priv)
{
	(void)v, (void)port, (void)data, (void)size, (void)priv;
	return 0;
}

static void testdev_free(void *priv)
{
	v3_free(priv);
}

static int testdev_create(struct v3_vm *vm, void **priv)
{
	struct testdev *t = v3_zalloc(sizeof(*t));
	int ret;

	if (!t)
		return -V3_ENOMEM;
	t->msr = 0x0123456789abcdefull;
	ret = v3_mem_hook(&vm->mem, TESTDEV_MMIO_BASE, sizeof(t->page),
			  &page_ops, t);
	if (!ret)
		ret = v3_hook_msr(vm, TESTDEV_MSR, msr_read, msr_write, t);
	if (!ret)
		ret = v3_hook_io(vm, POST_PORT, POST_PORT, post_in, post_out, t);
	if (ret) {
		v3_free(t);
		return ret;
	}
	*priv = t;
	return 0;
}

const struct v3_device_type v3_dev_testdev = {
	.name = "testdev",
	.create = testdev_create,
	.free = testdev_free,
};
