"""Identity and absence: an id that names no stored record is refused on every read, update and
delete (404, else the closest client error the operation declares), never answered with an
invented record; sub-collections belong to their parent; what exists is explicitly seeded."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from interop.adapters.mock import Mock, mock_for_spec
from interop.harness.errors import CatalogueError

DATA = Path(__file__).parent / "data"
ADDRESS = {"line1": "1 Main St", "city": "Leeds", "country": "GB"}


@pytest.fixture
def merchants() -> tuple[Mock, httpx.Client]:
    mock = mock_for_spec(DATA / "merchants.yaml")
    return mock, mock.client(headers=mock.credentials())


def _count(mock: Mock, template: str) -> int:
    collection = mock.store.collections[template]
    collection.ensure_seeded(mock.store)
    return len(collection.records)


@pytest.mark.parametrize(
    ("method", "body", "status"),
    [
        ("GET", None, 422),  # declares no 404: its only client error stands in
        ("PATCH", {"name": "X"}, 400),  # 400 before 422: the closest to "not found"
        ("PUT", {"name": "X", "address": ADDRESS}, 404),  # declares no 4xx: 404 all the same
        ("DELETE", None, 404),
    ],
)
def test_an_unknown_id_is_refused_with_the_closest_declared_error(
    merchants, method: str, body: object, status: int
) -> None:
    mock, client = merchants
    before = _count(mock, "/merchants")
    response = client.request(method, "/merchants/no-such-merchant", json=body)
    assert response.status_code == status
    assert response.json()["status"] == status  # the contract's error envelope
    assert "no-such-merchant" in response.headers["x-interop-problem"]
    assert mock.violations == []  # a conforming client meets unknown ids too
    # Nothing was invented or created for it.
    assert _count(mock, "/merchants") == before
    assert client.get("/merchants/no-such-merchant").status_code == 422


def test_a_deleted_record_is_gone_for_every_operation(merchants) -> None:
    _, client = merchants
    first = client.get("/merchants").json()["data"][0]["id"]
    assert client.delete(f"/merchants/{first}").status_code == 204
    assert client.get(f"/merchants/{first}").status_code == 422
    assert client.patch(f"/merchants/{first}", json={"name": "Back"}).status_code == 400
    assert client.delete(f"/merchants/{first}").status_code == 404
    assert client.get(f"/merchants/{first}/stores").status_code == 404
    assert all(m["id"] != first for m in client.get("/merchants").json()["data"])


def test_operations_under_an_unknown_parent_are_refused(merchants) -> None:
    _, client = merchants
    assert client.get("/merchants/nobody/stores").status_code == 404
    created = client.post("/merchants/nobody/stores", json={"reference": "S1", "merchantId": "x"})
    assert created.status_code == 404
    # An action declaring only 403 answers with it rather than invent a suspended merchant.
    suspended = client.post("/merchants/nobody/suspend")
    assert suspended.status_code == 403
    assert "nobody" in suspended.headers["x-interop-problem"]


def test_a_sub_collection_belongs_to_its_parent(merchants) -> None:
    _, client = merchants
    one, two = (m["id"] for m in client.get("/merchants").json()["data"][:2])
    created = client.post(
        f"/merchants/{one}/stores", json={"reference": "Kiosk", "merchantId": two}
    )
    assert created.status_code == 201
    store = created.json()
    assert store["merchantId"] == one  # the path names the parent, whatever the body said
    mine = client.get(f"/merchants/{one}/stores").json()["data"]
    theirs = client.get(f"/merchants/{two}/stores").json()["data"]
    assert store in mine and store["id"] not in {s["id"] for s in theirs}
    assert all(s["merchantId"] == one for s in mine)  # seeded stores too
    assert all(s["merchantId"] == two for s in theirs) and theirs
    assert client.get(f"/merchants/{one}/stores/{store['id']}").json() == store
    assert client.get(f"/merchants/{two}/stores/{store['id']}").status_code == 404


def test_fixtures_make_what_exists_explicit(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures.yaml"
    fixtures.write_text(
        "collections:\n"
        "  - {path: /merchants, seed_size: 0}\n"
        "  - path: /merchants/{merchantId}/stores\n"
        "    records:\n"
        "      - {id: S1, reference: R1, merchantId: M1}\n"
    )
    mock = mock_for_spec(DATA / "merchants.yaml", fixtures=fixtures)
    client = mock.client(headers=mock.credentials())
    assert client.get("/merchants").json()["data"] == []
    assert client.get("/merchants/10000001").status_code == 422  # no generated merchants
    assert _count(mock, "/merchants/{merchantId}/stores") == 1
    fixtures.write_text("collections:\n  - {path: /merchants, seed_size: 5}\n")
    mock = mock_for_spec(DATA / "merchants.yaml", fixtures=fixtures)
    assert _count(mock, "/merchants") == 5
    assert _count(mock, "/merchants/{merchantId}/stores") == 5 * 3  # three per seeded parent


def test_a_seed_size_beside_records_is_a_catalogue_error(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures.yaml"
    fixtures.write_text("collections:\n  - {path: /merchants, seed_size: 2, records: [{id: a}]}\n")
    with pytest.raises(CatalogueError, match="seed_size"):
        mock_for_spec(DATA / "merchants.yaml", fixtures=fixtures)


def test_pattern_ids_are_drawn_distinct_and_the_pattern_is_parsed_once(monkeypatch) -> None:
    import re._parser as sre_parse  # type: ignore[import-not-found]

    from interop.adapters.mock.generate import pattern_plan

    parses = []
    real = sre_parse.parse
    monkeypatch.setattr(sre_parse, "parse", lambda *a, **k: parses.append(a) or real(*a, **k))
    pattern_plan.cache_clear()
    mock = mock_for_spec(DATA.parent.parent.parent / "benchmarks/specs/pattern-ids.yaml")
    collection = mock.store.collections["/workers"]
    collection.ensure_seeded(mock.store)
    start = collection._counter
    ids = [collection.create({"name": "N"}, store=mock.store).key for _ in range(2000)]
    assert all(re.fullmatch(r"W[0-9]{6}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    # Ids are drawn, not shortest-first: nearly every first candidate is new (the shortest,
    # W000000, would collide on every id after the first), and all come from one parse.
    assert collection._counter - start < len(ids) + 20
    # (re.compile parses too, with flags, and caches; ours is the call without them.)
    assert parses.count(("^W[0-9]{6}$",)) == 1
