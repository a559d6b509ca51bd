# SPDX-License-Identifier: GPL-2.0
# Threads and the privileged state user values reach (kitten run cases).
linux=$BUILD/linux

# 10,000 short threads on 4 CPUs, each joined: a thread that could run
# before clone() finished setting it up would leave a join waiting.
kitten_run run-threadstorm-glibc 0 \
	'^threadstorm: 10000 threads created and joined, 10000 ran, 0 wrong results$' \
	-- --cpus 4 "$linux/threadstorm-glibc" 10000
kitten_run run-threadstorm-musl 0 \
	'^threadstorm: 2000 threads created and joined, 2000 ran, 0 wrong results$' \
	-- --cpus 4 "$linux/threadstorm-musl" 2000

# The C++ program that hung most often before that fix, a few times over.
for i in 1 2 3; do
	kitten_run "run-cxx-4cpus-$i" 0 '^c\+\+: exception caught, map 8, threads ok$' \
		-- --cpus 4 "$linux/cxx-glibc"
done

# A non-canonical TLS base or sigreturn RIP, or a reserved MXCSR bit, is
# refused before it reaches a register where hardware would #GP.
for libc in glibc musl; do
	kitten_run "run-$libc-privregs" 0 '^privregs: 9 checks, 0 wrong$' \
		-- --cpus 2 "$linux/privregs-$libc"
done

# make fuzz (FUZZ_FULL=1): the 10,000 threads twenty times in a row.
if [ "${FUZZ_FULL:-0}" = 1 ]; then
	for i in $(seq 1 20); do
		kitten_run "fuzz-threadstorm-$i" 0 \
			'^threadstorm: 10000 threads created and joined, 10000 ran, 0 wrong results$' \
			-- --cpus 4 "$linux/threadstorm-glibc" 10000
	done
fi
