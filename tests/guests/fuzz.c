/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz: a guest that attacks its VMM from ring 0. Each iteration does
 * one random thing: runs up to 15 random instruction bytes with random
 * registers (pointers into its RAM, the test MMIO page and the APIC
 * pages, small numbers, anything), or a random port, MMIO, MSR, CPUID,
 * control-register, INVLPG, HLT or hypercall access, or a page-table
 * change. The VMM must survive all of it; it may stop the VM with a
 * reason, and the host (vmrun --fuzz) then boots the next chunk.
 *
 *   seed=S   the run's seed (default 1); boot=N  the chunk (vmrun --fuzz
 *   adds it); iters=I  iterations in this chunk (default 5000)
 *
 * Everything random comes from one generator seeded with (S, N), so
 * `tools/kitten vm --kernel fuzz.elf --append "seed=S boot=N"` replays a
 * chunk (up to the timing of interrupts).
 *
 * Surviving its own faults: every gate of our IDT runs on an IST stack,
 * and an exception (#UD, #GP, #PF, an injected one, ...) goes back to the
 * point fuzz_try() saved, after reloading the GDT, IDT, segments and
 * control registers (fuzz_cpu.S). Our page tables map only guest RAM, the
 * random code's pages (with an unmapped page after them, for fetches
 * that cross into it) and the MMIO pages, so a random address faults in
 * the guest instead of reaching unbacked guest-physical memory, which
 * stops the VM by design. Random code can still break the guest for good
 * (a garbage CR3 or IDT, a jump into our own code): that ends the VM,
 * usually with a triple fault, and the next chunk starts.
 */
#include "fuzz_dev.h"

#define CODE_VA		0x400000ul	/* two pages of random code */
#define CODE_BYTES	0x2000u
#define HOLE_VA		0x402000ul	/* unmapped */
#define DATA_VA		0x410000ul	/* 64 KiB the random code may scribble on */
#define DATA_BYTES	0x10000u
#define MMIO_TEST	0xd0000000ul	/* docs/palacios-test-guests.md */
#define IOAPIC		0xfec00000ul
#define LAPIC		0xfee00000ul
#define PROGRESS	1000u
#define IST_BYTES	8192

#define HC_ECHO_NR	0x1000

/* --- CPU tables (fuzz_cpu.S uses them) ---------------------------------- */

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap;
} __attribute__((packed));

struct gate64 {
	u16 offset_lo, selector;
	u8 ist, type;
	u16 offset_mid;
	u32 offset_hi, reserved;
};

struct dtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

/* Null, 32-bit code, data, 64-bit code (boot.h's selectors), TSS. The
 * accessed bits are set so that loading a selector writes nothing. */
static u64 gdt[6] __aligned(16) = {
	0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull, 0x00af9b000000ffffull,
};
static struct tss64 tss __aligned(16);
static struct gate64 idt[256] __aligned(16);
static u8 ist_stack[IST_BYTES] __aligned(16);
struct dtr fuzz_gdtr, fuzz_idtr;
u64 fuzz_good_cr0, fuzz_good_cr3, fuzz_good_cr4;
static u64 good_efer, cr4_ok;
volatile u64 fuzz_resume_rsp, fuzz_irqs, fuzz_strays;
u64 fuzz_fault_vector, fuzz_fault_error, fuzz_fault_rip;

extern const char fuzz_stubs[];
int fuzz_try(void (*fn)(void *), void *arg);
void __noreturn fuzz_run_code(const u64 regs[18]);

static void cpu_init(void)
{
	u64 base = (uintptr_t)&tss;

	tss.ist[0] = (uintptr_t)ist_stack + IST_BYTES;
	tss.iomap = sizeof(tss);
	gdt[4] = (sizeof(tss) - 1) | (base & 0xffffff) << 16 | 0x89ull << 40 |
		 (base >> 24 & 0xff) << 56;
	gdt[5] = base >> 32;
	fuzz_gdtr = (struct dtr){ sizeof(gdt) - 1, (uintptr_t)gdt };
	for (unsigned v = 0; v < 256; v++) {
		u64 stub = (uintptr_t)fuzz_stubs + v * TRAP_STUB_SIZE;

		idt[v] = (struct gate64){
			.offset_lo = stub, .selector = SEL_CODE64, .ist = 1,
			.type = 0x8e, .offset_mid = stub >> 16,
			.offset_hi = stub >> 32,
		};
	}
	fuzz_idtr = (struct dtr){ sizeof(idt) - 1, (uintptr_t)idt };
	asm volatile("lgdt %0; lidt %1; ltr %w2"
		     : : "m"(fuzz_gdtr), "m"(fuzz_idtr), "r"(0x20) : "memory");
}

