// SPDX-License-Identifier: GPL-2.0
/*
 * Processes for shells and launch scripts: fork, vfork, execve, wait4
 * and pipes. In the LWK way a forked process gets an eager copy of its
 * parent's memory in new, physically contiguous memory, mapped at the
 * same addresses with large pages; there is no copy-on-write and no
 * demand paging. execve loads the new program the same way the init
 * task is loaded.
 *
 * Process groups and sessions are kept as Linux keeps them: a job's
 * first process leads a session and a group of its own, a forked child
 * joins its parent's, setpgid() and setsid() move processes by Linux's
 * rules, and kill() of a group (signal.c) reaches every member.
 */
#define pr_fmt(fmt) "process: " fmt

#include <arch/layout.h>
#include <arch/pgtable.h>
#include <arch/user.h>
#include <arch/time.h>
#include <kitten/aspace.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/exec.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/mmap.h>
#include <kitten/pmem.h>
#include <kitten/poll.h>
#include <kitten/proc.h>
#include <kitten/printk.h>
#include <kitten/ramfs.h>
#include <kitten/sched.h>
#include <kitten/shm.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/vmm.h>
#include <kitten/task.h>

#define WNOHANG		1
#define WUNTRACED	2
#define WSTOPPED	2
#define WEXITED		4
#define WCONTINUED	8
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000
#define O_CLOEXEC_FLAG	02000000
#define MAX_ARGS	256
#define ARG_SPACE	(64 * 1024)
#define SIG_IGN		1

/* Is any page of [va, va+size) mapped? (Skips unmapped tables whole.) */
static bool any_mapped(struct aspace *as, vaddr_t va, uint64_t size)
{
	struct pgtable_stats st;

	pgtable_count(&as->pt, va, size, &st);
	return st.pages_4k || st.pages_2m || st.pages_1g;
}

/*
 * Copy [va, va+size) of the parent to dst. A job may have unmapped pages
 * of a region itself (kitten_aspace_unmap): those read as zeros, and
 * aspace_copy_protection gives them no rights in the child.
 */
static void copy_mapped(struct aspace *parent, void *dst, vaddr_t va,
			uint64_t size)
{
	if (aspace_range_ok(parent, va, size, 0)) {
		memcpy(dst, (const void *)va, size);
		return;
	}
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		if (aspace_range_ok(parent, va + off, PAGE_SIZE, 0))
			memcpy((char *)dst + off, (const void *)(va + off),
			       PAGE_SIZE);
		else
			memset((char *)dst + off, 0, PAGE_SIZE);
	}
}

/* Copy every region of the current process into as, at the same place. */
static int copy_memory(struct aspace *as)
{
	struct aspace *parent = task_current()->aspace;
	struct region *r;
	int err = 0;

	mutex_lock(&parent->lock);
	list_for_each_entry(r, &parent->regions, node) {
		uint64_t size = r->end - r->start;
		uint64_t align = IS_ALIGNED(r->start | size, LARGE_PAGE_SIZE) ?
					 LARGE_PAGE_SIZE : PAGE_SIZE;
		paddr_t pa;

		if (!any_mapped(parent, r->start, size) ||
		    vdso_region(r->start) || r->shm)
			continue;	/* nothing mapped, the child has it, shared */
		err = pmem_alloc(as->owner, size, align, &pa);
		if (!err)
			copy_mapped(parent, __va(pa), r->start, size);
		if (!err)
			err = aspace_add_region(as, r->start, size, r->perms,
						r->name);
		if (!err)
			err = aspace_map_pmem(as, r->start, pa, size);
		if (!err)
			err = aspace_copy_protection(as, r->start, parent,
						     r->start, size);
		if (err)
			break;
	}
	as->brk_start = parent->brk_start;
	as->brk = parent->brk;
	as->brk_limit = parent->brk_limit;
	as->mmap_low = parent->mmap_low;
	if (!err)
		err = mmap_copy(as, parent);
	if (!err)
		err = shm_copy(as, parent);	/* the same pages, not a copy */
	as->cpu_mask = parent->cpu_mask;
	cred_get(parent, &as->cred);
	as->pgid = proc_pgid(parent);	/* the child joins the parent's group */
	as->sid = proc_sid(parent);
	as->parent_pid = parent->leader_id;
	as->job_id = parent->job_id;
	memcpy(as->sigactions, parent->sigactions, sizeof(as->sigactions));
	memcpy(as->exe, parent->exe, sizeof(as->exe));
	mutex_unlock(&parent->lock);
	return err;
}

