"""OpenAPI links: the runtime expressions that carry values from one exchange to the next.

``$response.body#/id``, ``$response.header.Location``, ``$request.path.org``,
``$request.body#/name``, ``$url``, ``$method``, ``$statusCode`` and literal values.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from ..loading import resolve_pointer
from ..openapi import Link, Operation
from .transport import Exchange

__all__ = ["case_with", "link_values"]


def link_values(link: Link, case: Any, exchange: Exchange) -> dict[str, Any] | None:
    """The link's parameters evaluated against the request and response; None if one cannot
    be (the response lacks the field: the schema check reports that)."""
    values: dict[str, Any] = {}
    for name, expression in link.parameters:
        value = _evaluate(expression, case, exchange)
        if value is _MISSING:
            return None
        values[name] = value
    return values


_MISSING = object()


def _evaluate(expression: Any, case: Any, exchange: Exchange) -> Any:
    if not isinstance(expression, str) or not expression.startswith("$"):
        return expression
    if expression == "$statusCode":
        return exchange.status
    if expression == "$method":
        return exchange.request.method
    if expression == "$url":
        return exchange.request.url
    source, _, rest = expression.partition("#")
    if source == "$response.body":
        try:
            return resolve_pointer(exchange.json(), unquote(rest))
        except (ValueError, KeyError):
            return _MISSING
    if source == "$request.body":
        try:
            return resolve_pointer(case.body, unquote(rest))
        except (KeyError, TypeError):
            return _MISSING
    head, _, name = expression.partition(".")
    where, _, name = name.partition(".")
    if head == "$response" and where == "header":
        value = exchange.header(name)
        return _MISSING if value is None else value
    if head == "$request":
        container = {
            "path": case.path_parameters,
            "query": case.query,
            "header": case.headers,
            "cookie": case.cookies,
        }.get(where)
        if container is not None and name in container:
            return container[name]
    return _MISSING


def case_with(base: Any, values: dict[str, Any], target: Operation) -> Any:
    """A copy of ``base`` (a schemathesis case of ``target``) carrying a link's ``values``:
    ``path.id``-style names go where they say, bare names where ``target`` declares them; None
    when a name has no place in ``target`` or schemathesis refuses the case."""
    locations = {name: where for where, name in (p.key for p in target.parameters)}
    parts: dict[str, dict[str, Any]] = {
        "path": dict(base.path_parameters or {}),
        "query": dict(base.query or {}),
        "header": dict(base.headers or {}),
        "cookie": dict(base.cookies or {}),
    }
    for name, value in values.items():
        where, _, bare = name.partition(".")
        if where in parts and bare:
            parts[where][bare] = value
        elif name in locations or name.lower() in locations:
            parts[locations.get(name) or locations[name.lower()]][name] = value
        else:
            return None
    try:
        return base.operation.Case(
            path_parameters={k: str(v) for k, v in parts["path"].items()},
            query=parts["query"],
            headers=parts["header"],
            cookies=parts["cookie"],
            body=base.body,
            media_type=base.media_type,
        )
    except Exception:
        return None
