"""The one encoding of run results: every record round-trips, and bad data is one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interop.harness import codec
from interop.harness.errors import ResultFileError
from interop.harness.policy import DEFAULT_POLICY, Policy
from interop.harness.results import (
    ContractRef,
    Counterexample,
    Finding,
    Location,
    PairResult,
    QualityScore,
    RunInfo,
    RunResult,
)

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _through_json(data: Any) -> Any:
    """What a reader sees of ``data`` after it was written as JSON text."""
    return json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))


# The records' strategies are registered by type in tests/harness/conftest.py.
@PROPERTY
@given(st.from_type(RunResult))
def test_a_run_result_round_trips_through_the_codec(result: RunResult) -> None:
    data = codec.result_to_dict(result)
    assert codec.result_from_dict(data) == result
    assert codec.result_from_dict(_through_json(data)) == result


RECORDS: list[tuple[type, Callable[[Any], Any], Callable[..., Any]]] = [
    (Location, codec.location_to_dict, codec.location_from_dict),
    (Counterexample, codec.counterexample_to_dict, codec.counterexample_from_dict),
    (ContractRef, codec.contract_to_dict, codec.contract_from_dict),
    (Finding, codec.finding_to_dict, codec.finding_from_dict),
    (PairResult, codec.pair_to_dict, codec.pair_from_dict),
    (QualityScore, codec.quality_to_dict, codec.quality_from_dict),
    (Policy, codec.policy_to_dict, codec.policy_from_dict),
]


@pytest.mark.parametrize(
    ("record", "encode", "decode"), RECORDS, ids=[r[0].__name__ for r in RECORDS]
)
@PROPERTY
@given(data=st.data())
def test_each_record_round_trips(
    record: type, encode: Callable[[Any], Any], decode: Callable[..., Any], data: st.DataObject
) -> None:
    value = data.draw(st.from_type(record))
    assert decode(_through_json(encode(value))) == value


@pytest.mark.parametrize(
    ("policy", "data"),
    [
        (DEFAULT_POLICY, {"unhandled_error_statuses": "warn"}),
        (Policy(unhandled_error_statuses="ignore"), {"unhandled_error_statuses": "ignore"}),
        (
            Policy(unhandled_error_statuses=("5xx", "409", "404")),
            {"unhandled_error_statuses": ["404", "409", "5XX"]},
        ),
    ],
    ids=["warn", "ignore", "listed"],
)
def test_a_run_writes_the_policy_it_applied(policy: Policy, data: dict[str, Any]) -> None:
    result = RunResult(
        tool_version="0.1.0",
        run=RunInfo(command="interop check", seed=0, started="", duration_s=0, policy=policy),
    )
    encoded = codec.result_to_dict(result)
    assert encoded["run"]["policy"] == data
    assert codec.result_from_dict(_through_json(encoded)).run.policy == policy


def test_a_run_without_a_policy_has_no_policy_key() -> None:
    """verify and lint judge nothing with a policy; files written before it read the same."""
    run = RunInfo(command="interop verify", seed=0, started="", duration_s=0)
    assert "policy" not in codec.run_info_to_dict(run)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ({"unhandled_error_statuses": "sometimes"}, "must be warn, ignore or a list"),
        ({"unhandled_error_statuses": ["404", "200"]}, "200: not a non-2xx status"),
        ({"unhandled_error_statuses": ["4xx"]}, "4xx: not a non-2xx status"),
        ({"unhandled_error_statuses": ["404", "404"]}, "must not repeat"),
        ({"unhandled-error-statuses": "warn"}, r"Field required \(and 1 more problem\)"),
        ({}, r"run\.policy\.unhandled_error_statuses: Field required"),
    ],
)
def test_a_bad_policy_is_one_line_naming_the_field(policy: object, message: str) -> None:
    data = codec.result_to_dict(
        RunResult(
            tool_version="0.1.0",
            run=RunInfo(command="interop check", seed=0, started="", duration_s=0),
        )
    )
    data["run"]["policy"] = policy
    with pytest.raises(ResultFileError, match=message) as caught:
        codec.result_from_dict(data, source="r.json")
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("r.json: not an interop result: run.policy")


def test_absent_optional_records_are_null() -> None:
    assert codec.location_to_dict(None) is None
    assert codec.location_from_dict(None) is None
    assert codec.counterexample_to_dict(None) is None
    assert codec.counterexample_from_dict(None) is None


def test_a_counterexample_writes_its_optional_detail_only_when_present() -> None:
    bare = Counterexample(where="body", value={"givenName": "a" * 41})
    assert codec.counterexample_to_dict(bare) == {"in": "body", "value": {"givenName": "a" * 41}}
    full = Counterexample(where="header", value="x", name="X-Id", status="200")
    assert codec.counterexample_to_dict(full) == {
        "in": "header",
        "value": "x",
        "name": "X-Id",
        "status": "200",
    }


@pytest.mark.parametrize(
    ("decode", "data", "problem"),
    [
        (
            codec.finding_from_dict,
            {"severity": "error", "message": "m"},
            "entry.json: not an interop result: rule: Field required",
        ),
        (
            codec.pair_from_dict,
            {
                "programme": "ats",
                "cluster": "unity",
                "consumer": {"file": "c", "version": "1", "sha256": "s"},
                "provider": {"file": "p", "version": "1"},
                "status": "compatible",
            },
            "entry.json: not an interop result: provider.sha256: Field required",
        ),
        (
            codec.location_from_dict,
            {"file": "a.yaml", "pointer": "/x", "line": "12"},
            "entry.json: not an interop result: line: Input should be a valid integer",
        ),
        (
            codec.counterexample_from_dict,
            {"where": "body", "value": 1},
            "entry.json: not an interop result: in: Field required (and 1 more problem)",
        ),
    ],
)
def test_bad_data_is_one_line_naming_the_source_and_the_field(
    decode: Callable[..., Any], data: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ResultFileError) as info:
        decode(data, source="entry.json")
    assert str(info.value) == problem