struct task *process_fork(void)
{
	struct task *self = task_current();
	struct fdtable *files;
	struct aspace *as;
	struct task *child;
	long err;

	if (!self->aspace)
		return ERR_TASK(-EINVAL);
	err = aspace_create(0, &as);
	if (err)
		return ERR_TASK(err);
	as->owner = as->id;
	as->owns_memory = true;
	err = copy_memory(as);
	if (err) {
		aspace_put(as);
		return ERR_TASK(err);
	}
	files = fdtable_clone(self->files);
	if (!files) {
		aspace_put(as);
		return ERR_TASK(-ENOMEM);
	}
	child = task_fork(as, files);
	fdtable_put(files);
	aspace_put(as);
	return child ? child : ERR_TASK(-ENOMEM);
}

static long do_fork(void)
{
	struct task *child = process_fork();

	if (IS_ERR_TASK(child))
		return PTR_ERR_TASK(child);
	sched_enqueue_new(child);
	return child->id;
}

SYSCALL_DEFINE0(fork)
{
	return do_fork();
}

/* The child gets a copy, so the parent need not wait for it to exec. */
SYSCALL_DEFINE0(vfork)
{
	return do_fork();
}

/* A NULL-terminated array of user strings, copied into space. */
static int copy_strings(uint64_t uarray, const char **out, int max,
			char *space, size_t *used)
{
	int n = 0;

	for (; uarray; n++) {
		uint64_t str;
		long len;

		if (n == max)
			return -E2BIG;
		if (copy_from_user(&str, uarray + n * 8, 8))
			return -EFAULT;
		if (!str)
			break;
		len = strncpy_from_user(space + *used, str, ARG_SPACE - *used);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : len;
		out[n] = space + *used;
		*used += len + 1;
	}
	return n;
}

SYSCALL_DEFINE3(execve, uint64_t, path, uint64_t, argv_ptr, uint64_t, envp_ptr)
{
	struct task *t = task_current();
	struct aspace *old = t->aspace;
	const char **argv = kmem_alloc(2 * MAX_ARGS * sizeof(char *));
	char *space = kmem_alloc(ARG_SPACE);
	struct exec_args ea = { 0 };
	struct exec_image image;
	struct file *file = NULL;
	struct cred cred;
	const char *why = "", *file_path;
	size_t used = 0;
	long len, err;
	int argc, envc;

	err = -ENOMEM;
	if (!argv || !space)
		goto out;
	len = strncpy_from_user(space, path, ARG_SPACE);
	err = len < 0 ? len : len == 0 ? -ENOENT : 0;
	if (err)
		goto out;
	used = len + 1;
	argc = copy_strings(argv_ptr, argv, MAX_ARGS, space, &used);
	envc = argc < 0 ? 0 : copy_strings(envp_ptr, argv + MAX_ARGS, MAX_ARGS,
					   space, &used);
	err = argc < 0 ? argc : envc < 0 ? envc : 0;
	if (err)
		goto out;
	err = exec_open(space, &file);
	if (err)
		goto out;
	/* /proc/self/exe resolves to the program: keep the real path. */
	file_path = strcmp(space, "/proc/self/exe") ? space : old->exe;
	if (old->nr_threads > 1) {
		pr_warn("%s: execve with other threads running is not supported\n",
			t->name);
		err = -EBUSY;
		goto out;
	}
	/* The new program gets as much heap as this one had. */
	cred_get(old, &cred);
	ea = (struct exec_args){ .path = space, .argv = argv, .argc = argc,
				 .envp = argv + MAX_ARGS, .envc = envc,
				 .heap = old->brk_limit - old->brk_start,
				 .cred = &cred };
	err = exec_load(file, &ea, &image, &why);
	if (err)
		goto out;
	for (int sig = 0; sig < NSIG; sig++)	/* handlers do not survive */
		if (old->sigactions[sig].handler != SIG_IGN)
			image.as->sigactions[sig].handler = 0;
		else
			image.as->sigactions[sig].handler = SIG_IGN;
	image.as->cpu_mask = old->cpu_mask;
	image.as->cred = cred;		/* the same process: same ids */
	image.as->pgid = old->pgid;
	image.as->sid = old->sid;
	image.as->parent_pid = old->parent_pid;
	image.as->job_id = old->job_id;
	strlcpy(image.as->exe, file_path, sizeof(image.as->exe));
	vm_release_owned(old);	/* a VM ends with the program that made it */
	task_switch_aspace(image.as);
	aspace_put(image.as);	/* the task holds its own reference now */
	fdtable_close_on_exec(t->files);
	strlcpy(t->name, argv[0] ? argv[0] : space, sizeof(t->name));
	t->fs_base = 0;
	user_set_tls(0);
	t->clear_child_tid = 0;
	fpu_init_state(t->fpu);
	fpu_restore(t->fpu);
	user_frame_init(task_user_frame(t), image.entry, image.sp, 0, 0);
out:
	if (file)
		file_put(file);
	kmem_free(argv);
	kmem_free(space);
	return err;	/* 0 becomes the new program's rax */
}

