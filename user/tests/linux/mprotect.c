// SPDX-License-Identifier: GPL-2.0
/*
 * Memory protection as programs rely on it: guard pages, read-only and
 * non-executable memory, the program's own text and data, and the
 * errors of mprotect() and of system calls given protected buffers.
 * Every fault is caught by a SIGSEGV handler that checks si_addr and
 * si_code and recovers with siglongjmp(). One line per failed check,
 * then a count; the exit status says whether all held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static int checks, wrong;

static __thread sigjmp_buf recover;
static __thread void *volatile fault_addr;
static __thread volatile int fault_code, faulted;

static void on_segv(int sig, siginfo_t *info, void *ctx)
{
	(void)sig, (void)ctx;
	faulted = 1;
	fault_addr = info->si_addr;
	fault_code = info->si_code;
	siglongjmp(recover, 1);
}

static void check(const char *what, int ok)
{
	checks++;
	if (!ok) {
		wrong++;
		printf("mprotect: FAILED: %s\n", what);
	}
}

static void do_write(void *p)
{
	*(volatile char *)p = 1;
}

static void do_read(void *p)
{
	(void)*(volatile char *)p;
}

static void do_call(void *p)
{
	((void (*)(void))p)();
}

/* Run fn(p); did it fault with SEGV_ACCERR at want? */
static int faults_at(void (*fn)(void *), void *p, void *want)
{
	faulted = 0;
	if (!sigsetjmp(recover, 1))
		fn(p);
	return faulted && fault_addr == want && fault_code == SEGV_ACCERR;
}

static int runs(void (*fn)(void *), void *p)
{
	faulted = 0;
	if (!sigsetjmp(recover, 1))
		fn(p);
	return !faulted;
}

