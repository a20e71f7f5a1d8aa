"""Where live evidence came from: how an interop mock identifies itself on the wire.

Every response of a served interop mock carries ``X-Interop-Mock: <cluster> <version>``.
``verify`` and ``conform`` record it with their target URL (``results.Target``), and
``can-i-deploy`` never takes a verification of a mock as evidence about a cluster's sandbox.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "IN_PROCESS_MOCKS",
    "MOCK_HEADER",
    "MOCK_INTERNAL_ERROR",
    "PROBLEM_HEADER",
    "mock_identity",
    "mock_internal_error",
]

MOCK_HEADER = "X-Interop-Mock"
PROBLEM_HEADER = "X-Interop-Problem"
"""Why an interop mock refused or failed a request, in words (every refusal carries it)."""
MOCK_INTERNAL_ERROR = "interop mock internal error"
"""How an interop mock's ``X-Interop-Problem`` starts when the mock itself failed (a bug in
interop): verify and conform report such an answer as interop's problem, never the cluster's."""
IN_PROCESS_MOCKS = "interop in-process mocks"
"""The ``Target.mock`` of a conform run against the catalogue's mocks in-process."""


def mock_identity(headers: Iterable[tuple[str, str]]) -> str | None:
    """The ``X-Interop-Mock`` value among response ``headers`` (any case), or None."""
    wanted = MOCK_HEADER.lower()
    for name, value in headers:
        if name.lower() == wanted:
            return " ".join(value.split())[:200] or "interop mock"
    return None


def mock_internal_error(headers: Iterable[tuple[str, str]]) -> str | None:
    """What an interop mock said went wrong inside it, when ``headers`` are those of its
    internal-error answer (``X-Interop-Mock`` and an ``X-Interop-Problem`` starting
    ``MOCK_INTERNAL_ERROR``); None for any other answer, a sandbox's 500s included."""
    problem = None
    is_mock = False
    for name, value in headers:
        lowered = name.lower()
        if lowered == MOCK_HEADER.lower():
            is_mock = True
        elif lowered == PROBLEM_HEADER.lower() and value.startswith(MOCK_INTERNAL_ERROR):
            problem = " ".join(value.split())[:300]
    return problem if is_mock else None
