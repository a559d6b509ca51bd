// SPDX-License-Identifier: GPL-2.0
/*
 * The PC's 8042 keyboard controller at ports 0x60 (data) and 0x64
 * (status and command), with a keyboard attached that has no keys and an
 * auxiliary (mouse) port with nothing plugged in. That is what a guest
 * needs to probe the controller, to find no mouse quickly, and to reset
 * the machine through it.
 *
 * Modelled: the status register, the controller's 32 bytes of RAM (byte
 * 0 is the command byte, read and written by 0x20-0x3F and 0x60-0x7F),
 * self test 0xAA, the interface tests 0xAB and 0xA9, disabling and
 * enabling the two ports (0xAD/0xAE, 0xA7/0xA8), the password check 0xA4
 * (none installed), the input port 0xC0, the output port (0xD0/0xD1),
 * writing into the output buffer as either device (0xD2/0xD3) and pulsing
 * the output lines (0xF0-0xFF). Pulsing or clearing output bit 0 is the
 * CPU reset: the VM stops. The keyboard answers its commands written to
 * port 0x60: reset 0xFF (0xFA 0xAA), identify 0xF2 (an MF2 keyboard,
 * 0xAB 0x83), echo, scan-set query and the rest with an acknowledge 0xFA.
 * Bytes to the aux device (0xD4) time out as with no mouse: 0xFE with
 * the timeout and aux bits set. Output bytes wait in a queue for the
 * one-byte buffer; IRQ 1 (keyboard) or IRQ 12 (aux) follows the buffer
 * while the command byte enables it, dropping between bytes so that an
 * edge-triggered PIC sees each one.
 *
 * Omitted: scan-code translation (there are no keys, and guests accept
 * either form of the identify bytes), gating address line 20 (the VMM
 * keeps it enabled; masking it is reported), polling the input port and
 * vendor commands (reported once each and not answered, as an 8042
 * ignores commands it does not know).
 */
#include <palacios/devices_legacy.h>
#include <palacios/vmm.h>

#define KBC_PORT_DATA	0x60
#define KBC_PORT_CMD	0x64
#define KBC_IRQ_KBD	1
#define KBC_IRQ_AUX	12
#define KBC_QUEUE	16

#define STS_OBF		0x01
#define STS_SYS		0x04
#define STS_CMD		0x08	/* the last write was a command */
#define STS_UNLOCKED	0x10	/* the keyboard lock switch is open */
#define STS_AUX		0x20	/* the output byte is from the aux port */
#define STS_TIMEOUT	0x40

#define CTR_KBDINT	0x01
#define CTR_AUXINT	0x02
#define CTR_SYS		0x04
#define CTR_KBDDIS	0x10
#define CTR_AUXDIS	0x20
#define CTR_XLATE	0x40

#define OUT_RESET	0x01	/* 0 holds the CPU in reset */
#define OUT_A20		0x02
#define OUT_OBF_KBD	0x10
#define OUT_OBF_AUX	0x20

#define KBD_ACK		0xfa
#define KBD_RESEND	0xfe

enum kbc_report { KBC_REP_OVERFLOW, KBC_REP_A20, KBC_REP_KBD_CMD };

struct kbc_byte {
	uint8_t val;
	uint8_t status;		/* STS_AUX, STS_TIMEOUT */
};

struct kbc {
	struct v3_vm *vm;
	void *lock;
	struct kbc_byte queue[KBC_QUEUE];
	unsigned head, count;
	uint8_t last_read;
	uint8_t ram[32];	/* ram[0]: the command byte */
	uint8_t outport;
	uint8_t pending;	/* controller command awaiting its data byte */
	uint8_t kbd_pending;	/* keyboard command awaiting its argument */
	uint8_t kbd_last;	/* the keyboard's last byte, for resend */
	uint8_t scan_set;
	bool last_cmd;
	bool irq[2];		/* IRQ 1, IRQ 12 as driven */
	bool reset;		/* the guest pulled the reset line */
	uint32_t reported;
	uint64_t reported_cmds[4];
};

static void kbc_report(struct kbc *k, enum kbc_report what, const char *msg,
		       unsigned val)
{
	if (k->reported & (1u << what))
		return;
	k->reported |= 1u << what;
	VM_INFO(k->vm, "i8042: %s (0x%x)", msg, val);
}

static void kbc_set_irq(struct kbc *k, unsigned which, bool level)
{
	if (k->irq[which] == level)
		return;
	k->irq[which] = level;
	v3_irq_set_line(k->vm, which ? KBC_IRQ_AUX : KBC_IRQ_KBD, level);
}

