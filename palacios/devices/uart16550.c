// SPDX-License-Identifier: GPL-2.0
/*
 * A National Semiconductor PC16550D-compatible UART (a "16550A") at COM1:
 * ports 0x3F8-0x3FF, IRQ 4.
 *
 * The line has no speed: a byte written to THR is on the wire at once,
 * so THR and the transmitter are always empty (LSR THRE and TEMT set)
 * and the transmit FIFO is never needed. Transmitted bytes go to the VM
 * console. Received bytes come from the host (v3_uart_input) into a
 * queue that refills the receive FIFO as the guest drains it, like a
 * sender obeying flow control: host input is not lost to overruns. The
 * divisor latch is kept but means nothing.
 *
 * Interrupts follow the datasheet's priorities in IIR: receiver line
 * status (an overrun), received data (the FIFO at its trigger level; in
 * FIFO mode data below the trigger raises the character timeout at once,
 * since no character time passes), THR empty, modem status. The THRE
 * interrupt is set when THR empties (after every write, here) and when
 * the guest enables it while THR is empty, and is cleared by an IIR read
 * that reports it or a THR write; Linux's 8250 driver tests exactly
 * this re-arming when it opens the port. As on a PC, the interrupt
 * reaches IRQ 4 only while MCR's OUT2 is set; in loopback mode the OUT2
 * pin is forced inactive, so the line stays low.
 *
 * Loopback (MCR bit 4) turns transmitted bytes into received ones and
 * feeds DTR, RTS, OUT1, OUT2 to DSR, CTS, RI, DCD; outside it the modem
 * inputs are those of an attached terminal (CTS, DSR, DCD asserted) and
 * host input waits. Omitted: the break, parity and framing errors (no
 * line to produce them), DMA mode signalling, and the factory-test
 * writes to LSR and MSR, which are reported once and ignored.
 */
#include <palacios/devices_pci.h>
#include <palacios/vmm.h>

#define UART_BASE	0x3f8
#define UART_IRQ	4
#define UART_FIFO	16
#define UART_QUEUE	4096

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IER_RLSI	0x04
#define IER_MSI		0x08

#define IIR_NONE	0x01
#define IIR_MSI		0x00
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_RLSI	0x06
#define IIR_TIMEOUT	0x0c
#define IIR_FIFO	0xc0

#define FCR_ENABLE	0x01
#define FCR_RX_RESET	0x02

#define LCR_BREAK	0x40
#define LCR_DLAB	0x80

#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10

#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

#define MSR_DCTS	0x01
#define MSR_DDSR	0x02
#define MSR_TERI	0x04
#define MSR_DDCD	0x08
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

enum { REPORT_LSR = 1, REPORT_MSR = 2, REPORT_BREAK = 4, REPORT_DROP = 8 };

struct uart {
	struct v3_vm *vm;
	void *lock;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint8_t lsr_errors;	/* OE until LSR is read */
	uint8_t modem;		/* MSR bits 4-7 */
	uint8_t modem_delta;	/* MSR bits 0-3 until MSR is read */
	bool fifo_on;
	uint8_t trigger;
	bool thre_pending;
	bool irq;		/* the level driven on IRQ 4 */
	uint8_t rx[UART_FIFO];
	unsigned rx_head, rx_count;
	uint8_t rbr;		/* the last byte read: an empty RBR repeats it */
	uint8_t queue[UART_QUEUE];
	unsigned q_head, q_count;
	uint8_t reported;
};

static void report_once(struct uart *u, uint8_t what, const char *msg)
{
	if (!(u->reported & what)) {
		u->reported |= what;
		VM_INFO(u->vm, "uart: %s", msg);
	}
}

static unsigned rx_capacity(const struct uart *u)
{
	return u->fifo_on ? UART_FIFO : 1;
}

/* A byte off the wire; a full receiver overruns (FIFO: the new byte is
 * lost; 16450 mode: it replaces the old one). */
