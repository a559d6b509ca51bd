// SPDX-License-Identifier: GPL-2.0
/* Read and print what the CPU is and can do (CPUID). */
#include <arch/cpufeature.h>
#include <arch/x86.h>
#include <kitten/printk.h>
#include <kitten/string.h>

struct cpu_info boot_cpu_info;

/* Feature names printed at boot, in the spelling of Linux's /proc/cpuinfo. */
static const struct {
	unsigned feature;
	const char *name;
} feature_names[] = {
	{ X86_FEATURE_FPU, "fpu" },	    { X86_FEATURE_TSC, "tsc" },
	{ X86_FEATURE_MSR, "msr" },	    { X86_FEATURE_PAE, "pae" },
	{ X86_FEATURE_APIC, "apic" },	    { X86_FEATURE_PGE, "pge" },
	{ X86_FEATURE_PAT, "pat" },	    { X86_FEATURE_FXSR, "fxsr" },
	{ X86_FEATURE_SSE, "sse" },	    { X86_FEATURE_SSE2, "sse2" },
	{ X86_FEATURE_SSE3, "pni" },	    { X86_FEATURE_MONITOR, "monitor" },
	{ X86_FEATURE_SSSE3, "ssse3" },	    { X86_FEATURE_SSE4_1, "sse4_1" },
	{ X86_FEATURE_SSE4_2, "sse4_2" },   { X86_FEATURE_X2APIC, "x2apic" },
	{ X86_FEATURE_POPCNT, "popcnt" },
	{ X86_FEATURE_TSC_DEADLINE, "tsc_deadline_timer" },
	{ X86_FEATURE_XSAVE, "xsave" },	    { X86_FEATURE_AVX, "avx" },
	{ X86_FEATURE_HYPERVISOR, "hypervisor" },
	{ X86_FEATURE_FSGSBASE, "fsgsbase" }, { X86_FEATURE_AVX2, "avx2" },
	{ X86_FEATURE_AVX512F, "avx512f" },
	{ X86_FEATURE_SMEP, "smep" },	    { X86_FEATURE_SMAP, "smap" },
	{ X86_FEATURE_SYSCALL, "syscall" }, { X86_FEATURE_NX, "nx" },
	{ X86_FEATURE_PDPE1GB, "pdpe1gb" }, { X86_FEATURE_RDTSCP, "rdtscp" },
	{ X86_FEATURE_LM, "lm" },	    { X86_FEATURE_SVM, "svm" },
	{ X86_FEATURE_NPT, "npt" },	    { X86_FEATURE_NRIPS, "nrip_save" },
};

static void read_string(uint32_t leaf, char *out)
{
	uint32_t r[4];

	cpuid_count(leaf, 0, &r[0], &r[1], &r[2], &r[3]);
	memcpy(out, r, sizeof(r));
}

void cpu_identify(struct cpu_info *info)
{
	uint32_t a, b, c, d, max, max_ext;

	memset(info, 0, sizeof(*info));
	cpuid_count(0, 0, &max, &b, &c, &d);
	memcpy(info->vendor, &b, 4);
	memcpy(info->vendor + 4, &d, 4);
	memcpy(info->vendor + 8, &c, 4);

	cpuid_count(1, 0, &a, &b, &c, &d);
	info->words[CPUID_1_EDX] = d;
	info->words[CPUID_1_ECX] = c;
	info->family = (a >> 8) & 0xf;
	info->model = (a >> 4) & 0xf;
	info->stepping = a & 0xf;
	if (info->family == 0xf)
		info->family += (a >> 20) & 0xff;
	if (info->family >= 6)
		info->model |= ((a >> 16) & 0xf) << 4;

	if (max >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &d);
		info->words[CPUID_7_EBX] = b;
		info->words[CPUID_7_ECX] = c;
	}

	cpuid_count(0x80000000, 0, &max_ext, &b, &c, &d);
	if (max_ext >= 0x80000001) {
		cpuid_count(0x80000001, 0, &a, &b, &c, &d);
		info->words[CPUID_80000001_EDX] = d;
		info->words[CPUID_80000001_ECX] = c;
	}
	if (max_ext >= 0x80000004) {
		read_string(0x80000002, info->brand);
		read_string(0x80000003, info->brand + 16);
		read_string(0x80000004, info->brand + 32);
	}
	if (max_ext >= 0x80000008) {
		cpuid_count(0x80000008, 0, &a, &b, &c, &d);
		info->phys_addr_bits = a & 0xff;
		info->virt_addr_bits = (a >> 8) & 0xff;
	}
	if (max_ext >= 0x8000000a && cpu_has(info, X86_FEATURE_SVM)) {
		cpuid_count(0x8000000a, 0, &a, &b, &c, &d);
		info->words[CPUID_8000000A_EDX] = d;
	}
}

void cpu_print_info(const struct cpu_info *info)
{
	char line[512] = "";
	size_t len = 0;

	printk(KERN_INFO "CPU: %s %s (family %u model %u stepping %u)\n",
	       info->vendor, info->brand, info->family, info->model,
	       info->stepping);
	printk(KERN_INFO "CPU: %u-bit physical, %u-bit virtual addresses\n",
	       info->phys_addr_bits, info->virt_addr_bits);
	for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++) {
		if (!cpu_has(info, feature_names[i].feature))
			continue;
		len += snprintf(line + len, sizeof(line) - len, " %s",
				feature_names[i].name);
		if (len >= sizeof(line))
			break;
	}
	printk(KERN_INFO "CPU features:%s\n", line);
}
