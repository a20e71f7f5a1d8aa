"""Single items wrapped in an envelope: ``{"transactionRule": {...}}``, OData's ``{"d": {...}}``.

A response schema shows a record inside an envelope when, at its top level, it has no property
naming the record's identifier (the item path parameter, or ``id``) and exactly one object
property whose own properties do, and that property is required or the only one. The record is
stored unwrapped (what the client created) and shown inside the envelope: read back what was
created, never a generated record inside the wrapper.
"""

from __future__ import annotations

from .shapes import Shape, object_view

__all__ = ["ENVELOPE", "envelope_of", "unwrapped"]

ENVELOPE = "envelope"
"""``Shape.memo`` key: ``(property, inner shape)`` of an envelope shape."""


def _names_id(names: object, param: str | None) -> bool:
    if not isinstance(names, dict):
        return False
    wanted = {"id"} | ({_loose(param)} if param else set())
    return any(_loose(name) in wanted for name in names)


def envelope_of(shape: Shape, param: str | None) -> tuple[str, Shape] | None:
    """The property holding the record and its shape, when ``shape`` is an envelope around
    a record whose identifier is ``param`` (or ``id``); None otherwise."""
    top = shape.view()
    props = top.get("properties")
    if not isinstance(props, dict) or not props or _names_id(props, param):
        return None
    listed = top.get("required")
    required: list[str] = listed if isinstance(listed, list) else []
    holders = [
        name
        for name, sub in props.items()
        if _names_id(object_view(shape.schema, sub).get("properties"), param)
    ]
    if len(holders) != 1:
        return None
    name = holders[0]
    if name not in required and len(props) > 1:
        return None
    inner = shape.sub(props[name])
    return (name, inner) if inner is not None else None


def unwrapped(views: list[Shape], param: str | None) -> list[Shape]:
    """``views`` with each envelope replaced by the record shape inside it (and remembered on
    the envelope's ``memo``, for ``Record.view``)."""
    out = []
    for view in views:
        found = view.memo.get(ENVELOPE)
        if found is None and ENVELOPE not in view.memo:
            found = view.memo[ENVELOPE] = envelope_of(view, param)
        out.append(found[1] if found is not None else view)
    return out


def _loose(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")
