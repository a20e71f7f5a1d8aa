"""The sans-IO records the mock's core speaks: a request in, a response out, violations kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from .faults import Fault

__all__ = ["Exchange", "MockRequest", "MockResponse", "Violation"]


@dataclass(slots=True)
class MockRequest:
    """One HTTP request, already read: path decoded, query raw, header names lower-case."""

    method: str
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    scheme: str = "http"
    _pairs: list[tuple[str, str]] | None = field(default=None, repr=False)

    @property
    def query_pairs(self) -> list[tuple[str, str]]:
        if self._pairs is None:
            self._pairs = parse_qsl(self.query, keep_blank_values=True)
        return self._pairs

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.headers.get('host', 'localhost')}"


@dataclass(slots=True)
class MockResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    operation: str | None = None
    """``"GET /workers"`` as the contract writes it; None when no operation matched."""
    problem: str | None = None
    """Why the request broke the contract (None when it conformed): the problem that decided
    the answer."""
    fault: Fault | None = None
    quirk: str | None = None
    """The quirk (kind) of the real cluster this answer replays, if any: not a violation."""
    problems: tuple[str, ...] = ()
    """Every way the request broke the contract, ``problem`` first (empty: ``problem`` alone)."""

    @property
    def conformed(self) -> bool:
        return self.problem is None

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)


@dataclass(frozen=True, slots=True)
class Violation:
    """A request that broke the contract, as the pytest plugin reports it."""

    method: str
    path: str
    operation: str | None
    status: int
    message: str
    """The problem that decided the mock's answer."""
    problems: tuple[str, ...] = ()
    """Every way the request broke the contract, ``message`` first (empty: ``message`` alone)."""

    @property
    def every(self) -> tuple[str, ...]:
        """Every problem of the request, the one that decided the answer first."""
        return self.problems or (self.message,)

    def __str__(self) -> str:
        where = f" ({self.operation})" if self.operation else ""
        head = f"{self.method} {self.path}{where} -> {self.status}"
        every = self.every
        if len(every) == 1:
            return f"{head}: {every[0]}"
        return f"{head}: {len(every)} problems: " + "; ".join(every)

    def lines(self) -> list[str]:
        """As the pytest plugin prints it: the request, then one line per problem."""
        every = self.every
        if len(every) == 1:
            return [str(self)]
        where = f" ({self.operation})" if self.operation else ""
        head = f"{self.method} {self.path}{where} -> {self.status}: {len(every)} problems"
        return [head, *(f"  - {problem}" for problem in every)]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its answer, for logs."""

    method: str
    path: str
    status: int
    operation: str | None
    problem: str | None
    duration_ms: float
    fault: str | None = None
    quirk: str | None = None

    @property
    def conformed(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        verdict = "conformed" if self.problem is None else f"VIOLATION {self.problem}"
        op = self.operation or "-"
        extra = f" fault={self.fault}" if self.fault else ""
        if self.quirk:
            extra += f" quirk={self.quirk}"
        return (
            f"{self.method} {self.path} {self.status} {op} {verdict}"
            f" {self.duration_ms:.1f}ms{extra}"
        )
