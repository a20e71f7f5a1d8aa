"""Which operations of a consumer contract form sequences, and how to read what they return.

The rules (documented in ``docs/conform.md``) are deliberately plain, so that a programme can
predict what ``conform`` will do with its contract:

- **Collection.** The collection of an operation whose path ends in an identifier is the path
  without it: ``/workers/{PersonId}`` -> ``/workers``; OData keys too:
  ``/odata/v2/PerPerson('{personIdExternal}')`` -> ``/odata/v2/PerPerson``.
- **Read.** ``GET`` on a path that ends in an identifier reads one item of its collection.
- **List.** ``GET`` on a collection path whose 2xx response carries an array of items.
- **Create.** ``POST`` on a collection path that has a read operation: what it creates must be
  readable by the identifier the cluster returns (the ``Location`` header when the consumer
  declares it in the create's response, else the body property named like the read's last path
  parameter, else ``id``).
- **Pages.** A list with an offset-style query parameter (``offset``, ``$skip``, ``skip``,
  ``start``, ``startIndex``) is walked page by page, advancing it by the items received;
  otherwise a ``next`` link in the answer is followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ..openapi import Operation, Parameter
from ..verify.checks import plain_schema

__all__ = [
    "OFFSET_NAMES",
    "Paging",
    "collection_of",
    "collections_of",
    "create_reads",
    "identifier_from_body",
    "identifier_from_location",
    "items_of",
    "last_parameter",
    "list_reads",
    "next_link",
    "paging_of",
]

OFFSET_NAMES = ("offset", "$skip", "skip", "start", "startindex")
LIMIT_NAMES = ("limit", "$top", "top", "pagesize", "page_size", "count", "size")
_PARAMETER = re.compile(r"\{([^}/]+)\}")
_KEYED_SEGMENT = re.compile(r"^([^(]+)\(.*\)$")
MAX_PAGE_SIZE = 50


def last_parameter(path: str) -> str | None:
    """The path parameter in the last segment (``PersonId`` of ``/workers/{PersonId}``)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    names = _PARAMETER.findall(last)
    return names[-1] if names else None


def collection_of(path: str) -> str | None:
    """The collection an identifier path belongs to; None when the last segment is literal."""
    head, _, last = path.rstrip("/").rpartition("/")
    if not _PARAMETER.search(last):
        return None
    if _PARAMETER.fullmatch(last):
        return head or "/"
    keyed = _KEYED_SEGMENT.match(last)
    if keyed is not None and not _PARAMETER.search(keyed.group(1)):
        return f"{head}/{keyed.group(1)}"
    return None


def collections_of(path: str) -> list[tuple[str, str]]:
    """(parameter, collection) for every path parameter that names an item of a collection:
    ``/workers/{PersonId}/absences/{AbsenceId}`` -> ``PersonId`` in ``/workers``, ``AbsenceId``
    in ``/workers/{PersonId}/absences``."""
    found: list[tuple[str, str]] = []
    segments = path.rstrip("/").split("/")
    for index in range(1, len(segments)):
        prefix = "/".join(segments[: index + 1])
        parameter = last_parameter(prefix)
        collection = collection_of(prefix)
        if parameter is not None and collection is not None and collection != "/":
            found.append((parameter, collection))
    return found


def list_reads(specs: Iterable[Operation]) -> dict[str, tuple[Operation, Operation]]:
    """Read key -> (list, read): reads whose collection the consumer also lists."""
    specs = list(specs)
    lists = {spec.path: spec for spec in specs if spec.method == "GET"}
    found: dict[str, tuple[Operation, Operation]] = {}
    for spec in specs:
        if spec.method != "GET":
            continue
        collection = collection_of(spec.path)
        if collection is not None and collection in lists:
            found[spec.key] = (lists[collection], spec)
    return found


def create_reads(specs: Iterable[Operation]) -> dict[str, Operation]:
    """Create key -> the read operation of what it creates."""
    specs = list(specs)
    reads = {
        collection_of(spec.path): spec
        for spec in specs
        if spec.method == "GET" and collection_of(spec.path) is not None
    }
    return {
        spec.key: reads[spec.path] for spec in specs if spec.method == "POST" and spec.path in reads
    }


