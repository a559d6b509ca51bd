// SPDX-License-Identifier: GPL-2.0
/*
 * System calls for virtual machines: create one from a configuration
 * image in the caller's memory, launch it on named CPUs, read its
 * console, query and stop it, free it (docs/native-api.md). A VM belongs
 * to the process that created it; only that process may act on it, and
 * it ends with the process (vm_release_owned), so no guest memory
 * outlives the job that asked for it.
 *
 * What a VM may touch is checked here, against the caller's rights: host
 * I/O ports, an IRQ or device memory passed through to the guest need uid
 * 0 or the vm_passthrough capability (cred.h), and vCPUs run only on
 * CPUs of the caller's own set (its job's cpus=).
 *
 * The image's header is copied into the kernel once, by the glue
 * (vmm_create); that copy is what the passthrough check and Palacios
 * both use, so another thread rewriting the header in user memory cannot
 * slip past either check. The payloads are read in
 * place: the image lies in the caller's memory, which Kitten maps
 * physically contiguous and never pages, checked once for being mapped,
 * and Palacios reads them only within the bounds of the header copy.
 */
#define pr_fmt(fmt) "vm: " fmt

#include <arch/percpu.h>
#include <kitten/aspace.h>
#include <kitten/compiler.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/vmm.h>

#define MAX_VMS		64
#define MAX_VM_CPUS	64

struct vm_slot {
	struct vmm_vm *vm;
	struct aspace *owner;
	uint64_t image, image_len;	/* where the owner keeps its image */
	bool busy;		/* a call is using it: not to be freed */
};

static struct vm_slot vms[MAX_VMS];
static struct spinlock vms_lock = SPINLOCK_INIT("vms", LOCK_RANK_LEAF);

/* Take VM id for a call by its owner; put_vm() when done. */
static struct vmm_vm *get_vm(uint64_t id)
{
	struct aspace *as = task_current()->aspace;
	struct vmm_vm *vm = NULL;
	unsigned long flags;

	if (id < 1 || id > MAX_VMS)
		return NULL;
	flags = spin_lock_irqsave(&vms_lock);
	if (vms[id - 1].vm && vms[id - 1].owner == as && !vms[id - 1].busy) {
		vm = vms[id - 1].vm;
		vms[id - 1].busy = true;
	}
	spin_unlock_irqrestore(&vms_lock, flags);
	return vm;
}

static void put_vm(uint64_t id)
{
	unsigned long flags = spin_lock_irqsave(&vms_lock);

	vms[id - 1].busy = false;
	spin_unlock_irqrestore(&vms_lock, flags);
}

/*
 * Whether to log a refusal: the first of each process in a row. The
 * caller gets the reason either way (errbuf, the error number), and a
 * job that asks again and again must not flood the kernel log.
 */
static bool first_refusal(void)
{
	static unsigned last_pid;
	unsigned pid = task_current()->aspace->leader_id;

	return __atomic_exchange_n(&last_pid, pid, __ATOMIC_RELAXED) != pid;
}

static void tell(uint64_t errbuf, uint64_t errlen, const char *err)
{
	if (errlen)
		copy_to_user(errbuf, err, MIN(errlen, strlen(err) + 1));
}

SYSCALL_DEFINE4(kitten_vm_create, uint64_t, image, uint64_t, len,
		uint64_t, errbuf, uint64_t, errlen)
{
	struct aspace *as = task_current()->aspace;
	char err[160] = "";
	struct vmm_vm *vm;
	struct cred cred;
	unsigned long flags;
	long id = -ENOSPC;
	int ret;

	if (!vmm_available())
		return -ENODEV;
	if (!as || !len || !aspace_range_ok(as, image, len, ASPACE_R))
		return -EFAULT;
	cred_get(as, &cred);
	ret = vmm_create(image, len,
			 cred_capable(&cred, KITTEN_CAP_VM_PASSTHROUGH), &vm, err,
			 sizeof(err));
	if (ret == -EPERM)	/* logs the refusal, once per process */
		cred_check(KITTEN_CAP_VM_PASSTHROUGH,
			   "a VM with host ports, IRQs or device memory");
	else if (ret && first_refusal())
		pr_info("process %u: refused: %s (logged once in a row)\n",
			as->leader_id, err);
	if (ret) {
		tell(errbuf, errlen, err);
		return ret;
	}
	flags = spin_lock_irqsave(&vms_lock);
	for (unsigned i = 0; i < MAX_VMS; i++) {
		if (!vms[i].vm) {
			vms[i] = (struct vm_slot){ .vm = vm, .owner = as,
						   .image = image, .image_len = len };
			id = i + 1;
			break;
		}
	}
	spin_unlock_irqrestore(&vms_lock, flags);
	if (id < 0)
		vmm_free(vm);
	return id;
}

