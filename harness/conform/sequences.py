"""Sequences a consumer contract implies: read back what a create returned, follow links.

The inference rules (``inference.py``, ``docs/conform.md``) say which operations chain; these
functions send the follow-up request within a session and judge it as the consumer would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..openapi import Link, Operation
from ..verify.findings import Observation
from ..verify.generation import build_request, with_path
from ..verify.links import case_with, link_values
from ..verify.transport import Exchange
from .cases import accept_header, as_conform
from .inference import identifier_from_body, identifier_from_location, last_parameter

if TYPE_CHECKING:
    from .session import PairSession

__all__ = ["follow_links", "read_back"]


def read_back(
    session: PairSession, spec: Operation, case: Any, exchange: Exchange
) -> list[Observation]:
    """After a successful create: read what was created by the identifier returned."""
    read = session.reads.get(spec.key)
    parameter = last_parameter(read.path) if read is not None else None
    template = session.templates.get(read.key) if read is not None else None
    if read is None or parameter is None or template is None:
        return []
    declared = spec.response_for(exchange.status or 0)
    reads_location = declared is not None and any(
        header.name.lower() == "location" for header in declared.headers
    )
    location = exchange.header("Location")
    where = f"{spec.key} answered {exchange.status}"
    if reads_location and location is not None:
        identity = identifier_from_location(location, read.path)
        where = f"{where} with Location {location}"
        if identity is None:
            return [
                Observation(
                    "conform.sequence.location",
                    spec.key,
                    ("location",),
                    f"{where}, which does not name a resource the consumer can read with "
                    f"{read.key}",
                    exchange,
                    location=session.consumer.location(spec.pointer),
                )
            ]
    else:
        try:
            identity = identifier_from_body(exchange.json(), parameter)
        except ValueError:
            identity = None
        if identity is None:
            return []
        identity = str(identity)
        where = f"{where} with {parameter} {identity!r} in its body"
    if not session.path_fits(read, parameter, identity):
        declared_parameter = read.parameter("path", parameter)
        assert declared_parameter is not None  # an undeclared parameter fits anything
        return [
            Observation(
                "conform.sequence.identifier",
                spec.key,
                (parameter, "created"),
                f"{where}; that identifier does not fit the consumer's schema for "
                f"{{{parameter}}} in {read.key}, so it cannot read the record back",
                exchange,
                location=declared_parameter.source,
            )
        ]
    session.remember_created(spec.path, identity)
    shared = {
        k: v
        for k, v in (case.path_parameters or {}).items()
        if read.parameter("path", k) is not None
    }
    follow = with_path(template, {**shared, parameter: identity})
    request = build_request(follow, session.base_url, session.headers_for(read))
    if request is None:
        return []
    answer = session.send(as_conform(request, accept_header(read)))
    if answer is None:
        return []
    if answer.status is None or not 200 <= answer.status < 300:
        return [
            Observation(
                "conform.sequence.read-back",
                spec.key,
                (read.key, answer.status),
                f"{where}, but reading it back as the consumer does ({read.key} with "
                f"{parameter}={identity!r}) answered "
                f"{answer.status if answer.status is not None else 'nothing'}",
                answer,
                location=session.consumer.location(read.pointer),
            )
        ]
    return session.judge.body_errors(read, answer)


def follow_links(
    session: PairSession, spec: Operation, case: Any, exchange: Exchange
) -> list[Observation]:
    """After a 2xx: follow every OpenAPI link the consumer declares on that response."""
    declared = spec.response_for(exchange.status or 0)
    if declared is None:
        return []
    found: list[Observation] = []
    for link in declared.links:
        name = link.name
        target = _link_target(session, link)
        template = session.templates.get(target.key) if target is not None else None
        if target is None or template is None:
            continue
        values = link_values(link, case, exchange)
        if values is None:
            continue
        follow = case_with(template, values, target)
        if follow is None:
            continue
        request = build_request(follow, session.base_url, session.headers_for(target))
        if request is None:
            continue
        answer = session.send(as_conform(request, accept_header(target)))
        if answer is None:
            break
        if answer.status is None or not 200 <= answer.status < 300:
            found.append(
                Observation(
                    "conform.sequence.link",
                    spec.key,
                    (name, answer.status),
                    f"{spec.key} answered {exchange.status}, but following the consumer's "
                    f"link '{name}' to {target.key} answered {answer.status}",
                    answer,
                    location=session.consumer.location(spec.pointer),
                )
            )
        else:
            found.extend(session.judge.body_errors(target, answer))
    return found


def _link_target(session: PairSession, link: Link) -> Operation | None:
    for spec in session.specs.values():
        if link.operation_id is not None and spec.operation_id == link.operation_id:
            return spec
        if link.operation_ref is not None and link.operation_ref == "#" + spec.pointer:
            return spec
    return None
