# SPDX-License-Identifier: GPL-2.0
# The system call fuzzer and the job soak (docs/fuzzing.md). make check
# runs them short; `make fuzz` (FUZZ_FULL=1) runs 10^6 calls for each of
# four seeds and 1,000 soak jobs.
#
# Each fuzz boot runs four jobs: a short warm-up run of the fuzzer (the
# first run of anything may grow kernel caches for good), an empty run,
# the measured run, and another empty run. The init task prints the free
# memory before each job: the free memory before the last run must equal
# that before the measured run. Both empty runs print the kernel's
# account of its memory (/proc/kitten/memory): they must match, and when
# they do not, the lines that differ say what kind of memory stayed. A
# hang or a crash prints the seed and the last calls. The kernel boots
# with kmem_debug: a write into a freed heap object is reported.
fuzz_prog=$BUILD/linux/sysfuzz-glibc:/bin/sysfuzz
# An ordinary user, as a hostile job would be: kill-type calls may aim
# anywhere, and the kernel's permission rules decide.
fuzz_user="uid=1000;gid=1000"
# The empty run, which prints the kernel's memory account.
fuzz_empty="program=/bin/sysfuzz;args=--calls 0 --seed 0 --memory;heap=8M;$fuzz_user"
if [ "${FUZZ_FULL:-0}" = 1 ]; then
	fuzz_seeds="1 2 3 4" fuzz_calls=1000000 fuzz_timeout=14400 soak_jobs=1000
else
	fuzz_seeds="11" fuzz_calls=10000 fuzz_timeout=300 soak_jobs=50
fi

# fuzz_verdict NAME LOG SEED: the figures, or the seed and the last call.
fuzz_verdict() {
	local name=$1 log=$2 seed=$3 free
	if ! tr -d '\r' <"$log" | grep -aq "^sysfuzz: seed $seed: [0-9]* calls survived"; then
		echo "$name: seed $seed did not finish; its last words:"
		tr -d '\r' <"$log" | grep -aE '^sysfuzz: (seed|HANG|stuck|FAULT|fault|CORRUPTED|corrupted)|panic|BUG|killed' |
			tail -n 12 | sed 's/^/    /'
		return
	fi
	tr -d '\r' <"$log" | grep -a "^sysfuzz: seed $seed: [0-9]* calls survived" | sed "s/^/$name: /"
	if tr -d '\r' <"$log" | grep -aq "^sysfuzz: seed $seed, .* uid 1000\$"; then
		pass "$name: the fuzzer ran as uid 1000"
	else
		fail "$name" "the fuzzer did not run as uid 1000 (see $log)"
	fi
	# The status of each of the four jobs, not only the last.
	if [ "$(tr -d '\r' <"$log" | grep -ac '^init: /bin/sysfuzz done, status 0;')" = 4 ]; then
		pass "$name: the fuzzer and the jobs around it ended with status 0"
	else
		fail "$name" "a job ended with a non-zero status (see $log)"
	fi
	free=$(tr -d '\r' <"$log" | sed -n 's/^init: running \/bin\/sysfuzz.* \([0-9]*\) KiB free$/\1/p')
	set -- $free
	if [ $# = 4 ] && [ "$3" = "$4" ]; then
		pass "$name: free memory back to $3 KiB after the fuzzer"
	else
		fail "$name" "free memory before the fuzzer and after it: ${3:-?} and ${4:-?} KiB (see $log)"
	fi
	fuzz_accounting "$name" "$log"
	# kmem_debug: the heap checks freed objects when it hands them out.
	if tr -d '\r' <"$log" | grep -aq 'written after free'; then
		fail "$name" "the kernel wrote into freed memory:"
		tr -d '\r' <"$log" | grep -a 'written after free' | head -n 5 | sed 's/^/    /'
	else
		pass "$name: no write into freed kernel objects (kmem_debug)"
	fi
}

# fuzz_accounting NAME LOG: the two empty runs' /proc/kitten/memory alike.
fuzz_accounting() {
	local name=$1 log=$2 lines n before after
	lines=$(tr -d '\r' <"$log" | sed -n 's/^sysfuzz: memory: //p')
	n=$(echo "$lines" | grep -c .)
	before=$(echo "$lines" | head -n "$((n / 2))")
	after=$(echo "$lines" | tail -n +"$((n / 2 + 1))")
	if [ "$n" = 0 ] || [ $((n % 2)) = 1 ]; then
		fail "$name" "the empty runs did not both print /proc/kitten/memory (see $log)"
	elif [ "$before" = "$after" ]; then
		pass "$name: the kernel's memory account is the same after the fuzzer"
	else
		fail "$name" "the kernel's memory account changed over the fuzzer (before | after):"
		paste -d '|' <(echo "$before") <(echo "$after") | awk -F'|' '$1 != $2' | sed 's/^/    /'
	fi
}

for seed in $fuzz_seeds; do
	name=fuzz-sysfuzz-seed-$seed
	selected "$name" || continue
	expect_boot "$name" 0 \
		"^sysfuzz: seed $seed: [0-9]+ calls survived" \
		'init: all jobs done, status 0' \
		-- --smp 4 --mem 512M --timeout "$fuzz_timeout" \
		--append "exit_when_done panic=exit kmem_debug" \
		--module "$(initrd "$name" "program=/bin/sysfuzz;args=--calls 2000 --seed 1000$seed;heap=8M;cpus=0,1,2,3;$fuzz_user;---;$fuzz_empty;---;program=/bin/sysfuzz;args=--calls $fuzz_calls --seed $seed;heap=8M;cpus=0,1,2,3;$fuzz_user;---;$fuzz_empty" "$fuzz_prog")"
	fuzz_verdict "$name" "$logs/$name.log" "$seed"
done

# The soak: jobs in a row on 4 CPUs, each with threads, fork/exec, pipes
# and files; the init task compares the free memory after the first job
# with that after the last.
name=fuzz-soak-$soak_jobs-jobs
expect_boot "$name" 0 \
	'init: /bin/soak done, status 0; ([0-9]+) KiB free after the first run, \1 KiB after the last \(no leak\)' \
	-- --smp 4 --mem 512M --timeout "$((soak_jobs * 3 + 120))" --append "exit_when_done panic=exit" \
	--module "$(initrd "$name" "program=/bin/soak;heap=16M;cpus=0,1,2,3;repeat=$soak_jobs" "$BUILD/linux/soak-glibc:/bin/soak")"
if selected "$name"; then
	if tr -d '\r' <"$logs/$name.log" | grep -Eq 'soak: FAILED|killed by signal'; then
		fail "$name" "a job failed a check or was killed (see $logs/$name.log)"
	else
		pass "$name: no job failed a check"
	fi
fi
