/* Chassis status and control, the one-time boot device, FRU and SEL
 * info with libfreeipmi, over one IPMI 2.0 (RMCP+) session. */
#include "ipmi.h"

#include <freeipmi/freeipmi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "text.h"

struct ipmi_session {
	ipmi_ctx_t ctx;
	const struct ipmi_conn *c;
};

static enum ipmi_fail ipmi_chassis_fail(int errnum)
{
	switch (errnum) {
	case IPMI_ERR_CONNECTION_TIMEOUT:
	case IPMI_ERR_SESSION_TIMEOUT:
	case IPMI_ERR_MESSAGE_TIMEOUT:
		return IPMI_FAIL_TIMEOUT;
	case IPMI_ERR_USERNAME_INVALID:
		return IPMI_FAIL_USERNAME;
	case IPMI_ERR_PASSWORD_INVALID:
	case IPMI_ERR_PASSWORD_VERIFICATION_TIMEOUT:
	case IPMI_ERR_K_G_INVALID:
		return IPMI_FAIL_PASSWORD;
	case IPMI_ERR_PRIVILEGE_LEVEL_INSUFFICIENT:
		return IPMI_FAIL_PRIVILEGE;
	case IPMI_ERR_PRIVILEGE_LEVEL_CANNOT_BE_OBTAINED:
		return IPMI_FAIL_PRIV_NOT_OBTAINED;
	case IPMI_ERR_CIPHER_SUITE_ID_UNAVAILABLE:
	case IPMI_ERR_AUTHENTICATION_TYPE_UNAVAILABLE:
	case IPMI_ERR_IPMI_2_0_UNAVAILABLE:
		return IPMI_FAIL_CIPHER;
	case IPMI_ERR_BMC_BUSY:
		return IPMI_FAIL_BUSY;
	default:
		return IPMI_FAIL_OTHER;
	}
}

/* E from the session's last error, prefixed with what was being done. */
static void ipmi_chassis_err(struct ipmi_session *s, const char *what, struct ipmi_err *e)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "%s: %s", what, ipmi_ctx_errormsg(s->ctx));
	ipmi_err_set(e, ipmi_chassis_fail(ipmi_ctx_errnum(s->ctx)), s->c, msg);
}

/* The suites FreeIPMI implements (it refuses the xRC4 ones). */
static bool ipmi_chassis_suite_known(int id)
{
	switch (id) {
	case 0: case 1: case 2: case 3: case 6: case 7: case 8: case 11: case 12:
	case 15: case 16: case 17:
		return true;
	default:
		return false;
	}
}

struct ipmi_session *ipmi_session_open(const struct ipmi_conn *c, struct ipmi_err *e)
{
	struct ipmi_session *s = calloc(1, sizeof(*s));
	unsigned s_ms, r_ms;
	uint8_t priv = c->privilege == INVENTORY_IPMI_PRIV_USER       ? IPMI_PRIVILEGE_LEVEL_USER
		       : c->privilege == INVENTORY_IPMI_PRIV_OPERATOR ? IPMI_PRIVILEGE_LEVEL_OPERATOR
								      : IPMI_PRIVILEGE_LEVEL_ADMIN;

	if (!s || !(s->ctx = ipmi_ctx_create())) {
		free(s);
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		return NULL;
	}
	s->c = c;
	ipmi_conn_timeouts(c, &s_ms, &r_ms);
	/* racktop's INVENTORY_IPMI_WA_* bits are FreeIPMI's 2.0 ones. */
	if (!ipmi_chassis_suite_known(c->cipher_suite)) {
		ipmi_err_set(e, IPMI_FAIL_CIPHER, c,
			     "FreeIPMI speaks suites 0-3, 6-8, 11, 12 and 15-17 only");
		ipmi_ctx_destroy(s->ctx);
		free(s);
		return NULL;
	}
	if (ipmi_ctx_open_outofband_2_0(s->ctx, c->host, c->user ? c->user : "",
					c->pass ? c->pass : "", NULL, 0, priv,
					(uint8_t)c->cipher_suite, s_ms, r_ms, c->workarounds & 0x7fu,
					IPMI_FLAGS_DEFAULT) < 0) {
		int errnum = ipmi_ctx_errnum(s->ctx);
		enum ipmi_fail f = ipmi_chassis_fail(errnum);

		/* A BMC that does not offer the suite often just fails the
		 * RAKP exchange (ipmi_sim with 17: "internal IPMI error"). */
		if (errnum == IPMI_ERR_IPMI_ERROR || errnum == IPMI_ERR_BAD_RMCPPLUS_STATUS_CODE)
			f = IPMI_FAIL_CIPHER;
		ipmi_err_set(e, f, c, ipmi_ctx_errormsg(s->ctx));
		ipmi_ctx_destroy(s->ctx);
		free(s);
		return NULL;
	}
	return s;
}

