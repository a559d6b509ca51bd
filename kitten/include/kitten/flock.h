/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File locks (flock.c): POSIX record locks (fcntl F_SETLK, F_SETLKW,
 * F_GETLK), owned by a process (its descriptor table) and released when
 * it closes any descriptor of the file or exits; and flock() locks, owned
 * by an open file and released with it.
 */
#ifndef KITTEN_FLOCK_H
#define KITTEN_FLOCK_H

#include <kitten/types.h>

struct file;
struct inode;
struct fdtable;

#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7

/* fcntl's lock commands on f with struct flock at user arg. */
long flock_fcntl(struct file *f, unsigned cmd, uint64_t arg);
/* The process owning table t closed a descriptor of inode. */
void flock_close(struct fdtable *t, struct inode *inode);
/* Table t is gone: its process's locks go. */
void flock_table_gone(struct fdtable *t);
/* The last reference to f is gone: its flock() locks go. */
void flock_file_gone(struct file *f);

#endif
