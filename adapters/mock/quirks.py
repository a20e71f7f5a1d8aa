"""Quirks: documented behaviour of a real cluster that its contract does not show.

A cluster's ``fixtures.yaml`` may list ``quirks:``; the mock replays them so that a programme
meets the cluster as it really behaves, not only as its contract says. Each entry names its
``kind``, the ``operation`` (``"GET /workers"``, as the provider contract writes it), the
kind's own fields and a ``reason`` in plain English:

- ``ignore-query-parameter`` (``parameter``): the parameter is still validated (the contract
  declares it) but then dropped before the operation is handled, e.g. a cursor-paged list that
  ignores ``$skip``, so every "page" is the first page.
- ``location-identifier`` (``field`` or ``surrogate``): the ``Location`` header of a create
  names the new record by another field's value, or by a surrogate key (``oracle-hash-key``:
  Oracle Fusion's opaque serialized-key hash, ``00020000000EACED0005770800…``), instead of
  the key the read-by-id operation takes.
- ``error-envelope`` (``status``, ``media_type``, ``body``): when the operation answers with
  that status, this body is sent instead of the contract's declared error envelope (e.g. a
  gateway's own 404 body).

Quirks are on by default (``quirks=True`` on ``build_mock``/``mock_for_cluster``/``Mock``) and
switched off with ``quirks=False``. A quirked response carries ``X-Interop-Quirk: <kind>``; it is
never counted as a violation (only the request decides that).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from interop.harness.errors import CatalogueError
from interop.harness.openapi import METHODS
from interop.harness.types import JsonValue

from .flow import Context
from .model import MockResponse
from .state import read_fixtures_file
from .wire import content_type, encode

if TYPE_CHECKING:
    from .core import Mock
    from .operations import Operation
    from .state import Record

__all__ = [
    "KINDS",
    "QUIRK_HEADER",
    "SURROGATES",
    "Quirk",
    "Quirks",
    "load_quirks",
    "oracle_hash_key",
    "parse_quirks",
]

log = logging.getLogger("interop.mock")

QUIRK_HEADER = "x-interop-quirk"
KINDS = ("ignore-query-parameter", "location-identifier", "error-envelope")
SURROGATES = ("oracle-hash-key",)
_METHODS = tuple(method.upper() for method in METHODS)
_COMMON = {"kind", "operation", "reason"}
_FIELDS: dict[str, set[str]] = {
    "ignore-query-parameter": {"parameter"},
    "location-identifier": {"field", "surrogate"},
    "error-envelope": {"status", "media_type", "body"},
}


@dataclass(frozen=True, slots=True)
class Quirk:
    """One documented behaviour of the real cluster, as ``fixtures.yaml`` lists it."""

    kind: str
    operation: str
    """``"METHOD /path"`` as the provider contract writes it."""
    reason: str
    parameter: str | None = None
    field: str | None = None
    surrogate: str | None = None
    status: int | None = None
    media_type: str | None = None
    body: JsonValue = None

    def describe(self) -> str:
        detail = {
            "ignore-query-parameter": f"ignores {self.parameter}",
            "location-identifier": f"Location by {self.field or self.surrogate}",
            "error-envelope": f"{self.status} as {self.media_type}",
        }[self.kind]
        return f"{self.kind} on {self.operation}: {detail}"


def load_quirks(path: Path) -> tuple[Quirk, ...]:
    """The ``quirks:`` of a fixtures file (or a directory holding ``fixtures.yaml``)."""
    data, file = read_fixtures_file(path)
    return parse_quirks(data.get("quirks"), str(file))


def parse_quirks(raw: Any, where: str) -> tuple[Quirk, ...]:
    """Validate a ``quirks:`` list; ``where`` names the file in every error."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CatalogueError(where, "'quirks' must be a list of mappings")
    out: list[Quirk] = []
    for index, entry in enumerate(raw):
        out.append(_parse_one(entry, f"quirks[{index}]", where))
    seen: set[tuple[str, str, Any]] = set()
    for index, quirk in enumerate(out):
        key = (quirk.kind, quirk.operation, quirk.parameter or quirk.status)
        if key in seen:
            raise CatalogueError(where, f"quirks[{index}] repeats {quirk.describe()}")
        seen.add(key)
    return tuple(out)


def _parse_one(entry: Any, at: str, where: str) -> Quirk:
    def fail(message: str) -> CatalogueError:
        return CatalogueError(where, f"{at}: {message}")

    if not isinstance(entry, dict):
        raise fail("expected a mapping with 'kind', 'operation' and 'reason'")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise fail(f"'kind' must be one of {', '.join(KINDS)} (got {kind!r})")
    unknown = sorted(set(entry) - _COMMON - _FIELDS[kind])
    if unknown:
        raise fail(f"unknown key(s) for {kind}: {', '.join(map(str, unknown))}")
    operation = entry.get("operation")
    method, _, path = operation.partition(" ") if isinstance(operation, str) else ("", "", "")
    if method.upper() not in _METHODS or not path.startswith("/") or " " in path.strip():
        raise fail(f"'operation' must be 'METHOD /path' (got {operation!r})")
    operation = f"{method.upper()} {path.strip()}"
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise fail("'reason' is required: why the real cluster behaves this way")
    quirk = Quirk(kind=kind, operation=operation, reason=" ".join(reason.split()))
    if kind == "ignore-query-parameter":
        parameter = entry.get("parameter")
        if not isinstance(parameter, str) or not parameter:
            raise fail("'parameter' (the query parameter to ignore) is required")
        return dataclasses.replace(quirk, parameter=parameter)
    if kind == "location-identifier":
        field, surrogate = entry.get("field"), entry.get("surrogate")
        if (field is None) == (surrogate is None):
            raise fail("give exactly one of 'field' (a record field) and 'surrogate'")
        if field is not None and (not isinstance(field, str) or not field):
            raise fail("'field' must name a field of the created record")
        if surrogate is not None and surrogate not in SURROGATES:
            raise fail(f"'surrogate' must be one of {', '.join(SURROGATES)} (got {surrogate!r})")
        if method.upper() != "POST":
            raise fail("location-identifier applies to a create (a POST operation)")
        return dataclasses.replace(quirk, field=field, surrogate=surrogate)
    status = entry.get("status")
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
        raise fail(f"'status' must be an error status, 400 to 599 (got {status!r})")
    media_type = entry.get("media_type")
    if not isinstance(media_type, str) or "/" not in media_type:
        raise fail(f"'media_type' must be a media type such as text/plain (got {media_type!r})")
    if "body" not in entry:
        raise fail("'body' is required (a string, or a JSON value for a JSON media type)")
    body = entry["body"]
    if "json" not in media_type.lower() and not isinstance(body, str):
        raise fail(f"'body' must be a string for {media_type}")
    try:
        json.dumps(body)
    except (TypeError, ValueError) as exc:
        raise fail(f"'body' is not a JSON value: {exc}") from None
    return dataclasses.replace(quirk, status=status, media_type=media_type, body=body)


