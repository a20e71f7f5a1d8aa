"""Turns what the checks observed into findings: one per root cause, secrets redacted.

A check reports an ``Observation`` each time it sees a problem, with a ``key`` naming the root
cause (for a schema violation: operation, status, media type, instance path with array indices
folded to ``*``, keyword). Observations with the same rule, operation and key merge into one
finding that keeps the first example (runs are ordered, so "first" is deterministic) and counts
the rest.

An answer in which an interop mock says it failed itself (``provenance.mock_internal_error``)
is never the cluster's defect: whatever check saw it, it becomes one ``<kind>.interop-problem``
observation per operation and status (``verify.interop-problem``, ``conform.interop-problem``).
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from ..provenance import mock_internal_error
from ..results import Finding, Location, Severity
from ..rules import rule
from .redaction import Redactor
from .reproduction import curl_command
from .transport import Exchange

__all__ = ["MAX_BODY_CHARS", "Observation", "merge", "record_request", "record_response"]

MAX_BODY_CHARS = 2048
"""How much of a body a finding keeps: enough to see the problem, not a megabyte per finding."""
_MAX_JSON_BYTES = 4096
_VOLATILE = frozenset({"date"})
"""Response headers left out of findings so that two runs give the same result."""
_NOISE_HEADERS = frozenset(
    {"host", "user-agent", "accept-encoding", "connection", "content-length"}
)


@dataclass(frozen=True, slots=True)
class Observation:
    rule: str
    operation: str
    key: tuple[Hashable, ...]
    message: str
    exchange: Exchange
    location: Location | None = None
    severity: Severity | None = None
    """Defaults to the rule's registered severity."""


def merge(
    observations: Iterable[Observation],
    redactor: Redactor,
    *,
    cluster: str | None,
    insecure: bool = False,
) -> tuple[Finding, ...]:
    """One finding per (rule, operation, key), in first-seen order, then sorted."""
    first: dict[tuple[Hashable, ...], Observation] = {}
    counts: dict[tuple[Hashable, ...], int] = {}
    for seen in observations:
        observation = _as_interop_problem(seen) or seen
        identity = (observation.rule, observation.operation, *observation.key)
        if identity not in first:
            first[identity] = observation
            counts[identity] = 0
        counts[identity] += 1
    findings = []
    for identity, observation in first.items():
        count = counts[identity]
        message = observation.message
        if count > 1:
            message = f"{message} (seen in {count} exchanges)"
        findings.append(
            Finding(
                severity=observation.severity or rule(observation.rule).severity,
                rule=observation.rule,
                message=redactor.text(message),
                cluster=cluster,
                operation=observation.operation,
                provider_location=observation.location,
                evidence="live",
                request=record_request(observation.exchange, redactor),
                response=record_response(observation.exchange, redactor, count=count),
                reproduction=_reproduction(observation.exchange, redactor, insecure=insecure),
            )
        )
    return tuple(sorted(findings, key=lambda f: f.sort_key()))


def _as_interop_problem(observation: Observation) -> Observation | None:
    """The observation restated as interop's own problem, when the answer it is about is an
    interop mock's internal error (None otherwise)."""
    exchange = observation.exchange
    problem = mock_internal_error(exchange.headers) if exchange.status is not None else None
    if problem is None:
        return None
    kind = observation.rule.split(".", 1)[0]
    return Observation(
        f"{kind}.interop-problem",
        observation.operation,
        (exchange.status,),
        f"{observation.operation}: the interop mock answering it failed internally "
        f"({exchange.status}: {problem}); this is interop's problem to fix, not a defect of the "
        "cluster or its contract",
        exchange,
    )


def record_request(exchange: Exchange, redactor: Redactor) -> dict[str, Any]:
    request = exchange.request
    headers = {
        name: redactor.header_value(name, value)
        for name, value in request.headers
        if name.lower() not in _NOISE_HEADERS
    }
    record: dict[str, Any] = {
        "method": request.method,
        "url": redactor.url(request.url),
        "headers": headers,
    }
    if request.body is not None:
        record["body"] = redactor.data(_body_value(request.body, request.media_type))
    return record


def record_response(exchange: Exchange, redactor: Redactor, *, count: int = 1) -> dict[str, Any]:
    record: dict[str, Any] = {"status": exchange.status}
    if exchange.status is not None:
        merged: dict[str, str] = {}
        for name, value in exchange.headers:
            lowered = name.lower()
            merged[lowered] = f"{merged[lowered]}, {value}" if lowered in merged else value
        record["headers"] = {
            k: redactor.text(v) for k, v in sorted(merged.items()) if k not in _VOLATILE
        }
        if exchange.body:
            record["body"] = redactor.data(_body_value(exchange.body, exchange.media_type))
            record["body_bytes"] = len(exchange.body)
    if exchange.problem is not None:
        record["error"] = redactor.text(exchange.problem.detail)
        record["elapsed_s"] = round(exchange.elapsed_s, 3)
    if count > 1:
        record["occurrences"] = count
    return record


def _body_value(body: bytes, media_type: str | None) -> Any:
    """Small JSON bodies as JSON (readable in every format); anything else as text, truncated."""
    if len(body) <= _MAX_JSON_BYTES and _is_json(media_type):
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError:
            pass
    text = body.decode("utf-8", errors="replace")
    if len(text) > MAX_BODY_CHARS:
        return text[:MAX_BODY_CHARS] + f"... [truncated: {len(body)} bytes in all]"
    return text


def _is_json(media_type: str | None) -> bool:
    return bool(media_type) and (
        media_type == "application/json" or str(media_type).endswith("+json")
    )


def _reproduction(exchange: Exchange, redactor: Redactor, *, insecure: bool) -> str:
    request = exchange.request
    headers = [
        (name, redactor.header_value(name, value))
        for name, value in request.headers
        if name.lower() not in _NOISE_HEADERS
    ]
    body = None
    if request.body is not None:
        body = redactor.text(request.body.decode("utf-8", errors="replace"))
    return curl_command(request.method, redactor.url(request.url), headers, body, insecure=insecure)
