/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP output (Documentation/dev-tools/ktap.rst in Linux): a version
 * line, the plan, then one "ok N name" or "not ok N name" per check;
 * skips are ok lines with a "# SKIP reason" directive. ktap_finish()
 * turns the results into the exit status, and counts a plan that does not
 * match the number of results as a failure, so a guest that loses a check
 * cannot pass.
 *
 * A check that needs Palacios is skipped with the reason SKIP_NO_VMM when
 * the VMM's CPUID signature is missing. That is a skip only when the guest
 * was run without a VMM on purpose ("novmm" on its command line, as
 * tests/guests/run-on-qemu.sh does); anywhere else the guest expects
 * Palacios, and a missing signature means the checks cannot be trusted to
 * have run, so each fails. A skip is never the silent way out.
 */
#include "guest.h"

const char ktap_no_vmm[] = "not under Palacios";

static unsigned int planned, done, failed;

void ktap_plan(unsigned int n)
{
	planned = n;
	printf("KTAP version 1\n1..%u\n", n);
}

static void result(const char *status, const char *fmt, va_list ap)
{
	printf("%s %u ", status, ++done);
	vprintf(fmt, ap);
}

bool ktap_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	result(ok ? "ok" : "not ok", fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		failed++;
	return ok;
}

void ktap_skip(const char *reason, const char *fmt, ...)
{
	bool fail = reason == ktap_no_vmm && !cmdline_has("novmm");
	va_list ap;

	va_start(ap, fmt);
	result(fail ? "not ok" : "ok", fmt, ap);
	va_end(ap);
	if (fail) {
		printf(" # needs Palacios, whose CPUID signature is missing\n");
		failed++;
		return;
	}
	printf(" # SKIP %s\n", reason);
}

int ktap_finish(void)
{
	if (done != planned) {
		printf("# planned %u checks but ran %u\n", planned, done);
		return 1;
	}
	return failed ? 1 : 0;
}
