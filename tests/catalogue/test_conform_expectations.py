"""``interop conform`` over the whole bundled catalogue agrees with its intended verdicts.

- every behavioural incompatibility (``evidence: live``) is found by conform, for the
  documented rule at the documented operation, from live traffic (and ``check`` alone finds
  nothing there: tests/catalogue/test_expectations.py);
- every pair meant to be compatible stays compatible when its traffic really reaches the
  cluster's mock: live traffic raises no false alarm;
- every pair meant to be incompatible is still judged incompatible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.catalogue import load_catalogue
from interop.harness.conform import ConformOptions, conform
from interop.harness.results import RunResult, Severity

CATALOGUE = Path(__file__).resolve().parents[2] / "contracts"
EXPECTATIONS: list[dict[str, Any]] = yaml.safe_load(
    (CATALOGUE / "expectations.yaml").read_text(encoding="utf-8")
)
LIVE = [e for e in EXPECTATIONS if e.get("evidence") == "live"]
# conform sends a programme's REST requests; its event and file interfaces are not traffic.
REST = [e for e in EXPECTATIONS if e.get("interface", "rest") == "rest"]
OPTIONS = ConformOptions(max_examples=10, seed=0)


def _id(entry: dict[str, Any]) -> str:
    return f"{entry['programme']}-{entry['cluster']}"


@pytest.fixture(scope="module")
def result() -> RunResult:
    return conform(load_catalogue(CATALOGUE), options=OPTIONS, jobs=2)


def test_the_catalogue_documents_at_least_three_behavioural_incompatibilities() -> None:
    assert len(LIVE) >= 3
    assert len({e["rule"] for e in LIVE}) >= 3


@pytest.mark.parametrize("entry", LIVE, ids=_id)
def test_conform_finds_each_behavioural_incompatibility(
    result: RunResult, entry: dict[str, Any]
) -> None:
    found = [
        f
        for f in result.findings_for(entry["programme"], entry["cluster"])
        if f.severity is Severity.ERROR and f.evidence == "live"
    ]
    assert (entry["rule"], entry["operation"]) in {(f.rule, f.operation) for f in found}
    static_errors = [
        f
        for f in result.findings_for(entry["programme"], entry["cluster"])
        if f.severity is Severity.ERROR and f.evidence == "static"
    ]
    assert static_errors == []


@pytest.mark.parametrize("entry", REST, ids=_id)
def test_every_verdict_holds_with_live_evidence(result: RunResult, entry: dict[str, Any]) -> None:
    pair = next(
        p
        for p in result.pairs
        if (p.programme, p.cluster) == (entry["programme"], entry["cluster"])
    )
    assert pair.evidence == ("static", "live")
    live_errors = [
        f"{f.rule} {f.operation}: {f.message}"
        for f in result.findings_for(pair.programme, pair.cluster)
        if f.severity is Severity.ERROR and f.evidence == "live"
    ]
    if entry["verdict"] == "compatible":
        assert pair.status.value == "compatible", live_errors
    else:
        assert pair.status.value == "incompatible"
