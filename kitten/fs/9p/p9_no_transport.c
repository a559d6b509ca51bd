// SPDX-License-Identifier: GPL-2.0
/*
 * The transport seam (p9_transport.h) when no driver provides it: weak
 * definitions that find no device, so 9p= mounts are refused at boot
 * with "no such device" rather than the kernel failing to link. The
 * virtio-9p driver's definitions replace these.
 */
#include <kitten/errno.h>
#include <kitten/p9_transport.h>

__attribute__((weak)) struct p9_transport *p9_transport_find(const char *tag)
{
	(void)tag;
	return NULL;
}

__attribute__((weak)) size_t p9_transport_max_msg(struct p9_transport *t)
{
	(void)t;
	return 0;
}

__attribute__((weak)) long p9_transport_rpc(struct p9_transport *t,
					    const void *tmsg, size_t tlen,
					    void *rmsg, size_t rcap)
{
	(void)t, (void)tmsg, (void)tlen, (void)rmsg, (void)rcap;
	return -ENODEV;
}
