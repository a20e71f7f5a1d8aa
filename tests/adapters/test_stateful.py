"""Random sequences of create, read, update, replace, delete and list against the mock of
several contracts (hypothesis ``RuleBasedStateMachine``): every response validates against the
contract, every stored record still validates after every operation, created records can be
read until deleted and not after, and unknown ids are refused without inventing anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from interop.adapters.mock import Mock, mock_for_cluster, mock_for_spec
from interop.adapters.mock.generate import instance_for
from interop.adapters.mock.paging import paging_role
from interop.adapters.mock.state import Collection
from interop.harness.errors import ContractError

from .conformance import Checker, Report, credentials
from .conftest import REAL_SPECS

DATA = Path(__file__).parent / "data"

SPECS: dict[str, Callable[[], Mock]] = {
    "merchants": lambda: mock_for_spec(DATA / "merchants.yaml"),
    "crud": lambda: mock_for_spec(DATA / "crud.yaml"),
    "synergy": lambda: mock_for_cluster("synergy", quirks=False),
    "matrix": lambda: mock_for_cluster("matrix", quirks=False),
    "adyen-legal-entity": lambda: mock_for_spec(REAL_SPECS / "adyen/LegalEntityService-v3.json"),
    "adyen-balance-platform": lambda: mock_for_spec(
        REAL_SPECS / "adyen/BalancePlatformService-v2.json"
    ),
    "govuk-pay": lambda: mock_for_spec(REAL_SPECS / "govuk-pay/publicapi_spec.json"),
}
_REAL = {"adyen-legal-entity", "adyen-balance-platform", "govuk-pay"}
Item = tuple[str, str]  # (collection template, record key)


def _value(shape: Any, seed: int) -> Any:
    if shape is None:
        return None
    ok, value = instance_for(shape.schema, shape.is_valid, seed=seed)
    return value if ok else None


def _json_body(operation: Any, seed: int) -> Any:
    if operation.body is None:
        return None
    for media, shape in operation.body.media:
        if "json" in media and "patch" not in media and shape is not None:
            return _value(shape, seed)
    return None


def machine_for(mock: Mock, *, totals: bool = True) -> type[RuleBasedStateMachine]:
    """A state machine over every collection of ``mock`` that can be created into; ``totals``:
    check list totals (contracts whose lists apply no filter unless asked)."""
    ops: dict[str, dict[str, Any]] = {}
    for operation in mock.operations:
        if operation.collection is not None:
            ops.setdefault(operation.collection.template, {})[operation.kind] = operation
    creatable = sorted(
        t for t, kinds in ops.items() if "create" in kinds and _json_body(kinds["create"], 1)
    )
    listable = sorted(t for t, kinds in ops.items() if "list" in kinds)

    class MockMachine(RuleBasedStateMachine):
        items = Bundle("items")

        def __init__(self) -> None:
            super().__init__()
            mock.reset()
            self.client = httpx.Client(transport=mock.transport(), base_url=mock.base_url)
            self.checker = Checker(mock)
            self.report = Report()
            self.places: dict[Item, dict[str, str]] = {}
            """Where each record this run created lives: its path values."""
            self.deleted: set[Item] = set()
            self.sent: dict[str, str] = {}
            """The path values of the last request."""

        def teardown(self) -> None:
            self.client.close()

        # -- helpers --------------------------------------------------------------------------
        def send(self, operation: Any, values: dict[str, str], **kwargs: Any) -> httpx.Response:
            path = operation.template.split("?", 1)[0]
            self.sent = {}
            for param in operation.params:
                if param.location != "path":
                    continue
                value = values.get(param.name)
                if value is None:
                    value = str(_value(param.shape, 0) or "x")
                self.sent[param.name] = value
                path = path.replace("{" + param.name + "}", value)
            headers, query = credentials(mock, operation)
            for param in operation.params:
                if param.location not in ("query", "header") or not param.required:
                    continue
                value = _value(param.shape, 0)
                if value is None or param.name == "if-match":
                    continue
                text = value if isinstance(value, str) else json.dumps(value)
                if param.location == "query":
                    query.append((param.name, text))
                else:
                    headers[param.name] = text
            headers.update(kwargs.pop("headers", {}))
            response = self.client.request(
                operation.method, path, params=query, headers=headers, **kwargs
            )
            self.checker.check(operation, response, self.report)
            assert self.report.problems == [], self.report.problems
            return response

        def parent_values(self, collection: Collection) -> dict[str, str] | None:
            parent = collection.parent
            if parent is None or collection.parent_param is None:
                return {}
            parent.ensure_seeded(mock.store)
            names = dict(zip(parent.params, collection.params, strict=False))
            for key, record in parent.records.items():
                owner = {names.get(k, k): v for k, v in record.owner.items()}
                return {**owner, collection.parent_param: key}
            return None

        def record(self, item: Item) -> Any:
            template, key = item
            return mock.store.collections[template].records.get(key)

        def etag(self, operation: Any, item: Item) -> dict[str, str]:
            declared = any(p.name == "if-match" for p in operation.params)
            record = self.record(item)
            return {"If-Match": record.etag} if declared and record is not None else {}

        # -- rules ----------------------------------------------------------------------------
        @rule(target=items, which=st.integers(0, 99), seed=st.integers(0, 999))
        def create(self, which: int, seed: int) -> Any:
            if not creatable:
                return multiple()
            template = creatable[which % len(creatable)]
            collection = mock.store.collections[template]
            values = self.parent_values(collection)
            if values is None:
                return multiple()
            collection.ensure_seeded(mock.store)
            before = set(collection.records)
            operation = ops[template]["create"]
            response = self.send(operation, values, json=_json_body(operation, seed))
            assert response.status_code < 300, response.text
            new = [k for k in collection.records if k not in before]
            assert len(new) == 1  # one record, no more
            item = (template, new[0])
            self.places[item] = {**values, **collection.records[new[0]].owner}
            return item

        @rule(item=items)
        def read(self, item: Item) -> None:
            operation = ops[item[0]].get("read")
            if operation is None:
                return
            values = {**self.places[item], operation.id_param: item[1]}
            response = self.send(operation, values)
            if item in self.deleted:
                assert 400 <= response.status_code < 500
            else:
                assert response.status_code == 200, response.text

        @rule(item=items, seed=st.integers(0, 999))
        def update(self, item: Item, seed: int) -> None:
            for kind in ("update", "replace"):
                operation = ops[item[0]].get(kind)
                if operation is None or item in self.deleted:
                    continue
                body = _json_body(operation, seed)
                if body is None:
                    continue
                values = {**self.places[item], operation.id_param: item[1]}
                response = self.send(
                    operation, values, json=body, headers=self.etag(operation, item)
                )
                assert response.status_code < 300, response.text

        @rule(item=consumes(items))
        def delete(self, item: Item) -> None:
            operation = ops[item[0]].get("delete")
            if operation is None:
                return
            values = {**self.places[item], operation.id_param: item[1]}
            response = self.send(operation, values, headers=self.etag(operation, item))
            assert response.status_code < 300, response.text
            assert self.record(item) is None
            self.deleted.add(item)
            again = self.send(operation, values)
            assert 400 <= again.status_code < 500

        @rule(which=st.integers(0, 99))
        def list(self, which: int) -> None:
            if not listable:
                return
            template = listable[which % len(listable)]
            collection = mock.store.collections[template]
            values = self.parent_values(collection)
            if values is None:
                return
            operation = ops[template]["list"]
            response = self.send(operation, values)
            assert response.status_code == 200, response.text
            reply = mock.success(operation)
            if not totals or reply is None or reply.list_shape is None:
                return
            if any(p.required and p.location == "query" for p in operation.params):
                return  # a required filter: not every record is listed
            # Totals add up: every total-like field counts the records under these path values.
            container = response.json()
            for key in reply.list_shape.path[:-1]:
                container = container.get(key, {})
            expected = len(collection.all(self.sent))
            style = reply.list_shape.style
            for name, value in container.items():
                role = paging_role(name, hints=reply.paging_hints, style=style, siblings=container)
                if role == "total":
                    assert int(value) == expected, (template, name, value, expected)

        @rule(which=st.integers(0, 99), junk=st.text("abcXYZ019", min_size=1, max_size=12))
        def read_unknown(self, which: int, junk: str) -> None:
            readable = sorted(t for t, kinds in ops.items() if "read" in kinds)
            if not readable:
                return
            template = readable[which % len(readable)]
            collection = mock.store.collections[template]
            collection.ensure_seeded(mock.store)
            values = self.parent_values(collection)
            key = "zz" + junk
            if values is None or key in collection.records:
                return
            before = len(collection.records)
            operation = ops[template]["read"]
            response = self.send(operation, {**values, operation.id_param: key})
            assert 400 <= response.status_code < 500
            assert len(collection.records) == before

        # -- invariants ----------------------------------------------------------------------
        @invariant()
        def records_validate(self) -> None:
            for collection in mock.store:
                primary = collection.seed_shape
                for key, record in collection.records.items():
                    for shape in collection.views:
                        view = record.view(shape)
                        assert view is not None and shape.is_valid(view), (collection.template, key)
                    if (collection.template, key) in self.places and primary is not None:
                        # What the mock stores is itself a valid record, not only its views.
                        problem = primary.validator.first_problem(record.data)
                        assert problem is None, (collection.template, key, str(problem))

    return MockMachine


@pytest.mark.parametrize("name", sorted(SPECS))
def test_random_operation_sequences_keep_every_record_valid(name: str) -> None:
    if name in _REAL and not REAL_SPECS.is_dir():
        pytest.skip(f"real-spec corpus not found at {REAL_SPECS}")
    try:
        mock = SPECS[name]()
    except (ContractError, FileNotFoundError) as exc:
        pytest.skip(f"does not load: {exc}")
    run_state_machine_as_test(
        machine_for(mock, totals=name not in _REAL),
        settings=settings(max_examples=15, stateful_step_count=20, deadline=None),
    )
