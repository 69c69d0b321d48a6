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

static ipmi_ctx_t ipmi_chassis_open(const struct ipmi_conn *c, uint8_t priv, int *errnum,
				    char *msg, size_t n)
{
	ipmi_ctx_t ctx = ipmi_ctx_create();
	unsigned s_ms, r_ms;

	if (!ctx) {
		*errnum = IPMI_ERR_OUT_OF_MEMORY;
		snprintf(msg, n, "out of memory");
		return NULL;
	}
	ipmi_conn_timeouts(c, &s_ms, &r_ms);
	/* racktop's INVENTORY_IPMI_WA_* bits are FreeIPMI's 2.0 ones. */
	if (ipmi_ctx_open_outofband_2_0(ctx, c->host, c->user ? c->user : "",
					c->pass ? c->pass : "", NULL, 0, priv,
					(uint8_t)c->cipher_suite, s_ms, r_ms, c->workarounds & 0x7fu,
					IPMI_FLAGS_DEFAULT) < 0) {
		*errnum = ipmi_ctx_errnum(ctx);
		snprintf(msg, n, "%s", ipmi_ctx_errormsg(ctx));
		ipmi_ctx_destroy(ctx);
		return NULL;
	}
	return ctx;
}

struct ipmi_session *ipmi_session_open(const struct ipmi_conn *c, struct ipmi_err *e)
{
	struct ipmi_session *s;
	uint8_t priv = c->privilege == INVENTORY_IPMI_PRIV_USER       ? IPMI_PRIVILEGE_LEVEL_USER
		       : c->privilege == INVENTORY_IPMI_PRIV_OPERATOR ? IPMI_PRIVILEGE_LEVEL_OPERATOR
								      : IPMI_PRIVILEGE_LEVEL_ADMIN;
	char msg[160];
	int errnum = 0;
	ipmi_ctx_t ctx;

	if (!ipmi_chassis_suite_known(c->cipher_suite)) {
		ipmi_err_set(e, IPMI_FAIL_CIPHER, c,
			     "FreeIPMI speaks suites 0-3, 6-8, 11, 12 and 15-17 only");
		return NULL;
	}
	ctx = ipmi_chassis_open(c, priv, &errnum, msg, sizeof(msg));
	if (!ctx) {
		enum ipmi_fail f = ipmi_chassis_fail(errnum);

		/* A refused RAKP exchange says neither why nor which part:
		 * a suite the BMC does not offer (ipmi_sim with 17) or a role
		 * it refuses (an RMCP+ "unauthorized role" that FreeIPMI
		 * reports as "internal IPMI error"). A session at USER level
		 * with the same suite tells them apart. */
		if (errnum == IPMI_ERR_IPMI_ERROR || errnum == IPMI_ERR_BAD_RMCPPLUS_STATUS_CODE) {
			char probe_msg[160];
			int probe_err = 0;
			ipmi_ctx_t probe = priv > IPMI_PRIVILEGE_LEVEL_USER
						   ? ipmi_chassis_open(c, IPMI_PRIVILEGE_LEVEL_USER,
								       &probe_err, probe_msg,
								       sizeof(probe_msg))
						   : NULL;

			f = probe ? IPMI_FAIL_PRIV_REFUSED : IPMI_FAIL_CIPHER;
			if (probe) {
				ipmi_ctx_close(probe);
				ipmi_ctx_destroy(probe);
			}
		}
		ipmi_err_set(e, f, c, msg);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		ipmi_ctx_close(ctx);
		ipmi_ctx_destroy(ctx);
		ipmi_err_set(e, IPMI_FAIL_OTHER, c, "out of memory");
		return NULL;
	}
	s->ctx = ctx;
	s->c = c;
	return s;
}

