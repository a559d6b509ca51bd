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
bench_configs="linux kitten palacios-nested palacios-shadow valgrind"
# Those that check CG's answer (valgrind counts its instructions).
answer_configs="linux kitten palacios-nested palacios-shadow"

# cg_answers_wrong CSV CONFIG...: print what is wrong with the CG answer
# checks in CSV and succeed, or fail when each CONFIG has a cg-serial
# answer check and every check says ok=1. A missing or empty file is
# wrong: no answer was checked.
cg_answers_wrong() {
	local csv=$1 config
	shift
	if [ ! -s "$csv" ]; then
		echo "no results: $csv is missing or empty"
		return 0
	fi
	if grep -Eq '^cg-[a-z]+,ok,[a-z-]+,[0-9]+,([^1]|1.)' "$csv"; then
		echo "a CG run gave a wrong answer"
		return 0
	fi
	for config; do
		if ! grep -Eq "^cg-serial,ok,$config,[0-9]+,1\$" "$csv"; then
			echo "no CG answer check for $config"
			return 0
		fi
	done
	return 1
}

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
	for config in $bench_configs; do
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
	if why=$(cg_answers_wrong "$qout/raw.csv" $answer_configs); then
		fail "bench-quick" "$why (see $qout/raw.csv)"
	else
		pass "bench-quick: every CG answer checked (ok=1)"
	fi
fi

# The answer check itself refuses a missing or empty raw.csv, a wrong
# answer and a configuration without its check.
if selected bench-answer-check; then
	csv=$BUILD/bench-answer-check.csv
	rm -f "$csv"
	cg_answers_wrong "$csv" kitten >/dev/null && pass "bench-answer-check: no raw.csv fails" ||
		fail "bench-answer-check" "a missing raw.csv passed"
	: >"$csv"
	cg_answers_wrong "$csv" kitten >/dev/null && pass "bench-answer-check: an empty raw.csv fails" ||
		fail "bench-answer-check" "an empty raw.csv passed"
	printf 'cg-serial,ok,kitten,1,1\ncg-serial,ok,linux,1,0\n' >"$csv"
	cg_answers_wrong "$csv" kitten linux >/dev/null && pass "bench-answer-check: ok=0 fails" ||
		fail "bench-answer-check" "a wrong answer passed"
	printf 'cg-serial,ok,kitten,1,1\n' >"$csv"
	cg_answers_wrong "$csv" kitten linux >/dev/null &&
		pass "bench-answer-check: a configuration without its check fails" ||
		fail "bench-answer-check" "a missing configuration passed"
	cg_answers_wrong "$csv" kitten >/dev/null &&
		fail "bench-answer-check" "a good raw.csv failed" ||
		pass "bench-answer-check: a good raw.csv passes"
fi
