"""Requests as conform sends them: schemathesis cases with learnt values put in, our
User-Agent, the consumer's media types as ``Accept``, and the URLs a walk may follow."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from ..openapi import Operation
from ..verify.checks import plain_schema
from ..verify.generation import rebuild_case
from ..verify.transport import SentRequest

__all__ = [
    "USER_AGENT",
    "accept_header",
    "as_conform",
    "fill_template",
    "required_query",
    "same_origin",
    "with_query",
]

USER_AGENT = "interop-conform"


def as_conform(request: SentRequest, accept: str | None = None) -> SentRequest:
    """Our User-Agent, and the media types the consumer reads as ``Accept`` (it negotiates,
    as ``check`` assumes)."""
    headers = tuple(
        (name, USER_AGENT if name.lower() == "user-agent" else value)
        for name, value in request.headers
        if not (accept and name.lower() == "accept")
    )
    if accept:
        headers = (*headers, ("Accept", accept))
    return SentRequest(request.method, request.url, headers, request.body, request.media_type)


def accept_header(spec: Operation) -> str | None:
    """The media types the consumer reads in any response of the operation, successes first."""
    found: list[str] = []
    for response in sorted(spec.responses, key=lambda r: (not r.status.startswith("2"), r.status)):
        for media in response.content:
            if media.as_written not in found:
                found.append(media.as_written)
    return ", ".join(found) or None


def fill_template(template: str, values: dict[str, Any]) -> str:
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", str(value))
    return out


def with_query(case: Any, query: dict[str, Any]) -> Any:
    return rebuild_case(case, query=dict(query))


def required_query(spec: Operation, case: Any) -> dict[str, Any]:
    """The query a page walk starts from: required parameters only (their example if the
    consumer gives one, else the drawn value), so that filters do not hide the later pages."""
    query: dict[str, Any] = {}
    drawn = dict(case.query or {})
    for parameter in spec.parameters:
        if parameter.location != "query" or not parameter.required:
            continue
        name = parameter.name
        schema = parameter.schema if plain_schema(parameter) is not None else {}
        example = parameter.raw.get("example", schema.get("example"))
        if example is not None:
            query[name] = example
        elif name in drawn:
            query[name] = drawn[name]
    return query


def same_origin(link: str, current: str, base_url: str) -> str | None:
    """A next link resolved against the page it came from, if it stays on the cluster."""
    resolved = urljoin(current, link)
    if urlsplit(resolved).netloc != urlsplit(base_url).netloc:
        return None
    return resolved
