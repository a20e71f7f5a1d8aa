"""The dispatcher: every format renders every kind of result; unknown formats are usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interop.harness.errors import UsageError
from interop.harness.render import FORMATS, render
from interop.harness.result_file import dumps_result
from interop.harness.results import (
    ContractRef,
    Counterexample,
    Finding,
    Location,
    PairResult,
    PairStatus,
    QualityScore,
    RunInfo,
    RunResult,
    Severity,
)
from interop.harness.rules import RULES

EMPTY = RunResult(
    tool_version="0.1.0", run=RunInfo(command="interop check", seed=0, started="", duration_s=0)
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_result(fmt: str, result: RunResult, evil: RunResult) -> None:
    for subject in (result, evil, EMPTY):
        text = render(subject, fmt)
        assert text.endswith("\n")
        assert text == render(subject, fmt)  # deterministic


def test_json_is_the_stored_document(result: RunResult) -> None:
    assert render(result, "json") == dumps_result(result)


def test_unknown_format() -> None:
    with pytest.raises(UsageError, match="unknown format 'pdf' \\(choose from text, json"):
        render(EMPTY, "pdf")


# --- any result renders in every format, and the structured ones stay valid ----------------

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from("<>&\"'[]|*`@\x1b\x00"),
    max_size=15,
)
names = st.sampled_from(["ats", "payroll", "<i>x</i>", "[red]r"]) | texts
locations = st.builds(Location, file=texts, pointer=texts, line=st.none() | st.integers(1, 99))
findings = st.builds(
    Finding,
    severity=st.sampled_from(list(Severity)),
    rule=st.sampled_from(sorted(RULES)),
    message=texts,
    programme=st.none() | names,
    cluster=st.none() | names,
    operation=st.none() | texts,
    consumer_location=st.none() | locations,
    provider_location=st.none() | locations,
    counterexample=st.none()
    | st.builds(Counterexample, where=texts, value=st.none() | texts | st.lists(st.integers())),
    reproduction=st.none() | texts,
)
refs = st.builds(ContractRef, file=texts, version=texts, sha256=texts)
pairs = st.lists(
    st.builds(
        PairResult,
        programme=names,
        cluster=names,
        consumer=refs,
        provider=refs,
        status=st.sampled_from(list(PairStatus)),
        operations=st.lists(texts, max_size=3).map(tuple),
    ),
    max_size=5,
    unique_by=lambda p: (p.programme, p.cluster),
)
results = st.builds(
    RunResult,
    tool_version=texts,
    run=st.builds(
        RunInfo, command=texts, seed=st.integers(0, 10), started=texts, duration_s=st.floats(0, 1e4)
    ),
    pairs=pairs.map(tuple),
    findings=st.lists(findings, max_size=6).map(tuple),
    quality=st.lists(
        st.builds(QualityScore, subject=texts, kind=texts, file=texts, score=st.integers(0, 100)),
        max_size=2,
    ).map(tuple),
)
JUNIT = xmlschema.XMLSchema10(Path(__file__).parents[2] / "schemas" / "junit-10.xsd")
SARIF = jsonschema.Draft4Validator(
    json.loads(
        (Path(__file__).parents[2] / "schemas" / "sarif-schema-2.1.0.json").read_text(
            encoding="utf-8"
        )
    )
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(results)
def test_any_result_renders_and_structured_formats_stay_valid(result: RunResult) -> None:
    for fmt in FORMATS:
        assert render(result, fmt)
    JUNIT.validate(render(result, "junit"))
    SARIF.validate(json.loads(render(result, "sarif")))
    page = render(result, "html")
    assert page.count("<script") == 2
    assert "<i>" not in page
