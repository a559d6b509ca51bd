// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's control registers and EFER under shadow paging, where the
 * VMM intercepts them: the guest's values are kept in struct v3_vcpu and
 * returned on reads; a write that changes how addresses translate (paging
 * on or off, a new CR3, PAE/PSE/WP/NXE) empties the shadow tables, as it
 * would flush a real TLB. Long mode is entered here, by setting CR0.PG
 * with EFER.LME set, as the CPU does.
 *
 * EFER is intercepted in both paging modes because the hardware's copy
 * has SVME set, which the guest must not see.
 */
#include <palacios/arch.h>
#include <palacios/decoder.h>
#include <palacios/paging.h>
#include <palacios/vmm.h>

#define CR0_PE		(1ull << 0)
#define CR0_TS		(1ull << 3)
#define CR0_ET		(1ull << 4)
#define CR0_WP		(1ull << 16)
#define CR0_NW		(1ull << 29)
#define CR0_CD		(1ull << 30)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)
#define EFER_FFXSR	(1ull << 14)
#define EFER_TCE	(1ull << 15)
#define CR4_PAGING_BITS	((1ull << 4) | CR4_PAE | (1ull << 7) | (1ull << 17))

static bool shadow(const struct v3_vcpu *v)
{
	return v->vm->paging == V3_PAGING_SHADOW;
}

/*
 * The CR4 bits a guest may set: those of the features every x86-64 CPU
 * has, and those whose feature the host CPU reports. Any other would
 * make VMRUN refuse the shadow state, so the write raises #GP as the CPU
 * would. LA57 never: the shadow tables have four levels.
 */
static uint64_t cr4_valid_bits(void)
{
	uint32_t a, b, c, d, c1, b7 = 0, c7 = 0;
	uint64_t bits = 0x7ff;		/* VME ... OSXMMEXCPT */

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (a >= 7)
		asm volatile("cpuid" : "=a"(a), "=b"(b7), "=c"(c7), "=d"(d)
			     : "a"(7), "c"(0));
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c1), "=d"(d) : "a"(1), "c"(0));
	if (c7 & (1u << 2))
		bits |= 1ull << 11;	/* UMIP */
	if (b7 & (1u << 0))
		bits |= 1ull << 16;	/* FSGSBASE */
	if (c1 & (1u << 17))
		bits |= 1ull << 17;	/* PCIDE */
	if (c1 & (1u << 26))
		bits |= 1ull << 18;	/* OSXSAVE */
	if (b7 & (1u << 7))
		bits |= 1ull << 20;	/* SMEP */
	if (b7 & (1u << 20))
		bits |= 1ull << 21;	/* SMAP */
	if (c7 & (1u << 3))
		bits |= 1ull << 22;	/* PKE */
	return bits;
}

/* Reserved bits (the high half, NW without CD) raise #GP, as on the CPU. */
static int write_cr0(struct v3_vcpu *v, uint64_t val)
{
	uint64_t old = v->cr0;

	if ((val >> 32) || ((val & CR0_NW) && !(val & CR0_CD))) {
		v3_raise_exception(v, 13, true, 0);
		return V3_FAULTED;
	}
	if ((val & CR0_PG) && !(val & CR0_PE)) {
		v3_raise_exception(v, 13, true, 0);
		return V3_FAULTED;
	}
	if ((val & CR0_PG) && !(old & CR0_PG) && (v->efer & EFER_LME)) {
		if (!(v->cr4 & CR4_PAE)) {
			v3_raise_exception(v, 13, true, 0);
			return V3_FAULTED;
		}
		v->efer |= EFER_LMA;
	}
	if (!(val & CR0_PG))
		v->efer &= ~EFER_LMA;
	v->cr0 = val | CR0_ET;
	if ((old ^ v->cr0) & (CR0_PG | CR0_PE | CR0_WP))
		v3_shadow_flush(v);
	else
		v3_arch->paging_changed(v);
	return 0;
}

static int write_cr(struct v3_vcpu *v, unsigned cr, uint64_t val)
{
	switch (cr) {
	case 0:
		return write_cr0(v, val);
	case 3:
		v->cr3 = val;
		v3_shadow_flush(v);
		return 0;
	case 4:
		if ((v->efer & EFER_LMA) && !(val & CR4_PAE)) {
			v3_raise_exception(v, 13, true, 0);
			return V3_FAULTED;
		}
		if (val & ~cr4_valid_bits()) {
			v3_raise_exception(v, 13, true, 0);
			return V3_FAULTED;
		}
		if ((v->cr4 ^ val) & CR4_PAGING_BITS) {
			v->cr4 = val;
			v3_shadow_flush(v);
		} else {
			v->cr4 = val;
			v3_arch->paging_changed(v);
		}
		return 0;
	default:
		v3_vm_stop_fmt(v->vm, "write to CR%u is not virtualized", cr);
		return -V3_EIO;
	}
}

static int read_cr(struct v3_vcpu *v, unsigned cr, uint64_t *val)
{
	switch (cr) {
	case 0: *val = v->cr0; return 0;
	case 2: *val = v->cr2; return 0;
	case 3: *val = v->cr3; return 0;
	case 4: *val = v->cr4; return 0;
	default:
		v3_vm_stop_fmt(v->vm, "read of CR%u is not virtualized", cr);
		return -V3_EIO;
	}
}

