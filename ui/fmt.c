#include "fmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

void fmt_temp(char *buf, size_t n, double c)
{
	if (!fleet_has(c))
		snprintf(buf, n, FMT_MISSING);
	else
		snprintf(buf, n, "%.0f%s", c, draw_utf8() ? "\u00b0C" : "C");
}

const char *fmt_units(const char *ucum)
{
	if (strcmp(ucum, "Cel") == 0)
		return draw_utf8() ? "\u00b0C" : "C";
	if (strcmp(ucum, "{rev}/min") == 0)
		return "RPM";
	return ucum;
}

void fmt_watts(char *buf, size_t n, double w)
{
	if (!fleet_has(w))
		snprintf(buf, n, FMT_MISSING);
	else if (w >= 100000)
		snprintf(buf, n, "%.0fkW", w / 1000);
	else
		snprintf(buf, n, "%.0fW", w);
}

void fmt_watts_of(char *buf, size_t n, double w, double limit)
{
	if (!fleet_has(w) && !fleet_has(limit))
		snprintf(buf, n, FMT_MISSING);
	else if (!fleet_has(limit))
		snprintf(buf, n, "%.0fW/" FMT_MISSING, w);
	else if (!fleet_has(w))
		snprintf(buf, n, FMT_MISSING "/%.0fW", limit);
	else
		snprintf(buf, n, "%.0f/%.0fW", w, limit);
}

static void fmt_gib(char *buf, size_t n, double mib)
{
	double g = mib / 1024.0;

	if (!fleet_has(mib))
		snprintf(buf, n, FMT_MISSING);
	else if (g < 10 && g != floor(g))
		snprintf(buf, n, "%.1f", g);
	else
		snprintf(buf, n, "%.0f", g);
}

void fmt_mem_of(char *buf, size_t n, double used_mib, double total_mib)
{
	char u[32], t[32];

	if (!fleet_has(used_mib) && !fleet_has(total_mib)) {
		snprintf(buf, n, FMT_MISSING);
		return;
	}
	fmt_gib(u, sizeof(u), used_mib);
	fmt_gib(t, sizeof(t), total_mib);
	snprintf(buf, n, "%s/%sG", u, t);
}

void fmt_pct(char *buf, size_t n, double pct)
{
	if (!fleet_has(pct))
		snprintf(buf, n, FMT_MISSING);
	else
		snprintf(buf, n, "%.0f%%", pct);
}

void fmt_number(char *buf, size_t n, double v)
{
	if (!fleet_has(v))
		snprintf(buf, n, FMT_MISSING);
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, n, "%.0f", v);
	else {
		/* Two decimals at most, and no trailing zeros: 31.9, 12.05. */
		char *dot;
		size_t l;

		snprintf(buf, n, "%.2f", v);
		dot = strchr(buf, '.');
		l = strlen(buf);
		while (dot && l > 0 && buf[l - 1] == '0')
			buf[--l] = '\0';
		if (dot && l > 0 && buf[l - 1] == '.')
			buf[--l] = '\0';
	}
}

void fmt_age_short(char *buf, size_t n, time_t then, time_t now)
{
	long long d = (long long)(now - then);

	if (d < 0)
		d = 0;
	if (d < 120)
		snprintf(buf, n, "%llds", d);
	else if (d < 7200)
		snprintf(buf, n, "%lldm", d / 60);
	else if (d < 172800)
		snprintf(buf, n, "%lldh", d / 3600);
	else
		snprintf(buf, n, "%lldd", d / 86400);
}

void fmt_age(char *buf, size_t n, time_t then, time_t now)
{
	char s[32];

	if (then == 0) {
		snprintf(buf, n, "never");
		return;
	}
	fmt_age_short(s, sizeof(s), then, now);
	snprintf(buf, n, "%s ago", s);
}

/* Whether the LEN bytes at S, a "where" or "what" in "where: what",
 * only say what failed ("power On failed", "login failed"). */
