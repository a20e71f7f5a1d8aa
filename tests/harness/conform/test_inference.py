"""The sequence-inference rules of docs/conform.md, one by one, and as properties."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.harness.conform.inference import (
    collection_of,
    collections_of,
    create_reads,
    identifier_from_body,
    identifier_from_location,
    items_of,
    last_parameter,
    next_link,
    paging_of,
    says_more,
)
from interop.harness.loading import load_document
from interop.harness.openapi import Operation, contract_model


def _spec(method: str, path: str, query: dict[str, dict[str, object]] | None = None) -> Operation:
    parameters = [{"name": name, "in": "query", **spec} for name, spec in (query or {}).items()]
    operation = {"parameters": parameters, "responses": {"200": {"description": "ok"}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {path: {method.lower(): operation}},
    }
    [spec] = contract_model(load_document(document)).operations
    return spec


@pytest.mark.parametrize(
    ("path", "collection"),
    [
        ("/workers/{PersonId}", "/workers"),
        ("/staffing/v1/{tenant}/workers/{ID}", "/staffing/v1/{tenant}/workers"),
        ("/odata/v2/PerPerson('{personIdExternal}')", "/odata/v2/PerPerson"),
        ("/workers", None),
        ("/workers/{PersonId}/payslip", None),
        ("/odata/v2/{entity}('{key}')", None),
    ],
)
def test_collection_of(path: str, collection: str | None) -> None:
    assert collection_of(path) == collection


def test_collections_of_names_every_identifier_in_the_path() -> None:
    assert collections_of("/workers/{PersonId}/absences/{AbsenceId}/notes") == [
        ("PersonId", "/workers"),
        ("AbsenceId", "/workers/{PersonId}/absences"),
    ]
    assert collections_of("/workers") == []


def test_last_parameter() -> None:
    assert last_parameter("/workers/{PersonId}") == "PersonId"
    assert last_parameter("/odata/v2/PerPerson('{personIdExternal}')") == "personIdExternal"
    assert last_parameter("/workers/{PersonId}/payslip") is None


def test_create_reads_pairs_a_post_with_the_read_of_its_collection() -> None:
    specs = [_spec("POST", "/workers"), _spec("GET", "/workers/{id}"), _spec("POST", "/jobs")]
    reads = create_reads(specs)
    assert set(reads) == {"POST /workers"}
    assert reads["POST /workers"].key == "GET /workers/{id}"


@pytest.mark.parametrize(
    ("location", "template", "expected"),
    [
        ("/workers/300000123", "/workers/{PersonId}", "300000123"),
        ("https://x.example/api/v1/workers/W%2F1", "/workers/{PersonId}", "W/1"),
        (
            "/odata/v2/PerPerson('10000417')",
            "/odata/v2/PerPerson('{personIdExternal}')",
            "10000417",
        ),
        ("/workers/1/extra", "/workers/{PersonId}", None),
        ("/positions/12", "/workers/{PersonId}", None),
    ],
)
def test_identifier_from_location(location: str, template: str, expected: str | None) -> None:
    assert identifier_from_location(location, template) == expected


@given(
    prefix=st.sampled_from(["", "https://cluster.example", "http://h:8080/base/path"]),
    identity=st.text(min_size=1, max_size=20).filter(lambda s: s.strip() == s),
)
def test_any_identifier_survives_a_location_round_trip(prefix: str, identity: str) -> None:
    location = f"{prefix}/workers/{quote(identity, safe='')}"
    assert identifier_from_location(location, "/workers/{PersonId}") == identity


def test_identifier_from_body_prefers_the_parameter_name_then_id() -> None:
    assert identifier_from_body({"personid": 7, "id": "x"}, "PersonId") == 7
    assert identifier_from_body({"id": "x"}, "PersonId") == "x"
    assert identifier_from_body({"d": {"PersonId": "9"}}, "PersonId") == "9"
    assert identifier_from_body({"name": "x"}, "PersonId") is None
    assert identifier_from_body({"id": ""}, "PersonId") is None
    assert identifier_from_body(["x"], "PersonId") is None


def test_items_of_each_dialect() -> None:
    assert items_of([1, 2]) == [1, 2]
    assert items_of({"d": {"results": [1]}}) == [1]
    assert items_of({"value": [2], "@odata.nextLink": "x"}) == [2]
    assert items_of({"total": 3, "data": [3]}) == [3]
    assert items_of({"hasMore": False, "entries": [4]}) == [4]
    assert items_of({"count": 0}) is None


def test_next_link_and_says_more() -> None:
    assert next_link({"@odata.nextLink": "/a?$skip=2"}) == "/a?$skip=2"
    assert next_link({"d": {"results": [], "__next": "/b"}}) == "/b"
    assert (
        next_link({"links": [{"rel": "self", "href": "/s"}, {"rel": "next", "href": "/n"}]}) == "/n"
    )
    assert next_link({"next": {"href": "/c"}}) == "/c"
    assert next_link({"items": []}) is None
    assert says_more({"hasMore": True, "items": []})
    assert not says_more({"hasMore": False, "items": []})


def test_paging_uses_the_consumers_example_within_its_bounds() -> None:
    limit = {"example": 5, "schema": {"type": "integer", "maximum": 3}}
    spec = _spec("GET", "/x", {"offset": {"schema": {"type": "integer"}}, "limit": limit})
    paging = paging_of(spec)
    assert paging is not None
    assert (paging.offset, paging.limit, paging.page_size) == ("offset", "limit", 3)
    odata = paging_of(_spec("GET", "/y", {"$skip": {}, "$top": {"schema": {"default": 4}}}))
    assert odata is not None and (odata.offset, odata.limit, odata.page_size) == (
        "$skip",
        "$top",
        4,
    )
    assert paging_of(_spec("GET", "/z", {"limit": {}})) is None
