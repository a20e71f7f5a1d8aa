"""Per-dialect conventions: list envelopes and paging, filters and sorting, error envelopes.

Most of a cluster's dialect is in its contract: the mock reads the envelope from the list
response schema and the error envelope from the declared 4xx schemas, and fills their fields
by name (``hasMore``, ``__next``, ``o:errorDetails``...). What a contract cannot say (how to read
``q=`` or ``$filter``) is named by the ``Dialect``: from the catalogue where it says, else
inferred from the list envelopes the contract declares (``infer_dialect``).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from interop.harness.types import JsonObject, JsonValue

from .shapes import ListShape, Shape, object_view

__all__ = [
    "DIALECTS",
    "Condition",
    "Dialect",
    "dialect_named",
    "error_body",
    "infer_dialect",
    "matches",
    "parse_filter",
    "parse_sort",
    "sort_records",
]


@dataclass(frozen=True, slots=True)
class Dialect:
    """How a family of ERP APIs pages, filters and sorts (the contract supplies the rest)."""

    name: str
    filter_param: str | None
    """``q`` (Oracle), ``$filter`` (OData), or None (named parameters only)."""
    sort_param: str | None
    default_limit: int


DIALECTS: dict[str, Dialect] = {
    "oracle": Dialect("oracle", "q", "orderBy", 25),
    "workday": Dialect("workday", None, None, 20),
    "odata-v2": Dialect("odata-v2", "$filter", "$orderby", 20),
    "odata-v4": Dialect("odata-v4", "$filter", "$orderby", 50),
    "generic": Dialect("generic", None, None, 20),
}


def dialect_named(text: str | None) -> Dialect | None:
    """The dialect a catalogue's free-text ``dialect`` names (``"Oracle-style (...)"``)."""
    if not text:
        return None
    low = text.lower()
    if low in DIALECTS:
        return DIALECTS[low]
    for needle, name in (
        ("oracle", "oracle"),
        ("workday", "workday"),
        ("sap", "odata-v2"),
        ("odata v2", "odata-v2"),
        ("dynamics", "odata-v4"),
        ("odata", "odata-v4"),
    ):
        if needle in low:
            return DIALECTS[name]
    return None


def infer_dialect(shapes: Iterable[ListShape]) -> Dialect:
    """The dialect most list envelopes of a contract follow; generic when none is clear."""
    votes: dict[str, int] = {}
    for shape in shapes:
        votes[shape.style] = votes.get(shape.style, 0) + 1
    votes.pop("generic", None)
    if not votes:
        return DIALECTS["generic"]
    best = max(sorted(votes), key=lambda k: votes[k])
    return DIALECTS[best]


# -- filters -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str  # eq ne gt ge lt le like contains
    value: JsonValue


_ORACLE_OPS = {"=": "eq", "!=": "ne", "<>": "ne", ">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
_ORACLE_COND = re.compile(
    r"^\s*([A-Za-z_][\w.:]*)\s*(<=|>=|!=|<>|=|<|>|\s+like\s+)\s*(.*?)\s*$", re.IGNORECASE
)
_ODATA_COND = re.compile(
    r"^\s*\(?\s*([A-Za-z_][\w/.]*)\s+(eq|ne|gt|ge|lt|le)\s+(.+?)\s*\)?\s*$", re.IGNORECASE
)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def parse_filter(kind: str, text: str) -> list[Condition] | None:
    """Conditions (ANDed) of a ``q=`` or ``$filter=`` expression; None if it does not parse."""
    if not text.strip():
        return []
    conditions: list[Condition] = []
    if kind == "q":
        parts = [p for chunk in text.split(";") for p in _AND.split(chunk) if p.strip()]
        for part in parts:
            match = _ORACLE_COND.match(part)
            if not match:
                return None
            op = match.group(2).strip().lower()
            value = _literal(match.group(3), odata=False)
            conditions.append(Condition(match.group(1), _ORACLE_OPS.get(op, op), value))
        return conditions
    for part in _AND.split(text):
        match = _ODATA_COND.match(part)
        if not match:
            return None
        value = _literal(match.group(3), odata=True)
        conditions.append(Condition(match.group(1), match.group(2).lower(), value))
    return conditions


def _literal(text: str, *, odata: bool) -> JsonValue:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1].replace("''", "'")
    typed = re.match(r"^(datetime|datetimeoffset|guid)'(.*)'$", text, re.IGNORECASE)
    if typed:
        return typed.group(2)
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _field(record: JsonObject, name: str) -> Any:
    current: Any = record
    for part in name.split("/"):
        if not isinstance(current, dict):
            return None
        if part in current:
            current = current[part]
            continue
        lowered = {k.lower(): k for k in current}
        key = lowered.get(part.lower())
        current = current[key] if key is not None else None
    return current


def _compare(left: Any, op: str, right: Any) -> bool:
    if isinstance(left, dict):
        left = left.get("id", left.get("descriptor"))
    if op == "like":
        pattern = str(right).replace("%", "*")
        return fnmatch.fnmatchcase(str(left), pattern)
    if op == "contains":
        return str(right).lower() in str(left).lower()
    if left is None or right is None:
        return (left is None and right is None) == (op == "eq") if op in ("eq", "ne") else False
    a, b = _comparable(left, right)
    try:
        return bool(
            {
                "eq": a == b,
                "ne": a != b,
                "gt": a > b,
                "ge": a >= b,
                "lt": a < b,
                "le": a <= b,
            }[op]
        )
    except TypeError:
        return False


