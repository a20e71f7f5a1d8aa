"""How writes change a stored record: JSON Merge Patch (RFC 7396) and JSON Patch (RFC 6902) for
``PATCH``, replacement for ``PUT``, and the fields the server owns (ids, ``readOnly`` fields,
timestamps) kept by the mock whatever the client sends."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from interop.harness.types import JsonObject, JsonValue

from .shapes import Shape, object_view

__all__ = [
    "JSON_PATCH",
    "PatchError",
    "apply_json_patch",
    "merge_patch",
    "server_fields",
    "stamp",
]

JSON_PATCH = "application/json-patch+json"

_CREATED = ("created", "creation", "inserted", "registered")
_UPDATED = ("updated", "modified", "changed", "lastupdate", "lastmodified", "lastchange")
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


class PatchError(ValueError):
    """A JSON Patch that cannot be applied (bad operation, missing path, failed test)."""


def merge_patch(target: JsonValue, patch: JsonValue) -> JsonValue:
    """RFC 7396: objects merge member by member, ``null`` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out: JsonObject = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def apply_json_patch(document: JsonValue, operations: JsonValue) -> JsonValue:
    """RFC 6902 on a copy of ``document``; ``PatchError`` when an operation cannot apply."""
    if not isinstance(operations, list):
        raise PatchError("a JSON Patch is an array of operations")
    doc = copy.deepcopy(document)
    for index, op in enumerate(operations):
        if not isinstance(op, dict) or not isinstance(op.get("op"), str):
            raise PatchError(f"operation {index} has no 'op'")
        kind = op["op"]
        path = _pointer(op.get("path"), index)
        if kind == "add":
            doc = _add(doc, path, copy.deepcopy(_value(op, index)), index)
        elif kind == "remove":
            doc, _ = _remove(doc, path, index)
        elif kind == "replace":
            doc, _ = _remove(doc, path, index)
            doc = _add(doc, path, copy.deepcopy(_value(op, index)), index)
        elif kind in ("move", "copy"):
            source = _pointer(op.get("from"), index)
            if kind == "move":
                if path[: len(source)] == source and len(path) > len(source):
                    raise PatchError(f"operation {index}: cannot move a value into itself")
                doc, value = _remove(doc, source, index)
            else:
                value = copy.deepcopy(_get(doc, source, index))
            doc = _add(doc, path, value, index)
        elif kind == "test":
            if _get(doc, path, index) != _value(op, index):
                raise PatchError(f"operation {index}: test failed at {op.get('path')}")
        else:
            raise PatchError(f"operation {index}: unknown op {kind!r}")
    return doc


def _value(op: JsonObject, index: int) -> JsonValue:
    if "value" not in op:
        raise PatchError(f"operation {index} needs a 'value'")
    return op["value"]


def _pointer(text: Any, index: int) -> list[str]:
    if not isinstance(text, str) or (text and not text.startswith("/")):
        raise PatchError(f"operation {index}: {text!r} is not a JSON Pointer")
    if not text:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in text[1:].split("/")]


def _get(doc: JsonValue, path: list[str], index: int) -> JsonValue:
    node = doc
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise PatchError(f"operation {index}: nothing at /{'/'.join(path)}")
    return node


def _add(doc: JsonValue, path: list[str], value: JsonValue, index: int) -> JsonValue:
    if not path:
        return value
    parent = _get(doc, path[:-1], index)
    last = path[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif last.isdigit() and int(last) <= len(parent):
            parent.insert(int(last), value)
        else:
            raise PatchError(f"operation {index}: bad array index {last!r}")
    else:
        raise PatchError(f"operation {index}: cannot add under a scalar")
    return doc


def _remove(doc: JsonValue, path: list[str], index: int) -> tuple[JsonValue, JsonValue]:
    if not path:
        return None, doc
    parent = _get(doc, path[:-1], index)
    last = path[-1]
    if isinstance(parent, dict) and last in parent:
        return doc, parent.pop(last)
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return doc, parent.pop(int(last))
    raise PatchError(f"operation {index}: nothing at /{'/'.join(path)}")


def server_fields(shape: Shape | None) -> set[str]:
    """The top-level properties the server owns: ``readOnly`` ones."""
    if shape is None:
        return set()
    return set(_fields(shape)[0])


def stamp(data: JsonObject, shape: Shape | None, clock: int, *, created: bool) -> JsonObject:
    """``data`` with its server-kept timestamps set from a logical clock (deterministic):
    ``readOnly`` date-times named like *created* on creation, like *updated* on every write."""
    if shape is None:
        return data
    _, on_create, on_update = _fields(shape)
    names = (*on_create, *on_update) if created else on_update
    if not names:
        return data
    when = (_EPOCH + timedelta(seconds=clock)).isoformat()
    return {**data, **dict.fromkeys(names, when)}


def _fields(shape: Shape) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(readOnly properties, date-times stamped on creation, on every write): read once."""
    found = shape.memo.get("server-fields")
    if found is None:
        props = shape.view().get("properties")
        owned: list[str] = []
        on_create: list[str] = []
        on_update: list[str] = []
        for name, sub in (props if isinstance(props, dict) else {}).items():
            view = object_view(shape.schema, sub)
            if view.get("readOnly") is not True:
                continue
            owned.append(name)
            if view.get("format") != "date-time":
                continue
            low = name.lower().replace("_", "")
            if any(word in low for word in _UPDATED):
                on_update.append(name)
            elif any(word in low for word in _CREATED):
                on_create.append(name)
        found = (tuple(owned), tuple(on_create), tuple(on_update))
        shape.memo["server-fields"] = found
    return found
