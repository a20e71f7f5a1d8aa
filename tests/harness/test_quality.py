"""The data-quality score: bounded, monotone in completeness, with an honest breakdown."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from interop.harness.catalogue import ProgrammeMeta
from interop.harness.loading import load_document
from interop.harness.quality import (
    read_precision,
    score_consumer,
    score_failed,
    score_programme,
    score_provider,
)
from interop.harness.results import QualityScore


def _operation(index: int, *, complete: bool) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"id": {"type": "string"}, "name": {}},
                        }
                    }
                },
            }
        }
    }
    if complete:
        operation["operationId"] = f"op{index}"
        operation["summary"] = "does a thing"
        operation["responses"]["404"] = {"description": "not found"}
        media = operation["responses"]["200"]["content"]["application/json"]
        media["example"] = {"id": "x"}
        media["schema"]["required"] = ["id"]
        media["schema"]["properties"]["name"] = {"type": "string"}
        operation["security"] = [{"basic": []}]
    return operation


def _document(flags: list[bool], *, info: bool = True) -> dict[str, Any]:
    extra = {"description": "d", "contact": {"name": "x"}} if info else {}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1", **extra},
        "servers": [{"url": "https://x"}] if info else [],
        "paths": {f"/p{i}": {"get": _operation(i, complete=c)} for i, c in enumerate(flags)},
        "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}},
    }


def _check_shape(score: QualityScore) -> None:
    assert 0 <= score.score <= 100
    assert score.score == sum(earned for _, earned, _ in score.breakdown)
    assert sum(possible for _, _, possible in score.breakdown) == 100
    assert all(0 <= earned <= possible for _, earned, possible in score.breakdown)


def test_complete_and_bare_providers() -> None:
    full = score_provider(load_document(_document([True, True])), subject="full")
    bare = score_provider(load_document(_document([False, False], info=False)), subject="bare")
    _check_shape(full)
    _check_shape(bare)
    assert full.score == 100
    assert bare.score < 25
    assert {c: e for c, e, _ in bare.breakdown}["operation ids"] == 0


@settings(max_examples=40)
@given(st.lists(st.booleans(), min_size=1, max_size=6), st.integers(0, 5))
def test_completing_an_operation_never_lowers_the_score(flags: list[bool], index: int) -> None:
    index %= len(flags)
    before = score_consumer(load_document(_document(flags)), subject="c", has_metadata=True)
    better = copy.copy(flags)
    better[index] = True
    after = score_consumer(load_document(_document(better)), subject="c", has_metadata=True)
    _check_shape(before)
    _check_shape(after)
    assert after.score >= before.score


def test_read_precision_counts_required_and_types() -> None:
    precision = read_precision(load_document(_document([False, True])))
    assert precision.with_schema == 1.0
    assert precision.required == 0.5  # one of the two response objects lists `required`
    assert precision.typed == 0.75  # `name` is untyped in one of them


def test_consumer_metadata_matters() -> None:
    contract = load_document(_document([True]))
    with_meta = score_consumer(contract, subject="c", has_metadata=True)
    without = score_consumer(contract, subject="c", has_metadata=False)
    assert with_meta.score - without.score == 7  # half of the 15 metadata points


def test_programme_score() -> None:
    meta = ProgrammeMeta(
        name="Payroll",
        department="HMRC",
        description="Pays people on time, every month, from the payroll cluster.",
        criticality="high",
        go_live=dt.date(2027, 4, 1),
        contact="team@example.gov.uk",
        integrations={"unity": "unity.yaml"},
    )
    consumers = [QualityScore(subject="a", kind="consumer", file="a", score=80)] * 2
    score = score_programme("payroll", meta, file="programme.yaml", consumer_scores=consumers)
    _check_shape(score)
    assert score.score == 50 + 40
    sparse = meta.model_copy(update={"go_live": None, "contact": None, "integrations": {}})
    assert score_programme("p", sparse, file="f", consumer_scores=[]).score == 25


def test_failed_contract_scores_zero() -> None:
    score = score_failed("x", "provider", "x.yaml")
    _check_shape(score)
    assert score.score == 0
