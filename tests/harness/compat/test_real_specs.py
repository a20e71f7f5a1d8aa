"""Every real vendor spec checked against itself: never a crash, never an error finding.

A contract is always compatible with itself, so any error here is a false positive of the
engine; a contract that cannot be loaded is skipped (the loader's tests cover those).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interop.harness.check import check_pair
from interop.harness.errors import ContractError
from interop.harness.loading import load_contract
from interop.harness.results import Severity

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpora" / "real-specs"


def _specs() -> list[str]:
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        return []
    return [spec["file"] for spec in json.loads(manifest.read_text())["specs"]]


SPECS = _specs()


@pytest.mark.slow
@pytest.mark.parametrize("name", SPECS or ["<corpus missing>"])
def test_a_spec_is_compatible_with_itself(name: str) -> None:
    if not SPECS:
        pytest.skip(f"corpus not found at {CORPUS}")
    try:
        contract = load_contract(CORPUS / name)
    except ContractError:
        pytest.skip("does not load (covered by the loader's corpus tests)")
    _, findings = check_pair(contract, contract, programme="self", cluster="self", max_examples=10)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert not errors or all(f.rule == "contract.load-failed" for f in errors), [
        (f.rule, f.operation, f.message) for f in errors
    ]
