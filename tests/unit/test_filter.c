/* The / filter: a bare term matches the host name (as --hosts does),
 * FIELD:REGEX a field's values at a word's start, terms are ANDed and !
 * negates one. Plain ASCII words take a strcasestr() fast path and ASCII
 * regexes a C-locale copy (ui/filter.c): each must match exactly what
 * the locale's regex matches. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "filter_host.h"

/* A row with only field K set to S. */
static struct filter_row row_of(enum filter_field k, const char *s)
{
	struct filter_row r = { { NULL } };

	r.field[k] = s;
	return r;
}

static bool match_name(const struct filter *f, const char *name)
{
	struct filter_row r = row_of(FILTER_NAME, name);

	return filter_match(f, &r);
}

static const char *names[] = {
	"gen-node-00009",
	"GEN-NODE-00019",
	"rack2-n07",
	"gpu-node-300",
	"gpu-node-3001",
	"gpu-\xc3\xa9t\xc3\xa9-01",   /* UTF-8 in a name */
	"",
};

/* Values of a field, one a line: word starts after spaces, line starts,
 * punctuation and non-ASCII letters or signs. */
static const char *values[] = {
	"Off",
	"PoweringOff",
	"On\nOff",
	"Critical",
	"unreachable\nrefused",
	"https://10.0.0.1:443/redfish/v1: connection refused",
	"Enabled\nOK\nAbsent",
	"1.2.3\n96.00.89",
	"x-crit",
	"xcrit",
	"\xc3\xa9" "crit",            /* a letter before: no word start */
	"\xc2\xb0" "crit",            /* a sign before: a word start */
	"",
};

/* F's verdict on every name (field NAME) or value (field K) equals that
 * of the same term made a regex by a bracket that changes nothing. */
static void same_as_regex(const char *text)
{
	struct filter f = { 0 }, g = { 0 };
	char err[200], re[300];
	const char *t = text[0] == '!' ? text + 1 : text;
	const char *colon = strchr(t, ':');
	const char *pat = colon ? colon + 1 : t;
	enum filter_field k = FILTER_NAME;

	cr_assert_eq(filter_set(&f, text, err, sizeof(err)), 0, "%s: %s", text, err);
	cr_assert_eq(f.nterms, 1);
	cr_assert(f.terms[0].literal, "'%s' should take the plain-word path", text);
	k = f.terms[0].field;
	snprintf(re, sizeof(re), "%.*s[%c]%s", (int)(pat - text), text, pat[0], pat + 1);
	cr_assert_eq(filter_set(&g, re, err, sizeof(err)), 0, "%s: %s", re, err);
	cr_assert(!g.terms[0].literal, "'%s' has regex syntax", re);
	cr_assert_eq(g.terms[0].field, k);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const char *s = k == FILTER_NAME && i < sizeof(names) / sizeof(names[0]) ?
				names[i] : values[i];
		struct filter_row r = row_of(k, s);

		cr_expect_eq(filter_match(&f, &r), filter_match(&g, &r),
			     "'%s' and '%s' disagree on '%s'", text, re, s);
	}
	filter_clear(&f);
	filter_clear(&g);
}

Test(filter, plain_words_match_as_the_regex_does)
{
	setlocale(LC_ALL, "C.UTF-8");
	same_as_regex("node-0001");
	same_as_regex("gen-node");
	same_as_regex("NODE");
	same_as_regex("!node");
	same_as_regex("power:off");
	same_as_regex("power:OFF");
	same_as_regex("!power:on");
	same_as_regex("health:crit");
	same_as_regex("health:unreach");
	same_as_regex("error:refused");
	same_as_regex("error:10:443");
	same_as_regex("gpu:absent");
	same_as_regex("fw:96");
}

