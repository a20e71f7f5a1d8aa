"""What one request carries through the core: its checked values, and how it is turned away."""

from __future__ import annotations

from dataclasses import dataclass

from interop.harness.types import JsonValue

from .model import MockRequest
from .operations import Operation
from .state import Record

__all__ = ["Context", "Reject"]


@dataclass(slots=True)
class Context:
    """A request that passed the checks: its operation, path values, typed parameters, body."""

    request: MockRequest
    operation: Operation
    path_params: dict[str, str]
    values: dict[tuple[str, str], JsonValue]
    body: JsonValue = None
    base: str = ""
    """The base path as the request gave it (``""``: sent without it)."""
    quirk: str | None = None
    """The quirk (kind) that changed how this request is handled, if any."""
    record: Record | None = None
    """The stored record the operation created, changed or removed (a removed one as it was
    just before removal): the truest source of the values of the events its answer causes."""
    parent: Record | None = None
    """The stored record of the nearest parent resource the request's path names (the worker
    of ``/workers/{ID}/requestTimeOff``), when the mock holds one: the events' last source."""


class Reject(Exception):
    """Answer with the dialect's error envelope for ``status`` instead of a success."""

    def __init__(
        self, status: int, message: str, field: str | None = None, *, violation: bool = True
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.violation = violation
        """False for answers a conforming request can get too (unknown id, stale ETag)."""
        self.problems: tuple[str, ...] = ()
        """Every way the request breaks the contract, ``message`` first (empty: just that)."""
