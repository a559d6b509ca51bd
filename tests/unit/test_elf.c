// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF checker against real compiler output (static, static-PIE and
 * dynamic builds of fixtures/hello.c) and against that output broken in
 * every way the checker must catch; and the initial stack it lays out.
 */
#include "support.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kitten/elf.h>
#include <kitten/errno.h>

static uint8_t *file;
static size_t file_size;
static struct elf_image img;
static const char *why;

static void load(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	file_size = ftell(f);
	rewind(f);
	free(file);
	file = malloc(file_size);
	assert_int_equal(fread(file, 1, file_size, f), file_size);
	fclose(f);
	why = NULL;
}

static Elf64_Ehdr *ehdr(void)
{
	return (Elf64_Ehdr *)file;
}

static Elf64_Phdr *phdr(unsigned type, unsigned nth)
{
	Elf64_Phdr *ph = (Elf64_Phdr *)(file + ehdr()->e_phoff);

	for (unsigned i = 0; i < ehdr()->e_phnum; i++)
		if (ph[i].p_type == type && nth-- == 0)
			return &ph[i];
	fail_msg("no program header of type %u", type);
	return NULL;
}

static void refused(const char *reason)
{
	assert_int_equal(elf_parse(file, file_size, &img, &why), -ENOEXEC);
	assert_non_null(why);
	if (!strstr(why, reason))
		fail_msg("reason '%s' does not mention '%s'", why, reason);
}

static void refused_head(size_t head, const char *reason)
{
	assert_int_equal(elf_parse_head(file, head, file_size, &img, &why),
			 -ENOEXEC);
	if (!strstr(why, reason))
		fail_msg("reason '%s' does not mention '%s'", why, reason);
}

static void static_executable(void **state)
{
	(void)state;
	load("hello-static");
	assert_int_equal(elf_parse(file, file_size, &img, &why), 0);
	assert_false(img.pie);
	assert_int_equal(img.entry, ehdr()->e_entry);
	assert_true(img.nr_segs >= 2);
	assert_true(img.entry >= img.lowest && img.entry < img.highest);
	assert_int_equal(img.lowest % 4096, 0);
	assert_true(img.tls.memsz > 0);		/* tls_counter */
	assert_true(img.phdr_vaddr >= img.lowest);
	assert_int_equal(img.phnum, ehdr()->e_phnum);
}

static void static_pie(void **state)
{
	(void)state;
	load("hello-static-pie");
	assert_int_equal(elf_parse(file, file_size, &img, &why), 0);
	assert_true(img.pie);
	assert_int_equal(img.lowest, 0);
}

/* A dynamic program names its interpreter; the parser hands it over. */
static void dynamic_names_interpreter(void **state)
{
	Elf64_Phdr *interp;

	(void)state;
	load("hello-dynamic");
	assert_int_equal(elf_parse(file, file_size, &img, &why), 0);
	interp = phdr(PT_INTERP, 0);
	assert_string_equal(img.interp, (char *)file + interp->p_offset);
	assert_non_null(strstr(img.interp, "ld-linux-x86-64.so.2"));
	/* Parsed from the headers alone, segments checked against the size. */
	assert_int_equal(elf_parse_head(file, 4096, file_size, &img, &why), 0);
	assert_non_null(strstr(img.interp, "ld-linux"));
	refused_head(64, "truncated program headers");
}

/* A path that is not one NUL-terminated string, or lies past the head. */
static void bad_interpreter_path(void **state)
{
	Elf64_Phdr *interp;

	(void)state;
	load("hello-dynamic");
	interp = phdr(PT_INTERP, 0);
	file[interp->p_offset + interp->p_filesz - 1] = 'x';
	refused("bad interpreter path");
	load("hello-dynamic");
	interp = phdr(PT_INTERP, 0);
	file[interp->p_offset + 1] = '\0';
	refused("bad interpreter path");
	load("hello-dynamic");
	phdr(PT_INTERP, 0)->p_filesz = ELF_INTERP_MAX + 1;
	refused("bad interpreter path");
	load("hello-dynamic");
	phdr(PT_INTERP, 0)->p_offset = file_size - 2;
	refused_head(4096, "beyond the file's headers");
	load("hello-dynamic");
	phdr(PT_NOTE, 0)->p_type = PT_INTERP;
	refused("more than one interpreter");
}

