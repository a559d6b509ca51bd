#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the Palacios test guests and run them on plain QEMU, without a
# VMM. Every KTAP guest must end with status 0, its plan complete and no
# "not ok" (the checks that need Palacios are skipped: the command line
# says "novmm", without which they fail); mmio runs twice,
# the second time comparing two RAM pages (mmio_page=ram) so that its
# harness is tested too. The fault guests must do what they do when no VMM
# stops them. One line per run, then a summary; exit status 1 if anything
# is off. Logs go to $BUILD/guests/logs.
#
#   tests/guests/run-on-qemu.sh        (from anywhere; BUILD, QEMU override)
set -u
cd "$(dirname "$0")/../.." || exit 1
build=${BUILD:-build}
qemu=${QEMU:-qemu-system-x86_64}
logs=$build/guests/logs

make -s -f tests/guests/guests.mk BUILD="$build" guests || exit 1
mkdir -p "$logs"

# boot GUEST LOG SECONDS [QEMU args]: prints QEMU's exit status (2v+1 for
# a guest exit with status v, 124 on timeout).
boot() {
	elf=$build/guests/$1.elf log=$2 secs=$3
	shift 3
	rm -f "$log"
	timeout "$secs" "$qemu" -accel tcg -cpu qemu64 -m 128M -display none \
		-no-reboot -kernel "$elf" \
		-device isa-debugcon,iobase=0xe9,chardev=c \
		-chardev file,id=c,path="$log" \
		-device isa-debug-exit,iobase=0xf4 -serial none -monitor none \
		"$@" </dev/null >/dev/null 2>&1
	echo $?
}

failed=0
report() { # NAME VERDICT DETAIL
	printf '%-22s %-4s %s\n' "$1" "$2" "$3"
	[ "$2" = PASS ] || failed=$((failed + 1))
}

# ktap NAME GUEST [QEMU args]
ktap() {
	name=$1 guest=$2
	shift 2
	log=$logs/$name.log
	rc=$(boot "$guest" "$log" 120 "$@")
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
	total=$(grep -cE '^(not )?ok [0-9]+ ' "$log")
	bad=$(grep -c '^not ok ' "$log")
	skip=$(grep -cE '^ok [0-9]+ .* # SKIP' "$log")
	detail="${total}/${plan:-?} checks, $((total - bad - skip)) passed, $skip skipped, $bad failed"
	if [ "$rc" = 1 ] && [ "$bad" = 0 ] && [ "$total" = "${plan:-x}" ]; then
		report "$name" PASS "$detail"
	else
		report "$name" FAIL "$detail, QEMU exit $rc (log: $log)"
	fi
}

for g in basic paging32 paging_pae paging64 mmio; do
	ktap "$g" "$g" -append novmm
done
ktap mmio_page=ram mmio -append "mmio_page=ram novmm"

# Fault guests: no VMM here to stop them, so each does its bad thing.
log=$logs/wild_write.log
rc=$(boot wild_write "$log" 30)
if [ "$rc" = 3 ] && grep -q 'not stopped' "$log"; then
	report wild_write PASS "write ignored by QEMU, then 'not stopped', status 1"
else
	report wild_write FAIL "QEMU exit $rc (log: $log)"
fi

log=$logs/triple_fault.log
rc=$(boot triple_fault "$log" 30)
if [ "$rc" = 0 ] && grep -q '^triple_fault:' "$log" &&
	! grep -q 'not stopped' "$log"; then
	report triple_fault PASS "QEMU shut down on the triple fault"
else
	report triple_fault FAIL "QEMU exit $rc (log: $log)"
fi

log=$logs/spin.log
rc=$(boot spin "$log" 5)
if [ "$rc" = 124 ] && grep -q '^spin:' "$log"; then
	report spin PASS "still spinning after 5 s, stopped by timeout"
else
	report spin FAIL "QEMU exit $rc (log: $log)"
fi

if [ "$failed" = 0 ]; then
	echo "all guests behave as expected on plain QEMU"
	exit 0
fi
echo "$failed run(s) failed"
exit 1
