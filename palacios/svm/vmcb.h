/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AMD SVM virtual machine control block (AMD APM vol. 2, appendix B):
 * a 4 KiB page with the control area (intercepts, event injection, exit
 * information) at 0 and the guest state save area at 0x400. Offsets are
 * checked at compile time against the manual's tables.
 */
#ifndef PALACIOS_SVM_VMCB_H
#define PALACIOS_SVM_VMCB_H

#include <stdint.h>

struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
} __attribute__((packed));

struct vmcb {
	/* Control area. */
	uint32_t intercept_cr;		/* 0x000: reads 0-15, writes 16-31 */
	uint32_t intercept_dr;		/* 0x004 */
	uint32_t intercept_exceptions;	/* 0x008: one bit per vector */
	uint32_t intercept_misc1;	/* 0x00c: INTR ... SHUTDOWN */
	uint32_t intercept_misc2;	/* 0x010: VMRUN, VMMCALL, ... */
	uint8_t reserved1[0x03c - 0x014];
	uint16_t pause_filter_threshold;/* 0x03c */
	uint16_t pause_filter_count;	/* 0x03e */
	uint64_t iopm_base_pa;		/* 0x040 */
	uint64_t msrpm_base_pa;		/* 0x048 */
	uint64_t tsc_offset;		/* 0x050 */
	uint32_t guest_asid;		/* 0x058 */
	uint8_t tlb_control;		/* 0x05c */
	uint8_t reserved2[3];
	uint64_t vintr;			/* 0x060: V_TPR, V_IRQ, ... V_INTR_VECTOR */
	uint64_t interrupt_shadow;	/* 0x068 */
	uint64_t exitcode;		/* 0x070 */
	uint64_t exitinfo1;		/* 0x078 */
	uint64_t exitinfo2;		/* 0x080 */
	uint64_t exitintinfo;		/* 0x088 */
	uint64_t np_enable;		/* 0x090 */
	uint8_t reserved3[0x0a8 - 0x098];
	uint64_t eventinj;		/* 0x0a8 */
	uint64_t n_cr3;			/* 0x0b0 */
	uint64_t lbr_virt;		/* 0x0b8 */
	uint32_t clean_bits;		/* 0x0c0 */
	uint32_t reserved4;
	uint64_t next_rip;		/* 0x0c8 */
	uint8_t insn_len;		/* 0x0d0 */
	uint8_t insn_bytes[15];
	uint8_t reserved5[0x400 - 0x0e0];

	/* State save area. */
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 */
	uint8_t reserved6[0x4cb - 0x4a0];
	uint8_t cpl;			/* 0x4cb */
	uint32_t reserved7;
	uint64_t efer;			/* 0x4d0 */
	uint8_t reserved8[0x548 - 0x4d8];
	uint64_t cr4;			/* 0x548 */
	uint64_t cr3;
	uint64_t cr0;
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;		/* 0x570 */
	uint64_t rip;
	uint8_t reserved9[0x5d8 - 0x580];
	uint64_t rsp;			/* 0x5d8 */
	uint8_t reserved10[0x5f8 - 0x5e0];
	uint64_t rax;			/* 0x5f8 */
	uint64_t star;			/* 0x600 */
	uint64_t lstar;
	uint64_t cstar;
	uint64_t sfmask;
	uint64_t kernel_gs_base;
	uint64_t sysenter_cs;
	uint64_t sysenter_esp;
	uint64_t sysenter_eip;
	uint64_t cr2;			/* 0x640 */
	uint8_t reserved11[0x668 - 0x648];
	uint64_t g_pat;			/* 0x668 */
	uint8_t reserved12[0x1000 - 0x670];
} __attribute__((packed));

_Static_assert(__builtin_offsetof(struct vmcb, exitcode) == 0x70, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, eventinj) == 0xa8, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, next_rip) == 0xc8, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, tr) == 0x490, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, rip) == 0x578, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, cr2) == 0x640, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "vmcb");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb");

/* intercept_misc1 */
#define SVM_INTERCEPT_INTR	(1u << 0)
#define SVM_INTERCEPT_NMI	(1u << 1)
#define SVM_INTERCEPT_SMI	(1u << 2)
#define SVM_INTERCEPT_INIT	(1u << 3)
#define SVM_INTERCEPT_VINTR	(1u << 4)
#define SVM_INTERCEPT_CPUID	(1u << 18)
#define SVM_INTERCEPT_INVD	(1u << 22)
#define SVM_INTERCEPT_HLT	(1u << 24)
#define SVM_INTERCEPT_INVLPG	(1u << 25)
#define SVM_INTERCEPT_INVLPGA	(1u << 26)
#define SVM_INTERCEPT_IOIO	(1u << 27)
#define SVM_INTERCEPT_MSR	(1u << 28)
#define SVM_INTERCEPT_TASKSW	(1u << 29)
#define SVM_INTERCEPT_SHUTDOWN	(1u << 31)
/* intercept_misc2 */
#define SVM_INTERCEPT_VMRUN	(1u << 0)
#define SVM_INTERCEPT_VMMCALL	(1u << 1)
#define SVM_INTERCEPT_VMLOAD	(1u << 2)
#define SVM_INTERCEPT_VMSAVE	(1u << 3)
#define SVM_INTERCEPT_STGI	(1u << 4)
#define SVM_INTERCEPT_CLGI	(1u << 5)
#define SVM_INTERCEPT_SKINIT	(1u << 6)

/* vintr */
#define SVM_V_IRQ		(1ull << 8)
#define SVM_V_IGN_TPR		(1ull << 20)
#define SVM_V_INTR_MASKING	(1ull << 24)

/* eventinj / exitintinfo */
#define SVM_EVT_VALID		(1ull << 31)
#define SVM_EVT_ERR_VALID	(1ull << 11)
#define SVM_EVT_TYPE_INTR	(0ull << 8)
#define SVM_EVT_TYPE_NMI	(2ull << 8)
#define SVM_EVT_TYPE_EXCEPTION	(3ull << 8)
#define SVM_EVT_TYPE_SOFT	(4ull << 8)
#define SVM_EVT_TYPE_MASK	(7ull << 8)

/* Exit codes. */
#define SVM_EXIT_CR0_READ	0x000
#define SVM_EXIT_CR15_READ	0x00f
#define SVM_EXIT_CR0_WRITE	0x010
#define SVM_EXIT_CR15_WRITE	0x01f
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_INVLPG		0x079
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_TASK_SWITCH	0x07d
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	((uint64_t)-1)
/* QEMU's SVM (7.2) stores the failure as the 32-bit -1. */
#define SVM_EXIT_INVALID_32	0xffffffffull

/* IOIO exitinfo1 */
#define SVM_IOIO_IN		(1u << 0)
#define SVM_IOIO_STR		(1u << 2)
#define SVM_IOIO_REP		(1u << 3)
#define SVM_IOIO_SZ_SHIFT	4	/* bits 4-6: 8, 16, 32 */
#define SVM_IOIO_A_SHIFT	7	/* bits 7-9: 16, 32, 64-bit address */
#define SVM_IOIO_SEG_SHIFT	10

#endif
