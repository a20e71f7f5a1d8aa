"""Parameters on the wire: the text a value becomes under OpenAPI's ``style`` and ``explode``.

One function, :func:`serialise`, for every reader: the engine compares the text two contracts
put on the wire, the mock and the traffic generators produce it. Values are JSON values; text
is returned unencoded (percent-encoding is the transport's job).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["scalar_text", "serialise"]


def scalar_text(value: Any) -> str:
    """A primitive as written in a URL or header: ``true``, ``3``, ``2.5``, ``""`` for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def serialise(
    name: str, location: str, style: str, explode: bool, value: Any
) -> list[tuple[str, str]]:
    """The (name, text) pairs that carry ``value`` for one parameter.

    Path and header values are one pair whose text is what stands in the template or header;
    ``matrix`` and ``label`` keep their prefixes (``;id=5``, ``.5``). Query and cookie values
    may be several pairs (``form`` + ``explode``, ``deepObject``)."""
    if isinstance(value, list):
        items = [scalar_text(item) for item in value]
        return _array(name, style, explode, items)
    if isinstance(value, dict):
        fields = [(str(key), scalar_text(item)) for key, item in value.items()]
        return _object(name, location, style, explode, fields)
    text = scalar_text(value)
    if style == "matrix":
        return [(name, f";{name}={text}" if text else f";{name}")]
    if style == "label":
        return [(name, f".{text}")]
    return [(name, text)]


def _array(name: str, style: str, explode: bool, items: list[str]) -> list[tuple[str, str]]:
    if style == "matrix":
        if explode:
            return [(name, "".join(f";{name}={item}" for item in items))]
        return [(name, f";{name}=" + ",".join(items))]
    if style == "label":
        return [(name, "." + ("." if explode else ",").join(items))]
    if style == "form" and explode:
        return [(name, item) for item in items]
    separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    if explode and style in ("spaceDelimited", "pipeDelimited"):
        return [(name, item) for item in items]
    return [(name, separator.join(items))]


def _object(
    name: str, location: str, style: str, explode: bool, fields: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    if style == "deepObject":
        return [(f"{name}[{key}]", text) for key, text in fields]
    if style == "form" and explode:
        return list(fields)
    if style == "matrix":
        if explode:
            return [(name, "".join(f";{key}={text}" for key, text in fields))]
        return [(name, f";{name}=" + ",".join(f"{k},{t}" for k, t in fields))]
    if style == "label":
        if explode:
            return [(name, "".join(f".{key}={text}" for key, text in fields))]
        return [(name, "." + ",".join(f"{k},{t}" for k, t in fields))]
    joined = (
        ",".join(f"{key}={text}" for key, text in fields)
        if explode
        else ",".join(f"{key},{text}" for key, text in fields)
    )
    separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style)
    if separator is not None and not explode:
        joined = separator.join(f"{key}{separator}{text}" for key, text in fields)
    return [(name, joined)]
