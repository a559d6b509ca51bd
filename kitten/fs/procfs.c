// SPDX-License-Identifier: GPL-2.0
/*
 * /proc's processes: /proc/<pid>/ for every process, and /proc/self.
 *
 * The directories are ordinary entries of the in-memory tree (ramfs.c)
 * whose files carry this file's operations, made when a path names them:
 * every path a process gives goes through procfs_resolve() before it is
 * looked up (sys_fs.c's getname), which makes /proc/<pid>/ for a live
 * process that has none yet, removes the directory of one that has
 * ended, and, for /proc itself, brings the whole list up to date, so
 * that a listing of /proc shows exactly the live processes. Nothing
 * happens at fork; at a process's end (proc_table_del) one lookup finds
 * whether it has a directory to remove, so a job that never looks at
 * /proc pays one lookup per process. A file's inode holds no pointer, only (pid, kind) packed in
 * its priv word; each read finds the process in the process table and
 * makes the text from a snapshot (procfs_text.c), so a file whose
 * process has ended reads as ESRCH.
 *
 * Links whose target depends on who asks or on the process's state are
 * answered without a tree entry: /proc/self (the reader's pid, by
 * rewriting "/proc/self/..." paths and by procfs_readlink for the link
 * itself), /proc/<pid>/exe and cwd, and /proc/<pid>/fd/<n>: a path, or
 * "pipe:[N]" and the like for files without one. The fd directory is
 * listed from the process's descriptor table when it is read.
 *
 * The hooks this needs from the path code are two calls (procfs_resolve
 * in getname, procfs_readlink and procfs_follow in readlink and
 * lookup_path); a relative path into /proc from a working directory
 * there is not rewritten (the tree entries are still found).
 */
#define pr_fmt(fmt) "procfs: " fmt

#include <arch/percpu.h>
#include <arch/time.h>
#include <kitten/aspace.h>
#include <kitten/cpio.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kernel.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/proc.h>
#include <kitten/procfs.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/vfs.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define TEXT_MAX	(32 * 1024)
#define PIDS_MAX	1024	/* processes listed in one refresh of /proc */
#define DENTS_MAX	32768

enum pid_file { PF_STATUS, PF_STAT, PF_STATM, PF_MAPS, PF_COMM, PF_CMDLINE,
		PF_ENVIRON, PF_EXE, PF_CWD, PF_FD, NR_PID_FILES };

static const struct file_operations procfs_ops, procfs_fd_dir_ops;

static const struct {
	const char *name;
	uint32_t mode;
	const struct file_operations *fops;
} pid_files[NR_PID_FILES] = {
	[PF_STATUS] = { "status", 0100444, &procfs_ops },
	[PF_STAT] = { "stat", 0100444, &procfs_ops },
	[PF_STATM] = { "statm", 0100444, &procfs_ops },
	[PF_MAPS] = { "maps", 0100444, &procfs_ops },
	[PF_COMM] = { "comm", 0100444, &procfs_ops },
	[PF_CMDLINE] = { "cmdline", 0100444, &procfs_ops },
	[PF_ENVIRON] = { "environ", 0100400, &procfs_ops },
	[PF_EXE] = { "exe", 0120777, &ramfs_file_ops },	/* procfs_readlink */
	[PF_CWD] = { "cwd", 0120777, &ramfs_file_ops },
	[PF_FD] = { "fd", 0040500, &procfs_fd_dir_ops },
};

#define PRIV(pid, kind)	((void *)(uintptr_t)((uint64_t)(pid) << 8 | (kind)))
#define PRIV_PID(priv)	((unsigned)((uintptr_t)(priv) >> 8))
#define PRIV_KIND(priv)	((enum pid_file)((uintptr_t)(priv) & 0xff))

/* --- finding processes ------------------------------------------------ */


static bool alive(unsigned pid)
{
	struct aspace *as = proc_get(pid);

	if (as)
		aspace_put(as);
	return as != NULL;
}

