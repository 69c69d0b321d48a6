/* The inventory loader (inventory_load) on one manifest file: whatever
 * it holds, every host is sound (fuzz_inv.c), every error is clean text
 * that names the file and a line it has, the errors are bounded, and
 * everything loaded is freed (libFuzzer's leak check). */
#include "fuzz_check.h"
#include "fuzz_inv.h"
#include "fuzz_msg.h"
#include "inventory.h"

#include <string.h>

/* inventory_int.h's bound, and the one "N more errors" line after it. */
#define MAX_ERRORS 1000

static bool fuzz_inventory_file_level(const char *msg)
{
	size_t n = strlen(msg);

	/* The only messages about the whole file rather than a line of it. */
	return (n > 22 && !strcmp(msg + n - 22, " more errors not shown")) ||
	       (n > 15 && !strcmp(msg + n - 15, ": out of memory"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("fleet.yaml", data, size, 0600);
	int max_line = fuzz_msg_max_line(data, size);
	struct inventory inv;

	FUZZ_ASSERT(inventory_load(path, NULL, &inv) == 0, "a readable file was not loaded");
	FUZZ_ASSERT(inv.nerrors <= MAX_ERRORS + 1, "errors are not bounded");
	for (size_t i = 0; i < inv.nerrors; i++)
		fuzz_check_msg("inventory error", inv.errors[i], path, max_line,
			       !fuzz_inventory_file_level(inv.errors[i]));
	fuzz_inv_check_hosts(&inv, path, max_line);
	inventory_free(&inv);
	FUZZ_ASSERT(!inv.hosts && !inv.errors && !inv.nhosts, "inventory_free left something");
	return 0;
}
