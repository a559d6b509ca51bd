/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random accesses to the emulated devices (fuzz_dev.c), shared by the
 * garbage guest and the guest fuzzer. Each call draws its randomness
 * from rnd, so a guest's own seeded generator decides everything.
 */
#ifndef FUZZ_DEV_H
#define FUZZ_DEV_H

#include "guest.h"

typedef u32 (*fuzz_rnd_fn)(void);

u32 fuzz_port_in(u16 port, unsigned size);
void fuzz_port_out(u16 port, u32 v, unsigned size);
/* A value for port with the writes that end the machine on purpose
 * (reset, power-off) taken out. */
u32 fuzz_defuse(u16 port, u32 v, unsigned size);
/* A read or a defused write of a random register of a random device. */
void fuzz_poke_port(fuzz_rnd_fn rnd);
/* The same for a register of the local APIC or the IOAPIC. */
void fuzz_poke_mmio(fuzz_rnd_fn rnd);

#endif