/* The descriptor table of as's threads, referenced; NULL if none. */
static struct fdtable *files_of(struct aspace *as)
{
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);
	struct fdtable *t = NULL;
	struct task *first;

	if (!list_empty(&as->threads)) {
		first = list_first_entry(&as->threads, struct task, thread_node);
		t = first->files;
		if (t)
			fdtable_get(t);
	}
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return t;
}

/* --- the directories -------------------------------------------------- */

static void make_dir(unsigned pid)
{
	char path[48];

	for (int k = 0; k < NR_PID_FILES; k++) {
		snprintf(path, sizeof(path), "/proc/%u/%s", pid, pid_files[k].name);
		ramfs_register(path, pid_files[k].mode, 0, pid_files[k].fops,
			       PRIV(pid, k));
	}
}

static void remove_fd_links(unsigned pid);

static void remove_dir(unsigned pid)
{
	char path[48];

	remove_fd_links(pid);
	for (int k = 0; k < NR_PID_FILES; k++) {
		snprintf(path, sizeof(path), "/proc/%u/%s", pid, pid_files[k].name);
		ramfs_unlink(NULL, path, k == PF_FD);
	}
	snprintf(path, sizeof(path), "/proc/%u", pid);
	ramfs_unlink(NULL, path, true);
}

static bool have_dir(unsigned pid)
{
	char path[48];
	struct inode *n;

	snprintf(path, sizeof(path), "/proc/%u/%s", pid, pid_files[PF_FD].name);
	n = ramfs_lookup_from(NULL, path);
	if (n)
		inode_put(n);
	return n != NULL;
}

/* One process's directory as it should be: there if it lives. */
static void sync_one(unsigned pid)
{
	bool there = have_dir(pid), live = alive(pid);

	if (live && !there)
		make_dir(pid);
	else if (!live && there)
		remove_dir(pid);
}

struct pid_list {
	unsigned n;
	unsigned pid[PIDS_MAX];
};

static int collect(struct aspace *as, void *arg)
{
	struct pid_list *l = arg;

	if (l->n < PIDS_MAX)
		l->pid[l->n++] = as->leader_id;
	return 0;
}

static bool listed(const struct pid_list *l, unsigned pid)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->pid[i] == pid)
			return true;
	return false;
}

/* Call fn(name, arg) for each name in directory path (not . and ..);
 * linux_dirent64's name is at byte 19 of each record. */
static void each_name(const char *path, void (*fn)(const char *name, void *arg),
		      void *arg)
{
	struct inode *dir = ramfs_lookup_from(NULL, path);
	char *buf = dir ? kmem_alloc(DENTS_MAX) : NULL;
	uint64_t pos = 2;	/* past "." and ".." */
	long n;

	while (buf && (n = ramfs_readdir(dir, &pos, buf, DENTS_MAX)) > 0) {
		for (long at = 0; at < n;) {
			uint16_t reclen;

			memcpy(&reclen, buf + at + 16, sizeof(reclen));
			fn(buf + at + 19, arg);
			at += reclen;
		}
	}
	kmem_free(buf);
	if (dir)
		inode_put(dir);
}

static void unlink_fd_link(const char *name, void *arg)
{
	char path[48];

	snprintf(path, sizeof(path), "/proc/%u/fd/%s", *(unsigned *)arg, name);
	ramfs_unlink(NULL, path, false);
}

/* The links sync_fd made. */
static void remove_fd_links(unsigned pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%u/fd", pid);
	each_name(path, unlink_fd_link, &pid);
}

static void prune_one(const char *name, void *arg)
{
	const struct pid_list *l = arg;
	const char *rest;
	char path[32];
	unsigned pid;

	snprintf(path, sizeof(path), "/proc/%s", name);
	pid = procfs_pid_of(path, &rest);
	if (pid && !*rest && !listed(l, pid))
		remove_dir(pid);
}

static void prune_ended(const struct pid_list *l)
{
	each_name("/proc", prune_one, (void *)l);
}

/* /proc listed: a directory for each live process, none for the dead. */
static void sync_all(void)
{
	struct pid_list *l = kmem_zalloc(sizeof(*l));

	if (!l)
		return;
	proc_for_each(collect, l);
	for (unsigned i = 0; i < l->n; i++)
		if (!have_dir(l->pid[i]))
			make_dir(l->pid[i]);
	prune_ended(l);
	kmem_free(l);
}