/* --- the generator ------------------------------------------------------- */

static u64 state;

static u64 rnd64(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static u32 rnd(void)
{
	return rnd64() >> 32;
}

static u64 splitmix(u64 x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The decimal value of key=... on the command line, or def. */
static u64 cmdline_u64(const char *key, u64 def)
{
	const struct mb_info *mb = (const void *)(uintptr_t)boot_info;
	const char *p;
	size_t n = 0;

	if (boot_magic != MB_BOOT_MAGIC || !(mb->flags & MB_INFO_CMDLINE))
		return def;
	while (key[n])
		n++;
	for (p = (const char *)(uintptr_t)mb->cmdline; *p; p++) {
		size_t i = 0;
		u64 v = 0;

		if (p != (const char *)(uintptr_t)mb->cmdline && p[-1] != ' ')
			continue;
		while (i < n && p[i] == key[i])
			i++;
		if (i < n || p[n] != '=')
			continue;
		for (p += n + 1; *p >= '0' && *p <= '9'; p++)
			v = v * 10 + (*p - '0');
		return v;
	}
	return def;
}

/* --- memory ------------------------------------------------------------- */

static volatile u64 *data_pte(unsigned page)
{
	return pt64_entry(boot_pml4, DATA_VA + page * PAGE_SIZE, 1);
}

/*
 * From entry64.S's identity map of 1 GiB in 2 MiB pages: drop what lies
 * past RAM and the first 1 MiB (the loader's and the ACPI tables: code
 * that jumps there would run them and may loop without an exit), map
 * [4 MiB, 6 MiB) with 4 KiB pages but for the hole, and add the MMIO
 * pages (uncached).
 */
static void mem_init(void)
{
	u64 *pdpt = (u64 *)(uintptr_t)(boot_pml4[0] & PTE_ADDR);
	u64 *pd = (u64 *)(uintptr_t)(pdpt[0] & PTE_ADDR);
	u64 top = ram_top() ? ram_top() : 16u << 20, *low;

	for (unsigned i = 0; i < 512; i++)
		if ((u64)i << 21 >= top)
			pd[i] = 0;
	/* We run in the first 2 MiB: its new table is complete before it
	 * replaces the large page. */
	low = pt64_alloc();
	for (u64 va = 1u << 20; va < 2u << 20; va += PAGE_SIZE)
		low[va >> 12] = va | PTE_P | PTE_W;
	pd[0] = (uintptr_t)low | PTE_P | PTE_W;
	pd[CODE_VA >> 21] = 0;
	for (u64 va = CODE_VA; va < CODE_VA + (2u << 20); va += PAGE_SIZE)
		if (va != HOLE_VA)
			*pt64_entry(boot_pml4, va, 1) = va | PTE_P | PTE_W;
	*pt64_entry(boot_pml4, MMIO_TEST, 1) = MMIO_TEST | PTE_P | PTE_W | PTE_PCD;
	*pt64_entry(boot_pml4, IOAPIC, 1) = IOAPIC | PTE_P | PTE_W | PTE_PCD;
	*pt64_entry(boot_pml4, LAPIC, 1) = LAPIC | PTE_P | PTE_W | PTE_PCD;
	write_cr3(read_cr3());
}

static void fill_code(unsigned at, unsigned len)
{
	u8 *code = (u8 *)CODE_VA;

	for (unsigned i = 0; i < len; i++)
		code[at + i] = 0xcc;	/* INT3: random code ends in #BP */
}

/* A register value for random code: mostly addresses it may use. */
static u64 pick_value(void)
{
	/* Device pages rarely: the emulator refuses most random
	 * instructions there, which stops the VM. */
	if (rnd() % 256 == 0)
		return rnd() & 1 ? MMIO_TEST + (rnd() & 0xff8) :
		       (rnd() & 1 ? LAPIC : IOAPIC) + (rnd() & 0x3f0);
	switch (rnd() % 16) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6:
		return DATA_VA + (rnd() & (DATA_BYTES - 8));
	case 7: case 8: case 9:
		return rnd() & 0xff;
	case 10:
		return rnd() & 0xffff;
	case 11: case 12:
		return rnd64();
	default:
		return 0;
	}
}

/* --- the operations -------------------------------------------------------- */

static unsigned last_at, last_len;

/*
 * Does code[0, len) hold a MOV to CR8 (REX.R or LOCK before 0F 22)? QEMU
 * 7.2's TCG, which runs the VMM in our tests, asserts (and ends) when a
 * guest under SVM writes CR8 with a virtual interrupt pending: it raises
 * the interrupt without its I/O lock. A bug of the emulator, not of the
 * VMM, so the fuzzer does not write CR8.
 */
static bool cr8_write(const u8 *code, unsigned len)
{
	for (unsigned i = 0; i + 1 < len; i++) {
		if (code[i] != 0x0f || code[i + 1] != 0x22)
			continue;
		for (unsigned j = i >= 4 ? i - 4 : 0; j < i; j++)
			if (code[j] == 0xf0 || (code[j] & 0xf4) == 0x44)
				return true;
	}
	return false;
}

/*
 * Byte pairs random code must not hold, read as if each byte began an
 * instruction (which also drops some harmless ones):
 * - OUT imm8 to the debug-exit port or just below it (a wide OUT reaches
 *   it): the VM would end by design;
 * - a short jump, conditional jump or LOOP backwards: a loop that never
 *   exits, which vmrun stops after 2 s of nothing;
 * - LTR (0F 00 /3): QEMU 7.2 loads a null selector instead of raising
 *   #GP, and the next exception on our IST stack then aborts QEMU
 *   ("invalid tss"), an emulator bug a CPU does not have.
 */
static bool unwanted(const u8 *code, unsigned len)
{
	for (unsigned i = 0; i + 1 < len; i++) {
		u8 a = code[i], b = code[i + 1];

		if ((a & 0xfe) == 0xe6 && b >= 0xf0 && b <= 0xf4)
			return true;
		if ((a == 0xeb || (a & 0xf0) == 0x70 || (a & 0xfc) == 0xe0) &&
		    b >= 0x80)
			return true;
		if (a == 0x0f && b == 0x00 && i + 2 < len &&
		    ((code[i + 2] >> 3) & 7) == 3)
			return true;
	}
	return false;
}

static void op_code(void *arg)
{
	u8 *code = (u8 *)CODE_VA;
	unsigned len = 1 + rnd() % 15;
	u64 r[18];

	(void)arg;
	fill_code(last_at, last_len);
	last_at = rnd() % 8 ? rnd() % (CODE_BYTES - 16) : CODE_BYTES - len;
	last_len = len;
	/* No HLT byte: with interrupts off it stops the VM by design
	 * (op_hlt halts with an interrupt on its way instead). */
	do {
		for (unsigned i = 0; i < len; i++)
			do
				code[last_at + i] = rnd();
			while (code[last_at + i] == 0xf4);
	} while (cr8_write(code + last_at, len) || unwanted(code + last_at, len));
	for (unsigned i = 0; i < 16; i++) {
		r[i] = pick_value();
		/* DX must not name the debug-exit port (OUT DX ends the VM). */
		if ((r[i] & 0xffff) >= 0xf0 && (r[i] & 0xffff) <= 0xf4)
			r[i] ^= 0x100;
	}
	r[4] = DATA_VA + DATA_BYTES / 2 + (rnd() & (DATA_BYTES / 2 - 16));
	/* CF PF AF ZF SF DF OF at random; IF and TF sometimes. */
	r[16] = 0x2 | (rnd() & 0xcd5);
	if (rnd() % 8 == 0)
		r[16] |= 0x200;
	if (rnd() % 64 == 0)
		r[16] |= 0x100;
	r[17] = CODE_VA + last_at;
	fuzz_run_code(r);
}

/* Not the debug-exit port and its neighbours a wide OUT reaches, nor the
 * console, whose output must stay readable. */
static u16 pick_port(void)
{
	for (;;) {
		u16 port = rnd();

		if ((port < 0xf0 || port > 0xf4) && port != PORT_CONSOLE)
			return port;
	}
}

static void op_port(void *arg)
{
	unsigned size = 1u << (rnd() % 3), count = 1 + rnd() % 8;
	u64 buf = rnd() % 16 ? DATA_VA + (rnd() & 0x7ff0) : MMIO_TEST + (rnd() & 0xf00);
	u16 port;

	(void)arg;
	switch (rnd() % 4) {
	case 0:
	case 1:
		fuzz_poke_port(rnd);
		break;
	case 2:
		port = pick_port();
		if (rnd() & 1)
			fuzz_port_out(port, fuzz_defuse(port, rnd(), size), size);
		else
			(void)fuzz_port_in(port, size);
		break;
	default:
		/* String I/O, sometimes to or from the MMIO page. */
		port = pick_port();
		if (rnd() & 1)
			asm volatile("std");
		if (rnd() & 1)
			asm volatile("rep insb"
				     : "+D"(buf), "+c"(count) : "d"(port) : "memory");
		else if (port != 0x64 && port != 0x604)
			asm volatile("rep outsb"
				     : "+S"(buf), "+c"(count) : "d"(port) : "memory");
		asm volatile("cld");
		break;
	}
}

static void op_mmio(void *arg)
{
	u64 off = rnd() & 0xfff, v = rnd64();
	volatile u8 *p = (volatile u8 *)(MMIO_TEST + off);
	u64 src = DATA_VA + (rnd() & 0x7ff0);
	unsigned long n = 1 + rnd() % 16;

	(void)arg;
	switch (rnd() % 8) {
	case 0:
	case 1:
		fuzz_poke_mmio(rnd);
		break;
	case 2:		/* may cross into the unmapped page after it */
		*(volatile u64 *)p = v;
		break;
	case 3:
		v = *(volatile u32 *)p + *(volatile u16 *)p + *p;
		break;
	case 4:
		asm volatile("xchg %0, (%1)" : "+r"(v) : "r"(p) : "memory");
		break;
	case 5:
		asm volatile("rep movsb"
			     : "+D"(p), "+S"(src), "+c"(n) : : "memory");
		break;
	case 6:
		asm volatile("rep stosl" : "+D"(p), "+c"(n) : "a"(v) : "memory");
		break;
	default:
		asm volatile("addl %1, (%0); orb %b1, 3(%0)"
			     : : "r"(p), "r"((u32)v) : "memory");
		break;
	}
}

static const u32 msrs[] = {
	0x10, 0x1b, 0x3a, 0x48, 0x8b, 0xfe, 0x174, 0x175, 0x176, 0x179,
	0x17a, 0x1d9, 0x200, 0x20f, 0x250, 0x258, 0x26f, 0x277, 0x2ff, 0x400,
	0x40f, 0x6e0, 0x40000100, 0xc0000080, 0xc0000081, 0xc0000082,
	0xc0000084, 0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103,
	0xc0010010, 0xc0010015, 0xc001001f, 0xc0010055, 0xc0011029,
	0xc0010114, 0xc0010117,
};

static void op_msr(void *arg)
{
	u32 msr;
	u64 v;

	(void)arg;
	switch (rnd() % 4) {
	case 0:
		msr = rnd();
		break;
	case 1:		/* the ranges of SVM's MSR permission map */
		msr = (rnd() % 3) * 0x40000000u + 0xc0000000u * (rnd() & 1);
		msr = (msr & 0xc0010000u) | (rnd() & 0x1fff);
		break;
	default:
		msr = msrs[rnd() % ARRAY_SIZE(msrs)];
		break;
	}
	if (rnd() & 1) {
		(void)rdmsr(msr);
		return;
	}
	/* Writes that would only break the guest's own run, not the VMM:
	 * the APIC base (moving the APIC under our mapping), the EFER bits
	 * long mode needs, the TSC. Flipping one bit of them is still tried. */
	if (msr == 0x1b || msr == 0xc0000080 || msr == 0x10) {
		v = rdmsr(msr) ^ (1ull << (rnd() % 64));
		if (msr == 0xc0000080)
			v |= EFER_LME | EFER_LMA;
		if (msr == 0x1b)
			v = (v & ~0xfffff000ull) | 0xfee00000ull;
		wrmsr(msr, v);
		wrmsr(msr, msr == 0xc0000080 ? good_efer : v);
		return;
	}
	v = rnd() & 1 ? rnd64() : rnd() & 0xff;
	wrmsr(msr, v);
}

static void op_cpuid(void *arg)
{
	u32 leaf, a, b, c, d, sub = rnd() % 4 ? rnd() % 4 : rnd();

	(void)arg;
	switch (rnd() % 4) {
	case 0:
		leaf = rnd() % 0x20;
		break;
	case 1:
		leaf = 0x40000000 + rnd() % 0x10;
		break;
	case 2:
		leaf = 0x80000000 + rnd() % 0x20;
		break;
	default:
		leaf = rnd();
		break;
	}
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
		     : "a"(leaf), "c"(sub));
}

