# SPDX-License-Identifier: GPL-2.0
# Whole-system boot tests, sourced by tools/check (see ktap_boot and
# expect_boot there). Each boot runs in-kernel KTAP self-test suites.

# QEMU -kernel (multiboot 1) with three memory sizes; ktest.mem tells the
# mm suite what the firmware should report.
ktap_boot boot-64M  --mem 64M  --append "ktest=boot,mm ktest.mem=64M panic=exit"
ktap_boot boot-512M --mem 512M --append "ktest=boot,mm ktest.mem=512M panic=exit"
ktap_boot boot-4G   --mem 4G   --append "ktest=boot,mm ktest.mem=4G panic=exit"

# mem= limits what the kernel uses, whatever the machine has.
ktap_boot boot-mem-limit --mem 512M \
	--append "mem=96M ktest=mm ktest.mem=96M panic=exit"

# GRUB ISO (multiboot 2): tools/grub.cfg runs the boot and mm suites.
ktap_boot boot-iso-grub --iso --mem 512M

# The boot log a person reads: memory map, CPU features, boot complete.
expect_boot boot-log 0 \
	'booted by .* via multiboot$' \
	'\] usable$' \
	'^CPU features: .*\blm\b' \
	'direct map of [0-9]+ MiB' \
	'KiB free$' \
	'Kitten: boot complete in [0-9]+ ms' \
	-- --mem 512M --append "exit_when_done panic=exit"

# Deliberate faults: a readable panic with a symbolized backtrace.
expect_boot panic-pagefault 2 \
	'BUG: unable to handle page fault at 0000000000dead00 \(write not-present page\)' \
	'^RIP: \[<ffffffff8[0-9a-f]+>\] crash_pagefault\+0x[0-9a-f]+/0x[0-9a-f]+' \
	'^CR0: .* CR2: 0000000000dead00' \
	'^Call trace:' \
	'^  (\? )?\[<[0-9a-f]+>\] crash_test\+0x' \
	'^  \[<[0-9a-f]+>\] kmain\+0x' \
	'end Kernel panic' \
	-- --append "crash=pagefault panic=exit"
expect_boot panic-gp 2 \
	'Kernel panic: general protection \(vector 13' \
	'^RIP: .* crash_gp\+0x' \
	'^  \[<[0-9a-f]+>\] kmain\+0x' \
	-- --append "crash=gp panic=exit"
expect_boot panic-bug 2 \
	'Kernel panic: BUG at kitten/kernel/crash.c:[0-9]+' \
	'^  \[<[0-9a-f]+>\] crash_bug\+0x' \
	-- --append "crash=bug panic=exit"

# A CPU with 1 GiB pages (QEMU's "max" model): the direct map uses them.
expect_boot boot-1g-pages 0 \
	'^CPU features: .*\bpdpe1gb\b' \
	'direct map of [0-9]+ MiB: [1-9][0-9]* x 1G' \
	'Kitten: boot complete' \
	-- --cpu max --mem 4G --append "exit_when_done panic=exit"
