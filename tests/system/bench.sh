# SPDX-License-Identifier: GPL-2.0
# The benchmarks, quickly: every configuration runs the small sizes once
# (bench/run-bench --quick) and the report is written and well formed;
# the report generator's own tests run too. `make bench` is the real run.
if selected bench-report-tests; then
	if (cd "$top" && /usr/bin/python3 -m unittest bench/test_report.py) \
		>"$logs/bench-report-tests.log" 2>&1; then
		pass "bench-report-tests: report.py's tests"
	else
		fail "bench-report-tests" "see $logs/bench-report-tests.log"
	fi
fi
if selected bench-quick; then
	qout=$BUILD/bench-quick
	rm -rf "$qout"
	"$top/bench/run-bench" --quick --out "$qout" >"$logs/bench-quick.log" 2>&1
	rc=$?
	[ $rc = 0 ] && pass "bench-quick: run-bench exit status 0" ||
		fail "bench-quick" "run-bench exit status $rc (see $logs/bench-quick.log)"
	for section in '## Targets' '## Answer checks' '## The physical limit' \
		'## VM exits' '## VM exit round trips' '## Ratios' '## Charts'; do
		if grep -q "^$section" "$qout/report.md" 2>/dev/null; then
			pass "bench-quick: report has '$section'"
		else
			fail "bench-quick" "report lacks '$section' (see $qout/report.md)"
		fi
	done
	for config in linux kitten palacios-nested palacios-shadow valgrind; do
		if grep -q "^cg-serial,[a-z_.]*,$config," "$qout/raw.csv" 2>/dev/null; then
			pass "bench-quick: cg-serial measured in $config"
		else
			fail "bench-quick" "no cg-serial results for $config (see $logs/bench-quick.log)"
		fi
	done
	for paging in nested shadow; do
		if grep -q "^exit_cost,mmio_instr,palacios-$paging,1,[0-9]" "$qout/raw.csv" 2>/dev/null; then
			pass "bench-quick: exit round trips measured under $paging paging"
		else
			fail "bench-quick" "no exit_cost rows for palacios-$paging (see $logs/bench-quick.log)"
		fi
	done
	if ! grep -q '^cg-[a-z]*,ok,[a-z-]*,[0-9]*,0$' "$qout/raw.csv" 2>/dev/null; then
		pass "bench-quick: every CG answer checked (ok=1)"
	else
		fail "bench-quick" "a CG run gave a wrong answer (see $qout/raw.csv)"
	fi
fi