void *ipmi_session_ctx(struct ipmi_session *s)
{
	return s->ctx;
}

void ipmi_session_close(struct ipmi_session *s)
{
	if (!s)
		return;
	ipmi_ctx_close(s->ctx);
	ipmi_ctx_destroy(s->ctx);
	free(s);
}

/* Runs CMD (an ipmi_cmd_* call on OBJ built from TMPL); OBJ is the answer. */
#define IPMI_CHASSIS_CMD(s, what, tmpl, obj, call, e, fail)            \
	do {                                                           \
		(obj) = fiid_obj_create(tmpl);                         \
		if (!(obj)) {                                          \
			ipmi_err_set(e, IPMI_FAIL_OTHER, (s)->c, "out of memory"); \
			goto fail;                                     \
		}                                                      \
		if ((call) < 0) {                                      \
			ipmi_chassis_err(s, what, e);                  \
			goto fail;                                     \
		}                                                      \
	} while (0)

int ipmi_chassis_power(struct ipmi_session *s, enum fleet_power *p, struct ipmi_err *e)
{
	fiid_obj_t obj = NULL;
	uint64_t on = 0;
	int rc = -1;

	IPMI_CHASSIS_CMD(s, "Get Chassis Status", tmpl_cmd_get_chassis_status_rs, obj,
			 ipmi_cmd_get_chassis_status(s->ctx, obj), e, out);
	if (FIID_OBJ_GET(obj, "current_power_state.power_is_on", &on) < 0) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "Get Chassis Status: no power state in the answer");
		goto out;
	}
	*p = on ? FLEET_POWER_ON : FLEET_POWER_OFF;
	rc = 0;
out:
	fiid_obj_destroy(obj);
	return rc;
}

int ipmi_device_firmware(struct ipmi_session *s, char *buf, size_t n, struct ipmi_err *e)
{
	fiid_obj_t obj = NULL;
	uint64_t major = 0, minor = 0;
	int rc = -1;

	IPMI_CHASSIS_CMD(s, "Get Device ID", tmpl_cmd_get_device_id_rs, obj,
			 ipmi_cmd_get_device_id(s->ctx, obj), e, out);
	if (FIID_OBJ_GET(obj, "firmware_revision1.major_revision", &major) < 0 ||
	    FIID_OBJ_GET(obj, "firmware_revision2.minor_revision", &minor) < 0) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "Get Device ID: no firmware revision");
		goto out;
	}
	/* The minor revision is BCD: 0x15 is "15". */
	snprintf(buf, n, "%u.%02x", (unsigned)major, (unsigned)minor);
	rc = 0;
out:
	fiid_obj_destroy(obj);
	return rc;
}

int ipmi_sel_info(struct ipmi_session *s, uint64_t *key, struct ipmi_err *e)
{
	fiid_obj_t obj = NULL;
	uint64_t entries = 0, added = 0, erased = 0;
	int rc = -1;

	IPMI_CHASSIS_CMD(s, "Get SEL Info", tmpl_cmd_get_sel_info_rs, obj,
			 ipmi_cmd_get_sel_info(s->ctx, obj), e, out);
	if (FIID_OBJ_GET(obj, "entries", &entries) < 0 ||
	    FIID_OBJ_GET(obj, "most_recent_addition_timestamp", &added) < 0 ||
	    FIID_OBJ_GET(obj, "most_recent_erase_timestamp", &erased) < 0) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "Get SEL Info: fields missing");
		goto out;
	}
	/* Changes whenever an entry is added or the log is cleared. */
	*key = (entries << 48) ^ (added << 16) ^ erased ^ 1;
	rc = 0;
