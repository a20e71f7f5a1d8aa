"""A conformed pair's status: the worse of its static judgement and its live traffic."""

from __future__ import annotations

from interop.harness.conform.run import conformed_status
from interop.harness.results import ContractRef, Finding, PairResult, PairStatus, Severity


def _pair(status: PairStatus) -> PairResult:
    ref = ContractRef(file="c.yaml", version="1", sha256="0" * 64)
    return PairResult(programme="p", cluster="c", consumer=ref, provider=ref, status=status)


def _finding(severity: Severity, rule: str, evidence: str = "static") -> Finding:
    return Finding(severity=severity, rule=rule, message="m", evidence=evidence)


def test_undecided_statically_stays_undecided_whatever_the_traffic() -> None:
    undecided = _finding(Severity.WARNING, "schema.undecided")
    assert conformed_status(_pair(PairStatus.UNDECIDED), [undecided]) is PairStatus.UNDECIDED


def test_a_live_error_makes_an_undecided_pair_incompatible() -> None:
    findings = [
        _finding(Severity.WARNING, "schema.undecided"),
        _finding(Severity.ERROR, "conform.request.rejected", evidence="live"),
    ]
    assert conformed_status(_pair(PairStatus.UNDECIDED), findings) is PairStatus.INCOMPATIBLE


def test_a_static_error_stays_an_error() -> None:
    assert conformed_status(_pair(PairStatus.ERROR), []) is PairStatus.ERROR


def test_no_findings_is_compatible() -> None:
    assert conformed_status(_pair(PairStatus.COMPATIBLE), []) is PairStatus.COMPATIBLE
    assert conformed_status(None, []) is PairStatus.COMPATIBLE