def oracle_hash_key(record_key: str) -> str:
    """An Oracle Fusion-style hash key for a record: the hex of the serialized composite key
    (the identifier as a Java long, then an effective date), as the real REST resources put it
    in their item URLs. Deterministic per record key."""
    try:
        number = int(record_key)
    except ValueError:
        number = zlib.crc32(record_key.encode())
    number &= 0x7FFF_FFFF_FFFF_FFFF
    millis = 1_262_304_000_000 + (zlib.crc32(record_key.encode()) % 400_000) * 86_400_000 // 100
    return (
        "00020000000EACED00057708"
        + f"{number:016X}"
        + "0000004AACED00057372000D6A6176612E73716C2E4461746514FA46683F3566970200007872"
        + "000E6A6176612E7574696C2E44617465686A81014B5974190300007870770800"
        + f"{millis:014X}"
        + "78"
    )


class Quirks:
    """The quirks that apply to one mock, by operation; all hooks are no-ops without them."""

    def __init__(self, mock: Mock, quirks: tuple[Quirk, ...], where: str = "fixtures") -> None:
        self.active: tuple[Quirk, ...] = ()
        self._ignore: dict[str, set[str]] = {}
        self._location: dict[str, Quirk] = {}
        self._errors: dict[tuple[str, int], Quirk] = {}
        operations = {op.key: op for op in mock.operations}
        active: list[Quirk] = []
        for quirk in quirks:
            operation = operations.get(quirk.operation)
            if operation is None:
                # Like a fixture collection the contract lacks: another version of the cluster.
                log.info("quirks: no operation %s in %s (%s)", quirk.operation, mock.name, where)
                continue
            if quirk.kind == "ignore-query-parameter":
                if operation.spec.parameter("query", quirk.parameter or "") is None:
                    raise CatalogueError(
                        where,
                        f"quirk {quirk.describe()}: {quirk.operation} declares no query "
                        f"parameter {quirk.parameter!r}",
                    )
                self._ignore.setdefault(quirk.operation, set()).add(quirk.parameter or "")
            elif quirk.kind == "location-identifier":
                self._location[quirk.operation] = quirk
            else:
                assert quirk.status is not None
                self._errors[(quirk.operation, quirk.status)] = quirk
            active.append(quirk)
        self.active = tuple(active)

    def __bool__(self) -> bool:
        return bool(self.active)

    # -- hooks ----------------------------------------------------------------------------
    def before_act(self, context: Context) -> Context:
        """Drop ignored query parameters (already validated) before the operation runs."""
        ignored = self._ignore.get(context.operation.key)
        if not ignored:
            return context
        request = context.request
        pairs = [(k, v) for k, v in request.query_pairs if k not in ignored]
        if len(pairs) == len(request.query_pairs):
            return context
        context.request = dataclasses.replace(
            request, query=urlencode(pairs, safe="$,:'()"), _pairs=pairs
        )
        context.values = {k: v for k, v in context.values.items() if not _ignored(k, ignored)}
        context.quirk = "ignore-query-parameter"
        return context

    def location_key(self, operation: Operation, record: Record) -> str | None:
        """The identifier the ``Location`` of a create names the record by (None: its key)."""
        quirk = self._location.get(operation.key)
        if quirk is None:
            return None
        if quirk.surrogate == "oracle-hash-key":
            return oracle_hash_key(record.key)
        value = record.data.get(quirk.field or "")
        if value is None or isinstance(value, (dict, list)):
            return None
        return str(value)

    def error(self, response: MockResponse) -> MockResponse:
        """The cluster's own body for a status the operation answers with, where it has one."""
        if not self._errors or response.operation is None or response.fault is not None:
            return response
        quirk = self._errors.get((response.operation, response.status))
        if quirk is None:
            return response
        assert quirk.media_type is not None
        body = encode(quirk.media_type, quirk.body)
        headers = [(k, v) for k, v in response.headers if k not in ("content-type", QUIRK_HEADER)]
        headers.append(("content-type", content_type(quirk.media_type)))
        headers.append((QUIRK_HEADER, quirk.kind))
        return MockResponse(
            response.status,
            headers,
            body,
            response.operation,
            response.problem,
            response.fault,
            quirk.kind,
            response.problems,
        )


def _ignored(key: tuple[str, str], ignored: set[str]) -> bool:
    return key[1] == "query" and key[0] in ignored