out:
	fiid_obj_destroy(obj);
	return rc;
}

static uint8_t ipmi_chassis_control_code(enum engine_action a, const char **name)
{
	switch (a) {
	case ENGINE_ACTION_POWER_ON: *name = "power up"; return IPMI_CHASSIS_CONTROL_POWER_UP;
	case ENGINE_ACTION_POWER_OFF: *name = "power down"; return IPMI_CHASSIS_CONTROL_POWER_DOWN;
	case ENGINE_ACTION_POWER_SOFT:
		*name = "soft shutdown";
		return IPMI_CHASSIS_CONTROL_INITIATE_SOFT_SHUTDOWN;
	case ENGINE_ACTION_POWER_CYCLE: *name = "power cycle"; return IPMI_CHASSIS_CONTROL_POWER_CYCLE;
	case ENGINE_ACTION_POWER_RESET: *name = "hard reset"; return IPMI_CHASSIS_CONTROL_HARD_RESET;
	default: *name = NULL; return 0xff;
	}
}

int ipmi_chassis_control(struct ipmi_session *s, enum engine_action a, struct ipmi_err *e)
{
	fiid_obj_t obj = NULL;
	const char *name;
	uint8_t code = ipmi_chassis_control_code(a, &name);
	char what[64];
	int rc = -1;

	if (!name) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "not a power action");
		return -1;
	}
	snprintf(what, sizeof(what), "Chassis Control (%s)", name);
	IPMI_CHASSIS_CMD(s, what, tmpl_cmd_chassis_control_rs, obj,
			 ipmi_cmd_chassis_control(s->ctx, code, obj), e, out);
	rc = 0;
out:
	fiid_obj_destroy(obj);
	return rc;
}

int ipmi_chassis_boot(struct ipmi_session *s, enum engine_action a, struct ipmi_err *e)
{
	fiid_obj_t obj = NULL;
	uint8_t dev;
	int rc = -1;

	switch (a) {
	case ENGINE_ACTION_BOOT_PXE: dev = IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_PXE; break;
	case ENGINE_ACTION_BOOT_DISK:
		dev = IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_HARD_DRIVE;
		break;
	case ENGINE_ACTION_BOOT_BIOS:
		dev = IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_BIOS_SETUP;
		break;
	default:
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "not a boot device action");
		return -1;
	}
	/* Valid for the next boot only (persistent 0), legacy boot type,
	 * everything else left as the BIOS would have it. */
	IPMI_CHASSIS_CMD(s, "Set System Boot Options (boot flags)", tmpl_cmd_set_system_boot_options_rs,
			 obj,
			 ipmi_cmd_set_system_boot_options_boot_flags(
				 s->ctx, IPMI_SYSTEM_BOOT_OPTIONS_PARAMETER_VALID_UNLOCKED, 0, 0, 1, 0,
				 0, dev, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, obj),
			 e, out);
	rc = 0;
out:
	fiid_obj_destroy(obj);
	return rc;
}

int ipmi_chassis_boot_get(struct ipmi_session *s, char *dev, size_t n, struct ipmi_err *e)
{
	fiid_obj_t obj = NULL;
	uint64_t d = 0, valid = 0;
	int rc = -1;

	IPMI_CHASSIS_CMD(s, "Get System Boot Options (boot flags)",
			 tmpl_cmd_get_system_boot_options_boot_flags_rs, obj,
			 ipmi_cmd_get_system_boot_options_boot_flags(s->ctx, 0, 0, obj), e, out);
	if (FIID_OBJ_GET(obj, "boot_device", &d) < 0 ||
	    FIID_OBJ_GET(obj, "boot_flags_valid", &valid) < 0) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "Get System Boot Options: fields missing");
		goto out;
	}
	/* The device even when the valid bit is clear: some BMCs (ipmi_sim)
	 * keep the device but never report the flags valid. */
	switch (d) {
	case IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_PXE: snprintf(dev, n, "pxe"); break;
	case IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_HARD_DRIVE:
		snprintf(dev, n, "disk");
		break;
	case IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_BIOS_SETUP:
		snprintf(dev, n, "bios");
		break;
	case IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_CD_DVD:
		snprintf(dev, n, "cdrom");
		break;
	case 0: snprintf(dev, n, "none"); break;
	default: snprintf(dev, n, "device %u", (unsigned)d); break;
	}
	if (!valid && d) {
		size_t len = strlen(dev);

		snprintf(dev + len, n > len ? n - len : 0, " (flags reported not valid)");
	}
	rc = 0;
