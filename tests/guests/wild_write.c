/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wild_write: a guest the VMM must stop. With paging off it writes to
 * guest-physical 0x7ff00000, far above any RAM it is given and not a
 * device either. If the write comes back, the VMM let it pass: we say so
 * and exit with status 1. No KTAP: the VMM's test judges this guest.
 */
#include "guest.h"

#define WILD_PA 0x7ff00000ul

int guest_main(void)
{
	printf("wild_write: writing to guest-physical 0x%lx\n", WILD_PA);
	*(volatile u32 *)WILD_PA = 0xbadc0de;
	printf("wild_write: not stopped\n");
	return 1;
}
