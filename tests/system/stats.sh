# SPDX-License-Identifier: GPL-2.0
# `tools/kitten run --stats`: the kernel's count of a job's entries
# (kernel/stats.c, docs/noise.md), checked against programs whose entries
# are known (user/tests/linux/entries.c). Every check is a count.
entries=$BUILD/linux/entries-glibc

# stats_run NAME -- KITTEN-RUN-ARGS: run with --stats; the table's lines go
# to $logs/NAME.stats. Fails the case when the job does not exit 0 or
# prints no table.
stats_run() {
	local name=$1 out=$logs/$1.out
	shift 2
	"$here/kitten" run --stats "$@" >"$out" 2>&1
	local rc=$?
	grep '^stats: ' "$out" >"$logs/$name.stats"
	if [ "$rc" != 0 ]; then
		fail "$name" "exit status $rc, expected 0 (see $out)"
		return 1
	fi
	if ! grep -q '^stats: total ' "$logs/$name.stats"; then
		fail "$name" "no stats table (see $out)"
		return 1
	fi
	pass "$name: exit status 0, a table"
}

# stat_count NAME WHAT LABEL: the count column of the row "WHAT LABEL"
# (0 when there is no such row).
stat_count() {
	awk -v what="$2" -v label="$3" '
		$2 == what && index($0, " " label " ") { n = $(NF - 2) }
		END { print n + 0 }' "$logs/$1.stats"
}

# stat_check NAME DESCRIPTION TEST...: one check, from the test's status.
stat_check() {
	local name=$1 what=$2
	shift 2
	if "$@"; then
		pass "$name: $what"
	else
		fail "$name" "$what: not so (see $logs/$name.stats)"
	fi
}

# The kinds add up to the total, in count and in cycles; the system
# calls by name add up to the kind.
stats_consistent() {
	awk '
		$2 == "kind" && $3 != "nested" { c += $(NF - 2); y += $(NF - 1) }
		$2 == "total" { tc = $(NF - 2); ty = $(NF - 1) }
		$2 == "kind" && $3 == "syscall" { sc = $(NF - 2) }
		$2 == "syscall" { ss += $(NF - 2) }
		END { exit !(tc > 0 && c == tc && y == ty && ss == sc) }' \
		"$logs/$1.stats"
}

if selected stats-getppid; then
	if stats_run stats-getppid -- "$entries" getppid 1000; then
		n=$(stat_count stats-getppid syscall "getppid (110)")
		stat_check stats-getppid "getppid counted $n times, at least 1000" \
			[ "$n" -ge 1000 ]
		stat_check stats-getppid "kinds add up to the total" \
			stats_consistent stats-getppid
	fi
fi

# A compute loop on memory allocated after the start: Kitten maps a job's
# memory before it starts, so no page faults, and a CPU with one task
# takes no timer interrupt.
if selected stats-compute; then
	if stats_run stats-compute -- --mem 128M "$entries" compute 64; then
		for kind in "page fault" exception interrupt; do
			n=$(stat_count stats-compute kind "$kind")
			stat_check stats-compute "$kind: $n, expected 0" [ "$n" = 0 ]
		done
		stat_check stats-compute "kinds add up to the total" \
			stats_consistent stats-compute
	fi
fi

# Clock reads (clock_gettime and gettimeofday) go through the vDSO: no
# system call for either.
if selected stats-clock; then
	if stats_run stats-clock -- "$entries" clock 1000; then
		for call in "clock_gettime (228)" "gettimeofday (96)"; do
			n=$(stat_count stats-clock syscall "$call")
			stat_check stats-clock "${call% *} system calls: $n, expected 0" \
				[ "$n" = 0 ]
		done
	fi
fi

# Threads taking turns on one CPU: their switches are counted, and the
# cycles they spend switched out are no entry's (the kinds still add up).
if selected stats-threads; then
	if stats_run stats-threads -- --cpus 1 "$BUILD/linux/threads-glibc"; then
		n=$(awk '$2 == "switches" { print $3 }' "$logs/stats-threads.stats")
		stat_check stats-threads "switches: ${n:-none}, at least 1" \
			[ "${n:-0}" -ge 1 ]
		stat_check stats-threads "kinds add up to the total" \
			stats_consistent stats-threads
	fi
fi
