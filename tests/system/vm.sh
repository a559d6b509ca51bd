# SPDX-License-Identifier: GPL-2.0
# Palacios on Kitten: the test guests (tests/guests) in VMs under nested
# and under shadow paging, each reporting KTAP through its console; then
# guests that misbehave, each stopped with a reason while the next VM in
# the same boot runs.
guests=$BUILD/guests

for paging in nested shadow; do
	for g in basic mmio paging32 paging_pae paging64; do
		vm_ktap "vm-$g-$paging" -- --paging "$paging" --mem 32M \
			--guest-timeout 60 --kernel "$guests/$g.elf"
	done
done

# A guest writing garbage to every emulated device: the VMM survives and
# still answers the guest afterwards.
for paging in nested shadow; do
	vm_ktap "vm-garbage-$paging" -- --paging "$paging" --mem 16M \
		--guest-timeout 120 --kernel "$guests/garbage.elf"
done

# The exit-cost benchmark guest runs and reports (its numbers are for
# `make bench`; here only that it works).
kitten_vm_expect vm-exit-cost 0 '^exit-cost: io [0-9]+ instructions per round trip$' \
	'^exit-cost: hypercall [0-9]+ ' '^exit-cost: mmio [0-9]+ ' \
	'^vmrun: exits: io=[0-9]+ cpuid=10000 npf=10000 hypercall=10000$' \
	-- --mem 16M --kernel "$BUILD/bench/exit_cost.elf"

# Bad settings are refused before anything boots.
kitten_vm_expect vm-refuses-missing-kernel 2 '^kitten: vm: /no/such: no such file$' \
	-- --kernel /no/such
kitten_vm_expect vm-refuses-bad-paging 2 '^mkvmimage: --paging fast: nested or shadow$' \
	-- --paging fast --kernel "$guests/basic.elf"

# Passthrough of a host device's memory and interrupt (and its ports): the
# host machine gets a UART Kitten does not drive (0x2E8, IRQ 7) and QEMU's
# pc-testdev (64 KiB of device memory at 0xFF000000). The guest fills and
# reads back the device memory, which is mapped for it (no exits under
# nested paging), and sends a line out of the UART one byte per
# transmitter-empty interrupt, each forwarded from host IRQ 7 to the
# guest's PIC. The line must arrive at the host's UART.
for paging in nested shadow; do
	name=vm-passthrough-dev-$paging
	selected "$name" || continue
	ptlog=$logs/$name.host-uart.log
	rm -f "$ptlog"
	vm_ktap "$name" -- --paging "$paging" --mem 16M --guest-timeout 60 \
		--passthrough-io 2e8-2ef --passthrough-irq 7 \
		--passthrough-mem ff000000-ff00ffff --kernel "$guests/passthrough_dev.elf" \
		--qemu-arg -device --qemu-arg pc-testdev \
		--qemu-arg -chardev --qemu-arg "file,id=ptuart,path=$ptlog" \
		--qemu-arg -device --qemu-arg isa-serial,iobase=0x2e8,irq=7,chardev=ptuart
	out=$logs/$name.out
	if [ "$(tr -d '\r' <"$ptlog" 2>/dev/null)" = "passthrough: sent by interrupts" ]; then
		pass "$name: the host's UART sent the guest's line"
	else
		fail "$name" "host UART log: $(head -c 200 "$ptlog" 2>/dev/null)"
	fi
	if tr -d '\r' <"$out" | grep -Eq '^passthrough: 32 bytes sent on 3[23] interrupts from host IRQ 7$'; then
		pass "$name: one forwarded interrupt per byte"
	else
		fail "$name" "no interrupt count line (see $out)"
	fi
	if [ "$paging" = nested ] && grep -q '^vmrun: exits:.* npf=' "$out"; then
		fail "$name" "device memory accesses exited: $(grep '^vmrun: exits:' "$out")"
	elif [ "$paging" = nested ]; then
		pass "$name: no nested page fault for the device memory"
	fi
done

