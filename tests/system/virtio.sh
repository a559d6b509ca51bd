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
p9dev=(-fsdev "local,id=p9,path=$export_dir,security_model=none,readonly=on"
       -device "virtio-9p-pci,fsdev=p9,mount_tag=ktest,disable-legacy=on")

for n in 1 4; do
	ktap_boot "virtio-9p-$n" --smp $n --timeout 300 \
		--append "ktest=virtio ktest.p9token=$token panic=exit" \
		-- "${p9dev[@]}"
done

# Two devices: a modern-only one, and a transitional one from -virtfs
# (legacy and modern interfaces, device id 0x1009) driven through its
# modern interface; each is found by its own tag. On q35 the device sits
# on the PCI Express root bus.
expect_boot virtio-9p-two-devices 0 \
	'^pci: 00:00\.0 8086:1237 class 060000$' \
	'^pci: 00:0[0-9a-f]\.0 1af4:1049 class [0-9a-f]{6} .*bar4=' \
	'^pci: 00:0[0-9a-f]\.0 1af4:1009 class [0-9a-f]{6} .*bar4=' \
	'^virtio-9p: 00:0[0-9a-f]\.0: mount tag "ktest", queue of 128' \
	'^virtio-9p: 00:0[0-9a-f]\.0: mount tag "second", queue of 128' \
	-- --append "exit_when_done panic=exit" -- "${p9dev[@]}" \
	-virtfs "local,path=$export_dir,mount_tag=second,security_model=none,readonly=on"
expect_boot virtio-9p-q35 0 \
	'^pci: 00:00\.0 8086:29c0 class 060000$' \
	'^virtio-9p: 00:0[0-9a-f]\.0: mount tag "ktest", queue of 128' \
	-- --append "exit_when_done panic=exit" -- -machine q35 "${p9dev[@]}"
ktap_boot virtio-9p-q35-4G --smp 2 --mem 4G --timeout 300 \
	--append "ktest=virtio ktest.p9token=$token panic=exit" \
	-- -machine q35 "${p9dev[@]}"

# Behind a PCI-to-PCI bridge: enumeration follows the bridge to bus 1.
expect_boot virtio-9p-behind-bridge 0 \
	'^pci: 00:0[0-9a-f]\.0 1b36:0001 class 060400 ' \
	'^pci: 01:03\.0 1af4:1049 class [0-9a-f]{6} .*bar4=' \
	'^virtio-9p: 01:03\.0: mount tag "ktest", queue of 128' \
	-- --append "exit_when_done panic=exit" -- \
	-device pci-bridge,id=br1,chassis_nr=1 \
	-fsdev "local,id=p9,path=$export_dir,security_model=none,readonly=on" \
	-device virtio-9p-pci,fsdev=p9,mount_tag=ktest,disable-legacy=on,bus=br1,addr=3
