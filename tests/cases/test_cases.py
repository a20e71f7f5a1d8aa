"""Data-driven rule cases: every check rule has a failing and a passing consumer/provider pair.

``tests/cases/<rule>/{fail,pass}/{consumer,provider}.yaml`` + ``expected.json`` (status and the
exact findings, as rule + operation). Regenerate with ``python tests/cases/make_cases.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interop.harness.check import check_pair
from interop.harness.compat import CHECK_RULES
from interop.harness.loading import load_contract
from interop.harness.rules import RULES

HERE = Path(__file__).resolve().parent
CASES = sorted(p.parent for p in HERE.glob("*/*/expected.json"))

# Rules that cannot fire by design, with the reason (so the coverage test stays honest).
UNREACHABLE = {
    # A consumer reading a response ignores undeclared properties: responses are open.
    "response.body.additional-properties": "consumer response schemas are open",
    "response.header.additional-properties": "consumer response schemas are open",
    "response.body.max-properties": "consumer response schemas are open (counts ignored)",
    "response.header.max-properties": "consumer response schemas are open (counts ignored)",
    # readOnly only constrains requests, writeOnly only responses.
    "response.body.read-only": "readOnly properties are normal in responses",
    "response.header.read-only": "readOnly properties are normal in responses",
    "request.body.write-only": "writeOnly properties are normal in requests",
    "request.parameter.write-only": "writeOnly properties are normal in requests",
    # A discriminator needs a polymorphic object: parameters and headers are scalars in practice.
    "request.parameter.discriminator": "covered by request.body.discriminator (same code path)",
    "response.header.discriminator": "covered by response.body.discriminator (same code path)",
}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_case(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    consumer = load_contract(case / "consumer.yaml")
    provider = load_contract(case / "provider.yaml")
    pair, findings = check_pair(
        consumer, provider, programme="prog", cluster="clus", seed=0, max_examples=25
    )
    got = sorted((f.rule, f.operation or "") for f in findings)
    want = sorted((f["rule"], f["operation"] or "") for f in expected["findings"])
    assert got == want, "\n".join(f"{f.rule} {f.operation}: {f.message}" for f in findings)
    assert pair.status.value == expected["status"]
    for finding in findings:
        assert finding.message.endswith(".")
        if finding.rule.split(".")[0] in ("request", "response") and finding.counterexample:
            assert finding.evidence in ("static", "generated")


def test_every_check_rule_has_a_failing_and_a_passing_case() -> None:
    check_rules = set(CHECK_RULES)
    assert check_rules <= set(RULES)
    covered = {c.parent.name for c in CASES}
    missing = sorted(check_rules - covered - set(UNREACHABLE))
    assert not missing, f"no case for {missing}"
    for rule in covered:
        assert (HERE / rule / "fail").is_dir() and (HERE / rule / "pass").is_dir(), rule
    assert set(UNREACHABLE) <= check_rules
