/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Consoles: where printk() output goes. A driver registers a console with
 * a write function; every registered console receives every message.
 */
#ifndef KITTEN_CONSOLE_H
#define KITTEN_CONSOLE_H

#include <kitten/types.h>

struct console {
	const char *name;
	void (*write)(struct console *con, const char *buf, size_t len);
	struct console *next;
};

void console_register(struct console *con);
void console_write(const char *buf, size_t len);
/* From now on write without locking (the panic path). */
void console_panic(void);

/* The 16550 UART console; port is an I/O base such as 0x3f8. */
void serial_console_init(uint16_t port);

/*
 * Programs' standard input and output can have a console of their own
 * (userconsole=ttyS1), so a job's output stays apart from the kernel
 * log. Without one, it goes to the kernel consoles.
 */
void serial_user_console_init(uint16_t port);
void user_console_set(struct console *con);
void user_console_write(const char *buf, size_t len);

/* console=ttySn names a UART; returns its I/O base or 0 if unknown. */
uint16_t serial_port_by_name(const char *name);

#endif
