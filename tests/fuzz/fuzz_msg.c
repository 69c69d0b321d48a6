#include "fuzz_msg.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

int fuzz_msg_max_line(const uint8_t *d, size_t n)
{
	size_t breaks = 0;

	if (n >= 2 && ((d[0] == 0xff && d[1] == 0xfe) || (d[0] == 0xfe && d[1] == 0xff)))
		return INT_MAX;
	for (size_t i = 0; i < n; i++)
		if (d[i] == '\n' || d[i] == '\r' || d[i] == 0x85 || d[i] == 0xa8 || d[i] == 0xa9 ||
		    d[i] == '\\')
			breaks++;
	return breaks > INT_MAX - 2 ? INT_MAX : (int)breaks + 2;
}

int fuzz_check_msg(const char *what, const char *msg, const char *file, int max_line,
		   bool need_line)
{
	size_t fl = strlen(file);
	bool dir = fl && file[fl - 1] == '/';
	const char *p;
	char *end;
	long line;

	FUZZ_ASSERT(msg != NULL, "a message is NULL");
	fuzz_check_text(what, msg);
	/* A directory: any file in it (whose name holds no colon). */
	if (strncmp(msg, file, fl) || (dir ? !strchr(msg + fl, ':') : msg[fl] != ':')) {
		fprintf(stderr, "%s: \"%s\" does not start with \"%s%s\"\n", what, msg, file,
			dir ? "NAME:" : ":");
		abort();
	}
	p = (dir ? strchr(msg + fl, ':') : msg + fl) + 1;
	if (*p < '0' || *p > '9') {
		if (need_line) {
			fprintf(stderr, "%s: \"%s\" has no line number\n", what, msg);
			abort();
		}
		return 0;
	}
	line = strtol(p, &end, 10);
	if ((*end != ':' && *end != '\0') || line < 1 || line > max_line) {
		fprintf(stderr, "%s: \"%s\": line %ld is not one of 1..%d\n", what, msg, line, max_line);
		abort();
	}
	return (int)line;
}

void fuzz_check_range(const char *what, long v, long min, long max)
{
	if (v < min || v > max) {
		fprintf(stderr, "%s = %ld, out of %ld..%ld\n", what, v, min, max);
		abort();
	}
}
