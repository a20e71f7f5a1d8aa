"""Updates that keep data: PATCH is a JSON Merge Patch (RFC 7396), or a JSON Patch (RFC 6902)
where its media type is declared; PUT replaces; server-owned fields are the mock's; fields the
client never set are absent unless required, and then filled once and kept."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from interop.adapters.mock import Mock, mock_for_spec
from interop.adapters.mock.updates import PatchError, apply_json_patch, merge_patch

DATA = Path(__file__).parent / "data"
ADDRESS = {"line1": "1 Main St", "city": "Leeds", "country": "GB"}
JSON_PATCH = {"content-type": "application/json-patch+json"}


@pytest.fixture
def merchants() -> tuple[Mock, httpx.Client]:
    mock = mock_for_spec(DATA / "merchants.yaml")
    return mock, mock.client(headers=mock.credentials())


def _create(client: httpx.Client, **extra: object) -> dict:
    created = client.post("/merchants", json={"name": "Acme", "address": ADDRESS, **extra})
    assert created.status_code == 200, created.text
    return created.json()


# -- RFC 7396 and RFC 6902 ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [  # RFC 7396, Appendix A
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_merge_patch_follows_rfc_7396(target, patch, result) -> None:
    assert merge_patch(target, patch) == result


def test_json_patch_follows_rfc_6902() -> None:
    doc = {"a": {"b": [1, 2]}, "c": "d"}
    patched = apply_json_patch(
        doc,
        [
            {"op": "add", "path": "/a/b/1", "value": 9},
            {"op": "add", "path": "/a/b/-", "value": 3},
            {"op": "replace", "path": "/c", "value": "e"},
            {"op": "copy", "from": "/c", "path": "/f"},
            {"op": "move", "from": "/f", "path": "/g"},
            {"op": "remove", "path": "/a/b/0"},
            {"op": "test", "path": "/g", "value": "e"},
        ],
    )
    assert patched == {"a": {"b": [9, 2, 3]}, "c": "e", "g": "e"}
    assert doc == {"a": {"b": [1, 2]}, "c": "d"}  # the original is untouched
    for bad in (
        [{"op": "remove", "path": "/nope"}],
        [{"op": "test", "path": "/c", "value": "x"}],
        [{"op": "replace", "path": "/c"}],
        [{"op": "jump", "path": "/c"}],
        [{"op": "move", "from": "/a", "path": "/a/b/x"}],
        {"op": "add"},
    ):
        with pytest.raises(PatchError):
            apply_json_patch(doc, bad)


# -- through the mock ---------------------------------------------------------------------------
def test_a_partial_nested_update_merges_and_invents_nothing(merchants) -> None:
    mock, client = merchants
    merchant = _create(client)
    # Only what the client sent, and what the server owns: no invented status or website.
    assert set(merchant) == {"id", "name", "address", "createdAt", "updatedAt"}
    url = f"/merchants/{merchant['id']}"
    patched = client.patch(url, json={"address": {"line1": "2 High St", "postalCode": "LS1"}})
    assert patched.status_code == 200
    assert patched.json()["address"] == {
        "line1": "2 High St",
        "city": "Leeds",  # kept
        "country": "GB",  # kept (required)
        "postalCode": "LS1",
    }
    again = client.get(url).json()
    assert again == patched.json()
    assert set(again) == set(merchant)
    assert again["createdAt"] == merchant["createdAt"]
    assert again["updatedAt"] != merchant["updatedAt"]  # the server keeps its timestamps
    assert mock.violations == []


def test_null_in_a_merge_patch_removes_the_field(merchants) -> None:
    _, client = merchants
    merchant = _create(client, website="https://acme.example")
    url = f"/merchants/{merchant['id']}"
    assert client.get(url).json()["website"] == "https://acme.example"
    patched = client.patch(url, json={"website": None, "address": {"line2": None}})
    assert patched.status_code == 200
    assert "website" not in patched.json()
    assert patched.json()["address"] == ADDRESS


def test_json_patch_where_its_media_type_is_declared(merchants) -> None:
    _, client = merchants
    merchant = _create(client)
    url = f"/merchants/{merchant['id']}"
    ops = [
        {"op": "replace", "path": "/address/city", "value": "York"},
        {"op": "add", "path": "/status", "value": "active"},
        {"op": "replace", "path": "/id", "value": "stolen"},  # the server owns ids
    ]
    patched = client.patch(url, content=__import__("json").dumps(ops), headers=JSON_PATCH)
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["address"] == {**ADDRESS, "city": "York"}
    assert body["status"] == "active"
    assert body["id"] == merchant["id"]
    failing = [{"op": "test", "path": "/name", "value": "Other"}, {"op": "remove", "path": "/name"}]
    refused = client.patch(url, json=failing, headers=JSON_PATCH)
    assert refused.status_code == 422
    assert "test failed" in refused.headers["x-interop-problem"]
    assert client.get(url).json() == body  # nothing applied


def test_put_replaces_and_keeps_server_fields(merchants) -> None:
    _, client = merchants
    merchant = _create(client, website="https://acme.example", status="active")
    url = f"/merchants/{merchant['id']}"
    replaced = client.put(url, json={"name": "Acme 2", "address": {**ADDRESS, "city": "Hull"}})
    assert replaced.status_code == 200
    body = replaced.json()
    assert "website" not in body and "status" not in body  # not sent again: gone
    assert body["id"] == merchant["id"] and body["createdAt"] == merchant["createdAt"]
    assert client.get(url).json() == body


def test_required_fields_the_client_cannot_send_are_filled_once_and_kept(merchants) -> None:
    _, client = merchants
    merchant = client.get("/merchants").json()["data"][0]["id"]
    created = client.post(
        f"/merchants/{merchant}/stores", json={"reference": "R", "merchantId": "x"}
    )
    store = created.json()
    assert store["status"] in ("pending", "open")  # readOnly and required: the mock fills it
    assert "description" not in store and "address" not in store
    url = f"/merchants/{merchant}/stores/{store['id']}"
    patched = client.patch(url, json={"description": "Corner shop"}).json()
    assert patched == {**store, "description": "Corner shop"}
    assert client.get(url).json() == patched
    listed = client.get(f"/merchants/{merchant}/stores").json()["data"]
    assert patched in listed


def test_every_write_leaves_the_record_valid(merchants) -> None:
    mock, client = merchants
    merchant = _create(client)
    url = f"/merchants/{merchant['id']}"
    # Valid for the update schema, but removes the address's required city: the city keeps
    # its stored value rather than the record break the contract.
    patched = client.patch(url, json={"address": {"city": None, "line1": "3 Low St"}})
    assert patched.status_code == 200
    assert patched.json()["address"] == {**ADDRESS, "line1": "3 Low St"}
    collection = mock.store.collections["/merchants"]
    for record in collection.records.values():
        for shape in collection.views:
            assert shape.is_valid(record.view(shape))
        assert collection.seed_shape is not None
        assert collection.seed_shape.is_valid(record.data)