def _comparable(left: Any, right: Any) -> tuple[Any, Any]:
    if isinstance(left, bool) or isinstance(right, bool):
        return str(left).lower(), str(right).lower()
    try:
        return float(left), float(right)
    except (TypeError, ValueError):
        return str(left), str(right)


def matches(record: JsonObject, conditions: list[Condition]) -> bool:
    return all(_compare(_field(record, c.field), c.op, c.value) for c in conditions)


def parse_sort(kind: str, text: str) -> list[tuple[str, bool]]:
    """[(field, descending)] from ``A:asc,B:desc`` (Oracle), ``a asc,b desc`` or ``-a,b``."""
    keys: list[tuple[str, bool]] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if ":" in part and kind != "odata":
            name, _, direction = part.partition(":")
        elif " " in part:
            name, _, direction = part.partition(" ")
        elif part.startswith("-"):
            name, direction = part[1:], "desc"
        else:
            name, direction = part, "asc"
        keys.append((name.strip(), direction.strip().lower() == "desc"))
    return keys


def sort_records(records: list[JsonObject], keys: list[tuple[str, bool]]) -> list[JsonObject]:
    """Stable multi-key sort; records without the field come last either way."""
    for name, descending in reversed(keys):

        def key(record: JsonObject, name: str = name) -> tuple[str, float]:
            value = _field(record, name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return ("", float(value))
            return (str(value), 0.0)

        present = [r for r in records if _field(r, name) is not None]
        absent = [r for r in records if _field(r, name) is None]
        records = sorted(present, key=key, reverse=descending) + absent
    return records


# -- error envelopes ---------------------------------------------------------------------------
_MESSAGE_NAMES = {
    "detail",
    "message",
    "error_description",
    "description",
    "msg",
    "reason",
    "errormessage",
    "error",
    "developermessage",
    "value",
    "text",
    "title_detail",
}
_STATUS_NAMES = {"status", "statuscode", "status_code", "httpstatus", "httpstatuscode"}
_CODE_NAMES = {"code", "o:errorcode", "errorcode", "error_code"}
_FIELD_NAMES = {"field", "o:errorpath", "path", "pointer", "target", "parameter", "property"}
_LIST_NAMES = {"o:errordetails", "errors", "details", "errordetails", "messages"}


@dataclass(frozen=True, slots=True)
class Problem:
    status: int
    message: str
    code: str
    field: str | None = None


def _overlay(root: JsonObject, schema: Any, problem: Problem, depth: int = 0) -> JsonValue:
    view = object_view(root, schema)
    kind = view.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "string" in kinds and "object" not in kinds:
        return problem.message
    props = view.get("properties")
    if not isinstance(props, dict) or depth > 3:
        return None
    out: JsonObject = {}
    for name, raw in props.items():
        sub = object_view(root, raw)
        low = name.lower()
        sub_kind = sub.get("type")
        sub_kinds = sub_kind if isinstance(sub_kind, list) else [sub_kind]
        if low == "title" and "string" in sub_kinds:
            out[name] = _reason(problem.status)
        elif low == "type" and sub_kinds == ["string"] and not sub.get("enum"):
            out[name] = "about:blank"
        elif low in _STATUS_NAMES:
            value: JsonValue = problem.status
            out[name] = str(value) if "string" in sub_kinds else value
        elif low in _CODE_NAMES and "string" in sub_kinds:
            out[name] = problem.code
        elif low in _CODE_NAMES and ("integer" in sub_kinds or "number" in sub_kinds):
            out[name] = problem.status
        elif low in _FIELD_NAMES and "string" in sub_kinds:
            if problem.field:
                out[name] = problem.field
        elif low == "lang" and "string" in sub_kinds:
            out[name] = "en"
        elif low in _MESSAGE_NAMES and "string" in sub_kinds:
            out[name] = problem.message
        elif low in _LIST_NAMES and "array" in sub_kinds:
            item = _overlay(root, sub.get("items", {}), problem, depth + 1)
            if item is not None:
                out[name] = [item]
        elif "object" in sub_kinds and (low in _MESSAGE_NAMES or low in ("error", "fault")):
            inner = _overlay(root, sub, problem, depth + 1)
            if inner is not None:
                out[name] = inner
    return out


def _merge(base: JsonValue, overlay: JsonValue) -> JsonValue:
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return overlay if overlay is not None else base


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(
    shape: Shape | None, status: int, message: str, code: str, field: str | None = None
) -> JsonValue:
    """The error envelope the contract declares, carrying ``message``; valid against ``shape``.

    Without a declared schema: ``{"error": {"code", "message"}}``, the plainest common shape.
    """
    problem = Problem(status, message, code, field)
    if shape is None:
        return {"error": {"code": code, "message": message}}
    overlay = _overlay(shape.schema, shape.schema, problem)
    base = shape.example
    for candidate in (_merge(base, overlay), overlay, _trimmed(message, shape)):
        if candidate is not None and shape.is_valid(candidate):
            return candidate
    return base


def _trimmed(message: str, shape: Shape) -> JsonValue:
    view = shape.view()
    high = view.get("maxLength")
    if view.get("type") == "string" and isinstance(high, int):
        return message[:high]
    return None
