"""Properties OLD declares that NEW no longer does while it still accepts undeclared ones, which
``compare`` does not report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .keywords import SUB_LISTS, mapping_or_empty

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..types import JsonValue


def removed_properties(
    old: JsonValue, new: JsonValue, path: tuple[Any, ...] = (), depth: int = 0
) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(object path, property) for each property OLD declares that NEW no longer does, where
    NEW still accepts undeclared properties (otherwise ``compare`` reports a breaking change).
    Properties declared in ``allOf``/``anyOf``/``oneOf`` members count as declared, so wrapping
    a schema in ``oneOf: [null, ...]`` removes nothing."""
    if depth > 32 or not (isinstance(old, dict) and isinstance(new, dict)):
        return
    o_props, n_props = _declared(old), _declared(new)
    if new.get("additionalProperties") is not False:
        for name, sub in o_props.items():
            if name not in n_props and sub is not False:
                yield path, name
    for name in sorted(set(o_props) & set(n_props)):
        yield from removed_properties(o_props[name], n_props[name], (*path, name), depth + 1)
    o_items, n_items = _items(old), _items(new)
    if o_items is not None and n_items is not None:
        yield from removed_properties(o_items, n_items, (*path, 0), depth + 1)
    # Properties declared in other sub-schemas a consumer's value passes through: conditional
    # branches and dependent schemas (the same object), array and map members.
    for keyword, at in (
        ("then", path),
        ("else", path),
        ("contains", (*path, 0)),
        ("additionalProperties", (*path, "*")),
        ("unevaluatedProperties", (*path, "*")),
    ):
        yield from removed_properties(old.get(keyword), new.get(keyword), at, depth + 1)
    for keyword, at in (("dependentSchemas", path), ("patternProperties", (*path, "*"))):
        o_map, n_map = mapping_or_empty(old.get(keyword)), mapping_or_empty(new.get(keyword))
        for name in sorted(set(o_map) & set(n_map)):
            yield from removed_properties(o_map[name], n_map[name], at, depth + 1)
    o_prefix, n_prefix = old.get("prefixItems"), new.get("prefixItems")
    if isinstance(o_prefix, list) and isinstance(n_prefix, list):
        for o_item, n_item in zip(o_prefix, n_prefix, strict=False):
            yield from removed_properties(o_item, n_item, (*path, 0), depth + 1)


def _members(node: dict[str, Any], depth: int = 0) -> Iterator[dict[str, Any]]:
    """``node`` and, recursively, the members of its ``allOf``/``anyOf``/``oneOf``."""
    yield node
    if depth > 8:
        return
    for keyword in SUB_LISTS[:3]:
        members = node.get(keyword)
        if isinstance(members, list):
            for member in members:
                if isinstance(member, dict):
                    yield from _members(member, depth + 1)


def _declared(node: dict[str, Any]) -> dict[str, Any]:
    """Every property ``node`` declares, its combinator members' included (first one wins)."""
    out: dict[str, Any] = {}
    for member in _members(node):
        for name, sub in mapping_or_empty(member.get("properties")).items():
            out.setdefault(name, sub)
    return out


def _items(node: dict[str, Any]) -> dict[str, Any] | None:
    for member in _members(node):
        items = member.get("items")
        if isinstance(items, dict):
            return items
    return None