Test(filter, a_bare_term_is_the_name_and_dollar_anchors_it)
{
	struct filter f = { 0 };
	char err[200];
	struct filter_row r = { { NULL } };

	setlocale(LC_ALL, "C.UTF-8");
	cr_assert_eq(filter_set(&f, "gpu-node-300$", err, sizeof(err)), 0, "%s", err);
	cr_expect(match_name(&f, "gpu-node-300"));
	cr_expect(!match_name(&f, "gpu-node-3001"));
	/* The name only: the row's other fields are not searched. */
	r.field[FILTER_NAME] = "gpu-node-001";
	r.field[FILTER_HEALTH] = "OK";
	r.field[FILTER_ERROR] = "gpu-node-300: refused";
	cr_expect(!filter_match(&f, &r));
	/* The README's own example. */
	cr_assert_eq(filter_set(&f, "^gpu-node-00[1-3]$", err, sizeof(err)), 0);
	cr_expect(match_name(&f, "gpu-node-001"));
	cr_expect(match_name(&f, "gpu-node-003"));
	cr_expect(!match_name(&f, "gpu-node-004"));
	cr_expect(!match_name(&f, "gpu-node-0011"));
	cr_expect(!match_name(&f, "xgpu-node-001"));
	/* Case-insensitive, as before. */
	cr_expect(match_name(&f, "GPU-NODE-002"));
	filter_clear(&f);
}

Test(filter, fields_terms_and_negation)
{
	struct filter f = { 0 };
	char err[200];
	struct filter_row a = { { NULL } }, b = { { NULL } };

	setlocale(LC_ALL, "C.UTF-8");
	a.field[FILTER_NAME] = "rack1-n01";
	a.field[FILTER_POWER] = "Off";
	a.field[FILTER_HEALTH] = "Critical";
	a.field[FILTER_GPU] = "Enabled\nOK\nAbsent";
	a.field[FILTER_FW] = "01.03.07\n2.1a\n96.00.89";
	b.field[FILTER_NAME] = "rack2-n01";
	b.field[FILTER_POWER] = "PoweringOff";
	b.field[FILTER_HEALTH] = "OK";
	b.field[FILTER_GPU] = "Enabled\nOK";
	b.field[FILTER_FW] = "01.03.08";

	cr_assert_eq(filter_set(&f, "power:off", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &a));
	cr_expect(!filter_match(&f, &b), "power:off is Off, not PoweringOff");
	cr_assert_eq(filter_set(&f, "health:crit", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &a) && !filter_match(&f, &b));
	cr_assert_eq(filter_set(&f, "gpu:absent", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &a) && !filter_match(&f, &b));
	cr_assert_eq(filter_set(&f, "fw:96\\.00", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &a) && !filter_match(&f, &b), "any of the values");
	cr_assert_eq(filter_set(&f, "fw:01\\.03\\.0[78]$", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &a) && filter_match(&f, &b), "$ ends one value");
	cr_assert_eq(filter_set(&f, "health:crit|ok", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &a) && filter_match(&f, &b), "alternatives in one term");
	/* Spaces: AND. */
	cr_assert_eq(filter_set(&f, "rack power:off", err, sizeof(err)), 0);
	cr_expect_eq(f.nterms, 2);
	cr_expect(filter_match(&f, &a) && !filter_match(&f, &b));
	cr_assert_eq(filter_set(&f, "  rack2   gpu:ok  ", err, sizeof(err)), 0);
	cr_expect(!filter_match(&f, &a) && filter_match(&f, &b));
	/* ! negates one term. */
	cr_assert_eq(filter_set(&f, "rack !power:off", err, sizeof(err)), 0);
	cr_expect(!filter_match(&f, &a) && filter_match(&f, &b));
	cr_assert_eq(filter_set(&f, "!rack1", err, sizeof(err)), 0);
	cr_expect(!filter_match(&f, &a) && filter_match(&f, &b));
	/* A field name in any case; a name pattern with ':' is not a field. */
	cr_assert_eq(filter_set(&f, "POWER:off", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &a));
	cr_assert_eq(filter_set(&f, "rack[[:digit:]]-n", err, sizeof(err)), 0);
	cr_expect_eq(f.terms[0].field, FILTER_NAME);
	cr_expect(filter_match(&f, &a));
	filter_clear(&f);
}

Test(filter, node_matches_nothing_and_says_why)
{
	struct filter f = { 0 };
	char err[200];
	struct filter_row a = { { NULL } };

	setlocale(LC_ALL, "C.UTF-8");
	a.field[FILTER_NAME] = "n1";
	cr_assert_eq(filter_set(&f, "node:cordoned", err, sizeof(err)), 0);
	cr_expect(!filter_match(&f, &a));
	cr_expect(strstr(f.note, "node") != NULL, "the note says why: '%s'", f.note);
	cr_assert_eq(filter_set(&f, "!node:cordoned", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &a));
	cr_assert_eq(filter_set(&f, "n1", err, sizeof(err)), 0);
	cr_expect_str_eq(f.note, "");
	filter_clear(&f);
}

