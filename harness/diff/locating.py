"""Where a change lies: the pointer of the sub-schema at an instance path, the named
component it lies in, and the ``a.b[]`` form of an instance path that messages show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..loading import join_pointer, resolve_pointer

if TYPE_CHECKING:
    from ..loading import LoadedContract
    from ..types import JsonPointer


def unquote_pointer(pointer: str) -> str:
    """A ``$ref`` fragment as a JSON pointer (percent-escapes decoded)."""
    from urllib.parse import unquote

    return unquote(pointer)


def field_path_within(component: str, pointer: JsonPointer) -> str:
    """``a.b[]`` for a pointer inside ``component`` (``#/components/schemas/X``)."""
    base = component[1:]
    if not pointer.startswith(base + "/"):
        return ""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[len(base) + 1 :].split("/")]
    parts: list[str | int] = []
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else ""
        if previous == "properties":
            parts.append(token)
        elif token == "items":
            parts.append(0)
    return field_path(tuple(parts))


def field_path(path: tuple[Any, ...]) -> str:
    """``a.b[]`` for an instance path (an array's items shown as ``[]``)."""
    text = ""
    for part in path:
        text += "[]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def locate_subschema(
    contract: LoadedContract, pointer: JsonPointer, path: tuple[Any, ...]
) -> tuple[JsonPointer, str | None]:
    """The pointer of the subschema at instance ``path`` under the schema at ``pointer``, and
    the innermost named component (``#/components/schemas/X``) it lies in."""
    component: str | None = None

    def resolve(node: Any, ptr: JsonPointer) -> tuple[Any, JsonPointer]:
        nonlocal component
        for _ in range(64):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#")):
                break
            ptr = unquote_pointer(ref[1:])
            try:
                node = resolve_pointer(contract.document, ptr)
            except KeyError:
                break
            if ptr.startswith("/components/schemas/") or ptr.startswith("/x-interop-bundled/"):
                component = "#" + ptr
        return node, ptr

    try:
        node = resolve_pointer(contract.document, pointer)
    except KeyError:
        return pointer, None
    node, pointer = resolve(node, pointer)
    for part in path:
        found: tuple[Any, JsonPointer] | None = None
        queue = [(node, pointer)]
        seen = 0
        while queue and found is None and seen < 64:
            seen += 1
            current, ptr = queue.pop(0)
            current, ptr = resolve(current, ptr)
            if not isinstance(current, dict):
                continue
            if isinstance(part, int):
                if isinstance(current.get("items"), dict):
                    found = (current["items"], join_pointer(ptr, "items"))
            else:
                props = current.get("properties")
                if isinstance(props, dict) and part in props:
                    found = (props[part], join_pointer(ptr, "properties", part))
            for keyword in ("allOf", "oneOf", "anyOf"):
                members = current.get(keyword)
                if isinstance(members, list):
                    queue.extend((m, join_pointer(ptr, keyword, i)) for i, m in enumerate(members))
        if found is None:
            break
        node, pointer = found
        if isinstance(node, dict) and set(node) - {"$ref"} == set():
            node, pointer = resolve(node, pointer)
    return pointer, component