/* The line of the device whose byte is in the output buffer, if enabled. */
static void kbc_update_irq(struct kbc *k)
{
	bool aux = k->count && (k->queue[k->head].status & STS_AUX);

	kbc_set_irq(k, 0, k->count && !aux && (k->ram[0] & CTR_KBDINT));
	kbc_set_irq(k, 1, aux && (k->ram[0] & CTR_AUXINT));
}

static void kbc_push(struct kbc *k, uint8_t val, uint8_t status)
{
	if (k->count == KBC_QUEUE) {
		kbc_report(k, KBC_REP_OVERFLOW,
			   "output queue full: byte dropped", val);
		return;
	}
	k->queue[(k->head + k->count++) % KBC_QUEUE] =
		(struct kbc_byte){ val, status };
	kbc_update_irq(k);
}

static void kbd_send(struct kbc *k, uint8_t val)
{
	k->kbd_last = val;
	kbc_push(k, val, 0);
}

static uint8_t kbc_read_data(struct kbc *k)
{
	if (k->count) {
		k->last_read = k->queue[k->head].val;
		k->head = (k->head + 1) % KBC_QUEUE;
		k->count--;
		kbc_set_irq(k, 0, false);	/* an edge for the next byte */
		kbc_set_irq(k, 1, false);
		kbc_update_irq(k);
	}
	return k->last_read;	/* an empty buffer reads its last byte */
}

static uint8_t kbc_status(const struct kbc *k)
{
	uint8_t s = STS_UNLOCKED;

	if (k->count)
		s |= STS_OBF | k->queue[k->head].status;
	if (k->ram[0] & CTR_SYS)
		s |= STS_SYS;
	if (k->last_cmd)
		s |= STS_CMD;
	return s;
}

/* The keyboard's answer to a byte the guest sent it. */
static void kbd_write(struct kbc *k, uint8_t val)
{
	uint8_t cmd = k->kbd_pending;

	k->kbd_pending = 0;
	if (cmd && !(val & 0x80)) {	/* a command's argument */
		if (cmd != 0xf0) {		/* LEDs 0xED, typematic 0xF3 */
			kbd_send(k, KBD_ACK);
		} else if (!val) {		/* query the scan set */
			kbd_send(k, KBD_ACK);
			kbd_send(k, k->scan_set);
		} else if (val <= 3) {
			k->scan_set = val;
			kbd_send(k, KBD_ACK);
		} else {
			kbd_send(k, KBD_RESEND);
		}
		return;
	}
	switch (val) {
	case 0xed:			/* set LEDs */
	case 0xf0:			/* scan set */
	case 0xf3:			/* typematic rate */
		kbd_send(k, KBD_ACK);
		k->kbd_pending = val;
		break;
	case 0xee:			/* echo */
		kbd_send(k, 0xee);
		break;
	case 0xf2:			/* identify: MF2 keyboard */
		kbd_send(k, KBD_ACK);
		kbd_send(k, 0xab);
		kbd_send(k, 0x83);
		break;
	case 0xf4 ... 0xfd:		/* enable, disable, defaults, set 3 */
		kbd_send(k, KBD_ACK);
		break;
	case 0xfe:			/* resend */
		kbc_push(k, k->kbd_last, 0);
		break;
	case 0xff:			/* reset: self test passed */
		k->scan_set = 2;
		kbd_send(k, KBD_ACK);
		kbd_send(k, 0xaa);
		break;
	default:
		kbc_report(k, KBC_REP_KBD_CMD,
			   "unknown keyboard command: resend", val);
		kbd_send(k, KBD_RESEND);
		break;
	}
}

static void kbc_write_outport(struct kbc *k, uint8_t val)
{
	if (!(val & OUT_RESET))
		k->reset = true;
	if (!(val & OUT_A20))
		kbc_report(k, KBC_REP_A20,
			   "A20 masking unsupported: A20 stays enabled", val);
	k->outport = val;
}

static void kbc_write_data(struct kbc *k, uint8_t val)
{
	uint8_t cmd = k->pending;

	k->last_cmd = false;
	k->pending = 0;
	switch (cmd) {
	case 0x60 ... 0x7f:
		k->ram[cmd & 0x1f] = val;
		kbc_update_irq(k);	/* the command byte holds the enables */
		break;
	case 0xd1:
		kbc_write_outport(k, val);
		break;
	case 0xd2:
		kbc_push(k, val, 0);
		break;
	case 0xd3:
		kbc_push(k, val, STS_AUX);
		break;
	case 0xd4:			/* to the aux device: nobody answers */
		kbc_push(k, KBD_RESEND, STS_AUX | STS_TIMEOUT);
		break;
	default:
		kbd_write(k, val);
		break;
	}
}

