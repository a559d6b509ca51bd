/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel-wide declarations that belong to no subsystem. */
#ifndef KITTEN_KERNEL_H
#define KITTEN_KERNEL_H

#define KITTEN_VERSION "0.1"

/* crash=<kind>: fault on purpose, to test the panic path. */
void crash_test(const char *cmdline);

#endif
