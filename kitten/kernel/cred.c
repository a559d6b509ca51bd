// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's rules for changing credentials (setuid(2), setreuid(2),
 * setresuid(2), their gid twins, setgroups(2)) and for who may signal
 * whom (kill(2)), as pure functions on a struct cred. They know nothing
 * of tasks or locks, so the system calls (sys_cred.c) and the signal code
 * share one statement of each rule, and host unit tests can check them.
 *
 * A privileged change (one Linux allows only with CAP_SETUID/CAP_SETGID)
 * needs effective uid 0 or the job's KITTEN_CAP_SETUID/SETGID bit; an
 * unprivileged one may only move ids among the real, effective and saved
 * ones the process already has.
 */
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/string.h>

void cred_init(struct cred *c, uint32_t uid, uint32_t gid, uint64_t caps)
{
	memset(c, 0, sizeof(*c));
	c->uid = c->euid = c->suid = c->fsuid = uid;
	c->gid = c->egid = c->sgid = c->fsgid = gid;
	c->caps = caps & KITTEN_CAP_ALL;
}

bool cred_capable(const struct cred *c, uint64_t cap)
{
	return c->euid == 0 || (c->caps & cap) == cap;
}

/* id is one of the three the process holds (what an unprivileged change
 * may pick from). */
static bool one_of(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a || id == b || id == c;
}

/* The same, or "-1" (leave it): setresuid's test for each argument. */
static bool keeps(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == CRED_ID_UNCHANGED || one_of(id, a, b, c);
}

/*
 * Linux's cap_emulate_setxuid(): a process that held uid 0 in any of its
 * real, effective or saved uid and now holds it in none has given up
 * root, and with it every capability.
 */
static void drop_caps_on_leaving_root(struct cred *c, const struct cred *old)
{
	if ((old->uid == 0 || old->euid == 0 || old->suid == 0) &&
	    c->uid != 0 && c->euid != 0 && c->suid != 0)
		c->caps = 0;
}

int cred_setuid(struct cred *c, uint32_t uid)
{
	struct cred old = *c;

	if (uid == CRED_ID_UNCHANGED)
		return -EINVAL;
	if (cred_capable(c, KITTEN_CAP_SETUID))
		c->uid = c->suid = uid;
	else if (uid != c->uid && uid != c->suid)
		return -EPERM;
	c->euid = c->fsuid = uid;
	drop_caps_on_leaving_root(c, &old);
	return 0;
}

int cred_setreuid(struct cred *c, uint32_t ruid, uint32_t euid)
{
	struct cred old = *c;
	bool priv = cred_capable(c, KITTEN_CAP_SETUID);

	if (ruid != CRED_ID_UNCHANGED && !priv && ruid != c->uid &&
	    ruid != c->euid)
		return -EPERM;
	if (euid != CRED_ID_UNCHANGED && !priv &&
	    !one_of(euid, c->uid, c->euid, c->suid))
		return -EPERM;
	if (ruid != CRED_ID_UNCHANGED)
		c->uid = ruid;
	if (euid != CRED_ID_UNCHANGED)
		c->euid = euid;
	/* The saved uid follows a new effective uid that is not the old
	 * real one, so a set-user-id program cannot switch back later. */
	if (ruid != CRED_ID_UNCHANGED ||
	    (euid != CRED_ID_UNCHANGED && euid != old.uid))
		c->suid = c->euid;
	c->fsuid = c->euid;
	drop_caps_on_leaving_root(c, &old);
	return 0;
}

int cred_setresuid(struct cred *c, uint32_t ruid, uint32_t euid,
		   uint32_t suid)
{
	struct cred old = *c;

	if (!cred_capable(c, KITTEN_CAP_SETUID) &&
	    !(keeps(ruid, c->uid, c->euid, c->suid) &&
	      keeps(euid, c->uid, c->euid, c->suid) &&
	      keeps(suid, c->uid, c->euid, c->suid)))
		return -EPERM;
	if (ruid != CRED_ID_UNCHANGED)
		c->uid = ruid;
	if (euid != CRED_ID_UNCHANGED)
		c->euid = euid;
	if (suid != CRED_ID_UNCHANGED)
		c->suid = suid;
	c->fsuid = c->euid;
	drop_caps_on_leaving_root(c, &old);
	return 0;
}

