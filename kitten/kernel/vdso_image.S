/* SPDX-License-Identifier: GPL-2.0 */
/* The vDSO's image, built from kitten/vdso before the kernel (Makefile). */
	.section .rodata
	.balign 16
	.globl vdso_image_start, vdso_image_end
vdso_image_start:
	.incbin VDSO_IMAGE
vdso_image_end:
	.section .note.GNU-stack, "", @progbits
