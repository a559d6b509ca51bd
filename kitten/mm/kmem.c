// SPDX-License-Identifier: GPL-2.0
/*
 * Heap allocation (the model is in kmem.h).
 *
 * A slab is one 4 KiB page: a header, then objects of one size class. The
 * header holds a bitmap of allocated objects, which is what lets a free
 * be checked (right page kind, object boundary, currently allocated)
 * before it changes anything. A slab whose objects are all free goes back
 * to the page source. A large block starts with a small header recording
 * its order; the pointer handed out follows it.
 *
 * The heap counts what it holds: live objects and slab pages per size
 * class, large blocks and their pages. A leak shows up there as a count
 * that does not come back (/proc/kitten/memory prints them).
 */
#define pr_fmt(fmt) "kmem: " fmt

#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/string.h>

#define SLAB_SIZE	4096
#define POISON		0x6b	/* freed objects' bytes past the freer */
#define SLAB_MAGIC	0x51ab51ab
#define LARGE_MAGIC	0x1a26e000
#define MAX_OBJECTS	((SLAB_SIZE - 64) / KMEM_MIN_SMALL)

struct slab {
	uint32_t magic;
	uint16_t class;
	uint16_t nr_free;
	void *free_list;		/* next pointer stored in each free object */
	struct list_head node;		/* on heap->partial[class] when nr_free */
	uint64_t used[(MAX_OBJECTS + 63) / 64];
} __attribute__((aligned(16)));

struct large {
	uint32_t magic;
	uint32_t order;
	uint64_t size;
};

_Static_assert(sizeof(struct slab) <= 64, "slab header too big");
_Static_assert(sizeof(struct large) == 16, "large header must keep 16-byte alignment");

static size_t class_size(unsigned class)
{
	return (size_t)KMEM_MIN_SMALL << class;
}

static char *objects(struct slab *s)
{
	return (char *)s + 64;
}

static unsigned capacity(unsigned class)
{
	return (SLAB_SIZE - 64) / class_size(class);
}

void kmem_heap_init(struct kmem_heap *heap,
		    int (*page_alloc)(void *ctx, unsigned order, void **out),
		    void (*page_free)(void *ctx, void *ptr), void *ctx)
{
	heap->page_alloc = page_alloc;
	heap->page_free = page_free;
	heap->ctx = ctx;
	heap->bytes_in_use = 0;
	heap->pages_held = 0;
	heap->large_blocks = 0;
	heap->large_pages = 0;
	heap->check_freed = false;
	heap->freed_writes = 0;
	for (unsigned c = 0; c < KMEM_NR_CLASSES; c++) {
		list_init(&heap->partial[c]);
		heap->live[c] = 0;
		heap->slabs[c] = 0;
	}
}

static struct slab *new_slab(struct kmem_heap *heap, unsigned class)
{
	struct slab *s;
	void *page;
	size_t size = class_size(class);

	if (heap->page_alloc(heap->ctx, 0, &page))
		return NULL;
	heap->pages_held++;
	heap->slabs[class]++;
	s = page;
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->class = class;
	s->nr_free = capacity(class);
	if (heap->check_freed)
		memset(objects(s), POISON, capacity(class) * size);
	/* Chain the objects, lowest address first. */
	for (int i = capacity(class) - 1; i >= 0; i--) {
		void **obj = (void **)(objects(s) + i * size);

		*obj = s->free_list;
		s->free_list = obj;
		if (heap->check_freed)
			obj[1] = NULL;	/* no freer yet */
	}
	list_add(&s->node, &heap->partial[class]);
	return s;
}

/*
 * Is the free object obj of slab s as it was left (check_freed)? Its link
 * must name a free object of s, or nothing if it is the last; the bytes
 * after the freer must still be poison.
 */
static void check_freed(struct kmem_heap *heap, struct slab *s, void **obj)
{
	size_t size = class_size(s->class);
	const unsigned char *bytes = (const unsigned char *)obj;
	char *next = *obj;
	bool link_ok = next ? next >= objects(s) &&
				      next < objects(s) + capacity(s->class) * size &&
				      (size_t)(next - objects(s)) % size == 0 :
			      s->nr_free == 1;

	for (size_t i = 2 * sizeof(void *); i < size && link_ok; i++) {
		if (bytes[i] != POISON) {
			pr_err("object %p (%zu bytes, freed from %p) written after free: byte %zu is %#x\n",
			       (void *)obj, size, obj[1], i, bytes[i]);
			heap->freed_writes++;
			return;
		}
	}
	if (!link_ok) {
		pr_err("object %p (%zu bytes, freed from %p) written after free: its link is %p\n",
		       (void *)obj, size, obj[1], next);
		heap->freed_writes++;
	}
}

