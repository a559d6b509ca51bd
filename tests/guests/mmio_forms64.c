/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 64-bit instruction forms the mmio guest checks (harness: mmio.h).
 *
 * Grouped as the decoder sees them: MOV in all its encodings (88/89/8A/
 * 8B/C6/C7, A0-A3 with 64-bit moffs), MOVZX/MOVSX/MOVSXD, the eight ALU
 * operations in their r/m,reg, reg,r/m and 80/81/83 immediate forms,
 * TEST, XCHG, MOVS and STOS with and without REP in every direction
 * between RAM and MMIO, then addressing: ModRM and SIB corner cases,
 * RIP-relative, FS/GS overrides, 32-bit addresses (67) and prefix
 * combinations. Operand sizes (66, REX.W), REX.R/X/B registers, the high
 * byte registers AH-BH and SPL-DIL are spread over the groups.
 *
 * Conventions: names use Intel operand order, d8/d32 say the size of the
 * displacement; M's start is in RBX unless a form says otherwise, and
 * operands stay inside the 256-byte window. A high-byte register is never
 * taken from a register holding an address, since that byte differs
 * between the two runs. Encodings the assembler would not choose are
 * written as bytes.
 */
#include "mmio.h"

#define FORM_SECTION ".mmio_forms64"
#define FORM_CODE_MODE ".code64"

#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * Names for the stubs that spell out an address. The alias window is
 * defined in mmio_exec.S: an absolute symbol defined here would go into a
 * RIP-relative displacement as it is, not relative to RIP.
 */
/* clang-format off */
asm(".set ref_win, mmio_ref_page + " XSTR(WIN_OFF) "\n"
    ".set mmio_win, " XSTR(MMIO_VA) " + " XSTR(WIN_OFF) "\n"
    ".set alias_win, mmio_alias_win\n"
    ".set fs_base, " XSTR(FS_BASE_VAL));
/* clang-format on */

/* MOV */
FORM("mov [rbx+d8],cl", 0, "mov %cl, 0x10(%rbx)", MEM(RBX, 0));
FORM("mov [rsi+d8],ah", 0, "mov %ah, 0x11(%rsi)", MEM(RSI, 0));
FORM("mov [rsi+d8],bh", 0, "mov %bh, 0x12(%rsi)", MEM(RSI, 0));
FORM("mov [rbx+d8],sil", 0, "mov %sil, 0x13(%rbx)", MEM(RBX, 0));
FORM("mov [rbx],spl", 0, "mov %spl, (%rbx)", MEM(RBX, 0x14));
FORM("mov [rbx+d8],r9b", 0, "mov %r9b, 0x15(%rbx)", MEM(RBX, 0));
FORM("mov [rbx+d8],dx", 0, "mov %dx, 0x16(%rbx)", MEM(RBX, 0));
FORM("mov [rbx+d8],edx", 0, "mov %edx, 0x18(%rbx)", MEM(RBX, 0));
FORM("mov [rbx+d8],rdx", 0, "mov %rdx, 0x1c(%rbx)", MEM(RBX, 0));
FORM("mov [rbx+d8],r14", 0, "mov %r14, 0x20(%rbx)", MEM(RBX, 0));
FORM("mov cl,[rbx+d8]", 0, "mov 0x21(%rbx), %cl", MEM(RBX, 0));
FORM("mov dh,[rsi+d8]", 0, "mov 0x22(%rsi), %dh", MEM(RSI, 0));
FORM("mov ch,[rsi+d8]", 0, "mov 0x23(%rsi), %ch", MEM(RSI, 0));
FORM("mov dil,[rbx+d8]", 0, "mov 0x24(%rbx), %dil", MEM(RBX, 0));
FORM("mov bpl,[rbx+d8]", 0, "mov 0x25(%rbx), %bpl", MEM(RBX, 0));
FORM("mov r15b,[rbx+d8]", 0, "mov 0x26(%rbx), %r15b", MEM(RBX, 0));
FORM("mov ax,[rbx+d8]", 0, "mov 0x27(%rbx), %ax", MEM(RBX, 0));
FORM("mov r12w,[rbx+d8]", 0, "mov 0x29(%rbx), %r12w", MEM(RBX, 0));
FORM("mov eax,[rbx+d8]", 0, "mov 0x2a(%rbx), %eax", MEM(RBX, 0));
FORM("mov r11d,[rbx+d8]", 0, "mov 0x2e(%rbx), %r11d", MEM(RBX, 0));
FORM("mov rax,[rbx+d8]", 0, "mov 0x30(%rbx), %rax", MEM(RBX, 0));
FORM("mov r10,[rbx+d8]", 0, "mov 0x33(%rbx), %r10", MEM(RBX, 0));
FORM("mov byte [rbx+d8],imm8", 0, "movb $0x9c, 0x32(%rbx)", MEM(RBX, 0));
FORM("mov word [rbx+d8],imm16", 0, "movw $0x8b7a, 0x33(%rbx)", MEM(RBX, 0));
FORM("mov dword [rbx+d8],imm32", 0, "movl $0x89abcdef, 0x34(%rbx)",
     MEM(RBX, 0));
