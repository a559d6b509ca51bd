# SPDX-License-Identifier: GPL-2.0
# A job reaches only its own memory (user/tests/linux/isolation.c): every
# pointer-taking call refuses kernel, non-canonical, SMARTMAP-of-nobody and
# other-process addresses with -EFAULT; SMARTMAP shows the job's own ranks
# and nothing else. Two jobs in one boot: the second (one rank) must not
# see the first (two ranks) through a window, nor find the secret the
# first left in its stack and heap.
expect_boot isolation-two-jobs 0 \
	'isolation: rank 0 of 2: [0-9]+ checks, 0 wrong' \
	'isolation: rank 1 of 2: [0-9]+ checks, 0 wrong' \
	'isolation: rank 0 of 1: [0-9]+ checks, 0 wrong' \
	'init: all jobs done, status 0' \
	-- --smp 2 --timeout 300 --append "exit_when_done panic=exit" \
	--module "$(initrd isolation "program=/bin/isolation;ranks=2;cpus=0,1;---;program=/bin/isolation;ranks=1" "$BUILD/linux/isolation-glibc:/bin/isolation")"
if selected isolation-two-jobs; then
	if tr -d '\r' <"$logs/isolation-two-jobs.log" | grep -q '^isolation: .*expected\|^isolation: .*readable\|^isolation: .*secret'; then
		tr -d '\r' <"$logs/isolation-two-jobs.log" | grep '^isolation: ' | grep -v checks | head -n 20
	fi
fi
