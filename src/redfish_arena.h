/* A bump arena for jansson while the engine thread decodes one answer of
 * a refresh: jansson allocates a block per value, key and hashtable, and
 * at fleet size malloc and free of those cost about as much as the
 * parsing itself. json_set_alloc_funcs() is process-wide, so the arena
 * serves only the thread between rf_arena_enter() and rf_arena_seal()
 * (the parse); every other jansson allocation, on this thread or any
 * other, is malloc's. Nothing parsed may outlive the window:
 * rf_arena_leave() takes all of it back at once (under AddressSanitizer
 * the memory is then poisoned, so a json_t kept past it is reported).
 * Windows nest: an inner one allocates in the outer's arena. */
#ifndef RACKTOP_REDFISH_ARENA_H
#define RACKTOP_REDFISH_ARENA_H

void rf_arena_enter(void);
/* From here to rf_arena_leave() jansson allocates with malloc again, and
 * frees of the arena's blocks still cost nothing: call it once the
 * answer is parsed, so that what the handler builds (a login's body, a
 * json_dumps() text freed with free()) is never the arena's. */
void rf_arena_seal(void);
void rf_arena_leave(void);
/* Installs the allocation functions; done by rf_arena_enter() too. Call
 * it early (before other threads use jansson): it is a plain write. */
void rf_arena_install(void);

#endif