def _template_pattern(template: str) -> re.Pattern[str]:
    pieces = re.split(r"(\{[^}/]+\})", template)
    regex = "".join(
        f"(?P<{_group(piece[1:-1])}>[^/]+)" if _PARAMETER.fullmatch(piece) else re.escape(piece)
        for piece in pieces
    )
    return re.compile(regex + "/?$")


def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)


def identifier_from_location(location: str, read_path: str) -> str | None:
    """The identifier a ``Location`` value names, read against the read operation's template
    (suffix match, so a server prefix or absolute URL is fine); None when it does not match."""
    parameter = last_parameter(read_path)
    if parameter is None:
        return None
    path = urlsplit(location.strip()).path
    match = _template_pattern(read_path).search(path)
    if match is None:
        return None
    return unquote(match.group(_group(parameter)))


def identifier_from_body(body: Any, parameter: str) -> Any:
    """The identifier in a created resource: the property named like the read's parameter
    (case-insensitively), else ``id``; OData v2 ``d`` wrappers are looked through."""
    if isinstance(body, dict) and isinstance(body.get("d"), dict):
        body = body["d"]
    if not isinstance(body, dict):
        return None
    for wanted in (parameter.lower(), "id"):
        for key, value in body.items():
            if key.lower() == wanted and isinstance(value, str | int) and value != "":
                return value
    return None


def items_of(body: Any) -> list[Any] | None:
    """The items of a list answer: the body itself if an array, OData v2 ``d.results``, OData
    ``value``, else the first property that is an array."""
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        return None
    inner = body.get("d")
    if isinstance(inner, dict) and isinstance(inner.get("results"), list):
        return list(inner["results"])
    for key in ("items", "value", "data", "results"):
        if isinstance(body.get(key), list):
            return list(body[key])
    for value in body.values():
        if isinstance(value, list):
            return value
    return None


def next_link(body: Any) -> str | None:
    """A ``next`` link in a list answer: ``@odata.nextLink``, ``d.__next``, ``next``, or a
    ``links`` entry with ``rel: next``."""
    if not isinstance(body, dict):
        return None
    inner = body.get("d")
    if isinstance(inner, dict) and isinstance(inner.get("__next"), str):
        return str(inner["__next"])
    for key in ("@odata.nextLink", "nextLink", "next"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict) and isinstance(value.get("href"), str):
            return str(value["href"])
    links = body.get("links")
    if isinstance(links, list):
        for link in links:
            if isinstance(link, dict) and link.get("rel") == "next":
                href = link.get("href")
                if isinstance(href, str) and href:
                    return href
    return None


def says_more(body: Any) -> bool:
    """Whether a list answer says another page follows (``hasMore``, a next link)."""
    if isinstance(body, dict) and body.get("hasMore") is True:
        return True
    return next_link(body) is not None


@dataclass(frozen=True, slots=True)
class Paging:
    """How the consumer pages a list: the offset parameter, the size parameter and page size."""

    offset: str
    limit: str | None
    page_size: int


def paging_of(spec: Operation) -> Paging | None:
    """The consumer's offset paging of a list operation, or None."""
    query = {p.name: p for p in spec.parameters if p.location == "query"}
    offset = next((name for name in query if name.lower() in OFFSET_NAMES), None)
    if offset is None:
        return None
    limit = next((name for name in query if name.lower() in LIMIT_NAMES), None)
    size = _page_size(query[limit]) if limit is not None else MAX_PAGE_SIZE
    return Paging(offset=offset, limit=limit, page_size=size)


def _page_size(parameter: Parameter) -> int:
    schema = parameter.schema if plain_schema(parameter) is not None else {}
    assert isinstance(schema, dict)
    size: Any = parameter.raw.get("example", schema.get("example", schema.get("default", 2)))
    if not isinstance(size, int) or isinstance(size, bool):
        size = 2
    low = schema.get("minimum", 1)
    high = schema.get("maximum", MAX_PAGE_SIZE)
    if isinstance(low, int | float):
        size = max(size, int(low))
    if isinstance(high, int | float):
        size = min(size, int(high))
    return max(1, min(int(size), MAX_PAGE_SIZE))
