"""OpenAPI links: the runtime expressions that carry values from one exchange to the next.

``$response.body#/id``, ``$response.header.Location``, ``$request.path.org``,
``$request.body#/name``, ``$url``, ``$method``, ``$statusCode`` and literal values.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from ..loading import resolve_pointer
from .transport import Exchange

__all__ = ["link_values"]


def link_values(link: dict[str, Any], case: Any, exchange: Exchange) -> dict[str, Any] | None:
    """The link's parameters evaluated against the request and response; None if one cannot
    be (the response lacks the field: the schema check reports that)."""
    parameters = link.get("parameters")
    if not isinstance(parameters, dict):
        return {}
    values: dict[str, Any] = {}
    for name, expression in parameters.items():
        value = _evaluate(expression, case, exchange)
        if value is _MISSING:
            return None
        values[str(name)] = value
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
            "path": case.path_parameters, "query": case.query, "header": case.headers,
            "cookie": case.cookies,
        }.get(where)  # fmt: skip
        if container is not None and name in container:
            return container[name]
    return _MISSING
