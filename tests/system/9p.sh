# SPDX-License-Identifier: GPL-2.0
# The host's files over virtio-9p (kitten/fs/9p/, docs/9p.md): a job run
# from a host directory lists, reads, writes, creates, renames and removes
# files there, and the host then finds what it did; the host's / is
# read-only (EROFS, and nothing appears on the host); a static program
# runs straight from the host's export, not packed into the initramfs.
p9dir=$BUILD/9p-work
rm -rf "$p9dir"
mkdir -p "$p9dir/sub" "$p9dir/gone"
p9token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
printf 'from the host %s\n' "$p9token" >"$p9dir/sub/in.txt"
ln -s sub/in.txt "$p9dir/link"
echo old >"$p9dir/gone/old.txt"

# p9_host_check NAME COMMAND...: a check made on the host after a job.
p9_host_check() {
	local name=$1
	shift
	selected "$name" || return 0
	if "$@"; then
		pass "$name"
	else
		fail "$name" "on the host: $* failed (see $p9dir)"
	fi
}

# One line: a job's arguments hold no newlines.
p9_script='echo "cwd $(pwd)"
echo "read $(cat sub/in.txt)"
echo "link $(cat link) -> $(readlink link)"
echo "mtime $(stat -L -c %Y link)"
ls -a sub | tr "\n" " "; echo
cat sub/in.txt | tr a-z A-Z > out.txt
mkdir made && echo inside > made/a && mv made/a made/b
ln -s made/b madelink
rm gone/old.txt && rmdir gone
echo "size $(wc -c < out.txt)"
truncate -s 5 sub/in.txt && echo "truncated $(cat sub/in.txt)"
echo x > /etc/kitten-nope || echo "write refused"
mkdir /usr/kitten-nope || echo "mkdir refused"
echo "tmp stays Kitten'"'"'s" > /tmp/t && cat /tmp/t
echo "up $(cd .. && pwd)"
echo "usrbin $(ls /usr/bin | wc -l)"
ls -l sub/in.txt'
cd "$p9dir" || exit 1
kitten_run 9p-files 0 \
	"^cwd $p9dir$" \
	"^read from the host $p9token$" \
	"^link from the host $p9token -> sub/in.txt$" \
	"^mtime $(stat -c %Y "$p9dir/sub/in.txt")$" \
	'^\. \.\. in\.txt $' \
	'^size 31$' \
	'^truncated from $' \
	"^sh: can't create /etc/kitten-nope: Read-only file system$" \
	'^write refused$' \
	"can't create directory '/usr/kitten-nope': Read-only file system" \
	'^mkdir refused$' \
	"^tmp stays Kitten's$" \
	"^up $BUILD$" \
	"^usrbin $(ls /usr/bin | wc -l)$" \
	'^-rw.* 5 .*sub/in\.txt$' \
	-- /bin/busybox sh -c "${p9_script//$'\n'/; }"
cd "$top" || exit 1
# PROG without a '/' is found on PATH, as a shell would.
kitten_run 9p-prog-on-path 0 '^found on PATH$' -- busybox echo found on PATH
p9_host_check 9p-files-host-reads-written \
	test "$(cat "$p9dir/out.txt")" = "FROM THE HOST ${p9token^^}"
p9_host_check 9p-files-host-sees-rename \
	test "$(cat "$p9dir/made/b")" = inside -a ! -e "$p9dir/made/a"
p9_host_check 9p-files-host-sees-symlink \
	test "$(readlink "$p9dir/madelink")" = made/b
p9_host_check 9p-files-host-sees-removal test ! -e "$p9dir/gone"
p9_host_check 9p-files-host-sees-truncate \
	test "$(cat "$p9dir/sub/in.txt")" = "from "
p9_host_check 9p-readonly-host-unchanged \
	test ! -e /etc/kitten-nope -a ! -e /usr/kitten-nope

# Hard links on the export (Tlink) and statfs of it (Tstatfs); a link
# from /tmp into it is refused (EXDEV). The link the job leaves is seen
# on the host as one file with two names.
cd "$p9dir" || exit 1
kitten_run 9p-links 0 '^links: .* ok \(and over 9p\)$' \
	-- /bin/sh -c "$BUILD/linux/links-glibc $p9dir && echo kept >kept-a && ln kept-a kept-b"
cd "$top" || exit 1
p9_host_check 9p-links-host-sees-one-file \
	test "$p9dir/kept-a" -ef "$p9dir/kept-b"