Test(filter, bad_terms_keep_the_old_filter)
{
	struct filter f = { 0 };
	char err[200];

	setlocale(LC_ALL, "C.UTF-8");
	cr_assert_eq(filter_set(&f, "a.b", err, sizeof(err)), 0);
	cr_expect_eq(filter_set(&f, "(", err, sizeof(err)), -1);
	cr_expect_str_eq(f.text, "a.b");
	cr_expect_eq(filter_set(&f, "colour:red", err, sizeof(err)), -1);
	cr_expect(strstr(err, "colour") && strstr(err, "power"), "names the fields: %s", err);
	cr_expect_str_eq(f.text, "a.b");
	cr_expect_eq(filter_set(&f, "ok health:(", err, sizeof(err)), -1);
	cr_expect_str_eq(f.text, "a.b");
	cr_expect_eq(filter_set(&f, "a b c d e f g h i", err, sizeof(err)), -1, "too many terms");
	/* Being typed: "!" or "power:" alone is no term yet, and no error. */
	cr_expect_eq(filter_set(&f, "power:", err, sizeof(err)), 0);
	cr_expect(!f.active);
	cr_expect_eq(filter_set(&f, "!", err, sizeof(err)), 0);
	cr_expect(!f.active);
	cr_expect_eq(filter_set(&f, "   ", err, sizeof(err)), 0);
	cr_expect(!f.active);
	filter_clear(&f);
	cr_expect(!f.active && f.nterms == 0);
}

Test(filter, regex_syntax_and_non_ascii_keep_the_regex)
{
	struct filter f = { 0 };
	char err[200];

	setlocale(LC_ALL, "C.UTF-8");
	cr_assert_eq(filter_set(&f, "node-0+9", err, sizeof(err)), 0);
	cr_expect(!f.terms[0].literal);
	cr_expect(match_name(&f, names[0]));
	cr_assert_eq(filter_set(&f, "\xc3\xa9t\xc3\xa9", err, sizeof(err)), 0);
	cr_expect(!f.terms[0].literal, "a non-ASCII pattern goes to regexec (case folding beyond ASCII)");
	cr_expect(match_name(&f, names[5]));
	filter_clear(&f);
}

/* A regex of ASCII also compiled under the C locale, used on values of
 * pure ASCII (glibc's regexec is far faster there): every verdict must be
 * what the locale's regex alone gives, on ASCII values and on the others. */
static const char *ascii_rows[] = {
	"gen-node-00007",
	"GEN-NODE-00017",
	"gen-node-00070",
	"rack2-n07",
	"gpu-\xc3\xa9t\xc3\xa9-07",             /* UTF-8 in a name */
	"GPU-\xc3\x89T\xc3\x89-17",             /* the same letters upper case */
	"node-\xe2\x82\xac-7",                  /* a 3-byte character where .* runs */
	"node-\xc3\xa9",
	"On\nOff",
	"x",
	"",
};

static void same_as_locale_regex(const char *text)
{
	struct filter f = { 0 };
	regex_t re;
	char err[200];
	const char *pat = text[0] == '!' ? text + 1 : text;

	cr_assert_eq(filter_set(&f, text, err, sizeof(err)), 0, "%s: %s", text, err);
	cr_assert(!f.terms[0].literal && f.terms[0].has_ascii,
		  "'%s' should have its C-locale copy", text);
	cr_assert_eq(regcomp(&re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB | REG_NEWLINE), 0);
	for (size_t i = 0; i < sizeof(ascii_rows) / sizeof(ascii_rows[0]); i++) {
		bool want = (regexec(&re, ascii_rows[i], 0, NULL, 0) == 0) != (text[0] == '!');

		cr_expect_eq(match_name(&f, ascii_rows[i]), want, "'%s' on '%s': %d, want %d",
			     text, ascii_rows[i], match_name(&f, ascii_rows[i]), want);
	}
	regfree(&re);
	filter_clear(&f);
	cr_expect(f.nterms == 0 && !f.active);
}

