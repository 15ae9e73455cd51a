"""The object-store bench's content, for Python: byte ``j`` of an object is
``j % 251``. ``PatternSource`` produces it in pieces of at most 64 KiB (never
the whole object in memory); ``PatternCheck`` checks what a reader hands out,
chunk by chunk, and keeps only the count."""

from __future__ import annotations

import io
from typing import Union

MODULUS = 251
PIECE = 64 * 1024  # the most a source hands out at once

_Bytes = Union[bytes, bytearray, memoryview]
_period = bytes(range(MODULUS))
_pattern = _period * (PIECE // MODULUS + 2)  # grown by expected() for longer chunks


def expected(offset: int, n: int) -> bytes:
    """The n bytes of the pattern that start at byte ``offset`` of the object."""
    global _pattern
    start = offset % MODULUS
    if start + n > len(_pattern):
        _pattern = _period * ((start + n) // MODULUS + 1)
    return _pattern[start : start + n]


class PatternSource(io.RawIOBase):
    """A read-only raw file of ``size`` pattern bytes; every read hands out at
    most ``PIECE`` bytes. Wrap it in ``io.BufferedReader`` to get the binary
    file object ``open(path, "rb")`` would give."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size, self.pos = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: _Bytes) -> int:  # type: ignore[override]
        n = min(len(b), PIECE, self.size - self.pos)
        if n > 0:
            memoryview(b).cast("B")[:n] = expected(self.pos, n)
            self.pos += n
        return n


def buffered_source(size: int) -> io.BufferedReader:
    """``size`` pattern bytes as a buffered binary file object (64 KiB buffer)."""
    return io.BufferedReader(PatternSource(size), buffer_size=PIECE)


class PatternCheck:
    """Checks consecutive chunks of an object against the pattern; ``bytes``
    is how many were checked. A wrong byte raises ``ValueError``. Has
    ``write`` so a client can write into it like a file."""

    def __init__(self) -> None:
        self.bytes = 0

    def feed(self, chunk: _Bytes) -> None:
        n = len(chunk)
        if chunk != expected(self.bytes, n):
            want = expected(self.bytes, n)
            first = next(i for i in range(n) if chunk[i] != want[i])
            raise ValueError(f"object byte {self.bytes + first}: {chunk[first]} is not {want[first]}")
        self.bytes += n

    def write(self, chunk: _Bytes) -> int:
        self.feed(chunk)
        return len(chunk)
