// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's credential rules (kitten/kernel/cred.c), case by case as the
 * setuid(2), setreuid(2), setresuid(2), setgroups(2) and kill(2) manual
 * pages state them; every refusal leaves the credentials as they were.
 */
#include "support.h"

#include <string.h>
#include <kitten/cred.h>
#include <kitten/errno.h>

#define U CRED_ID_UNCHANGED

static void ids(const struct cred *c, uint32_t r, uint32_t e, uint32_t s)
{
	assert_int_equal(c->uid, r);
	assert_int_equal(c->euid, e);
	assert_int_equal(c->suid, s);
	assert_int_equal(c->fsuid, e);
}

static void root_setuid_drops_everything(void **state)
{
	struct cred c;

	(void)state;
	cred_init(&c, 0, 0, KITTEN_CAP_KILL);
	assert_true(cred_capable(&c, KITTEN_CAP_VM_PASSTHROUGH));
	assert_int_equal(cred_setuid(&c, 1000), 0);
	ids(&c, 1000, 1000, 1000);
	assert_int_equal(c.caps, 0);	/* gave up root: and every capability */
	assert_false(cred_capable(&c, KITTEN_CAP_KILL));
	assert_int_equal(cred_setuid(&c, 0), -EPERM);
	ids(&c, 1000, 1000, 1000);
}

static void unprivileged_setuid(void **state)
{
	struct cred c;

	(void)state;
	cred_init(&c, 1000, 1000, 0);
	assert_int_equal(cred_setuid(&c, 0), -EPERM);
	ids(&c, 1000, 1000, 1000);
	assert_int_equal(cred_setuid(&c, 1000), 0);
	/* Real 1000, effective 2000, saved 2000 (a set-user-id program). */
	c.euid = c.suid = c.fsuid = 2000;
	assert_int_equal(cred_setuid(&c, 1000), 0);	/* the real uid */
	ids(&c, 1000, 1000, 2000);
	assert_int_equal(cred_setuid(&c, 2000), 0);	/* the saved uid */
	ids(&c, 1000, 2000, 2000);
	assert_int_equal(cred_setuid(&c, 3000), -EPERM);
	ids(&c, 1000, 2000, 2000);
}

static void setreuid_rules(void **state)
{
	struct cred c;

	(void)state;
	cred_init(&c, 0, 0, 0);
	assert_int_equal(cred_setreuid(&c, 1000, 2000), 0);
	ids(&c, 1000, 2000, 2000);	/* a real uid set: saved follows */
	assert_int_equal(cred_setreuid(&c, 2000, 1000), 0);	/* swap */
	ids(&c, 2000, 1000, 1000);
	assert_int_equal(cred_setreuid(&c, 3000, U), -EPERM);
	assert_int_equal(cred_setreuid(&c, U, 3000), -EPERM);
	ids(&c, 2000, 1000, 1000);
	/* Effective back to the real one: the saved uid stays. */
	assert_int_equal(cred_setreuid(&c, U, 2000), 0);
	ids(&c, 2000, 2000, 1000);
}

static void setresuid_rules(void **state)
{
	struct cred c;

	(void)state;
	cred_init(&c, 0, 0, 0);
	assert_int_equal(cred_setresuid(&c, 1000, 1000, 0), 0);
	ids(&c, 1000, 1000, 0);
	assert_int_equal(cred_setresuid(&c, U, 0, U), 0);	/* via saved */
	ids(&c, 1000, 0, 0);
	assert_int_equal(cred_setresuid(&c, 2000, 2000, 2000), 0);
	ids(&c, 2000, 2000, 2000);
	assert_int_equal(cred_setresuid(&c, U, 0, U), -EPERM);
	assert_int_equal(cred_setresuid(&c, U, U, U), 0);
	ids(&c, 2000, 2000, 2000);
}

static void capability_instead_of_root(void **state)
{
	struct cred c;

	(void)state;
	cred_init(&c, 1000, 1000, KITTEN_CAP_SETUID);
	assert_int_equal(cred_setuid(&c, 5), 0);	/* any uid */
	ids(&c, 5, 5, 5);
	assert_int_equal(c.caps, KITTEN_CAP_SETUID);	/* never had root */
	assert_int_equal(cred_setgid(&c, 0), -EPERM);	/* not setgid */
	assert_false(cred_capable(&c, KITTEN_CAP_VM_PASSTHROUGH));
}

static void gid_rules(void **state)
{
	uint32_t groups[3] = { 1, 2, 3 };
	struct cred c;

	(void)state;
	cred_init(&c, 1000, 100, 0);
	assert_int_equal(cred_setgid(&c, 0), -EPERM);
	assert_int_equal(cred_setregid(&c, U, 0), -EPERM);
	assert_int_equal(cred_setresgid(&c, 0, U, U), -EPERM);
	assert_int_equal(cred_setgroups(&c, 3, groups), -EPERM);
	assert_int_equal(c.gid, 100);
	assert_int_equal(c.ngroups, 0);
	cred_init(&c, 0, 0, 0);
	assert_int_equal(cred_setgroups(&c, 3, groups), 0);
	assert_int_equal(c.ngroups, 3);
	assert_int_equal(cred_setgroups(&c, CRED_NGROUPS_MAX + 1, groups), -EINVAL);
	assert_int_equal(cred_setresgid(&c, 10, 20, 30), 0);
	assert_int_equal(c.gid, 10);
	assert_int_equal(c.egid, 20);
	assert_int_equal(c.sgid, 30);
	assert_int_equal(c.fsgid, 20);
}

static void fs_ids(void **state)
{
	struct cred c;

	(void)state;
	cred_init(&c, 1000, 1000, 0);
	assert_int_equal(cred_setfsuid(&c, 0), 1000);	/* refused: old value */
	assert_int_equal(c.fsuid, 1000);
	cred_init(&c, 0, 0, 0);
	assert_int_equal(cred_setfsuid(&c, 7), 0);
	assert_int_equal(c.fsuid, 7);
}

static void who_may_signal_whom(void **state)
{
	struct cred a, b;

	(void)state;
	cred_init(&a, 1000, 1000, 0);
	cred_init(&b, 2000, 2000, 0);
	assert_false(cred_may_signal(&a, &b));
	b.suid = 1000;			/* the target's saved uid */
	assert_true(cred_may_signal(&a, &b));
	b.suid = 2000;
	a.euid = 2000;			/* the sender's effective uid */
	assert_true(cred_may_signal(&a, &b));
	a.euid = 1000;
	b.euid = 1000;			/* the target's effective: not enough */
	assert_false(cred_may_signal(&a, &b));
	a.caps = KITTEN_CAP_KILL;
	assert_true(cred_may_signal(&a, &b));
	cred_init(&a, 0, 0, 0);
	assert_true(cred_may_signal(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_setuid_drops_everything),
		cmocka_unit_test(unprivileged_setuid),
		cmocka_unit_test(setreuid_rules),
		cmocka_unit_test(setresuid_rules),
		cmocka_unit_test(capability_instead_of_root),
		cmocka_unit_test(gid_rules),
		cmocka_unit_test(fs_ids),
		cmocka_unit_test(who_may_signal_whom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
