"""The hook through which ``jetbridge.otel`` puts the active span into the
headers of every publish.

Every publish form of the package passes its headers (or its messages)
through here. Without ``jetbridge.otel.instrument()`` the hook is ``None``
and a publish pays one module attribute check; this module imports nothing
from OpenTelemetry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from .publish import Headers, MessageLike

#: Set by ``jetbridge.otel.instrument()``: given a publish's headers, returns
#: the headers to send (the caller's, plus the active span's context unless
#: the caller set one); ``None`` when there is nothing to add.
hook: Optional[Callable[[Optional["Headers"]], Optional[List[Tuple[str, str]]]]] = None


def headers(given: Optional["Headers"]) -> Optional["Headers"]:
    """The headers a publish sends: ``given``, with the active span added
    when the hook is set and has something to add."""
    if hook is None:
        return given
    added = hook(given)
    return given if added is None else added


def messages(given: Sequence["MessageLike"]) -> Sequence["MessageLike"]:
    """The messages of a batch, each with the active span added as in
    ``headers`` (the same span for all of them)."""
    if hook is None:
        return given
    from .publish import PublishMessage

    out: List["MessageLike"] = []
    for item in given:
        if isinstance(item, PublishMessage):
            m = item
        elif isinstance(item, tuple) and len(item) in (2, 3):
            m = PublishMessage(*item)
        else:  # another object: left as it is (the native check names a bad one)
            out.append(item)
            continue
        added = hook(m.headers)
        if added is None:
            out.append(item)
        else:
            out.append(PublishMessage(m.subject, m.payload, m.msg_id, added, m.expect, m.ttl))
    return out