void ipmi_session_rebind(struct ipmi_session *s, const struct ipmi_conn *c)
{
	s->c = c;
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

/* The BMC's completion code in words, for the codes an operator meets. */
static const char *ipmi_chassis_cc_name(uint64_t cc)
{
	switch (cc) {
	case 0xC0: return "BMC busy";
	case 0xC1: return "command not supported";
	case 0xC5: return "reservation cancelled";
	case 0xCC: return "invalid data in the request";
	case 0xD4: return "privilege level insufficient";
	case 0xD5: return "not supported in the present state";
	default: return NULL;
	}
}

int ipmi_session_answer(struct ipmi_session *s, const char *what, void *obj_, int rc,
			const char *const *fields, uint64_t *vals, size_t n, struct ipmi_err *e)
{
	fiid_obj_t obj = obj_;
	uint64_t cc = 0;
	char msg[200];

	if (!obj) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "out of memory");
		return -1;
	}
	if (rc < 0) {
		int errnum = ipmi_ctx_errnum(s->ctx);
		bool answered = errnum == IPMI_ERR_BAD_COMPLETION_CODE ||
				errnum == IPMI_ERR_COMMAND_INVALID_OR_UNSUPPORTED ||
				errnum == IPMI_ERR_PRIVILEGE_LEVEL_INSUFFICIENT ||
				errnum == IPMI_ERR_BMC_BUSY;

		/* The BMC's own completion code, when it sent one. */
		if (answered && FIID_OBJ_GET(obj, "comp_code", &cc) == 1 && cc) {
			const char *name = ipmi_chassis_cc_name(cc);

			snprintf(msg, sizeof(msg), "%s: %s (0x%02X)", what,
				 name ? name : ipmi_ctx_errormsg(s->ctx), (unsigned)cc);
		} else {
			snprintf(msg, sizeof(msg), "%s: %s", what, ipmi_ctx_errormsg(s->ctx));
		}
		ipmi_err_set(e, ipmi_chassis_fail(errnum), s->c, msg);
		fiid_obj_destroy(obj);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (FIID_OBJ_GET(obj, fields[i], &vals[i]) < 0) {
			snprintf(msg, sizeof(msg), "%s: no %s in the answer", what, fields[i]);
			ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, msg);
			fiid_obj_destroy(obj);
			return -1;
		}
	}
	fiid_obj_destroy(obj);
	return 0;
}

int ipmi_chassis_power(struct ipmi_session *s, enum fleet_power *p, struct ipmi_err *e)
{
	static const char *const f[] = { "current_power_state.power_is_on" };
	fiid_obj_t obj = fiid_obj_create(tmpl_cmd_get_chassis_status_rs);
	uint64_t on = 0;

	if (ipmi_session_answer(s, "Get Chassis Status", obj,
				obj ? ipmi_cmd_get_chassis_status(s->ctx, obj) : -1, f, &on, 1, e) < 0)
		return -1;
	*p = on ? FLEET_POWER_ON : FLEET_POWER_OFF;
	return 0;
}

int ipmi_device_firmware(struct ipmi_session *s, char *buf, size_t n, struct ipmi_err *e)
{
	static const char *const f[] = { "firmware_revision1.major_revision",
					 "firmware_revision2.minor_revision" };
	fiid_obj_t obj = fiid_obj_create(tmpl_cmd_get_device_id_rs);
	uint64_t v[2];

	if (ipmi_session_answer(s, "Get Device ID", obj, obj ? ipmi_cmd_get_device_id(s->ctx, obj) : -1,
				f, v, 2, e) < 0)
		return -1;
	/* The minor revision is BCD: 0x15 is "15". */
	snprintf(buf, n, "%u.%02x", (unsigned)v[0], (unsigned)v[1]);
	return 0;
}

int ipmi_sel_info(struct ipmi_session *s, uint64_t *key, unsigned *entries, struct ipmi_err *e)
{
	static const char *const f[] = { "entries", "most_recent_addition_timestamp",
					 "most_recent_erase_timestamp" };
	fiid_obj_t obj = fiid_obj_create(tmpl_cmd_get_sel_info_rs);
	uint64_t v[3];

	if (ipmi_session_answer(s, "Get SEL Info", obj, obj ? ipmi_cmd_get_sel_info(s->ctx, obj) : -1,
				f, v, 3, e) < 0)
		return -1;
	/* Changes whenever an entry is added or the log is cleared. */
	if (key)
		*key = (v[0] << 48) ^ (v[1] << 16) ^ v[2] ^ 1;
	if (entries)
		*entries = (unsigned)v[0];
	return 0;
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
	const char *name;
	uint8_t code = ipmi_chassis_control_code(a, &name);
	fiid_obj_t obj;
	char what[64];

	if (!name) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "not a power action");
		return -1;
	}
	snprintf(what, sizeof(what), "Chassis Control (%s)", name);
	obj = fiid_obj_create(tmpl_cmd_chassis_control_rs);
	return ipmi_session_answer(s, what, obj,
				   obj ? ipmi_cmd_chassis_control(s->ctx, code, obj) : -1, NULL, NULL,
				   0, e);
}

