# The "pci" group (palacios/include/palacios/devices_pci.h), included from
# unit.mk: the UART, the PCI bus, virtio block and network devices, and
# the run-time unhooking the bus needs from core/hooks.c and core/mem.c.
# The virtio tests build their rings in the fixture's RAM, reached with
# v3_gpa_to_hva() (core/guest_access.c).

UNIT_TESTS += test_v3_unhook
test_v3_unhook_SRCS := $(V3_FIXTURE)

UNIT_TESTS += test_v3_uart
test_v3_uart_SRCS := $(V3_FIXTURE) palacios/devices/uart16550.c

UNIT_TESTS += test_v3_pci
test_v3_pci_SRCS := $(V3_FIXTURE) palacios/devices/pci.c

V3_VIRTIO := $(V3_FIXTURE) palacios/core/guest_access.c \
	palacios/paging/guest_walk.c palacios/devices/pci.c \
	palacios/devices/virtio.c

UNIT_TESTS += test_v3_virtio_blk
test_v3_virtio_blk_SRCS := $(V3_VIRTIO) palacios/devices/virtio_blk.c

UNIT_TESTS += test_v3_virtio_net
test_v3_virtio_net_SRCS := $(V3_VIRTIO) palacios/devices/virtio_net.c \
	palacios/devices/net_peer.c
