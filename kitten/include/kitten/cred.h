/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Credentials: who a process is (user and group ids, Linux's real,
 * effective, saved and file-system ids, supplementary groups) and what
 * it may do beyond that (capability bits the job description grants).
 * A process's credentials live in its address space (struct aspace), so
 * its threads share them, fork copies them and execve keeps them.
 *
 * Privilege is Linux's: effective uid 0 may do everything; anyone else
 * needs the capability bit for the operation (KITTEN_CAP_*, named in the
 * job description with cap=NAME). As on Linux, a process that had uid 0
 * and gives up every uid 0 (setuid(1000) as root) loses its capabilities.
 *
 * The functions here are pure rules on a struct cred: the caller holds
 * the owning address space's threads_lock, copies in and out and logs.
 * Each returns 0 or -EPERM (-EINVAL for bad arguments) and leaves the
 * credentials unchanged when it refuses.
 */
#ifndef KITTEN_CRED_H
#define KITTEN_CRED_H

#include <kitten/kitten_abi.h>
#include <kitten/types.h>

#define CRED_NGROUPS_MAX	32
#define CRED_ID_UNCHANGED	((uint32_t)-1)	/* "-1": leave this id alone */

struct cred {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	unsigned ngroups;
	uint32_t groups[CRED_NGROUPS_MAX];
	uint64_t caps;		/* KITTEN_CAP_* bits the job was given */
	uint64_t refused;	/* caps whose refusal has been logged */
};

/* The credentials a job starts with: every id uid or gid, no groups. */
void cred_init(struct cred *c, uint32_t uid, uint32_t gid, uint64_t caps);

/* May c do what capability cap (one KITTEN_CAP_* bit) guards? */
bool cred_capable(const struct cred *c, uint64_t cap);

int cred_setuid(struct cred *c, uint32_t uid);
int cred_setreuid(struct cred *c, uint32_t ruid, uint32_t euid);
int cred_setresuid(struct cred *c, uint32_t ruid, uint32_t euid,
		   uint32_t suid);
/* setfsuid never fails: the old fsuid, and the change only if allowed. */
uint32_t cred_setfsuid(struct cred *c, uint32_t fsuid);
int cred_setgid(struct cred *c, uint32_t gid);
int cred_setregid(struct cred *c, uint32_t rgid, uint32_t egid);
int cred_setresgid(struct cred *c, uint32_t rgid, uint32_t egid,
		   uint32_t sgid);
uint32_t cred_setfsgid(struct cred *c, uint32_t fsgid);
int cred_setgroups(struct cred *c, unsigned n, const uint32_t *groups);

/* Linux's kill() rule: may a process with sender's credentials signal
 * one with target's (real or effective uid of the sender equal to the
 * real or saved uid of the target, or KITTEN_CAP_KILL)? */
bool cred_may_signal(const struct cred *sender, const struct cred *target);

/* The name of one KITTEN_CAP_* bit ("vm_passthrough"), or "?". */
const char *cred_cap_name(uint64_t cap);

/*
 * The calling process (sys_cred.c). cred_check() says whether it may do
 * what cap guards; a refusal is logged once per process and capability,
 * naming what was refused, and the caller returns -EPERM.
 */
struct aspace;
bool cred_check(uint64_t cap, const char *what);
/* A consistent copy of as's credentials. */
void cred_get(struct aspace *as, struct cred *out);

#endif
