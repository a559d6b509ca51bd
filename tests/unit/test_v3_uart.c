// SPDX-License-Identifier: GPL-2.0
/*
 * The 16550A at COM1: registers after reset, Linux's 8250 probe and
 * start-up tests, the THR-empty interrupt and its re-arming, OUT2 gating
 * of IRQ 4, loopback, the receive FIFO with host input, and garbage.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_pci.h>
#include <stdlib.h>
#include <string.h>

#define COM1 0x3f8
enum { RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR };
#define FCR IIR

struct irq4 {
	bool level;
	unsigned rises;
};

static void set_line(struct v3_vm *vm, unsigned irq, bool level, void *priv)
{
	struct irq4 *l = priv;

	(void)vm;
	if (irq != 4)
		return;
	if (level && !l->level)
		l->rises++;
	l->level = level;
}

static const struct v3_irq_router_ops router = { set_line };

static struct v3_vm *setup(struct irq4 *l, void **uart)
{
	struct v3_vm *vm = fx_vm_create(1);

	*l = (struct irq4){ 0 };
	assert_int_equal(v3_register_irq_router(vm, &router, l), 0);
	*uart = fx_device(vm, &v3_dev_uart);
	return vm;
}

static uint8_t rd(struct v3_vm *vm, unsigned reg)
{
	return fx_inb(vm, COM1 + reg);
}

static void wr(struct v3_vm *vm, unsigned reg, uint8_t val)
{
	fx_outb(vm, COM1 + reg, val);
}

static void test_reset_and_registers(void **state)
{
	struct irq4 l;
	void *u;
	struct v3_vm *vm = setup(&l, &u);

	(void)state;
	assert_int_equal(rd(vm, IER), 0);
	assert_int_equal(rd(vm, IIR), 0x01);
	assert_int_equal(rd(vm, LCR), 0);
	assert_int_equal(rd(vm, MCR), 0);
	assert_int_equal(rd(vm, LSR), 0x60);
	assert_int_equal(rd(vm, MSR), 0xb0);	/* CTS, DSR, DCD of a terminal */
	wr(vm, SCR, 0x5a);
	assert_int_equal(rd(vm, SCR), 0x5a);
	/* The divisor latch behind DLAB; IER and the data port stay put. */
	wr(vm, IER, 0x05);
	wr(vm, LCR, 0x83);
	wr(vm, RBR, 0x0c);
	wr(vm, IER, 0x00);
	assert_int_equal(rd(vm, RBR), 0x0c);
	assert_int_equal(rd(vm, IER), 0x00);
	wr(vm, LCR, 0x03);
	assert_int_equal(rd(vm, IER), 0x05);
	assert_int_equal(rd(vm, LCR), 0x03);
	assert_string_equal(fx_console(vm), "");
	/* MCR keeps its five bits; LSR and MSR writes are reported. */
	wr(vm, MCR, 0xff);
	assert_int_equal(rd(vm, MCR), 0x1f);
	wr(vm, MCR, 0);
	log_reset();
	wr(vm, LSR, 0);
	assert_true(log_contains("LSR is read-only"));
	assert_int_equal(rd(vm, LSR), 0x60);
	/* A 16-bit access is two byte cycles: LCR then MCR. */
	fx_out(vm, COM1 + LCR, 0x0b03, 2);
	assert_int_equal(rd(vm, MCR), 0x0b);
	assert_int_equal(fx_in(vm, COM1 + LCR, 2), 0x0b03);
	fx_vm_free(vm);
}

