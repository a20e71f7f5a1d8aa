"""Single items wrapped in an envelope (Adyen's ``{"transactionRule": {...}}``, OData's
``{"d": {...}}``): the mock stores what was created and shows that inside the envelope, so a
client reads back what it created, never a record generated inside the wrapper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from interop.adapters.mock import Mock, mock_for_spec
from interop.adapters.mock.envelopes import envelope_of

from .conformance import Checker, Report
from .conftest import REAL_SPECS

BALANCE_PLATFORM = REAL_SPECS / "adyen" / "BalancePlatformService-v2.json"
ODATA = Path(__file__).resolve().parents[2] / "benchmarks" / "specs" / "odata-keys.yaml"

RULE = {
    "description": "Up to 50 EUR a day",
    "entityKey": {"entityReference": "BA3227C223222B5CTBLR8BWJB", "entityType": "balanceAccount"},
    "interval": {"type": "daily"},
    "reference": "ref-1",
    "ruleRestrictions": {
        "totalAmount": {"operation": "greaterThan", "value": {"currency": "EUR", "value": 5000}}
    },
    "type": "velocity",
}


def _checked(mock: Mock, client: httpx.Client, report: Report) -> Any:
    checker = Checker(mock)

    def send(method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = client.request(method, path, **kwargs)
        _, found = mock.match_route(response.request.url.path)
        checker.check(found[0][0][method], response, report)
        return response

    return send


@pytest.mark.skipif(not BALANCE_PLATFORM.is_file(), reason="the real-spec corpus is not here")
def test_adyen_transaction_rule_reads_back_inside_its_envelope() -> None:
    mock = mock_for_spec(BALANCE_PLATFORM)
    report = Report()
    with mock.client(headers={"X-API-Key": "test-key"}) as client:
        send = _checked(mock, client, report)
        created = send("POST", "/transactionRules", json=RULE)
        assert created.status_code == 200, created.text
        rule_id = created.json()["id"]
        read = send("GET", f"/transactionRules/{rule_id}")
        assert read.status_code == 200
        assert read.json() == {"transactionRule": created.json()}
        assert {k: read.json()["transactionRule"][k] for k in RULE} == RULE
        # An update shows through the envelope too (Adyen's PATCH body requires every field).
        patched = send("PATCH", f"/transactionRules/{rule_id}", json={**RULE, "reference": "ref-2"})
        assert patched.status_code == 200, patched.text
        again = send("GET", f"/transactionRules/{rule_id}").json()["transactionRule"]
        assert again["reference"] == "ref-2" and again["description"] == RULE["description"]
        # An unknown id is still refused, not wrapped (the operation declares no 404: the
        # closest client error it declares, docs/mock.md "Absence").
        unknown = send("GET", "/transactionRules/NOPE0000")
        assert unknown.status_code == 400 and "transactionRule" not in unknown.json()
    assert report.problems == []


def test_odata_entity_is_created_read_and_listed_as_one_record() -> None:
    mock = mock_for_spec(ODATA)
    report = Report()
    with mock.client(headers=mock.credentials()) as client:
        send = _checked(mock, client, report)
        created = send("POST", "/Workers", json={"name": "Ann", "email": "ann@example.org"})
        assert created.status_code == 201
        entity = created.json()["d"]
        assert set(created.json()) == {"d"} and entity["name"] == "Ann"
        read = send("GET", f"/Workers('{entity['workerId']}')")
        assert read.json() == {"d": entity}
        listed = send("GET", "/Workers").json()["d"]["results"]
        assert entity in listed
    assert report.problems == []


def test_envelope_rule() -> None:
    """One object property holding the identifier, required or alone, and no identifier at
    the top: an envelope. A resource with its own id, or two candidate holders: not one."""
    mock = mock_for_spec(ODATA)
    collection = mock.store.collections["/Workers"]
    read = next(op for op in mock.operations if op.kind == "read")
    reply = mock.success(read)
    assert reply is not None and reply.shape is not None
    found = envelope_of(reply.shape, "workerId")
    assert found is not None and found[0] == "d"
    assert collection.seed_shape is not None
    assert envelope_of(collection.seed_shape, "workerId") is None  # the record itself
    from interop.adapters.mock.shapes import Shape

    def shape(schema: dict[str, Any]) -> Shape:
        compiled = Shape.compile(
            {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        )
        assert compiled is not None
        return compiled

    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    alone = envelope_of(shape({"type": "object", "properties": {"rule": item}}), None)
    assert alone is not None and alone[0] == "rule"
    two = {"type": "object", "properties": {"a": item, "b": item}, "required": ["a", "b"]}
    assert envelope_of(shape(two), None) is None
    optional = {"type": "object", "properties": {"a": item, "meta": {"type": "object"}}}
    assert envelope_of(shape(optional), None) is None
    required = {**optional, "required": ["a"]}
    found = envelope_of(shape(required), None)
    assert found is not None and found[0] == "a"
    own_id = {"type": "object", "properties": {"id": {"type": "string"}, "owner": item}}
    assert envelope_of(shape(own_id), None) is None
