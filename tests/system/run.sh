# SPDX-License-Identifier: GPL-2.0
# `tools/kitten run`: unmodified static Linux programs (glibc and musl) run
# as Kitten jobs; their output and exit status come back to the caller.
linux=$BUILD/linux

for libc in glibc musl; do
	kitten_run "run-$libc-hello" 0 \
		"^hello from /bin/hello-$libc with 2 argument\(s\): 0 two$" \
		-- "$linux/hello-$libc" 0 two
	kitten_run "run-$libc-exit-42" 42 'with 1 argument\(s\): 42$' \
		-- "$linux/hello-$libc" 42
	kitten_run "run-$libc-abort" 134 'with 1 argument\(s\): abort$' \
		-- "$linux/hello-$libc" abort
done
kitten_run run-exit-1 1 -- "$linux/hello-glibc" 1

# What cannot run is refused with one line, before anything boots.
kitten_run run-refuses-32-bit 2 \
	'^kitten: .*kitten32.elf: cannot run on Kitten: not a 64-bit ELF file' \
	-- "$BUILD/kitten32.elf"
kitten_run run-refuses-text 2 \
	'^kitten: .*README.md: cannot run on Kitten: not an ELF file' \
	-- "$top/README.md"
kitten_run run-refuses-missing 2 '^kitten: /no/such/program: no such file$' \
	-- /no/such/program

# POSIX threads: 8 threads on 4 CPUs with a mutex, a condition variable,
# a barrier, thread-local storage and pthread_join.
for libc in glibc musl; do
	kitten_run "run-$libc-threads" 0 \
		'^threads: 8 threads, counter 80000 \(expected 80000\), TLS private$' \
		-- --cpus 4 "$linux/threads-$libc"
done

# C++: exceptions through 20 frames, iostream, containers, std::thread.
kitten_run run-cxx 0 '^c\+\+: exception caught, map 8, threads ok$' \
	-- --cpus 4 "$linux/cxx-glibc"

# OpenMP: a parallel-for reduction with the team as large as --cpus.
for n in 2 4; do
	kitten_run "run-openmp-$n" 0 "^openmp: $n threads, sum 1\.644933[0-9] \(correct\)$" \
		-- --cpus $n "$linux/openmp-glibc" $n
done

# Signals: a SIGSEGV handler recovering with siglongjmp, SIGFPE, a handler
# that returns (rt_sigreturn), and a blocked signal delivered on unblock.
for libc in glibc musl; do
	kitten_run "run-$libc-signals" 0 \
		'^signals: SIGSEGV handled at 0x42, recovered$' \
		'^signals: SIGFPE handled$' \
		'^signals: blocked SIGUSR1 arrived when unblocked: all ok$' \
		-- "$linux/signals-$libc"
done

# Files: /tmp is writable (create, write, read back, rename, readdir,
# unlink, rmdir), and /proc/cpuinfo and sysconf agree with --cpus.
for libc in glibc musl; do
	kitten_run "run-$libc-files" 0 \
		'^files: /tmp write, read back, rename, unlink, readdir ok; 3 CPUs online, 3 in /proc/cpuinfo$' \
		-- --cpus 3 "$linux/files-$libc" 3
done

# Hard links in the in-memory tree (and sem_open, which needs them),
# statfs and fsync.
for libc in glibc musl; do
	kitten_run "run-$libc-links" 0 \
		'^links: link, nlink, rename, sem_open, statfs, fsync ok$' \
		-- "$linux/links-$libc"
done

# The vDSO: the auxiliary vector points at it, and its clock_gettime,
# called directly and through the C library, reads the clock the system
# call reads; gettimeofday and time agree.
for libc in glibc musl; do
	kitten_run "run-$libc-clock" 0 \
		'^clock: vDSO at 0x7ffff01000, 1000 reads each through it and libc: all ok$' \
		-- "$linux/clock-$libc"
done

# The `make run` demo: a multi-threaded solver, as a user would run it.
kitten_run run-demo 0 '^heat: 128x128 grid, 300 sweeps, 4 threads on 4 CPUs$' \
	'^heat: done, temperature 8 rows from the hot edge 51\.40[0-9]+$' \
	-- --cpus 4 "$linux/heat-demo"

# Bad pointers and bad arguments get Linux's errors, and the program (and
# the kernel) carry on.
for libc in glibc musl; do
	kitten_run "run-$libc-badargs" 0 '^badargs: 33 checks, 0 wrong$' \
		-- "$linux/badargs-$libc"
done

# Debian's busybox-static, a real static glibc program nobody here wrote:
# its shell forks and executes applets and runs a pipeline.
kitten_run run-busybox 0 '^hello$' '^meminfo$' '^MemTotal: +[0-9]+ kB$' \
	'^5$' '^1$' \
	-- /bin/busybox sh -c 'echo hello; ls /proc; cat /proc/meminfo; seq 1 5 | sort -r'
kitten_run run-busybox-order 0 '^5 4 3 2 1$' \
	-- /bin/busybox sh -c 'seq 1 5 | sort -r | tr "\n" " " | sed "s/ $//"; echo'
