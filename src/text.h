/* Untrusted text: everything a BMC, a YAML file or a server sends goes
 * through here before it is stored or drawn. */
#ifndef RACKTOP_TEXT_H
#define RACKTOP_TEXT_H

#include <stddef.h>

/* Copies SRC into DST (size N, always terminated), dropping C0 and C1
 * control characters, DEL and invalid UTF-8 and cutting at a character
 * boundary. SRC may be NULL (gives ""). Returns DST. */
char *text_clean(char *dst, size_t n, const char *src);

/* snprintf into a fixed buffer, cut at a UTF-8 boundary. */
void text_copy(char *dst, size_t n, const char *src);

/* Overwrites S with zeros before free(): for passwords and tokens. */
void text_wipe_free(char *s);

#endif
