# SPDX-License-Identifier: GPL-2.0
# Credentials: a job runs as the uid/gid its description gives (uid=,
# gid=), with Linux's rules for the set*id calls, and kill() reaches other
# processes and process groups with Linux's permission rule
# (user/tests/linux/creds.c). Once as root, once as uid 1000, for glibc
# and musl; the init task reports the credentials it gave.
linux=$BUILD/linux

for libc in glibc musl; do
	prog="$linux/creds-$libc:/bin/creds"
	expect_boot "creds-$libc-root" 0 \
		'^creds: uid 0 gid 0: [0-9]+ checks, all ok' \
		'init: /bin/creds done, status 0' \
		-- --smp 2 --append "exit_when_done panic=exit" \
		--module "$(initrd "creds-$libc-root" "program=/bin/creds;args=0 0;cpus=0,1" "$prog")"
	expect_boot "creds-$libc-user" 0 \
		'init: as uid 1000 gid 1000, capabilities 0x0' \
		'^creds: uid 1000 gid 1000: [0-9]+ checks, all ok' \
		'cred: process [0-9]+ \(.*\), uid 1000: setuid needs uid 0 or cap=setuid: refused \(EPERM\)' \
		'init: /bin/creds done, status 0' \
		-- --smp 2 --append "exit_when_done panic=exit" \
		--module "$(initrd "creds-$libc-user" "program=/bin/creds;args=1000 1000;uid=1000;gid=1000;cpus=0,1" "$prog")"
done

# A refused set*id is logged once per process, however often it is tried
# (the user run above tries setuid(0) once and seteuid(0) once more).
creds_refusals() {
	local log=$logs/creds-glibc-user.log n
	selected creds-glibc-user || return 0
	n=$(grep -c 'setuid needs uid 0\|seteuid needs uid 0' "$log")
	if [ "$n" = 1 ]; then
		pass "creds-refusal-logged-once"
	else
		fail "creds-refusal-logged-once" "$n log lines for refused setuid (see $log)"
	fi
}
creds_refusals

# A bad uid= or cap= line is refused before anything runs, and the next
# job (uid 7, with the kill capability) still runs.
expect_boot creds-bad-lines 0 \
	'init: /job: uid must be a number below 4294967295' \
	'init: /job: unknown capability' \
	'init: as uid 7 gid 7, capabilities 0x4' \
	'^creds: uid 7 gid 7: [0-9]+ checks, all ok' \
	-- --append "exit_when_done panic=exit" \
	--module "$(initrd creds-bad-lines "program=/bin/creds;uid=-1;---;program=/bin/creds;cap=root;---;program=/bin/creds;args=7 7;uid=7;cap=kill" "$linux/creds-glibc:/bin/creds")"

# VMs without privilege: a job that is not root may not hand a guest host
# ports, IRQs or device memory (EPERM, with the reason), unless its
# description grants cap=vm_passthrough (then the VMM's own checks apply:
# IRQ 4 is the emulated UART's); its vCPUs may run only on its own CPUs;
# and a plain VM runs as uid 1000.
if selected creds-vm; then
	guests=$BUILD/guests
	pt_img=$(vmimage creds-pt.img --mem 16M --passthrough-irq 4 --kernel "$guests/basic.elf")
	good_img=$(vmimage creds-good.img --mem 16M --kernel "$guests/basic.elf")
	expect_boot creds-vm 0 \
		'^vmrun: /pt.img: refused: passthrough of host ports, IRQs or device memory needs uid 0 or cap=vm_passthrough$' \
		'cred: process [0-9]+ \(rank0\), uid 1000: a VM with host ports, IRQs or device memory needs uid 0 or cap=vm_passthrough: refused \(EPERM\)' \
		'^vmrun: /pt.img: refused: passthrough IRQ 4 is the line of an emulated device$' \
		'^vmrun: cannot launch on the given CPUs \(the VM has 1 vCPUs\): a CPU outside this job.s cpus=$' \
		'vm: vm [0-9]+: vCPU 0 on CPU 1, outside the process.s CPUs 0x1: refused \(EPERM\)' \
		'init: all jobs done, status 0' \
		-- --smp 2 --mem 512M --append "exit_when_done panic=exit" \
		--module "$(initrd creds-vm "program=/bin/vmrun;args=/pt.img;uid=1000;cpus=0,1;---;program=/bin/vmrun;args=/pt.img;uid=1000;cap=vm_passthrough;cpus=0,1;---;program=/bin/vmrun;args=/good.img;uid=1000;cpus=0;---;program=/bin/vmrun;args=/good.img;uid=1000;cpus=0,1;heap=64M" \
			"$BUILD/user/vmrun:/bin/vmrun" "$pt_img:/pt.img" "$good_img:/good.img")"
fi