/* The descriptor that name (its decimal number, maybe followed by more
 * path) names, or -1. */
static int fd_number_of(const char *name)
{
	int fd = 0;

	if (*name < '0' || *name > '9')
		return -1;
	for (; *name >= '0' && *name <= '9'; name++) {
		fd = fd * 10 + (*name - '0');
		if (fd >= FD_MAX)
			return -1;
	}
	return *name && *name != '/' ? -1 : fd;
}

static bool fd_open(unsigned pid, int fd)
{
	struct aspace *as = proc_get(pid);
	struct fdtable *t = as ? files_of(as) : NULL;
	bool open = false;

	if (as)
		aspace_put(as);
	if (t) {
		open = READ_ONCE(t->fd[fd]) != NULL;
		fdtable_put(t);
	}
	return open;
}

/* /proc/<pid>/fd/<n> as it should be: a link if n is open (its target is
 * made by procfs_readlink), nothing if not, so lstat and ls -l work. */
static void sync_fd(unsigned pid, const char *name)
{
	int fd = fd_number_of(name);
	char path[48];
	struct inode *n;

	if (fd < 0)
		return;
	snprintf(path, sizeof(path), "/proc/%u/fd/%d", pid, fd);
	n = ramfs_lookup_from(NULL, path);
	if (n)
		inode_put(n);
	if (fd_open(pid, fd) && !n)
		ramfs_create(path, CPIO_S_IFLNK | 0700, NULL, 0, NULL);
	else if (!fd_open(pid, fd) && n)
		ramfs_unlink(NULL, path, false);
}

void procfs_process_exit(unsigned pid)
{
	if (pid && have_dir(pid))
		remove_dir(pid);
}

static unsigned my_pid(void)
{
	struct task *t = task_current();

	return t->aspace ? t->aspace->leader_id : t->id;
}

int procfs_resolve(char *path, size_t size)
{
	const char *rest;
	unsigned pid;
	int err;

	if (strncmp(path, "/proc", 5) || (path[5] && path[5] != '/'))
		return 0;
	err = procfs_rewrite_self(path, size, my_pid(), false);
	if (err < 0)
		return err;
	if (!path[5] || !path[6]) {	/* "/proc" or "/proc/": a listing */
		sync_all();
		return 0;
	}
	pid = procfs_pid_of(path, &rest);
	if (pid)
		sync_one(pid);
	if (pid && !strncmp(rest, "/fd/", 4))
		sync_fd(pid, rest + 4);
	return 0;
}

/* --- the links --------------------------------------------------------- */

/* What an open file is called: its path, or its kind and a number. */
static long describe(struct file *f, char *buf, size_t size)
{
	if (f->inode) {
		long len = vfs_path(f->inode, buf, size);

		if (len == -ENOENT)
			return snprintf(buf, size, "(deleted)");
		return len < 0 ? len : len - 1;
	}
	if (f->ops == &tty_console_ops || f->ops == &tty_kmsg_ops)
		return snprintf(buf, size, "/dev/console");
	if (f->ops->anon_name)
		return snprintf(buf, size, "%s:[%lu]", f->ops->anon_name,
				((uintptr_t)f->priv >> 6) & 0xffffffff);
	return snprintf(buf, size, "anon_inode:[unknown]");
}

static long fd_link(struct aspace *as, const char *num, char *buf, size_t size)
{
	struct fdtable *t = files_of(as);
	struct file *f = NULL;
	unsigned long flags;
	unsigned fd = 0;
	long len;

	for (const char *p = num; *p; p++) {
		if (*p < '0' || *p > '9' || fd >= FD_MAX)
			fd = FD_MAX;
		else
			fd = fd * 10 + (*p - '0');
	}
	if (!t)
		return -ENOENT;
	if (*num && fd < FD_MAX) {
		flags = spin_lock_irqsave(&t->lock);
		f = t->fd[fd];
		if (f)
			__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
		spin_unlock_irqrestore(&t->lock, flags);
	}
	fdtable_put(t);
	if (!f)
		return -ENOENT;
	len = describe(f, buf, size);
	file_put(f);
	return len;
}

