# SPDX-License-Identifier: GPL-2.0
# The tools themselves: `tools/kitten` says what failed (QEMU, the kernel,
# the job) and never turns a failure into success; tools/ktap-count holds
# results against their plans; tools/check fails skipped checks; a test
# guest that expects Palacios fails when Palacios is not there.
linux=$BUILD/linux
guests=$BUILD/guests

# QEMU's own failures come back with its message and status 125, from a
# run and from a VM. The log of an earlier run is not read again.
kitten_run run-fails-qemu-bogus-arg 125 '^kitten: QEMU failed to start: -bogus: invalid option$' \
	-- --qemu-arg -bogus "$linux/hello-glibc" x
kitten_vm_expect vm-fails-qemu-bogus-arg 125 '^kitten: QEMU failed to start: -bogus: invalid option$' \
	-- --qemu-arg -bogus --mem 16M --kernel "$guests/basic.elf"

# The help's own example: --qemu-arg's value is split into words.
kitten_run run-qemu-arg-icount 0 '^hello from /bin/hello-glibc with 1 argument\(s\): icount$' \
	-- --qemu-arg "-icount shift=0,sleep=off" "$linux/hello-glibc" icount

# More memory than this host has is refused before anything boots, saying
# what was asked and what there is. Twice the host's RAM, whatever it is.
big=$(awk '/^MemTotal:/ { print int($2 / 1048576) * 2 + 2 }' /proc/meminfo)G
kitten_run run-fails-mem-too-big 2 \
	"^kitten: --mem $big needs a machine with [0-9.]+ GiB of RAM, this machine has [0-9.]+ [GM]iB available$" \
	-- --mem "$big" "$linux/hello-glibc"
kitten_vm_expect vm-fails-mem-too-big 2 \
	"^kitten: --mem $big needs a machine with [0-9.]+ GiB of RAM, this machine has [0-9.]+ [GM]iB available$" \
	-- --mem "$big" --kernel "$guests/basic.elf"

# The kernel panicking, the job not starting and the kernel stopping
# without the job's status are each reported as what they are.
kitten_run run-fails-kernel-panic 125 \
	'^kitten: the kernel panicked: Kernel panic: BUG at kitten/kernel/crash.c:[0-9]+' \
	-- --kernel-args crash=bug "$linux/hello-glibc"
kitten_run run-fails-job-cannot-start 125 \
	'^kitten: the job could not start: /job: too many arg= lines; kernel log: ' \
	-- "$linux/hello-glibc" 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
kitten_run run-fails-no-job-status 125 \
	'^kitten: the job did not finish: the kernel stopped \(exit status 0\) without its status' \
	-- --kernel-args init=/no/such/init "$linux/hello-glibc"

# A job that never ends is stopped by --timeout, and says so.
kitten_run run-fails-timeout 124 '^kitten: timed out after 5s \(--timeout\)' \
	-- --timeout 5 /bin/busybox sh -c 'while :; do :; done'

# --user: the numbers are checked here; the job runs as that user (the
# kernel's side of issue 12, item 6, reads uid= and gid= from the job).
kitten_run run-user 0 '^uid=1000 gid=100$' \
	-- --user 1000:100 /bin/busybox sh -c 'echo uid=$(id -u) gid=$(id -g)'
kitten_run run-user-gid-default 0 '^uid=7 gid=7$' \
	-- --user 7 /bin/busybox sh -c 'echo uid=$(id -u) gid=$(id -g)'
kitten_run run-user-refused 2 \
	'^kitten: --user 4294967295: UID\[:GID\], each a number from 0 to 4294967294$' \
	-- --user 4294967295 "$linux/hello-glibc"
kitten_run run-user-refused-gid 2 \
	'^kitten: --user 5:x: UID\[:GID\], each a number from 0 to 4294967294$' \
	-- --user 5:x "$linux/hello-glibc"

# tools/ktap-count against its plans: ktap_count_case NAME 'EXPECTED
# OUTPUT' 'INPUT' (printf escapes). The input is Kitten's nested form.
ktap_count_case() {
	local name=tools-ktap-count-$1 want=$2 got
	selected "$name" || return 0
	got=$(printf "$3" | "$here/ktap-count" /dev/stdin t)
	if [ "$got" = "$(printf "$want")" ]; then
		pass "$name"
	else
		fail "$name" "got: $(echo "$got" | tr '\n' '|')"
	fi
}
suite='    KTAP version 1\n    # Subtest: boot\n'
ktap_count_case complete '2 passed, 0 failed, 0 skipped' \
	"KTAP version 1\n1..1\n${suite}    1..2\n    ok 1 a\n    ok 2 b\nok 1 boot\n"
ktap_count_case crash-in-suite \
	'FAIL t: suite boot planned 4 results, ran 2: results 3-4 missing\nFAIL t: the top level planned 2 results, ran 1: result 2 missing\n2 passed, 3 failed, 0 skipped' \
	"KTAP version 1\n1..2\n${suite}    1..4\n    ok 1 a\n    ok 2 b\n"
ktap_count_case suite-not-run \
	'FAIL t: the top level planned 2 results, ran 1: result 2 missing\n2 passed, 1 failed, 0 skipped' \
	"KTAP version 1\n1..2\n${suite}    1..2\n    ok 1 a\n    ok 2 b\nok 1 boot\n"
ktap_count_case nothing-run \
	'FAIL t: the top level planned 3 results, ran 0: results 1-3 missing\n0 passed, 3 failed, 0 skipped' \
	'KTAP version 1\n1..3\n'
