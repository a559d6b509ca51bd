// SPDX-License-Identifier: GPL-2.0
/*
 * The VM configuration image checker: a good image is described
 * correctly, and every malformed field is refused with a reason that
 * names it.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <palacios/vmm.h>

/* Palacios formats through its host; here, through the C library. */
int v3_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* The command line is copied into Palacios's memory. */
void *v3_zalloc(size_t size)
{
	return calloc(1, size);
}

void v3_free(void *p)
{
	free(p);
}

struct test_image {
	struct v3_image h;
	char kernel[64];
	char cmdline[8];
} __attribute__((packed));

static struct test_image good(void)
{
	struct test_image t = {
		.h = {
			.magic = V3_IMAGE_MAGIC, .version = V3_IMAGE_VERSION,
			.header_size = sizeof(struct v3_image),
			.image_size = sizeof(struct test_image),
			.mem_size = 32 << 20, .vcpus = 2,
			.paging = V3_PAGING_SHADOW, .boot = V3_BOOT_MULTIBOOT,
			.kernel = { sizeof(struct v3_image), 64 },
			.cmdline = { sizeof(struct v3_image) + 64, 8 },
		},
		.cmdline = "quiet",
	};
	return t;
}

static void refused(struct test_image *t, size_t size, const char *why)
{
	struct v3_vm_config cfg;
	char err[160] = "";

	assert_int_equal(v3_image_parse(&t->h, t, size, &cfg, err, sizeof(err)),
			 -V3_EINVAL);
	if (!strstr(err, why))
		fail_msg("reason \"%s\" does not mention \"%s\"", err, why);
}

static void test_good_image(void **state)
{
	struct test_image t = good();
	struct v3_vm_config cfg;
	char err[160];

	(void)state;
	assert_int_equal(v3_image_parse(&t.h, &t, sizeof(t), &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.mem_size, 32 << 20);
	assert_int_equal(cfg.vcpus, 2);
	assert_int_equal(cfg.paging, V3_PAGING_SHADOW);
	assert_ptr_equal(cfg.kernel, t.kernel);
	assert_int_equal(cfg.kernel_size, 64);
	assert_null(cfg.initrd);
	assert_string_equal(cfg.cmdline, "quiet");
	assert_int_equal(cfg.passthrough_irq, 0);
	assert_int_equal(cfg.passthrough_mem_size, 0);
	v3_image_release(&cfg);

	t.h.passthrough_irq = 7;
	t.h.passthrough_mem_base = 0xff000000;
	t.h.passthrough_mem_size = 0x10000;
	assert_int_equal(v3_image_parse(&t.h, &t, sizeof(t), &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.passthrough_irq, 7);
	assert_int_equal(cfg.passthrough_mem_base, 0xff000000);
	assert_int_equal(cfg.passthrough_mem_size, 0x10000);
	v3_image_release(&cfg);
}

/*
 * The header is the host's copy, not the image's own bytes: a header in
 * the image that says something else (as another thread could make it
 * say after the host copied it) changes nothing, and the command line is
 * the VMM's own copy, whatever the image holds afterwards.
 */
static void test_only_the_copy_counts(void **state)
{
	struct test_image t = good();
	struct v3_image copy = t.h;
	struct v3_vm_config cfg;
	char err[160];

	(void)state;
	t.h.kernel.offset = ~0ull;	/* would put the kernel anywhere */
	t.h.passthrough_irq = 9;
	t.h.magic[0] = 'X';
	assert_int_equal(v3_image_parse(&copy, &t, sizeof(t), &cfg, err, sizeof(err)), 0);
	assert_ptr_equal(cfg.kernel, t.kernel);
	assert_int_equal(cfg.passthrough_irq, 0);
	memset(t.cmdline, 'A', sizeof(t.cmdline));	/* its NUL gone */
	assert_string_equal(cfg.cmdline, "quiet");
	v3_image_release(&cfg);

	/* A command line without its NUL is refused on the copy. */
	t = good();
	copy = t.h;
	memset(t.cmdline, 'A', sizeof(t.cmdline));
	assert_int_equal(v3_image_parse(&copy, &t, sizeof(t), &cfg, err, sizeof(err)),
			 -V3_EINVAL);
	assert_non_null(strstr(err, "not NUL-terminated"));
}

static void test_bad_images(void **state)
{
	struct test_image t;

	(void)state;
	t = good();
	refused(&t, 10, "too small");
	t = good(), t.h.magic[0] = 'X';
	refused(&t, sizeof(t), "bad magic");
	t = good(), t.h.version = 99;
	refused(&t, sizeof(t), "version 99");
	t = good();
	refused(&t, sizeof(t) - 1, "were given");
	t = good(), t.h.mem_size = 12345;
	refused(&t, sizeof(t), "memory size 12345");
	t = good(), t.h.mem_size = 1ull << 40;
	refused(&t, sizeof(t), "memory size");
	t = good(), t.h.vcpus = 0;
	refused(&t, sizeof(t), "0 vCPUs");
	t = good(), t.h.vcpus = 65;
	refused(&t, sizeof(t), "65 vCPUs");
	t = good(), t.h.paging = 7;
	refused(&t, sizeof(t), "paging mode 7");
	t = good(), t.h.boot = 9;
	refused(&t, sizeof(t), "boot protocol 9");
	t = good(), t.h.flags = 1;
	refused(&t, sizeof(t), "flags");
	t = good(), t.h.kernel.offset = ~0ull;
	refused(&t, sizeof(t), "outside the image");
	t = good(), t.h.initrd = (struct v3_image_blob){ 8, ~0ull - 4 };
	refused(&t, sizeof(t), "outside the image");
	t = good(), t.h.kernel.size = 0;
	refused(&t, sizeof(t), "no kernel");
	t = good(), t.cmdline[7] = 'x';
	refused(&t, sizeof(t), "not NUL-terminated");
	t = good(), t.h.passthrough_io_first = 0x500, t.h.passthrough_io_last = 0x400;
	refused(&t, sizeof(t), "passthrough ports 0x500-0x400");
	t = good(), t.h.passthrough_irq = 16;
	refused(&t, sizeof(t), "passthrough IRQ 16");
	t = good(), t.h.passthrough_mem_base = 0xff000800, t.h.passthrough_mem_size = 0x1000;
	refused(&t, sizeof(t), "passthrough memory 0xff000800+0x1000");
	t = good(), t.h.passthrough_mem_base = 0xff000000, t.h.passthrough_mem_size = 0x800;
	refused(&t, sizeof(t), "passthrough memory");
	t = good(), t.h.passthrough_mem_base = 0x1000000, t.h.passthrough_mem_size = 0x1000;
	refused(&t, sizeof(t), "above the guest's RAM");
	t = good(), t.h.passthrough_mem_base = ~0xfffull, t.h.passthrough_mem_size = 0x2000;
	refused(&t, sizeof(t), "passthrough memory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_image),
		cmocka_unit_test(test_bad_images),
		cmocka_unit_test(test_only_the_copy_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
