"""Answering a list GET: the collection's records, filtered, sorted, paged and projected the
way the operation declares (``q``/``$filter``/named parameters, ``orderBy``/``$orderby``,
``limit``/``offset``/``$top``/``$skip``/``page``, ``$select``/``fields``), in its envelope."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from interop.harness.types import JsonObject, JsonValue

from .dialects import Condition, matches, parse_filter, parse_sort, sort_records
from .flow import Context
from .model import MockResponse
from .operations import Param
from .paging import fill_list
from .shapes import Shape
from .state import Collection, Record

if TYPE_CHECKING:
    from .core import Mock

__all__ = ["list_response"]

_LIMIT = (
    "limit",
    "$top",
    "top",
    "pagesize",
    "page_size",
    "per_page",
    "perpage",
    "maxresults",
    "size",  # Spring Data's page size (only when integer: see _paging)
    "display_size",  # GOV.UK Pay
)
_OFFSET = ("offset", "$skip", "skip", "start", "startindex")
_PAGE = ("page", "pagenumber", "page_number", "pageindex")
_SORT = ("orderby", "$orderby", "sort", "sort_by", "order_by", "sortby")
_NOT_FILTERS = set(_LIMIT + _OFFSET + _PAGE + _SORT) | {
    "q",
    "$filter",
    "$select",
    "fields",
    "$expand",
    "expand",
    "$inlinecount",
    "$count",
    "totalresults",
    "effectivedate",
    "asofdate",
    "onlydata",
    "$format",
}


def list_response(mock: Mock, context: Context) -> MockResponse:
    """A page of a collection, filtered and sorted as asked, in the contract's envelope."""
    operation = context.operation
    collection: Collection = operation.collection
    collection.ensure_seeded(mock.store)
    reply = mock.success(operation)
    assert reply is not None and reply.items is not None and reply.list_shape is not None
    records = collection.all(context.path_params)
    records = _filter(context, records)
    total = len(records)
    limit, offset = _paging(context, total, mock.dialect.default_limit)
    page = records[offset : offset + limit]
    items = [v for r in page for v in [r.view(reply.items)] if v is not None]
    items = _select(context, reply.items, items)
    next_url = None
    if offset + len(page) < total:
        next_url = _next_url(context, offset + len(page), limit)
    self_url = context.request.origin + context.request.path
    if context.request.query:
        self_url += "?" + context.request.query
    body = fill_list(
        reply.shape,  # type: ignore[arg-type]
        reply.list_shape,
        items,
        total=total,
        offset=offset,
        limit=limit,
        next_url=next_url,
        self_url=self_url,
        hints=reply.paging_hints,
    )
    return mock.respond(operation, reply, body, context)


def _filter(context: Context, records: list[Record]) -> list[Record]:
    operation = context.operation
    conditions = []
    sort_keys: list[tuple[str, bool]] = []
    search: str | None = None
    for param in operation.params:
        if param.location != "query":
            continue
        value = context.values.get((param.name, "query"))
        if value is None:
            continue
        low = param.name.lower()
        if low in ("q", "$filter") and isinstance(value, str):
            parsed = parse_filter("q" if low == "q" else "odata", value)
            if parsed is not None:
                conditions.extend(parsed)
        elif low in _SORT and isinstance(value, str):
            sort_keys = parse_sort("odata" if low.startswith("$") else "q", value)
        elif low == "search" and isinstance(value, str):
            search = value.lower()
        elif (low not in _NOT_FILTERS or (low == "size" and param.kind != "integer")) and (
            isinstance(value, (str, int, float, bool))
        ):
            sample: JsonObject = next((r.data for r in records), {})
            field = _field_named(sample, param.name)
            if field is not None:
                conditions.append(Condition(field, "eq", value))
    if conditions:
        records = [r for r in records if matches(r.data, conditions)]
    if search:
        records = [r for r in records if _searchable(r.data, search)]
    if sort_keys:
        ordered = sort_records([r.data for r in records], sort_keys)
        index = {id(r.data): r for r in records}
        records = [index[id(d)] for d in ordered]
    return records


def _paging(context: Context, total: int, default: int) -> tuple[int, int]:
    limit = None
    offset = 0
    page = None
    for param in context.operation.params:
        if param.location != "query":
            continue
        low = param.name.lower()
        value = _whole(context.values.get((param.name, "query")))
        if low == "size" and param.kind != "integer":
            continue
        if low in _LIMIT:
            if isinstance(value, int):
                limit = value
            else:
                declared = _whole(_default_of(param))
                default = declared if isinstance(declared, int) else default
                limit = default
        elif low in _OFFSET and isinstance(value, int):
            offset = value
        elif low in _PAGE and isinstance(value, int):
            page = value
    if limit is None:
        limit = max(total, 1) if page is None else default
    if page is not None:
        offset = max(page - 1, 0) * limit
    return max(limit, 0), max(offset, 0)


def _whole(value: JsonValue) -> JsonValue:
    """A paging value as a number, also where the contract types it as digits (GOV.UK Pay's
    ``page`` and ``display_size`` are strings)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return value


def _next_url(context: Context, offset: int, limit: int) -> str:
    pairs = [
        (k, v)
        for k, v in context.request.query_pairs
        if k.lower() not in _OFFSET and k.lower() not in _PAGE and k.lower() not in _LIMIT
    ]
    names = {p.name.lower(): p.name for p in context.operation.params}
    off = next((names[n] for n in _OFFSET if n in names), None)
    lim = next((names[n] for n in _LIMIT if n in names), None)
    page = next((names[n] for n in _PAGE if n in names), None)
    if off is not None:
        pairs.append((off, str(offset)))
    elif page is not None and limit:
        pairs.append((page, str(offset // limit + 1)))
    if lim is not None:
        pairs.append((lim, str(limit)))
    query = urlencode(pairs, safe="$,:")
    return context.request.origin + context.request.path + "?" + query


def _select(context: Context, items_shape: Shape, items: list[JsonObject]) -> list[JsonObject]:
    wanted = None
    for name in ("$select", "fields"):
        value = context.values.get((name, "query"))
        if isinstance(value, str):
            wanted = {v.strip() for v in value.split(",") if v.strip()}
        elif isinstance(value, list):
            wanted = {str(v) for v in value}
    if not wanted:
        return items
    required = set(items_shape.view().get("required", []))
    out = []
    for item in items:
        projected = {k: v for k, v in item.items() if k in wanted or k in required}
        out.append(projected if items_shape.is_valid(projected) else item)
    return out


def _default_of(param: Param) -> JsonValue:
    if param.shape is None:
        return None
    return param.shape.view().get("default")


def _field_named(sample: JsonObject, name: str) -> str | None:
    if name in sample:
        return name
    low = name.lower()
    return next((k for k in sample if k.lower() == low), None)


def _searchable(data: JsonObject, needle: str) -> bool:
    return any(isinstance(v, str) and needle in v.lower() for v in data.values())