static char *map(size_t len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static long err_of(long ret)
{
	return ret == -1 ? errno : 0;
}

static void guard_page(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	check("mmap 3 pages", p != NULL);
	check("mprotect middle page PROT_NONE",
	      mprotect(p + PAGE, PAGE, PROT_NONE) == 0);
	check("write to the guard page faults there",
	      faults_at(do_write, p + PAGE + 8, p + PAGE + 8));
	check("read of the guard page faults", faults_at(do_read, p + PAGE, p + PAGE));
	check("pages around the guard still work",
	      runs(do_write, p) && runs(do_write, p + 2 * PAGE + PAGE - 1));
	munmap(p, 3 * PAGE);

	p = map(PAGE, PROT_NONE);
	check("mmap PROT_NONE", p != NULL);
	check("PROT_NONE mapping faults", faults_at(do_read, p, p));
	check("mprotect PROT_NONE to RW", mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0);
	check("now writable and zero", runs(do_write, p + 1) && p[0] == 0 && p[1] == 1);
	munmap(p, PAGE);
}

static void read_only(void)
{
	char *p = map(PAGE, PROT_READ | PROT_WRITE);

	p[100] = 42;
	check("mprotect PROT_READ", mprotect(p, PAGE, PROT_READ) == 0);
	check("read-only page still reads", runs(do_read, p) && p[100] == 42);
	check("write to read-only page faults", faults_at(do_write, p + 100, p + 100));
	check("contents unchanged", p[100] == 42);
	check("mprotect back to RW", mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0);
	check("write works again", runs(do_write, p + 100) && p[100] == 1);
	munmap(p, PAGE);

	p = map(PAGE, PROT_READ);
	check("mmap PROT_READ is zero", p && p[5] == 0);
	check("mmap PROT_READ is not writable", faults_at(do_write, p + 5, p + 5));
	munmap(p, PAGE);
}

static void no_exec(void)
{
	unsigned char *p = (unsigned char *)map(PAGE, PROT_READ | PROT_WRITE);
	volatile unsigned char on_stack[16] = { 0xc3 };	/* ret */
	unsigned char *heap;

	p[0] = 0xc3;
	check("executing a RW mapping faults", faults_at(do_call, p, p));
	check("mprotect RX", mprotect(p, PAGE, PROT_READ | PROT_EXEC) == 0);
	check("RX mapping runs", runs(do_call, p));
	check("RX mapping is not writable", faults_at(do_write, p, p));
	munmap(p, PAGE);

	p = (unsigned char *)map(PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
	p[0] = 0xc3;
	check("RWX mapping runs", p && runs(do_call, p));
	munmap(p, PAGE);

	check("stack is not executable",
	      faults_at(do_call, (void *)on_stack, (void *)on_stack));
	/* The break, moved by hand: musl's sbrk() only reports it. */
	heap = (unsigned char *)syscall(SYS_brk, 0);
	check("brk grows", syscall(SYS_brk, heap + PAGE) == (long)(heap + PAGE));
	heap[0] = 0xc3;
	check("heap is not executable", faults_at(do_call, heap, heap));
	syscall(SYS_brk, heap);
}

static const char rodata[] = "read-only data";
static char data[] = "data";

static void program_image(void)
{
	void *text = (void *)(uintptr_t)&do_read;

	check("text is readable and runs", runs(do_read, text));
	check("text is not writable", faults_at(do_write, text, text));
	check("rodata is not writable",
	      faults_at(do_write, (void *)rodata, (void *)rodata));
	check("rodata is not executable",
	      faults_at(do_call, (void *)rodata, (void *)rodata));
	check("data is writable", runs(do_write, data) && data[0] == 1);
	check("data is not executable", faults_at(do_call, data, data));
}

static void syscalls_see_protection(void)
{
	char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
	int fds[2];

	check("pipe", pipe(fds) == 0);
	mprotect(p, PAGE, PROT_READ);
	mprotect(p + PAGE, PAGE, PROT_NONE);
	check("write() then read() into a read-only buffer: EFAULT",
	      write(fds[1], "abc", 3) == 3 && err_of(read(fds[0], p, 3)) == EFAULT);
	check("write() from a PROT_NONE buffer: EFAULT",
	      err_of(write(fds[1], p + PAGE, 3)) == EFAULT);
	check("write() from a read-only buffer works", write(fds[1], p, 3) == 3);
	close(fds[0]);
	close(fds[1]);
	munmap(p, 2 * PAGE);
}

/* One page in the middle of 4 MiB: its 2 MiB page splits, and mends. */
static void part_of_a_large_page(void)
{
	size_t len = 4UL << 20;
	char *p = map(len, PROT_READ | PROT_WRITE);
	char *mid = p + (1UL << 20) + 5 * PAGE;
	int ok = 1;

	check("mmap 4 MiB", p != NULL);
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = (char)(i / PAGE);
	check("mprotect one page read-only", mprotect(mid, PAGE, PROT_READ) == 0);
	check("that page faults on write", faults_at(do_write, mid + 9, mid + 9));
	check("its neighbours do not",
	      runs(do_write, mid - 1) && runs(do_write, mid + PAGE));
	for (size_t i = 0; i < len; i += PAGE)
		ok &= p + i == mid - PAGE || p + i == mid + PAGE ||
		      p[i] == (char)(i / PAGE);
	check("every page keeps its contents", ok);
	check("mprotect it back", mprotect(mid, PAGE, PROT_READ | PROT_WRITE) == 0);
	check("writable again", runs(do_write, mid + 9));
	check("munmap", munmap(p, len) == 0);
	p = map(PAGE, PROT_READ | PROT_WRITE);
	check("memory from munmap comes back writable", p && runs(do_write, p));
	munmap(p, PAGE);
}

/* The system call itself: musl's mprotect() rounds the address down. */
static long sys_mprotect(void *addr, unsigned long len, long prot)
{
	return err_of(syscall(SYS_mprotect, addr, len, prot));
}

static void bad_arguments(void)
{
	char *p = map(PAGE, PROT_READ | PROT_WRITE);

	check("unaligned: EINVAL", sys_mprotect(p + 1, PAGE, PROT_READ) == EINVAL);
	check("bad prot: EINVAL", sys_mprotect(p, PAGE, 0x100) == EINVAL);
	check("length 0: 0", sys_mprotect(p, 0, PROT_READ) == 0);
	check("unmapped: ENOMEM",
	      sys_mprotect((void *)0x1000, PAGE, PROT_READ) == ENOMEM);
	check("wrapping length: ENOMEM", sys_mprotect(p, -PAGE, PROT_READ) == ENOMEM);
	check("kernel address: ENOMEM",
	      sys_mprotect((void *)0xffffffff80000000UL, PAGE, PROT_READ) == ENOMEM);
	munmap(p, PAGE);
	check("after munmap: ENOMEM", sys_mprotect(p, PAGE, PROT_READ) == ENOMEM);
}

/* A child of fork() gets its parent's page rights. */
static void fork_keeps_rights(void)
{
	char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
	int status = -1;
	pid_t pid;

	mprotect(p, PAGE, PROT_READ);
	mprotect(p + PAGE, PAGE, PROT_NONE);
	pid = fork();
	if (pid == 0)
		_exit(!(faults_at(do_write, p, p) && faults_at(do_read, p + PAGE, p + PAGE) &&
			runs(do_read, p)));
	check("fork", pid > 0 && waitpid(pid, &status, 0) == pid);
	check("the child has the parent's rights",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);
	munmap(p, 2 * PAGE);
}

/*
 * Another thread keeps writing the page (its TLB holds the translation)
 * while mprotect() takes the right away; its next write must fault.
 */
static volatile char *shared_page;
static volatile int phase, stopped;

static void *writer(void *arg)
{
	(void)arg;
	while (phase == 0)
		shared_page[0]++;
	stopped = 1;
	while (phase == 1)
		;
	return (void *)(intptr_t)faults_at(do_write, (void *)shared_page,
					   (void *)shared_page);
}

static void other_threads_see_it(void)
{
	pthread_t t;
	void *ret = NULL;
	char before;

	shared_page = map(PAGE, PROT_READ | PROT_WRITE);
	if (!shared_page)
		return;
	pthread_create(&t, NULL, writer, NULL);
	while (shared_page[0] == 0)
		;
	phase = 1;
	while (!stopped)
		;
	check("mprotect while another thread writes",
	      mprotect((void *)shared_page, PAGE, PROT_READ) == 0);
	before = shared_page[0];
	phase = 2;
	pthread_join(t, &ret);
	check("the other thread's next write faults", ret == (void *)1);
	check("and changed nothing", shared_page[0] == before);
	munmap((void *)shared_page, PAGE);
}

/*
 * Lengths that reach past user space are refused (EINVAL, as on Linux),
 * not cut short at the top: munmap(p, huge) freed every mapping above p
 * (sysfuzz seed 1 lost its file-name buffers so; a later mmap gave them
 * out read-only). An mremap length that rounds up past 2^64 is not "no
 * length" either: that freed the whole mapping and returned it as moved.
 */
static void huge_lengths(void)
{
	char *high = map(2 * PAGE, PROT_READ | PROT_WRITE);
	char *low = map(2 * PAGE, PROT_READ | PROT_WRITE);

	if (!high || !low || low >= high) {
		check("two mappings, one below the other", 0);
		return;
	}
	check("mremap to a length rounding up to 0: EINVAL",
	      err_of(syscall(SYS_mremap, low, 2 * PAGE, -1UL, 0)) == EINVAL);
	check("the mapping is still there",
	      sys_mprotect(low, 2 * PAGE, PROT_READ) == 0);
	/* The length the fuzzer gave: an address in the kernel's direct map. */
	check("munmap of a kernel address as length: EINVAL",
	      err_of(syscall(SYS_munmap, low, 0xffff888001a35e98UL)) == EINVAL);
	check("munmap of 2^63: EINVAL",
	      err_of(syscall(SYS_munmap, low, 1UL << 63)) == EINVAL);
	check("the mapping above is still the program's",
	      sys_mprotect(high, 2 * PAGE, PROT_READ) == 0 &&
	      sys_mprotect(high, 2 * PAGE, PROT_READ | PROT_WRITE) == 0);
	munmap(low, 2 * PAGE);
	munmap(high, 2 * PAGE);
}

/*
 * The native calls let a job unmap or protect its own pages, free heap
 * memory too; mmap() and brk() must then fail, not write there from the
 * kernel (a kernel page fault: sysfuzz seed 9 as uid 1000).
 */
static void heap_changed_behind_its_back(void)
{
	char *low, *high = map(PAGE, PROT_READ | PROT_WRITE), *p;
	long brk_now = syscall(SYS_brk, 0);

	low = map(PAGE, PROT_READ | PROT_WRITE);	/* keeps high's block */
	if (!high || !low || munmap(high, PAGE)) {
		check("set up two mappings", 0);
		return;
	}
	/* kitten_aspace_protect (1021), kitten_aspace_unmap (1007) on itself */
	check("the job makes a free heap page read-only",
	      syscall(1021, 0, high, PAGE, PROT_READ) == 0);
	p = map(PAGE, PROT_READ | PROT_WRITE);
	check("mmap fails or gives memory it can write",
	      !p || (runs(do_write, p) && p[0] == 0));
	if (p)
		munmap(p, PAGE);
	p = map(PAGE, PROT_READ | PROT_WRITE);	/* the block is free again */
	/* A 4 KiB unmap needs the 2 MiB page split: protecting does that. */
	check("then unmaps it", p && munmap(p, PAGE) == 0 &&
	      syscall(1021, 0, p, PAGE, PROT_READ) == 0 &&
	      syscall(1007, 0, p, PAGE) == 0);
	check("mmap of that size fails", map(PAGE, PROT_READ | PROT_WRITE) == NULL);
	p = map(4 * PAGE, PROT_READ | PROT_WRITE);
	check("a larger mmap still works", p && runs(do_write, p));
	/* Above the break: no memory there to grow into. */
	p = (char *)((brk_now + 2 * PAGE - 1) & ~(PAGE - 1));
	syscall(1021, 0, p, PAGE, PROT_READ);
	syscall(1007, 0, p, PAGE);
	check("brk over an unmapped page fails",
	      syscall(SYS_brk, brk_now + 4 * PAGE) == brk_now);
	/* The rest of the region (text, data, heap) still goes to a child. */
	static volatile int before_fork;
	pid_t pid;
	int status = 0;

	before_fork = 42;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(before_fork == 42 ? 7 : 1);
	check("a fork child of a job with unmapped pages runs",
	      pid > 0 && waitpid(pid, &status, 0) == pid &&
	      WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);

	guard_page();
	read_only();
	no_exec();
	program_image();
	syscalls_see_protection();
	part_of_a_large_page();
	bad_arguments();
	fork_keeps_rights();
	other_threads_see_it();
	huge_lengths();
	heap_changed_behind_its_back();
	printf("mprotect: %d checks, %d wrong\n", checks, wrong);
	return wrong != 0;
}
