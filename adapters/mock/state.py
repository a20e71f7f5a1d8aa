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
from typing import Any

import yaml

from interop.harness.errors import CatalogueError
from interop.harness.types import JsonObject, JsonValue

from .envelopes import ENVELOPE
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
"""Created records kept per collection (``Mock(max_records=…)``, ``mock serve
--max-records``); past it the oldest created record is evicted, and its id then names nothing
(404 like any unknown id). Seeded records are never evicted and do not count: state memory
stays bounded however long a mock serves creates (docs/mock.md, "What the mock keeps")."""


@dataclass(slots=True, eq=False)
class Record:
    key: str
    data: JsonObject
    seed: int
    version: int = 1
    owner: dict[str, str] = field(default_factory=dict)
    """The path values it lives under (``{"merchantId": "M1"}``): listed and read only there.
    Empty for a record of a top-level collection, or a fixture no parent could be found for."""
    fixture: bool = False
    """Seeded (from fixtures or generated when the mock was built): kept when the
    collection is full."""
    views: dict[int, JsonObject | None] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        digest = zlib.crc32(f"{self.key}:{self.version}:{self.seed}".encode())
        return f'"{self.version}-{digest:08x}"'

    def view(self, shape: Shape) -> JsonObject | None:
        """The record as ``shape`` shows it: valid against it, computed once per version."""
        if id(shape) in self.views:
            return self.views[id(shape)]
        envelope = shape.memo.get(ENVELOPE)
        if envelope is None:
            result = shape.conform(self.data)
        else:
            # Shown inside its envelope: the record itself, wrapped (envelopes.py).
            name, inner = envelope
            value = self.view(inner)
            result = None if value is None else shape.conform({name: value})
        self.views[id(shape)] = result
        return result

    def update(self, data: JsonObject) -> None:
        self.data = data
        self.version += 1
        self.views.clear()

    def belongs(self, path_params: dict[str, str]) -> bool:
        """Whether the record lives under the path values of a request."""
        return all(path_params.get(k, v) == v for k, v in self.owner.items())


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
    """How many records are generated when the mock is built, if no fixtures are given (per
    parent record for a sub-collection); 0 for an empty collection. Fixtures set it to the
    number of their records: what exists is exactly what was seeded or created since."""
    params: tuple[str, ...] = ()
    """The path parameters of the collection's template, in order: a record's owner."""
    parent: Collection | None = None
    """The collection whose item path this one is under (``/merchants/{merchantId}``)."""
    parent_param: str | None = None
    """The path parameter naming the parent record."""
    views: tuple[Shape, ...] = ()
    """The response schemas that show a record (item GET, list item, create answer)."""
    item_template: str | None = None
    id_param_name: str | None = None
    records: dict[str, Record] = field(default_factory=dict)
    max_records: int = MAX_RECORDS
    """How many created (not seeded) records are kept; the oldest is evicted beyond it."""
    _created: dict[str, None] = field(default_factory=dict)
    """The keys of created records still kept, oldest first (what eviction takes from)."""
    _counter: int = 0
    _next_int: int | None = None
    _seeded: bool = False
    _seed_applied: bool = False
    _id_plan: tuple[Any, ...] | None = None

    def ensure_seeded(self, store: Store) -> None:
        if self._seeded:
            return
        self._seeded = True
        if self.records or self.seed_shape is None or self.seed_count <= 0:
            return
        owners: list[dict[str, str]] = [{}]
        if self.parent is not None and self.parent_param is not None:
            # A sub-collection's seeds belong to the parent's seeded records, a few each.
            self.parent.ensure_seeded(store)
            # The parent's path names its own parents by position, perhaps by other names.
            names = dict(zip(self.parent.params, self.params, strict=False))
            owners = [
                {**{names.get(k, k): v for k, v in r.owner.items()}, self.parent_param: key}
                for key, r in self.parent.records.items()
                if r.fixture
            ]
        n = 0
        for owner in owners:
            for _ in range(self.seed_count):
                n += 1
                value = self.seed_shape.fresh(self.seed * 1000 + n)
                if isinstance(value, dict):
                    data = {**value, **self.owned_fields(owner)}
                    self.create(data, store=store, owner=owner, seeded=True)

    def add_fixture(self, data: JsonObject) -> None:
        key = self._key_of(data)
        owner = self._fixture_owner(data)
        self.records[key] = Record(key, dict(data), self.seed, owner=owner, fixture=True)
        value = data.get(self.id_field) if self.id_field else None
        if isinstance(value, int) and not isinstance(value, bool):
            self._next_int = max(self._next_int or 0, value)
        self._seeded = True

    def owned_fields(self, owner: dict[str, str]) -> JsonObject:
        """The record fields that name its owner (``merchantId`` under ``{merchantId}``), set
        to the owner's values as the record schema types them."""
        props = self.seed_shape.view().get("properties") if self.seed_shape is not None else None
        if not isinstance(props, dict) or not owner:
            return {}
        out: JsonObject = {}
        lowered = {_loose(k): k for k in props if k != self.id_field}
        for param, value in owner.items():
            name = lowered.get(_loose(param))
            if name is None:
                continue
            sub = props[name]
            kind = sub.get("type") if isinstance(sub, dict) else None
            kinds = kind if isinstance(kind, list) else [kind]
            digits = value.lstrip("-")
            if ("integer" in kinds or "number" in kinds) and digits.isascii() and digits.isdigit():
                out[name] = int(value)
            elif "string" in kinds or kind is None:
                out[name] = value
        return out

    def _fixture_owner(self, data: JsonObject) -> dict[str, str]:
        """Which parent a fixture record belongs to: a field named as the path parameter
        (``merchantId``), or a reference named after the parent's segment (``worker.id``
        under ``/workers/{ID}``). Unattributed records are listed under every parent."""
        owner: dict[str, str] = {}
        segments = self.template.split("/")
        lowered = {_loose(k): k for k in data}
        for param in self.params:
            name = lowered.get(_loose(param))
            value = data.get(name) if name is not None else None
            if value is None:
                index = segments.index("{" + param + "}") if "{" + param + "}" in segments else 0
                segment = segments[index - 1] if index > 0 else ""
                singular = segment[:-1] if segment.endswith("s") else segment
                ref = data.get(lowered.get(_loose(singular), ""))
                value = ref.get("id") if isinstance(ref, dict) else None
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                owner[param] = str(value)
        return owner

    def _key_of(self, data: JsonObject) -> str:
        if self.id_field and self.id_field in data:
            return str(data[self.id_field])
        return str(self.new_id())

    def get(self, key: str) -> Record | None:
        return self.records.get(key)

    def find(self, key: str, path_params: dict[str, str]) -> Record | None:
        """The record ``key`` names under these path values (None: it does not exist there)."""
        record = self.records.get(key)
        return record if record is not None and record.belongs(path_params) else None

    def all(self, path_params: dict[str, str] | None = None) -> list[Record]:
        """The records listed under these path values (all of them without)."""
        if not path_params:
            return list(self.records.values())
        return [r for r in self.records.values() if r.belongs(path_params)]

    def owner_of(self, path_params: dict[str, str]) -> dict[str, str]:
        """The path values of a request that a record created by it lives under."""
        return {k: v for k, v in path_params.items() if k in self.params}

    def create(
        self,
        data: JsonObject,
        *,
        store: Store,
        owner: dict[str, str] | None = None,
        seeded: bool = False,
    ) -> Record:
        """Store a new record under a new id; beyond ``max_records`` created records, the
        oldest created one is evicted (``seeded`` records are kept and not counted)."""
        if self.id_field:
            data[self.id_field] = self.new_id()
        key = self._key_of(data)
        record = Record(key, data, self.seed, owner=dict(owner or {}), fixture=seeded)
        self.records[key] = record
        if not seeded:
            self._created[key] = None
            while len(self._created) > max(self.max_records, 1):
                oldest = next(iter(self._created))
                del self._created[oldest]
                self.records.pop(oldest, None)
        store.version += 1
        return record

    def delete(self, key: str, *, store: Store) -> bool:
        found = self.records.pop(key, None) is not None
        self._created.pop(key, None)
        store.version += 1
        return found

    @property
    def created_count(self) -> int:
        """How many created (not seeded) records the collection keeps now."""
        return len(self._created)

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
        plan = self._id_plan
        if plan is None:
            plan = self._id_plan = self._plan_ids()
        kind = plan[0]
        if kind == "integer":
            if self._next_int is None:
                self._next_int = 300_000_000_000
            if not self._seed_applied:
                # Fixtures fix where numbering starts; the seed moves it, deterministically.
                self._seed_applied = True
                self._next_int += (self.seed % 1000) * 1_000_000
            self._next_int += 1
            high, low = plan[1], plan[2]
            if isinstance(high, (int, float)) and self._next_int > high:
                self._next_int = int(low if isinstance(low, (int, float)) else 1) + n
            return self._next_int
        digest = hashlib.sha256(f"{self.seed}:{self.template}:{n}".encode()).digest()
        if kind == "uuid":
            return str(uuid.UUID(bytes=digest[:16], version=4))
        if kind == "hex32":
            return digest.hex()[:32]
        if kind == "pattern":
            # Drawn, not shortest-first: each id must differ (the parse is cached).
            return string_for_pattern(
                plan[1], random.Random(digest), min_length=plan[2], max_length=plan[3], vary=True
            )
        width = plan[1]
        return str(10 ** (width - 1) + n)[-width:] if width > 1 else str(n % 10)

    def forget_id_plan(self) -> None:
        """Read the id's schema again for the next id (after ``id_shape`` changed)."""
        self._id_plan = None

    def _plan_ids(self) -> tuple[Any, ...]:
        """How this collection's ids look, read once from the id's schema."""
        shape = self.id_shape or self.id_param
        view = shape.view() if shape is not None else {"type": "string"}
        kind = view.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "integer" in kinds or "number" in kinds:
            return ("integer", view.get("maximum"), view.get("minimum", 1))
        pattern = view.get("pattern")
        high = view.get("maxLength")
        low = view.get("minLength", 0)
        low = low if isinstance(low, int) else 0
        if view.get("format") == "uuid":
            return ("uuid",)
        if isinstance(pattern, str) and "32" in pattern and "a-f" in pattern:
            return ("hex32",)
        if isinstance(pattern, str):
            return ("pattern", pattern, low, high if isinstance(high, int) else None)
        width = min(high, 8) if isinstance(high, int) else 8
        return ("code", max(width, low, 1))


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
    seed_size: int | None = None
    """``seed_size``: how many records to generate when ``records`` is empty (0: none)."""


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
        size = raw.get("seed_size")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
            raise CatalogueError(str(file), f"collections[{i}].seed_size must be an integer >= 0")
        if size is not None and records:
            raise CatalogueError(
                str(file), f"collections[{i}] gives both records and a seed_size: pick one"
            )
        out.append(
            FixtureCollection(
                name=str(raw.get("name", raw["path"])),
                path=raw["path"],
                schema=raw.get("schema"),
                id_field=raw.get("id_field"),
                records=tuple(records),
                seed_size=size,
            )
        )
    return out


def _loose(name: str) -> str:
    """A name with case and separators erased: the field ``payment_id`` for ``{paymentId}``."""
    return name.lower().replace("_", "").replace("-", "")
