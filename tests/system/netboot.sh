# SPDX-License-Identifier: GPL-2.0
# Network boot (tools/netboot, which `make netboot` runs): a machine with
# no disk and no -kernel boots over PXE from QEMU's built-in TFTP server
# (user networking: nothing leaves QEMU) to its job's output. Under the
# BIOS, iPXE's option ROM loads GRUB's PXE image; under UEFI, OVMF's own
# PXE client loads GRUB's EFI network image. Either GRUB then fetches the
# menu, the kernel and the initramfs (named "job" in the menu) over TFTP.
# The served directory is made here as `make netboot` makes it.
netdir=$BUILD/netboot-test
if selected netboot-pxe-bios || selected netboot-pxe-uefi; then
	"$top/tools/netboot" "$netdir" >"$logs/netboot.log" 2>&1 ||
		fail netboot "tools/netboot failed (see $logs/netboot.log)"
fi
for fw in bios uefi; do
	# SeaBIOS and iPXE write to the screen, OVMF to the serial port too.
	fw_opt=() firmware_re=('^Kitten .* booted by GRUB .* via multiboot2$')
	if [ $fw = uefi ]; then
		fw_opt=(--uefi)
		firmware_re=('^>>Start PXE over IPv4'
			     '^boot: memory map from UEFI: [0-9]+ descriptors')
	fi
	expect_boot "netboot-pxe-$fw" 0 \
		"${firmware_re[@]}" \
		'^Command line: exit_when_done panic=exit$' \
		'^init: initramfs job: [0-9]+ files$' \
		'^rank 1: read all 2 mailboxes through SMARTMAP$' \
		'^init: /bin/native_job done, status 0' \
		-- --pxe "$netdir" "${fw_opt[@]}" --smp 2 --timeout 600
done