/* autoconfig() and autoconfig_16550a() of Linux's 8250 driver. */
static void test_linux_probe(void **state)
{
	struct irq4 l;
	void *u;
	struct v3_vm *vm = setup(&l, &u);
	uint8_t scratch, save_mcr, save_lcr, s1, s2;

	(void)state;
	scratch = rd(vm, IER);
	wr(vm, IER, 0);
	s1 = rd(vm, IER) & 0x0f;
	wr(vm, IER, 0x0f);
	s2 = rd(vm, IER) & 0x0f;
	wr(vm, IER, scratch);
	assert_int_equal(s1, 0);
	assert_int_equal(s2, 0x0f);

	save_mcr = rd(vm, MCR);
	save_lcr = rd(vm, LCR);
	wr(vm, MCR, 0x10 | 0x0a);		/* loop, RTS, OUT2 */
	assert_int_equal(rd(vm, MSR) & 0xf0, 0x90);
	wr(vm, MCR, save_mcr);

	wr(vm, LCR, 0xbf);
	wr(vm, 2, 0);				/* EFR on a 16650: FCR here */
	wr(vm, LCR, 0);
	wr(vm, FCR, 0x01);
	assert_int_equal(rd(vm, IIR) >> 6, 3);	/* a 16550A */
	/* Not a 16650 (no EFR behind DLAB or 0xBF) */
	wr(vm, LCR, 0x80);
	assert_int_not_equal(rd(vm, 2), 0);
	wr(vm, LCR, 0xbf);
	assert_int_not_equal(rd(vm, 2), 0);
	/* ... not a 16750 (IIR bit 5 stays clear) ... */
	wr(vm, LCR, 0);
	wr(vm, FCR, 0x21);
	s1 = rd(vm, IIR) >> 5;
	wr(vm, FCR, 0x01);
	wr(vm, LCR, 0x80);
	wr(vm, FCR, 0x21);
	s2 = rd(vm, IIR) >> 5;
	wr(vm, FCR, 0x01);
	wr(vm, LCR, 0);
	assert_false(s1 == 6 && s2 == 7);
	/* ... and not an XScale (IER bit 6 is not writable). */
	wr(vm, IER, 0x40);
	assert_int_equal(rd(vm, IER) & 0x40, 0);
	wr(vm, IER, 0);
	wr(vm, LCR, save_lcr);
	wr(vm, MCR, save_mcr);
	wr(vm, FCR, 0x07);
	wr(vm, FCR, 0);
	rd(vm, RBR);
	assert_int_not_equal(rd(vm, LSR), 0xff);
	assert_int_equal(l.rises, 0);
	fx_vm_free(vm);
}

/* serial8250_do_startup()'s THRE and TXEN tests, then interrupt-driven TX. */
static void test_thre_interrupt(void **state)
{
	struct irq4 l;
	void *u;
	struct v3_vm *vm = setup(&l, &u);
	uint8_t iir1, iir, lsr;

	(void)state;
	wr(vm, FCR, 0xc7);
	wr(vm, LCR, 0x03);
	wr(vm, MCR, 0x0b);			/* DTR, RTS, OUT2 */
	wr(vm, IER, 0x02);
	iir1 = rd(vm, IIR);
	wr(vm, IER, 0);
	wr(vm, IER, 0x02);
	iir = rd(vm, IIR);
	wr(vm, IER, 0);
	assert_int_equal(iir1, 0xc2);
	assert_int_equal(iir, 0xc2);		/* re-asserted: no UART_BUG_THRE */
	wr(vm, IER, 0x02);
	lsr = rd(vm, LSR);
	iir = rd(vm, IIR);
	wr(vm, IER, 0);
	assert_true(lsr & 0x40);
	assert_false(iir & 0x01);		/* no UART_BUG_TXEN */

	/* Start TX: enabling THRI raises IRQ 4 at once. */
	l.rises = 0;
	wr(vm, IER, 0x03);
	assert_true(l.level);
	assert_int_equal(l.rises, 1);
	assert_int_equal(rd(vm, IIR), 0xc2);	/* the read clears it */
	assert_false(l.level);
	assert_int_equal(rd(vm, IIR), 0xc1);
	/* Each byte empties THR again: the interrupt comes back. */
	wr(vm, RBR, 'h');
	wr(vm, RBR, 'i');
	assert_true(l.level);
	assert_string_equal(fx_console(vm), "hi");
	assert_int_equal(rd(vm, LSR) & 0x60, 0x60);
	/* Stop TX: IER without THRI drops the line. */
	wr(vm, IER, 0x01);
	assert_false(l.level);
	assert_int_equal(rd(vm, IIR), 0xc1);
	/* Writing IER with THRI already set does not re-arm. */
	wr(vm, IER, 0x03);
	assert_int_equal(rd(vm, IIR), 0xc2);
	wr(vm, IER, 0x03);
	assert_int_equal(rd(vm, IIR), 0xc1);

	/* OUT2 gates the line as on a PC; IIR still says what is pending. */
	wr(vm, IER, 0x01);
	wr(vm, IER, 0x03);
	wr(vm, MCR, 0x03);
	assert_false(l.level);
	wr(vm, MCR, 0x0b);
	assert_true(l.level);
	wr(vm, MCR, 0x03);
	assert_int_equal(rd(vm, IIR), 0xc2);
	fx_vm_free(vm);
}

