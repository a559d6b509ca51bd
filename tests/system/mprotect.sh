# SPDX-License-Identifier: GPL-2.0
# Memory protection (user/tests/linux/mprotect.c): guard pages, read-only
# and non-executable memory, the program's text and data, EFAULT from
# system calls given protected buffers, a 2 MiB page split by mprotect,
# fork keeping the rights, and a thread on another CPU that must fault
# once mprotect returned (the TLB shootdown).
linux=$BUILD/linux

for libc in glibc musl; do
	kitten_run "mprotect-$libc" 0 '^mprotect: [0-9]+ checks, 0 wrong$' \
		-- --cpus 2 "$linux/mprotect-$libc"
done

# In the kernel: a 2 MiB page split by aspace_protect and merged back
# (its table freed), rights copied between address spaces, and a user
# copy stopping at a read-only page instead of panicking.
ktap_boot aspace-rights --smp 2 --append "ktest=aspace panic=exit"