static void kbc_command(struct kbc *k, uint8_t cmd)
{
	k->last_cmd = true;
	k->pending = 0;
	switch (cmd) {
	case 0x20 ... 0x3f:
		kbc_push(k, k->ram[cmd & 0x1f], 0);
		break;
	case 0x60 ... 0x7f:
	case 0xd1 ... 0xd4:
		k->pending = cmd;
		break;
	case 0xa4:			/* password installed? no */
		kbc_push(k, 0xf1, 0);
		break;
	case 0xa7:
		k->ram[0] |= CTR_AUXDIS;
		break;
	case 0xa8:
		k->ram[0] &= ~CTR_AUXDIS;
		break;
	case 0xa9:			/* aux interface test: lines fine */
	case 0xab:			/* keyboard interface test */
		kbc_push(k, 0x00, 0);
		break;
	case 0xaa:			/* self test */
		k->ram[0] |= CTR_SYS;
		kbc_push(k, 0x55, 0);
		break;
	case 0xad:
		k->ram[0] |= CTR_KBDDIS;
		break;
	case 0xae:
		k->ram[0] &= ~CTR_KBDDIS;
		break;
	case 0xc0:			/* input port: unlocked, no jumper */
		kbc_push(k, 0xa0, 0);
		break;
	case 0xd0:
		kbc_push(k, (k->outport & ~(OUT_OBF_KBD | OUT_OBF_AUX)) |
			    (k->irq[0] ? OUT_OBF_KBD : 0) |
			    (k->irq[1] ? OUT_OBF_AUX : 0), 0);
		break;
	case 0xf0 ... 0xff:		/* pulse the lines whose bit is 0 */
		if (!(cmd & OUT_RESET))
			k->reset = true;
		break;
	default:			/* once per command: probes try many */
		if (!(k->reported_cmds[cmd / 64] & (1ull << (cmd % 64))))
			VM_INFO(k->vm, "i8042: command 0x%x ignored", cmd);
		k->reported_cmds[cmd / 64] |= 1ull << (cmd % 64);
		break;
	}
}

static int kbc_io_in(struct v3_vcpu *v, uint16_t port, void *data,
		     unsigned size, void *priv)
{
	struct kbc *k = priv;
	unsigned long flags = v3_host->lock(k->lock);

	(void)v;
	v3_memset(data, 0xff, size);	/* wide reads: our byte, then nothing */
	*(uint8_t *)data = port == KBC_PORT_DATA ? kbc_read_data(k) :
						   kbc_status(k);
	v3_host->unlock(k->lock, flags);
	return 0;
}

static int kbc_io_out(struct v3_vcpu *v, uint16_t port, const void *data,
		      unsigned size, void *priv)
{
	struct kbc *k = priv;
	uint8_t val = *(const uint8_t *)data;
	unsigned long flags = v3_host->lock(k->lock);
	bool reset;

	(void)v, (void)size;
	if (port == KBC_PORT_DATA)
		kbc_write_data(k, val);
	else
		kbc_command(k, val);
	reset = k->reset;
	v3_host->unlock(k->lock, flags);
	if (!reset)
		return 0;
	v3_vm_stop_fmt(k->vm, "guest reset through the keyboard controller");
	return -V3_EIO;		/* leave the guest at once */
}

static void kbc_free(void *priv)
{
	struct kbc *k = priv;

	v3_host->lock_free(k->lock);
	v3_free(k);
}

static int kbc_create(struct v3_vm *vm, void **priv)
{
	struct kbc *k = v3_zalloc(sizeof(*k));
	int ret;

	if (!k)
		return -V3_ENOMEM;
	k->lock = v3_host->lock_create("i8042", V3_LOCK_DEVICE);
	if (!k->lock) {
		v3_free(k);
		return -V3_ENOMEM;
	}
	k->vm = vm;
	/* As firmware leaves it: keyboard interrupt on, translation. */
	k->ram[0] = CTR_KBDINT | CTR_SYS | CTR_XLATE;
	k->outport = 0xc0 | OUT_A20 | OUT_RESET;	/* clock, data idle */
	k->scan_set = 2;
	ret = v3_hook_io(vm, KBC_PORT_DATA, KBC_PORT_DATA, kbc_io_in,
			 kbc_io_out, k);
	if (!ret)
		ret = v3_hook_io(vm, KBC_PORT_CMD, KBC_PORT_CMD, kbc_io_in,
				 kbc_io_out, k);
	if (ret) {
		kbc_free(k);
		return ret;
	}
	*priv = k;
	return 0;
}

const struct v3_device_type v3_dev_i8042 = {
	.name = "i8042",
	.create = kbc_create,
	.free = kbc_free,
};