out:
	fiid_obj_destroy(obj);
	return rc;
}

/* ---- FRU ---- */

static void ipmi_fru_str(ipmi_fru_ctx_t fru, const ipmi_fru_field_t *f, uint8_t lang, char *out,
			 size_t n)
{
	char buf[IPMI_FRU_AREA_STRING_MAX + 1];
	unsigned len = IPMI_FRU_AREA_STRING_MAX;

	if (!f->type_length_field_length)
		return;
	memset(buf, 0, sizeof(buf));
	if (ipmi_fru_type_length_field_to_string(fru, f->type_length_field,
						 f->type_length_field_length, lang, buf, &len) < 0)
		return;
	buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
	text_clean(out, n, buf);
}

int ipmi_fru_read(struct ipmi_session *s, struct fleet_host_data *d, char *part, size_t partlen,
		  struct ipmi_err *e)
{
	ipmi_fru_ctx_t fru = ipmi_fru_ctx_create(s->ctx);
	uint8_t *buf = NULL;
	bool product = false, board = false;
	int rc = -1, more;

	if (!fru || !(buf = malloc(IPMI_FRU_AREA_SIZE_MAX + 1))) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "out of memory");
		goto out;
	}
	if (ipmi_fru_open_device_id(fru, 0) < 0) {
		char msg[200];

		snprintf(msg, sizeof(msg), "FRU 0: %s", ipmi_fru_ctx_errormsg(fru));
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, msg);
		goto out;
	}
	if (ipmi_fru_first(fru) < 0)
		goto done;
	do {
		unsigned type = 0, len = 0;
		uint8_t lang = 0;
		ipmi_fru_field_t mfg, name, model, version, serial, asset, fileid;
		uint32_t when;

		memset(buf, 0, IPMI_FRU_AREA_SIZE_MAX + 1);
		if (ipmi_fru_read_data_area(fru, &type, &len, buf, IPMI_FRU_AREA_SIZE_MAX) < 0)
			continue;
		memset(&mfg, 0, sizeof(mfg));
		memset(&name, 0, sizeof(name));
		memset(&model, 0, sizeof(model));
		memset(&serial, 0, sizeof(serial));
		if (type == IPMI_FRU_AREA_TYPE_PRODUCT_INFO_AREA &&
		    ipmi_fru_product_info_area(fru, buf, len, &lang, &mfg, &name, &model, &version,
					       &serial, &asset, &fileid, NULL, 0) >= 0) {
			ipmi_fru_str(fru, &mfg, lang, d->vendor, sizeof(d->vendor));
			ipmi_fru_str(fru, &name, lang, d->model, sizeof(d->model));
			ipmi_fru_str(fru, &serial, lang, d->serial, sizeof(d->serial));
			ipmi_fru_str(fru, &model, lang, part, partlen);
			product = true;
		} else if (type == IPMI_FRU_AREA_TYPE_BOARD_INFO_AREA && !product &&
			   ipmi_fru_board_info_area(fru, buf, len, &lang, &when, &mfg, &name,
						    &serial, &model, &fileid, NULL, 0) >= 0) {
			/* Only what the product area leaves out. */
			ipmi_fru_str(fru, &mfg, lang, d->vendor, sizeof(d->vendor));
			ipmi_fru_str(fru, &name, lang, d->model, sizeof(d->model));
			ipmi_fru_str(fru, &serial, lang, d->serial, sizeof(d->serial));
			ipmi_fru_str(fru, &model, lang, part, partlen);
			board = true;
		}
	} while (!product && (more = ipmi_fru_next(fru)) == 1);
done:
	(void)board;
	rc = 0;
out:
	free(buf);
	if (fru)
		ipmi_fru_ctx_destroy(fru);
	return rc;
}
