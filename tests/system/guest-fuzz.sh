# SPDX-License-Identifier: GPL-2.0
# The guest fuzzer (tests/guests/fuzz.c) under nested and under shadow
# paging: vmrun --fuzz boots chunk after chunk of a seeded guest that
# runs random instruction bytes and random port, MMIO, MSR, CPUID, CR,
# INVLPG, HLT and hypercall accesses in ring 0, until the VMs made
# GUEST_FUZZ_EXITS exits (20,000 here; `make fuzz` asks for 1,000,000).
# A VM may stop with any reason; the VMM must neither panic nor hang (the
# boot ends through exit_when_done), a buffer of vmrun's memory and the
# kernel's code must be unchanged after every VM, and a good VM runs
# after the fuzzing in the same boot.
guest_fuzz_exits=${GUEST_FUZZ_EXITS:-20000}
guest_fuzz_seed=${GUEST_FUZZ_SEED:-1}
guests=$BUILD/guests

for paging in nested shadow; do
	name=vm-guest-fuzz-$paging
	selected "$name" || continue
	echo "$name: seed $guest_fuzz_seed, $guest_fuzz_exits exits"
	fuzz_img=$(vmimage "fuzz-$paging.img" --mem 16M --paging "$paging" \
		--kernel "$guests/fuzz.elf" --append "seed=$guest_fuzz_seed iters=20000")
	good_img=$(vmimage "fuzz-good-$paging.img" --mem 16M --paging "$paging" \
		--kernel "$guests/basic.elf")
	expect_boot "$name" 0 \
		'^vmrun: fuzz: [0-9]+ boots, [0-9]+ exits, [0-9]+ stopped for making no exits, host memory unchanged$' \
		'^vmrun: canary: host memory unchanged$' \
		'init: all jobs done' \
		-- --smp 2 --mem 256M --timeout $((120 + guest_fuzz_exits / 500)) \
		--append "exit_when_done panic=exit" \
		--module "$(initrd "guest-fuzz-$paging" "program=/bin/vmrun;args=--fuzz $guest_fuzz_exits /fuzz.img;heap=64M;---;program=/bin/vmrun;args=--canary /good.img;heap=64M" \
			"$BUILD/user/vmrun:/bin/vmrun" "$fuzz_img:/fuzz.img" "$good_img:/good.img")"
	log=$logs/$name.log
	done_ok=$(tr -d '\r' <"$log" | grep -c '^init: /bin/vmrun done, status 0')
	if [ "$done_ok" = 2 ]; then
		pass "$name: the fuzzing and the good VM after it ended with status 0"
	else
		fail "$name" "$done_ok of 2 vmrun jobs ended with status 0 (see $log)"
	fi
	# The figures for the report: exits, and VMs stopped by reason.
	tr -d '\r' <"$log" | grep '^vmrun: fuzz: '
	tr -d '\r' <"$log" | sed -n 's/^vmrun: stopped: //p' |
		sed 's/0x[0-9a-f]*/N/g; s/[0-9][0-9]*/N/g' | sort | uniq -c | sort -rn
done
