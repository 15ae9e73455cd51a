/* The `credentials` and `tls` arguments of `connect` (SPEC.md §4.1.1): which
 * of the harness's materials the connection uses, as jb_connect_options
 * fields. The secrets come from the environment the driver sets and are
 * never printed. */
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "outcome.h"

typedef enum { NONE, TOKEN, USER_PASSWORD, NKEY, JWT, CREDS_FILE } material_kind;

static const struct {
    const char *name;
    material_kind kind;
    const char *var1, *var2;
} MATERIALS[] = {
    {"none", NONE, NULL, NULL},
    {"token", TOKEN, "JB_TOKEN", NULL},
    {"wrong_token", TOKEN, "JB_WRONG_TOKEN", NULL},
    {"user", USER_PASSWORD, "JB_USER", "JB_PASSWORD"},
    {"wrong_password", USER_PASSWORD, "JB_USER", "JB_WRONG_PASSWORD"},
    {"nkey", NKEY, "JB_NKEY_SEED", NULL},
    {"other_nkey", NKEY, "JB_OTHER_NKEY_SEED", NULL},
    {"jwt", JWT, "JB_JWT", "JB_JWT_SEED"},
    {"jwt_expired", JWT, "JB_JWT_EXPIRED", "JB_JWT_EXPIRED_SEED"},
    {"jwt_revoked", JWT, "JB_JWT_REVOKED", "JB_JWT_REVOKED_SEED"},
    {"jwt_mismatched", JWT, "JB_JWT_MISMATCHED", "JB_JWT_MISMATCHED_SEED"},
    {"jwt_no_js", JWT, "JB_JWT_NO_JS", "JB_JWT_NO_JS_SEED"},
    {"creds", CREDS_FILE, "JB_CREDS", NULL},
    {"creds_expired", CREDS_FILE, "JB_CREDS_EXPIRED", NULL},
    {"creds_revoked", CREDS_FILE, "JB_CREDS_REVOKED", NULL},
    {"creds_mismatched", CREDS_FILE, "JB_CREDS_MISMATCHED", NULL},
    {"creds_no_js", CREDS_FILE, "JB_CREDS_NO_JS", NULL},
};

static bool env(const char *name, const char **out) {
    *out = getenv(name);
    if (*out == NULL) fail_runner("environment variable %s is not set", name);
    return *out != NULL;
}

/* Absent `credentials`: `token` when $JB_TOKEN is set (a token server), else `none`. */
bool credentials_auth(args *a, jb_connect_options *o) {
    const char *name;
    if (!args_string(a, "credentials", &name)) return false;
    if (name == NULL) name = getenv("JB_TOKEN") != NULL ? "token" : "none";
    for (size_t i = 0; i < sizeof MATERIALS / sizeof MATERIALS[0]; i++) {
        if (strcmp(MATERIALS[i].name, name) != 0) continue;
        const char *v1 = NULL, *v2 = NULL;
        if (MATERIALS[i].var1 != NULL && !env(MATERIALS[i].var1, &v1)) return false;
        if (MATERIALS[i].var2 != NULL && !env(MATERIALS[i].var2, &v2)) return false;
        switch (MATERIALS[i].kind) {
        case NONE: break;
        case TOKEN: o->token = v1; break;
        case USER_PASSWORD: o->user = v1; o->password = v2; break;
        case NKEY: o->nkey_seed = v1; break;
        case JWT: o->jwt = v1; o->jwt_seed = v2; break;
        case CREDS_FILE: o->creds_file = v1; break;
        }
        return true;
    }
    fail_unsupported("credentials \"%s\"", name);
    return false;
}

/* `required`, `ca_file`, `client_cert`, `client_key`, `handshake_first`. */
bool credentials_tls(args *a, jb_connect_options *o) {
    args *t;
    if (!args_object(a, "tls", &t)) return false;
    if (t == NULL) return true;
    bool has, v;
    if (!args_bool(t, "required", &has, &v)) return false;
    o->tls_required = has && v;
    if (!args_string(t, "ca_file", &o->tls_ca_file)) return false;
    if (!args_string(t, "client_cert", &o->tls_client_cert)) return false;
    if (!args_string(t, "client_key", &o->tls_client_key)) return false;
    if (!args_bool(t, "handshake_first", &has, &v)) return false;
    o->tls_handshake_first = has && v;
    return true;
}