/* The one-time boot devices racktop sets and names. */
static const struct {
	enum engine_action a;
	uint8_t dev;
	const char *name;
} ipmi_chassis_boot_devs[] = {
	{ ENGINE_ACTION_BOOT_PXE, IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_PXE, "pxe" },
	{ ENGINE_ACTION_BOOT_DISK, IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_HARD_DRIVE,
	  "disk" },
	{ ENGINE_ACTION_BOOT_BIOS, IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_BIOS_SETUP,
	  "bios" },
	{ ENGINE_ACTION_POLL_NOW, IPMI_SYSTEM_BOOT_OPTION_BOOT_FLAG_BOOT_DEVICE_FORCE_CD_DVD,
	  "cdrom" },
	{ ENGINE_ACTION_POLL_NOW, 0, "none" },
};

int ipmi_chassis_boot(struct ipmi_session *s, enum engine_action a, struct ipmi_err *e)
{
	fiid_obj_t obj;
	int dev = -1;

	for (size_t i = 0; i < sizeof(ipmi_chassis_boot_devs) / sizeof(ipmi_chassis_boot_devs[0]); i++)
		if (ipmi_chassis_boot_devs[i].a == a && a != ENGINE_ACTION_POLL_NOW)
			dev = ipmi_chassis_boot_devs[i].dev;
	if (dev < 0) {
		ipmi_err_set(e, IPMI_FAIL_OTHER, s->c, "not a boot device action");
		return -1;
	}
	/* Valid for the next boot only (persistent 0), legacy boot type,
	 * everything else left as the BIOS would have it. */
	obj = fiid_obj_create(tmpl_cmd_set_system_boot_options_rs);
	return ipmi_session_answer(
		s, "Set System Boot Options (boot flags)", obj,
		obj ? ipmi_cmd_set_system_boot_options_boot_flags(
			      s->ctx, IPMI_SYSTEM_BOOT_OPTIONS_PARAMETER_VALID_UNLOCKED, 0, 0, 1, 0, 0,
			      (uint8_t)dev, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, obj)
		    : -1,
		NULL, NULL, 0, e);
}

int ipmi_chassis_boot_get(struct ipmi_session *s, char *dev, size_t n, struct ipmi_err *e)
{
	static const char *const f[] = { "boot_device", "boot_flags_valid" };
	fiid_obj_t obj = fiid_obj_create(tmpl_cmd_get_system_boot_options_boot_flags_rs);
	uint64_t v[2];
	size_t len;

	if (ipmi_session_answer(s, "Get System Boot Options (boot flags)", obj,
				obj ? ipmi_cmd_get_system_boot_options_boot_flags(s->ctx, 0, 0, obj) : -1,
				f, v, 2, e) < 0)
		return -1;
	/* The device even when the valid bit is clear: some BMCs (ipmi_sim)
	 * keep the device but never report the flags valid. */
	snprintf(dev, n, "device %u", (unsigned)v[0]);
	for (size_t i = 0; i < sizeof(ipmi_chassis_boot_devs) / sizeof(ipmi_chassis_boot_devs[0]); i++)
		if (ipmi_chassis_boot_devs[i].dev == v[0])
			snprintf(dev, n, "%s", ipmi_chassis_boot_devs[i].name);
	len = strlen(dev);
	if (!v[1] && v[0])
		snprintf(dev + len, n > len ? n - len : 0, " (flags reported not valid)");
	return 0;
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