static void *alloc_small(struct kmem_heap *heap, size_t size)
{
	unsigned class = 0;
	struct slab *s;
	void **obj;
	unsigned idx;

	while (class_size(class) < size)
		class++;
	if (list_empty(&heap->partial[class]) && !new_slab(heap, class))
		return NULL;
	s = list_first_entry(&heap->partial[class], struct slab, node);
	obj = s->free_list;
	if (heap->check_freed)
		check_freed(heap, s, obj);
	s->free_list = *obj;
	if (--s->nr_free == 0)
		list_del(&s->node);
	idx = ((char *)obj - objects(s)) / class_size(class);
	s->used[idx / 64] |= 1ULL << (idx % 64);
	heap->bytes_in_use += class_size(class);
	heap->live[class]++;
	return obj;
}

static void *alloc_large(struct kmem_heap *heap, size_t size)
{
	unsigned order = 0;
	struct large *l;
	void *page;

	while (((size_t)SLAB_SIZE << order) < size + sizeof(*l))
		if (++order > 30)
			return NULL;
	if (heap->page_alloc(heap->ctx, order, &page))
		return NULL;
	l = page;
	l->magic = LARGE_MAGIC;
	l->order = order;
	l->size = (size_t)SLAB_SIZE << order;
	heap->pages_held += 1ULL << order;
	heap->large_blocks++;
	heap->large_pages += 1ULL << order;
	heap->bytes_in_use += l->size;
	return l + 1;
}

void *kmem_heap_alloc(struct kmem_heap *heap, size_t size)
{
	if (size == 0)
		size = 1;
	return size <= KMEM_MAX_SMALL ? alloc_small(heap, size)
				      : alloc_large(heap, size);
}

void *kmem_heap_zalloc(struct kmem_heap *heap, size_t size)
{
	void *p = kmem_heap_alloc(heap, size);

	if (p)
		memset(p, 0, size);
	return p;
}

static void free_small(struct kmem_heap *heap, struct slab *s, void *ptr,
		       const void *caller)
{
	size_t size = class_size(s->class);
	size_t off = (char *)ptr - objects(s);
	unsigned idx = off / size;

	if ((char *)ptr < objects(s) || off % size || idx >= capacity(s->class)) {
		pr_err("free of %p: not an object of its %zu-byte slab\n", ptr,
		       size);
		return;
	}
	if (!(s->used[idx / 64] & (1ULL << (idx % 64)))) {
		pr_err("double free of %p (%zu-byte object)\n", ptr, size);
		return;
	}
	s->used[idx / 64] &= ~(1ULL << (idx % 64));
	if (heap->check_freed) {
		memset((char *)ptr + 2 * sizeof(void *), POISON,
		       size - 2 * sizeof(void *));
		((const void **)ptr)[1] = caller;
	}
	*(void **)ptr = s->free_list;
	s->free_list = ptr;
	heap->bytes_in_use -= size;
	heap->live[s->class]--;
	if (s->nr_free++ == 0)
		list_add(&s->node, &heap->partial[s->class]);
	if (s->nr_free == capacity(s->class)) {
		list_del(&s->node);
		s->magic = 0;
		heap->pages_held--;
		heap->slabs[s->class]--;
		heap->page_free(heap->ctx, s);
	}
}

void kmem_heap_free(struct kmem_heap *heap, void *ptr)
{
	kmem_heap_free_from(heap, ptr, NULL);
}

void kmem_heap_free_from(struct kmem_heap *heap, void *ptr, const void *caller)
{
	uintptr_t page = (uintptr_t)ptr & ~(uintptr_t)(SLAB_SIZE - 1);
	struct large *l = (struct large *)page;

	if (!ptr)
		return;
	if ((uintptr_t)ptr - page == sizeof(*l) && l->magic == LARGE_MAGIC) {
		l->magic = 0;
		heap->pages_held -= 1ULL << l->order;
		heap->large_blocks--;
		heap->large_pages -= 1ULL << l->order;
		heap->bytes_in_use -= l->size;
		heap->page_free(heap->ctx, l);
		return;
	}
	if (((struct slab *)page)->magic == SLAB_MAGIC) {
		free_small(heap, (struct slab *)page, ptr, caller);
		return;
	}
	pr_err("free of %p: not allocated by kmem (or freed already)\n", ptr);
}
