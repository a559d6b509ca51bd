# SPDX-License-Identifier: GPL-2.0
# Unmodified Debian Linux (linux-image-amd64, fetched by apt at test time)
# boots inside Palacios on Kitten to a busybox shell, runs a command and
# powers off, with nested and with shadow paging. Its
# log may show no problem that the same kernel and initramfs do not show
# on plain QEMU.
if selected linux-vm; then
	lk=$("$top/tools/guest-linux" kernel)
	linitrd=$BUILD/initrd/linux-smoke.cpio
	mkdir -p "$BUILD/initrd"
	"$top/tools/guest-linux" initrd "$linitrd" "$top/tests/guests/linux/smoke.init"

	for paging in nested shadow; do
		for cpus in 1 2; do
			kitten_vm_expect "linux-vm-$paging-$cpus" 0 \
				"^guest: Linux [0-9.]+-[0-9]+-amd64 up with $cpus CPU\\(s\\)\$" \
				'^guest: shell says HELLO FROM BUSYBOX$' \
				'^vmrun: stopped: guest powered off \(ACPI S5\)$' \
				-- --paging "$paging" --cpus "$cpus" --mem 256M \
				--kernel "$lk" --initrd "$linitrd" --append "console=ttyS0" \
				--guest-timeout 600
		done
	done

	# What the kernel complains about, inside Palacios and on plain QEMU.
	problems() {
		tr -d '\r' <"$1" | grep -iE 'error|fail|warn|unable|invalid|bug|unchecked|not found|timed? ?out|unstable' |
			sed 's/^\[ *[0-9.]*\] //' | sort -u
	}
	qlog=$logs/linux-on-qemu.log
	timeout 300 qemu-system-x86_64 -accel tcg -cpu qemu64,+svm,+npt -m 256M \
		-kernel "$lk" -initrd "$linitrd" -append "console=ttyS0" \
		-display none -monitor none -serial "file:$qlog" -no-reboot
	# Linux's quick TSC calibration times pairs of PIT reads: with an
	# exit per read it cannot reach its 500 ppm, says so (pr_info) and
	# uses the frequency Palacios passes (core/linux_boot.c). That one
	# line is expected in a VM; any other difference fails.
	extra=$(comm -13 <(problems "$qlog") <(problems "$logs/linux-vm-nested-1.out") |
		grep -vx 'tsc: Fast TSC calibration failed' || true)
	if [ -z "$extra" ]; then
		pass "linux-vm-log: no problem that plain QEMU does not show"
	else
		fail "linux-vm-log" "only inside Palacios: $extra"
	fi
fi

# The guest's devices: a file written to its virtio-blk disk in one boot
# is read back in the next (vmrun --boots 2 keeps the disk), and it pings
# the VMM's test peer over virtio-net.
if selected linux-vm-devices; then
	lk=$("$top/tools/guest-linux" kernel)
	dinitrd=$BUILD/initrd/linux-devices.cpio
	disk=$BUILD/initrd/linux-disk.img
	mkdir -p "$BUILD/initrd"
	"$top/tools/guest-linux" initrd "$dinitrd" "$top/tests/guests/linux/devices.init"
	dd if=/dev/zero of="$disk" bs=1M count=1 status=none
	kitten_vm_expect linux-vm-devices 0 \
		'^guest: disk: wrote "written by boot [0-9a-f]{8}"$' \
		'^guest: disk: read back "written by boot [0-9a-f]{8}"$' \
		'^guest: net: 3 packets transmitted, 3 packets received, 0% packet loss$' \
		-- --boots 2 --mem 256M --kernel "$lk" --initrd "$dinitrd" \
		--disk "$disk" --append "console=ttyS0 quiet" --guest-timeout 300
	# The same note, not two writes.
	out=$logs/linux-vm-devices.out
	w=$(tr -d '\r' <"$out" | sed -n 's/^guest: disk: wrote "\(.*\)"$/\1/p')
	r=$(tr -d '\r' <"$out" | sed -n 's/^guest: disk: read back "\(.*\)"$/\1/p')
	if [ -n "$w" ] && [ "$w" = "$r" ]; then
		pass "linux-vm-devices: boot 2 read what boot 1 wrote"
	else
		fail "linux-vm-devices" "wrote '$w', read back '$r'"
	fi
fi

# The BIOS path, as the paper booted its guests: the VM starts in
# Debian's SeaBIOS at the reset vector, which finds the virtio-blk disk
# (a GRUB image with the same kernel and initramfs), boots it, and Linux
# reaches the same shell. SeaBIOS finds fw_cfg (its CPU count and
# etc/e820) but no ACPI tables there (no etc/table-loader), so Linux
# ends with a halt rather than an ACPI power-off.
if selected linux-vm-bios; then
	lk=$("$top/tools/guest-linux" kernel)
	binitrd=$BUILD/initrd/linux-smoke.cpio
	bdisk=$BUILD/initrd/linux-bios-disk.img
	mkdir -p "$BUILD/initrd"
	"$top/tools/guest-linux" initrd "$binitrd" "$top/tests/guests/linux/smoke.init"
	"$top/tools/guest-linux" disk "$bdisk" "$binitrd"
	kitten_vm_expect linux-vm-bios 125 '^SeaBIOS \(version ' '^Booting from Hard Disk\.\.\.$' \
		'^guest: Linux [0-9.]+-[0-9]+-amd64 up with 1 CPU\(s\)$' \
		'^guest: shell says HELLO FROM BUSYBOX$' \
		'^vmrun: stopped: guest halted with interrupts disabled' \
		-- --bios /usr/share/seabios/bios.bin --disk "$bdisk" --mem 256M \
		--guest-timeout 300
fi

# A Linux guest with 512 MiB (docs/guest-memory.md), once a size Kitten
# could not give: its kernel counts all of it ("Memory: A/TK available":
# T is the e820 RAM, 512 MiB less the BIOS-era holes below 1 MiB).
if selected linux-vm-512m; then
	lk=$("$top/tools/guest-linux" kernel)
	linitrd=$BUILD/initrd/linux-smoke.cpio
	mkdir -p "$BUILD/initrd"
	"$top/tools/guest-linux" initrd "$linitrd" "$top/tests/guests/linux/smoke.init"
	kitten_vm_expect linux-vm-512m 0 \
		'^guest: shell says HELLO FROM BUSYBOX$' \
		'^vmrun: stopped: guest powered off \(ACPI S5\)$' \
		-- --mem 512M --kernel "$lk" --initrd "$linitrd" \
		--append "console=ttyS0" --guest-timeout 600
	total=$(tr -d '\r' <"$logs/linux-vm-512m.out" |
		sed -n 's/.*Memory: [0-9]*K\/\([0-9]*\)K available.*/\1/p' | head -n 1)
	if [ -n "$total" ] && [ "$total" -gt $((511 * 1024)) ] &&
		[ "$total" -le $((512 * 1024)) ]; then
		pass "linux-vm-512m: the kernel counts ${total} KiB"
	else
		fail "linux-vm-512m" "the kernel counts ${total:-no} KiB of 524288"
	fi
fi