FORM("mov qword [rbx+d8],simm32", 0, "movq $-0x12345678, 0x38(%rbx)",
     MEM(RBX, 0));
FORM("mov byte [r8+d8],imm8", 0, "movb $0x5a, 0x10(%r8)", MEM(R8, 0));
FORM("mov qword [r9+d8],simm32", 0, "movq $0x7edcba98, 0x18(%r9)", MEM(R9, 0));

/* MOV with a 64-bit absolute address (moffs) */
FORM2("mov al,[moffs64]", 0, "movabs ref_win + 0x10, %al",
      "movabs mmio_win + 0x10, %al");
FORM2("mov ax,[moffs64]", 0, "movabs ref_win + 0x11, %ax",
      "movabs mmio_win + 0x11, %ax");
FORM2("mov eax,[moffs64]", 0, "movabs ref_win + 0x13, %eax",
      "movabs mmio_win + 0x13, %eax");
FORM2("mov rax,[moffs64]", 0, "movabs ref_win + 0x17, %rax",
      "movabs mmio_win + 0x17, %rax");
FORM2("mov [moffs64],al", 0, "movabs %al, ref_win + 0x20",
      "movabs %al, mmio_win + 0x20");
FORM2("mov [moffs64],ax", 0, "movabs %ax, ref_win + 0x21",
      "movabs %ax, mmio_win + 0x21");
FORM2("mov [moffs64],eax", 0, "movabs %eax, ref_win + 0x23",
      "movabs %eax, mmio_win + 0x23");
FORM2("mov [moffs64],rax", 0, "movabs %rax, ref_win + 0x27",
      "movabs %rax, mmio_win + 0x27");
FORM2("mov eax,fs:[moffs64]", 0, "movabs %fs:ref_win + 0x30 - fs_base, %eax",
      "movabs %fs:mmio_win + 0x30 - fs_base, %eax");

/* MOVZX, MOVSX, MOVSXD */
FORM("movzx eax,byte [rbx+d8]", 0, "movzbl 0x11(%rbx), %eax", MEM(RBX, 0));
FORM("movzx ax,byte [rbx+d8]", 0, "movzbw 0x13(%rbx), %ax", MEM(RBX, 0));
FORM("movzx r11,byte [rbx+d8]", 0, "movzbq 0x15(%rbx), %r11", MEM(RBX, 0));
FORM("movzx eax,word [rbx+d8]", 0, "movzwl 0x17(%rbx), %eax", MEM(RBX, 0));
FORM("movzx rdx,word [rbx+d8]", 0, "movzwq 0x19(%rbx), %rdx", MEM(RBX, 0));
FORM("movsx eax,byte [rbx+d8]", 0, "movsbl 0x1b(%rbx), %eax", MEM(RBX, 0));
FORM("movsx cx,byte [rbx+d8]", 0, "movsbw 0x1d(%rbx), %cx", MEM(RBX, 0));
FORM("movsx rdx,byte [rbx+d8]", 0, "movsbq 0x1f(%rbx), %rdx", MEM(RBX, 0));
FORM("movsx r9d,byte [rbx+d8]", 0, "movsbl 0x21(%rbx), %r9d", MEM(RBX, 0));
FORM("movsx eax,word [rbx+d8]", 0, "movswl 0x23(%rbx), %eax", MEM(RBX, 0));
FORM("movsx rax,word [rbx+d8]", 0, "movswq 0x25(%rbx), %rax", MEM(RBX, 0));
FORM("movsxd rax,dword [rbx+d8]", 0, "movslq 0x27(%rbx), %rax", MEM(RBX, 0));
FORM("movsxd r13,dword [rbx+d8]", 0, "movslq 0x2b(%rbx), %r13", MEM(RBX, 0));
FORM("movsxd eax,dword [rbx+d8] (no REX.W)", 0, ".byte 0x63, 0x43, 0x2f",
     MEM(RBX, 0));