static void test_loopback(void **state)
{
	struct irq4 l;
	void *u;
	struct v3_vm *vm = setup(&l, &u);

	(void)state;
	/* MSR deltas: entering loopback with only DTR drops CTS and DCD. */
	wr(vm, MCR, 0x11);
	assert_int_equal(rd(vm, MSR), 0x20 | 0x01 | 0x08);
	assert_int_equal(rd(vm, MSR), 0x20);
	wr(vm, MCR, 0x1e);			/* RTS, OUT1, OUT2 */
	assert_int_equal(rd(vm, MSR), 0xd0 | 0x01 | 0x02 | 0x08);
	wr(vm, MCR, 0x1a);			/* OUT1 off: trailing edge of RI */
	assert_int_equal(rd(vm, MSR), 0x90 | 0x04);

	/* Sent bytes come back and do not reach the console. */
	v3_uart_input(u, "host", 4);		/* held while in loopback */
	wr(vm, IER, 0x01);
	wr(vm, RBR, 'x');
	assert_int_equal(rd(vm, LSR) & 0x01, 0x01);
	assert_int_equal(rd(vm, IIR), 0x04);
	/* OUT2 is set but its pin is inactive in loopback: IRQ 4 stays low. */
	assert_false(l.level);
	assert_int_equal(rd(vm, RBR), 'x');
	assert_int_equal(rd(vm, LSR) & 0x01, 0);
	/* 16450 mode overrun: the new byte replaces the old, OE is set once. */
	wr(vm, RBR, 'a');
	wr(vm, RBR, 'b');
	assert_int_equal(rd(vm, LSR), 0x63);
	assert_int_equal(rd(vm, LSR), 0x61);
	assert_int_equal(rd(vm, RBR), 'b');
	/* FIFO mode: 16 fit, the 17th is lost with an overrun. */
	wr(vm, FCR, 0x81);
	wr(vm, IER, 0x05);
	for (int i = 0; i < 17; i++)
		wr(vm, RBR, 'A' + i);
	assert_int_equal(rd(vm, IIR), 0xc6);	/* line status first */
	assert_int_equal(rd(vm, LSR), 0x63);
	assert_int_equal(rd(vm, IIR), 0xc4);
	for (int i = 0; i < 16; i++)
		assert_int_equal(rd(vm, RBR), 'A' + i);
	assert_int_equal(rd(vm, IIR), 0xc1);
	assert_string_equal(fx_console(vm), "");
	/* Leaving loopback lets the host's bytes in, and the IRQ out. */
	wr(vm, MCR, 0x08);
	assert_true(l.level);
	assert_int_equal(rd(vm, IIR), 0xcc);	/* below the trigger: timeout */
	for (int i = 0; i < 4; i++)
		assert_int_equal(rd(vm, RBR), "host"[i]);
	assert_false(l.level);
	fx_vm_free(vm);
}

