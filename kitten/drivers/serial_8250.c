// SPDX-License-Identifier: GPL-2.0
/*
 * 16550 UART console. Output is polled: the console must work before
 * interrupts exist and in the panic path, and a polled UART costs the
 * rest of the system nothing when it is quiet.
 */
#include <arch/x86.h>
#include <kitten/compiler.h>
#include <kitten/config.h>
#include <kitten/console.h>
#include <kitten/string.h>

#define UART_DATA	0	/* divisor low byte when DLAB is set */
#define UART_IER	1	/* divisor high byte when DLAB is set */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE	0xc7	/* enable and clear FIFOs, 14-byte threshold */
#define MCR_DTR_RTS	0x03
#define LSR_THRE	0x20	/* transmit holding register empty */

/* Bounded wait, so a missing UART slows printing instead of hanging it. */
#define THRE_SPINS	100000

struct serial_console {
	struct console con;
	uint16_t port;
	bool crlf;	/* turn \n into \r\n, for a terminal */
};

static struct serial_console serial, user_serial;

static void serial_putc(uint16_t port, char c)
{
	for (int i = 0; i < THRE_SPINS; i++)
		if (inb(port + UART_LSR) & LSR_THRE)
			break;
	outb(port + UART_DATA, c);
}

static void serial_write(struct console *con, const char *buf, size_t len)
{
	struct serial_console *sc = container_of(con, struct serial_console, con);

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n' && sc->crlf)
			serial_putc(sc->port, '\r');
		serial_putc(sc->port, buf[i]);
	}
}

uint16_t serial_port_by_name(const char *name)
{
	static const uint16_t ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

	if (strncmp(name, "ttyS", 4) == 0 && name[4] >= '0' && name[4] <= '3' &&
	    (name[5] == '\0' || name[5] == ','))
		return ports[name[4] - '0'];
	return 0;
}

static void uart_init(uint16_t port)
{
	uint16_t divisor = 115200 / CONFIG_SERIAL_BAUD;

	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DATA, divisor & 0xff);
	outb(port + UART_IER, divisor >> 8);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE);
	outb(port + UART_MCR, MCR_DTR_RTS);
}

void serial_console_init(uint16_t port)
{
	uart_init(port);
	serial.port = port;
	serial.crlf = true;
	serial.con.name = "serial";
	serial.con.write = serial_write;
	console_register(&serial.con);
}

void serial_user_console_init(uint16_t port)
{
	uart_init(port);
	/* Programs' bytes pass unchanged: the host side may be a file. */
	user_serial.port = port;
	user_serial.crlf = false;
	user_serial.con.name = "user serial";
	user_serial.con.write = serial_write;
	user_console_set(&user_serial.con);
}
