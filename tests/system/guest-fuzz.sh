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

# guest_boot NAME STATUS REGEX... -- QEMU-RUN-ARGS: as expect_boot, but
# the jobs' output (vmrun's, with the guests' consoles) goes to its own
# serial port and file, $logs/NAME.out, so that kernel messages do not
# break its lines; each regex is looked for in it and in the kernel log.
# Also used by guest-isolation.sh.
guest_boot() {
	local name=$1 want=$2 log=$logs/$1.log out=$logs/$1.out rc re
	local -a res=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do res+=("$1"); shift; done
	shift
	selected "$name" || return 0
	rm -f "$out"
	"$here/qemu-run" --log "$log" --user-console "$out" "$@" 2>"$log.runner"
	rc=$?
	if [ "$rc" = "$want" ]; then
		pass "$name: exit status $rc"
	else
		fail "$name" "exit status $rc, expected $want (see $log)"
	fi
	for re in "${res[@]}"; do
		if cat "$out" "$log" | tr -d '\r' | grep -aEq -- "$re"; then
			pass "$name: /$re/"
		else
			fail "$name" "no line matches /$re/ (see $out)"
		fi
	done
}

guest_fuzz_exits=${GUEST_FUZZ_EXITS:-20000}
guest_fuzz_seed=${GUEST_FUZZ_SEED:-1}
guests=$BUILD/guests

for paging in nested shadow; do
	name=vm-guest-fuzz-$paging
	selected "$name" || continue
	echo "$name: seed $guest_fuzz_seed, $guest_fuzz_exits exits"
	fuzz_img=$(vmimage "fuzz-$paging.img" --mem 16M --paging "$paging" \
		--kernel "$guests/fuzz.elf" --append "seed=$guest_fuzz_seed")
	good_img=$(vmimage "fuzz-good-$paging.img" --mem 16M --paging "$paging" \
		--kernel "$guests/basic.elf")
	guest_boot "$name" 0 \
		'^vmrun: fuzz: [0-9]+ boots, [0-9]+ exits, [0-9]+ stopped for making no or too many exits, host memory unchanged$' \
		'^vmrun: canary: host memory unchanged$' \
		'init: all jobs done' \
		-- --smp 2 --mem 256M --timeout $((120 + guest_fuzz_exits / 500)) \
		--append "userconsole=ttyS1 exit_when_done panic=exit" \
		--module "$(initrd "guest-fuzz-$paging" "program=/bin/vmrun;cpus=0,1;args=--fuzz $guest_fuzz_exits /fuzz.img;heap=64M;---;program=/bin/vmrun;cpus=0,1;args=--canary /good.img;heap=64M" \
			"$BUILD/user/vmrun:/bin/vmrun" "$fuzz_img:/fuzz.img" "$good_img:/good.img")"
	log=$logs/$name.log out=$logs/$name.out
	done_ok=$(cat "$out" "$log" | tr -d '\r' | grep -ac '^init: /bin/vmrun done, status 0')
	if [ "$done_ok" = 2 ]; then
		pass "$name: the fuzzing and the good VM after it ended with status 0"
	else
		fail "$name" "$done_ok of 2 vmrun jobs ended with status 0 (see $log)"
	fi
	# The guest itself works: VMs get through 1,000 iterations.
	chunks=$(tr -d '\r' <"$out" | grep -ac '^fuzz: 1000$')
	if [ "$chunks" -gt 0 ]; then
		pass "$name: $chunks VMs ran 1,000 iterations or more"
	else
		fail "$name" "no VM ran 1,000 iterations of the fuzzer (see $out)"
	fi
	# The figures for the report: exits, and VMs stopped by reason.
	tr -d '\r' <"$out" | grep -a '^vmrun: fuzz: '
	tr -d '\r' <"$out" | grep -ao 'vmrun: stopped: .*' | sed 's/^vmrun: stopped: //' |
		sed -E 's/ \(.*//; s/ at (rip )?0x.*//; s/0x[0-9a-f]+/N/g; s/[0-9]+/N/g' |
		sort | uniq -c | sort -rn
done