/*
 * ADD OR ADC SBB AND SUB XOR CMP: opcodes 8n+0 to 8n+3, and 80/81/83 /n.
 * ADC and SBB start with CF set (pattern 0) and clear (pattern 1).
 */
#define ALU_FORMS(op, fl)                                                      \
	FORM(#op " [rbx+d8],ch", fl, #op " %ch, 0x10(%rbx)", MEM(RBX, 0));     \
	FORM(#op " [rbx+d8],edx", fl, #op " %edx, 0x14(%rbx)", MEM(RBX, 0));   \
	FORM(#op " [rbx+d8],r9", fl, #op " %r9, 0x19(%rbx)", MEM(RBX, 0));     \
	FORM(#op " dil,[rbx+d8]", fl, #op " 0x1b(%rbx), %dil", MEM(RBX, 0));   \
	FORM(#op " ax,[rbx+d8]", fl, #op " 0x1c(%rbx), %ax", MEM(RBX, 0));     \
	FORM(#op " ecx,[rbx+d8]", fl, #op " 0x1e(%rbx), %ecx", MEM(RBX, 0));   \
	FORM(#op " r12,[rbx+d8]", fl, #op " 0x20(%rbx), %r12", MEM(RBX, 0));   \
	FORM(#op " byte [rbx+d8],imm8", fl, #op "b $0x81, 0x28(%rbx)",         \
	     MEM(RBX, 0));                                                     \
	FORM(#op " dword [rbx+d8],imm32", fl, #op "l $0x12345678, 0x29(%rbx)", \
	     MEM(RBX, 0));                                                     \
	FORM(#op " qword [rbx+d8],simm32", fl,                                 \
	     #op "q $-0x789abcd, 0x2d(%rbx)", MEM(RBX, 0));                    \
	FORM(#op " word [rbx+d8],simm8", fl, #op "w $-3, 0x35(%rbx)",          \
	     MEM(RBX, 0));                                                     \
	FORM(#op " qword [rbx+d8],simm8", fl, #op "q $0x7f, 0x37(%rbx)",       \
	     MEM(RBX, 0))

ALU_FORMS(add, 0);
ALU_FORMS(or, F_NOAF);
ALU_FORMS(adc, 0);
ALU_FORMS(sbb, 0);
ALU_FORMS(and, F_NOAF);
ALU_FORMS(sub, 0);
ALU_FORMS(xor, F_NOAF);
ALU_FORMS(cmp, 0);

/* TEST: 84, 85, F6 /0, F7 /0 */
FORM("test [rbx+d8],cl", F_NOAF, "test %cl, 0x10(%rbx)", MEM(RBX, 0));
FORM("test [rbx+d8],dh", F_NOAF, "test %dh, 0x11(%rbx)", MEM(RBX, 0));
FORM("test [rbx+d8],dx", F_NOAF, "test %dx, 0x12(%rbx)", MEM(RBX, 0));
FORM("test [rbx+d8],edx", F_NOAF, "test %edx, 0x14(%rbx)", MEM(RBX, 0));
FORM("test [rbx+d8],r10", F_NOAF, "test %r10, 0x18(%rbx)", MEM(RBX, 0));
FORM("test byte [rbx+d8],imm8", F_NOAF, "testb $0x81, 0x19(%rbx)", MEM(RBX, 0));
FORM("test word [rbx+d8],imm16", F_NOAF, "testw $0x8001, 0x1a(%rbx)",
     MEM(RBX, 0));
FORM("test dword [rbx+d8],imm32", F_NOAF, "testl $0x80000001, 0x1c(%rbx)",
     MEM(RBX, 0));
FORM("test qword [rbx+d8],simm32", F_NOAF, "testq $-0x7fff0001, 0x20(%rbx)",
     MEM(RBX, 0));

/* XCHG: 86, 87 */
FORM("xchg [rbx+d8],cl", 0, "xchg %cl, 0x10(%rbx)", MEM(RBX, 0));
FORM("xchg [rbx+d8],ah", 0, "xchg %ah, 0x11(%rbx)", MEM(RBX, 0));
FORM("xchg [rbx+d8],sil", 0, "xchg %sil, 0x12(%rbx)", MEM(RBX, 0));
FORM("xchg [rbx+d8],dx", F_TCG_LOSES_FLAGS, "xchg %dx, 0x13(%rbx)", MEM(RBX, 0));
FORM("xchg [rbx+d8],edx", F_TCG_LOSES_FLAGS, "xchg %edx, 0x15(%rbx)", MEM(RBX, 0));
FORM("xchg [rbx+d8],rdx", F_TCG_LOSES_FLAGS, "xchg %rdx, 0x19(%rbx)", MEM(RBX, 0));
FORM("xchg [rbx+d8],r11", F_TCG_LOSES_FLAGS, "xchg %r11, 0x21(%rbx)", MEM(RBX, 0));

/* MOVS: A4, A5 */
FORM("movsb ram->mmio", 0, "movsb", RAM(RSI, 0x10), MEM(RDI, 0x20));
FORM("movsb mmio->ram", 0, "movsb", MEM(RSI, 0x11), RAM(RDI, 0x21));
FORM("movsb mmio->mmio", 0, "movsb", MEM(RSI, 0x12), MEM(RDI, 0x80));
FORM("movsw mmio->ram", 0, "movsw", MEM(RSI, 0x13), RAM(RDI, 0x23));
FORM("movsd ram->mmio", 0, "movsl", RAM(RSI, 0x14), MEM(RDI, 0x24));
FORM("movsq mmio->mmio", 0, "movsq", MEM(RSI, 0x15), MEM(RDI, 0x85));
FORM("rep movsb ram->mmio", 0, "rep movsb", RAM(RSI, 0x10), MEM(RDI, 0x20),
     VAL(RCX, 7));
FORM("rep movsb mmio->ram", 0, "rep movsb", MEM(RSI, 0x11), RAM(RDI, 0x21),
     VAL(RCX, 9));
FORM("rep movsb mmio->mmio", 0, "rep movsb", MEM(RSI, 0x12), MEM(RDI, 0x80),
     VAL(RCX, 5));
FORM("rep movsw ram->mmio", 0, "rep movsw", RAM(RSI, 0x10), MEM(RDI, 0x20),
     VAL(RCX, 5));
FORM("rep movsd mmio->ram", 0, "rep movsl", MEM(RSI, 0x14), RAM(RDI, 0x24),
     VAL(RCX, 6));
FORM("rep movsq mmio->mmio", 0, "rep movsq", MEM(RSI, 0x18), MEM(RDI, 0x88),
     VAL(RCX, 4));
FORM("rep movsq ram->mmio, rcx=0", 0, "rep movsq", RAM(RSI, 0x10),
     MEM(RDI, 0x20), VAL(RCX, 0));
FORM("rep movsd mmio->mmio, df=1", F_DF, "rep movsl", MEM(RSI, 0x3c),
     MEM(RDI, 0xbc), VAL(RCX, 8));
FORM("rep movsb ram->mmio, df=1", F_DF, "rep movsb", RAM(RSI, 0x30),
     MEM(RDI, 0x50), VAL(RCX, 6));
FORM("movsb fs:[rsi] mmio->ram", 0, "movsb %fs:(%rsi), %es:(%rdi)",
     MEM_FS(RSI, 0x16), RAM(RDI, 0x26));
FORM("rep movsb a32 mmio->ram", 0, "addr32 rep movsb", MEM_HI(RSI, 0x17),
     RAM(RDI, 0x27), VAL(RCX, 0xdead000000000005));

/* STOS: AA, AB */
FORM("stosb mmio", 0, "stosb", MEM(RDI, 0x10));
FORM("stosw mmio", 0, "stosw", MEM(RDI, 0x11));
FORM("stosd mmio", 0, "stosl", MEM(RDI, 0x13));
FORM("stosq mmio", 0, "stosq", MEM(RDI, 0x17));
FORM("rep stosb mmio", 0, "rep stosb", MEM(RDI, 0x10), VAL(RCX, 13));
FORM("rep stosw mmio", 0, "rep stosw", MEM(RDI, 0x11), VAL(RCX, 7));
FORM("rep stosd mmio", 0, "rep stosl", MEM(RDI, 0x12), VAL(RCX, 5));
FORM("rep stosq mmio", 0, "rep stosq", MEM(RDI, 0x18), VAL(RCX, 6));
FORM("rep stosd mmio, df=1", F_DF, "rep stosl", MEM(RDI, 0x40), VAL(RCX, 4));
FORM("rep stosb mmio, rcx=0", 0, "rep stosb", MEM(RDI, 0x10), VAL(RCX, 0));
FORM("rep stosd a32 mmio", 0, "addr32 rep stosl", MEM_HI(RDI, 0x20),
     VAL(RCX, 0xdead000000000003));

/* ModRM and SIB */
FORM("mov eax,[rbx] (mod 00)", 0, "mov (%rbx), %eax", MEM(RBX, 0x10));
FORM("mov eax,[rbx-d8]", 0, "mov -0x10(%rbx), %eax", MEM(RBX, 0x40));
FORM("mov eax,[rbx+d32]", 0, "mov 0x1234(%rbx), %eax", MEM(RBX, 0x20 - 0x1234));
FORM("mov [rbx-d32],edx", 0, "mov %edx, -0x2000(%rbx)", MEM(RBX, 0x2024));
FORM("mov eax,[rbx+rcx]", 0, "mov (%rbx,%rcx), %eax", MEM(RBX, 0),
     VAL(RCX, 0x24));
FORM("mov eax,[rbx+rcx*4+d8]", 0, "mov 0x8(%rbx,%rcx,4), %eax", MEM(RBX, 0),
     VAL(RCX, 5));
FORM("mov [rdi+rsi*8+d32],rax", 0, "mov %rax, 0x100(%rdi,%rsi,8)",
     MEM(RDI, 0x28 - 0x100 - 3 * 8), VAL(RSI, 3));
FORM("mov eax,[rbx] (SIB, index 100: none)", 0, ".byte 0x8b, 0x04, 0x23",
     MEM(RBX, 0x2c));
FORM("mov eax,[r12] (SIB)", 0, "mov (%r12), %eax", MEM(R12, 0x30));
FORM("mov eax,[r13] (mod 01, d8=0)", 0, "mov (%r13), %eax", MEM(R13, 0x34));
FORM("mov eax,[rbp] (mod 01, d8=0)", 0, "mov (%rbp), %eax", MEM(RBP, 0x38));
FORM("mov eax,[rbx+r12*2]", 0, "mov (%rbx,%r12,2), %eax", MEM(RBX, 0),
     VAL(R12, 0x1e));
FORM("mov eax,[rbx+r13*4]", 0, "mov (%rbx,%r13,4), %eax", MEM(RBX, 0),
     VAL(R13, 0x0f));
FORM("mov eax,[r15+r14*8+d8]", 0, "mov 0x4(%r15,%r14,8), %eax", MEM(R15, 0),
     VAL(R14, 7));
FORM("mov [r13+r12],cl", 0, "mov %cl, (%r13,%r12)", MEM(R13, 0),
     VAL(R12, 0x41));
FORM("mov eax,[rcx*8+d32] (SIB, no base)", 0, "mov 0x10(,%rcx,8), %eax",
     MEM_IDX8(RCX, 0x20));
FORM("mov eax,[r12*8+d32] (SIB, no base though REX.B)", 0,
     ".byte 0x43, 0x8b, 0x04, 0xe5; .long 0x10", MEM_IDX8(R12, 0x28),
     VAL(R13, 0x40));

/* RIP-relative: the page under test is reached through MMIO_ALIAS_VA */
FORM2("mov eax,[rip+d32]", 0, "mov ref_win + 0x10(%rip), %eax",
      "mov alias_win + 0x10(%rip), %eax");
FORM2("mov [rip+d32],rdx", 0, "mov %rdx, ref_win + 0x18(%rip)",
      "mov %rdx, alias_win + 0x18(%rip)");
FORM2("mov dword [rip+d32],imm32", 0, "movl $0x13572468, ref_win + 0x20(%rip)",
      "movl $0x13572468, alias_win + 0x20(%rip)");
FORM2("add byte [rip+d32],imm8", 0, "addb $0x35, ref_win + 0x24(%rip)",
      "addb $0x35, alias_win + 0x24(%rip)");
FORM2("cmp word [rip+d32],imm16", 0, "cmpw $0x1234, ref_win + 0x26(%rip)",
      "cmpw $0x1234, alias_win + 0x26(%rip)");
FORM2("mov eax,[rip+d32] (REX.B set)", 0,
      ".byte 0x41, 0x8b, 0x05; .long ref_win + 0x2c - . - 4",
      ".byte 0x41, 0x8b, 0x05; .long alias_win + 0x2c - . - 4");
FORM2("mov eax,fs:[rip+d32]", 0, "mov %fs:ref_win + 0x30 - fs_base(%rip), %eax",
      "mov %fs:alias_win + 0x30 - fs_base(%rip), %eax");

/* Segment overrides: FS and GS have bases, ES is ignored */
FORM("mov eax,fs:[rbx+d8]", 0, "mov %fs:0x10(%rbx), %eax", MEM_FS(RBX, 0));
FORM("mov fs:[rbx+rcx*2],dx", 0, "mov %dx, %fs:(%rbx,%rcx,2)", MEM_FS(RBX, 0),
     VAL(RCX, 0x0a));
FORM("add gs:[rbx+d8],ecx", 0, "add %ecx, %gs:0x18(%rbx)", MEM_GS(RBX, 0));
FORM("mov rax,gs:[r13+d32]", 0, "mov %gs:0x1000(%r13), %rax",
     MEM_GS(R13, 0x20 - 0x1000));
FORM("mov eax,es:[rbx+d8] (override ignored)", 0, "mov %es:0x24(%rbx), %eax",
     MEM(RBX, 0));

/* 32-bit addresses: only the low halves of the registers count */
FORM("mov eax,[ebx+d8] (a32)", 0, "mov 0x10(%ebx), %eax", MEM_HI(RBX, 0));
FORM("mov [ebx+ecx*4],edx (a32)", 0, "mov %edx, (%ebx,%ecx,4)", MEM_HI(RBX, 0),
     VAL(RCX, 0xffffffff00000006));

/*
 * Prefixes. Not here: a REX followed by a legacy prefix (48 66 89 ...),
 * which the CPU ignores. QEMU 7.2's TCG applies it, and when Palacios runs
 * under QEMU, TCG executes the RAM side, so the check would fail with the
 * decoder right.
 */
FORM("lock add [rbx+d8],ecx", 0, "lock add %ecx, 0x10(%rbx)", MEM(RBX, 0));
FORM("mov [rbx+d8],rax (66 and REX.W: 64-bit)", 0,
     ".byte 0x66, 0x48, 0x89, 0x43, 0x14", MEM(RBX, 0));
FORM("mov qword [rbx+d8],simm32 (66 and REX.W: imm32)", 0,
     ".byte 0x66, 0x48, 0xc7, 0x43, 0x18; .long 0x87654321", MEM(RBX, 0));
FORM("mov [rbx+d8],edx (REX 40)", 0, ".byte 0x40, 0x89, 0x53, 0x20",
     MEM(RBX, 0));
