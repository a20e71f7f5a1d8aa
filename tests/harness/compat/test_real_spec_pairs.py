"""The real-spec pair suite: consumer contracts written against real vendor specs.

``real_spec_pairs/pairs.yaml`` lists each consumer (in ``real_spec_pairs/``), the real provider
spec it was written against (in ``../shared/corpora/real-specs/``), and its label: compatible
(no error finding: a false alarm fails the test) or incompatible with one realistic defect,
which must be found as that rule at that operation, and nothing else at error severity. A
schema defect must come with a counterexample that the producing side's schema accepts and the
accepting side's rejects. Some consumers declare no servers, some the provider's, one a gateway
of its own (then the one warning is ``operation.base-path``). Skipped when the corpus is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.check import check_pair
from interop.harness.compat import STRUCTURAL_RULES
from interop.harness.loading import load_contract
from interop.harness.results import Severity

HERE = Path(__file__).resolve().parent / "real_spec_pairs"
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpora" / "real-specs"
PAIRS: list[dict[str, Any]] = yaml.safe_load((HERE / "pairs.yaml").read_text(encoding="utf-8"))


def test_the_suite_is_large_and_balanced() -> None:
    verdicts = [pair["verdict"] for pair in PAIRS]
    assert len(PAIRS) >= 20
    assert abs(verdicts.count("compatible") - verdicts.count("incompatible")) <= 2
    files = {path.name for path in HERE.glob("*.yaml")} - {"pairs.yaml"}
    assert files == {pair["consumer"] for pair in PAIRS}
    documents = [yaml.safe_load((HERE / pair["consumer"]).read_text()) for pair in PAIRS]
    assert any("servers" not in doc for doc in documents)
    assert any("servers" in doc for doc in documents)


@pytest.mark.parametrize(
    "pair", PAIRS, ids=[pair["consumer"].removesuffix(".yaml") for pair in PAIRS]
)
def test_real_spec_pair(pair: dict[str, Any]) -> None:
    provider_file = CORPUS / pair["provider"]
    if not provider_file.is_file():
        pytest.skip(f"real-spec corpus not found at {CORPUS}")
    consumer = load_contract(HERE / pair["consumer"])
    provider = load_contract(provider_file)
    result, findings = check_pair(
        consumer, provider, programme="programme", cluster="vendor", seed=0, max_examples=25
    )
    errors = [(f.rule, f.operation) for f in findings if f.severity is Severity.ERROR]
    shown = "\n".join(f"{f.severity} {f.rule} {f.operation}: {f.message}" for f in findings)
    assert not any(f.rule == "operation.missing" for f in findings), shown
    assert result.status.value == pair["verdict"], shown
    if pair["verdict"] == "compatible":
        assert errors == [], shown
    else:
        assert errors == [(pair["rule"], pair["operation"])], shown
        (finding,) = (f for f in findings if f.severity is Severity.ERROR)
        if pair["rule"] not in STRUCTURAL_RULES and not pair["rule"].startswith("security."):
            assert finding.counterexample is not None, shown
    warnings = sorted(f.rule for f in findings if f.rule == "operation.base-path")
    assert warnings == sorted(pair.get("warnings", [])), shown