static long cwd_link(struct aspace *as, char *buf, size_t size)
{
	struct fdtable *t = files_of(as);
	struct inode *dir = NULL;
	unsigned long flags;
	long len;

	if (!t)
		return -ENOENT;
	flags = spin_lock_irqsave(&t->lock);
	dir = t->cwd;
	if (dir)
		inode_get(dir);
	spin_unlock_irqrestore(&t->lock, flags);
	fdtable_put(t);
	if (!dir)
		return snprintf(buf, size, "/");
	len = vfs_path(dir, buf, size);
	inode_put(dir);
	return len < 0 ? len : len - 1;
}

long procfs_readlink(const char *path, char *buf, size_t size)
{
	struct aspace *as;
	const char *rest;
	unsigned pid;
	long len;

	if (!strcmp(path, "/proc/self"))
		return snprintf(buf, size, "%u", my_pid());
	pid = procfs_pid_of(path, &rest);
	if (!pid || (strcmp(rest, "/exe") && strcmp(rest, "/cwd") &&
		     strncmp(rest, "/fd/", 4)))
		return PROCFS_NOT_MINE;
	as = proc_get(pid);
	if (!as)
		return -ENOENT;
	if (!strcmp(rest, "/exe"))
		len = as->exe[0] ? (long)strlcpy(buf, as->exe, size) : -ENOENT;
	else if (!strcmp(rest, "/cwd"))
		len = cwd_link(as, buf, size);
	else
		len = fd_link(as, rest + 4, buf, size);
	aspace_put(as);
	return len > (long)size ? (long)size : len;
}

const char *procfs_follow(const char *path, char *buf, size_t size)
{
	struct aspace *as;
	const char *rest;
	unsigned pid;

	if (!strcmp(path, "/proc/self/exe")) {
		pid = my_pid();
	} else {
		pid = procfs_pid_of(path, &rest);
		if (!pid || strcmp(rest, "/exe"))
			return NULL;
	}
	as = proc_get(pid);
	if (!as)
		return NULL;
	strlcpy(buf, as->exe, size);
	aspace_put(as);
	return buf[0] ? buf : NULL;
}

/* --- the files' text --------------------------------------------------- */

/* The command: the program's file name, as Linux's comm, 15 at most. */
static void command_of(struct aspace *as, const char *task_name, char *out)
{
	const char *slash = strrchr(as->exe, '/');
	const char *name = as->exe[0] ? (slash ? slash + 1 : as->exe) : task_name;

	strlcpy(out, name, TASK_NAME_MAX);
}

/* Mapped bytes of [start, end): what the page tables hold. */
static uint64_t mapped_bytes(struct aspace *as, vaddr_t start, vaddr_t end)
{
	uint64_t total = 0;

	for (vaddr_t va = start; va < end;) {
		uint64_t size = PAGE_SIZE;
		paddr_t pa;

		if (aspace_virt_to_phys(as, va, &pa, &size) == 0)
			total += MIN(size - (va & (size - 1)), end - va);
		else
			size = PAGE_SIZE;
		va = ALIGN_DOWN(va, size) + size;
	}
	return total;
}

