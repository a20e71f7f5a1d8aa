"""Request objects NEW closes to properties it does not declare, where OLD accepted (and
ignored) them: breaking, which ``compare`` cannot see because it reads OLD as sending only
what OLD declares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .keywords import mapping_or_empty

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..types import JsonValue

_CLOSING = ("additionalProperties", "unevaluatedProperties")


def newly_closed(
    old: JsonValue, new: JsonValue, path: tuple[Any, ...] = (), depth: int = 0
) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(object path, keyword) for each object of a request that OLD leaves open to undeclared
    properties and NEW closes with ``additionalProperties: false`` or
    ``unevaluatedProperties: false`` (the keyword that closes it). A consumer compatible with
    OLD may send a property OLD never declared (``check`` says nothing about it against an open
    schema); NEW refuses it. ``patternProperties`` in NEW may still admit some names: left
    alone. Both trees are the plain merged ones (``acceptor_tree(reader=False)``)."""
    if depth > 32 or not (isinstance(old, dict) and isinstance(new, dict)):
        return
    closing = _closing(new)
    if (
        closing is not None
        and _closing(old) is None
        and _may_be_object(old)
        and "patternProperties" not in new
    ):
        yield path, closing
    o_props = mapping_or_empty(old.get("properties"))
    n_props = mapping_or_empty(new.get("properties"))
    for name in sorted(set(o_props) & set(n_props)):
        yield from newly_closed(o_props[name], n_props[name], (*path, name), depth + 1)
    o_items, n_items = old.get("items"), new.get("items")
    if isinstance(o_items, dict) and isinstance(n_items, dict):
        yield from newly_closed(o_items, n_items, (*path, 0), depth + 1)
    o_extra, n_extra = old.get("additionalProperties"), new.get("additionalProperties")
    if isinstance(o_extra, dict) and isinstance(n_extra, dict):
        yield from newly_closed(o_extra, n_extra, (*path, "*"), depth + 1)


def _closing(node: dict[str, Any]) -> str | None:
    for keyword in _CLOSING:
        if node.get(keyword) is False:
            return keyword
    return None


def _may_be_object(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    if kind is None:
        return "properties" in node or not any(k in node for k in ("enum", "const"))
    return kind == "object" or (isinstance(kind, list) and "object" in kind)