static void op_cr(void *arg)
{
	/* NW only with CD, and CR4 bits only of features the CPU has:
	 * under nested paging QEMU 7.2 takes such writes without the #GP a
	 * CPU raises, and VMRUN then refuses the state (the VM stops). */
	static const u64 cr0_bits[] = { 1u << 1, 1u << 3, 1u << 5, 1u << 16,
					1u << 18, 3u << 29, 1u << 30,
					1ull << 40 };
	u64 v;
	u16 msw;

	(void)arg;
	switch (rnd() % 10) {
	case 0:
		v = read_cr0() + read_cr2() + read_cr4();
		asm volatile("mov %%cr8, %0" : "=r"(v));
		break;
	case 1:
		write_cr0(fuzz_good_cr0 ^ cr0_bits[rnd() % ARRAY_SIZE(cr0_bits)]);
		break;
	case 2:
		/* Nor PAE, which long mode needs. */
		v = 1ull << (rnd() % 32);
		if (v & cr4_ok & ~CR4_PAE)
			write_cr4(fuzz_good_cr4 ^ v);
		break;
	case 3:
		write_cr3(fuzz_good_cr3);
		break;
	case 4:
		write_cr3(fuzz_good_cr3 | (rnd() & 0x18));
		break;
	case 5:		/* CR8 is read only: see cr8_write() */
		asm volatile("mov %%cr8, %0" : "=r"(v));
		break;
	case 6:
		asm volatile("clts; smsw %0" : "=r"(v));
		break;
	case 7:
		msw = fuzz_good_cr0 ^ (rnd() & 0xe);
		asm volatile("lmsw %0" : : "r"(msw));
		break;
	case 8:
		write_cr2(rnd64());
		break;
	default:
		/* Rarely, tables that are not ours: the guest may not survive. */
		if (rnd() % 512 == 0)
			write_cr3((rnd() % (ram_top() ? ram_top() : 1u << 24)) & ~0xfffull);
		break;
	}
	write_cr0(fuzz_good_cr0);
	write_cr4(fuzz_good_cr4);
	write_cr3(fuzz_good_cr3);
}