static void test_input_fifo(void **state)
{
	struct irq4 l;
	void *u;
	struct v3_vm *vm = setup(&l, &u);
	char buf[40], big[5000];
	unsigned n;

	(void)state;
	wr(vm, MCR, 0x08);
	wr(vm, IER, 0x01);
	/* 16450 mode: one byte at a time, nothing lost. */
	v3_uart_input(u, "0123456789abcdefghij", 20);
	assert_true(l.level);
	assert_int_equal(rd(vm, IIR), 0x04);
	for (n = 0; rd(vm, LSR) & 0x01; n++)
		buf[n] = rd(vm, RBR);
	assert_int_equal(n, 20);
	assert_memory_equal(buf, "0123456789abcdefghij", 20);
	assert_false(l.level);
	assert_int_equal(rd(vm, LSR), 0x60);	/* no overrun */
	assert_int_equal(rd(vm, RBR), 'j');	/* an empty RBR repeats */

	/* FIFO mode, trigger 8: below it a timeout, at it data available. */
	wr(vm, FCR, 0x87);
	v3_uart_input(u, "abc", 3);
	assert_int_equal(rd(vm, IIR), 0xcc);
	v3_uart_input(u, "defghijklmnopqrstuvw", 20);
	assert_int_equal(rd(vm, IIR), 0xc4);
	for (n = 0; n < 10; n++)
		buf[n] = rd(vm, RBR);
	assert_int_equal(rd(vm, IIR), 0xc4);	/* refilled to 13 */
	for (; rd(vm, LSR) & 0x01; n++)
		buf[n] = rd(vm, RBR);
	assert_int_equal(n, 23);
	assert_memory_equal(buf, "abcdefghijklmnopqrstuvw", 23);
	/* A FIFO reset empties the FIFO; the queue refills it. */
	v3_uart_input(u, "0123456789abcdefghijklmnopqrstuvwxyz", 36);
	wr(vm, FCR, 0x03);
	assert_int_equal(rd(vm, RBR), 'g');
	/* The trigger needs the enable bit; disabling keeps 16450 mode. */
	wr(vm, FCR, 0xc0);
	assert_int_equal(rd(vm, IIR), 0x04);
	while (rd(vm, LSR) & 0x01)
		rd(vm, RBR);

	/* More than the queue holds is dropped, and reported. */
	memset(big, 'z', sizeof(big));
	log_reset();
	v3_uart_input(u, big, sizeof(big));
	assert_true(log_contains("input queue full"));
	for (n = 0; rd(vm, LSR) & 0x01; n++)
		rd(vm, RBR);
	assert_int_equal(n, 4096);
	fx_vm_free(vm);
}

/* Random writes to every register, reads and host input between. */
static void test_garbage(void **state)
{
	struct irq4 l;
	void *u;
	struct v3_vm *vm = setup(&l, &u);
	char in[64];

	(void)state;
	srand(16550);
	for (unsigned i = 0; i < 50000; i++) {
		unsigned reg = rand() % 8, size = 1u << (rand() % 3);

		switch (rand() % 4) {
		case 0:
		case 1:
			fx_out(vm, COM1 + reg, (uint32_t)rand(), size);
			break;
		case 2:
			fx_in(vm, COM1 + reg, size);
			break;
		default:
			for (unsigned j = 0; j < sizeof(in); j++)
				in[j] = rand();
			v3_uart_input(u, in, rand() % sizeof(in));
			break;
		}
	}
	/* Still a UART: reset what matters and send a byte. */
	wr(vm, LCR, 0x03);
	wr(vm, MCR, 0x0b);
	wr(vm, IER, 0);
	wr(vm, FCR, 0x07);
	assert_int_equal(rd(vm, LSR) & 0x60, 0x60);
	wr(vm, IER, 0x02);
	assert_true(l.level);
	assert_int_equal(rd(vm, IIR), 0xc2);
	assert_false(l.level);
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_and_registers),
		cmocka_unit_test(test_linux_probe),
		cmocka_unit_test(test_thre_interrupt),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_input_fifo),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
