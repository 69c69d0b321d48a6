/* The text cleaner: whatever goes in, what comes out is valid UTF-8 with
 * no C0/C1 control or DEL, shorter than the buffer, and a prefix of the
 * input's printable characters. */
#include "fuzz_check.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1);
	char out[257], copy[64];
	size_t cap;

	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	/* The buffer size comes from the input too, so every cut is tried. */
	cap = size ? (size_t)data[0] % sizeof out + 1 : sizeof out;
	memset(out, 'X', sizeof out);
	text_clean(out, cap, src);
	FUZZ_ASSERT(strlen(out) < cap, "text_clean wrote past its buffer size");
	FUZZ_ASSERT(out[cap - 1] == '\0' || strlen(out) < cap - 1, "not terminated inside the buffer");
	fuzz_check_text("text_clean", out);
	/* Cleaning clean text changes nothing. */
	{
		char again[257];

		text_clean(again, sizeof again, out);
		FUZZ_ASSERT(strcmp(again, out) == 0, "text_clean is not idempotent");
	}
	/* text_copy cuts at a character boundary: clean in, clean out. */
	text_copy(copy, sizeof copy, out);
	fuzz_check_text("text_copy", copy);
	FUZZ_ASSERT(strncmp(copy, out, strlen(copy)) == 0, "text_copy is not a prefix");
	free(src);
	return 0;
}
