"""The mock's seeded store: collections of records that POST adds to and GET reads back.

A record keeps one canonical dict (everything a client sent or a fixture gave, plus what the
mock generated); each response schema that shows the record (the list item, the single GET,
the POST answer) gets a *view*, made valid once and cached until the record changes. Reads
never validate again: that is what keeps the hot path cheap (DESIGN.md, "Measured facts").
"""

from __future__ import annotations

import hashlib
import random
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from interop.harness.errors import CatalogueError
from interop.harness.types import JsonObject, JsonValue

from .generate import string_for_pattern
from .shapes import Shape

__all__ = [
    "Collection",
    "FixtureCollection",
    "Record",
    "Store",
    "fixture_collections",
    "load_fixtures",
    "read_fixtures_file",
]

MAX_RECORDS = 5_000
"""Per collection; past it the oldest created record is dropped (keeps long benchmarks flat)."""


@dataclass(slots=True, eq=False)
class Record:
    key: str
    data: JsonObject
    seed: int
    version: int = 1
    parent: tuple[str, ...] | None = None
    fixture: bool = False
    views: dict[int, JsonObject | None] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        digest = zlib.crc32(f"{self.key}:{self.version}:{self.seed}".encode())
        return f'"{self.version}-{digest:08x}"'

    def view(self, shape: Shape) -> JsonObject | None:
        """The record as ``shape`` shows it: valid against it, computed once per version."""
        if id(shape) in self.views:
            return self.views[id(shape)]
        result = shape.conform(self.data)
        self.views[id(shape)] = result
        return result

    def update(self, data: JsonObject) -> None:
        self.data = data
        self.version += 1
        self.views.clear()


@dataclass(slots=True, eq=False)
class Collection:
    """The records behind one collection path (``/workers``) and its item path."""

    template: str
    id_field: str | None
    id_shape: Shape | None
    id_param: Shape | None
    """The item path parameter's schema: generated ids must be usable in the URL too."""
    seed: int
    seed_shape: Shape | None = None
    """What to generate seed records from when no fixtures are given."""
    seed_count: int = 3
    views: tuple[Shape, ...] = ()
    """The response schemas that show a record (item GET, list item, create answer)."""
    item_template: str | None = None
    id_param_name: str | None = None
    records: dict[str, Record] = field(default_factory=dict)
    _counter: int = 0
    _next_int: int | None = None
    _seeded: bool = False
    _seed_applied: bool = False

    def ensure_seeded(self, store: Store) -> None:
        if self._seeded:
            return
        self._seeded = True
        if self.records or self.seed_shape is None:
            return
        for i in range(self.seed_count):
            value = self.seed_shape.fresh(self.seed * 1000 + i + 1)
            if isinstance(value, dict):
                self.create(dict(value), store=store)

    def add_fixture(self, data: JsonObject) -> None:
        key = self._key_of(data)
        self.records[key] = Record(key, dict(data), self.seed, fixture=True)
        value = data.get(self.id_field) if self.id_field else None
        if isinstance(value, int) and not isinstance(value, bool):
            self._next_int = max(self._next_int or 0, value)
        self._seeded = True

    def _key_of(self, data: JsonObject) -> str:
        if self.id_field and self.id_field in data:
            return str(data[self.id_field])
        return str(self.new_id())

    def get(self, key: str) -> Record | None:
        return self.records.get(key)

    def all(self, parent: tuple[str, ...] | None = None) -> list[Record]:
        if parent is None:
            return list(self.records.values())
        return [r for r in self.records.values() if r.parent is None or r.parent == parent]

    def create(
        self, data: JsonObject, *, store: Store, parent: tuple[str, ...] | None = None
    ) -> Record:
        if self.id_field:
            data[self.id_field] = self.new_id()
        key = self._key_of(data)
        record = Record(key, data, self.seed, parent=parent)
        self.records[key] = record
        if len(self.records) > MAX_RECORDS:
            oldest = next((k for k, r in self.records.items() if not r.fixture), None)
            if oldest is not None:
                del self.records[oldest]
        store.version += 1
        return record

    def delete(self, key: str, *, store: Store) -> bool:
        found = self.records.pop(key, None) is not None
        store.version += 1
        return found

    # -- identifiers ----------------------------------------------------------------------
    def new_id(self) -> JsonValue:
        """The next identifier in this collection's format (int64, 32-hex, uuid, short code)."""
        for _ in range(200):
            self._counter += 1
            candidate = self._candidate(self._counter)
            if candidate is None:
                break
            if str(candidate) in self.records:
                continue
            if self.id_shape is not None and not self.id_shape.is_valid(candidate):
                continue
            if self.id_param is not None and not self.id_param.is_valid(candidate):
                continue
            return candidate
        shape = self.id_shape or self.id_param
        if shape is not None:
            return shape.fresh(self.seed * 7 + self._counter)
        return self._counter

    def _candidate(self, n: int) -> JsonValue:
        shape = self.id_shape or self.id_param
        view = shape.view() if shape is not None else {"type": "string"}
        kind = view.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "integer" in kinds or "number" in kinds:
            if self._next_int is None:
                self._next_int = 300_000_000_000
            if not self._seed_applied:
                # Fixtures fix where numbering starts; the seed moves it, deterministically.
                self._seed_applied = True
                self._next_int += (self.seed % 1000) * 1_000_000
            self._next_int += 1
            high = view.get("maximum")
            if isinstance(high, (int, float)) and self._next_int > high:
                low = view.get("minimum", 1)
                self._next_int = int(low if isinstance(low, (int, float)) else 1) + n
            return self._next_int
        digest = hashlib.sha256(f"{self.seed}:{self.template}:{n}".encode()).digest()
        pattern = view.get("pattern")
        fmt = view.get("format")
        high = view.get("maxLength")
        low = view.get("minLength", 0)
        if fmt == "uuid":
            return str(uuid.UUID(bytes=digest[:16], version=4))
        if isinstance(pattern, str) and "32" in pattern and "a-f" in pattern:
            return digest.hex()[:32]
        if isinstance(pattern, str):
            rng = random.Random(digest)
            return string_for_pattern(
                pattern,
                rng,
                min_length=low if isinstance(low, int) else 0,
                max_length=high if isinstance(high, int) else None,
            )
        width = min(high, 8) if isinstance(high, int) else 8
        width = max(width, low if isinstance(low, int) else 0, 1)
        return str(10 ** (width - 1) + n)[-width:] if width > 1 else str(n % 10)


