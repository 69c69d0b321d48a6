/* FNV-1a, for the small in-memory hash tables and change signatures
 * (not for anything an attacker must not collide). */
#ifndef RACKTOP_HASH_H
#define RACKTOP_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A_INIT 2166136261u

/* H with the N bytes at V mixed in. */
static inline uint32_t hash_fnv1a(uint32_t h, const void *v, size_t n)
{
	const unsigned char *b = v;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* H with the string S (without its terminator) mixed in. */
static inline uint32_t hash_fnv1a_str(uint32_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

#endif
