/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 32-bit instruction forms the mmio guest checks (harness: mmio.h),
 * run in protected mode with paging off: a representative subset of
 * mmio_forms64.c (MOV, ADD, MOVZX/MOVSX, SIB and disp32 addressing, REP
 * STOS and MOVS) plus what only this mode has: 16-bit addressing through
 * the 67 prefix, with its register pairs, 16-bit wrap-around and moffs16.
 *
 * FS is the window segment, based at M, so FS: forms take offsets, not
 * addresses; a register's upper half, which 16-bit addressing ignores,
 * holds junk. REP STOS has no segment override, so its 16-bit form loads
 * ES with the window segment around the instruction.
 */
#include "mmio.h"

#define FORM_SECTION ".mmio_forms32"
#define FORM_CODE_MODE ".code32"

#define STR(x) #x
#define XSTR(x) STR(x)
#define WITH_ES_WIN(insn) \
	"push %es; push $" XSTR(PM32_SEL_WIN) "; pop %es; " insn "; pop %es"

FORM("mov [ebx+d8],edx", 0, "mov %edx, 0x10(%ebx)", MEM(EBX, 0));
FORM("mov ecx,[ebx+d8]", 0, "mov 0x14(%ebx), %ecx", MEM(EBX, 0));
FORM("mov [esi+d8],ah", 0, "mov %ah, 0x11(%esi)", MEM(ESI, 0));
FORM("mov dh,[esi+d8]", 0, "mov 0x12(%esi), %dh", MEM(ESI, 0));
FORM("mov word [ebx+d8],imm16", 0, "movw $0x9abc, 0x12(%ebx)", MEM(EBX, 0));
FORM("mov eax,fs:[moffs32]", 0, "mov %fs:0x18, %eax");
FORM("mov fs:[moffs32],al", 0, "mov %al, %fs:0x1c");
FORM("add [ebx+d8],edx", 0, "add %edx, 0x10(%ebx)", MEM(EBX, 0));
FORM("add ecx,[ebx+d8]", 0, "add 0x14(%ebx), %ecx", MEM(EBX, 0));
FORM("add byte [ebx+d8],imm8", 0, "addb $0x81, 0x18(%ebx)", MEM(EBX, 0));
FORM("add dword [ebx+d8],simm8", 0, "addl $-5, 0x1c(%ebx)", MEM(EBX, 0));
FORM("sub [ebx+d8],cx", 0, "sub %cx, 0x20(%ebx)", MEM(EBX, 0));
FORM("movzx eax,byte [ebx+d8]", 0, "movzbl 0x11(%ebx), %eax", MEM(EBX, 0));
FORM("movzx ecx,word [ebx+d8]", 0, "movzwl 0x13(%ebx), %ecx", MEM(EBX, 0));
FORM("movsx edx,byte [ebx+d8]", 0, "movsbl 0x15(%ebx), %edx", MEM(EBX, 0));
FORM("mov eax,[ebx+ecx*4+d8]", 0, "mov 0x8(%ebx,%ecx,4), %eax", MEM(EBX, 0),
     VAL(ECX, 5));
FORM("mov eax,[ebx+d32]", 0, "mov 0x1234(%ebx), %eax", MEM(EBX, 0x20 - 0x1234));
FORM("rep stosd", 0, "rep stosl", MEM(EDI, 0x10), VAL(ECX, 4));
FORM("rep stosb", 0, "rep stosb", MEM(EDI, 0x11), VAL(ECX, 9));
FORM("rep stosw", 0, "rep stosw", MEM(EDI, 0x12), VAL(ECX, 5));
FORM("rep movsd ram->mmio", 0, "rep movsl", RAM(ESI, 0x10), MEM(EDI, 0x20),
     VAL(ECX, 5));
FORM("rep movsb mmio->ram", 0, "rep movsb", MEM(ESI, 0x11), RAM(EDI, 0x21),
     VAL(ECX, 7));

/* 16-bit addressing */
FORM("mov eax,fs:[bx+si+d8] (a16)", 0, "addr16 mov %fs:0x10(%bx,%si), %eax",
     VAL(EBX, 0x12340020), VAL(ESI, 0x8));
FORM("mov fs:[bp+di],ecx (a16)", 0, "addr16 mov %ecx, %fs:(%bp,%di)",
     VAL(EBP, 0x40), VAL(EDI, 0xabcd0004));
FORM("mov eax,fs:[bx+d16] (a16, wraps at 64K)", 0,
     "addr16 mov %fs:0x1234(%bx), %eax", VAL(EBX, (0x48 - 0x1234) & 0xffff));
FORM("mov eax,fs:[moffs16] (a16)", 0, "addr16 mov %fs:0x4c, %eax");
FORM("mov ax,fs:[bx+di] (a16)", 0, "addr16 mov %fs:(%bx,%di), %ax",
     VAL(EBX, 0x50), VAL(EDI, 2));
FORM("add fs:[si+d8],dl (a16)", 0, "addr16 add %dl, %fs:0x3(%si)",
     VAL(ESI, 0x77770070));
FORM("rep stosb es:[di] (a16)", 0, WITH_ES_WIN("addr16 rep stosb"),
     VAL(EDI, 0xffff0060), VAL(ECX, 0x55550006));
