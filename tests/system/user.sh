# SPDX-License-Identifier: GPL-2.0
# User space the Kitten way: the init task loads native jobs with the
# native API (contiguous memory, 2 MiB pages, SMARTMAP) and runs them.
job=$BUILD/user/native_job:/bin/native_job

for n in 1 2 4; do
	expect_boot "native-ranks-$n" 0 \
		"rank 0: heap at 0x[0-9a-f]+ is physical 0x[0-9a-f]+, page size 2048 KiB" \
		"rank $((n - 1)): read all $n mailboxes through SMARTMAP" \
		"init: rank $((n - 1)) exited with status 0" \
		"init: /bin/native_job done, status 0" \
		-- --smp 4 --append "exit_when_done panic=exit" \
		--module "$(initrd native-$n "program=/bin/native_job;ranks=$n;cpus=0,1,2,3;verbose=1" "$job")"
done

# A job that faults is killed with a message; a job that asks for more
# memory than exists gets a clear error; a file that is not a program is
# refused, a dynamic one without its interpreter too; and after each the
# next job still runs.
expect_boot bad-jobs-then-good 0 \
	'task rank0 \([0-9]+\) killed by signal 11: page fault at 0x1000 \(not mapped\)' \
	'init: /bin/native_job done, status 139' \
	'cannot set up 1 ranks: not enough memory' \
	'init: /job: cannot run: not an ELF file' \
	'init: /bin/dynamic: cannot read its interpreter /lib64/ld-linux-x86-64.so.2 \(error -2\)' \
	'rank 1: read all 2 mailboxes through SMARTMAP' \
	'init: all jobs done, status 0' \
	-- --smp 2 --append "exit_when_done panic=exit" \
	--module "$(initrd bad-jobs "program=/bin/native_job;args=fault;---;program=/bin/native_job;heap=100G;---;program=/job;---;program=/bin/dynamic;---;program=/bin/native_job;ranks=2" "$job" "$BUILD/tests/unit/fixtures/hello-dynamic:/bin/dynamic")"

# Memory leaks: 200 jobs in a row leave exactly as much memory free as
# there was after the first.
expect_boot no-leak-200-jobs 0 \
	'init: /bin/native_job done, status 0; ([0-9]+) KiB free after the first run, \1 KiB after the last \(no leak\)' \
	-- --smp 2 --timeout 300 --append "exit_when_done panic=exit" \
	--module "$(initrd leak "program=/bin/native_job;args=quiet;ranks=2;heap=1M;repeat=200" "$job")"

# Every system call validates what user space hands it, and a job has
# none of the init task's rights.
expect_boot bad-pointers 0 \
	'badptr: all refused as expected' \
	'init: /bin/native_job done, status 0' \
	-- --append "exit_when_done panic=exit" \
	--module "$(initrd badptr "program=/bin/native_job;args=badptr" "$job")"

# FPU/SSE registers are per task: three ranks time-share one CPU.
expect_boot fpu-per-task 0 \
	'fpu: rank 0 sum exact' 'fpu: rank 1 sum exact' 'fpu: rank 2 sum exact' \
	'init: /bin/native_job done, status 0' \
	-- --smp 2 --append "exit_when_done panic=exit" \
	--module "$(initrd fpu "program=/bin/native_job;args=fpu;ranks=3;cpus=1" "$job")"

# With XSAVE (the "max" CPU model has AVX), the upper halves of the YMM
# registers are per task too.
expect_boot avx-per-task 0 \
	'avx: rank 0 lanes exact' 'avx: rank 1 lanes exact' 'avx: rank 2 lanes exact' \
	'init: /bin/native_job done, status 0' \
	-- --cpu max --smp 2 --append "exit_when_done panic=exit" \
	--module "$(initrd avx "program=/bin/native_job;args=avx;ranks=3;cpus=1" "$job")"
