/* What every harness checks beyond "no crash", and the files they feed
 * to parsers that read paths. A broken invariant aborts, which libFuzzer
 * reports as a finding with the input that caused it. */
#ifndef RACKTOP_FUZZ_CHECK_H
#define RACKTOP_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* Aborts, naming WHAT, unless S (NULL is fine) is valid UTF-8 with no
 * C0 or C1 control character and no DEL: what the store, the screen and
 * every error message may hold. Written apart from src/text.c on purpose,
 * so a bug there is not checked by itself. */
void fuzz_check_text(const char *what, const char *s);

/* The same for a buffer of N bytes that need not be terminated. */
void fuzz_check_bytes(const char *what, const char *s, size_t n);

/* Aborts with MSG when COND is false. */
#define FUZZ_ASSERT(cond, msg) fuzz_assert((cond) != 0, (msg), __FILE__, __LINE__)
void fuzz_assert(int ok, const char *msg, const char *file, int line);

/* A private directory for this process (under $TMPDIR), made once and
 * removed at exit. */
const char *fuzz_dir(void);

/* Writes D (N bytes) to fuzz_dir()/NAME with MODE and returns the path
 * (static storage, valid until the next call). Aborts on I/O errors:
 * those are the harness's, not the parser's. */
const char *fuzz_file(const char *name, const uint8_t *d, size_t n, unsigned mode);

/* Empties fuzz_dir() (between inputs of harnesses that write several files). */
void fuzz_dir_clear(void);

#endif
