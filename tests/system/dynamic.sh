# SPDX-License-Identifier: GPL-2.0
# Dynamically linked programs (docs/dynamic-elf.md): the kernel loads the
# program and its interpreter, ld.so maps the libraries with mmap, and
# they run as on Linux. Their libraries are the host's: from its files
# over 9p, or passed with --file (tests/system/ldd-files).
linux=$BUILD/linux
dyn_libs() { "$top/tests/system/ldd-files" "$@"; }
mapfile -t dyn_files < <(dyn_libs "$linux/dynhello" "$linux/dynshm" /bin/ls /usr/bin/env)

kitten_run dyn-hello 0 '^hello from a dynamically linked program$' \
	'^ok AT_BASE: the interpreter was loaded$' '^ok AT_EXECFN is argv\[0\]$' \
	'^ok dl_iterate_phdr sees the program, vDSO, libc, ld.so$' \
	-- "${dyn_files[@]}" "$linux/dynhello"
kitten_run dyn-pie 0 '^hello from a dynamically linked program$' \
	'^ok AT_ENTRY, AT_PHDR, AT_PHENT$' \
	-- "${dyn_files[@]}" "$linux/dynhello-pie"

# dlopen(): ld.so maps the plugin over a range it reserved (MAP_FIXED),
# dlclose() unmaps it, and it comes back.
kitten_run dyn-dlopen 0 '^plugin says hello to dyndlopen$' \
	'^ok dlopen again after dlclose$' '^dyndlopen: all passed$' \
	-- "${dyn_files[@]}" --file "$linux/dynplugin.so:/lib/dynplugin.so" \
	"$linux/dyndlopen" /lib/dynplugin.so

# RELRO read-only after loading, mprotect of part of a mapping,
# MADV_DONTNEED over a guard page and of pages written again, mremap.
kitten_run dyn-relro 0 '^ok a write to (its )?RELRO (pages )?faults$' \
	'^ok a second MADV_DONTNEED zeroes what was written since$' \
	'^dynrelro: all passed$' \
	-- "${dyn_files[@]}" "$linux/dynrelro"

# Shared memory between processes: shm_open + MAP_SHARED across fork and
# at a second address, a process-shared semaphore (futexes keyed by
# physical address), anonymous shared memory, System V, msync.
kitten_run dyn-shared-memory 0 \
	'^ok sem_wait in the object, posted by the child$' \
	"^ok the child's write through its own mapping$" \
	'^ok read\(\) sees the bytes msync wrote$' '^dynshm: all passed$' \
	-- "${dyn_files[@]}" "$linux/dynshm"

# execve() of a dynamic program from a (static) shell: the kernel's loader.
kitten_run dyn-execve 0 '^hello from a dynamically linked program$' \
	'^ok AT_BASE: the interpreter was loaded$' \
	-- "${dyn_files[@]}" --file "$linux/dynhello:/bin/dynhello" \
	/bin/busybox sh -c '/bin/dynhello && echo exec done'

# A missing library: ld.so's own message and its status, 127 (without
# the host's files, where libc is).
kitten_run dyn-missing-library 127 \
	'error while loading shared libraries: libc.so.6: cannot open shared object file: No such file or directory' \
	-- --no-host --file /lib64/ld-linux-x86-64.so.2:/lib64/ld-linux-x86-64.so.2 \
	"$linux/dynhello"

# A corrupt library: the loader's error, status 127; the kernel runs the
# next job.
mkdir -p "$BUILD/tests/dyn"
head -c 100 /lib/x86_64-linux-gnu/libc.so.6 >"$BUILD/tests/dyn/libc-corrupt.so.6"
expect_boot dyn-corrupt-library-then-next 0 \
	'/bin/dynhello: error while loading shared libraries: /lib/x86_64-linux-gnu/libc.so.6: (cannot read file data|file too short)' \
	'init: /bin/dynhello done, status 127' \
	'^hello from /bin/hello-glibc with 1 argument\(s\): 0$' \
	'init: all jobs done, status 0' \
	-- --append "exit_when_done panic=exit" \
	--module "$(initrd dyn-corrupt "program=/bin/dynhello;---;program=/bin/hello-glibc;arg=0" \
		"$linux/dynhello:/bin/dynhello" "$linux/hello-glibc:/bin/hello-glibc" \
		/lib64/ld-linux-x86-64.so.2:/lib64/ld-linux-x86-64.so.2 \
		"$BUILD/tests/dyn/libc-corrupt.so.6:/lib/x86_64-linux-gnu/libc.so.6")"

# Debian's own programs, unchanged.
kitten_run dyn-debian-true 0 -- "${dyn_files[@]}" /bin/true
kitten_run dyn-debian-env 0 '^DYN=ok$' \
	-- "${dyn_files[@]}" --env DYN=ok /usr/bin/env
kitten_run dyn-debian-ls 0 ' init$' ' lib64$' \
	-- "${dyn_files[@]}" /bin/ls -l /
