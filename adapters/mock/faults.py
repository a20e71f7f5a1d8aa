"""Fault injection: per run (``FaultConfig``, filled from CLI flags) and per request (a header).

The header ``X-Interop-Fault`` holds comma-separated directives, applied to that request only:

- ``429`` or ``429;retry-after=2``: answer 429 Too Many Requests with ``Retry-After``
- ``503`` (also ``;retry-after=N``), ``500``, ``502``, ``504``: answer that status, doing nothing
- ``latency=200ms`` (or ``=1.5s``): wait before answering
- ``slow=50ms``: send the body in chunks with this pause between them (a slow drip)
- ``drop``: close the connection without a complete response

A fault that answers with an error status never changes the mock's state: the request is not
processed. Random faults (``error_rate``, ``drop_rate``) draw from a generator seeded with the
mock's seed, so one request sequence always meets the same faults.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from interop.harness.errors import UsageError

__all__ = ["FAULT_HEADER", "Fault", "FaultConfig", "parse_fault_header"]

FAULT_HEADER = "x-interop-fault"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class FaultConfig:
    """Faults applied to every request of a run."""

    latency_ms: float = 0.0
    """Added before every response."""
    jitter_ms: float = 0.0
    """Up to this much more latency, drawn from the seeded generator."""
    error_rate: float = 0.0
    """Fraction of requests answered with ``error_status`` instead of being processed."""
    error_status: int = 503
    retry_after_s: int = 1
    """``Retry-After`` on injected 429 and 503 responses."""
    drop_rate: float = 0.0
    """Fraction of requests whose connection is dropped."""
    slow_body_ms: float = 0.0
    """Pause between body chunks on every response (a slow drip)."""

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise UsageError(f"{name.replace('_', '-')} must be between 0 and 1, not {value}")
        if self.error_status < 400 or self.error_status > 599:
            raise UsageError(f"error-status must be a 4xx or 5xx status, not {self.error_status}")
        if self.latency_ms < 0 or self.jitter_ms < 0 or self.slow_body_ms < 0:
            raise UsageError("latency, jitter and slow-body durations must not be negative")

    @property
    def active(self) -> bool:
        return bool(
            self.latency_ms
            or self.jitter_ms
            or self.error_rate
            or self.drop_rate
            or self.slow_body_ms
        )


@dataclass(frozen=True, slots=True)
class Fault:
    """What to do to one response."""

    status: int | None = None
    retry_after_s: int | None = None
    latency_s: float = 0.0
    slow_chunk_s: float = 0.0
    drop: bool = False

    @property
    def empty(self) -> bool:
        return self == _NONE


_NONE = Fault()


def _duration(text: str) -> float:
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 200ms or 1.5s)")
    value = float(match.group(1))
    return value / 1000.0 if (match.group(2) or "ms") == "ms" else value


def parse_fault_header(text: str) -> Fault:
    """The fault a request asks for; ValueError with a message if the header is malformed."""
    status: int | None = None
    retry: int | None = None
    latency = 0.0
    slow = 0.0
    drop = False
    for directive in text.split(","):
        directive = directive.strip()
        if not directive:
            continue
        head, *params = [p.strip() for p in directive.split(";")]
        key, _, value = head.partition("=")
        key = key.strip().lower()
        if key.isdigit():
            status = int(key)
            if not 400 <= status <= 599:
                raise ValueError(f"fault status must be 4xx or 5xx, not {status}")
            for param in params:
                name, _, amount = param.partition("=")
                if name.strip().lower() == "retry-after":
                    retry = int(amount.strip())
        elif key == "latency":
            latency = _duration(value)
        elif key == "slow":
            slow = _duration(value)
        elif key == "drop":
            drop = True
        else:
            raise ValueError(f"unknown fault directive {head!r}")
    if status in (429, 503) and retry is None:
        retry = 1
    return Fault(status, retry, latency, slow, drop)


def draw_fault(config: FaultConfig, rng: random.Random) -> Fault:
    """The run-level fault for the next request (draws only when a rate is set)."""
    if not config.active:
        return _NONE
    latency = config.latency_ms / 1000.0
    if config.jitter_ms:
        latency += rng.random() * config.jitter_ms / 1000.0
    drop = bool(config.drop_rate) and rng.random() < config.drop_rate
    status: int | None = None
    retry: int | None = None
    if config.error_rate and rng.random() < config.error_rate:
        status = config.error_status
        retry = config.retry_after_s if status in (429, 503) else None
    return Fault(status, retry, latency, config.slow_body_ms / 1000.0, drop)


def combine(run: Fault, request: Fault) -> Fault:
    """The request's own directives win over the run's."""
    if request.empty:
        return run
    if run.empty:
        return request
    return Fault(
        request.status if request.status is not None else run.status,
        request.retry_after_s if request.status is not None else run.retry_after_s,
        request.latency_s or run.latency_s,
        request.slow_chunk_s or run.slow_chunk_s,
        request.drop or run.drop,
    )
