/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU identification. Features are named by (CPUID word, bit) so a test
 * is one bit lookup; the words are read once at boot.
 */
#ifndef ARCH_CPUFEATURE_H
#define ARCH_CPUFEATURE_H

#include <kitten/types.h>

enum cpuid_word {
	CPUID_1_EDX,
	CPUID_1_ECX,
	CPUID_7_EBX,
	CPUID_7_ECX,
	CPUID_80000001_EDX,
	CPUID_80000001_ECX,
	CPUID_8000000A_EDX,	/* SVM features */
	CPUID_NR_WORDS,
};

#define FEATURE(word, bit) ((word) * 32 + (bit))

#define X86_FEATURE_FPU		FEATURE(CPUID_1_EDX, 0)
#define X86_FEATURE_TSC		FEATURE(CPUID_1_EDX, 4)
#define X86_FEATURE_MSR		FEATURE(CPUID_1_EDX, 5)
#define X86_FEATURE_PAE		FEATURE(CPUID_1_EDX, 6)
#define X86_FEATURE_APIC	FEATURE(CPUID_1_EDX, 9)
#define X86_FEATURE_PGE		FEATURE(CPUID_1_EDX, 13)
#define X86_FEATURE_PAT		FEATURE(CPUID_1_EDX, 16)
#define X86_FEATURE_FXSR	FEATURE(CPUID_1_EDX, 24)
#define X86_FEATURE_SSE		FEATURE(CPUID_1_EDX, 25)
#define X86_FEATURE_SSE2	FEATURE(CPUID_1_EDX, 26)
#define X86_FEATURE_SSE3	FEATURE(CPUID_1_ECX, 0)
#define X86_FEATURE_MONITOR	FEATURE(CPUID_1_ECX, 3)
#define X86_FEATURE_SSSE3	FEATURE(CPUID_1_ECX, 9)
#define X86_FEATURE_SSE4_1	FEATURE(CPUID_1_ECX, 19)
#define X86_FEATURE_SSE4_2	FEATURE(CPUID_1_ECX, 20)
#define X86_FEATURE_X2APIC	FEATURE(CPUID_1_ECX, 21)
#define X86_FEATURE_POPCNT	FEATURE(CPUID_1_ECX, 23)
#define X86_FEATURE_TSC_DEADLINE FEATURE(CPUID_1_ECX, 24)
#define X86_FEATURE_XSAVE	FEATURE(CPUID_1_ECX, 26)
#define X86_FEATURE_AVX		FEATURE(CPUID_1_ECX, 28)
#define X86_FEATURE_RDRAND	FEATURE(CPUID_1_ECX, 30)
#define X86_FEATURE_HYPERVISOR	FEATURE(CPUID_1_ECX, 31)
#define X86_FEATURE_FSGSBASE	FEATURE(CPUID_7_EBX, 0)
#define X86_FEATURE_AVX2	FEATURE(CPUID_7_EBX, 5)
#define X86_FEATURE_SMEP	FEATURE(CPUID_7_EBX, 7)
#define X86_FEATURE_AVX512F	FEATURE(CPUID_7_EBX, 16)
#define X86_FEATURE_SMAP	FEATURE(CPUID_7_EBX, 20)
#define X86_FEATURE_SYSCALL	FEATURE(CPUID_80000001_EDX, 11)
#define X86_FEATURE_NX		FEATURE(CPUID_80000001_EDX, 20)
#define X86_FEATURE_PDPE1GB	FEATURE(CPUID_80000001_EDX, 26)
#define X86_FEATURE_RDTSCP	FEATURE(CPUID_80000001_EDX, 27)
#define X86_FEATURE_LM		FEATURE(CPUID_80000001_EDX, 29)
#define X86_FEATURE_SVM		FEATURE(CPUID_80000001_ECX, 2)
#define X86_FEATURE_NPT		FEATURE(CPUID_8000000A_EDX, 0)
#define X86_FEATURE_NRIPS	FEATURE(CPUID_8000000A_EDX, 3)

struct cpu_info {
	char vendor[13];
	char brand[49];
	unsigned family, model, stepping;
	uint32_t words[CPUID_NR_WORDS];
	unsigned phys_addr_bits, virt_addr_bits;
};

extern struct cpu_info boot_cpu_info;

void cpu_identify(struct cpu_info *info);
void cpu_print_info(const struct cpu_info *info);

static inline bool cpu_has(const struct cpu_info *info, unsigned feature)
{
	return info->words[feature / 32] & (1U << (feature % 32));
}

static inline bool boot_cpu_has(unsigned feature)
{
	return cpu_has(&boot_cpu_info, feature);
}

#endif
