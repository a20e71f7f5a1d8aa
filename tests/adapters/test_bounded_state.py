"""The mock's state stays bounded: at most ``max_records`` created records per collection, the
oldest evicted first, seeded records never; an evicted id then names nothing (404)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interop.adapters.mock import mock_for_spec
from interop.adapters.mock.state import MAX_RECORDS
from interop.harness.errors import UsageError

SPECS = Path(__file__).resolve().parents[2] / "benchmarks" / "specs"


@pytest.mark.parametrize("shape", ["int64-ids", "uuid-ids", "odata-keys"])
def test_the_cap_holds_and_evicted_ids_are_unknown(shape: str) -> None:
    mock = mock_for_spec(SPECS / f"{shape}.yaml", max_records=5)
    collection = next(iter(mock.store))
    collection.ensure_seeded(mock.store)
    seeded = {key for key, record in collection.records.items() if record.fixture}
    assert len(seeded) == 3
    list_path = collection.template
    client = mock.client(headers=mock.credentials())
    created = []
    for n in range(12):
        answer = client.post(list_path, json={"name": f"N{n}"})
        assert answer.status_code == 201
        created.append(answer.json().get("d", answer.json())["workerId"])
    assert collection.created_count == 5
    assert set(collection.records) == seeded | {str(k) for k in created[-5:]}
    item = collection.item_template
    assert item is not None and collection.id_param_name is not None

    def read(key: object) -> int:
        path = item.replace("{" + collection.id_param_name + "}", str(key))
        return client.get(path).status_code

    assert [read(k) for k in created[:7]] == [404] * 7  # evicted: unknown ids
    assert [read(k) for k in created[7:]] == [200] * 5
    assert all(read(k) == 200 for k in seeded)  # seeded records are never evicted
    assert mock.violations == []


@settings(max_examples=30, deadline=None)
@given(
    cap=st.integers(min_value=1, max_value=6),
    steps=st.lists(st.sampled_from(["create", "delete"]), min_size=1, max_size=30),
)
def test_the_cap_holds_over_any_sequence_of_creates_and_deletes(cap: int, steps: list[str]) -> None:
    mock = mock_for_spec(SPECS / "int64-ids.yaml", max_records=cap)
    collection = next(iter(mock.store))
    collection.ensure_seeded(mock.store)
    seeded = {key for key, record in collection.records.items() if record.fixture}
    kept: list[str] = []  # the model: created keys still kept, oldest first
    for step in steps:
        if step == "create":
            kept.append(collection.create({"name": "N"}, store=mock.store).key)
            kept = kept[-cap:]
        elif kept:
            assert collection.delete(kept.pop(0), store=mock.store)
        assert collection.created_count == len(kept) <= cap
        assert set(collection.records) == seeded | set(kept)


def test_max_records_is_checked_and_the_cli_default_is_the_library_default() -> None:
    with pytest.raises(UsageError, match="max_records"):
        mock_for_spec(SPECS / "int64-ids.yaml", max_records=0)
    import inspect

    from interop.harness.cli.mock import mock_serve

    defaults = {p.name: p.default for p in inspect.signature(mock_serve).parameters.values()}
    assert defaults["max_records"] == MAX_RECORDS
