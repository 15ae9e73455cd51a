#!/usr/bin/env python3
"""Runs a command with the nats-servers the C and Go tests need.

    with_servers.py [--auth] -- COMMAND ARGS...

Starts one JetStream server (NATS_URL) through the project's harness and,
with --auth, one server per auth mode, exporting their URLs and credentials
as JB_* variables. The servers stop when the command ends (and with this
process: the harness CLI exits on stdin EOF). Exits with the command's code.
"""

import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "harness" / "python"))
from jb_harness import Harness  # noqa: E402


def auth_env(stack: ExitStack) -> dict:
    env = {}
    token = stack.enter_context(Harness(auth="token"))
    env.update(JB_TOKEN_URL=token.urls[0], JB_TOKEN=token.auth["token"],
               JB_WRONG_TOKEN=token.auth["wrong_secret"])
    user = stack.enter_context(Harness(auth="user"))
    env.update(JB_USER_URL=user.urls[0], JB_USER=user.auth["user"],
               JB_PASSWORD=user.auth["password"])
    nkey = stack.enter_context(Harness(auth="nkey"))
    env.update(JB_NKEY_URL=nkey.urls[0], JB_NKEY_SEED=nkey.auth["nkey"]["seed"],
               JB_NKEY_OTHER_SEED=nkey.auth["nkey"]["other_seed"])
    jwt = stack.enter_context(Harness(auth="jwt"))
    user_jwt = jwt.auth["jwt"]["user"]
    env.update(JB_JWT_URL=jwt.urls[0], JB_JWT=user_jwt["jwt"], JB_JWT_SEED=user_jwt["seed"],
               JB_CREDS=user_jwt["creds"])
    tls = stack.enter_context(Harness(auth="tls"))
    env.update(JB_TLS_URL=tls.info["tls_urls"][0], JB_TLS_CA=tls.auth["tls"]["ca"],
               JB_TLS_OTHER_CA=tls.auth["tls"]["other_ca"])
    mtls = stack.enter_context(Harness(auth="mtls"))
    t = mtls.auth["tls"]
    env.update(JB_MTLS_URL=mtls.info["tls_urls"][0], JB_MTLS_CA=t["ca"],
               JB_MTLS_CERT=t["client_cert"], JB_MTLS_KEY=t["client_key"])
    return env


def main() -> int:
    args = sys.argv[1:]
    with_auth = "--auth" in args[: args.index("--")] if "--" in args else False
    command = args[args.index("--") + 1:] if "--" in args else args
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    with ExitStack() as stack:
        main_server = stack.enter_context(Harness())
        env = dict(os.environ, NATS_URL=main_server.urls[0])
        if with_auth:
            env.update(auth_env(stack))
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