Test(filter, ascii_regex_in_c_locale_matches_as_the_locale_regex)
{
	setlocale(LC_ALL, "C.UTF-8");
	same_as_locale_regex("node-.*7$");
	same_as_locale_regex("NODE-0+7");
	same_as_locale_regex("gen-node-0[0-4]");
	same_as_locale_regex("warning|critical");
	same_as_locale_regex("!off|ok");
	same_as_locale_regex("^[a-z]+-.-");          /* "." is one character, not one byte */
	same_as_locale_regex("-.{2}-");
	same_as_locale_regex("[[:alpha:]]{4}-[[:digit:]]+");
	same_as_locale_regex("\\bn07\\b");
	same_as_locale_regex("^.$");
	same_as_locale_regex("^off$");
}

/* A field term's word-start regex has its C-locale copy too, and agrees
 * with the locale's: a letter beyond ASCII before is no word start. */
Test(filter, field_regex_in_c_locale_matches_as_the_locale_regex)
{
	struct filter f = { 0 }, g = { 0 };
	char err[200];

	setlocale(LC_ALL, "C.UTF-8");
	cr_assert_eq(filter_set(&f, "health:cr.t", err, sizeof(err)), 0);
	cr_assert(f.terms[0].has_ascii && !f.terms[0].literal);
	cr_assert_eq(filter_set(&g, "health:crit", err, sizeof(err)), 0);
	cr_assert(g.terms[0].literal);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct filter_row r = row_of(FILTER_HEALTH, values[i]);

		cr_expect_eq(filter_match(&f, &r), filter_match(&g, &r), "on '%s'", values[i]);
	}
	{
		struct filter_row r = row_of(FILTER_HEALTH, "\xc3\xa9" "crit");

		cr_expect(!filter_match(&g, &r), "after a letter beyond ASCII: no word start");
		r = row_of(FILTER_HEALTH, "\xc2\xb0" "crit");
		cr_expect(filter_match(&g, &r), "after a sign: a word start");
	}
	filter_clear(&f);
	filter_clear(&g);
}

/* The C-locale copy is the one that ran on an ASCII value, and the UTF-8
 * one on the rest: "." over "é" is one character in UTF-8, two bytes in C. */
Test(filter, ascii_rows_take_the_c_locale_regex)
{
	struct filter f = { 0 };
	char err[200];

	setlocale(LC_ALL, "C.UTF-8");
	cr_assert_eq(filter_set(&f, "^node-.$", err, sizeof(err)), 0);
	cr_assert(f.terms[0].has_ascii);
	cr_expect(match_name(&f, "node-\xc3\xa9"), "UTF-8 value: the locale's regex");
	cr_expect(match_name(&f, "NODE-x"));
	cr_expect(!match_name(&f, "node-xy"));
	/* A non-ASCII pattern gets no C-locale copy. */
	cr_assert_eq(filter_set(&f, "\xc3\xa9.", err, sizeof(err)), 0);
	cr_expect(!f.terms[0].has_ascii);
	cr_expect(match_name(&f, "gpu-\xc3\x89T"), "case folds beyond ASCII");
	/* Nor does a plain word, which strcasestr matches. */
	cr_assert_eq(filter_set(&f, "node", err, sizeof(err)), 0);
	cr_expect(f.terms[0].literal && !f.terms[0].has_ascii);
	filter_clear(&f);
}

/* What the filter sees of a host (ui/filter_host.c): the values of each
 * field, once each; a stale host's power and GPUs are Unknown and its
 * health is its failure, never the OK it said last. */
