"""Lists that add up: totals, counts and page numbers are computed from the records served,
whatever the dialect calls them (or an ``x-interop`` hint says), and sub-collections count
only their parent's records."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from interop.adapters.mock import mock_for_spec
from interop.adapters.mock.paging import paging_role

DATA = Path(__file__).parent / "data"
ADDRESS = {"line1": "1 Main St", "city": "Leeds", "country": "GB"}


@pytest.mark.parametrize(
    ("name", "style", "nested", "role"),
    [
        ("count", "oracle", False, "count"),  # Oracle: the page's count
        ("count", "generic", False, "total"),  # DRF, SCIM: the total
        ("totalResults", "oracle", False, "total"),
        ("itemsTotal", "generic", False, "total"),
        ("pagesTotal", "generic", False, "pages"),
        ("totalPages", "generic", False, "pages"),
        ("@odata.count", "odata-v4", False, "total"),
        ("__count", "odata-v2", False, "total"),
        ("total_count", "generic", False, "total"),
        ("hasMore", "oracle", False, "more"),
        ("@odata.nextLink", "odata-v4", False, "next"),
        ("size", "generic", True, "limit"),  # Spring's page.size
        ("number", "generic", True, "page"),
        ("size", "generic", False, None),  # a shoe size, at the top
        ("colour", "generic", False, None),
    ],
)
def test_paging_roles_by_name(name: str, style: str, nested: bool, role: str | None) -> None:
    assert paging_role(name, hints={}, style=style, nested=nested) == role


def test_a_count_beside_a_total_counts_the_page() -> None:
    siblings = ["results", "total", "count", "page"]  # GOV.UK Pay's search results
    assert paging_role("count", hints={}, style="generic", siblings=siblings) == "count"
    assert paging_role("total", hints={}, style="generic", siblings=siblings) == "total"


def test_a_hint_names_the_role() -> None:
    assert paging_role("x-total", hints={"x-total": "total"}, style="generic") == "total"


def test_totals_and_page_numbers_add_up() -> None:
    mock = mock_for_spec(DATA / "merchants.yaml")
    client = mock.client(headers=mock.credentials())
    for i in range(4):
        client.post("/merchants", json={"name": f"M{i}", "address": ADDRESS})
    seen = []
    for number in (1, 2, 3):
        page = client.get("/merchants", params={"pageSize": 3, "pageNumber": number}).json()
        assert page["itemsTotal"] == 7  # 3 seeded + 4 created
        assert page["pagesTotal"] == math.ceil(7 / 3)
        seen += [m["id"] for m in page["data"]]
    assert len(seen) == len(set(seen)) == 7
    client.delete(f"/merchants/{seen[0]}")
    assert client.get("/merchants").json()["itemsTotal"] == 6


def test_a_sub_collection_counts_only_its_parents_records() -> None:
    mock = mock_for_spec(DATA / "merchants.yaml")
    client = mock.client(headers=mock.credentials())
    one, two = (m["id"] for m in client.get("/merchants").json()["data"][:2])
    for i in range(2):
        client.post(f"/merchants/{one}/stores", json={"reference": f"S{i}", "merchantId": one})
    mine = client.get(f"/merchants/{one}/stores", params={"pageSize": 2}).json()
    assert mine["itemsTotal"] == 5 and mine["pagesTotal"] == 3
    assert mine["x-total"] == 5  # x-interop: total
    theirs = client.get(f"/merchants/{two}/stores").json()
    assert theirs["itemsTotal"] == len(theirs["data"]) == 3


ENVELOPES = """
openapi: 3.0.3
info: {title: Envelopes, version: '1'}
paths:
  /spring:
    get:
      parameters:
      - {name: page, in: query, schema: {type: integer, minimum: 1}}
      - {name: size, in: query, schema: {type: integer, minimum: 1}}
      responses:
        '200':
          description: Spring Data style
          content:
            application/json:
              schema:
                type: object
                properties:
                  content: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                  page:
                    type: object
                    properties:
                      size: {type: integer}
                      number: {type: integer}
                      totalElements: {type: integer}
                      totalPages: {type: integer, minimum: 1}
  /spring/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: one
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /sap:
    get:
      parameters:
      - {name: $top, in: query, schema: {type: integer}}
      - {name: $skip, in: query, schema: {type: integer}}
      responses:
        '200':
          description: OData v2 with an inline count
          content:
            application/json:
              schema:
                type: object
                properties:
                  d:
                    type: object
                    properties:
                      results: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                      __count: {type: string}
                      __next: {type: string}
  /meta:
    get:
      parameters:
      - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: totals in a meta object, and one by hint
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                  meta:
                    type: object
                    properties:
                      count: {type: integer}
                      grand: {type: integer, x-interop: {paging: total}}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
"""


def test_envelopes_of_other_dialects(tmp_path: Path) -> None:
    spec = tmp_path / "envelopes.yaml"
    spec.write_text(ENVELOPES)
    client = mock_for_spec(spec).client()
    spring = client.get("/spring", params={"size": 2, "page": 2}).json()["page"]
    assert spring == {"size": 2, "number": 2, "totalElements": 3, "totalPages": 2}
    sap = client.get("/sap", params={"$top": 1}).json()["d"]
    assert sap["__count"] == "3" and "$skip=1" in sap["__next"]
    meta = client.get("/meta").json()["meta"]
    assert meta == {"count": 3, "grand": 3}


def test_paging_values_written_as_digits_page_the_list(tmp_path: Path) -> None:
    spec = tmp_path / "digits.yaml"
    spec.write_text(
        ENVELOPES.replace(
            "- {name: size, in: query, schema: {type: integer, minimum: 1}}",
            "- {name: size, in: query, schema: {type: integer, minimum: 1}}\n"
            "      - {name: display_size, in: query, schema: {type: string}}",
        )
    )
    client = mock_for_spec(spec).client()
    page = client.get("/spring", params={"display_size": "2"}).json()
    assert len(page["content"]) == 2
    # Not every digit is ASCII: a superscript three is no page size (and no crash).
    odd = client.get("/spring", params={"display_size": "\u00b3"})
    assert odd.status_code == 200 and len(odd.json()["content"]) == 3