# One boot, one VM after another: a guest writing outside its memory, a
# triple fault, a guest spinning with interrupts off (stopped by vmrun's
# timeout), an image whose kernel is not multiboot, one asking for more
# memory than the machine has, one passing through host RAM, one passing
# through an IRQ line an emulated device drives; each VM is stopped or refused with a
# reason, and the last, good one still runs to completion.
if selected vm-bad-guests-then-good; then
	bad_images=(
		"$(vmimage wild.img --mem 16M --kernel "$guests/wild_write.elf")"
		"$(vmimage triple.img --mem 16M --paging shadow --kernel "$guests/triple_fault.elf")"
		"$(vmimage spin.img --mem 16M --kernel "$guests/spin.elf")"
		"$(vmimage notmb.img --mem 16M --kernel "$top/README.md")"
		"$(vmimage huge.img --mem 60G --kernel "$guests/basic.elf")"
		"$(vmimage ptram.img --mem 16M --passthrough-mem 2000000-2ffffff --kernel "$guests/basic.elf")"
		"$(vmimage ptirq.img --mem 16M --passthrough-irq 4 --kernel "$guests/basic.elf")"
		"$(vmimage good.img --mem 16M --kernel "$guests/basic.elf")"
	)
	expect_boot vm-bad-guests-then-good 0 \
		'^vmrun: stopped: guest access to unbacked guest-physical 0x7ff00000' \
		'^vmrun: stopped: triple fault' \
		'^vmrun: no exit after 3 s: stopping the VM$' \
		'^vmrun: stopped: stopped by the host$' \
		'^vmrun: /notmb.img: refused: kernel: no multiboot header' \
		'^vmrun: /huge.img: refused: cannot allocate 61440 MiB' \
		'^vmrun: /ptram.img: refused: passthrough memory 0x2000000-0x2ffffff: the host has RAM' \
		'^vmrun: /ptirq.img: refused: passthrough IRQ 4 is the line of an emulated device$' \
		'init: /bin/vmrun done, status 0' \
		'init: all jobs done' \
		-- --smp 2 --mem 512M --append "exit_when_done panic=exit" \
		--module "$(initrd vm-bad-guests "program=/bin/vmrun;cpus=0,1;args=/wild.img;---;program=/bin/vmrun;cpus=0,1;args=/triple.img;---;program=/bin/vmrun;cpus=0,1;args=--timeout 3 /spin.img;---;program=/bin/vmrun;cpus=0,1;args=/notmb.img;---;program=/bin/vmrun;cpus=0,1;args=/huge.img;---;program=/bin/vmrun;cpus=0,1;args=/ptram.img;---;program=/bin/vmrun;cpus=0,1;args=/ptirq.img;---;program=/bin/vmrun;cpus=0,1;args=/good.img;heap=64M" \
			"$BUILD/user/vmrun:/bin/vmrun" "${bad_images[0]}:/wild.img" \
			"${bad_images[1]}:/triple.img" "${bad_images[2]}:/spin.img" \
			"${bad_images[3]}:/notmb.img" "${bad_images[4]}:/huge.img" \
			"${bad_images[5]}:/ptram.img" "${bad_images[6]}:/ptirq.img" \
			"${bad_images[7]}:/good.img")"
fi

# A job that leaves its VM running and exits: the VM ends with the job,
# and its memory is back before the next run (3 runs).
if selected vm-ends-with-its-process; then
	expect_boot vm-ends-with-its-process 0 \
		'^vmrun: VM [0-9]+ left running$' \
		'stopping: its process ended' \
		'init: /bin/vmrun done, status 0; ([0-9]+) KiB free after the first run, \1 KiB after the last \(no leak\)' \
		-- --smp 2 --mem 512M --append "exit_when_done panic=exit" \
		--module "$(initrd vm-abandon "program=/bin/vmrun;cpus=0,1;args=--abandon /spin.img;heap=64M;repeat=3" \
			"$BUILD/user/vmrun:/bin/vmrun" \
			"$(vmimage spin.img --mem 16M --kernel "$guests/spin.elf")":/spin.img)"
fi

