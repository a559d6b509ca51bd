/* SPDX-License-Identifier: GPL-2.0 */
/*
 * passthrough_dev: drives two host devices the VM passes through
 * (tools/kitten vm --passthrough-io 2e8-2ef --passthrough-irq 7
 * --passthrough-mem ff000000-ff00ffff). The test gives the host machine
 * a UART that Kitten does not use (ports 0x2E8-0x2EF on IRQ 7; IRQs 3
 * and 4 are those of the COM ports Kitten writes to) and QEMU's
 * pc-testdev, whose 64 KiB at 0xFF000000 are device memory that keeps
 * what is written. No emulated device of the VM is at either place.
 *
 *  - It writes a pattern to the device memory in bytes, words and dwords
 *    and reads it back. The VM's memory ends at 16 MiB: only the mapping
 *    of the host's device makes these addresses work, and they cause no
 *    exit (the test counts the VM's nested page faults).
 *  - It sends a line out of the UART driven by interrupts: each byte goes
 *    out when the UART's transmitter-empty interrupt comes, raised on
 *    host IRQ 7, forwarded by Palacios to the guest's IRQ 7 and delivered
 *    by the guest's own 8259 PIC. The test reads the line the host's UART
 *    sent.
 */
#include "guest.h"

#define DEVMEM		((volatile u8 *)0xff000000ul)
#define DEVMEM_SIZE	0x10000

#define UART		0x2e8
#define UART_THR	0
#define UART_DLL	0
#define UART_IER	1
#define UART_DLM	1
#define UART_IIR	2
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define IER_THRI	0x02
#define IIR_THRI	0x02
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define MCR_OUT2	0x08	/* gates the UART's interrupt onto the bus */

#define UART_IRQ	7
#define PIC_VECTOR	0x20	/* the master's IRQ 0; IRQ n is 0x20 + n */
#define IRQ_VECTOR	(PIC_VECTOR + UART_IRQ)

static u32 pattern(u32 i)
{
	return i * 0x9e3779b9u + 0x7f4a7c15u;
}

static void check_device_memory(void)
{
	volatile u32 *words = (volatile u32 *)DEVMEM;
	volatile u16 *halves = (volatile u16 *)DEVMEM;
	unsigned bad = 0, n = DEVMEM_SIZE / 4;

	for (unsigned i = 0; i < n; i++)
		words[i] = pattern(i);
	for (unsigned i = 0; i < n; i++)
		bad += words[i] != pattern(i);
	if (!ktap_check(bad == 0, "passthrough_mem_dwords"))
		printf("# %u of %u dwords read back wrong\n", bad, n);

	/* Narrower stores land inside the dwords, as on memory. */
	DEVMEM[5] = 0xa5;
	halves[3] = 0x1234;
	ktap_check(words[1] == ((pattern(1) & 0xffu) | 0x1234a500u),
		   "passthrough_mem_bytes_and_words");
	printf("# device memory: %u KiB at 0x%lx\n", DEVMEM_SIZE >> 10,
	       (unsigned long)DEVMEM);
}

static void pic_init(void)
{
	outb(0x20, 0x11);		/* ICW1: edge, cascade, ICW4 */
	outb(0x21, PIC_VECTOR);		/* ICW2 */
	outb(0x21, 0x04);		/* ICW3: slave on IRQ 2 */
	outb(0x21, 0x01);		/* ICW4: 8086 mode */
	outb(0xa0, 0x11);
	outb(0xa1, PIC_VECTOR + 8);
	outb(0xa1, 0x02);
	outb(0xa1, 0x01);
	outb(0xa1, 0xff);
	outb(0x21, (u8)~(1u << UART_IRQ));
}

/*
 * Wait for the count of the UART's vector to pass seen, halted with
 * interrupts on (IRQ 7 is the only one unmasked). A guest whose interrupt
 * never comes stays halted until the test's timeout stops the VM.
 */
static void await_irq(unsigned seen)
{
	while (irq_count[IRQ_VECTOR] == seen)
		asm volatile("sti; hlt; cli" ::: "memory");
}

static void check_uart_interrupts(void)
{
	static const char line[] = "passthrough: sent by interrupts\n";
	unsigned sent = 0, wrong_iir = 0, seen = 0;

	pic_init();
	outb(UART + UART_IER, 0);
	outb(UART + UART_LCR, LCR_DLAB);
	outb(UART + UART_DLL, 1);
	outb(UART + UART_DLM, 0);
	outb(UART + UART_LCR, LCR_8N1);
	outb(UART + UART_FCR, 0);		/* no FIFO: one interrupt a byte */
	outb(UART + UART_MCR, MCR_OUT2);
	outb(UART + UART_IER, IER_THRI);	/* the empty THR interrupts at once */

	while (sent < sizeof(line) - 1) {
		await_irq(seen);
		seen = irq_count[IRQ_VECTOR];
		wrong_iir += (inb(UART + UART_IIR) & 0x0f) != IIR_THRI;
		outb(0x20, 0x20);		/* EOI */
		outb(UART + UART_THR, line[sent++]);
	}
	outb(UART + UART_IER, 0);
	if (!ktap_check(wrong_iir == 0, "passthrough_irq_drives_uart"))
		printf("# %u interrupts were not the UART's\n", wrong_iir);
	printf("passthrough: %u bytes sent on %u interrupts from host IRQ %u\n",
	       sent, irq_count[IRQ_VECTOR], UART_IRQ);
}

int guest_main(void)
{
	ktap_plan(3);
	check_device_memory();
	check_uart_interrupts();
	return ktap_finish();
}