static bool fmt_says_failed(const char *s, size_t len)
{
	return len >= 6 && !memcmp(s + len - 6, "failed", 6) && !memchr(s, ':', len);
}

void fmt_why(char *buf, size_t n, const char *text)
{
	size_t o = 0;
	const char *p = text;

	if (!n)
		return;
	/* "power On failed: login failed: https://h/...: connection refused":
	 * the leading "X failed: " only repeat that it failed. */
	for (const char *c = strstr(p, ": "); c && fmt_says_failed(p, (size_t)(c - p));
	     c = strstr(p, ": "))
		p = c + 2;
	while (*p && o + 1 < n) {
		/* A URL followed by ": " is where: the row has no room for it. */
		const char *sp = strpbrk(p, " ");
		size_t wl = sp ? (size_t)(sp - p) : strlen(p);

		if (wl > 2 && p[wl - 1] == ':' && memmem(p, wl, "://", 3)) {
			p += wl + (sp ? 1 : 0);
			continue;
		}
		while (wl-- && o + 1 < n)
			buf[o++] = *p++;
		if (*p == ' ' && o + 1 < n)
			buf[o++] = *p++;
	}
	buf[o] = '\0';
}

const char *fmt_power(enum fleet_power p)
{
	switch (p) {
	case FLEET_POWER_ON: return "On";
	case FLEET_POWER_OFF: return "Off";
	case FLEET_POWER_POWERING_ON: return "->On";
	case FLEET_POWER_POWERING_OFF: return "->Off";
	default: return FMT_MISSING;
	}
}

const char *fmt_health(enum fleet_health h)
{
	return h == FLEET_HEALTH_UNKNOWN ? FMT_MISSING : fleet_health_name(h);
}

/* One try at the GPU states in BUF with the words of SET (0 long, 1
 * short); TOTAL_FIRST: "8: " then only the worst state not OK, "+"
 * when others are not OK either. */
static void fmt_gpu_try(char *buf, size_t n, const struct fleet_gpu_counts *c, int set,
			bool total_first)
{
	/* Worst first after OK: what the operator looks for. */
	const size_t cnt[] = { c->ok, c->absent, c->critical, c->warning, c->unknown };
	static const char *const words[2][5] = {
		{ "OK", "absent", "Critical", "Warning", "?" },
		{ "OK", "abs", "crit", "warn", "?" },
	};
	size_t len = 0;
	int bad = 0;

	buf[0] = '\0';
	if (total_first)
		len += (size_t)snprintf(buf, n, "%zu:", c->total);
	for (int i = total_first ? 1 : 0; i < 5; i++) {
		if (!cnt[i])
			continue;
		if (total_first && bad++) {
			if (len + 1 < n)
				buf[len++] = '+', buf[len] = '\0';
			break;
		}
		if (len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%zu %s", len ? " " : "",
						cnt[i], words[set][i]);
	}
}

void fmt_gpu_states(char *buf, size_t n, const struct fleet_gpu_counts *c, int width)
{
	const size_t cnt[] = { c->ok, c->absent, c->critical, c->warning, c->unknown };
	static const char *const one[] = { "OK", "absent", "Critical", "Warning", FMT_MISSING };
	int kinds = 0, last = 0;

	if (!n)
		return;
	for (int i = 0; i < 5; i++)
		if (cnt[i])
			kinds++, last = i;
	if (kinds <= 1) {
		/* All alike: "8 OK", "8 Critical", "8 absent" as before. */
		snprintf(buf, n, "%zu %s", c->total, one[last]);
		return;
	}
	fmt_gpu_try(buf, n, c, 0, false);
	if ((int)strlen(buf) <= width)
		return;
	fmt_gpu_try(buf, n, c, 1, false);
	if ((int)strlen(buf) <= width)
		return;
	fmt_gpu_try(buf, n, c, 0, true);
	if ((int)strlen(buf) <= width)
		return;
	fmt_gpu_try(buf, n, c, 1, true);
}