/* The CR4 bits of features CPUID reports (all of 0-10, then 11-22). */
static u64 cr4_features(void)
{
	u32 a, b, c1, d, b7 = 0, c7 = 0;
	u64 bits = 0x7ff;

	cpuid(0, &a, &b, &c1, &d);
	if (a >= 7)
		asm volatile("cpuid" : "=a"(a), "=b"(b7), "=c"(c7), "=d"(d)
			     : "a"(7), "c"(0));
	cpuid(1, &a, &b, &c1, &d);
	bits |= (c7 & 4 ? 1u << 11 : 0) | (b7 & 1 ? 1u << 16 : 0) |
		(c1 & (1u << 17) ? 1u << 17 : 0) |
		(c1 & (1u << 26) ? 1u << 18 : 0) |
		(b7 & (1u << 7) ? 1u << 20 : 0) |
		(b7 & (1u << 20) ? 1u << 21 : 0) | (c7 & 8 ? 1u << 22 : 0);
	return bits;
}

static u64 vmmcall(u64 nr, u64 a, u64 b, u64 c)
{
	asm volatile("vmmcall" : "+a"(nr) : "b"(a), "c"(b), "d"(c) : "memory");
	return nr;
}

static void op_hypercall(void *arg)
{
	u64 nr;

	(void)arg;
	switch (rnd() % 6) {
	case 0:
		nr = HC_ECHO_NR;
		break;
	case 1:
		nr = HC_RAISE_IRQ;
		break;
	case 2:
		nr = HC_RAISE_EXCEPTION;
		break;
	case 3:
		nr = rnd() & 0xffff;
		break;
	default:
		nr = rnd64();
		break;
	}
	(void)vmmcall(nr, rnd() % 4 ? rnd() & 0xff : rnd64(), pick_value(),
		      pick_value());
	if (nr == HC_RAISE_IRQ)
		asm volatile("sti; nop; cli");
}