# A static program straight from a host export: the job file names its
# path there, and init reads it over 9P (nothing packed but init). The
# export of $BUILD/linux is mounted at /progs, a directory the mount
# makes in Kitten's root, wherever this tree lives on the host.
expect_boot 9p-program-from-host 0 \
	'^mount: progs on /progs$' \
	'^hello from /progs/hello-glibc with 1 argument\(s\): 0$' \
	'^init: /progs/hello-glibc done, status 0' \
	-- --append "exit_when_done panic=exit 9p=progs:/progs:ro" \
	--module "$(initrd 9p-program "program=/progs/hello-glibc;arg=0")" \
	-- -fsdev "local,id=progs,path=$BUILD/linux,security_model=none,readonly=on" \
	-device virtio-9p-pci,fsdev=progs,mount_tag=progs

# Debian's python3 over 9P: the interpreter, its libraries and modules
# and the script come from the host's files; four threads, json, hashlib,
# re, a listing, a file written in the current directory, and /bin/sh
# run by subprocess, whose output the host reads too. Where this tree's
# kernel has no loader for programs with an interpreter (elfcheck refuses
# them), `kitten run` must refuse python3 for that reason instead.
p9py=/usr/bin/python3
if "$BUILD/tools/elfcheck" "$p9py" >/dev/null; then
	cat >"$p9dir/t.py" <<'PY'
import errno, hashlib, json, os, re, subprocess, threading
results = {}
def work(i):
    results[i] = hashlib.sha256(str(i).encode()).hexdigest()[:8]
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads: t.start()
for t in threads: t.join()
names = sorted(n for n in os.listdir(".") if re.fullmatch(r"in\d\.txt", n))
data = {"threads": [results[i] for i in range(4)],
        "inputs": [open(n).read().strip() for n in names]}
with open("py_out.json", "w") as f:
    json.dump(data, f, sort_keys=True)
r = subprocess.run(["/bin/sh", "-c", "echo sh ran in $(pwd) > sh_out.txt"])
print("python: done, sh status", r.returncode, "cwd", os.getcwd())
try:
    os.open("in1link", os.O_RDONLY | os.O_NOFOLLOW)
    print("python: O_NOFOLLOW opened a link")
except OSError as e:
    print("python: O_NOFOLLOW", errno.errorcode[e.errno])
print("python: link", os.readlink("in1link"), os.path.realpath("in1link"),
      os.path.islink("in1link"), os.stat("in1link").st_size)
PY
	ln -s in1.txt "$p9dir/in1link"
	echo "$p9token" >"$p9dir/in1.txt"
	echo kitten >"$p9dir/in2.txt"
	cd "$p9dir" || exit 1
	kitten_run 9p-python 0 "^python: done, sh status 0 cwd $p9dir$" \
		'^python: O_NOFOLLOW ELOOP$' \
		"^python: link in1.txt $p9dir/in1.txt True 17$" \
		-- --cpus 2 "$p9py" t.py
	cd "$top" || exit 1
	p9_host_check 9p-python-host-reads-json test "$(cat "$p9dir/py_out.json")" = \
		"$("$p9py" -c 'import hashlib, json, sys
print(json.dumps({"threads": [hashlib.sha256(str(i).encode()).hexdigest()[:8]
                              for i in range(4)], "inputs": sys.argv[1:]},
                 sort_keys=True), end="")' "$p9token" kitten)"
	p9_host_check 9p-python-host-reads-sh test "$(cat "$p9dir/sh_out.txt")" = \
		"sh ran in $p9dir"
else
	kitten_run 9p-python-refused 2 \
		"^kitten: $p9py: cannot run on Kitten: dynamically linked" -- "$p9py"
fi

# The file system under concurrency, on a 9P export (fs.sh's fsstress on
# /tmp/fsstress, which the export covers): 4 threads on 4 CPUs create,
# rename, unlink, list and cross-read files, and append to one file from
# a shared descriptor and from four opens of one new file at once; every
# byte read back is checked. Replies find their callers, fids are
# clunked in any order, and O_APPEND reaches the server.
p9stress=$BUILD/9p-stress
rm -rf "$p9stress"
mkdir -p "$p9stress"
kitten_run 9p-stress 0 \
	'^fsstress: 4 threads x 40: 160 created, 160 renamed, 160 unlinked, 320 read back, 160 listings \([0-9]+ entries\), [0-9]+ cross-reads \([0-9]+ part-written, [0-9]+ vanished\), 40 shared-file rounds, 160 log records, 0 errors$' \
	-- --no-host --cpus 4 --kernel-args "9p=stress:/tmp/fsstress:rw" \
	--qemu-arg "-fsdev local,id=stress,path=$p9stress,security_model=none -device virtio-9p-pci,fsdev=stress,mount_tag=stress" \
	"$BUILD/linux/fsstress-glibc" 40
