"""The environment contract between the driver and the runners, and the secrets to hunt for.

The harness prints, for each server it starts, an ``auth`` object with the credentials of
that server's mode (tests/harness/README.md, "CLI"). ``runner_env`` turns it into the
``JB_*`` variables a runner reads (SPEC.md §4.1, "Credentials"); ``secrets`` lists every
secret value in it, so that the driver can fail a run whose output shows one (SPEC.md §7).

Standard library only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Tuple

#: The JWT users of the harness (JWT mode) and the variable suffix of each.
JWT_USERS = {
    "user": "",
    "expired": "_EXPIRED",
    "revoked": "_REVOKED",
    "mismatched_seed": "_MISMATCHED",
    "no_jetstream": "_NO_JS",
}

#: TLS files given to runners (paths; the keys' contents are secrets).
TLS_FILES = {
    "ca": "JB_CA",
    "other_ca": "JB_OTHER_CA",
    "client_cert": "JB_CLIENT_CERT",
    "client_key": "JB_CLIENT_KEY",
    "other_client_cert": "JB_OTHER_CLIENT_CERT",
    "other_client_key": "JB_OTHER_CLIENT_KEY",
}

#: Private keys of the TLS material, whose PEM contents must never be printed.
TLS_KEYS = ("client_key", "other_client_key", "server_key", "localhost_only_key", "expired_key")


def runner_env(info: Dict[str, Any]) -> Dict[str, str]:
    """The JB_* variables for a runner, from the harness's start line ``info``."""
    env = {"JB_URL": info["urls"][0]}
    auth = info["auth"]
    mode = auth.get("mode")
    host_port = env["JB_URL"].split("://", 1)[1]
    if mode in ("token", "callout"):  # callout: the token the harness's callout service accepts
        env["JB_TOKEN"] = auth["token"]
        env["JB_WRONG_TOKEN"] = auth["wrong_secret"]
        env["JB_CREDENTIALS_URL"] = f"nats://{auth['token']}@{host_port}"
        env["JB_WRONG_CREDENTIALS_URL"] = f"nats://{auth['wrong_secret']}@{host_port}"
    elif mode == "user":
        env["JB_USER"] = auth["user"]
        env["JB_PASSWORD"] = auth["password"]
        env["JB_WRONG_PASSWORD"] = auth["wrong_secret"]
        env["JB_CREDENTIALS_URL"] = f"nats://{auth['user']}:{auth['password']}@{host_port}"
        env["JB_WRONG_CREDENTIALS_URL"] = f"nats://{auth['user']}:{auth['wrong_secret']}@{host_port}"
    elif mode == "nkey":
        env["JB_NKEY_SEED"] = auth["nkey"]["seed"]
        env["JB_OTHER_NKEY_SEED"] = auth["nkey"]["other_seed"]
    elif mode == "jwt":
        for user, suffix in JWT_USERS.items():
            u = auth["jwt"][user]
            env[f"JB_JWT{suffix}"] = u["jwt"]
            env[f"JB_JWT{suffix}_SEED"] = u["seed"]
            env[f"JB_CREDS{suffix}"] = u["creds"]
    elif mode in ("tls", "mtls", "tls-first"):
        env["JB_TLS_URL"] = info["tls_urls"][0]
        for key, var in TLS_FILES.items():
            env[var] = auth["tls"][key]
    return env


#: Every variable runner_env can set: the driver removes them from its own
#: environment before adding a run's, so nothing leaks from one run to the next.
ALL_VARS = (
    ["JB_URL", "JB_TLS_URL", "JB_CREDENTIALS_URL", "JB_WRONG_CREDENTIALS_URL", "JB_TOKEN", "JB_WRONG_TOKEN", "JB_USER",
     "JB_PASSWORD", "JB_WRONG_PASSWORD", "JB_NKEY_SEED", "JB_OTHER_NKEY_SEED"]
    + [f"JB_{kind}{suffix}{tail}" for suffix in JWT_USERS.values()
       for kind, tail in (("JWT", ""), ("JWT", "_SEED"), ("CREDS", ""))]
    + list(TLS_FILES.values())
)


def pem_body_lines(path: str) -> List[str]:
    """The base64 lines of a PEM file (each carries secret bytes of a key)."""
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("-----")]


def secrets(info: Dict[str, Any], min_len: int) -> List[Tuple[str, str]]:
    """(label, value) of every secret of the server's auth material. Labels name the
    material (``jwt.expired.seed``), never the value, so reports can show them."""
    auth = info.get("auth", {})
    found: List[Tuple[str, str]] = []
    mode = auth.get("mode")
    if mode in ("token", "callout"):
        found += [("token", auth["token"]), ("wrong token", auth["wrong_secret"])]
    elif mode == "user":
        found += [("password", auth["password"]), ("wrong password", auth["wrong_secret"])]
    elif mode == "nkey":
        found += [("nkey seed", auth["nkey"]["seed"]), ("other nkey seed", auth["nkey"]["other_seed"])]
    elif mode == "jwt":
        for name, u in auth["jwt"].items():
            if isinstance(u, dict) and "seed" in u:
                found += [(f"jwt.{name}.seed", u["seed"]), (f"jwt.{name}.jwt", u["jwt"]),
                          (f"jwt.{name}.jwt signature", u["jwt"].rsplit(".", 1)[-1])]
    elif mode in ("tls", "mtls", "tls-first"):
        for key in TLS_KEYS:
            for i, line in enumerate(pem_body_lines(auth["tls"][key]), 1):
                found.append((f"tls.{key} PEM line {i}", line))
    return [(label, value) for label, value in found if len(value) >= min_len]


def leaks(text: str, secret_list: List[Tuple[str, str]]) -> List[str]:
    """Labels of the secrets that occur in ``text``, with the line they are on."""
    out = []
    lines = text.splitlines()
    for label, value in secret_list:
        if value in text:
            where = next((i for i, ln in enumerate(lines, 1) if value in ln), 0)
            out.append(f"{label} (line {where})")
    return out