static void snapshot(struct aspace *as, struct procfs_process *p, char *name,
		     uint32_t *groups)
{
	struct cred c;
	struct region *r;
	struct task *t, *first = NULL;
	unsigned long flags;
	bool running = false;

	cred_get(as, &c);
	memcpy(groups, c.groups, c.ngroups * sizeof(*groups));
	*p = (struct procfs_process){
		.pid = as->leader_id, .ppid = as->parent_pid,
		.pgid = proc_pgid(as), .sid = proc_sid(as),
		.uid = { c.uid, c.euid, c.suid, c.fsuid },
		.gid = { c.gid, c.egid, c.sgid, c.fsgid },
		.ngroups = c.ngroups, .groups = groups, .fd_size = FD_MAX,
		.brk_start = as->brk_start, .vm_data = as->brk_limit - as->brk_start,
		.name = name,
	};
	flags = spin_lock_irqsave(&as->threads_lock);
	list_for_each_entry(t, &as->threads, thread_node) {
		if (!first)
			first = t;
		p->threads++;
		running |= t->state == TASK_RUNNABLE;
		p->utime_ticks += t->runtime_ns / (NSEC_PER_SEC / 100);
	}
	/* A thread that has just run execve may be on the counter and not
	 * yet (or no longer) on the list: the counter is the count. */
	p->threads = MAX(p->threads, READ_ONCE(as->nr_threads));
	if (!first && p->threads && as == task_current()->aspace) {
		first = task_current();
		running = true;
	}
	if (first) {
		command_of(as, first->name, name);
		/* A job the init task started was not forked: its parent is
		 * the task that created it, as getppid() says. */
		if (!p->ppid && first->parent)
			p->ppid = first->parent->id;
		p->sig_pending = first->sig_pending;
		p->sig_blocked = first->sig_blocked;
		p->cpu = first->cpu;
	} else {
		command_of(as, "", name);
	}
	spin_unlock_irqrestore(&as->threads_lock, flags);
	p->state = !p->threads ? 'Z' : running ? 'R' : 'S';
	p->cpus = as->cpu_mask;
	if (!p->cpus)
		for (unsigned i = 0; i < nr_cpus_online && i < 64; i++)
			p->cpus |= 1ULL << i;
	mutex_lock(&as->lock);
	list_for_each_entry(r, &as->regions, node) {
		p->vm_size += r->end - r->start;
		p->vm_rss += mapped_bytes(as, r->start, r->end);
		if (!strcmp(r->name, "stack"))
			p->vm_stack = r->end - r->start;
	}
	mutex_unlock(&as->lock);
}

/* /proc/<pid>/maps: the regions, named as Linux names its own. */
static size_t maps_text(struct aspace *as, char *out, size_t cap)
{
	struct region *r;
	size_t len = 0;

	mutex_lock(&as->lock);
	list_for_each_entry(r, &as->regions, node) {
		bool special = !strcmp(r->name, "stack") || !strcmp(r->name, "heap") ||
			       !strcmp(r->name, "vdso") || !strcmp(r->name, "vvar");
		int n;

		if (len >= cap)
			break;
		n = snprintf(out + len, cap - len,
			     "%08lx-%08lx %c%c%cp 00000000 00:00 0                          %s%s%s\n",
			     r->start, r->end, r->perms & ASPACE_R ? 'r' : '-',
			     r->perms & ASPACE_W ? 'w' : '-',
			     r->perms & ASPACE_X ? 'x' : '-', special ? "[" : "",
			     r->name, special ? "]" : "");
		len = MIN(cap, len + n);
	}
	mutex_unlock(&as->lock);
	return len;
}

/*
 * /proc/<pid>/cmdline and environ: the arguments and the environment as
 * the process has them now, from
 * the block the loader left at the top of its stack (exec.c, the init
 * task): argc, argv[], NULL, envp[], NULL, then the auxiliary vector.
 * Kitten keeps no separate record of where the arguments are, so the
 * block is found from the auxiliary vector's AT_RANDOM entry (its value
 * points at the stack's top, where the strings are: every string lies
 * above the vectors) and checked (argc must count the pointers, each
 * pointing above the vectors) before anything is used;
 * a process that overwrote it reads as empty, as a kernel thread does.
 */
#define ARGS_SCAN	(64 * 1024)	/* of the stack's top, at most */
#define AT_RANDOM	25

/* Copy [va, va + len) of as through the direct map; as->lock held. */
static bool read_user_of(struct aspace *as, vaddr_t va, char *buf, size_t len)
{
	while (len) {
		size_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		paddr_t pa;

		if (!aspace_range_ok(as, va, n, ASPACE_R) ||
		    aspace_virt_to_phys(as, va, &pa, NULL))
			return false;
		memcpy(buf, __va(pa), n);
		buf += n, va += n, len -= n;
	}
	return true;
}

