# SPDX-License-Identifier: GPL-2.0
# The host's files over virtio-9p (kitten/fs/9p/, docs/9p.md): a job run
# from a host directory lists, reads, writes, creates, renames and removes
# files there, and the host then finds what it did; the host's / is
# read-only (EROFS, and nothing appears on the host); a static program
# runs straight from the host's export, not packed into the initramfs.
p9dir=$BUILD/9p-work
p9ro=$BUILD/9p-readonly
rm -rf "$p9dir" "$p9ro"
mkdir -p "$p9dir/sub" "$p9dir/gone" "$p9ro"
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
ls -a sub | tr "\n" " "; echo
cat sub/in.txt | tr a-z A-Z > out.txt
mkdir made && echo inside > made/a && mv made/a made/b
ln -s made/b madelink
rm gone/old.txt && rmdir gone
echo "size $(wc -c < out.txt)"
truncate -s 5 sub/in.txt && echo "truncated $(cat sub/in.txt)"
echo x > '"$p9ro"'/nope || echo "write refused"
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
	'^\. \.\. in\.txt $' \
	'^size 31$' \
	'^truncated from $' \
	"can't create .*/9p-readonly/nope: Read-only file system" \
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
	test ! -e "$p9ro/nope" -a ! -e /usr/kitten-nope

# A static program straight from the host's export: the job file names
# its host path, and init reads it over 9P (nothing packed but init).
expect_boot 9p-program-from-host 0 \
	'^mount: hostroot on /: [0-9]+ names joined' \
	"^hello from $BUILD/linux/hello-glibc with 1 argument\(s\): 0$" \
	"^init: $BUILD/linux/hello-glibc done, status 0" \
	-- --append "exit_when_done panic=exit 9p=hostroot:/:ro" \
	--module "$(initrd 9p-program "program=$BUILD/linux/hello-glibc;arg=0")" \
	-- -fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap" \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