# Kitten as a guest of Kitten + Palacios (the paper's Kitten-in-Palacios
# case): the same image boots in a VM with 1 and with 2 vCPUs, finds them
# through the VM's ACPI tables, and its in-kernel self-tests pass there.
for cpus in 1 2; do
	vm_ktap "kitten-in-palacios-$cpus" -- --cpus "$cpus" --mem 256M --guest-timeout 300 \
		--kernel "$BUILD/kitten32.elf" --append "ktest=all ktest.cpus=$cpus ktest.mem=256M"
done

# Passthrough I/O: host ports 0x402 go to the guest. The guest writes a
# line to them, which lands in the host machine's debug console (a QEMU
# isa-debugcon at 0x402 the test adds) with no VM exit: the VM's I/O
# exits are only those of its own console (0xE9) and its debug exit.
if selected vm-passthrough-io; then
	ptlog=$logs/vm-passthrough-io.host-port.log
	rm -f "$ptlog"
	kitten_vm_expect vm-passthrough-io 0 '^passthrough: 34 bytes written to port 0x402$' \
		-- --mem 16M --passthrough-io 402-402 --kernel "$guests/passthrough.elf" \
		--qemu-arg -device --qemu-arg isa-debugcon,iobase=0x402,chardev=pt \
		--qemu-arg -chardev --qemu-arg "file,id=pt,path=$ptlog"
	if [ "$(tail -n 1 "$ptlog" 2>/dev/null)" = "passthrough: written by the guest" ]; then
		pass "vm-passthrough-io: the host device got the guest's line"
	else
		fail "vm-passthrough-io" "host port log: $(tail -n 1 "$ptlog" 2>/dev/null)"
	fi
	ios=$(sed -n 's/^vmrun: exits: io=\([0-9]*\).*/\1/p' "$logs/vm-passthrough-io.out")
	if [ -n "$ios" ] && [ "$ios" -le 45 ]; then
		pass "vm-passthrough-io: $ios I/O exits, none for the 34 passed-through writes"
	else
		fail "vm-passthrough-io" "${ios:-no} I/O exits"
	fi
fi

# Guest memory of any size (docs/guest-memory.md): a 2 GiB guest sees all
# of its RAM in its memory map, and every 2 MiB of it written and read
# back, under nested paging (one extent mapped with two 1 GiB pages) and
# shadow paging. A guest larger than what Kitten has in one piece is
# refused with what it asked and what is free (QEMU's last -m wins).
for paging in nested shadow; do
	vm_ktap "vm-memsize-2g-$paging" -- --verbose --paging "$paging" --mem 2G \
		--guest-timeout 120 --kernel "$guests/memsize.elf" --append mib=2048
done
if selected vm-memsize-2g-nested; then
	if tr -d '\r' <"$logs/vm-memsize-2g-nested.out" |
		grep -q 'nested page tables: 2 x 1G, 0 x 2M, 0 x 4K$'; then
		pass "vm-memsize-2g-nested: mapped with two 1 GiB pages"
	else
		fail "vm-memsize-2g-nested" "not two 1 GiB pages: $(grep -a 'nested page tables' "$logs/vm-memsize-2g-nested.out")"
	fi
fi
kitten_vm_expect vm-mem-refused 2 \
	'^vmrun: /vm.img: refused: cannot allocate 512 MiB of contiguous memory for the guest: the host has [0-9]+ MiB free, [0-9]+ MiB of it in one piece$' \
	-- --mem 512M --qemu-arg "-m 560M" --kernel "$guests/basic.elf"

# QEMU's fw_cfg device (palacios/devices/fw_cfg.c): the guest reads the
# signature, the CPU count and the RAM size by port, the file directory
# and etc/e820 by DMA, and a DMA aimed at MMIO fails with the error bit.
for paging in nested shadow; do
	vm_ktap "vm-fwcfg-$paging" -- --paging "$paging" --cpus 2 --mem 64M \
		--guest-timeout 60 --kernel "$guests/fwcfg.elf" --append "cpus=2 mib=64"
done
