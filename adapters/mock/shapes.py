"""Reading normalised (2020-12) schemas for their shape: which object, which list envelope.

A ``Shape`` is one self-contained schema (``$defs`` at its root) with its compiled validator and,
lazily, a deterministic valid instance. ``Shape.sub`` makes a ``Shape`` for a part of it (the
items of a list envelope) that shares the root's ``$defs``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from interop.harness.schema import CompiledValidator
from interop.harness.types import JsonObject, JsonValue

from .generate import Generator, instance_for

__all__ = ["ListShape", "Shape", "find_list", "object_view"]

_MISSING = object()


@dataclass(slots=True, eq=False)
class Shape:
    """A schema the mock produces or checks values for."""

    schema: JsonObject
    validator: CompiledValidator
    seed: int = 0
    _example: Any = field(default=_MISSING, repr=False)
    _satisfiable: bool = field(default=True, repr=False)
    _minimal: Any = field(default=_MISSING, repr=False)
    _view: JsonObject | None = field(default=None, repr=False)
    _drops: dict[str, None] = field(default_factory=dict, repr=False)
    _parts: dict[tuple[str, ...], Any] = field(default_factory=dict, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)
    """What other modules derive from the schema once (``updates``: the server's fields)."""
    """Keys ``conform`` had to replace before: tried first next time (no error walk)."""

    @classmethod
    def compile(cls, schema: JsonObject, seed: int = 0) -> Shape | None:
        try:
            return cls(schema, CompiledValidator(schema), seed)
        except ValueError:
            return None

    def sub(self, part: Any) -> Shape | None:
        if part is True or part is None:
            part = {}
        if not isinstance(part, dict):
            return None
        schema: JsonObject = {"$schema": self.schema.get("$schema"), **part}
        if "$defs" in self.schema:
            schema["$defs"] = {**self.schema["$defs"], **part.get("$defs", {})}
        schema = {k: v for k, v in schema.items() if v is not None}
        return Shape.compile(schema, self.seed)

    def is_valid(self, value: JsonValue) -> bool:
        return bool(self.validator.is_valid(value))

    @property
    def example(self) -> JsonValue:
        """A valid instance (deterministic per seed); None if none could be found."""
        if self._example is _MISSING:
            ok, value = instance_for(self.schema, self.validator.is_valid, seed=self.seed)
            self._example = value
            self._satisfiable = ok
        return self._example

    @property
    def satisfiable(self) -> bool:
        _ = self.example
        return self._satisfiable

    @property
    def minimal(self) -> JsonValue:
        """A valid instance with as few optional properties as the generator manages."""
        if self._minimal is _MISSING:
            ok, value = instance_for(
                self.schema, self.validator.is_valid, seed=self.seed, prefer_minimal=True
            )
            self._minimal = value if ok else self.example
        return self._minimal

    def fresh(self, seed: int, *, minimal: bool = False) -> JsonValue:
        ok, value = instance_for(
            self.schema, self.validator.is_valid, seed=seed, prefer_minimal=minimal
        )
        return value if ok else self.example

    def view(self) -> JsonObject:
        """The top level with ``$ref``s followed and ``allOf`` merged (cached; do not mutate)."""
        if self._view is None:
            self._view = object_view(self.schema, self.schema)
        return self._view

    def with_required(self, data: JsonObject, sample: JsonValue = None) -> JsonObject:
        """``data`` with the properties this schema requires and ``data`` lacks, taken from
        ``sample`` (a minimal valid instance by default), at every level of the nested objects
        ``data`` gives; nothing optional is added."""
        sample = self.minimal if sample is None else sample
        if not isinstance(sample, dict):
            return data
        return self._fill_required(self.view(), data, sample, ())

    def _fill_required(
        self, view: JsonObject, data: JsonObject, sample: JsonObject, where: tuple[str, ...]
    ) -> JsonObject:
        required = view.get("required")
        props = view.get("properties")
        out = dict(data)
        changed = False
        if isinstance(required, list):
            for name in required:
                if name not in out and name in sample:
                    out[name] = copy.deepcopy(sample[name])
                    changed = True
        if isinstance(props, dict):
            for name, value in data.items():
                if not isinstance(value, dict) or name not in props:
                    continue
                inner_view = object_view(self.schema, props[name])
                if not inner_view.get("required") and not inner_view.get("properties"):
                    continue
                inner = sample.get(name)
                if not isinstance(inner, dict):
                    inner = self._part_minimal((*where, name), props[name])
                if not isinstance(inner, dict):
                    continue
                filled = self._fill_required(inner_view, value, inner, (*where, name))
                if filled is not value:
                    out[name] = filled
                    changed = True
        return out if changed else data

    def _part_minimal(self, where: tuple[str, ...], part: Any) -> JsonValue:
        """A minimal valid instance of a property's schema (cached by its path)."""
        if where not in self._parts:
            sub = self.sub(part)
            self._parts[where] = sub.minimal if sub is not None else None
        return self._parts[where]

    def conform(self, data: JsonObject, *, base: JsonObject | None = None) -> JsonObject | None:
        """``data`` if valid; else a valid object keeping as much of ``data`` as fits, adding
        what ``base`` (a minimal instance by default) has: required fields first, then more."""
        if self.is_valid(data):
            return data
        start = base if base is not None else self.minimal
        if not isinstance(start, dict):
            return None
        filled = self.with_required(data, start)
        if filled is not data and self.is_valid(filled):
            return filled
        merged = {**start, **data}
        if self.is_valid(merged):
            return merged
        if self._drops:
            learned = dict(merged)
            for key in self._drops:
                if key in start:
                    learned[key] = start[key]
                else:
                    learned.pop(key, None)
            if self.is_valid(learned):
                return learned
        # Drop what the first error points at, a few times: cheaper than key by key.
        for _ in range(4):
            problem = self.validator.first_problem(merged)
            if problem is None:
                return merged
            if not problem.path or not isinstance(problem.path[0], str):
                break
            key = problem.path[0]
            self._drops[key] = None
            if key in start and merged.get(key) is not start[key]:
                merged[key] = start[key]
            else:
                merged.pop(key, None)
            if self.is_valid(merged):
                return merged
        candidate = dict(start)
        for key, value in data.items():
            trial = {**candidate, key: value}
            if self.is_valid(trial):
                candidate = trial
        return candidate if self.is_valid(candidate) else None


def object_view(root: JsonObject, schema: Any) -> JsonObject:
    """The schema with ``$ref``s followed and ``allOf`` merged at its top level."""
    return Generator(root)._merge(_deref(root, schema)) if isinstance(schema, dict) else {}


def _deref(root: JsonObject, schema: Any) -> JsonObject:
    resolved = Generator(root)._resolve(schema)
    return resolved if isinstance(resolved, dict) else {}


@dataclass(slots=True)
class ListShape:
    """Where the items of a list response are, and the envelope fields beside them."""

    path: tuple[str, ...]
    """Keys from the body to the array (``()`` for a bare array, ``("d", "results")``)."""
    items: Any
    """The item schema (normalised)."""
    container: JsonObject
    """The properties of the object holding the array (``{}`` for a bare array)."""
    root_props: JsonObject

    @property
    def style(self) -> str:
        names = set(self.root_props) | set(self.container)
        if self.path == ("d", "results"):
            return "odata-v2"
        if "@odata.nextLink" in names or self.path == ("value",):
            return "odata-v4"
        if {"hasMore", "limit", "offset"} & names and self.path == ("items",):
            return "oracle"
        if self.path == ("data",):
            return "workday"
        return "generic"


_LIST_KEYS = ("items", "data", "value", "results", "records", "elements", "content", "entries")


def find_list(root: JsonObject, name: str = "") -> ListShape | None:
    """The list envelope of a response schema, if it holds an array of objects or scalars;
    ``name``: the collection's name in the path (``sweeps`` for ``/…/sweeps``), which an
    array holding the items may be named after."""
    top = object_view(root, root)
    if top.get("type") == "array" or ("items" in top and "properties" not in top):
        return ListShape((), top.get("items", {}), {}, {})
    props = top.get("properties")
    if not isinstance(props, dict):
        return None
    found = _array_in(root, props, name)
    if found is not None:
        return ListShape((found[0],), found[1], props, props)
    for key, sub in props.items():
        inner = object_view(root, sub)
        inner_props = inner.get("properties")
        if isinstance(inner_props, dict) and key in (
            "d",
            "data",
            "response",
            "result",
            "_embedded",
        ):
            found = _array_in(root, inner_props, name)
            if found is not None:
                return ListShape((key, found[0]), found[1], inner_props, props)
    return None


def _array_in(root: JsonObject, props: JsonObject, name: str = "") -> tuple[str, Any] | None:
    arrays: list[tuple[str, Any]] = []
    for key, sub in props.items():
        view = object_view(root, sub)
        kind = view.get("type")
        is_array = kind == "array" or (isinstance(kind, list) and "array" in kind)
        if is_array:
            arrays.append((key, view.get("items", {})))
    if not arrays:
        return None
    for wanted in _LIST_KEYS:
        for key, items in arrays:
            if key == wanted:
                return key, items
    paging = {k.lower().lstrip("_@") for k in props} & _PAGING_NAMES
    if len(arrays) == 1 and paging:
        return arrays[0]
    if name and len(arrays) == 1 and arrays[0][0].lower() == name.lower():
        return arrays[0]
    return None


_PAGING_NAMES = {
    "total",
    "count",
    "next",
    "nextlink",
    "odata.nextlink",
    "page",
    "links",
    "hasmore",
    "limit",
    "offset",
    "cursor",
    "totalcount",
    "total_count",
    "pagination",
    "meta",
    "has_more",
    "next_page",
    "totalresults",
    "pagesize",
    "page_size",
    "hasnext",
    "hasprevious",
    "itemstotal",
    "pagestotal",
    "totalpages",
}
