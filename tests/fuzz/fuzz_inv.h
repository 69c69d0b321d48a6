/* What every loaded inventory must hold, whatever the manifests said
 * (the inventory harnesses and the credentials one share it). */
#ifndef RACKTOP_FUZZ_INV_H
#define RACKTOP_FUZZ_INV_H

#include "inventory.h"

/* Aborts unless every host of INV is sound: clean strings, numbers in
 * the ranges inventory.h gives, an address that cannot change a URL,
 * unique names, a source "WHERE:N" with N in 1..MAX_LINE (WHERE a file,
 * or "DIR/" for any file of DIR, as fuzz_check_msg() takes it). */
void fuzz_inv_check_hosts(const struct inventory *inv, const char *where, int max_line);

#endif