ktap_count_case too-many 'FAIL t: the top level planned 1 results, ran 2\n2 passed, 1 failed, 0 skipped' \
	'KTAP version 1\n1..1\nok 1 a\nok 2 b\n'
ktap_count_case no-plan 'FAIL t: 1 result(s) in the top level without a plan\n1 passed, 1 failed, 0 skipped' \
	'ok 1 a\n'
ktap_count_case suite-failed-alone 'FAIL t: not ok 1 boot\n1 passed, 1 failed, 0 skipped' \
	"KTAP version 1\n1..1\n${suite}    1..1\n    ok 1 a\nnot ok 1 boot\n"
ktap_count_case case-failed 'FAIL t: not ok 2 b\n1 passed, 1 failed, 0 skipped' \
	"KTAP version 1\n1..1\n${suite}    1..2\n    ok 1 a\n    not ok 2 b\nnot ok 1 boot\n"
ktap_count_case skip 'SKIP t: ok 1 a # SKIP why\n1 passed, 0 failed, 1 skipped' \
	'KTAP version 1\n1..2\nok 1 a # SKIP why\nok 2 b\n'
ktap_count_case cmocka-groups 'FAIL t: not ok 1 - c\n2 passed, 1 failed, 0 skipped' \
	'1..2\nok 1 - a\nok 2 - b\n1..1\nnot ok 1 - c\n'

# fake_tree DIR: a copy of the harness in DIR, with tests of its own.
fake_tree() {
	rm -rf "$1"
	mkdir -p "$1/tools" "$1/tests/system" "$1/build/tests/unit"
	cp "$here/check" "$here/ktap-count" "$here/qemu-run" "$1/tools/"
}

# tools/check itself: a skipped check and a missing one each fail, and the
# skips are counted on a line of their own (a fake unit test).
if selected tools-check-skips; then
	fake=$BUILD/tools-check-skips
	fake_tree "$fake"
	printf '#!/bin/sh\nprintf "1..3\\nok 1 - a\\nok 2 - b # SKIP no device\\n"\n' \
		>"$fake/build/tests/unit/test_fake"
	chmod +x "$fake/build/tests/unit/test_fake"
	out=$(BUILD=$fake/build "$fake/tools/check" --unit-only 2>&1)
	if [ "$(echo "$out" | tail -n 2)" = "$(printf '1 skipped (each also counted as failed)\n1 passed, 2 failed')" ] &&
		echo "$out" | grep -q '^FAIL test_fake: 1 check(s) skipped' &&
		echo "$out" | grep -q '^FAIL test_fake: the top level planned 3 results, ran 2: result 3 missing$' &&
		echo "$out" | grep -q '^SKIP test_fake: ok 2 - b # SKIP no device$'; then
		pass "tools-check-skips"
	else
		fail "tools-check-skips" "got: $(echo "$out" | tr '\n' '|')"
	fi
fi

# A ktest= suite that does not exist is not in the kernel's plan, so
# tools/check looks for each suite named.
if selected tools-check-suites; then
	fake=$BUILD/tools-check-suites
	fake_tree "$fake"
	echo 'ktap_boot fake-suites --append "ktest=boot,nosuch panic=exit"' \
		>"$fake/tests/system/fake.sh"
	out=$("$fake/tools/check" fake-suites 2>&1)
	if echo "$out" | grep -q '^FAIL fake-suites: suite nosuch did not run' &&
		echo "$out" | tail -n 1 | grep -q '^[1-9][0-9]* passed, 1 failed$'; then
		pass "tools-check-suites"
	else
		fail "tools-check-suites" "got: $(echo "$out" | tr '\n' '|')"
	fi
fi

# A test guest that expects Palacios fails the checks that need it when
# its CPUID signature is missing; only "novmm" (a run on plain QEMU on
# purpose) makes them skips. Plain QEMU here: basic has 9 such checks.
guest_on_qemu() { # LOG [QEMU args]: QEMU's exit status (2 * guest's + 1)
	local log=$1
	shift
	qemu-system-x86_64 -accel tcg -cpu qemu64 -m 128M -display none -no-reboot \
		-kernel "$guests/basic.elf" -device isa-debugcon,iobase=0xe9,chardev=c \
		-chardev "file,id=c,path=$log" -device isa-debug-exit,iobase=0xf4 \
		-serial none -monitor none "$@" </dev/null >/dev/null 2>&1
	echo $?
}
if selected guest-needs-vmm; then
	rc=$(guest_on_qemu "$logs/guest-needs-vmm.log")
	n=$(grep -c '^not ok [0-9]* .* # needs Palacios, whose CPUID signature is missing$' \
		"$logs/guest-needs-vmm.log")
	if [ "$rc" = 3 ] && [ "$n" = 9 ]; then
		pass "guest-needs-vmm: 9 checks failed, guest status 1"
	else
		fail "guest-needs-vmm" "$n failed checks, QEMU status $rc (see $logs/guest-needs-vmm.log)"
	fi
	rc=$(guest_on_qemu "$logs/guest-novmm.log" -append novmm)
	n=$(grep -c '^ok [0-9]* .* # SKIP not under Palacios$' "$logs/guest-novmm.log")
	if [ "$rc" = 1 ] && [ "$n" = 9 ]; then
		pass "guest-needs-vmm: with novmm, 9 skips and guest status 0"
	else
		fail "guest-needs-vmm" "novmm: $n skips, QEMU status $rc (see $logs/guest-novmm.log)"
	fi
fi
