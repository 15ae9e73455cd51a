"""Connection options.

Every field left as ``None`` takes the core's default (listed in each field's
description). Durations are seconds (``int``/``float``) or
``datetime.timedelta``. Secrets (token, password, seeds, JWT, ``user:pass@`` in
URLs) never appear in ``repr``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Type, TypeVar, Union

from . import _native
from ._native import redact_url

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    _D = TypeVar("_D", bound=DataclassInstance)

__all__ = ["ConnectOptions", "Seconds"]

#: A duration: seconds as ``int``/``float``, or a ``timedelta``.
Seconds = Union[int, float, timedelta]

_SECRET_FIELDS = ("token", "password", "nkey_seed", "jwt", "jwt_seed")


@dataclass
class ConnectOptions:
    """Everything needed to connect; ``None`` means the core's default
    (``ConnectOptions.defaults()`` shows them).

    Attributes:
        servers: Server URLs (``nats://``, ``tls://``), a list or one
            comma-separated string.
        name: Connection name shown by the server.
        token: Token authentication.
        user: User name (with ``password``).
        password: Password (with ``user``).
        nkey_seed: NKey seed (``SU…``); it signs the server's nonce locally.
        jwt: User JWT (with ``jwt_seed``), Dapr's ``jwt``.
        jwt_seed: The user's NKey seed for ``jwt``, Dapr's ``seedKey``.
        creds_file: Path of a ``.creds`` file (JWT and seed).
        tls_required: Require TLS even if the server does not ask for it.
        tls_ca_file: PEM file of extra CA certificates to trust.
        tls_client_cert: PEM client certificate for mutual TLS.
        tls_client_key: PEM private key of ``tls_client_cert``.
        tls_handshake_first: TLS handshake before the server's INFO.
        max_reconnects: Reconnect attempts after a lost connection (``None``
            in the defaults: forever).
        connect_timeout: Initial connect timeout.
        request_timeout: Timeout of each JetStream API request.
        ping_interval: Client PING interval.
        publish_retry_budget: How long a publish retries with the same msg id
            before ``PublishOutcomeUnknownError``.
        publish_ack_timeout: How long one publish attempt waits for its ack.
        domain: JetStream domain (exclusive with ``api_prefix``).
        api_prefix: JetStream API prefix (``None``: ``$JS.API``).
        inbox_prefix: Reply inbox prefix.

    Only one credential mode may be given. Certificates are always verified.
    """

    servers: Union[str, List[str], None] = None
    name: Optional[str] = None
    token: Optional[str] = None
    user: Optional[str] = None
    password: Optional[str] = None
    nkey_seed: Optional[str] = None
    jwt: Optional[str] = None
    jwt_seed: Optional[str] = None
    creds_file: Optional[str] = None
    tls_required: Optional[bool] = None
    tls_ca_file: Optional[str] = None
    tls_client_cert: Optional[str] = None
    tls_client_key: Optional[str] = None
    tls_handshake_first: Optional[bool] = None
    max_reconnects: Optional[int] = None
    connect_timeout: Optional[Seconds] = None
    request_timeout: Optional[Seconds] = None
    ping_interval: Optional[Seconds] = None
    publish_retry_budget: Optional[Seconds] = None
    publish_ack_timeout: Optional[Seconds] = None
    domain: Optional[str] = None
    api_prefix: Optional[str] = None
    inbox_prefix: Optional[str] = None

    @classmethod
    def defaults(cls) -> "ConnectOptions":
        """The core's defaults, every field filled in."""
        return cls(**_native.default_connect_options())

    def __repr__(self) -> str:
        parts = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name in _SECRET_FIELDS:
                shown = "'[REDACTED]'"
            elif f.name == "servers":
                urls = value.split(",") if isinstance(value, str) else list(value)
                shown = repr([redact_url(u) for u in urls])
            else:
                shown = repr(value)
            parts.append(f"{f.name}={shown}")
        return f"ConnectOptions({', '.join(parts)})"

    __str__ = __repr__


def _merged(cls: Type[_D], obj: Optional[_D], fields: Dict[str, Any]) -> _D:
    """An options object (``cls()`` when ``None``) with keyword ``fields``
    replaced: what every ``f(options=None, **fields)`` call passes on."""
    base = obj if obj is not None else cls()
    return dataclasses.replace(base, **fields) if fields else base
