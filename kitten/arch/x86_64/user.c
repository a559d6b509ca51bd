// SPDX-License-Identifier: GPL-2.0
/*
 * User mode on x86_64. SYSCALL enters at entry_syscall (entry.S) with
 * interrupts masked by SFMASK; the kernel's own code never touches the
 * FPU (-mgeneral-regs-only), so a user task's FPU/SSE registers need
 * saving only when another user task takes the CPU.
 */
#include <arch/cpufeature.h>
#include <arch/desc.h>
#include <arch/irqflags.h>
#include <arch/user.h>
#include <arch/x86.h>
#include <kitten/string.h>

#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084

#define RFLAGS_TF	(1UL << 8)
#define RFLAGS_DF	(1UL << 10)
#define RFLAGS_IOPL	(3UL << 12)
#define RFLAGS_NT	(1UL << 14)
#define RFLAGS_AC	(1UL << 18)
#define RFLAGS_FIXED	(1UL << 1)

#define CR0_MP		(1UL << 1)
#define CR0_EM		(1UL << 2)
#define CR0_TS		(1UL << 3)
#define CR0_NE		(1UL << 5)
#define CR4_OSXMMEXCPT	(1UL << 10)
#define CR4_OSXSAVE	(1UL << 18)

#define XSTATE_X87	(1ULL << 0)
#define XSTATE_SSE	(1ULL << 1)
#define XSTATE_AVX	(1ULL << 2)
/* AVX-512: opmask, upper halves of ZMM0-15, ZMM16-31; only all three. */
#define XSTATE_AVX512	(7ULL << 5)
#define XSAVE_HEADER	512		/* XSTATE_BV lives here */

/* XSAVE with the components the kernel enables, or FXSAVE without it. */
static bool use_xsave;
static uint64_t xsave_mask;

/* The MXCSR bits this CPU implements: FXRSTOR and XRSTOR raise #GP for
 * any other, so state from user memory is checked against it. */
static uint32_t mxcsr_mask = 0xffbf;	/* the manuals' default */

void entry_syscall(void);
void trap_return(void);

/* x87, SSE, AVX and AVX-512 state through XSAVE, when the area fits a
 * page (AVX-512's is 2,688 bytes). */
static void enable_xsave(void)
{
	uint32_t eax, ebx, ecx, edx;
	uint64_t mask;

	write_cr4(read_cr4() | CR4_OSXSAVE);
	cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
	mask = eax & (XSTATE_X87 | XSTATE_SSE | XSTATE_AVX);
	/* XSETBV refuses part of AVX-512, or AVX-512 without AVX. */
	if ((mask & XSTATE_AVX) && (eax & XSTATE_AVX512) == XSTATE_AVX512)
		mask |= XSTATE_AVX512;
	__asm__ __volatile__("xsetbv" : : "c"(0), "a"((uint32_t)mask),
			     "d"((uint32_t)(mask >> 32)));
	/* EBX now gives the area size for exactly these components. */
	cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
	if (ebx > FPU_STATE_SIZE)
		return;		/* stays with FXSAVE: x87 and SSE only */
	xsave_mask = mask;
	use_xsave = true;
}

/*
 * FXSAVE reports the mask at byte 28; zero there means the default. The
 * boot CPU asks, before any other CPU runs (all CPUs are alike), into a
 * static area: FXSAVE needs 16-byte alignment.
 */
static void detect_mxcsr_mask(void)
{
	static uint8_t fx[512] __attribute__((aligned(16)));
	static bool detected;
	uint32_t mask;

	if (detected)
		return;
	__asm__ __volatile__("fxsave64 %0" : "=m"(fx));
	memcpy(&mask, fx + 28, sizeof(mask));
	if (mask)
		mxcsr_mask = mask;
	detected = true;
}

void user_init_cpu(void)
{
	/* SYSRET would take CS = base + 16 and SS = base + 8 from here. */
	wrmsr(MSR_STAR, ((uint64_t)(USER_DS - 8) << 48) |
				((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)entry_syscall);
	wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_IOPL |
				  RFLAGS_NT | RFLAGS_AC);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);

	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		enable_xsave();
	detect_mxcsr_mask();
}

bool fpu_mxcsr_valid(uint32_t mxcsr)
{
	return !(mxcsr & ~mxcsr_mask);
}

void fpu_init_state(void *area)
{
	uint8_t *fx = area;
	uint16_t fcw = 0x37f;		/* x87 default control word */
	uint32_t mxcsr = 0x1f80;	/* SSE: all exceptions masked */

	memset(fx, 0, FPU_STATE_SIZE);
	memcpy(fx + 0, &fcw, 2);
	memcpy(fx + 24, &mxcsr, 4);
	if (use_xsave) {
		/* x87 and SSE from the area; AVX from its init state (zero). */
		uint64_t bv = XSTATE_X87 | XSTATE_SSE;

		memcpy(fx + XSAVE_HEADER, &bv, 8);
	}
}

/*
 * XSAVE writes, of the area's 64-byte header, only the XSTATE_BV bits of
 * the components it saves, and XRSTOR refuses (#GP) an area whose other
 * header bits are not zero; a new thread's or child's area is a recycled
 * page saved into directly, so the header is cleared first (a #GP on
 * Bochs's Haswell; QEMU's TCG, without XSAVE, never took this path).
 */
void fpu_save(void *area)
{
	if (use_xsave)
		memset((uint8_t *)area + XSAVE_HEADER, 0, 64);
	if (use_xsave)
		__asm__ __volatile__("xsave64 (%0)"
				     : : "r"(area), "a"((uint32_t)xsave_mask),
				       "d"((uint32_t)(xsave_mask >> 32))
				     : "memory");
	else
		__asm__ __volatile__("fxsave64 (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
	if (use_xsave)
		__asm__ __volatile__("xrstor64 (%0)"
				     : : "r"(area), "a"((uint32_t)xsave_mask),
				       "d"((uint32_t)(xsave_mask >> 32))
				     : "memory");
	else
		__asm__ __volatile__("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void user_frame_init(struct trap_frame *f, uint64_t rip, uint64_t rsp,
		     uint64_t arg0, uint64_t arg1)
{
	memset(f, 0, sizeof(*f));
	f->rip = rip;
	f->cs = USER_CS;
	f->rflags = RFLAGS_IF | RFLAGS_FIXED;
	f->rsp = rsp;
	f->ss = USER_DS;
	f->rdi = arg0;
	f->rsi = arg1;
}

void user_enter(struct trap_frame *frame)
{
	irq_disable();
	__asm__ __volatile__("movq %0, %%rsp\n\t"
			     "jmp trap_return"
			     : : "r"(frame) : "memory");
	__builtin_unreachable();
}

void user_set_tls(uint64_t fs_base)
{
	wrmsr(MSR_FS_BASE, fs_base);
}