/* LMSW's and SMSW's word in memory (RAM or a device's): V3_FAULTED when
 * a #PF was raised, negative after stopping the VM. */
static int mem_operand(struct v3_vcpu *v, const struct v3_insn *insn,
		       const struct v3_operand *op, uint16_t *word, bool write)
{
	uint64_t linear = v3_operand_linear(v, insn, op);
	int ret = v3_copy_gva_any(v, linear, word, 2, write);

	if (ret == -V3_EFAULT_GUEST)
		return V3_FAULTED;
	if (ret) {
		v3_vm_stop_fmt(v->vm, "%s operand at 0x%llx is not guest memory",
			       write ? "SMSW" : "LMSW", (unsigned long long)linear);
		return -V3_EIO;
	}
	return 0;
}

int v3_handle_cr_access(struct v3_vcpu *v)
{
	struct v3_insn insn;
	uint64_t *gpr = &v->regs.rax, val;
	int ret = v3_fetch_decode(v, &insn);

	if (ret)
		return ret;
	switch (insn.op) {
	case V3_OP_MOV_TO_CR:
		val = gpr[insn.src.reg];
		if (insn.op_size == 4)
			val = (uint32_t)val;
		ret = write_cr(v, insn.dst.reg, val);
		break;
	case V3_OP_MOV_FROM_CR:
		ret = read_cr(v, insn.src.reg, &val);
		if (!ret)
			gpr[insn.dst.reg] = insn.op_size == 4 ? (uint32_t)val : val;
		break;
	case V3_OP_CLTS:
		ret = write_cr0(v, v->cr0 & ~CR0_TS);
		break;
	case V3_OP_LMSW: {
		uint64_t msw;

		/* LMSW sets PE, MP, EM, TS; it never clears PE. */
		if (insn.src.kind == V3_OPND_REG) {
			msw = gpr[insn.src.reg];
		} else {
			uint16_t m;

			ret = mem_operand(v, &insn, &insn.src, &m, false);
			if (ret)
				return ret;
			msw = m;
		}
		ret = write_cr0(v, (v->cr0 & ~0xeull) | (msw & 0xf) |
				       (v->cr0 & CR0_PE));
		break;
	}
	case V3_OP_SMSW:
		/* A register takes the operand size (the rest of CR0 with it),
		 * memory the low word. */
		if (insn.dst.kind == V3_OPND_REG) {
			uint64_t *r = &gpr[insn.dst.reg];

			*r = insn.op_size == 8 ? v->cr0 :
			     insn.op_size == 4 ? (uint32_t)v->cr0 :
			     (*r & ~0xffffull) | (v->cr0 & 0xffff);
		} else {
			uint16_t msw = v->cr0;

			ret = mem_operand(v, &insn, &insn.dst, &msw, true);
		}
		break;
	default:
		v3_vm_stop_fmt(v->vm, "CR intercept on an instruction that is not a CR access (rip 0x%llx)",
			       (unsigned long long)v->rip);
		return -V3_EIO;
	}
	if (ret == 0)
		v->rip += insn.length;
	return ret < 0 ? ret : 0;
}

int v3_handle_invlpg(struct v3_vcpu *v)
{
	struct v3_insn insn;
	int ret = v3_fetch_decode(v, &insn);

	if (ret)
		return ret;
	if (insn.op != V3_OP_INVLPG) {
		v3_vm_stop_fmt(v->vm, "INVLPG intercept on another instruction (rip 0x%llx)",
			       (unsigned long long)v->rip);
		return -V3_EIO;
	}
	v3_shadow_invlpg(v, v3_operand_linear(v, &insn, &insn.dst));
	v->rip += insn.length;
	return 0;
}

static int efer_read(struct v3_vcpu *v, uint32_t msr, uint64_t *val, void *priv)
{
	(void)msr, (void)priv;
	*val = v->efer;
	return 0;
}

/* FFXSR and TCE when the host CPU has them (VMRUN refuses them
 * otherwise). */
static uint64_t efer_optional_bits(void)
{
	uint32_t a, b, c, d;

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
		     : "a"(0x80000001), "c"(0));
	return (d & (1u << 25) ? EFER_FFXSR : 0) | (c & (1u << 17) ? EFER_TCE : 0);
}

/* LMA is the CPU's to set; SVME and unknown bits are refused (#GP). */
static int efer_write(struct v3_vcpu *v, uint32_t msr, uint64_t val, void *priv)
{
	const uint64_t writable = 1 | EFER_LME | EFER_NXE | efer_optional_bits();
	uint64_t old = v->efer;

	(void)msr, (void)priv;
	if (val & ~(writable | EFER_LMA))
		return -V3_EINVAL;
	if ((v->cr0 & CR0_PG) && ((val ^ old) & EFER_LME))
		return -V3_EINVAL;
	v->efer = (val & writable) | (old & EFER_LMA);
	if (shadow(v) && ((old ^ v->efer) & EFER_NXE))
		v3_shadow_flush(v);
	else
		v3_arch->paging_changed(v);
	return 0;
}

int v3_cr_init(struct v3_vm *vm)
{
	return v3_hook_msr(vm, 0xc0000080, efer_read, efer_write, NULL);
}
