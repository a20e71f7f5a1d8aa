"""Every one of the 402 hostile-spec files either loads (and validates without raising) or
fails with one clean ``ContractError`` line; files the manifest calls valid load clean."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import respx

from interop.harness.errors import (
    ContractError,
    ContractSyntaxError,
    InvalidContract,
    UnresolvableRef,
)
from interop.harness.loading import load_contract
from interop.harness.results import Severity
from interop.harness.validation import validate_contract

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "hostile-specs"


def _entries() -> list[dict[str, Any]]:
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        return []
    files: list[dict[str, Any]] = json.loads(manifest.read_text())["files"]
    return files


ENTRIES = _entries()

# Where our verdict differs from the source project's, deliberately (docs/lint.md says why).
DISAGREEMENTS = {
    # A $ref to itself denotes no schema at all; swagger-parser keeps it as a circular object.
    "swagger-parser/circular/circular.yaml": "cyclic-ref-error",
    # (?!foo) is valid ECMA-262 (the dialect OpenAPI names); oasdiff's Go RE2 lacks lookahead.
    "oasdiff-validate/schema-pattern-regex-invalid.yaml": "valid",
    # prance's strict mode rejects the YAML integer key 200; we read keys as text, as JSON does.
    "prance/issue_83/bad_spec.yml": "valid",
    # `required` naming an undeclared property is legal JSON Schema; with additionalProperties
    # open it is a warning (lint.required-unknown), an error only when no object could match.
    **{
        f"swagger-parser/validate-spec/invalid/required-property-not-defined-{kind}.yaml": "warning"
        for kind in ("definitions", "input")
    },
}


def _verdict(entry: dict[str, Any]) -> str | None:
    expectation = entry.get("source_expectation") or {}
    verdict = expectation.get("verdict")
    return str(verdict) if verdict else None


pytestmark = pytest.mark.skipif(not ENTRIES, reason=f"corpus not found at {CORPUS}")


def _param(entry: dict[str, Any]) -> Any:
    marks = [pytest.mark.slow] if "large" in entry["edge_cases"] else []
    return pytest.param(entry, marks=marks, id=entry["file"])


@pytest.mark.parametrize("entry", [_param(e) for e in ENTRIES])
def test_each_file_loads_or_fails_cleanly(entry: dict[str, Any]) -> None:
    name = entry["file"]
    start = time.perf_counter()
    # Nothing may touch the network: respx fails any request that is not mocked.
    with respx.mock(assert_all_mocked=True, assert_all_called=False):
        try:
            contract = load_contract(CORPUS / name, display=name)
        except ContractError as exc:
            error: ContractError | None = exc
            findings = []
        else:
            error = None
            findings = validate_contract(contract)
    assert time.perf_counter() - start < 20, "took too long"
    verdict = _verdict(entry)
    role = entry["role"]
    if error is not None:
        text = str(error)
        assert "\n" not in text and text.strip() == text
        assert error.file and text.startswith(error.file)
        assert error.problem
    errors = [f for f in findings if f.severity is Severity.ERROR]
    for finding in findings:
        location = finding.provider_location
        assert location is not None and location.file
    special = DISAGREEMENTS.get(name)
    if special == "cyclic-ref-error":
        assert isinstance(error, UnresolvableRef) and "cyclic" in error.problem
    elif special == "valid":
        assert error is None and not errors, [f.message for f in errors]
    elif special == "warning":
        assert error is None and not errors
        assert any(f.rule == "lint.required-unknown" for f in findings)
    elif verdict in ("valid", "valid-circular", "valid-multi-file"):
        assert error is None, str(error)
        assert not errors, [f"{f.rule}: {f.message}" for f in errors]
    elif verdict == "invalid":
        assert error is not None or errors, "an invalid document passed"
    elif verdict in ("unresolvable-ref", "recursive-ref", "remote-ref"):
        assert isinstance(error, UnresolvableRef), str(error)
    elif verdict in ("unsupported-version", "not-openapi"):
        assert isinstance(error, InvalidContract), str(error)
    if role == "unparseable" or verdict == "non-utf8-encoding":
        assert isinstance(error, ContractSyntaxError), str(error)
    if "remote-ref" in entry["edge_cases"] and error is None:
        pytest.fail("a document with a remote $ref loaded without --allow-remote")
    if role == "fragment":
        assert error is not None  # a fragment is not a contract on its own


def test_bom_fragment_parses() -> None:
    from interop.harness.parsing import parse_file

    data = parse_file(CORPUS / "prance/utf8bom.yaml").data
    assert isinstance(data, dict) and data


def test_manifest_counts() -> None:
    """The totals the closing note quotes; a change here means the corpus changed."""
    assert len(ENTRIES) == 402
