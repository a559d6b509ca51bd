/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open files and file-descriptor tables. Each kind of file (a plain file
 * or a directory of the in-memory file system, a pipe end, the console, a
 * generated device or /proc file) provides a table of operations; the
 * system calls reach a file only through its table. A table of open
 * files, with the working directory, is shared by the threads of one
 * process.
 *
 * References: a file is held by each descriptor naming it (in any table:
 * dup and fork share it) and by each system call using it, so a close on
 * another CPU never frees a file under a call in progress. A file holds
 * its inode.
 */
#ifndef KITTEN_FILE_H
#define KITTEN_FILE_H

#include <kitten/mutex.h>
#include <kitten/spinlock.h>
#include <kitten/types.h>

#define FD_MAX 256

#define O_ACCMODE	0003
#define O_RDONLY	0000
#define O_WRONLY	0001
#define O_RDWR		0002
#define O_CREAT		0100
#define O_EXCL		0200
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_DIRECTORY	0200000
#define O_CLOEXEC	02000000

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

struct inode;
struct file;
struct poll_table;

/* What stat() reports, before it is laid out for Linux. */
struct kstat {
	uint64_t ino, size;
	uint32_t mode, nlink, rdev;	/* rdev: major << 8 | minor */
	/* Last modification (also given as access and change time); 0 where
	 * the kind keeps no times (the ramfs). */
	int64_t mtime;
	uint32_t mtime_nsec;
};

/*
 * What one kind of file does. An absent operation does not apply to the
 * kind: read and write fail with -EINVAL, lseek with -ESPIPE (the file
 * is a stream, without positions, so pread and pwrite fail too),
 * getdents with -ENOTDIR, ioctl with -ENOTTY, copy_at with -EACCES.
 */
struct file_operations {
	/*
	 * Move up to len bytes between user memory at ubuf and the file at
	 * *pos, and advance *pos (streams ignore it); bytes or -errno. For
	 * files with positions the caller holds f->pos_lock.
	 */
	long (*read)(struct file *f, uint64_t ubuf, uint64_t len, uint64_t *pos);
	long (*write)(struct file *f, uint64_t ubuf, uint64_t len,
		      uint64_t *pos);
	/* The position (off, whence) names, from pos; or -errno. */
	long (*lseek)(struct file *f, int64_t off, int whence, uint64_t pos);
	/* linux_dirent64 records from listing position *pos on, as read. */
	long (*getdents)(struct file *f, uint64_t ubuf, uint64_t len,
			 uint64_t *pos);
	long (*ioctl)(struct file *f, unsigned cmd, uint64_t arg);
	/* Set the size (open with O_TRUNC); 0 or -errno. Absent: ignored. */
	int (*truncate)(struct file *f, uint64_t size);
	/* Make what was written durable (fsync). Absent: nothing to do for
	 * a file in memory, -EINVAL for a stream (pipe, socket). */
	int (*fsync)(struct file *f);
	/* Copy len bytes at off into kernel-visible memory (mmap of a file). */
	long (*copy_at)(struct file *f, void *dst, uint64_t len, uint64_t off);
	void (*stat)(struct file *f, struct kstat *st);	/* every kind */
	/* The last reference is gone: let go of what the kind holds. Runs
	 * wherever the last descriptor closes (task exit too): no sleeping. */
	void (*release)(struct file *f);
	/* A kind without a path: what /proc/<pid>/fd calls it ("pipe"). */
	const char *anon_name;
	/* What f is ready for now (POLL* bits, poll.h), after poll_wait() on
	 * each queue whose wake-up may change it. Absent: always ready. */
	unsigned (*poll)(struct file *f, struct poll_table *pt);
};

struct file {
	const struct file_operations *ops;
	struct inode *inode;	/* referenced; NULL: pipes, inherited consoles */
	void *priv;		/* the kind's own: a pipe */
	struct mutex pos_lock;	/* one read, write, seek or listing at a time */
	uint64_t pos;
	unsigned flags;		/* O_* given to open (fcntl changes O_APPEND) */
	unsigned refs;
};

struct fdtable {
	unsigned refs;
	struct spinlock lock;	/* fd, cloexec, cwd */
	struct file *fd[FD_MAX];
	bool cloexec[FD_MAX];
	struct inode *cwd;	/* referenced; NULL: the root */
};

/* The console (tty.c): the user's, and the kernel log, as files. */
extern const struct file_operations tty_console_ops;
extern const struct file_operations tty_kmsg_ops;

/*
 * A table with a console on descriptors 0, 1 and 2: the kernel log for
 * the init task (its reports belong with the kernel's), the user console
 * for jobs.
 */
struct fdtable *fdtable_create(bool kernel_log);
void fdtable_get(struct fdtable *t);
void fdtable_put(struct fdtable *t);
/* fork(): a copy of the current process's table (same open files). */
struct fdtable *fdtable_clone(struct fdtable *t);
/* execve(): close the descriptors marked close-on-exec. */
void fdtable_close_on_exec(struct fdtable *t);
/* The working directory of the current process, referenced. */
struct inode *fdtable_cwd(void);
/* Make dir (referenced by the caller) the working directory. */
void fdtable_set_cwd(struct inode *dir);

/* Pipes (pipe.c): a read and a write file over one buffer. */
int pipe_create(struct file **read_end, struct file **write_end);

/* A new file of kind ops on inode (referenced by the file, may be NULL). */
struct file *file_alloc(const struct file_operations *ops,
			struct inode *inode, unsigned flags);
/* open(): a file of the kind the inode says. */
struct file *file_open_inode(struct inode *inode, unsigned flags);
/* The same, with the file system's say (vfs.h open): 0 or -errno. */
int file_open(struct inode *inode, unsigned flags, struct file **out);
void file_put(struct file *f);
/* The file behind fd in the current process, referenced; NULL if none. */
struct file *fd_get(uint64_t fd);
/* The lowest free descriptor at or above min now holds f; fd or -EMFILE. */
int fd_install(struct file *f, int min, bool cloexec);
/* Put f at exactly fd, closing what was there; fd or -EBADF. */
long fd_install_at(struct file *f, uint64_t fd, bool cloexec);
/* Take fd out of the table; its file (the table's reference) or NULL. */
struct file *fd_remove(uint64_t fd);
/* close(): remove fd and drop its reference; -EBADF if not open. */
int fd_close(uint64_t fd);
/* fd's close-on-exec flag (before setting it to set, unless set < 0);
 * -EBADF if fd is not open. */
long fd_cloexec(uint64_t fd, int set);

/* Copy up to len bytes of fd's file from offset off into kernel-visible
 * memory dst (for mmap of a file); bytes read or a negative errno. */
long file_read_at(uint64_t fd, void *dst, uint64_t len, uint64_t off);

/* For kinds: seek within a file of size bytes; the new position or -EINVAL. */
long file_seek_in(int64_t off, int whence, uint64_t pos, uint64_t size);
/* For kinds backed by an inode: stat the inode. */
void file_stat_inode(struct file *f, struct kstat *st);
void inode_stat(const struct inode *inode, struct kstat *st);

/* Path lookups relative to the current process's working directory;
 * the inode is referenced. */
struct inode *lookup_path(const char *path);
/* Lay out st as Linux's struct stat at user buf; 0 or -EFAULT. */
long stat_to_user(const struct kstat *st, uint64_t buf);
/* fstat(): the open file fd's status to user memory at buf. */
long fd_stat_to_user(uint64_t fd, uint64_t buf);

#endif