/* The CPUs the caller's process may use: its set, or all online. */
static uint64_t caller_cpus(void)
{
	uint64_t mask = task_current()->aspace->cpu_mask;

	if (!mask)
		for (unsigned i = 0; i < nr_cpus_online && i < 64; i++)
			mask |= 1ULL << i;
	return mask;
}

SYSCALL_DEFINE3(kitten_vm_launch, uint64_t, id, uint64_t, cpus_ptr,
		uint64_t, ncpus)
{
	unsigned cpus[MAX_VM_CPUS];
	uint64_t allowed = caller_cpus();
	struct vmm_vm *vm;
	long ret;

	if (!ncpus || ncpus > MAX_VM_CPUS)
		return -EINVAL;
	if (copy_from_user(cpus, cpus_ptr, ncpus * sizeof(cpus[0])))
		return -EFAULT;
	/* A job's vCPUs take only its own CPUs, as its threads do. */
	for (unsigned i = 0; i < ncpus; i++)
		if (cpus[i] >= 64 || !(allowed & (1ULL << cpus[i]))) {
			if (first_refusal())
				pr_info("vm %lu: vCPU %u on CPU %u, outside the process's CPUs 0x%lx: refused (EPERM)\n",
					(unsigned long)id, i, cpus[i],
					(unsigned long)allowed);
			return -EPERM;
		}
	vm = get_vm(id);
	if (!vm)
		return -ENOENT;
	ret = vmm_start(vm, cpus, ncpus);
	put_vm(id);
	return ret;
}

SYSCALL_DEFINE1(kitten_vm_stop, uint64_t, id)
{
	struct vmm_vm *vm = get_vm(id);

	if (!vm)
		return -ENOENT;
	vmm_stop(vm, "stopped by the host");
	put_vm(id);
	return 0;
}

SYSCALL_DEFINE4(kitten_vm_console_read, uint64_t, id, uint64_t, buf,
		uint64_t, len, uint64_t, timeout_ns)
{
	char chunk[512];
	struct vmm_vm *vm;
	long n;

	if (!len)
		return -EINVAL;
	vm = get_vm(id);
	if (!vm)
		return -ENOENT;
	n = vmm_console_read(vm, chunk, MIN(len, sizeof(chunk)),
			     timeout_ns);
	put_vm(id);
	if (n > 0 && copy_to_user(buf, chunk, n))
		return -EFAULT;
	return n;
}

SYSCALL_DEFINE2(kitten_vm_status, uint64_t, id, uint64_t, status)
{
	struct kitten_vm_status st;
	struct vmm_vm *vm = get_vm(id);

	if (!vm)
		return -ENOENT;
	vmm_status(vm, &st);
	put_vm(id);
	return copy_to_user(status, &st, sizeof(st));
}

SYSCALL_DEFINE1(kitten_vm_free, uint64_t, id)
{
	struct vmm_vm *vm = get_vm(id);
	unsigned long flags;
	int ret;

	if (!vm)
		return -ENOENT;
	/* The guest's disk goes back into the image, for the next VM made
	 * from it, if the owner still has the image mapped writable. */
	if (aspace_range_ok(task_current()->aspace, vms[id - 1].image,
			    vms[id - 1].image_len, ASPACE_W))
		vmm_disk_write_back(vm, (void *)vms[id - 1].image,
				    vms[id - 1].image_len);
	ret = vmm_free(vm);
	flags = spin_lock_irqsave(&vms_lock);
	if (!ret)
		vms[id - 1] = (struct vm_slot){ 0 };
	else
		vms[id - 1].busy = false;
	spin_unlock_irqrestore(&vms_lock, flags);
	return ret;
}

void vm_release_owned(struct aspace *as)
{
	for (unsigned i = 0; i < MAX_VMS; i++) {
		unsigned long flags = spin_lock_irqsave(&vms_lock);
		struct vmm_vm *vm = NULL;

		/* Its threads are gone: nothing of it holds a slot busy. */
		if (vms[i].vm && vms[i].owner == as && !vms[i].busy) {
			vm = vms[i].vm;
			vms[i].busy = true;
		}
		spin_unlock_irqrestore(&vms_lock, flags);
		if (!vm)
			continue;
		vmm_stop(vm, "its process ended");
		while (vmm_free(vm) == -EBUSY)	/* until its vCPUs are out */
			task_sleep_ns(1000 * 1000);
		flags = spin_lock_irqsave(&vms_lock);
		vms[i] = (struct vm_slot){ 0 };
		spin_unlock_irqrestore(&vms_lock, flags);
	}
}
