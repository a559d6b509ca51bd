# SPDX-License-Identifier: GPL-2.0
# Process families: children of threads, wait4/waitid, SIGCHLD, and the
# end of a job taking what it left running with it.
linux=$BUILD/linux

for libc in glibc musl; do
	kitten_run "run-family-$libc" 0 '^family: 23 checks, 0 failed$' \
		-- --cpus 2 "$linux/family-$libc"
done

# The job leaves a child running each time; each run's leftover must be
# killed and its memory back before the init task measures.
name=family-job-end
expect_boot "$name" 0 \
	'^family: 24 checks, 0 failed$' \
	'process [0-9]+ \(/bin/family\) killed by signal 9' \
	'init: /bin/family done, status 0; ([0-9]+) KiB free after the first run, \1 KiB after the last \(no leak\)' \
	-- --smp 2 --mem 256M --timeout 300 --append "exit_when_done panic=exit" \
	--module "$(initrd "$name" "program=/bin/family;args=leave;heap=16M;cpus=0,1;repeat=3" "$linux/family-glibc:/bin/family")"
