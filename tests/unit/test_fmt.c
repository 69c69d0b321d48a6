/* How the screen words readings and reasons (ui/fmt.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "fmt.h"

static const char *why(const char *text)
{
	static char buf[300];

	fmt_why(buf, sizeof(buf), text);
	return buf;
}

/* A row has room for why an action or a poll failed, not for where. */
Test(fmt, why_keeps_the_reason_and_drops_urls)
{
	cr_expect_str_eq(why("power On failed: login failed: "
			     "https://127.0.0.1:4/redfish/v1/SessionService/Sessions: connection refused"),
			 "connection refused");
	cr_expect_str_eq(why("https://10.0.0.1/redfish/v1/Systems: no connection within 10 s"),
			 "no connection within 10 s");
	cr_expect_str_eq(why("power ForceOff refused by https://h/redfish/v1/Systems/DGX/Actions/"
			     "ComputerSystem.Reset: HTTP 500 Internal Server Error"),
			 "power ForceOff refused by HTTP 500 Internal Server Error");
	cr_expect_str_eq(why("not sent: this host is not polled (its error says why)"),
			 "not sent: this host is not polled (its error says why)");
	cr_expect_str_eq(why("IPMI 127.0.0.1:623: no answer within 10.0 s (connection timeout)"),
			 "IPMI 127.0.0.1:623: no answer within 10.0 s (connection timeout)");
	cr_expect_str_eq(why("TLS certificate of https://h not trusted: x"),
			 "TLS certificate of https://h not trusted: x", "a URL that is no 'where:' stays");
	cr_expect_str_eq(why(""), "");
}

Test(fmt, why_fits_its_buffer)
{
	char small[8];

	fmt_why(small, sizeof(small), "power On failed: connection refused");
	cr_expect_str_eq(small, "connect");
}

Test(fmt, short_age)
{
	char b[16];

	fmt_age_short(b, sizeof(b), 1000, 1059);
	cr_expect_str_eq(b, "59s");
	fmt_age_short(b, sizeof(b), 1000, 1000 + 150);
	cr_expect_str_eq(b, "2m");
	fmt_age_short(b, sizeof(b), 1000, 1000 + 3 * 3600);
	cr_expect_str_eq(b, "3h");
	fmt_age_short(b, sizeof(b), 1000, 900);
	cr_expect_str_eq(b, "0s", "a clock that went back is no negative age");
}

static const char *gpus(size_t ok, size_t absent, size_t crit, size_t warn, size_t unknown,
			int width)
{
	static char buf[64];
	struct fleet_gpu_counts c = { ok + absent + crit + warn + unknown, ok, warn, crit, absent,
				      unknown };

	fmt_gpu_states(buf, sizeof(buf), &c, width);
	return buf;
}

/* A GPU fallen off the bus shows as absent on the fleet row, never in
 * "8 Critical"; in the GPUS column's 10 or 11 cells, plain ASCII. */
Test(fmt, gpu_states)
{
	cr_expect_str_eq(gpus(8, 0, 0, 0, 0, 11), "8 OK");
	cr_expect_str_eq(gpus(0, 0, 8, 0, 0, 11), "8 Critical", "all alike, as before");
	cr_expect_str_eq(gpus(0, 8, 0, 0, 0, 11), "8 absent");
	cr_expect_str_eq(gpus(0, 0, 0, 0, 8, 11), "8 -");
	cr_expect_str_eq(gpus(7, 1, 0, 0, 0, 20), "7 OK 1 absent", "room: the whole words");
	cr_expect_str_eq(gpus(7, 1, 0, 0, 0, 11), "7 OK 1 abs");
	cr_expect_str_eq(gpus(7, 1, 0, 0, 0, 10), "7 OK 1 abs");
	cr_expect_str_eq(gpus(7, 0, 0, 1, 0, 11), "7 OK 1 warn");
	cr_expect_str_eq(gpus(6, 1, 1, 0, 0, 30), "6 OK 1 absent 1 Critical");
	cr_expect_str_eq(gpus(6, 1, 1, 0, 0, 17), "6 OK 1 abs 1 crit");
	cr_expect_str_eq(gpus(6, 1, 1, 0, 0, 12), "8: 1 absent+", "the count and the worst");
	cr_expect_str_eq(gpus(6, 1, 1, 0, 0, 11), "8: 1 abs+");
	cr_expect_str_eq(gpus(0, 4, 4, 0, 0, 10), "8: 4 abs+", "no OK at all");
	cr_expect_str_eq(gpus(0, 1, 0, 0, 7, 11), "1 abs 7 ?", "states not known: ?");
	cr_expect_str_eq(gpus(14, 2, 0, 0, 0, 11), "14 OK 2 abs");
	for (size_t ok = 0; ok <= 8; ok++)
		for (size_t ab = 0; ab + ok <= 8; ab++)
			for (size_t cr = 0; cr + ab + ok <= 8; cr++) {
				const char *s = gpus(ok, ab, cr, 8 - ok - ab - cr, 0, 10);

				cr_expect_leq(strlen(s), 10, "'%s' fits 10 cells", s);
				for (const char *p = s; *p; p++)
					cr_expect_lt((unsigned char)*p, 0x80, "ASCII: '%s'", s);
			}
}
