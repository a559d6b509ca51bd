# SPDX-License-Identifier: GPL-2.0
# A guest cannot reach host memory outside its RAM (tests/guests/
# isolation.c): virtio-blk and virtio-net rings and descriptors past the
# end of RAM, at the top of the address space and wrapping around zero
# are refused while the devices go on working (KTAP), and page tables
# pointing past RAM (an entry, a table, CR3, a large page half past the
# end) stop the VM with the reason, under nested and under shadow paging.
# Each VM runs under vmrun --canary, which checks a buffer of its own
# memory and the kernel's text after it; all VMs run in one boot.
guests=$BUILD/guests

iso_disk=$BUILD/initrd/isolation-disk.img
mkdir -p "$BUILD/initrd"
rm -f "$iso_disk"
for s in $(seq 0 63); do	# every byte of sector s is s + 1
	head -c 512 /dev/zero | tr '\0' "\\$(printf %03o $((s + 1)))" >>"$iso_disk"
done

for paging in nested shadow; do
	name=vm-isolation-$paging
	selected "$name" || continue
	jobs="" files=("$BUILD/user/vmrun:/bin/vmrun")
	# The good VM last: the boot's status is the last job's.
	for c in pte pde cr3 huge_pte large_page dma; do
		mem=16M
		[ $c = large_page ] && mem=17M
		img=$(vmimage "isolation-$c-$paging.img" --mem $mem --paging "$paging" \
			--disk "$iso_disk" --kernel "$guests/isolation.elf" --append "case=$c")
		jobs+="${jobs:+;---;}program=/bin/vmrun;cpus=0,1;args=--canary /$c.img;heap=64M"
		files+=("$img:/$c.img")
	done
	if [ "$paging" = nested ]; then
		pde='guest access to unbacked guest-physical 0x1020000 '
		cr3='guest access to unbacked guest-physical 0x1030000 '
		huge='^isolation: #PF \(error 0x[0-9a-f]*[89a-f]\)$'	# RSVD
	else
		pde='guest page tables for 0x40000000 lie outside its memory'
		cr3='guest page tables for 0x[0-9a-f]+ lie outside its memory'
		huge='^vmrun: stopped: guest access to unbacked guest-physical 0xffffffffff000 '
	fi
	guest_boot "$name" 0 \
		'^vmrun: stopped: guest access to unbacked guest-physical 0x1010000 ' \
		"^vmrun: stopped: $pde" \
		'^isolation: CR3 at 0x1030000$' \
		"^vmrun: stopped: $cr3" \
		"$huge" \
		'^isolation: read 0x[0-9a-f]+ inside RAM$' \
		'^vmrun: stopped: guest access to unbacked guest-physical 0x1101000 ' \
		'init: all jobs done' \
		-- --smp 2 --mem 512M --append "userconsole=ttyS1 exit_when_done panic=exit" \
		--module "$(initrd "isolation-$paging" "$jobs" "${files[@]}")"
	log=$logs/$name.out
	counts=$(count_log "$log" "$name")
	add_counts "$name" "$log" "$counts"
	echo "boot $name: KTAP $counts"
	canaries=$(tr -d '\r' <"$log" | grep -c '^vmrun: canary: host memory unchanged$')
	if [ "$canaries" = 6 ]; then
		pass "$name: host memory unchanged after each of the 6 VMs"
	else
		fail "$name" "host memory unchanged after only $canaries of 6 VMs (see $log)"
	fi
	if tr -d '\r' <"$log" | grep -q '^isolation: not stopped$'; then
		fail "$name" "a guest reached memory past its RAM (see $log)"
	else
		pass "$name: no guest reached memory past its RAM"
	fi
done
