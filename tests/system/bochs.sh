# SPDX-License-Identifier: GPL-2.0
# Kitten on Intel CPU models, booted in Bochs through tools/bochs
# (docs/intel-bochs.md): x2APIC, the TSC-deadline timer, four CPUs, XSAVE
# with AVX. Bochs is slow, so the boots are few and each does much: every
# self-test suite that runs on a PC (ktest=all; the virtio suite needs
# QEMU's virtio-9p device and is not among them), then a static job, on a
# Haswell and on a Skylake-X; and the xAPIC and one-shot timer paths once.
# Results are KTAP counts and log lines, never times.

# bochs_ktap NAME TOOLS-BOCHS-ARGS...: as ktap_boot, in Bochs.
bochs_ktap() {
	local name=$1 log=$logs/$1.log counts rc
	shift
	selected "$name" || return 0
	"$here/bochs" --log "$log" "$@" 2>"$log.runner"
	rc=$?
	counts=$(count_log "$log" "$name")
	echo "bochs $name: $counts ($(tail -n 1 "$log.runner"))"
	add_counts "$name" "$log" "$counts"
	suites_ran "$name" "$log" "$@"
	if [ "$(echo "$counts" | cut -d' ' -f1)" = 0 ]; then
		fail "$name" "no test results (see $log, $log.runner)"
	elif [ $rc != 0 ] && [ "$(echo "$counts" | cut -d' ' -f3)" = 0 ]; then
		fail "$name" "exit status $rc (see $log.runner)"
	fi
}

# bochs_expect NAME STATUS 'REGEX'... -- TOOLS-BOCHS-ARGS...: as expect_boot.
bochs_expect() {
	local name=$1 want=$2 log=$logs/$1.log rc re
	local -a res=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do res+=("$1"); shift; done
	shift
	selected "$name" || return 0
	"$here/bochs" --log "$log" "$@" 2>"$log.runner"
	rc=$?
	if [ "$rc" = "$want" ]; then
		pass "$name: exit status $rc"
	else
		fail "$name" "exit status $rc, expected $want ($(tail -n 1 "$log.runner"))"
	fi
	for re in "${res[@]}"; do
		if tr -d '\r' <"$log" | grep -Eq -- "$re"; then
			pass "$name: /$re/"
		else
			fail "$name" "no line matches /$re/ (see $log)"
		fi
	done
}

bochs_models="corei7_haswell_4770 corei7_skylake_x"
for model in $bochs_models; do
	short=${model#corei7_}
	short=${short%%_*}
	# Skylake-X has AVX-512: ZMM16, k1 and eight lanes per rank too.
	wide_job="" wide_re=()
	if [ "$short" = skylake ]; then
		wide_job=";---;program=/bin/native_job;args=avx512;ranks=3;cpus=1"
		wide_re=("^CPU features: .*\bavx512f\b" "avx512: rank 0 lanes and mask exact"
			 "avx512: rank 2 lanes and mask exact")
	fi
	bochs_ktap "bochs-$short-ktest" --cpu "$model" --smp 4 --mem 512 \
		--append "ktest=all ktest.cpus=4 ktest.mem=512M panic=exit"
	# A static glibc program; 8 threads on 4 CPUs (glibc's string
	# functions use AVX2 here, and a new thread's XSAVE area is a recycled
	# page: XRSTOR refused its stale header before fpu_save cleared it);
	# three native ranks on one CPU, each with its own YMM registers
	# (and ZMM registers, on Skylake-X).
	selected "bochs-$short-job" &&
	bochs_expect "bochs-$short-job" 0 \
		"apic: local APIC at 0x[0-9a-f]+, x2APIC mode, TSC-deadline timer" \
		"^CPU features: .*\bxsave avx\b" \
		"4 CPUs online" \
		"^hello from /bin/hello with 2 argument\(s\): 0 two$" \
		"^threads: 8 threads, counter 80000 \(expected 80000\), TLS private$" \
		"avx: rank 0 lanes exact" "avx: rank 2 lanes exact" "${wide_re[@]}" \
		"init: all jobs done, status 0" \
		-- --cpu "$model" --smp 4 --mem 512 --append "exit_when_done panic=exit" \
		--module "$(initrd "bochs-$short-job" \
			"program=/bin/hello;arg=0;arg=two;---;program=/bin/threads;cpus=0,1,2,3;---;program=/bin/native_job;args=avx;ranks=3;cpus=1$wide_job" \
			"$BUILD/linux/hello-glibc:/bin/hello" "$BUILD/linux/threads-glibc:/bin/threads" \
			"$BUILD/user/native_job:/bin/native_job")"
done

# The paths QEMU takes (xAPIC through MMIO, the APIC's own one-shot
# timer, calibrated), on an Intel model that would not need them.
bochs_ktap bochs-haswell-xapic --cpu corei7_haswell_4770 --smp 4 --mem 512 \
	--append "nox2apic notscdeadline ktest=sched,smp,irq ktest.cpus=4 panic=exit"

# A panic (no panic=exit: the CPU halts) still ends the run, with status
# 2 and the panic's report; Skylake-X, one CPU.
bochs_expect bochs-panic-halts 2 \
	'Kernel panic: general protection \(vector 13' \
	'^RIP: .* crash_gp\+0x' \
	'end Kernel panic' \
	-- --cpu corei7_skylake_x --append "crash=gp"