/* The initial stack: argc, argv, envp, the auxiliary vector, strings. */
static uint64_t aux_get(const uint64_t *v, uint64_t type)
{
	for (; v[0] != AT_NULL; v += 2)
		if (v[0] == type)
			return v[1];
	fail_msg("no auxiliary vector entry %lu", (unsigned long)type);
	return 0;
}

static void initial_stack(void **state)
{
	static char mem[8192];
	const char *argv[] = { "/bin/prog", "-x" }, *envp[] = { "A=1" };
	struct elf_auxv aux = { .phdr = 0x400040, .phent = 56, .phnum = 9,
				.entry = 0x401000, .base = 0x7f00000000,
				.execfn = "/bin/prog", .uid = 5, .egid = 7,
				.random = "0123456789abcdef" };
	const uint64_t top_user = 0x7fffe00000;
	uint64_t sp, *v;
	char *base = mem + sizeof(mem);

#define K(u) (base - (top_user - (u)))	/* user address -> mem */
	(void)state;
	sp = elf_build_stack(base, top_user, sizeof(mem), argv, 2, envp, 1, &aux);
	assert_int_not_equal(sp, 0);
	assert_int_equal(sp % 16, 0);
	v = (uint64_t *)K(sp);
	assert_int_equal(v[0], 2);
	assert_string_equal(K(v[1]), "/bin/prog");
	assert_string_equal(K(v[2]), "-x");
	assert_int_equal(v[3], 0);
	assert_string_equal(K(v[4]), "A=1");
	assert_int_equal(v[5], 0);
	v += 6;
	assert_int_equal(aux_get(v, AT_PHDR), 0x400040);
	assert_int_equal(aux_get(v, AT_PHNUM), 9);
	assert_int_equal(aux_get(v, AT_BASE), 0x7f00000000);
	assert_int_equal(aux_get(v, AT_ENTRY), 0x401000);
	assert_int_equal(aux_get(v, AT_PAGESZ), 4096);
	assert_int_equal(aux_get(v, AT_UID), 5);
	assert_int_equal(aux_get(v, AT_EGID), 7);
	assert_string_equal(K(aux_get(v, AT_EXECFN)), "/bin/prog");
	assert_string_equal(K(aux_get(v, AT_PLATFORM)), "x86_64");
	assert_memory_equal(K(aux_get(v, AT_RANDOM)), "0123456789abcdef", 16);
	/* Too little room: refused, not overrun. */
	assert_int_equal(elf_build_stack(base, top_user, 64, argv, 2, envp, 1,
					 &aux), 0);
#undef K
}

static void bad_magic(void **state)
{
	(void)state;
	load("hello-static");
	file[1] = 'X';
	refused("bad magic");
	file_size = 2;
	refused("bad magic");
}

static void wrong_class_endianness_machine_type(void **state)
{
	(void)state;
	load("hello-static");
	file[EI_CLASS] = ELFCLASS32;
	refused("64-bit");
	load("hello-static");
	file[EI_DATA] = ELFDATA2MSB;
	refused("little-endian");
	load("hello-static");
	ehdr()->e_machine = EM_AARCH64;
	refused("x86_64");
	load("hello-static");
	ehdr()->e_type = ET_REL;
	refused("not an executable");
}

static void truncated_headers(void **state)
{
	(void)state;
	load("hello-static");
	file_size = 40;
	refused("truncated ELF header");
	load("hello-static");
	file_size = ehdr()->e_phoff + 20;
	refused("truncated program headers");
	load("hello-static");
	ehdr()->e_phoff = ~0ULL - 8;
	refused("truncated program headers");
	load("hello-static");
	ehdr()->e_phnum = 0;
	refused("no program headers");
}

static void truncated_file(void **state)
{
	(void)state;
	load("hello-static");
	Elf64_Phdr *data = phdr(PT_LOAD, 1);

	file_size = data->p_offset + data->p_filesz / 2;
	refused("beyond the end of the file");
}

static void segment_sizes(void **state)
{
	(void)state;
	load("hello-static");
	phdr(PT_LOAD, 0)->p_filesz = phdr(PT_LOAD, 0)->p_memsz + 1;
	refused("more file bytes than memory bytes");
	load("hello-static");
	phdr(PT_LOAD, 1)->p_memsz = 1ULL << 40;
	refused("too large");
	load("hello-static");
	phdr(PT_LOAD, 1)->p_offset = ~0ULL - 16;
	refused("beyond the end of the file");
}

