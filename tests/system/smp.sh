# SPDX-License-Identifier: GPL-2.0
# Multiprocessor tests: CPUs come up, IPIs, device interrupts routed to a
# chosen CPU, pinned kernel threads, round robin, timers, locks, and no
# timer interrupts on a single-task CPU.
for n in 1 2 4 8; do
	ktap_boot "smp-$n" --smp $n --timeout 300 \
		--append "ktest=sched,smp,irq ktest.cpus=$n panic=exit"
done

# xAPIC mode's limit (QEMU's TCG has no x2APIC): 255 CPUs, APIC IDs
# 0-254 (255 is the broadcast ID), all started and answering IPIs.
ktap_boot smp-255 --smp 255 --mem 1G --timeout 400 \
	--append "ktest=smp ktest.cpus=255 panic=exit"
# A job's CPU set is still a 64-bit mask: the init task refuses to name
# CPU 100 rather than place the job on CPU 36 (100 mod 64).
expect_boot job-cpu-above-63 1 \
	'^init: /job: cpus: only CPUs 0-63 can be named$' \
	-- --smp 2 --append "exit_when_done panic=exit" \
	--module "$(initrd cpu100 "program=/bin/native_job;cpus=100" "$BUILD/user/native_job:/bin/native_job")"

# The interrupt and context-switch counters are printable at boot.
expect_boot smp-irqstats 0 \
	'^ *250: +[0-9]+ +[0-9]+ +timer$|^CPU1: [0-9]+ context switches$' \
	'^CPU0: [0-9]+ context switches$' \
	-- --smp 2 --append "irqstats exit_when_done panic=exit"

# Platform discovery on a two-node NUMA machine: CPUs and memory are
# assigned to their nodes, and the SLIT distances are read.
expect_boot numa-two-nodes 0 \
	'from ACPI: 4 CPUs, APIC ids: 0\(node 0\) 1\(node 0\) 2\(node 1\) 3\(node 1\)' \
	'2 NUMA node\(s\)' \
	'distances from node 0: +10 +20' \
	'HPET at 0xfed00000' \
	'4 CPUs online' \
	-- --smp 4 --mem 512M --append "exit_when_done panic=exit" -- \
	-object memory-backend-ram,size=256M,id=m0 \
	-object memory-backend-ram,size=256M,id=m1 \
	-numa node,memdev=m0,cpus=0-1,nodeid=0 \
	-numa node,memdev=m1,cpus=2-3,nodeid=1 \
	-numa dist,src=0,dst=1,val=20

# Without ACPI the MP table is the fallback, and the machine still runs.
expect_boot mptable-fallback 0 \
	'no usable ACPI tables; trying the MP table' \
	'from MP table: [0-9]+ CPUs' \
	'Kitten: boot complete' \
	-- --smp 2 --append "noacpi exit_when_done panic=exit"

# QEMU 7.2's TCG cannot emulate x2APIC: asked for it, QEMU drops the CPUID
# bit with a warning. The kernel must then see xAPIC and run normally.
expect_boot x2apic-requested 0 \
	'apic: local APIC at 0xfee00000, xAPIC mode' \
	'2 CPUs online' \
	'Kitten: boot complete' \
	-- --cpu qemu64,+x2apic --smp 2 --append "exit_when_done panic=exit"

# A machine with memory above 4 GiB: the APs' boot stacks may come from
# there, where the boot page tables reach not (a triple fault before).
expect_boot smp-memory-above-4g 0 \
	'memmap: \[mem 0x0000000100000000-' \
	'2 CPUs online' \
	'Kitten: boot complete' \
	-- --smp 2 --mem 4352M --append "exit_when_done panic=exit"
