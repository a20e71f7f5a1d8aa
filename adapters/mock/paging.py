"""List envelopes: the paging fields beside a page of records, computed, never generated.

A field's role comes from an ``x-interop`` hint in the contract (``x-interop: total``, or
``x-interop: {paging: total}``) or from its name, across dialects: totals (``total``,
``totalResults``, ``itemsTotal``, ``@odata.count``, ``__count``...), the page's own count
(Oracle's ``count``), page numbers and page counts (``page``, ``pagesTotal``,
``totalPages``...), sizes and offsets, ``hasMore``/``hasNext``, ``hasPrevious`` and next
links. Paging fields inside a
``meta``/``pagination``/``page`` object are filled too. A value the field's schema types as a
string is written as one (``__count: "12"``); bounds the schema sets are kept.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from interop.harness.types import JsonObject, JsonValue

from .shapes import ListShape, Shape, object_view

__all__ = ["ROLES", "fill_list", "paging_hints", "paging_role"]

ROLES = ("total", "count", "pages", "page", "limit", "offset", "more", "previous", "next")
"""What a paging field can say, as an ``x-interop`` hint names it."""

_NAMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "total",
            "totalresults",
            "totalcount",
            "@odata.count",
            "odata.count",
            "__count",
            "totalsize",
            "totalitems",
            "itemstotal",
            "itemcount",
            "totalelements",
            "totalrecords",
            "recordstotal",
            "recordcount",
            "resultcount",
            "totalhits",
            "inlinecount",
        ),
        "total",
    ),
    **dict.fromkeys(
        ("pagestotal", "totalpages", "pagecount", "numpages", "pages", "lastpage"), "pages"
    ),
    **dict.fromkeys(("page", "pagenumber", "currentpage", "pageindex", "pageno"), "page"),
    **dict.fromkeys(("limit", "pagesize", "perpage", "itemsperpage", "maxresults", "top"), "limit"),
    **dict.fromkeys(("offset", "skip", "start", "startindex", "from"), "offset"),
    **dict.fromkeys(("hasmore", "hasnext", "hasnextpage", "morerecords"), "more"),
    **dict.fromkeys(("hasprevious", "hasprev", "haspreviouspage"), "previous"),
    **dict.fromkeys(
        ("__next", "@odata.nextlink", "odata.nextlink", "next", "nextlink", "nextpage"), "next"
    ),
}
_PAGING_OBJECTS = {"meta", "_meta", "pagination", "paging", "page", "pageinfo", "pagemetadata"}
_IN_PAGING_OBJECT = {"size": "limit", "number": "page", "count": "total"}
"""Names that are paging fields only inside a paging object (Spring's ``page.size``)."""


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "") if name != "__count" else name


def paging_role(
    name: str,
    *,
    hints: Mapping[str, str],
    style: str,
    nested: bool = False,
    siblings: Iterable[str] = (),
) -> str | None:
    """The paging role of an envelope field: its hint, else what its name says (``siblings``:
    the other fields beside it, which decide what a ``count`` counts)."""
    if name in hints:
        return hints[name]
    low = name.lower()
    if low in ("__count", "__next"):
        return "total" if low == "__count" else "next"
    key = _key(name)
    if key == "count":
        # Oracle's count is the page's, and so is any count beside a total (GOV.UK Pay's
        # {total, count, page}); alone (DRF, SCIM) a count is the total.
        beside_total = any(
            _NAMES.get(_key(other)) == "total" or hints.get(other) == "total"
            for other in siblings
            if other != name
        )
        return "count" if (style == "oracle" and not nested) or beside_total else "total"
    if nested and key in _IN_PAGING_OBJECT:
        return _IN_PAGING_OBJECT[key]
    return _NAMES.get(key) or _NAMES.get(low)


def paging_hints(schema: Any, resolve: Callable[[Any], Any], depth: int = 0) -> dict[str, str]:
    """Property names an ``x-interop`` hint gives a paging role, anywhere in a response schema
    as written (``$ref`` followed by ``resolve``; the normalised schema drops extensions)."""
    out: dict[str, str] = {}
    schema = resolve(schema)
    if not isinstance(schema, dict) or depth > 4:
        return out
    for part in schema.get("allOf") or []:
        out.update(paging_hints(part, resolve, depth + 1))
    props = schema.get("properties")
    if not isinstance(props, dict):
        return out
    for name, raw in props.items():
        resolved = resolve(raw)
        hint = raw.get("x-interop") if isinstance(raw, dict) else None
        if hint is None and isinstance(resolved, dict):
            hint = resolved.get("x-interop")
        if isinstance(hint, dict):
            hint = hint.get("paging")
        if isinstance(hint, str) and hint in ROLES:
            out[name] = hint
        if isinstance(resolved, dict) and resolved.get("type") != "array":
            out.update(paging_hints(resolved, resolve, depth + 1))
    return out


