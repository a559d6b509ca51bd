// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the init task: unpack the initramfs, and load /init (or
 * init=) through the common loader (exec.c) with memory owned by the init
 * task. Every job after it is the init task's to load.
 */
#define pr_fmt(fmt) "init: " fmt

#include <arch/bootinfo.h>
#include <arch/layout.h>
#include <kitten/aspace.h>
#include <kitten/exec.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/loader.h>
#include <kitten/pmem.h>
#include <kitten/printk.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/task.h>

#define INIT_HEAP	(8ULL << 20)		/* after the image, for brk */
#define MAX_ARGS	32

void initramfs_load(void)
{
	for (unsigned i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		int n = ramfs_unpack(__va(m->start), m->end - m->start);

		pr_info("initramfs %s: %d files\n", m->name[0] ? m->name : "(module)",
			n);
	}
	/* shm_open() and sem_open() make their objects here (shm.h). */
	if (ramfs_create("/dev/shm", 040000 | 01777, NULL, 0, NULL) &&
	    !ramfs_lookup("/dev/shm"))
		pr_warn("cannot make /dev/shm\n");
}

struct task *init_task_start(const char *path, const char *args)
{
	const char *argv[MAX_ARGS] = { path };
	char argbuf[CONFIG_CMDLINE_MAX];
	struct exec_args ea = { .path = path, .argv = argv,
				.heap = INIT_HEAP, .owner = KITTEN_INIT_OWNER };
	struct exec_image image;
	struct fdtable *files;
	struct task *t = NULL;
	struct file *file;
	const char *why = "";
	int argc = 1, err;

	if (exec_open(path, &file)) {
		pr_err("%s: no such file in the initramfs\n", path);
		return NULL;
	}
	/* Split the arguments at spaces. */
	strlcpy(argbuf, args, sizeof(argbuf));
	for (char *p = argbuf; *p && argc < MAX_ARGS - 1;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p)
			argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	ea.argc = argc;
	err = exec_load(file, &ea, &image, &why);
	file_put(file);
	if (err) {
		pr_err("%s: cannot run: %s (error %d)\n", path, why, err);
		return NULL;
	}
	files = fdtable_create(true);
	if (files)
		t = task_create_user("init", image.as, 0, image.entry, image.sp,
				     0, 0, files);
	if (files)
		fdtable_put(files);
	if (t)
		pr_info("started %s (entry %#lx, %s)\n", path, image.entry,
			image.dynamic ? "dynamic" :
			image.pie ? "static-PIE" : "static");
	aspace_put(image.as);	/* the task holds its own reference */
	return t;
}
