"""Where live evidence came from: how an interop mock identifies itself on the wire.

Every response of a served interop mock carries ``X-Interop-Mock: <cluster> <version>``.
``verify`` and ``conform`` record it with their target URL (``results.Target``), and
``can-i-deploy`` never takes a verification of a mock as evidence about a cluster's sandbox.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["IN_PROCESS_MOCKS", "MOCK_HEADER", "mock_identity"]

MOCK_HEADER = "X-Interop-Mock"
IN_PROCESS_MOCKS = "interop in-process mocks"
"""The ``Target.mock`` of a conform run against the catalogue's mocks in-process."""


def mock_identity(headers: Iterable[tuple[str, str]]) -> str | None:
    """The ``X-Interop-Mock`` value among response ``headers`` (any case), or None."""
    wanted = MOCK_HEADER.lower()
    for name, value in headers:
        if name.lower() == wanted:
            return " ".join(value.split())[:200] or "interop mock"
    return None