/* Copy n strings whose addresses are at ptrs into out, each with its NUL. */
static size_t strings_out(const uint64_t *w, vaddr_t base, vaddr_t top,
			  const uint64_t *ptrs, size_t n, char *out, size_t cap)
{
	size_t len = 0;

	for (size_t a = 0; a < n; a++) {
		const char *str = (const char *)w + (ptrs[a] - base);
		size_t sn = strnlen(str, top - ptrs[a]);

		if (len + sn + 1 > cap)
			break;
		memcpy(out + len, str, sn);
		out[len + sn] = '\0';
		len += sn + 1;
	}
	return len;
}

static long args_from(const uint64_t *w, size_t nwords, vaddr_t base,
		      bool env, char *out, size_t cap)
{
	vaddr_t top = base + nwords * 8, strings;
	size_t i, j, k, m, argc = 0;
	bool found = false;

	for (i = nwords - 1; i-- > 0;)
		if (w[i] == AT_RANDOM && w[i + 1] >= base && w[i + 1] + 16 <= top) {
			found = true;
			break;
		}
	if (!found)
		return 0;
	strings = base + (i + 2) * 8;	/* above the AT_RANDOM pair */
#define IS_STRING(v) ((v) >= strings && (v) < top)
	for (j = i; j >= 2 && w[j - 2] >= 1 && w[j - 2] < 64; j -= 2)
		;			/* back to the first auxv pair */
	if (j < 2 || w[j - 1] != 0)	/* envp's NULL */
		return 0;
	for (k = j - 2; k > 0 && IS_STRING(w[k]); k--)
		;			/* the environment's pointers */
	if (w[k] != 0)			/* argv's NULL */
		return 0;
	for (m = k; m > 0 && IS_STRING(w[m - 1]); m--)
		argc++;
	if (!m || w[m - 1] != argc)
		return 0;
#undef IS_STRING
	if (env)
		return strings_out(w, base, top, w + k + 1, j - 2 - k, out, cap);
	return strings_out(w, base, top, w + m, argc, out, cap);
}

static long cmdline_text(struct aspace *as, bool env, char *out, size_t cap)
{
	vaddr_t lo = 0, hi = 0, base;
	struct region *r;
	char *buf;
	long len = 0;

	mutex_lock(&as->lock);
	list_for_each_entry(r, &as->regions, node)
		if (!strcmp(r->name, "stack"))
			lo = r->start, hi = r->end;
	base = hi - lo > ARGS_SCAN ? hi - ARGS_SCAN : lo;
	buf = hi ? kmem_alloc(hi - base) : NULL;
	if (buf && read_user_of(as, base, buf, hi - base))
		len = args_from((const uint64_t *)buf, (hi - base) / 8, base,
				env, out, cap);
	mutex_unlock(&as->lock);
	kmem_free(buf);
	return len;
}

/* Another process's environment is its own business: the same user's
 * (all of its uids), or root's. */
static bool may_read_env(struct aspace *as)
{
	struct cred me, it;

	cred_get(task_current()->aspace, &me);
	cred_get(as, &it);
	return me.euid == 0 ||
	       (me.uid == it.uid && me.uid == it.euid && me.uid == it.suid);
}

static long make_text(unsigned pid, enum pid_file kind, char *out, size_t cap)
{
	struct aspace *as = proc_get(pid);
	struct procfs_process p;
	uint32_t groups[CRED_NGROUPS_MAX];
	char name[TASK_NAME_MAX];
	long len = 0;

	if (!as)
		return -ESRCH;
	if (kind != PF_MAPS && kind != PF_CMDLINE && kind != PF_ENVIRON)
		snapshot(as, &p, name, groups);
	switch (kind) {
	case PF_STATUS:
		len = procfs_status_text(&p, out, cap);
		break;
	case PF_STAT:
		len = procfs_stat_text(&p, out, cap);
		break;
	case PF_STATM:
		len = snprintf(out, cap, "%lu %lu 0 0 0 %lu 0\n", p.vm_size >> 12,
			       p.vm_rss >> 12, p.vm_data >> 12);
		break;
	case PF_COMM:
		len = snprintf(out, cap, "%s\n", name);
		break;
	case PF_MAPS:
		len = maps_text(as, out, cap);
		break;
	case PF_ENVIRON:
		if (!may_read_env(as)) {
			len = -EACCES;
			break;
		}
		/* fall through */
	case PF_CMDLINE:
		len = cmdline_text(as, kind == PF_ENVIRON, out, cap);
		break;
	default:
		len = -EINVAL;
	}
	aspace_put(as);
	return len > (long)cap ? (long)cap : len;
}

