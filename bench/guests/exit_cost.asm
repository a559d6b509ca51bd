; SPDX-License-Identifier: GPL-2.0
;
; exit_cost: how many instructions one VM exit round trip costs. Under
; QEMU's -icount shift=0 the TSC counts instructions executed by the
; machine, so the TSC difference over N exits, less that of an empty
; loop of N, is what the exit, the VMM's handler and the re-entry cost.
; Prints one line per kind of exit on the debug console (port 0xE9) and
; ends through the debug-exit port (0xF4).
bits 32

%define N 10000

section .text
global _start
align 4
mb_header:
	dd 0x1badb002, 0x00010000, -(0x1badb002 + 0x00010000)
	dd mb_header, mb_header, 0, 0, _start

_start:
	mov esp, stack_top

	; the empty loop: what N iterations cost without an exit
	rdtsc
	mov [t0], eax
	mov ecx, N
.empty:	nop
	dec ecx
	jnz .empty
	rdtsc
	sub eax, [t0]
	mov [base], eax
	; the loop's own cost per iteration (3 instructions if the TSC
	; counts instructions, as it does under -icount)
	xor edx, edx
	mov ebx, N
	div ebx
	mov esi, msg_loop
	push eax
	call puts
	pop eax
	call putdec
	mov esi, msg_loop_end
	call puts

	; port I/O: a write to the POST port (0x80), which the VMM sinks
	rdtsc
	mov [t0], eax
	mov ecx, N
.io:	out 0x80, al
	dec ecx
	jnz .io
	rdtsc
	mov esi, msg_io
	call report

	; hypercall: echo (0x1000)
	rdtsc
	mov [t0], eax
	mov edi, N
.hc:	mov eax, 0x1000
	xor ebx, ebx
	xor ecx, ecx
	vmmcall
	dec edi
	jnz .hc
	rdtsc
	mov esi, msg_hc
	call report

	; CPUID leaf 0
	rdtsc
	mov [t0], eax
	mov edi, N
.cpuid:	xor eax, eax
	cpuid
	dec edi
	jnz .cpuid
	rdtsc
	mov esi, msg_cpuid
	call report

	; MMIO: a load from the test device's page (0xD0000000), which the
	; VMM takes as a nested (or shadow) page fault, decodes and emulates
	rdtsc
	mov [t0], eax
	mov ecx, N
.mmio:	mov eax, [0xd0000000]
	dec ecx
	jnz .mmio
	rdtsc
	mov esi, msg_mmio
	call report

	mov al, 0
	out 0xf4, al
	hlt

; eax = end TSC; prints esi, then (eax - t0 - base) / N.
report:
	sub eax, [t0]
	sub eax, [base]
	xor edx, edx
	mov ebx, N
	div ebx
	push eax
	call puts
	pop eax
	call putdec
	mov esi, msg_end
	call puts
	ret

puts:
	lodsb
	test al, al
	jz .done
	out 0xe9, al
	jmp puts
.done:	ret

; eax in decimal
putdec:
	mov ebx, 10
	xor ecx, ecx
.div:	xor edx, edx
	div ebx
	push edx
	inc ecx
	test eax, eax
	jnz .div
.out:	pop eax
	add al, '0'
	out 0xe9, al
	loop .out
	ret

msg_loop:	db "exit-cost: empty loop ", 0
msg_loop_end:	db " TSC ticks per iteration", 10, 0
msg_io:		db "exit-cost: io ", 0
msg_hc:		db "exit-cost: hypercall ", 0
msg_cpuid:	db "exit-cost: cpuid ", 0
msg_mmio:	db "exit-cost: mmio ", 0
msg_end:	db " instructions per round trip", 10, 0

section .bss
t0:	resd 1
base:	resd 1
	resb 4096
stack_top:
