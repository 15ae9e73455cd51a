"""repr of options never shows a URL's credentials, whatever their shape: the
package calls the core's redaction, so it redacts exactly as every language."""

import jetbridge

TRICKY = [
    "nats://alice:p@ss@host:4222",  # '@' inside the password
    "NATS://u:secret@host:4222",  # upper-case scheme
    "tls://u:pa:ss@host:4222/path@x",  # ':' in the password, '@' after the path
    "u:nosch3me@host:4222",  # no scheme at all
]


def test_repr_redacts_every_url_shape() -> None:
    shown = repr(jetbridge.ConnectOptions(servers=TRICKY))
    for secret in ("p@ss", "ss@host", "secret", "pa:ss", "nosch3me"):
        assert secret not in shown, (secret, shown)
    assert shown.count("[REDACTED]@host:4222") == 4, shown


def test_comma_separated_servers_are_redacted_one_by_one() -> None:
    shown = str(jetbridge.ConnectOptions(servers="nats://a:one@h1:4222,nats://b:two@h2:4222"))
    assert "one" not in shown and "two" not in shown, shown
    assert "nats://[REDACTED]@h1:4222" in shown and "nats://[REDACTED]@h2:4222" in shown, shown