static void op_invlpg(void *arg)
{
	(void)arg;
	invlpg(rnd() & 1 ? pick_value() : CODE_VA + (rnd() & 0x1fffff));
}

/* HLT with an interrupt on its way, so it wakes. */
static void op_hlt(void *arg)
{
	(void)arg;
	(void)vmmcall(HC_RAISE_IRQ, 32 + rnd() % 224, 0, 0);
	asm volatile("sti; hlt; cli");
}

/* Change a data page's mapping and touch it, then put it back. */
static void op_paging(void *arg)
{
	unsigned page = rnd() % (DATA_BYTES / PAGE_SIZE);
	volatile u64 *pte = data_pte(page);
	u64 good = *pte, va = DATA_VA + page * PAGE_SIZE;

	(void)arg;
	switch (rnd() % 4) {
	case 0:
		*pte = good & ~PTE_P;
		break;
	case 1:
		*pte = good & ~PTE_W;
		break;
	case 2:		/* another RAM page */
		*pte = (good & ~PTE_ADDR) | ((rnd() % 2048) << 12);
		break;
	default:
		*pte = good | PTE_NX;
		break;
	}
	if (rnd() & 1)
		invlpg(va);
	*(volatile u64 *)(va + (rnd() & 0xff8)) += 1;
	*pte = good;
	invlpg(va);
}