static long procfs_read(struct file *f, uint64_t ubuf, uint64_t len,
			uint64_t *pos)
{
	void *priv = f->inode->priv;
	char *text = kmem_alloc(TEXT_MAX);
	long size, ret = 0;

	if (!text)
		return -ENOMEM;
	size = make_text(PRIV_PID(priv), PRIV_KIND(priv), text, TEXT_MAX);
	if (size < 0)
		ret = size;
	else if (*pos < (uint64_t)size) {
		ret = MIN(len, size - *pos);
		if (copy_to_user(ubuf, text + *pos, ret))
			ret = -EFAULT;
		else
			*pos += ret;
	}
	kmem_free(text);
	return ret;
}

/* Generated files have no size: the end is where reading stops. */
static long procfs_lseek(struct file *f, int64_t off, int whence, uint64_t pos)
{
	(void)f;
	return whence == SEEK_END ? -EINVAL : file_seek_in(off, whence, pos, 0);
}

static const struct file_operations procfs_ops = {
	.read = procfs_read,
	.lseek = procfs_lseek,
	.stat = file_stat_inode,
};

/* --- /proc/<pid>/fd ---------------------------------------------------- */

#define DT_DIR	4
#define DT_LNK	10

/* Positions: 0 ".", 1 "..", then 2 + fd. */
static long fd_dir_getdents(struct file *f, uint64_t ubuf, uint64_t len,
			    uint64_t *pos)
{
	unsigned pid = PRIV_PID(f->inode->priv);
	size_t cap = MIN(len, (uint64_t)DENTS_MAX), used = 0;
	bool open[FD_MAX] = { false };
	struct aspace *as = proc_get(pid);
	struct fdtable *t = as ? files_of(as) : NULL;
	uint64_t at = *pos;
	unsigned long flags;
	char *kbuf, name[12];
	long ret;

	if (as)
		aspace_put(as);
	if (!t)
		return 0;	/* the process has ended: an empty listing */
	flags = spin_lock_irqsave(&t->lock);
	for (int fd = 0; fd < FD_MAX; fd++)
		open[fd] = t->fd[fd] != NULL;
	spin_unlock_irqrestore(&t->lock, flags);
	fdtable_put(t);
	kbuf = cap ? kmem_alloc(cap) : NULL;
	if (!kbuf)
		return cap ? -ENOMEM : -EINVAL;
	if (at == 0 &&
	    dirent_emit(kbuf, cap, &used, f->inode->ino, 1, DT_DIR, "."))
		at = 1;
	if (at == 1 && dirent_emit(kbuf, cap, &used, 1, 2, DT_DIR, ".."))
		at = 2;
	for (; at >= 2 && at < 2 + FD_MAX; at++) {
		if (!open[at - 2])
			continue;
		snprintf(name, sizeof(name), "%lu", at - 2);
		if (!dirent_emit(kbuf, cap, &used, 0x10000 + at, at + 1, DT_LNK,
				 name))
			break;
	}
	if (!used && at < 2 + FD_MAX) {
		kmem_free(kbuf);
		return -EINVAL;	/* not even one record fits */
	}
	ret = used && copy_to_user(ubuf, kbuf, used) ? -EFAULT : (long)used;
	if (ret >= 0)
		*pos = at;
	kmem_free(kbuf);
	return ret;
}

static const struct file_operations procfs_fd_dir_ops = {
	.lseek = procfs_lseek,
	.getdents = fd_dir_getdents,
	.stat = file_stat_inode,
};

void procfs_init(void)
{
	/* The link itself; its target is the reader's (procfs_readlink). */
	int err = ramfs_create("/proc/self", CPIO_S_IFLNK | 0777, NULL, 0, NULL);

	if (err)
		pr_err("/proc/self: cannot create (error %d)\n", err);
}