static void rx_push(struct uart *u, uint8_t c)
{
	if (u->rx_count < rx_capacity(u)) {
		u->rx[(u->rx_head + u->rx_count++) % UART_FIFO] = c;
	} else {
		u->lsr_errors |= LSR_OE;
		if (!u->fifo_on)
			u->rx[u->rx_head] = c;
	}
}

/* Host input moves into the FIFO as it has room, unless in loopback. */
static void rx_refill(struct uart *u)
{
	while (!(u->mcr & MCR_LOOP) && u->q_count &&
	       u->rx_count < rx_capacity(u)) {
		rx_push(u, u->queue[u->q_head]);
		u->q_head = (u->q_head + 1) % UART_QUEUE;
		u->q_count--;
	}
}

static uint8_t modem_inputs(uint8_t mcr)
{
	if (!(mcr & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	return (mcr & MCR_DTR ? MSR_DSR : 0) | (mcr & MCR_RTS ? MSR_CTS : 0) |
	       (mcr & MCR_OUT1 ? MSR_RI : 0) | (mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static void set_modem(struct uart *u, uint8_t now)
{
	uint8_t changed = u->modem ^ now;

	u->modem_delta |= (changed & MSR_CTS ? MSR_DCTS : 0) |
			  (changed & MSR_DSR ? MSR_DDSR : 0) |
			  (changed & MSR_DCD ? MSR_DDCD : 0) |
			  (changed & u->modem & MSR_RI ? MSR_TERI : 0);
	u->modem = now;
}

/* The highest-priority pending interrupt, as IIR bits 3-0. */
static uint8_t iir_id(const struct uart *u)
{
	if ((u->ier & IER_RLSI) && u->lsr_errors)
		return IIR_RLSI;
	if ((u->ier & IER_RDI) && u->rx_count)
		return !u->fifo_on || u->rx_count >= u->trigger ? IIR_RDI :
								   IIR_TIMEOUT;
	if ((u->ier & IER_THRI) && u->thre_pending)
		return IIR_THRI;
	if ((u->ier & IER_MSI) && u->modem_delta)
		return IIR_MSI;
	return IIR_NONE;
}

/* Drive IRQ 4 after any change. Under the lock, so levels stay in order. */
static void update_irq(struct uart *u)
{
	bool level = iir_id(u) != IIR_NONE &&
		     (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;

	if (level != u->irq) {
		u->irq = level;
		v3_irq_set_line(u->vm, UART_IRQ, level);
	}
}

static uint8_t uart_read(struct uart *u, unsigned reg)
{
	uint8_t val;

	switch (reg) {
	case RBR_THR:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (u->rx_count) {
			u->rbr = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % UART_FIFO;
			u->rx_count--;
			rx_refill(u);
		}
		return u->rbr;
	case IER:
		return u->lcr & LCR_DLAB ? u->dlm : u->ier;
	case IIR_FCR:
		val = iir_id(u);
		if (val == IIR_THRI)
			u->thre_pending = false;
		return val | (u->fifo_on ? IIR_FIFO : 0);
	case LCR:
		return u->lcr;
	case MCR:
		return u->mcr;
	case LSR:
		val = (u->rx_count ? LSR_DR : 0) | u->lsr_errors | LSR_THRE |
		      LSR_TEMT;
		u->lsr_errors = 0;
		return val;
	case MSR:
		val = u->modem | u->modem_delta;
		u->modem_delta = 0;
		return val;
	default:
		return u->scr;
	}
}

/* A write; returns true when val went out on the line to the console. */
static bool uart_write(struct uart *u, unsigned reg, uint8_t val)
{
	switch (reg) {
	case RBR_THR:
		if (u->lcr & LCR_DLAB) {
			u->dll = val;
			return false;
		}
		/* Sent at once: THR empties again and re-arms THRE. */
		u->thre_pending = true;
		if (!(u->mcr & MCR_LOOP))
			return true;
		rx_push(u, val);
		return false;
	case IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = val;
		} else {
			if ((val & IER_THRI) && !(u->ier & IER_THRI))
				u->thre_pending = true;
			u->ier = val & 0x0f;
		}
		return false;
	case IIR_FCR:
		/* Other bits count only with the enable bit; a mode change
		 * empties the FIFOs. */
		if (!(val & FCR_ENABLE) != !u->fifo_on ||
		    ((val & FCR_ENABLE) && (val & FCR_RX_RESET)))
			u->rx_count = 0;
		u->fifo_on = val & FCR_ENABLE;
		if (u->fifo_on)
			u->trigger = (const uint8_t[]){ 1, 4, 8, 14 }[val >> 6];
		rx_refill(u);
		return false;
	case LCR:
		if (val & LCR_BREAK)
			report_once(u, REPORT_BREAK, "break is not modelled");
		u->lcr = val;
		return false;
	case MCR:
		u->mcr = val & 0x1f;
		set_modem(u, modem_inputs(u->mcr));
		rx_refill(u);
		return false;
	case LSR:
		report_once(u, REPORT_LSR, "LSR is read-only here: write ignored");
		return false;
	case MSR:
		report_once(u, REPORT_MSR, "MSR is read-only here: write ignored");
		return false;
	default:
		u->scr = val;
		return false;
	}
}

/* Wider accesses are byte cycles at consecutive ports, as on ISA. */
static int uart_in(struct v3_vcpu *v, uint16_t port, void *data, unsigned size,
		   void *priv)
{
	struct uart *u = priv;
	uint8_t *out = data;
	unsigned long flags = v3_host->lock(u->lock);

	(void)v;
	for (unsigned i = 0; i < size; i++) {
		unsigned reg = port - UART_BASE + i;

		out[i] = reg < 8 ? uart_read(u, reg) : 0xff;
	}
	update_irq(u);
	v3_host->unlock(u->lock, flags);
	return 0;
}

static int uart_out(struct v3_vcpu *v, uint16_t port, const void *data,
		    unsigned size, void *priv)
{
	struct uart *u = priv;
	const uint8_t *in = data;
	char line[4];
	unsigned n = 0;
	unsigned long flags = v3_host->lock(u->lock);

	(void)v;
	for (unsigned i = 0; i < size; i++) {
		unsigned reg = port - UART_BASE + i;

		if (reg < 8 && uart_write(u, reg, in[i]) && n < sizeof(line))
			line[n++] = in[i];
	}
	update_irq(u);
	v3_host->unlock(u->lock, flags);
	/* The console may wait for its reader: not under our lock. */
	if (n)
		v3_console_write(u->vm, line, n);
	return 0;
}

void v3_uart_input(void *uart, const char *buf, size_t len)
{
	struct uart *u = uart;
	unsigned long flags = v3_host->lock(u->lock);

	for (size_t i = 0; i < len; i++) {
		if (u->q_count == UART_QUEUE) {
			report_once(u, REPORT_DROP, "input queue full: input dropped");
			break;
		}
		u->queue[(u->q_head + u->q_count++) % UART_QUEUE] = buf[i];
	}
	rx_refill(u);
	update_irq(u);
	v3_host->unlock(u->lock, flags);
}

static void uart_free(void *priv)
{
	struct uart *u = priv;

	if (u->lock)
		v3_host->lock_free(u->lock);
	v3_free(u);
}

static int uart_create(struct v3_vm *vm, void **priv)
{
	struct uart *u = v3_zalloc(sizeof(*u));
	int ret = -V3_ENOMEM;

	if (!u)
		return -V3_ENOMEM;
	u->vm = vm;
	u->modem = modem_inputs(0);
	u->trigger = 1;
	u->lock = v3_host->lock_create("uart", V3_LOCK_DEVICE);
	if (!u->lock)
		goto fail;
	ret = v3_hook_io(vm, UART_BASE, UART_BASE + 7, uart_in, uart_out, u);
	if (ret)
		goto fail;
	*priv = u;
	return 0;
fail:
	uart_free(u);
	return ret;
}

const struct v3_device_type v3_dev_uart = {
	.name = "uart",
	.create = uart_create,
	.free = uart_free,
};