/* Linux's pid argument of wait4: a pid, a group (< -1 or 0: ours), any. */
static struct child_match match_of(int pid)
{
	if (pid > 0)
		return (struct child_match){ .id = pid };
	if (pid == 0)
		return (struct child_match){
			.pgid = proc_pgid(task_current()->aspace) };
	if (pid < -1)
		return (struct child_match){ .pgid = -pid };
	return (struct child_match){ 0 };
}

/* struct rusage: user and system time, then 14 counters Kitten lacks. */
static int rusage_to_user(uint64_t buf, uint64_t ns)
{
	int64_t ru[18] = { 0 };

	ru[0] = ns / NSEC_PER_SEC;		/* ru_utime */
	ru[1] = (ns % NSEC_PER_SEC) / 1000;
	return copy_to_user(buf, ru, sizeof(ru));
}

SYSCALL_DEFINE4(wait4, int, pid, uint64_t, status_ptr, uint64_t, options,
		uint64_t, rusage)
{
	struct child_match m = match_of(pid);
	struct child_exit c;
	int wstatus, ret;

	if (options & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | __WALL |
				  __WCLONE | __WNOTHREAD))
		return -EINVAL;
	ret = task_wait_child(&m, &c, options & WNOHANG, false);
	if (ret <= 0)
		return ret;
	wstatus = c.signal ? (c.signal & 0x7f) : ((c.status & 0xff) << 8);
	if (status_ptr && copy_to_user(status_ptr, &wstatus, sizeof(wstatus)))
		return -EFAULT;
	if (rusage && rusage_to_user(rusage, c.runtime_ns))
		return -EFAULT;
	return ret;
}

/* The part of siginfo_t waitid() fills in (128 bytes in all). */
struct waitid_info {
	int32_t signo, errno_, code, pad;
	int32_t pid;
	uint32_t uid;
	int32_t status;
	char rest[100];
};

#define P_ALL	0
#define P_PID	1
#define P_PGID	2

