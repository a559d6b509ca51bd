// SPDX-License-Identifier: GPL-2.0
/*
 * printk: format a message, drop it if it is above the console log level,
 * and hand it to every console. Each message is formatted into a buffer
 * first so it reaches the consoles in one piece.
 */
#include <kitten/config.h>
#include <kitten/console.h>
#include <kitten/printk.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>

static struct console *consoles;
static int console_loglevel = CONFIG_LOGLEVEL;
static struct spinlock console_lock = SPINLOCK_INIT("console", LOCK_RANK_CONSOLE);
static bool console_unlocked;	/* after a panic: nobody else may print */

void console_register(struct console *con)
{
	con->next = consoles;
	consoles = con;
}

/*
 * One message reaches the consoles whole, even with every CPU printing.
 * The panic path calls console_panic() first: the lock may be held by a
 * CPU that will never let go, and the other CPUs are stopped anyway.
 */
void console_write(const char *buf, size_t len)
{
	unsigned long flags = 0;

	if (!console_unlocked)
		flags = spin_lock_irqsave(&console_lock);
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, buf, len);
	if (!console_unlocked)
		spin_unlock_irqrestore(&console_lock, flags);
}

static struct console *user_console;

void user_console_set(struct console *con)
{
	user_console = con;
}

void user_console_write(const char *buf, size_t len)
{
	if (user_console)
		user_console->write(user_console, buf, len);
	else
		console_write(buf, len);
}

void console_panic(void)
{
	console_unlocked = true;
}

void printk_set_loglevel(int level)
{
	console_loglevel = level;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	const char *text = buf;
	int level = LOGLEVEL_DEFAULT;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (buf[0] == KERN_SOH[0] && buf[1] >= '0' && buf[1] <= '7') {
		level = buf[1] - '0';
		text += 2;
		n -= 2;
	}
	if (level <= console_loglevel)
		console_write(text, n);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
