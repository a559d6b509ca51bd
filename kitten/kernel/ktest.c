// SPDX-License-Identifier: GPL-2.0
/*
 * The self-test runner. Its output is KTAP version 1, nested one level:
 * the top level has one result per suite, each suite one result per case.
 * The host-side runner (tools/ktap-count) counts the case lines.
 */
#include <arch/time.h>
#include <kitten/ktest.h>
#include <kitten/printk.h>
#include <kitten/string.h>

extern const struct ktest_suite __ktest_suites_start[];
extern const struct ktest_suite __ktest_suites_end[];

void ktest_fail(struct ktest *t, const char *file, int line,
		const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "    # %s: %s at %s:%d\n", t->case_name, msg, file,
	       line);
	t->failures++;
}

/* Is the suite an element of the comma-separated list? */
static bool selected(const char *list, const struct ktest_suite *s)
{
	const char *name = s->name;
	size_t len = strlen(name);

	if (strcmp(list, "all") == 0)
		return !s->named_only;
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n == len && strncmp(p, name, len) == 0)
			return true;
		p += n + (comma ? 1 : 0);
	}
	return false;
}

static unsigned run_suite(const struct ktest_suite *s, unsigned index)
{
	unsigned failed = 0;

	printk(KERN_EMERG "    KTAP version 1\n");
	printk(KERN_EMERG "    # Subtest: %s\n", s->name);
	printk(KERN_EMERG "    1..%zu\n", s->nr_cases);
	for (size_t i = 0; i < s->nr_cases; i++) {
		struct ktest t = { .case_name = s->cases[i].name };
		uint64_t start = time_ns();

		s->cases[i].run(&t);
		printk(KERN_EMERG "    # %s: %lu ms\n", t.case_name,
		       (time_ns() - start) / NSEC_PER_MSEC);
		printk(KERN_EMERG "    %sok %zu %s\n", t.failures ? "not " : "",
		       i + 1, t.case_name);
		failed += t.failures ? 1 : 0;
	}
	printk(KERN_EMERG "%sok %u %s\n", failed ? "not " : "", index, s->name);
	return failed;
}

unsigned ktest_run(const char *selection)
{
	const struct ktest_suite *s;
	unsigned nr = 0, index = 0, failed = 0;

	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		nr += selected(selection, s);
	printk(KERN_EMERG "KTAP version 1\n");
	printk(KERN_EMERG "1..%u\n", nr);
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (selected(selection, s))
			failed += run_suite(s, ++index);
	return failed;
}