uint32_t cred_setfsuid(struct cred *c, uint32_t fsuid)
{
	uint32_t old = c->fsuid;

	if (fsuid != CRED_ID_UNCHANGED &&
	    (cred_capable(c, KITTEN_CAP_SETUID) || fsuid == c->fsuid ||
	     one_of(fsuid, c->uid, c->euid, c->suid)))
		c->fsuid = fsuid;
	return old;
}

int cred_setgid(struct cred *c, uint32_t gid)
{
	if (gid == CRED_ID_UNCHANGED)
		return -EINVAL;
	if (cred_capable(c, KITTEN_CAP_SETGID))
		c->gid = c->sgid = gid;
	else if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = gid;
	return 0;
}

int cred_setregid(struct cred *c, uint32_t rgid, uint32_t egid)
{
	uint32_t old_gid = c->gid;
	bool priv = cred_capable(c, KITTEN_CAP_SETGID);

	if (rgid != CRED_ID_UNCHANGED && !priv && rgid != c->gid &&
	    rgid != c->egid)
		return -EPERM;
	if (egid != CRED_ID_UNCHANGED && !priv &&
	    !one_of(egid, c->gid, c->egid, c->sgid))
		return -EPERM;
	if (rgid != CRED_ID_UNCHANGED)
		c->gid = rgid;
	if (egid != CRED_ID_UNCHANGED)
		c->egid = egid;
	if (rgid != CRED_ID_UNCHANGED ||
	    (egid != CRED_ID_UNCHANGED && egid != old_gid))
		c->sgid = c->egid;
	c->fsgid = c->egid;
	return 0;
}

int cred_setresgid(struct cred *c, uint32_t rgid, uint32_t egid,
		   uint32_t sgid)
{
	if (!cred_capable(c, KITTEN_CAP_SETGID) &&
	    !(keeps(rgid, c->gid, c->egid, c->sgid) &&
	      keeps(egid, c->gid, c->egid, c->sgid) &&
	      keeps(sgid, c->gid, c->egid, c->sgid)))
		return -EPERM;
	if (rgid != CRED_ID_UNCHANGED)
		c->gid = rgid;
	if (egid != CRED_ID_UNCHANGED)
		c->egid = egid;
	if (sgid != CRED_ID_UNCHANGED)
		c->sgid = sgid;
	c->fsgid = c->egid;
	return 0;
}

uint32_t cred_setfsgid(struct cred *c, uint32_t fsgid)
{
	uint32_t old = c->fsgid;

	if (fsgid != CRED_ID_UNCHANGED &&
	    (cred_capable(c, KITTEN_CAP_SETGID) || fsgid == c->fsgid ||
	     one_of(fsgid, c->gid, c->egid, c->sgid)))
		c->fsgid = fsgid;
	return old;
}

int cred_setgroups(struct cred *c, unsigned n, const uint32_t *groups)
{
	if (n > CRED_NGROUPS_MAX)
		return -EINVAL;
	if (!cred_capable(c, KITTEN_CAP_SETGID))
		return -EPERM;
	c->ngroups = n;
	memcpy(c->groups, groups, n * sizeof(groups[0]));
	return 0;
}

bool cred_may_signal(const struct cred *sender, const struct cred *target)
{
	return cred_capable(sender, KITTEN_CAP_KILL) ||
	       sender->euid == target->suid || sender->euid == target->uid ||
	       sender->uid == target->suid || sender->uid == target->uid;
}

const char *cred_cap_name(uint64_t cap)
{
	switch (cap) {
	case KITTEN_CAP_SETUID:
		return "setuid";
	case KITTEN_CAP_SETGID:
		return "setgid";
	case KITTEN_CAP_KILL:
		return "kill";
	case KITTEN_CAP_VM_PASSTHROUGH:
		return "vm_passthrough";
	case KITTEN_CAP_RAW_IO:
		return "raw_io";
	case KITTEN_CAP_SYS_TIME:
		return "sys_time";
	case KITTEN_CAP_SYS_PTRACE:
		return "sys_ptrace";
	default:
		return "?";
	}
}