SYSCALL_DEFINE5(waitid, int, idtype, int, id, uint64_t, info_ptr, int,
		options, uint64_t, rusage)
{
	struct waitid_info info = { 0 };
	struct child_match m;
	struct child_exit c;
	int ret;

	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT |
			__WALL | __WCLONE | __WNOTHREAD) ||
	    !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype == P_PID && id > 0)
		m = (struct child_match){ .id = id };
	else if (idtype == P_PGID && id >= 0)
		m = match_of(-id);	/* 0: the caller's group */
	else if (idtype == P_ALL)
		m = (struct child_match){ 0 };
	else
		return -EINVAL;
	/* Kitten stops no process, so only exits are ever reported. */
	if (!(options & WEXITED))
		return options & WNOHANG ? 0 : -ECHILD;
	ret = task_wait_child(&m, &c, options & WNOHANG, options & WNOWAIT);
	if (ret < 0)
		return ret;
	if (ret > 0) {
		info.signo = SIGCHLD;
		info.code = c.signal ? CLD_KILLED : CLD_EXITED;
		info.pid = c.id;
		info.status = c.signal ? c.signal : (c.status & 0xff);
	}
	/* Nothing ended with WNOHANG: si_pid 0 says so, as on Linux. */
	if (info_ptr && copy_to_user(info_ptr, &info, sizeof(info)))
		return -EFAULT;
	if (rusage && rusage_to_user(rusage, ret > 0 ? c.runtime_ns : 0))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(pipe2, uint64_t, fds_ptr, uint64_t, flags)
{
	struct file *r, *w;
	int fds[2];
	long err;

	if (flags & ~(uint64_t)(O_CLOEXEC_FLAG | O_NONBLOCK))
		return -EINVAL;
	err = pipe_create(&r, &w);
	if (err)
		return err;
	r->flags |= flags & O_NONBLOCK;
	w->flags |= flags & O_NONBLOCK;
	fds[0] = fd_install(r, 0, flags & O_CLOEXEC_FLAG);
	fds[1] = fds[0] < 0 ? -1 : fd_install(w, 0, flags & O_CLOEXEC_FLAG);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			fd_close(fds[0]);
		else
			file_put(r);
		file_put(w);
		return -EMFILE;
	}
	if (copy_to_user(fds_ptr, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(pipe, uint64_t, fds_ptr)
{
	return do_sys_pipe2(fds_ptr, 0);
}

/* --- process groups and sessions --------------------------------------- */

/* What setpgid/getpgid/getsid learn about the processes in one walk. */
struct pg_scan {
	unsigned pid;		/* the process asked about */
	unsigned pgid;		/* a group asked about, or 0 */
	unsigned sid;		/* the session that group must be in */
	bool any_session;	/* or the group in any session */
	bool found, group_found;
	unsigned found_pgid, found_sid, found_parent;
};

static int pg_scan_one(struct aspace *as, void *arg)
{
	struct pg_scan *s = arg;

	if (as->leader_id == s->pid && !s->found) {
		s->found = true;
		s->found_pgid = proc_pgid(as);
		s->found_sid = proc_sid(as);
		s->found_parent = as->parent_pid;
	}
	if (s->pgid && proc_pgid(as) == s->pgid &&
	    (s->any_session || proc_sid(as) == s->sid))
		s->group_found = true;
	return 0;
}

static void pg_scan(struct pg_scan *s)
{
	proc_for_each(pg_scan_one, s);
}

SYSCALL_DEFINE1(getpgid, uint64_t, pid)
{
	struct pg_scan s = { .pid = pid };

	if (!pid)
		return proc_pgid(task_current()->aspace);
	if ((int)pid < 0)
		return -ESRCH;
	pg_scan(&s);
	return s.found ? (long)s.found_pgid : -ESRCH;
}

SYSCALL_DEFINE0(getpgrp)
{
	return proc_pgid(task_current()->aspace);
}

SYSCALL_DEFINE1(getsid, uint64_t, pid)
{
	struct pg_scan s = { .pid = pid };

	if (!pid)
		return proc_sid(task_current()->aspace);
	if ((int)pid < 0)
		return -ESRCH;
	pg_scan(&s);
	return s.found ? (long)s.found_sid : -ESRCH;
}

struct pg_move {
	unsigned pid, pgid, sid;
};

static int pg_move_one(struct aspace *as, void *arg)
{
	struct pg_move *m = arg;

	if (as->leader_id != m->pid)
		return 0;
	as->pgid = m->pgid;
	if (m->sid)
		as->sid = m->sid;
	return 1;
}

/*
 * Linux's rules: the caller may move itself or a child of its own in
 * its session that does not lead a session, into a new group named by
 * that process's pid or into a group that exists in the session. (A
 * child that has called execve may still be moved: exec is not tracked.)
 */
SYSCALL_DEFINE2(setpgid, uint64_t, pid, uint64_t, pgid)
{
	struct aspace *self = task_current()->aspace;
	struct pg_scan s;
	struct pg_move m;

	if ((int)pgid < 0 || (int)pid < 0)
		return -EINVAL;
	if (!pid)
		pid = self->leader_id;
	if (!pgid)
		pgid = pid;
	s = (struct pg_scan){ .pid = pid, .pgid = pgid, .sid = proc_sid(self) };
	pg_scan(&s);
	if (!s.found || (pid != self->leader_id &&
			 s.found_parent != self->leader_id))
		return -ESRCH;
	if (s.found_sid != proc_sid(self) || s.found_sid == pid)
		return -EPERM;	/* another session, or a session leader */
	if (pgid != pid && !s.group_found)
		return -EPERM;
	m = (struct pg_move){ .pid = pid, .pgid = pgid };
	return proc_for_each(pg_move_one, &m) ? 0 : -ESRCH;
}

/* A new session and group led by the caller, unless it leads a group. */
SYSCALL_DEFINE0(setsid)
{
	struct aspace *self = task_current()->aspace;
	unsigned pid = self->leader_id;
	struct pg_scan s = { .pid = pid, .pgid = pid, .any_session = true };
	struct pg_move m = { .pid = pid, .pgid = pid, .sid = pid };

	pg_scan(&s);	/* a group named by the caller's pid, anywhere */
	if (s.group_found)
		return -EPERM;
	proc_for_each(pg_move_one, &m);
	return pid;
}
