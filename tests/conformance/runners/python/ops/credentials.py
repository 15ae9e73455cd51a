"""The ``credentials`` and ``tls`` arguments of ``connect`` (SPEC.md §4.1, "Credentials"):
which of the harness's materials the connection uses, as ``ConnectOptions`` fields. The
secrets come from the environment the driver sets and are never printed."""

from __future__ import annotations

import os
from typing import Any, Dict, Tuple

from args import Args
from outcome import RunnerError, Unsupported

#: credentials name -> (ConnectOptions field, environment variable) pairs.
MATERIALS: Dict[str, Tuple[Tuple[str, str], ...]] = {
    "none": (),
    "token": (("token", "JB_TOKEN"),),
    "wrong_token": (("token", "JB_WRONG_TOKEN"),),
    "user": (("user", "JB_USER"), ("password", "JB_PASSWORD")),
    "wrong_password": (("user", "JB_USER"), ("password", "JB_WRONG_PASSWORD")),
    "nkey": (("nkey_seed", "JB_NKEY_SEED"),),
    "other_nkey": (("nkey_seed", "JB_OTHER_NKEY_SEED"),),
    "jwt": (("jwt", "JB_JWT"), ("jwt_seed", "JB_JWT_SEED")),
    "jwt_expired": (("jwt", "JB_JWT_EXPIRED"), ("jwt_seed", "JB_JWT_EXPIRED_SEED")),
    "jwt_revoked": (("jwt", "JB_JWT_REVOKED"), ("jwt_seed", "JB_JWT_REVOKED_SEED")),
    "jwt_mismatched": (("jwt", "JB_JWT_MISMATCHED"), ("jwt_seed", "JB_JWT_MISMATCHED_SEED")),
    "jwt_no_js": (("jwt", "JB_JWT_NO_JS"), ("jwt_seed", "JB_JWT_NO_JS_SEED")),
    "creds": (("creds_file", "JB_CREDS"),),
    "creds_expired": (("creds_file", "JB_CREDS_EXPIRED"),),
    "creds_revoked": (("creds_file", "JB_CREDS_REVOKED"),),
    "creds_mismatched": (("creds_file", "JB_CREDS_MISMATCHED"),),
    "creds_no_js": (("creds_file", "JB_CREDS_NO_JS"),),
}


def auth_fields(a: Args) -> Dict[str, Any]:
    """The credential fields of ``ConnectOptions``. Absent: ``token`` when ``$JB_TOKEN``
    is set (a token server), else ``none``."""
    name = a.string("credentials")
    if name is None:
        name = "token" if "JB_TOKEN" in os.environ else "none"
    if name not in MATERIALS:
        raise Unsupported(f"credentials {name!r}")
    fields = {}
    for field, var in MATERIALS[name]:
        value = os.environ.get(var)
        if value is None:
            raise RunnerError(f"environment variable {var} is not set")
        fields[field] = value
    return fields


def tls_fields(a: Args) -> Dict[str, Any]:
    """The TLS fields of ``ConnectOptions`` from the ``tls`` argument."""
    t = a.object("tls")
    if t is None:
        return {}
    return {
        "tls_required": t.bool("required"),
        "tls_ca_file": t.string("ca_file"),
        "tls_client_cert": t.string("client_cert"),
        "tls_client_key": t.string("client_key"),
        "tls_handshake_first": t.bool("handshake_first"),
    }