/* Iteration mix: random code most, then the intercepted instructions. */
static const struct {
	void (*fn)(void *);
	unsigned weight;
} ops[] = {
	{ op_code, 30 }, { op_port, 20 }, { op_mmio, 10 }, { op_msr, 8 },
	{ op_cpuid, 8 }, { op_cr, 8 }, { op_hypercall, 8 }, { op_invlpg, 3 },
	{ op_hlt, 2 }, { op_paging, 3 },
};

static void (*pick_op(void))(void *)
{
	unsigned total = 0, r;

	for (unsigned i = 0; i < ARRAY_SIZE(ops); i++)
		total += ops[i].weight;
	r = rnd() % total;
	for (unsigned i = 0;; i++) {
		if (r < ops[i].weight)
			return ops[i].fn;
		r -= ops[i].weight;
	}
}

int guest_main(void)
{
	u64 seed = cmdline_u64("seed", 1), boot = cmdline_u64("boot", 0);
	u64 iters = cmdline_u64("iters", 5000), faults = 0;

	printf("fuzz: seed %lu boot %lu: %lu iterations\n", (unsigned long)seed,
	       (unsigned long)boot, (unsigned long)iters);
	state = splitmix(seed * 0x100000001b3ull + boot) | 1;
	asm volatile("cli");
	mem_init();
	cpu_init();
	fill_code(0, CODE_BYTES);
	fuzz_good_cr0 = read_cr0();
	fuzz_good_cr3 = read_cr3();
	fuzz_good_cr4 = read_cr4();
	good_efer = rdmsr(MSR_EFER);
	cr4_ok = cr4_features();

	for (u64 i = 1; i <= iters; i++) {
		if (fuzz_try(pick_op(), NULL))
			faults++;
		if (i % PROGRESS == 0)
			printf("fuzz: %lu\n", (unsigned long)i);
	}
	printf("fuzz: done: %lu iterations, %lu ended by an exception, %lu interrupts\n",
	       (unsigned long)iters, (unsigned long)faults,
	       (unsigned long)fuzz_irqs);
	return 0;
}
