# SPDX-License-Identifier: GPL-2.0
# Debian's own programs as they are (issue 13): python3, bash with
# coreutils, grep, sed and gawk, and numpy with OpenBLAS's threads, each
# started by `tools/kitten run` from the host's files (the host's / read-
# only and the current directory read-write over virtio-9p). The job runs
# in a fresh directory; what it writes there is checked on the host.
debian=$top/tests/system/debian
host_path=/usr/bin:/bin	# Debian's programs, not a user's own (pyenv, ...)

if selected debian-; then
	work=$(mktemp -d "$BUILD/logs/debian.XXXXXX")
	pushd "$work" >/dev/null

	kitten_run debian-python 0 '^python: all parts ok$' \
		-- --cpus 2 --mem 512M /usr/bin/python3 "$debian/workload.py" result.json
	if selected debian-python; then
		if grep -q '"pool": true' result.json 2>/dev/null &&
			grep -q '"sha256": "58972659' result.json; then
			pass "debian-python: the host reads what the job wrote in its directory"
		else
			fail "debian-python" "result.json on the host is missing or wrong (in $work)"
		fi
	fi

	PATH=$host_path kitten_run debian-python-on-path 0 '^1$' \
		-- python3 -c 'print(1)'

	kitten_run debian-bash 0 '^bash: all parts ok$' \
		-- --cpus 2 /bin/bash "$debian/workload.sh"

	# QEMU's qemu64 CPU says it is an AMD K8, for which OpenBLAS picks
	# its Opteron kernels; they use 3DNow! (femms), which QEMU's TCG does
	# not implement (#UD, SIGILL, on Linux too). Prescott's are SSE3 only.
	kitten_run debian-numpy 0 '^numpy: 512x512 product ok$' \
		-- --cpus 4 --mem 1G --env OPENBLAS_CORETYPE=Prescott \
		/usr/bin/python3 "$debian/matmul.py"

	popd >/dev/null
	rm -rf "$work"
fi
