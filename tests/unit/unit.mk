# Host unit tests: one cmocka program per file tests/unit/<name>.c.
# Add the program to UNIT_TESTS and list the kernel sources it links.
UNIT_TESTS :=

UNIT_TESTS += test_pgtable
test_pgtable_SRCS := kitten/arch/x86_64/pgtable.c
UNIT_TESTS += test_pgtable_prot
test_pgtable_prot_SRCS := kitten/arch/x86_64/pgtable.c
UNIT_TESTS += test_pgtable_zero
test_pgtable_zero_SRCS := kitten/arch/x86_64/pgtable.c
UNIT_TESTS += test_mmap
test_mmap_SRCS := kitten/mm/mmap.c

# The kernel's formatter, renamed so it can be compared with the C library's.
UNIT_TESTS += test_vsnprintf
test_vsnprintf_SRCS := kitten/lib/vsnprintf.c
test_vsnprintf_CFLAGS := -Dvsnprintf=kernel_vsnprintf -Dsnprintf=kernel_snprintf

UNIT_TESTS += test_buddy
test_buddy_SRCS := kitten/mm/buddy.c
UNIT_TESTS += test_buddy_runs
test_buddy_runs_SRCS := kitten/mm/buddy.c

UNIT_TESTS += test_kmem
test_kmem_SRCS := kitten/mm/kmem.c

UNIT_TESTS += test_memmap
test_memmap_SRCS := kitten/mm/memmap.c

UNIT_TESTS += test_cmdline
test_cmdline_SRCS := kitten/kernel/cmdline.c

UNIT_TESTS += test_cred
test_cred_SRCS := kitten/kernel/cred.c

UNIT_TESTS += test_acpi
test_acpi_SRCS := kitten/drivers/acpi.c

UNIT_TESTS += test_mptable
test_mptable_SRCS := kitten/drivers/mptable.c

UNIT_TESTS += test_elf
test_elf_SRCS := kitten/lib/elf.c
test_elf_DEPS := $(addprefix $(BUILD)/tests/unit/fixtures/,hello-static hello-static-pie hello-dynamic)
test_elf_CFLAGS := -DFIXTURES=\"$(abspath $(BUILD))/tests/unit/fixtures\"

UNIT_TESTS += test_cpio
test_cpio_SRCS := kitten/lib/cpio.c

# The 9P2000.L client against a 9P server over a host directory.
UNIT_TESTS += test_p9
test_p9_SRCS := kitten/fs/9p/p9_msg.c kitten/fs/9p/p9_client.c

# Palacios's pure parts: the guest page-table walker, the page-table
# builder, the memory map and the VM image checker.
UNIT_TESTS += test_guest_walk
test_guest_walk_SRCS := palacios/paging/guest_walk.c

UNIT_TESTS += test_v3_ptable
test_v3_ptable_SRCS := palacios/paging/ptable.c

UNIT_TESTS += test_v3_mem
test_v3_mem_SRCS := palacios/core/mem.c
UNIT_TESTS += test_v3_mem_layout
test_v3_mem_layout_SRCS := palacios/core/mem.c

UNIT_TESTS += test_v3_image
test_v3_image_SRCS := palacios/core/image.c

# Palacios devices, driven through the hooks of a VM without hardware
# (v3_fixture.c). A device test links its device file and V3_FIXTURE.
V3_FIXTURE := tests/unit/v3_fixture.c palacios/core/hooks.c palacios/core/intr.c \
	palacios/core/time.c palacios/core/mem.c

UNIT_TESTS += test_v3_testdev
test_v3_testdev_SRCS := $(V3_FIXTURE) palacios/devices/debugcon.c \
	palacios/devices/debug_exit.c palacios/devices/testdev.c
UNIT_TESTS += test_v3_npt
test_v3_npt_SRCS := $(V3_FIXTURE) palacios/paging/npt.c palacios/paging/ptable.c
UNIT_TESTS += test_v3_fw_cfg
test_v3_fw_cfg_SRCS := $(V3_FIXTURE) palacios/devices/fw_cfg.c
include tests/unit/decoder.mk
include tests/unit/devices_apic.mk
include tests/unit/devices_pci.mk
include tests/unit/devices_legacy.mk

# PCI capability lists and virtio's, over fake configuration spaces; the
# split virtqueue against a fake device.
UNIT_TESTS += test_pci_cap
test_pci_cap_SRCS := kitten/drivers/pci_cap.c kitten/drivers/virtio_pci_caps.c
UNIT_TESTS += test_virtqueue
test_virtqueue_SRCS := kitten/drivers/virtqueue.c
# The CMOS clock's decoding and calendar arithmetic.
UNIT_TESTS += test_rtc
test_rtc_SRCS := kitten/arch/x86_64/rtc.c

# /proc's text: CPU lists, status and stat layouts, /proc/self paths.
UNIT_TESTS += test_procfs
test_procfs_SRCS := kitten/fs/procfs_text.c

# Multiboot 2 information under BIOS and UEFI (EFI memory map, ACPI RSDP).
UNIT_TESTS += test_bootinfo
test_bootinfo_SRCS := kitten/arch/x86_64/bootinfo.c
