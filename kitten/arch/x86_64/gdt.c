// SPDX-License-Identifier: GPL-2.0
/*
 * Each CPU has its own GDT and TSS (the TSS holds per-CPU stack pointers,
 * and a TSS descriptor is marked busy when loaded, so it cannot be shared).
 * The code and data descriptors are the same on every CPU.
 */
#include <arch/desc.h>
#include <kitten/string.h>

#define SEG_KERNEL_CODE	0x00af9a000000ffffULL	/* L=1, DPL 0, exec/read */
#define SEG_KERNEL_DATA	0x00cf92000000ffffULL	/* DPL 0, read/write */
#define SEG_USER_DATA	0x00cff2000000ffffULL	/* DPL 3, read/write */
#define SEG_USER_CODE	0x00affa000000ffffULL	/* L=1, DPL 3, exec/read */
#define SEG_TSS_TYPE	0x89ULL			/* present, 64-bit TSS available */

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static void set_tss_descriptor(uint64_t *slot, struct tss *tss)
{
	uint64_t base = (uint64_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		  (SEG_TSS_TYPE << 40) | (((limit >> 16) & 0xf) << 48) |
		  (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

void tss_set_kernel_stack(struct cpu_desc *desc, uint64_t rsp0)
{
	desc->tss.rsp[0] = rsp0;
}

void gdt_load(struct cpu_desc *desc)
{
	struct gdt_ptr ptr = { sizeof(desc->gdt) - 1, (uint64_t)desc->gdt };

	desc->gdt[0] = 0;
	desc->gdt[KERNEL_CS >> 3] = SEG_KERNEL_CODE;
	desc->gdt[KERNEL_DS >> 3] = SEG_KERNEL_DATA;
	desc->gdt[USER_DS >> 3] = SEG_USER_DATA;
	desc->gdt[USER_CS >> 3] = SEG_USER_CODE;
	memset(&desc->tss, 0, sizeof(desc->tss));
	for (int i = 0; i < IST_COUNT; i++)
		desc->tss.ist[i] = (uint64_t)desc->ist_stacks[i] + IST_STACK_SIZE;
	desc->tss.iomap_base = sizeof(desc->tss);	/* no I/O bitmap */
	set_tss_descriptor(&desc->gdt[TSS_SEL >> 3], &desc->tss);

	/* Reload CS with a far return, then the data segments and the TSS. */
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3\n\t"
		:
		: "m"(ptr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL)
		: "rax", "memory");
}
