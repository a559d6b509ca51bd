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