Test(filter, host_fields)
{
	struct fleet_host h;
	struct fleet_gpu g[3];
	unsigned off[FILTER_FIELDS];
	char *t;
	struct filter f = { 0 };
	struct filter_row r;
	char err[200];

	setlocale(LC_ALL, "C.UTF-8");
	memset(&h, 0, sizeof(h));
	snprintf(h.name, sizeof(h.name), "gpu-node-007");
	h.has_data = true;
	h.data.power = FLEET_POWER_ON;
	h.data.health = FLEET_HEALTH_OK;
	snprintf(h.data.bmc_firmware, sizeof(h.data.bmc_firmware), "13.03");
	for (int i = 0; i < 3; i++) {
		fleet_gpu_init(&g[i], i);
		snprintf(g[i].state, sizeof(g[i].state), "%s", i == 2 ? "Absent" : "Enabled");
		snprintf(g[i].firmware, sizeof(g[i].firmware), "96.00.89");
		g[i].health = i == 2 ? FLEET_HEALTH_CRITICAL : FLEET_HEALTH_OK;
	}
	h.data.gpus = g;
	h.data.ngpus = 3;

	t = filter_host_fields(&h, off);
	cr_expect_str_eq(t + off[FILTER_NAME], "gpu-node-007");
	cr_expect_str_eq(t + off[FILTER_POWER], "On");
	cr_expect_str_eq(t + off[FILTER_HEALTH], "OK");
	cr_expect_str_eq(t + off[FILTER_GPU], "Enabled\nOK\nAbsent\nCritical", "each value once");
	cr_expect_str_eq(t + off[FILTER_FW], "13.03\n96.00.89");
	cr_expect_str_eq(t + off[FILTER_NODE], "");
	cr_expect_str_eq(t + off[FILTER_ERROR], "");
	free(t);

	/* Its next poll failed: the readings are stale. */
	snprintf(h.error, sizeof(h.error), "https://10.0.0.7/redfish/v1: connection refused");
	h.stale = true;
	t = filter_host_fields(&h, off);
	cr_expect_str_eq(t + off[FILTER_POWER], "Unknown");
	cr_expect_str_eq(t + off[FILTER_HEALTH], "unreachable\nrefused");
	cr_expect_str_eq(t + off[FILTER_GPU], "Unknown");
	cr_expect_str_eq(t + off[FILTER_FW], "13.03\n96.00.89", "what is installed is kept");
	for (int k = 0; k < FILTER_FIELDS; k++)
		r.field[k] = t + off[k];
	cr_assert_eq(filter_set(&f, "health:ok", err, sizeof(err)), 0);
	cr_expect(!filter_match(&f, &r), "a stale host is never health:ok");
	cr_assert_eq(filter_set(&f, "power:on", err, sizeof(err)), 0);
	cr_expect(!filter_match(&f, &r));
	cr_assert_eq(filter_set(&f, "health:unreach", err, sizeof(err)), 0);
	cr_expect(filter_match(&f, &r));
	filter_clear(&f);
	free(t);
}

/* gpu:absent, gpu:critical, gpu:warning: hosts with at least one such
 * GPU; a GPU the BMC calls UnavailableOffline is absent too. */
Test(filter, gpu_states)
{
	struct fleet_host h;
	struct fleet_gpu g[3];
	unsigned off[FILTER_FIELDS];
	struct filter f = { 0 };
	struct filter_row r;
	char err[200];
	char *t;
	static const struct {
		const char *state2;
		enum fleet_health health1;
		const char *text;
		bool match;
	} cases[] = {
		{ "Enabled", FLEET_HEALTH_OK, "gpu:absent", false },
		{ "Absent", FLEET_HEALTH_OK, "gpu:absent", true },
		{ "UnavailableOffline", FLEET_HEALTH_OK, "gpu:absent", true },
		{ "Enabled", FLEET_HEALTH_OK, "gpu:critical", false },
		{ "Absent", FLEET_HEALTH_OK, "gpu:critical", true },   /* its health */
		{ "Enabled", FLEET_HEALTH_WARNING, "gpu:warning", true },
		{ "Enabled", FLEET_HEALTH_OK, "gpu:warning", false },
		{ "Enabled", FLEET_HEALTH_OK, "!gpu:absent", true },
		{ "Absent", FLEET_HEALTH_OK, "!gpu:absent", false },
	};

	setlocale(LC_ALL, "C.UTF-8");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		memset(&h, 0, sizeof(h));
		snprintf(h.name, sizeof(h.name), "gpu-node-001");
		h.has_data = true;
		for (int i = 0; i < 3; i++) {
			fleet_gpu_init(&g[i], i);
			snprintf(g[i].state, sizeof(g[i].state), "Enabled");
			g[i].health = FLEET_HEALTH_OK;
		}
		snprintf(g[2].state, sizeof(g[2].state), "%s", cases[c].state2);
		if (strcmp(cases[c].state2, "Enabled"))
			g[2].health = FLEET_HEALTH_CRITICAL;
		g[1].health = cases[c].health1;
		h.data.gpus = g;
		h.data.ngpus = 3;
		t = filter_host_fields(&h, off);
		for (int k = 0; k < FILTER_FIELDS; k++)
			r.field[k] = t + off[k];
		cr_assert_eq(filter_set(&f, cases[c].text, err, sizeof(err)), 0, "%s", err);
		cr_expect_eq(filter_match(&f, &r), cases[c].match, "%s on a GPU %s: %s",
			     cases[c].text, cases[c].state2, t + off[FILTER_GPU]);
		filter_clear(&f);
		free(t);
	}
}
