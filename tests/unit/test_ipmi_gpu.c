/* GPU sensor name patterns: the defaults fit common HGX and OEM names,
 * the GPU's number comes from the pattern, a bad pattern is refused
 * with a message naming it; inventory workaround names round-trip. */
#include <criterion/criterion.h>
#include <string.h>

#include "inventory.h"
#include "ipmi.h"

Test(ipmi_gpu, default_patterns)
{
	char err[256] = "";
	struct ipmi_gpu_patterns *p = ipmi_gpu_patterns_new(NULL, err, sizeof(err));

	cr_assert_not_null(p, "%s", err);
	cr_assert_eq(ipmi_gpu_match(p, "GPU0 Temp"), 0);
	cr_assert_eq(ipmi_gpu_match(p, "GPU7 Temp"), 7);
	cr_assert_eq(ipmi_gpu_match(p, "GPU_1_TEMP"), 1);
	cr_assert_eq(ipmi_gpu_match(p, "GPU3 Power"), 3);
	cr_assert_eq(ipmi_gpu_match(p, "gpu12_temp"), 12);
	cr_assert_eq(ipmi_gpu_match(p, "GPU 2 Temp"), 2);
	cr_assert_eq(ipmi_gpu_match(p, "HGX_GPU_SXM_1_TEMP_0"), 0, "SXM names count from 1");
	cr_assert_eq(ipmi_gpu_match(p, "GPU_SXM_8_Power"), 7);
	cr_assert_eq(ipmi_gpu_match(p, "CPU0 Temp"), -1);
	cr_assert_eq(ipmi_gpu_match(p, "Inlet Temp"), -1);
	cr_assert_eq(ipmi_gpu_match(p, "GPUX Temp"), -1);
	cr_assert_eq(ipmi_gpu_match(p, "PSU1 Power"), -1);
	ipmi_gpu_patterns_free(p);
}

Test(ipmi_gpu, custom_patterns)
{
	char err[256] = "";
	struct ipmi_gpu_patterns *p =
		ipmi_gpu_patterns_new("# OEM names\n^(Accel|OAM)([0-9]+)_Temp$\nbase=1 ^Slot ([0-9]+) GPU", err,
				      sizeof(err));

	cr_assert_not_null(p, "%s", err);
	cr_assert_eq(ipmi_gpu_match(p, "OAM5_Temp"), 5, "the first all-digit group is the index");
	cr_assert_eq(ipmi_gpu_match(p, "Slot 1 GPU Temp"), 0);
	cr_assert_eq(ipmi_gpu_match(p, "GPU0 Temp"), -1, "the defaults are replaced");
	cr_assert_eq(ipmi_gpu_match(p, "Slot 0 GPU"), -1, "below the base");
	ipmi_gpu_patterns_free(p);
}

Test(ipmi_gpu, bad_pattern_is_named)
{
	char err[256] = "";

	cr_assert_null(ipmi_gpu_patterns_new("^GPU([0-9]+\n", err, sizeof(err)));
	cr_assert(strstr(err, "GPU sensor pattern 1") != NULL, "%s", err);
	cr_assert(strstr(err, "^GPU([0-9]+") != NULL, "%s", err);
}

Test(ipmi_gpu, workaround_names)
{
	unsigned bits = 0;
	char bad[48] = "", names[128];

	cr_assert_eq(inventory_ipmi_workarounds_parse("opensesspriv, intel20", &bits, bad, sizeof(bad)), 0);
	cr_assert_eq(bits, INVENTORY_IPMI_WA_OPENSESSPRIV | INVENTORY_IPMI_WA_INTEL20);
	inventory_ipmi_workarounds_name(bits, names, sizeof(names));
	cr_assert_str_eq(names, "intel20,opensesspriv");
	cr_assert_eq(inventory_ipmi_workarounds_parse("opensesspriv,bogus", &bits, bad, sizeof(bad)), -1);
	cr_assert_str_eq(bad, "bogus");
}
