# SPDX-License-Identifier: GPL-2.0
# Multiprocessor tests: CPUs come up, IPIs, pinned kernel threads, round
# robin, timers, locks, and no timer interrupts on a single-task CPU.
for n in 1 2 4 8; do
	ktap_boot "smp-$n" --smp $n --timeout 300 \
		--append "ktest=sched,smp ktest.cpus=$n panic=exit"
done

# The interrupt and context-switch counters are printable at boot.
expect_boot smp-irqstats 0 \
	'^ *250: +[0-9]+ +[0-9]+ +timer$|^CPU1: [0-9]+ context switches$' \
	'^CPU0: [0-9]+ context switches$' \
	-- --smp 2 --append "irqstats exit_when_done panic=exit"