def fill_list(
    response: Shape,
    shape: ListShape,
    items: list[JsonValue],
    *,
    total: int,
    offset: int,
    limit: int,
    next_url: str | None,
    self_url: str,
    hints: Mapping[str, str] | None = None,
) -> JsonValue:
    """A list response body: the envelope's example with the items and every paging field it
    declares filled in from the page actually served."""
    if not shape.path:
        return items
    base = response.example
    body: JsonObject = copy.deepcopy(base) if isinstance(base, dict) else {}
    container = body
    for key in shape.path[:-1]:
        inner = container.get(key)
        if not isinstance(inner, dict):
            inner = {}
            container[key] = inner
        container = inner
    container[shape.path[-1]] = items
    plain = copy.deepcopy(body)
    values: dict[str, JsonValue] = {
        "total": total,
        "count": len(items),
        "pages": math.ceil(total / limit) if limit > 0 else (1 if total else 0),
        "page": offset // limit + 1 if limit > 0 else 1,
        "limit": limit,
        "offset": offset,
        "more": offset + len(items) < total,
        "previous": offset > 0,
        "next": next_url,
    }
    filler = _Filler(response.schema, hints or {}, shape.style, values, self_url, shape.path[-1])
    filler.fill(container, shape.container, nested=False)
    if len(shape.path) > 1 and shape.root_props:
        filler.fill(body, {k: v for k, v in shape.root_props.items() if k != shape.path[0]})
    for candidate in (body, plain):
        if response.is_valid(candidate):
            return candidate
    if next_url is not None:
        # Some envelopes type the next link loosely; retry with only the obvious fields.
        trimmed = {k: v for k, v in container.items() if _NAMES.get(_key(k)) != "next"}
        if response.is_valid(trimmed):
            return trimmed
    return base


class _Filler:
    def __init__(
        self,
        root: JsonObject,
        hints: Mapping[str, str],
        style: str,
        values: dict[str, JsonValue],
        self_url: str,
        items_name: str,
    ) -> None:
        self.root = root
        self.hints = hints
        self.style = style
        self.values = values
        self.self_url = self_url
        self.items_name = items_name

    def fill(self, container: JsonObject, props: JsonObject, *, nested: bool = False) -> None:
        required = set(object_view(self.root, {"properties": props}).get("required", []))
        for name, raw in props.items():
            if name == self.items_name and not nested:
                continue
            sub = object_view(self.root, raw)
            inner = sub.get("properties")
            if isinstance(inner, dict):
                if _key(name) in _PAGING_OBJECTS and not nested:
                    target = container.get(name)
                    if not isinstance(target, dict):
                        target = {}
                    self.fill(target, inner, nested=True)
                    container[name] = target
                continue
            role = paging_role(
                name, hints=self.hints, style=self.style, nested=nested, siblings=props
            )
            if role is None:
                if name.lower() == "links" and isinstance(container.get(name), list):
                    link = {
                        "rel": "self",
                        "href": self.self_url,
                        "name": self.items_name,
                        "kind": "collection",
                    }
                    container[name] = [link]
                continue
            value = self.values[role]
            if role == "next":
                if value is not None:
                    container[name] = value
                elif name not in required:
                    container.pop(name, None)
                continue
            container[name] = _typed(sub, value)


def _typed(sub: JsonObject, value: JsonValue) -> JsonValue:
    kind = sub.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if isinstance(value, bool):
        return str(value).lower() if "string" in kinds and "boolean" not in kinds else value
    if isinstance(value, int):
        low, high = sub.get("minimum"), sub.get("maximum")
        if isinstance(low, (int, float)) and value < low:
            value = math.ceil(low)
        if isinstance(high, (int, float)) and value > high:
            value = int(high)
        if "string" in kinds and "integer" not in kinds and "number" not in kinds:
            return str(value)
    return value
