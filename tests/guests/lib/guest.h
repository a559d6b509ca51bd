/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runtime every test guest links against, for 32-bit guests and for
 * 64-bit guests alike (the same C is compiled with -m32 and -m64).
 *
 * A guest is entered by a multiboot loader in 32-bit protected mode, as
 * docs/palacios-test-guests.md describes. multiboot.S loads our own GDT
 * and stack; entry32.S calls lib_start() right away, entry64.S first builds
 * an identity map of the first 1 GiB and enters long mode. lib_start()
 * installs exception handlers and runs guest_main(); its return value is
 * the exit status written to the debug-exit port.
 *
 * Output goes to the debug console (port 0xE9), results as KTAP. Faults a
 * test provokes on purpose are caught with the probe_*() helpers or the
 * trap_resume recovery point; any other exception ends the guest with a
 * message and status 1.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define __noreturn __attribute__((noreturn))
#define __aligned(x) __attribute__((aligned(x)))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PAGE_SIZE 4096

/* The devices every VM has (docs/palacios-test-guests.md). */
#define PORT_CONSOLE 0xe9
#define PORT_EXIT 0xf4

/* Hypercall numbers, passed in RAX to VMMCALL. */
#define HC_ECHO 0x1000
#define HC_RAISE_IRQ 0x1001
#define HC_RAISE_EXCEPTION 0x1002

#define MSR_EFER 0xc0000080
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define EFER_LME (1u << 8)
#define EFER_LMA (1u << 10)
#define EFER_NXE (1u << 11)

#define CR0_WP (1ul << 16)
#define CR0_PG (1ul << 31)
#define CR4_PSE (1ul << 4)
#define CR4_PAE (1ul << 5)
#define CR4_PGE (1ul << 7)

/* Exception vectors the tests look for. */
#define VEC_BP 3
#define VEC_UD 6
#define VEC_GP 13
#define VEC_PF 14

/*
 * Page-table entry bits, at the same places in 32-bit, PAE and long-mode
 * entries (Intel SDM vol. 3, 4.3-4.5); NX exists in the 8-byte ones only.
 */
#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_A 0x20ull
#define PTE_D 0x40ull
#define PTE_PS 0x80ull
#define PTE_G 0x100ull
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* Page-fault error code bits. */
#define PF_P 0x1
#define PF_W 0x2
#define PF_ID 0x10

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(0));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
		     : "memory");
}

#define DEFINE_CR(n)                                                   \
	static inline unsigned long read_cr##n(void)                   \
	{                                                              \
		unsigned long v;                                       \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v));          \
		return v;                                              \
	}                                                              \
	static inline void write_cr##n(unsigned long v)                \
	{                                                              \
		asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(unsigned long va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* console.c: a printf to the debug console. */
int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __printf(1, 2);

/*
 * ktap.c: results. Every guest with a plan ends with ktap_finish().
 * ktap_skip(SKIP_NO_VMM, ...) is for a check that needs Palacios when
 * hv_present() says it is not there: a skip only if the command line has
 * "novmm" (the guest runs without a VMM on purpose), else a failure.
 */
void ktap_plan(unsigned int n);
bool ktap_check(bool ok, const char *fmt, ...) __printf(2, 3);
void ktap_skip(const char *reason, const char *fmt, ...) __printf(2, 3);
int ktap_finish(void);
extern const char ktap_no_vmm[];
#define SKIP_NO_VMM ktap_no_vmm

/* boot.c: what the loader and the VMM tell us. */
int guest_main(void);
void lib_start(void);
void __noreturn guest_exit(u8 status);
bool cmdline_has(const char *word);
u32 ram_top(void);
bool hv_present(void);

/*
 * trap.c. trap_last describes the last exception; probes clear it first.
 * A handler that finds trap_resume set continues there (and clears it),
 * which is how a test survives a fault it provoked.
 */
struct trap_record {
	unsigned long vector;
	unsigned long error;
	unsigned long cr2;
	unsigned long ip;
	unsigned int count;
};
extern volatile struct trap_record trap_last;
extern volatile unsigned long trap_resume;
extern volatile unsigned int irq_count[256];
void trap_init(void);
void trap_clear(void);

/*
 * probe.c: one access that may fault. Each returns -1 if it completed,
 * else the vector it raised (details in trap_last).
 */
int probe_read32(unsigned long addr, u32 *val);
int probe_write32(unsigned long addr, u32 val);
int probe_exec(unsigned long addr);

#ifdef __x86_64__
/*
 * VMMCALL with the number in RAX and arguments in RBX, RCX, RDX; only
 * valid when hv_present() (elsewhere it raises #UD). Interrupts and
 * exceptions it raises change memory, hence the clobber.
 */
static inline u64 hypercall(u64 nr, u64 a, u64 b, u64 c)
{
	asm volatile("vmmcall" : "+a"(nr) : "b"(a), "c"(b), "d"(c) : "memory");
	return nr;
}

/* pt64.c: edit the 4-level tables entry64.S built. */
extern u64 boot_pml4[512];
u64 *pt64_alloc(void);
volatile u64 *pt64_entry(u64 *pml4, u64 va, int level);
#endif

#endif /* GUEST_H */
