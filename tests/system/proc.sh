# SPDX-License-Identifier: GPL-2.0
# The process and time calls Debian's programs make (issue 13): the wall
# clock, resource limits, affinity, timers and signals from them, /proc.
linux=$BUILD/linux

# The wall clock comes from the CMOS clock: the job's date is the host's
# (QEMU's RTC follows the host's clock in UTC). Asked on both sides of
# the run, so a run across midnight still matches one of them.
day_before=$(date -u +%Y-%m-%d)
kitten_run proc-walltime-root 0 '^walltime: root, 0 wrong$' \
	"^walltime: date ($day_before|$(date -u -d tomorrow +%Y-%m-%d))$" \
	-- "$linux/walltime-glibc"
kitten_run proc-walltime-user 0 '^walltime: user, 0 wrong$' \
	"^walltime: date $(date -u +%Y)-" \
	-- --user 1000 "$linux/walltime-glibc" user

# Timers that signal: setitimer, alarm, POSIX timers (SIGEV_SIGNAL and
# SIGEV_THREAD_ID, overruns), clock_nanosleep interrupted and absolute.
# Decided by signal counts and order, never by how long anything took.
for cpus in 1 2; do
	kitten_run "proc-timers-$cpus" 0 \
		'^timers: setitimer fired 10 times, then stopped$' \
		'^timers: POSIX timer fired 5 times with its value$' \
		'^timers: blocked for [0-9]+ expirations: 1 signal, si_overrun = timer_getoverrun$' \
		'^timers: SIGEV_THREAD_ID went to thread [0-9]+$' \
		'^timers: [0-9]+ checks, 0 wrong$' \
		-- --cpus $cpus "$linux/timers-glibc"
done

# Limits, affinity, scheduling answers, sysinfo, getrandom, membarrier,
# process_vm_readv/writev: as root and as a user, on 1 and 2 CPUs.
for cpus in 1 2; do
	kitten_run "proc-limits-$cpus" 0 \
		'^limits: rlimits honest, NOFILE 16 enforced and inherited$' \
		"^limits: affinity within $cpus CPUs, getcpu follows it$" \
		'^limits: process_vm_readv/writev with a child$' \
		'^limits: [0-9]+ checks, 0 wrong$' \
		-- --cpus $cpus "$linux/limits-glibc" $cpus
done
kitten_run proc-limits-user 0 '^limits: [0-9]+ checks, 0 wrong$' \
	-- --user 1000 --cpus 2 "$linux/limits-glibc" 2

# /proc: /proc/self, exe, cmdline, status and stat, fd links, maps, a
# child's directory while it lives, the machine's files.
for cpus in 1 2; do
	kitten_run "proc-procfs-$cpus" 0 \
		'^procfs: /proc/self -> [0-9]+, exe /bin/procfs-glibc$' \
		'^procfs: /proc/self/fd: paths, pipe:\[N\], open and closed$' \
		'^procfs: /proc/<pid> of a child, while it lives$' \
		'^procfs: [0-9]+ checks, 0 wrong$' \
		-- --cpus $cpus "$linux/procfs-glibc" $cpus
done
kitten_run proc-procfs-user 0 '^procfs: [0-9]+ checks, 0 wrong$' \
	-- --user 1000 "$linux/procfs-glibc" 1

# Debian's busybox reads /proc as Linux has it: ps lists the processes
# with their command lines, ls -l shows the descriptors' targets.
# USER is a name where the host's /etc/passwd is seen (over 9p).
kitten_run proc-busybox-ps 0 '^ +[0-9]+ +(0|root) +/bin/busybox ps$' \
	'^ +2 +(0|root) +/init' \
	-- /bin/busybox ps
kitten_run proc-busybox-fd 0 ' 0 -> pipe:\[[0-9]+\]$' ' 1 -> /dev/console$' \
	-- /bin/busybox sh -c 'echo | ls -l /proc/self/fd/'

# getrandom's source, as the kernel log names it (its lines end in CR:
# no $ anchor): RDRAND where the CPU has it, else the fallback, which
# says it is not for cryptography.
kitten_run proc-random-rdrand 0 '^random: random bytes come from RDRAND' \
	'^limits: sysinfo, getrandom, membarrier$' \
	-- --verbose --qemu-arg "-cpu qemu64,+svm,+npt,+rdrand" "$linux/limits-glibc" 1
kitten_run proc-random-fallback 0 '^random: no RDRAND: .*not for cryptography' \
	'^limits: sysinfo, getrandom, membarrier$' \
	-- --verbose --qemu-arg "-cpu qemu64,+svm,+npt,-rdrand" "$linux/limits-glibc" 1
