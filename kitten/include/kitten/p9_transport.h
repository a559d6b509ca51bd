/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the 9P2000.L client (kitten/fs/9p/) needs of a transport, and
 * what the virtio-9p driver (kitten/drivers/virtio_9p.c) gives: one
 * request, one reply. The client builds whole messages (size[4] type[1]
 * tag[2] ...) and parses whole replies; the transport only moves them.
 * Keeping the seam this narrow lets the client be tested on the host
 * against a fake transport, and lets another transport (a socket to a
 * file server on another node) slot in later.
 */
#ifndef KITTEN_P9_TRANSPORT_H
#define KITTEN_P9_TRANSPORT_H

#include <kitten/types.h>

struct p9_transport;

/*
 * The transport whose mount tag (QEMU's -virtfs mount_tag=) is tag, or
 * NULL if no such device was found at boot.
 */
struct p9_transport *p9_transport_find(const char *tag);

/* The largest message the transport carries, request or reply. */
size_t p9_transport_max_msg(struct p9_transport *t);

/*
 * Send the request tmsg (tlen bytes, its size field filled in) and wait,
 * sleeping, for its reply in rmsg (rcap bytes). Many tasks may call at
 * once; each reply reaches its own caller. Returns the reply's length,
 * or -errno if the transport failed (not for a 9P Rlerror, which is a
 * reply like any other).
 */
long p9_transport_rpc(struct p9_transport *t, const void *tmsg, size_t tlen,
		      void *rmsg, size_t rcap);

#endif