static void addresses(void **state)
{
	(void)state;
	load("hello-static");
	phdr(PT_LOAD, 0)->p_vaddr = 0xffffffff80000000ULL;
	phdr(PT_LOAD, 0)->p_offset = 0;
	refused("outside the user address range");
	load("hello-static");
	Elf64_Phdr *a = phdr(PT_LOAD, 0), *b = phdr(PT_LOAD, 1);

	b->p_vaddr = a->p_vaddr + (b->p_offset % 4096);
	refused("overlapping segments");
	load("hello-static");
	phdr(PT_LOAD, 1)->p_vaddr += 8;
	refused("congruent");
	load("hello-static");
	ehdr()->e_entry = 0x10;
	refused("entry point outside");
}

static void no_loadable_segment(void **state)
{
	(void)state;
	load("hello-static");
	Elf64_Phdr *ph = (Elf64_Phdr *)(file + ehdr()->e_phoff);

	for (unsigned i = 0; i < ehdr()->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			ph[i].p_type = PT_NOTE;
	refused("no loadable segments");
}

static void interp_added_to_static(void **state)
{
	(void)state;
	load("hello-static");
	phdr(PT_NOTE, 0)->p_type = PT_INTERP;	/* a note is no path */
	refused("bad interpreter path");
}

static void bad_tls(void **state)
{
	(void)state;
	load("hello-static");
	phdr(PT_TLS, 0)->p_filesz = phdr(PT_TLS, 0)->p_memsz + 1;
	refused("thread-local");
}

/* Text RX, read-only data R, data RW; the stack not executable. */
static void page_rights_follow_segments(void **state)
{
	(void)state;
	load("hello-static");
	assert_int_equal(elf_parse(file, file_size, &img, &why), 0);
	assert_int_equal(img.stack_flags, PF_R | PF_W);
	assert_int_equal(elf_page_flags(&img, img.entry & ~4095ULL),
			 PF_R | PF_X);
	for (unsigned i = 0; i < img.nr_segs; i++) {
		const struct elf_segment *s = &img.segs[i];
		uint64_t first = s->vaddr & ~4095ULL;
		uint64_t last = (s->vaddr + s->memsz - 1) & ~4095ULL;

		/* Every page has at least its segments' rights... */
		assert_int_equal(elf_page_flags(&img, first) & s->flags, s->flags);
		assert_int_equal(elf_page_flags(&img, last) & s->flags, s->flags);
		/* ...and a page no other segment touches exactly those. */
		if (last > first + 4096)
			assert_int_equal(elf_page_flags(&img, first + 4096),
					 s->flags);
	}
	assert_int_equal(elf_page_flags(&img, img.highest), 0);
	/* The runs cover the image, each of one kind of page. */
	unsigned runs = 0;

	for (uint64_t va = img.lowest, end; va < img.highest; va = end) {
		uint32_t flags;

		end = elf_flags_run(&img, va, &flags);
		assert_true(end > va && end <= img.highest);
		for (uint64_t p = va; p < end; p += 4096)
			assert_int_equal(elf_page_flags(&img, p), flags);
		assert_true(end == img.highest || elf_page_flags(&img, end) != flags);
		runs++;
	}
	assert_true(runs >= 3);		/* RX text, R data, RW data at least */
	/* Without PT_GNU_STACK, the stack is executable, as on Linux. */
	phdr(PT_GNU_STACK, 0)->p_type = PT_NOTE;
	assert_int_equal(elf_parse(file, file_size, &img, &why), 0);
	assert_int_equal(img.stack_flags, PF_R | PF_W | PF_X);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(static_executable),
		cmocka_unit_test(static_pie),
		cmocka_unit_test(dynamic_names_interpreter),
		cmocka_unit_test(bad_interpreter_path),
		cmocka_unit_test(initial_stack),
		cmocka_unit_test(bad_magic),
		cmocka_unit_test(wrong_class_endianness_machine_type),
		cmocka_unit_test(truncated_headers),
		cmocka_unit_test(truncated_file),
		cmocka_unit_test(segment_sizes),
		cmocka_unit_test(addresses),
		cmocka_unit_test(no_loadable_segment),
		cmocka_unit_test(interp_added_to_static),
		cmocka_unit_test(bad_tls),
		cmocka_unit_test(page_rights_follow_segments),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(file);
	return rc;
}
