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
