# SPDX-License-Identifier: GPL-2.0
# The file system under concurrency: 4 threads on 4 CPUs create, write,
# read back, rename and unlink files in one /tmp directory (500 each),
# list it in small getdents64 batches, read each other's files, append to
# one shared O_APPEND descriptor, and each round all four create and
# append to one new file at once; every byte read is checked against its
# writer and sequence number (user/tests/linux/fsstress.c). Without the
# tree lock the kernel panics (NULL names in the tree, double frees);
# without the inode locks, appends are lost and records torn.
kitten_run fs-stress 0 \
	'^fsstress: 4 threads x 500: 2000 created, 2000 renamed, 2000 unlinked, 4000 read back, 2000 listings \([0-9]+ entries\), [0-9]+ cross-reads \([0-9]+ part-written, [0-9]+ vanished\), 500 shared-file rounds, 2000 log records, 0 errors$' \
	-- --cpus 4 "$BUILD/linux/fsstress-glibc" 500
