/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel logging. As in Linux, a message may start with a KERN_<LEVEL>
 * prefix; messages above the console log level (the loglevel= argument)
 * are dropped. pr_*() add the file's pr_fmt() prefix, which is how each
 * subsystem names itself in the log.
 */
#ifndef KITTEN_PRINTK_H
#define KITTEN_PRINTK_H

#include <kitten/compiler.h>
#include <kitten/types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"

#define LOGLEVEL_DEFAULT 6	/* messages at or below this level are shown */

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);
/* Messages with a level above this one are not printed. */
void printk_set_loglevel(int level);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_err(fmt, ...)   printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)  printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)  printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)

#endif
