# SPDX-License-Identifier: GPL-2.0
# PCI enumeration and the virtio-9p transport (kitten/tests/virtio.c): the
# host prepares a directory, QEMU exports it through virtio-9p-pci, and
# the kernel's self-tests find the device, then read the files over 9P
# with hand-built messages, from one thread and then from four threads
# per CPU at once, each checking its own replies.
export_dir=$BUILD/virtio-export
rm -rf "$export_dir"
mkdir -p "$export_dir"
token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
printf '%s' "$token" >"$export_dir/token.txt"
python3 -c 'import sys
open(sys.argv[1], "wb").write(bytes((i ^ (i >> 8) ^ (i >> 16)) & 0xff
                                    for i in range(256 * 1024)))' \
	"$export_dir/pattern.bin"
p9dev() {
	echo -fsdev "local,id=p9,path=$export_dir,security_model=none,readonly=on" \
		-device "virtio-9p-pci,fsdev=p9,mount_tag=ktest${1-}"
}

for n in 1 4; do
	ktap_boot "virtio-9p-$n" --smp $n --timeout 300 \
		--append "ktest=virtio ktest.p9token=$token panic=exit" \
		-- $(p9dev ,disable-legacy=on)
done

# A transitional device (QEMU's default: legacy and modern interfaces,
# device id 0x1009) is driven through its modern interface; on q35 the
# same device sits on the PCI Express root bus.
expect_boot virtio-9p-transitional 0 \
	'^pci: 00:00\.0 8086:1237 class 060000$' \
	'^pci: 00:0[0-9a-f]\.0 1af4:1009 class [0-9a-f]{6} .*bar4=' \
	'^virtio-9p: 00:0[0-9a-f]\.0: mount tag "ktest", queue of 128' \
	-- --append "exit_when_done panic=exit" -- $(p9dev)
expect_boot virtio-9p-q35 0 \
	'^pci: 00:00\.0 8086:29c0 class 060000$' \
	'^virtio-9p: 00:0[0-9a-f]\.0: mount tag "ktest", queue of 128' \
	-- --append "exit_when_done panic=exit" -- -machine q35 $(p9dev ,disable-legacy=on)
