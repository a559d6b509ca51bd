# SPDX-License-Identifier: GPL-2.0
# UEFI firmware (Debian's OVMF, tools/qemu-run --uefi): the ISO of `make
# iso` boots under it as under the BIOS (boot.sh's boot-iso-grub); Kitten
# takes its memory map from the EFI descriptors GRUB passes and its ACPI
# tables from the RSDP GRUB passes (OVMF puts none in the BIOS area); and
# every in-kernel suite passes there, from the same ISO under both
# firmwares. See docs/boot.md.

# log_expect NAME REGEX...: each extended regex found in the console log
# of the boot NAME is a test.
log_expect() {
	local name=$1 log=$logs/$1.log re
	shift
	for re in "$@"; do
		if tr -d '\r' <"$log" | grep -Eq -- "$re"; then
			pass "$name: /$re/"
		else
			fail "$name" "no line matches /$re/ (see $log)"
		fi
	done
}

# test_iso NAME CMDLINE: the ISO `make iso` makes, with another kernel
# command line in its GRUB menu; prints its path.
test_iso() {
	local dir=$BUILD/uefi/$1 out=$BUILD/uefi/$1.iso
	rm -rf "$dir" && mkdir -p "$dir/boot/grub" || return 1
	cp "$BUILD/kitten.elf" "$dir/boot/kitten.elf" || return 1
	sed "s|^\(\tmultiboot2 /boot/kitten.elf\) .*|\1 $2|" "$top/tools/grub.cfg" \
		>"$dir/boot/grub/grub.cfg"
	grep -qF "kitten.elf $2" "$dir/boot/grub/grub.cfg" || return 1
	grub-mkrescue -o "$out" "$dir" 2>"$out.log" && echo "$out"
}

# The ISO itself (tools/grub.cfg: the boot and mm suites) under OVMF.
ktap_boot uefi-iso --iso --uefi --mem 512M --timeout 600
if selected uefi-iso; then
	log_expect uefi-iso \
		'^boot: memory map from UEFI: [0-9]+ descriptors, boot services exited$' \
		'^Kitten .* booted by GRUB .* via multiboot2$' \
		'^platform: from ACPI: 1 CPUs' \
		'\] ACPI NVS$'
fi

# The same ISO written to a USB stick (`dd`, docs/boot.md): a hybrid
# image, with an MBR for the BIOS and an EFI system partition for UEFI.
ktap_boot usb-stick-bios --usb "$BUILD/kitten.iso" --mem 512M --timeout 600
ktap_boot usb-stick-uefi --usb "$BUILD/kitten.iso" --uefi --mem 512M --timeout 600

# Every suite ktest=all runs, on two CPUs, from one ISO under each firmware.
if selected iso-all-suites-bios || selected iso-all-suites-uefi; then
	uefi_iso=$(test_iso all "ktest=all ktest.cpus=2 ktest.mem=512M panic=exit") ||
		fail iso-all-suites "cannot make the test ISO"
	for fw in bios uefi; do
		fw_opt=; [ $fw = uefi ] && fw_opt=--uefi
		ktap_boot "iso-all-suites-$fw" --cdrom "$uefi_iso" $fw_opt --smp 2 \
			--mem 512M --timeout 600
	done
fi

# Memory above 4 GiB: OVMF's map of a 4 GiB machine (3 GiB below the PCI
# hole, 1 GiB above 4 GiB).
if selected uefi-4G; then
	uefi_iso=$(test_iso 4G "ktest=boot,mm ktest.mem=4G panic=exit") ||
		fail uefi-4G "cannot make the test ISO"
	ktap_boot uefi-4G --cdrom "$uefi_iso" --uefi --mem 4G --timeout 600
fi

# The suite ktest=all leaves out: PCI and virtio-9p, on OVMF's PCI set-up.
if selected uefi-virtio; then
	uefi_export=$BUILD/uefi/export
	rm -rf "$uefi_export" && mkdir -p "$uefi_export"
	uefi_token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	printf '%s' "$uefi_token" >"$uefi_export/token.txt"
	python3 -c 'import sys
open(sys.argv[1], "wb").write(bytes((i ^ (i >> 8) ^ (i >> 16)) & 0xff
                                    for i in range(256 * 1024)))' \
		"$uefi_export/pattern.bin"
	uefi_iso=$(test_iso virtio "ktest=virtio ktest.p9token=$uefi_token panic=exit") ||
		fail uefi-virtio "cannot make the test ISO"
	ktap_boot uefi-virtio --cdrom "$uefi_iso" --uefi --smp 2 --timeout 600 -- \
		-fsdev "local,id=p9,path=$uefi_export,security_model=none,readonly=on" \
		-device "virtio-9p-pci,fsdev=p9,mount_tag=ktest,disable-legacy=on"
fi
