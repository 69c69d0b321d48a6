/* The jansson arena (redfish_arena.h): chunks taken from a small global
 * pool for one window and given back to it, so the memory is allocated
 * once per thread that decodes, not once per answer. */
#include "redfish_arena.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define RF_ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define RF_ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define RF_ARENA_POISON(p, n) ((void)(p), (void)(n))
#define RF_ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define RF_ARENA_CHUNK (96 * 1024)   /* under malloc's mmap threshold */
#define RF_ARENA_ALIGN 16

struct rf_arena_chunk {
	struct rf_arena_chunk *next;
	size_t size, used;
	_Alignas(RF_ARENA_ALIGN) unsigned char mem[];
};

/* Chunks between windows; reachable from here, so never a leak. */
static pthread_mutex_t rf_arena_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rf_arena_chunk *rf_arena_pool;
static pthread_once_t rf_arena_once = PTHREAD_ONCE_INIT;

/* This thread's window: its chunks (the newest first), and how deep. */
static _Thread_local struct rf_arena_chunk *rf_arena_cur;
static _Thread_local unsigned rf_arena_depth;
static _Thread_local bool rf_arena_sealed;

static struct rf_arena_chunk *rf_arena_chunk_new(size_t size)
{
	struct rf_arena_chunk *c = malloc(sizeof(*c) + size);

	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	RF_ARENA_POISON(c->mem, size);
	return c;
}

static bool rf_arena_owns(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	for (const struct rf_arena_chunk *c = rf_arena_cur; c; c = c->next)
		if (a >= (uintptr_t)c->mem && a < (uintptr_t)c->mem + c->size)
			return true;
	return false;
}

static void *rf_arena_malloc(size_t n)
{
	struct rf_arena_chunk *c = rf_arena_cur;
	void *p;

	if (!rf_arena_depth || rf_arena_sealed || n > SIZE_MAX / 4)
		return malloc(n);
	n = (n + RF_ARENA_ALIGN - 1) & ~(size_t)(RF_ARENA_ALIGN - 1);
	if (!c || c->size - c->used < n) {
		c = rf_arena_chunk_new(n > RF_ARENA_CHUNK ? n : RF_ARENA_CHUNK);
		if (!c)
			return NULL;
		c->next = rf_arena_cur;
		rf_arena_cur = c;
	}
	p = c->mem + c->used;
	c->used += n;
	RF_ARENA_UNPOISON(p, n);
	return p;
}

/* Inside the window an arena block is taken back with the rest. */
static void rf_arena_free(void *p)
{
	if (rf_arena_depth && rf_arena_owns(p))
		return;
	free(p);
}

static void rf_arena_set_funcs(void)
{
	json_set_alloc_funcs(rf_arena_malloc, rf_arena_free);
}

void rf_arena_install(void)
{
	pthread_once(&rf_arena_once, rf_arena_set_funcs);
}

void rf_arena_enter(void)
{
	rf_arena_install();
	rf_arena_sealed = false;
	if (rf_arena_depth++)
		return;
	pthread_mutex_lock(&rf_arena_lock);
	rf_arena_cur = rf_arena_pool;
	if (rf_arena_cur) {
		rf_arena_pool = rf_arena_cur->next;
		rf_arena_cur->next = NULL;
	}
	pthread_mutex_unlock(&rf_arena_lock);
}

void rf_arena_seal(void)
{
	rf_arena_sealed = true;
}

void rf_arena_leave(void)
{
	struct rf_arena_chunk *keep = NULL, *c, *next;

	if (!rf_arena_depth || --rf_arena_depth)
		return;   /* an inner window: the outer one's handler goes on */
	rf_arena_sealed = false;
	/* Keep one standard chunk for the next window; free the rest. */
	for (c = rf_arena_cur; c; c = next) {
		next = c->next;
		if (!keep && c->size == RF_ARENA_CHUNK) {
			keep = c;
			continue;
		}
		free(c);
	}
	rf_arena_cur = NULL;
	if (!keep)
		return;
	RF_ARENA_POISON(keep->mem, keep->size);
	keep->used = 0;
	pthread_mutex_lock(&rf_arena_lock);
	keep->next = rf_arena_pool;
	rf_arena_pool = keep;
	pthread_mutex_unlock(&rf_arena_lock);
}