@dataclass(slots=True)
class Store:
    """Every collection of one mock, and a version bumped on every write (for caches)."""

    collections: dict[str, Collection] = field(default_factory=dict)
    version: int = 0

    def __iter__(self) -> Iterator[Collection]:
        return iter(self.collections.values())


@dataclass(frozen=True, slots=True)
class FixtureCollection:
    name: str
    path: str
    schema: str | None
    id_field: str | None
    records: tuple[JsonObject, ...]


def read_fixtures_file(path: Path) -> tuple[JsonObject, Path]:
    """The mapping in ``fixtures.yaml`` (a file, or a directory holding one), and its path;
    ``CatalogueError`` naming the file when it is missing, not YAML, or not a mapping."""
    file = path / "fixtures.yaml" if path.is_dir() else path
    if not file.is_file():
        raise CatalogueError(str(file), "fixtures file not found")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(str(file), f"invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogueError(str(file), "expected a mapping with a 'collections' list")
    return data, file


def load_fixtures(path: Path) -> list[FixtureCollection]:
    """``fixtures.yaml`` (a file, or a directory holding one) as collections of records."""
    data, file = read_fixtures_file(path)
    return fixture_collections(data, file)


def fixture_collections(data: JsonObject, file: Path) -> list[FixtureCollection]:
    """The ``collections`` of a fixtures document already read (``read_fixtures_file``)."""
    if not isinstance(data.get("collections"), list):
        raise CatalogueError(str(file), "expected a mapping with a 'collections' list")
    out: list[FixtureCollection] = []
    for i, raw in enumerate(data["collections"]):
        if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
            raise CatalogueError(str(file), f"collections[{i}] needs a 'path'")
        records = raw.get("records") or []
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise CatalogueError(str(file), f"collections[{i}].records must be a list of mappings")
        out.append(
            FixtureCollection(
                name=str(raw.get("name", raw["path"])),
                path=raw["path"],
                schema=raw.get("schema"),
                id_field=raw.get("id_field"),
                records=tuple(records),
            )
        )
    return out
