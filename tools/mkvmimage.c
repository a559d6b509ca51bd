// SPDX-License-Identifier: GPL-2.0
/*
 * mkvmimage: build a Palacios VM configuration image (palacios/image.h)
 * from a kernel, an optional initrd and settings, checking the settings
 * here so that a mistake is reported before anything boots.
 *
 *   mkvmimage -o OUT [--mem SIZE] [--cpus N] [--paging nested|shadow]
 *             --kernel FILE [--initrd FILE] [--append CMDLINE] [--disk FILE]
 *             [--passthrough-io FIRST-LAST] [--passthrough-irq N]
 *             [--passthrough-mem FIRST-LAST] [--bios FILE]
 *
 * With --bios, the VM starts in FILE (a PC BIOS such as SeaBIOS) from the
 * CPU's reset vector instead of in a kernel.
 *
 * The boot protocol follows from the kernel: a Linux bzImage boots by the
 * Linux boot protocol, anything else as multiboot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <palacios/image.h>

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mkvmimage: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static char *slurp(const char *path, long *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		die("%s: cannot open", path);
	fseek(f, 0, SEEK_END);
	*size = ftell(f);
	rewind(f);
	buf = malloc(*size ? *size : 1);
	if (!buf || fread(buf, 1, *size, f) != (size_t)*size)
		die("%s: cannot read", path);
	fclose(f);
	return buf;
}

/* "64M", "1G", "4096K" or bytes. */
static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	}
	if (end == s || *end)
		die("--mem %s: not a size (e.g. 256M)", s);
	return v;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *kernel = NULL, *initrd = NULL, *append = NULL;
	const char *disk = NULL, *bios = NULL;
	struct v3_image h = { .magic = V3_IMAGE_MAGIC, .version = V3_IMAGE_VERSION,
			      .header_size = sizeof(h), .mem_size = 64 << 20,
			      .vcpus = 1, .paging = V3_PAGING_NESTED,
			      .boot = V3_BOOT_MULTIBOOT };
	char *kbuf, *ibuf = NULL, *dbuf = NULL;
	long ksize, isize = 0, dsize = 0;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			die("%s: needs a value", opt);
		i++;
		if (!strcmp(opt, "-o"))
			out = val;
		else if (!strcmp(opt, "--kernel"))
			kernel = val;
		else if (!strcmp(opt, "--initrd"))
			initrd = val;
		else if (!strcmp(opt, "--append"))
			append = val;
		else if (!strcmp(opt, "--disk"))
			disk = val;
		else if (!strcmp(opt, "--bios"))
			bios = val;
		else if (!strcmp(opt, "--passthrough-io")) {
			unsigned first, last;
			char end;

			if (sscanf(val, "%x-%x%c", &first, &last, &end) != 2 ||
			    !last || first > last || last > 0xffff)
				die("--passthrough-io %s: FIRST-LAST, hex ports", val);
			h.passthrough_io_first = first;
			h.passthrough_io_last = last;
		} else if (!strcmp(opt, "--passthrough-irq")) {
			char *end;
			unsigned long irq = strtoul(val, &end, 10);

			if (*end || irq < 1 || irq > 15)
				die("--passthrough-irq %s: an ISA IRQ, 1 to 15", val);
			h.passthrough_irq = irq;
		} else if (!strcmp(opt, "--passthrough-mem")) {
			unsigned long long first, last;
			char end;

			if (sscanf(val, "%llx-%llx%c", &first, &last, &end) != 2 ||
			    first > last || (first & 0xfff) || (~last & 0xfff))
				die("--passthrough-mem %s: FIRST-LAST, hex, whole 4 KiB pages", val);
			h.passthrough_mem_base = first;
			h.passthrough_mem_size = last - first + 1;
		}
		else if (!strcmp(opt, "--mem"))
			h.mem_size = parse_size(val);
		else if (!strcmp(opt, "--cpus")) {
			char *end;

			h.vcpus = strtoul(val, &end, 10);
			if (*end || h.vcpus < 1 || h.vcpus > V3_IMAGE_MAX_VCPUS)
				die("--cpus %s: 1 to 64", val);
		} else if (!strcmp(opt, "--paging")) {
			if (!strcmp(val, "nested"))
				h.paging = V3_PAGING_NESTED;
			else if (!strcmp(val, "shadow"))
				h.paging = V3_PAGING_SHADOW;
			else
				die("--paging %s: nested or shadow", val);
		} else {
			die("unknown option %s", opt);
		}
	}
	if (bios && kernel)
		die("%s", "--bios and --kernel: one or the other");
	if (bios)
		kernel = bios;
	if (!out || !kernel)
		die("%s", "usage: mkvmimage -o OUT [--mem SIZE] [--cpus N] [--paging nested|shadow] --kernel FILE [--initrd FILE] [--append CMDLINE] [--disk FILE] [--passthrough-io FIRST-LAST]");
	if (h.mem_size < V3_IMAGE_MIN_MEM || h.mem_size > V3_IMAGE_MAX_MEM ||
	    (h.mem_size & 4095))
		die("--mem: %s", "a multiple of 4 KiB from 1M to 64G");

	kbuf = slurp(kernel, &ksize);
	if (initrd)
		ibuf = slurp(initrd, &isize);
	if (disk)
		dbuf = slurp(disk, &dsize);
	/* "HdrS" at 0x202: the Linux boot protocol's setup header. */
	if (bios)
		h.boot = V3_BOOT_BIOS;
	else if (ksize > 0x206 && !memcmp(kbuf + 0x202, "HdrS", 4))
		h.boot = V3_BOOT_LINUX;
	h.kernel = (struct v3_image_blob){ sizeof(h), ksize };
	h.initrd = (struct v3_image_blob){ sizeof(h) + ksize, isize };
	h.cmdline = (struct v3_image_blob){ sizeof(h) + ksize + isize,
					    append ? strlen(append) + 1 : 0 };
	h.disk = (struct v3_image_blob){ h.cmdline.offset + h.cmdline.size, dsize };
	h.image_size = h.disk.offset + h.disk.size;

	f = fopen(out, "wb");
	if (!f || fwrite(&h, sizeof(h), 1, f) != 1 ||
	    fwrite(kbuf, 1, ksize, f) != (size_t)ksize ||
	    (isize && fwrite(ibuf, 1, isize, f) != (size_t)isize) ||
	    (append && fwrite(append, 1, strlen(append) + 1, f) != strlen(append) + 1) ||
	    (dsize && fwrite(dbuf, 1, dsize, f) != (size_t)dsize) ||
	    fclose(f))
		die("%s: cannot write", out);
	return 0;
}
