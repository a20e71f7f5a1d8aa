"""The 38 real vendor specs (and the version series) load and validate without raising;
multi-file HMRC specs resolve relative $refs against the referencing file at every depth."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from interop.harness.errors import ContractSyntaxError
from interop.harness.loading import load_contract
from interop.harness.results import Severity
from interop.harness.validation import validate_contract

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "real-specs"


def _manifest() -> dict[str, Any]:
    path = CORPUS / "manifest.json"
    return json.loads(path.read_text()) if path.is_file() else {"specs": [], "version_series": []}


MANIFEST = _manifest()
SPECS = [spec["file"] for spec in MANIFEST["specs"]]
SERIES = [v["file"] for s in MANIFEST["version_series"] for v in s["versions"]]
# Its def4 schemas are handlebars templates (`{{#if (enabled ...)}}`), not JSON: no loader
# can read them, and saying so at the template line is the right answer.
TEMPLATED = "hmrc/individual-calculations-api/8.0/application.yaml"

pytestmark = pytest.mark.skipif(not SPECS, reason=f"corpus not found at {CORPUS}")


def _param(name: str) -> Any:
    path = CORPUS / name
    big = path.is_file() and path.stat().st_size > 500_000
    return pytest.param(name, marks=[pytest.mark.slow] if big else [])


@pytest.mark.parametrize("name", [_param(n) for n in SPECS + SERIES])
def test_real_spec_loads_and_validates(name: str) -> None:
    spec = next((s for s in MANIFEST["specs"] if s["file"] == name), None)
    if name == TEMPLATED:
        with pytest.raises(ContractSyntaxError) as info:
            load_contract(CORPUS / name, display=name)
        assert info.value.file.endswith("def4/calculation/taxCalculation.json")
        assert info.value.line == 241
        assert "referenced from" in info.value.problem
        return
    contract = load_contract(CORPUS / name, display=name)
    findings = validate_contract(contract)
    assert all(f.provider_location is not None for f in findings)
    if spec is not None:
        expected_format = spec["format"].split()[1]
        assert contract.source_format == (
            "2.0" if expected_format == "2.0" else expected_format[:3]
        )
        assert len(list(contract.operations())) == spec["operations"]
        if (
            spec.get("observed_openapi_spec_validator") == "valid"
            and spec["format"] != "swagger 2.0"
        ):
            structure = [f for f in findings if f.rule == "lint.openapi-structure"]
            assert not structure, [f.message for f in structure]


@pytest.mark.slow
def test_known_defects_are_found() -> None:
    """What openapi-spec-validator reported on these specs, we report too, with a line."""
    cases = {
        "xero/xero_accounting.yaml": ("lint.default-invalid", '"false"'),
        "ballerina-connectors/reckon.one.yaml": ("lint.default-invalid", "null"),
        "hmrc/vat-api/1.0/application.yaml": ("lint.openapi-structure", "securitySchemes"),
    }
    for name, (rule_id, text) in cases.items():
        findings = validate_contract(load_contract(CORPUS / name, display=name))
        hits = [
            f
            for f in findings
            if f.rule == rule_id
            and text in (f.message + str(f.provider_location))
            and f.severity is Severity.ERROR
        ]
        assert hits, name
        location = hits[0].provider_location
        assert location is not None and location.line


def test_hmrc_multi_file_resolves_at_every_depth(tmp_path: Path) -> None:
    """Strip the handlebars lines from a copy: then all ~170 files load, including
    ``calculation/...`` refs made from ``schemas/retrieve/defN/calculation.json``, which
    openapi-spec-validator resolves against the wrong base."""
    source = CORPUS / "hmrc/individual-calculations-api/8.0"
    copy = tmp_path / "api"
    shutil.copytree(source, copy)
    for file in copy.rglob("*.json"):
        text = file.read_text()
        if "{{" not in text:
            continue
        kept: list[str] = []
        in_else = False
        for line in text.splitlines():
            stripped = line.strip()
            if re.fullmatch(r"\{\{#(if|unless).*\}\}", stripped):
                continue
            if stripped == "{{else}}":
                in_else = True
                continue
            if re.fullmatch(r"\{\{/(if|unless)\}\}", stripped):
                in_else = False
                continue
            if not in_else:
                kept.append(line)
        file.write_text("\n".join(kept) + "\n")
    contract = load_contract(copy / "application.yaml", display="application.yaml")
    assert len(contract.files) > 100
    assert any(
        f.endswith("def4/calculation/employmentAndPensionsIncome.json") for f in contract.files
    )
    findings = validate_contract(contract)
    assert not [
        f for f in findings if f.rule in ("lint.ref-unresolvable", "lint.openapi-structure")
    ]
    # Its examples are real defects (amounts given as strings): found in the right file.
    bad = [f for f in findings if f.rule == "lint.example-invalid"]
    files = {"application.yaml", *contract.files}
    assert bad and all(f.provider_location and f.provider_location.file in files for f in bad)
    assert any(f.provider_location and f.provider_location.file.endswith(".json") for f in bad)


def test_hmrc_operation_refs_are_tolerated() -> None:
    name = "hmrc/individuals-employments-income-api/2.0/application.yaml"
    contract = load_contract(CORPUS / name, display=name)
    assert any("operation is a $ref" in message for _, message in contract.warnings)
    rules = {f.rule for f in validate_contract(contract)}
    assert "lint.path-parameter-undeclared" not in rules
