/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What host unit tests share: kernel code under test logs through
 * printk(); here printk() records the last messages so a test can assert
 * that a bad input was reported, not just rejected.
 */
#ifndef TESTS_UNIT_SUPPORT_H
#define TESTS_UNIT_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* All printk() output since the last log_reset(), levels stripped. */
const char *log_text(void);
void log_reset(void);
/* True when the captured log contains needle. */
int log_contains(const char *needle);

#endif
